"""The four-level source classification and the rules that give a survey row its level-4 class.

``factors/classification.csv`` holds the tree (two digits per level); ``factors/
classification_rules.csv`` says which survey attributes (kind, boiler type, GB/T 4754 industry
code, fuel, firing, process, product, material, tank type, vehicle class, machine, area
category) lead to which level-4 code. :func:`assign_class_codes` applies the rules to a whole
frame: each rule is evaluated once over the distinct attribute combinations, never per row.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from inventory.errors import FactorDataError
from inventory.resources import factors_path

__all__ = [
    "RULE_ATTRIBUTES",
    "assign_class_codes",
    "class_table",
    "classification_rules",
    "known_class_codes",
]

RULE_ATTRIBUTES: tuple[str, ...] = (
    "kind",
    "unit_type",
    "industry_code",
    "fuel",
    "firing",
    "process",
    "technology",
    "product",
    "material",
    "tank_type",
    "vehicle_class",
    "machine",
    "category",
)
"""Frame columns the rules may test (a missing column counts as blank)."""

_PREFIX_COLUMNS = frozenset({"industry_code"})
_CODE = re.compile(r"^\d{2}(\d{2}){0,3}$")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(
        factors_path(name), comment="#", dtype=str, keep_default_na=False, encoding="utf-8"
    )


@lru_cache(maxsize=1)
def class_table() -> pd.DataFrame:
    """``factors/classification.csv`` with ``level`` as int and sectors inherited downward."""
    frame = _read("classification.csv")
    frame["level"] = frame["level"].astype(int)
    frame = frame.sort_values(["level", "code"]).reset_index(drop=True)
    sectors: dict[str, str] = {}
    for code, parent, sector in zip(
        frame["code"], frame["parent_code"], frame["sector"], strict=True
    ):
        sectors[code] = sector or sectors.get(parent, "")
    frame["sector"] = frame["code"].map(sectors)
    return frame


def known_class_codes() -> frozenset[str]:
    """Every code of the classification, all levels."""
    return frozenset(class_table()["code"])


@lru_cache(maxsize=1)
def classification_rules() -> pd.DataFrame:
    """The rules table, checked: every target code exists and is level 4."""
    rules = _read("classification_rules.csv")
    classes = class_table().set_index("code")["level"]
    for number, code in enumerate(rules["class_code"], start=2):
        if classes.get(code) != 4:
            raise FactorDataError(
                "classification_rules.csv", f"class_code {code!r} is not a level-4 class", number
            )
    return rules


def _condition_mask(text: np.ndarray, condition: str, prefix: bool) -> np.ndarray:
    present: np.ndarray = np.asarray(text != "", dtype=bool)
    if condition == "*":
        return present
    options = tuple(option.strip() for option in condition.split("|") if option.strip())
    if prefix:
        starts = np.fromiter((value.startswith(options) for value in text), bool, len(text))
        matched: np.ndarray = np.logical_and(present, starts)
        return matched
    member: np.ndarray = np.logical_and(present, np.isin(text, options))
    return member


def _apply_rules(combos: pd.DataFrame, rules: pd.DataFrame) -> np.ndarray:
    result = np.full(len(combos), None, dtype=object)
    open_rows = np.ones(len(combos), dtype=bool)
    attributes = [column for column in RULE_ATTRIBUTES if column in rules.columns]
    # stripped text of each attribute ("" for blank), computed once for all rules
    text = {
        column: np.array(
            ["" if value is None else str(value).strip() for value in combos[column]], dtype=object
        )
        for column in attributes
    }
    for rule in rules.itertuples(index=False):
        mask = open_rows.copy()
        for column in attributes:
            condition = getattr(rule, column)
            if not condition:
                continue
            mask &= _condition_mask(text[column], condition, column in _PREFIX_COLUMNS)
            if not mask.any():
                break
        if mask.any():
            result[mask] = rule.class_code
            open_rows &= ~mask
        if not open_rows.any():
            break
    return result


def assign_class_codes(frame: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.Series:
    """The level-4 class code of each row of ``frame`` (None where no rule applies).

    ``frame`` carries canonical attribute values in any of :data:`RULE_ATTRIBUTES`. A row that
    already has a ``class_code`` keeps it; an area ``category`` written as a class code is taken
    as it is when the code exists. Rules are evaluated once per distinct attribute combination.
    """
    rules = classification_rules() if rules is None else rules
    present = [column for column in RULE_ATTRIBUTES if column in frame.columns]
    work = pd.DataFrame(
        {column: frame[column].astype(object) for column in present}, index=frame.index
    )
    work = work.where(work.notna(), None)
    # one integer key per distinct combination of attribute values
    key = np.zeros(len(work), dtype=np.int64)
    for column in present:
        labels, uniques = pd.factorize(work[column], use_na_sentinel=True)
        # re-factorise so the key stays small however many columns there are
        key, _ = pd.factorize(key * (len(uniques) + 1) + (labels + 1))
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    combos = work.iloc[first].reset_index(drop=True)
    for column in RULE_ATTRIBUTES:
        if column not in combos.columns:
            combos[column] = None
    codes = pd.Series(
        _apply_rules(combos, rules)[inverse], index=frame.index, name="class_code", dtype=object
    )

    known = known_class_codes()
    if "category" in frame.columns:
        category = frame["category"].astype(object)
        as_code = {
            value: str(value).strip()
            for value in pd.unique(category)
            if isinstance(value, str) and _CODE.match(value.strip()) and value.strip() in known
        }
        if as_code:
            written = category.map(as_code)
            codes = codes.where(written.isna(), written)
    if "class_code" in frame.columns:
        given = frame["class_code"]
        has_given = given.notna() & (given.astype(str).str.strip() != "")
        codes = codes.where(~has_given, given.astype(str).str.strip())
    return codes.astype(object).mask(codes.isna(), None)
