"""Read and check factor tables: the shipped CSVs under ``factors/`` or a user's local file.

A factor table has the columns of :data:`FACTOR_TABLE_COLUMNS` (one row per factor or method
parameter, each with its published source); an efficiency table those of
:data:`EFFICIENCY_TABLE_COLUMNS`. Checks return every problem at once as a frame (table, row,
factor_key, rule, message) so that ``inventory factors check`` can print the whole list.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory.classification import known_class_codes
from inventory.errors import FactorDataError, UnknownUnit
from inventory.resources import factors_path
from inventory.units import parse_unit

__all__ = [
    "ACTIVITY_TYPES",
    "BASES",
    "EFFICIENCY_TABLE_COLUMNS",
    "FACTOR_TABLE_COLUMNS",
    "FactorTables",
    "check_efficiency_table",
    "check_factor_table",
    "files_checksum",
    "read_factor_file",
    "read_shipped_tables",
    "read_tables",
]

FACTOR_TABLE_COLUMNS: tuple[str, ...] = (
    "factor_key",
    "class_code",
    "pollutant",
    "fuel",
    "technology",
    "product",
    "vehicle_class",
    "standard",
    "activity_type",
    "size_min",
    "size_max",
    "size_unit",
    "value",
    "unit",
    "basis",
    "derived",
    "source_document",
    "table_or_page",
    "confidence",
    "note",
)
EFFICIENCY_TABLE_COLUMNS: tuple[str, ...] = (
    "efficiency_key",
    "technology",
    "pollutant",
    "efficiency_pct",
    "kind",
    "source_document",
    "table_or_page",
    "confidence",
    "note",
)
BASES: frozenset[str] = frozenset({"uncontrolled", "controlled", "parameter"})
ACTIVITY_TYPES: frozenset[str] = frozenset(
    {
        "output",
        "fuel_use",
        "material_use",
        "throughput",
        "loading",
        "population",
        "machine_count",
        "fuel_use_nonroad",
        "area_activity",
        "crop_output",
    }
)
"""What an activity record counts (``ActivityRecord.activity_type``); a factor row's
``activity_type`` is one of these or blank (any)."""
_KINDS = frozenset({"removal", "capture"})
_PROBLEM_COLUMNS = ["table", "row", "key", "rule", "message"]


@dataclass(frozen=True)
class FactorTables:
    """Factor rows and efficiency rows read from files, and the checksum of those files."""

    factors: pd.DataFrame
    efficiencies: pd.DataFrame
    checksum: str


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise FactorDataError(path.name, f"cannot be read as a UTF-8 CSV ({exc})") from exc


def _with_row_numbers(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    frame = frame.copy()
    frame.insert(0, "table_name", table)
    frame.insert(1, "row_number", range(1, len(frame) + 1))
    return frame


def read_factor_file(path: Path, table: str | None = None) -> pd.DataFrame | None:
    """Rows of one factor or efficiency CSV, all text, with ``table_name`` and ``row_number``.

    Returns None for a file of neither kind. Missing optional columns are added blank.
    """
    frame = _read_csv(path)
    name = table or path.stem
    if "factor_key" in frame.columns:
        for column in FACTOR_TABLE_COLUMNS:
            if column not in frame.columns:
                frame[column] = ""
        return _with_row_numbers(frame[list(FACTOR_TABLE_COLUMNS)], name)
    if "efficiency_key" in frame.columns:
        for column in EFFICIENCY_TABLE_COLUMNS:
            if column not in frame.columns:
                frame[column] = "removal" if column == "kind" else ""
        return _with_row_numbers(frame[list(EFFICIENCY_TABLE_COLUMNS)], name)
    return None


def _shipped_files() -> list[Path]:
    folder = factors_path("emission_factors")
    return [
        *sorted(folder.glob("*.csv")),
        factors_path("parameters.csv"),
        factors_path("control_efficiencies.csv"),
    ]


def files_checksum(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of ``paths`` (order-independent)."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_shipped_tables() -> FactorTables:
    """All shipped factor tables, parameters and control efficiencies, with their checksum."""
    return read_tables(_shipped_files())


def read_tables(paths: list[Path]) -> FactorTables:
    """Factor and efficiency rows of ``paths`` (each file is one or the other)."""
    factors: list[pd.DataFrame] = []
    efficiencies: list[pd.DataFrame] = []
    for path in paths:
        frame = read_factor_file(path)
        if frame is None:
            raise FactorDataError(
                path.name, "has neither a factor_key nor an efficiency_key column"
            )
        (factors if "factor_key" in frame.columns else efficiencies).append(frame)
    factor_frame = (
        pd.concat(factors, ignore_index=True)
        if factors
        else pd.DataFrame(columns=["table_name", "row_number", *FACTOR_TABLE_COLUMNS])
    )
    efficiency_frame = (
        pd.concat(efficiencies, ignore_index=True)
        if efficiencies
        else pd.DataFrame(columns=["table_name", "row_number", *EFFICIENCY_TABLE_COLUMNS])
    )
    return FactorTables(factor_frame, efficiency_frame, files_checksum(paths))


def _problems(
    frame: pd.DataFrame, mask: pd.Series, key: str, rule: str, message: str
) -> pd.DataFrame:
    bad = frame.loc[mask]
    return pd.DataFrame(
        {
            "table": bad["table_name"],
            "row": bad["row_number"],
            "key": bad[key],
            "rule": rule,
            "message": message,
        }
    )


def _numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace("", None), errors="coerce")


def _unit_problems(frame: pd.DataFrame, column: str, key: str) -> pd.DataFrame:
    bad_units: dict[str, str] = {}
    for unit in pd.unique(frame[column]):
        if not unit:
            continue
        try:
            parse_unit(unit)
        except UnknownUnit as exc:
            bad_units[unit] = f"unit {unit!r} does not parse ({exc.hint})"
    mask = frame[column].isin(list(bad_units))
    problems = _problems(frame, mask, key, f"{column}_parses", "")
    problems["message"] = frame.loc[mask, column].map(bad_units).to_numpy()
    return problems


def check_factor_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Every rule a factor table breaks, one row each (empty frame when all is well).

    Rules: unique non-blank key, known class code, pollutant present unless a parameter, value
    a non-negative number, unit and size unit parse, basis known, derived yes/no, a source,
    activity_type blank or a known type.
    """
    key = "factor_key"
    value = _numbers(frame["value"])
    size_min, size_max = _numbers(frame["size_min"]), _numbers(frame["size_max"])
    codes = known_class_codes()
    is_parameter = frame["basis"] == "parameter"
    checks = [
        (frame[key] == "", "key_present", "the factor_key is blank"),
        (
            frame[key].duplicated(keep=False) & (frame[key] != ""),
            "key_unique",
            "the factor_key repeats",
        ),
        (
            ~frame["class_code"].isin(codes),
            "class_code_exists",
            "class_code is not in classification.csv",
        ),
        (
            (frame["pollutant"] == "") & ~is_parameter,
            "pollutant_present",
            "a factor needs a pollutant",
        ),
        (
            is_parameter & (frame["product"] == ""),
            "parameter_named",
            "a parameter row names itself in product",
        ),
        (value.isna(), "value_number", "value is not a number"),
        (value < 0, "value_non_negative", "value is negative"),
        (frame["unit"] == "", "unit_present", "unit is blank"),
        (
            ~frame["basis"].isin(BASES),
            "basis_known",
            "basis must be uncontrolled, controlled or parameter",
        ),
        (~frame["derived"].isin(["yes", "no", ""]), "derived_yes_no", "derived must be yes or no"),
        (
            ~frame["activity_type"].isin([*ACTIVITY_TYPES, ""]),
            "activity_type_known",
            "activity_type must be blank or one of " + ", ".join(sorted(ACTIVITY_TYPES)),
        ),
        (
            frame["source_document"].str.strip() == "",
            "source_present",
            "every row names its published source",
        ),
        (
            (frame["size_min"] != "") & size_min.isna()
            | (frame["size_max"] != "") & size_max.isna(),
            "size_number",
            "size_min/size_max must be numbers",
        ),
        (size_min > size_max, "size_ordered", "size_min is above size_max"),
        (
            ((frame["size_min"] != "") | (frame["size_max"] != "")) & (frame["size_unit"] == ""),
            "size_unit_present",
            "a size class needs a size_unit",
        ),
    ]
    parts = [_problems(frame, mask.fillna(False), key, rule, msg) for mask, rule, msg in checks]
    parts.append(_unit_problems(frame, "unit", key))
    parts.append(_unit_problems(frame, "size_unit", key))
    return _concat(parts)


