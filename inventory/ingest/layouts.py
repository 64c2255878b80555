"""The survey layout as data: sheets, their columns, header aliases, units and allowed values.

Everything here is read from ``factors/layouts/`` (``sheets.csv``, ``columns.csv``,
``rules.csv``), so that a renamed header or a new sheet name is a one-line change in a data file.
Header and sheet names are compared after :func:`fold_header` (NFKC, no spaces, no brackets, no
leading required-marker), so ``燃料消耗量（万吨）`` and ``燃料消耗量(万吨)`` are the same header.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from inventory.resources import factors_path

__all__ = [
    "ColumnSpec",
    "Layout",
    "RuleSpec",
    "SheetLayout",
    "fold_header",
    "load_layout",
    "read_data_csv",
]

_SPACES = re.compile(r"\s+")
_BRACKETS = re.compile(r"[()\[\]【】<>《》]")
_MARKERS = re.compile(r"^[*※★▲△#]+|[*※★]+$")


def fold_header(text: object) -> str:
    """A header or sheet name folded for matching: NFKC, no spaces, brackets or ``*`` markers."""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = _SPACES.sub("", folded)
    folded = _MARKERS.sub("", folded)
    return _BRACKETS.sub("", folded)


def read_data_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a shipped CSV data file (``#`` comment lines skipped), values stripped."""
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [{k: (v or "").strip() for k, v in row.items()} for row in rows]


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column of a sheet: how it is named, typed, unit-ed and checked."""

    sheet: str
    name: str
    type: str
    header: str
    aliases: tuple[str, ...]
    unit: str
    required: str
    vocabulary: str
    minimum: float | None
    maximum: float | None
    example: str
    example_unit: str
    description: str

    @property
    def is_key(self) -> bool:
        """Part of the natural key (required, or required unless a condition holds)."""
        return self.required == "key" or self.required.startswith("key_unless:")

    @property
    def is_required(self) -> bool:
        """A blank cell is always an error."""
        return self.required in ("key", "yes")

    @property
    def blank_allowed_when(self) -> tuple[str, tuple[str, ...]] | None:
        """(column, values) of a conditional requirement: ``key_unless:fuel=纯电动|电`` means the
        cell is required unless the row's ``fuel`` is 纯电动 or 电; None when unconditional."""
        for prefix in ("key_unless:", "yes_unless:"):
            if self.required.startswith(prefix):
                column, _, values = self.required[len(prefix) :].partition("=")
                return column, tuple(v for v in values.split("|") if v)
        return None

    @property
    def needs_header(self) -> bool:
        """The sheet must have this column (required, conditionally or not)."""
        return self.is_required or self.blank_allowed_when is not None

    @property
    def group(self) -> str | None:
        """Name of the one-of group (at least one column of the group must be filled)."""
        return self.required.split(":", 1)[1] if self.required.startswith("one_of:") else None

    @property
    def choices(self) -> tuple[str, ...]:
        """Allowed values of a ``choice`` column (``=a|b|c`` in the vocabulary field)."""
        if self.vocabulary.startswith("="):
            return tuple(v for v in self.vocabulary[1:].split("|") if v)
        return ()

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Allowed dimensions of a ``quantity`` or ``calorific`` column (mass, volume, energy,
        count, energy/mass, energy/volume, any)."""
        measured = self.type in ("quantity", "calorific")
        return tuple(self.unit.split("|")) if measured and self.unit else ()

    @property
    def template_header(self) -> str:
        """The header the template writes: the name, with its unit in full-width brackets."""
        if self.type in ("number", "integer") and self.unit:
            return f"{self.header}（{self.unit}）"
        if self.type == "percent":
            return f"{self.header}（%）"
        if self.type == "calorific":  # the census form's one column for every fuel
            return f"{self.header}（MJ/kg或MJ/m3）"
        return self.header


@dataclass(frozen=True)
class SheetLayout:
    """One sheet of the survey workbook."""

    key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    form: str
    description: str
    columns: tuple[ColumnSpec, ...] = field(default=())

    def column(self, name: str) -> ColumnSpec:
        """The column spec called ``name`` (KeyError if the sheet has none)."""
        for spec in self.columns:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def has(self, name: str) -> bool:
        """Whether the sheet has a column called ``name``."""
        return any(spec.name == name for spec in self.columns)


@dataclass(frozen=True)
class RuleSpec:
    """A documented rule code of the import (factors/layouts/rules.csv)."""

    code: str
    severity: str
    scope: str
    meaning: str


@dataclass(frozen=True)
class Layout:
    """The whole survey layout: sheets by key, and the rule catalogue."""

    sheets: dict[str, SheetLayout]
    rules: dict[str, RuleSpec]

    def match_sheet(self, name: str) -> SheetLayout | None:
        """The sheet layout a workbook sheet name stands for, or None.

        An exact match of the folded name or an alias wins; otherwise a name that contains
        exactly one sheet's name or alias (``2025年锅炉调查表`` -> 锅炉), longest alias first.
        """
        folded = fold_header(name)
        for sheet in self.sheets.values():
            if folded in {fold_header(a) for a in (sheet.key, sheet.name, *sheet.aliases)}:
                return sheet
        candidates = sorted(
            (
                (len(fold_header(alias)), sheet)
                for sheet in self.sheets.values()
                for alias in (sheet.name, *sheet.aliases)
                if len(fold_header(alias)) >= 2 and fold_header(alias) in folded
            ),
            key=lambda pair: -pair[0],
        )
        return candidates[0][1] if candidates else None

    def sheet_names(self) -> list[str]:
        """Every known sheet name and alias (for "did you mean")."""
        return [n for s in self.sheets.values() for n in (s.name, *s.aliases)]


def _number(text: str) -> float | None:
    return float(text) if text else None


@lru_cache(maxsize=4)
def load_layout(folder: str | None = None) -> Layout:
    """Load the survey layout from ``folder`` (default: the shipped ``factors/layouts``)."""
    base = Path(folder) if folder else factors_path("layouts")
    columns = [
        ColumnSpec(
            sheet=row["sheet"],
            name=row["column"],
            type=row["type"],
            header=row["header"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            unit=row["unit"],
            required=row["required"] or "no",
            vocabulary=row["vocabulary"],
            minimum=_number(row["min"]),
            maximum=_number(row["max"]),
            example=row["example"],
            example_unit=row["example_unit"],
            description=row["description"],
        )
        for row in read_data_csv(base / "columns.csv")
    ]
    shared = [c for c in columns if c.sheet == "*"]
    sheets: dict[str, SheetLayout] = {}
    for row in read_data_csv(base / "sheets.csv"):
        own = [c for c in columns if c.sheet == row["sheet"]]
        extra = [
            ColumnSpec(**{**c.__dict__, "sheet": row["sheet"]})
            for c in shared
            if row["kind"] != "none" and not any(o.name == c.name for o in own)
        ]
        sheets[row["sheet"]] = SheetLayout(
            key=row["sheet"],
            name=row["name"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            kind=row["kind"],
            form=row["form"],
            description=row["description"],
            columns=tuple(own + extra),
        )
    rules = {
        row["code"]: RuleSpec(row["code"], row["severity"], row["scope"], row["meaning"])
        for row in read_data_csv(base / "rules.csv")
    }
    return Layout(sheets=sheets, rules=rules)
