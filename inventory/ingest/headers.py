"""Find the header row of a sheet and map its raw headers to canonical columns.

Real workbooks have title rows above the header, merged group headers with sub-headers below
(``燃料消耗量`` over ``数量 | 计量单位``; ``中心经度`` over ``度 | 分 | 秒``), a row of units under
the header, and units inside headers (``燃料消耗量（万吨）``). The header row is the row among the
first rows with the most cells that are known headers of the sheet.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from inventory.errors import UnknownUnit
from inventory.ingest.layouts import ColumnSpec, SheetLayout, fold_header
from inventory.ingest.problems import ProblemLog, column_letter
from inventory.ingest.readers import MergedRange, RawSheet
from inventory.units import parse_unit

__all__ = ["Binding", "MappedSheet", "map_sheet", "split_header_unit"]

SEARCH_ROWS = 30
IGNORED_HEADERS = {"序号", "No", "NO", "行号", "序", "Nо"}
_UNIT_IN_BRACKETS = re.compile(
    r"^(?P<base>.*?)[(（\[【](?:单位[:：])?(?P<unit>[^()（）\[\]【】]*)[)）\]】]\s*$"
)
_UNIT_AFTER_COLON = re.compile(r"^(?P<base>.*?)[，,]?单位[:：](?P<unit>.+)$")


@dataclass
class Binding:
    """Where a canonical column is in the sheet and what unit its header gives."""

    spec: ColumnSpec
    index: int
    raw_header: str
    unit: str | None = None
    unit_column: int | None = None

    @property
    def letter(self) -> str:
        """Excel column letter."""
        return column_letter(self.index)


@dataclass
class MappedSheet:
    """A sheet whose header has been found and mapped."""

    raw: RawSheet
    layout: SheetLayout
    header_row: int  # zero-based index into the grid
    data_start: int  # zero-based index of the first data row
    bindings: dict[str, Binding] = field(default_factory=dict)
    title_text: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The sheet's name in the workbook."""
        return self.raw.name


def split_header_unit(text: str) -> tuple[str, str | None]:
    """Split ``燃料消耗量（万吨）`` into (``燃料消耗量``, ``万吨``); no unit gives None."""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    cleaned = re.sub(r"\s+", "", cleaned)
    for pattern in (_UNIT_IN_BRACKETS, _UNIT_AFTER_COLON):
        match = pattern.match(cleaned)
        if match and match.group("base"):
            return match.group("base"), match.group("unit").strip() or None
    return cleaned, None


class _AliasIndex:
    """Folded header spelling -> column spec, for one sheet."""

    def __init__(self, layout: SheetLayout) -> None:
        self.by_alias: dict[str, ColumnSpec] = {}
        for spec in layout.columns:
            for alias in (spec.name, spec.header, *spec.aliases):
                self.by_alias.setdefault(fold_header(alias), spec)

    def match(self, text: str) -> tuple[ColumnSpec | None, str | None]:
        """(spec, unit written in the header) for a raw header, or (None, None)."""
        if not text:
            return None, None
        whole = fold_header(text)
        if whole in self.by_alias:
            return self.by_alias[whole], None
        base, unit = split_header_unit(text)
        spec = self.by_alias.get(fold_header(base))
        return (spec, unit) if spec else (None, None)

    def suggest(self, text: str) -> str:
        """A "did you mean" hint for an unknown header (empty when nothing is close)."""
        base, _ = split_header_unit(text)
        close = difflib.get_close_matches(fold_header(base), list(self.by_alias), n=1, cutoff=0.5)
        if not close:
            return ""
        spec = self.by_alias[close[0]]
        return f"Did you mean {spec.header}? (add the spelling to factors/layouts/columns.csv)"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _row_texts(grid: pd.DataFrame, row: int) -> list[str]:
    return [_text(v) for v in grid.iloc[row].tolist()]


def _fill_merged(texts: list[str], row: int, merged: list[MergedRange]) -> list[str]:
    """Copy a merged header cell's text into the columns it spans on that row."""
    filled = list(texts)
    for (r0, c0), (r1, c1) in merged:
        if r0 <= row <= r1 and c1 > c0 and c0 < len(filled):
            anchor = filled[c0] if r0 == row else ""
            for column in range(c0 + 1, min(c1 + 1, len(filled))):
                if not filled[column]:
                    filled[column] = anchor
    return filled


def _is_unit_text(text: str) -> bool:
    inner = text.strip("()（）[]【】 ")
    if not inner:
        return False
    if "或" in inner:  # "MJ/kg或MJ/m3": the unit follows the row's fuel
        return all(_is_unit_text(part) for part in inner.split("或"))
    try:
        parse_unit(inner)
    except UnknownUnit:
        return inner in ("小数", "%")
    except Exception:  # pint can fail in odd ways on arbitrary cell text
        return False
    return True