def check_efficiency_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Every rule an efficiency table breaks: unique key and (technology, pollutant, kind),
    efficiency a number within 0-100 %, known kind, a source."""
    key = "efficiency_key"
    pct = _numbers(frame["efficiency_pct"])
    pair = frame[["technology", "pollutant", "kind"]].duplicated(keep=False)
    checks = [
        (frame[key] == "", "key_present", "the efficiency_key is blank"),
        (
            frame[key].duplicated(keep=False) & (frame[key] != ""),
            "key_unique",
            "the efficiency_key repeats",
        ),
        (pair, "technology_pollutant_unique", "technology and pollutant repeat"),
        (frame["technology"] == "", "technology_present", "technology is blank"),
        (frame["pollutant"] == "", "pollutant_present", "pollutant is blank"),
        (pct.isna(), "efficiency_number", "efficiency_pct is not a number"),
        ((pct < 0) | (pct > 100), "efficiency_range", "efficiency_pct must be within 0-100"),
        (~frame["kind"].isin(_KINDS), "kind_known", "kind must be removal or capture"),
        (
            frame["source_document"].str.strip() == "",
            "source_present",
            "every row names its published source",
        ),
    ]
    return _concat(
        [_problems(frame, mask.fillna(False), key, rule, msg) for mask, rule, msg in checks]
    )


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=_PROBLEM_COLUMNS)
    return pd.concat(parts, ignore_index=True).sort_values(["table", "row"], kind="stable")