def _is_units_row(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return bool(filled) and all(_is_unit_text(t) for t in filled)


def map_sheet(raw: RawSheet, layout: SheetLayout, log: ProblemLog) -> MappedSheet | None:
    """Find the header, map it to the layout's columns, and record header problems.

    Returns None (after logging ``sheet.no_header``) when no header row is found.
    """
    grid = raw.grid
    index = _AliasIndex(layout)
    limit = min(SEARCH_ROWS, len(grid))
    scores = []
    for row in range(limit):
        texts = _row_texts(grid, row)
        scores.append(sum(1 for t in texts if index.match(t)[0] is not None))
    best = max(range(limit), key=lambda r: (scores[r], -r)) if limit else -1
    needed = 1 if len(layout.columns) <= 4 else 2
    if best < 0 or scores[best] < needed:
        log.add(
            "sheet.no_header",
            f"No header row found in the first {SEARCH_ROWS} rows of sheet {raw.name!r}.",
            sheet=raw.name,
            hint=f"The header should name columns such as {', '.join(c.header for c in layout.columns[:4])}.",
        )
        return None
    headers = _fill_merged(_row_texts(grid, best), best, raw.merged)
    cursor = best + 1
    subs = _row_texts(grid, cursor) if cursor < len(grid) else []
    if subs and not _is_units_row(subs) and _is_sub_header(headers, subs, index):
        headers = [_compose(h, s, index) for h, s in zip(headers, subs, strict=False)]
        cursor += 1
    units_row: list[str] = []
    if cursor < len(grid):
        candidate = _row_texts(grid, cursor)
        if _is_units_row(candidate):
            units_row = [t.strip("()（）[]【】 ") for t in candidate]
            cursor += 1
    mapped = MappedSheet(raw=raw, layout=layout, header_row=best, data_start=cursor)
    mapped.title_text = [t for r in range(best) for t in _row_texts(grid, r) if t]
    _bind(mapped, headers, units_row, index, log)
    return mapped


def _is_sub_header(headers: list[str], subs: list[str], index: _AliasIndex) -> bool:
    """Whether the row under the header is a second header row (under merged group cells)."""
    hits = 0
    for head, sub in zip(headers, subs, strict=False):
        if not sub:
            continue
        composite = index.match(head + sub)[0] if head else None
        alone = index.match(sub)[0]
        if (
            composite is not None
            or (alone is not None and alone.type == "unit")
            or (alone is not None and index.match(head)[0] is None)
            or sub in ("数量", "数值", "值")
        ):
            hits += 1
    return hits > 0


def _compose(head: str, sub: str, index: _AliasIndex) -> str:
    if not sub:
        return head
    if head and index.match(head + sub)[0] is not None:
        return head + sub
    if index.match(sub)[0] is not None:
        return sub
    return head or sub


def _bind(
    mapped: MappedSheet,
    headers: list[str],
    units_row: list[str],
    index: _AliasIndex,
    log: ProblemLog,
) -> None:
    sheet = mapped.name
    excel_row = mapped.header_row + 1
    unit_columns: list[int] = []
    unknown: list[tuple[int, str]] = []
    for column, text in enumerate(headers):
        if not text or fold_header(text) in IGNORED_HEADERS:
            continue
        spec, unit = index.match(text)
        if spec is None:
            unknown.append((column, text))
            continue
        if spec.type == "unit":
            unit_columns.append(column)
            continue
        if spec.name in mapped.bindings:
            first = mapped.bindings[spec.name]
            log.add(
                "header.duplicate",
                f"Columns {first.letter} ({first.raw_header}) and {column_letter(column)} "
                f"({text}) both mean {spec.header}.",
                sheet=sheet,
                row=excel_row,
                column=column_letter(column),
                header=text,
                hint="Delete or rename one of them.",
            )
            continue
        if unit is None and column < len(units_row) and units_row[column]:
            unit = units_row[column]
        mapped.bindings[spec.name] = Binding(spec, column, text, unit)
    for column in unit_columns:
        owners = [
            b
            for b in mapped.bindings.values()
            if b.spec.type == "quantity" and b.index < column and b.unit_column is None
        ]
        if owners:
            max(owners, key=lambda b: b.index).unit_column = column
    for column, text in unknown:
        log.add(
            "header.unknown",
            f"Column {column_letter(column)} ({text}) is not a column of sheet "
            f"{mapped.layout.name}; it was ignored.",
            sheet=sheet,
            row=excel_row,
            column=column_letter(column),
            header=text,
            hint=index.suggest(text),
        )
    _check_required(mapped, unknown, index, log)


def _check_required(
    mapped: MappedSheet, unknown: list[tuple[int, str]], index: _AliasIndex, log: ProblemLog
) -> None:
    layout = mapped.layout
    present = set(mapped.bindings)
    if {"lon_deg", "lat_deg"} <= present:
        present |= {"lon", "lat"}
    for spec in layout.columns:
        if not spec.needs_header or spec.name in present:
            continue
        log.add(
            "header.missing",
            f"Sheet {mapped.name!r} has no column {spec.header} ({spec.name}).",
            sheet=mapped.name,
            row=mapped.header_row + 1,
            header=spec.header,
            hint=_missing_hint(spec, unknown),
        )
    groups: dict[str, list[ColumnSpec]] = {}
    for spec in layout.columns:
        if spec.group:
            groups.setdefault(spec.group, []).append(spec)
    for members in groups.values():
        if not any(m.name in present for m in members):
            names = " or ".join(m.header for m in members)
            log.add(
                "header.missing",
                f"Sheet {mapped.name!r} needs a column {names}.",
                sheet=mapped.name,
                row=mapped.header_row + 1,
                header=names,
                hint=_missing_hint(members[0], unknown),
            )


def _missing_hint(spec: ColumnSpec, unknown: list[tuple[int, str]]) -> str:
    spellings = [fold_header(a) for a in (spec.header, *spec.aliases)]
    best: tuple[float, int, str] | None = None
    for column, text in unknown:
        base = fold_header(split_header_unit(text)[0])
        score = max(difflib.SequenceMatcher(None, base, s).ratio() for s in spellings)
        if score >= 0.5 and (best is None or score > best[0]):
            best = (score, column, text)
    if best:
        return (
            f"Did you mean column {column_letter(best[1])} ({best[2]})? Rename it to "
            f"{spec.header} or add the spelling to factors/layouts/columns.csv."
        )
    return f"Add a column {spec.template_header} (see the template: inventory template)."
