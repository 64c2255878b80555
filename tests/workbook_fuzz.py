"""The survey-workbook fuzzer shared by tests/test_fuzz_import.py and scripts/fuzz_import.py.

Seeds are small valid workbooks cut from the synthetic sample (``inventory/sample/2024``): the same
sheets, titles, headers and unit rows, only a few enterprises or rows kept. A case applies one to
three mutations to a seed, saves it, imports it, and checks the invariants of an import:

- it ends in a clean result (loaded, partial, rejected, already loaded) or a structured
  ``InventoryError`` -- any other exception is a failure of the importer;
- a result that wrote nothing left every table's row count as it was;
- a result that wrote added exactly one import batch, every new row belongs to that batch,
  no run or result changed, and no foreign key points nowhere;
- every problem row names a rule code listed in ``factors/layouts/rules.csv``.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, MetaData, func, select, text

from inventory.errors import InventoryError
from inventory.resources import factors_path

__all__ = [
    "MUTATIONS",
    "CaseOutcome",
    "apply_mutations",
    "known_rule_codes",
    "make_seeds",
    "run_import_case",
    "table_counts",
]

SAMPLE = Path(__file__).resolve().parents[1] / "inventory" / "sample" / "2024"
CREDIT_HEADER = "统一社会信用代码"
ODD_CHARACTERS = ["\u200b", "\u200d", "\ufeff", "\u202e", "\u00a0", "😀", "🇨🇳", "\u3000", "\u0301"]
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


# --- seeds ---------------------------------------------------------------------------------


def _header_row(sheet: Worksheet) -> int | None:
    """The first row (1-based) with at least three filled cells, within the first ten rows."""
    for row in range(1, min(sheet.max_row, 10) + 1):
        filled = [c for c in sheet[row] if c.value not in (None, "")]
        if len(filled) >= 3:
            return row
    return None


def _keep_rows(sheet: Worksheet, keep: Callable[[int], bool]) -> None:
    header = _header_row(sheet)
    if header is None:
        return
    for row in range(sheet.max_row, header, -1):
        if not keep(row):
            sheet.delete_rows(row)


def _cut_point_workbook(book: openpyxl.Workbook, n_facilities: int) -> None:
    codes: list[str] = []
    for sheet in book.worksheets:
        header = _header_row(sheet)
        if header is None:
            continue
        columns = [c.column for c in sheet[header] if c.value == CREDIT_HEADER]
        if not columns:
            continue
        column = columns[0]
        if not codes:  # the facilities sheet comes first: take its first enterprises
            values = [sheet.cell(r, column).value for r in range(header + 1, sheet.max_row + 1)]
            codes = [v for v in values if v][:n_facilities]
        keep = set(codes)

        def wanted(row: int, s: Worksheet = sheet, c: int = column, k: set[str] = keep) -> bool:
            value = s.cell(row, c).value
            return value in k or (value is None and row <= (_header_row(s) or 0) + 1)

        _keep_rows(sheet, wanted)


def _cut_rows(book: openpyxl.Workbook, n_rows: int) -> None:
    for sheet in book.worksheets:
        header = _header_row(sheet)
        if header is not None:
            _keep_rows(sheet, lambda r, h=header: r <= h + 1 + n_rows)


def make_seeds(folder: Path) -> list[Path]:
    """Write the small valid seed workbooks into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds: list[Path] = []
    for name, cut in [
        ("point-150502.xlsx", lambda b: _cut_point_workbook(b, 2)),
        ("point-150521.xlsx", lambda b: _cut_point_workbook(b, 1)),
        ("area.xlsx", lambda b: _cut_rows(b, 6)),
        ("fleet.xlsx", lambda b: _cut_rows(b, 6)),
        ("nonroad.xlsx", lambda b: _cut_rows(b, 6)),
    ]:
        book = openpyxl.load_workbook(SAMPLE / name)
        cut(book)
        path = folder / f"seed-{name}"
        book.save(path)
        seeds.append(path)
    return seeds


# --- mutations -------------------------------------------------------------------------------


def _data_sheets(book: openpyxl.Workbook) -> list[Worksheet]:
    return [s for s in book.worksheets if _header_row(s) is not None] or list(book.worksheets)


def _pick_cell(book: openpyxl.Workbook, rng: random.Random, header: bool = False) -> Any:
    for _attempt in range(20):  # a cell inside a merged range cannot be written: pick again
        sheet = rng.choice(_data_sheets(book))
        top = _header_row(sheet) or 1
        row = top if header else rng.randint(top + 1, max(top + 1, sheet.max_row))
        column = rng.randint(1, max(1, sheet.max_column))
        cell = sheet.cell(row, column)
        if not isinstance(cell, MergedCell):
            return cell
    return sheet.cell(sheet.max_row + 1, 1)


def _wrong_type(book: openpyxl.Workbook, rng: random.Random) -> str:
    value = rng.choice(
        [
            "abc", True, datetime(2024, 2, 30 - 1), -1, 0, 1e308, -1e308, 5e-324, 10**20,
            "１２３", "1,2,3", "1e999", "NaN", "inf", "-0", "12 345", "3.5%", "七", " ",
        ]
    )  # fmt: skip
    _pick_cell(book, rng).value = value
    return f"wrong_type:{value!r}"[:60]


def _number_extreme(book: openpyxl.Workbook, rng: random.Random) -> str:
    value = rng.choice([-1.0, -1e9, 1e15, 1e300, 0.0, 1e-300, float("inf"), float("nan")])
    _pick_cell(book, rng).value = value
    return f"number_extreme:{value!r}"


def _header_blank(book: openpyxl.Workbook, rng: random.Random) -> str:
    _pick_cell(book, rng, header=True).value = None
    return "header_blank"


def _header_duplicate(book: openpyxl.Workbook, rng: random.Random) -> str:
    sheet = rng.choice(_data_sheets(book))
    top = _header_row(sheet) or 1
    a, b = rng.randint(1, sheet.max_column), rng.randint(1, sheet.max_column)
    sheet.cell(top, b).value = sheet.cell(top, a).value
    return "header_duplicate"


def _header_odd(book: openpyxl.Workbook, rng: random.Random) -> str:
    cell = _pick_cell(book, rng, header=True)
    if isinstance(cell.value, str):
        if rng.random() < 0.5:
            at = rng.randint(0, len(cell.value))
            cell.value = cell.value[:at] + rng.choice(ODD_CHARACTERS) + cell.value[at:]
        else:
            cell.value = "".join(FULL_WIDTH.get(ch, ch) for ch in cell.value)
    return "header_odd_unicode"


def _header_merged(book: openpyxl.Workbook, rng: random.Random) -> str:
    sheet = rng.choice(_data_sheets(book))
    top = _header_row(sheet) or 1
    first = rng.randint(1, max(1, sheet.max_column - 1))
    last = rng.randint(first + 1, max(first + 1, min(sheet.max_column, first + 4)))
    sheet.merge_cells(
        start_row=top, start_column=first, end_row=top + rng.randint(0, 1), end_column=last
    )
    return "header_merged"


def _sheet_unknown(book: openpyxl.Workbook, rng: random.Random) -> str:
    name = rng.choice(["Sheet1", "数据", "锅炉 (2)", "\u200b锅炉", "😀", "炉窑与工艺 ", "x" * 31])
    if name in book.sheetnames:
        name = name[:28] + "_1"
    sheet = book.create_sheet(name)
    for _ in range(rng.randint(0, 5)):
        sheet.append([rng.choice(["a", 1, None, "统一社会信用代码"]) for _column in range(5)])
    return f"sheet_unknown:{name!r}"


def _sheet_renamed(book: openpyxl.Workbook, rng: random.Random) -> str:
    sheet = rng.choice(book.worksheets)
    title = sheet.title
    options = [
        title + "\u200b",
        "".join(FULL_WIDTH.get(c, c) for c in title),
        " " + title,
        title + "2",
        "Sheet",
    ]
    new = rng.choice(options)[:31]
    if new not in book.sheetnames:
        sheet.title = new
    return "sheet_renamed"


def _sheet_removed(book: openpyxl.Workbook, rng: random.Random) -> str:
    if len(book.worksheets) > 1:
        book.remove(rng.choice(book.worksheets))
    return "sheet_removed"


def _sheet_copied(book: openpyxl.Workbook, rng: random.Random) -> str:
    book.copy_worksheet(rng.choice(book.worksheets))
    return "sheet_copied"


def _odd_unicode(book: openpyxl.Workbook, rng: random.Random) -> str:
    cell = _pick_cell(book, rng)
    base = "" if cell.value is None else str(cell.value)
    at = rng.randint(0, len(base))
    cell.value = base[:at] + rng.choice(ODD_CHARACTERS) + base[at:]
    return "odd_unicode"


def _long_string(book: openpyxl.Workbook, rng: random.Random) -> str:
    _pick_cell(book, rng).value = rng.choice(["长", "x", "😀"]) * rng.choice([300, 5_000, 32_767])
    return "long_string"


def _formula(book: openpyxl.Workbook, rng: random.Random) -> str:
    _pick_cell(book, rng).value = rng.choice(
        ["=1/0", "=SUM(E4:E9)", "=A1", '=HYPERLINK("http://x","y")', "=NOW()"]
    )
    return "formula"


def _date_text(book: openpyxl.Workbook, rng: random.Random) -> str:
    _pick_cell(book, rng).value = rng.choice(
        ["2024-13-45", "2024年5月", "45123", "五月", "2024/02/30", "0000-00-00", "1899-12-31"]
    )
    return "date_as_text"


def _hostile(book: openpyxl.Workbook, rng: random.Random) -> str:
    from reliability_fill import naughty_strings

    _pick_cell(book, rng).value = rng.choice(naughty_strings()).replace("\r", "")
    return "hostile_string"


def _blank_rows(book: openpyxl.Workbook, rng: random.Random) -> str:
    sheet = rng.choice(_data_sheets(book))
    sheet.insert_rows(rng.randint(1, sheet.max_row + 1), rng.randint(1, 3))
    return "blank_rows"


def _duplicate_row(book: openpyxl.Workbook, rng: random.Random) -> str:
    sheet = rng.choice(_data_sheets(book))
    top = _header_row(sheet) or 1
    if sheet.max_row > top:
        source = rng.randint(top + 1, sheet.max_row)
        sheet.append([c.value for c in sheet[source]])
    return "duplicate_row"


def _column_deleted(book: openpyxl.Workbook, rng: random.Random) -> str:
    sheet = rng.choice(_data_sheets(book))
    sheet.delete_cols(rng.randint(1, max(1, sheet.max_column)))
    return "column_deleted"


def _formatted_far_rows(book: openpyxl.Workbook, rng: random.Random) -> str:
    """Empty but formatted cells far below the data (the in-suite size of the 1e6-row case)."""
    sheet = rng.choice(_data_sheets(book))
    last = rng.choice([2_000, 20_000])
    for row in (last // 2, last):
        sheet.cell(row, rng.randint(1, 3)).font = Font(bold=True)
    return f"formatted_rows_to:{last}"


MUTATIONS: dict[str, Callable[[openpyxl.Workbook, random.Random], str]] = {
    "wrong_type": _wrong_type,
    "number_extreme": _number_extreme,
    "header_blank": _header_blank,
    "header_duplicate": _header_duplicate,
    "header_odd_unicode": _header_odd,
    "header_merged": _header_merged,
    "sheet_unknown": _sheet_unknown,
    "sheet_renamed": _sheet_renamed,
    "sheet_removed": _sheet_removed,
    "sheet_copied": _sheet_copied,
    "odd_unicode": _odd_unicode,
    "long_string": _long_string,
    "formula": _formula,
    "date_as_text": _date_text,
    "hostile_string": _hostile,
    "blank_rows": _blank_rows,
    "duplicate_row": _duplicate_row,
    "column_deleted": _column_deleted,
    "formatted_far_rows": _formatted_far_rows,
}


def apply_mutations(seed: Path, mutations: list[tuple[str, int]], out: Path) -> list[str]:
    """Apply ``(mutation name, random seed)`` pairs to a copy of ``seed`` saved as ``out``."""
    book = openpyxl.load_workbook(seed)
    done = [MUTATIONS[name](book, random.Random(value)) for name, value in mutations]
    book.save(out)
    return done


# --- running a case --------------------------------------------------------------------------


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the store."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    with engine.connect() as connection:
        return {
            t.name: int(connection.scalar(select(func.count()).select_from(t)) or 0)
            for t in metadata.sorted_tables
        }


def known_rule_codes() -> set[str]:
    """The stable rule codes of the import."""
    frame = pd.read_csv(factors_path("layouts/rules.csv"), comment="#", dtype=str)
    return set(frame["code"])


@dataclass
class CaseOutcome:
    """How one fuzz case ended: ``loaded``/``partial``/``rejected``/... or ``error:<Class>``."""

    outcome: str
    written: bool
    detail: str = ""


BATCH_TABLES = ("facility_version", "source_version", "activity_record", "measured_emission")


def _max_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t: int(connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar() or 0)
            for t in (*BATCH_TABLES, "import_batch", "source", "facility")
        }


def _orphans(engine: Engine) -> list[Any]:
    if engine.dialect.name != "sqlite":
        return []  # PostgreSQL enforces every foreign key at commit
    with engine.connect() as connection:
        return list(connection.execute(text("PRAGMA foreign_key_check")).all())


def run_import_case(engine: Engine, path: Path, rules: set[str], **options: Any) -> CaseOutcome:
    """Import ``path`` and check the invariants; raises AssertionError (or the importer's
    unexpected exception) when one breaks."""
    from inventory.ingest.importer import import_workbook

    before, ids = table_counts(engine), _max_ids(engine)
    try:
        result = import_workbook(engine, path, **options)
    except InventoryError as exc:
        assert str(exc).strip(), "an InventoryError without a sentence"
        outcome = CaseOutcome(f"error:{type(exc).__name__}", False, str(exc)[:200])
    else:
        outcome = CaseOutcome(result.status, result.written)
        if len(result.problems):
            unknown = set(result.problems["rule"]) - rules
            assert not unknown, f"problem rows with unknown rule codes {unknown}"
        if result.status == "rejected":
            assert len(result.errors), "rejected without an error row"
    after = table_counts(engine)
    if not outcome.written:
        changed = {t: (before[t], after[t]) for t in after if before.get(t) != after[t]}
        assert not changed, f"{outcome.outcome} but rows changed: {changed}"
    else:
        assert after["import_batch"] == before["import_batch"] + 1, "not exactly one new batch"
        for table in ("run", "emission_result", "qa_finding", "factor", "factor_set"):
            assert after.get(table) == before.get(table), f"an import changed {table}"
        with engine.connect() as connection:
            batch = connection.execute(text("SELECT max(id) FROM import_batch")).scalar()
            for table in BATCH_TABLES:
                stray = connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE id > :i AND batch_id <> :b"),
                    {"i": ids[table], "b": batch},
                ).scalar()
                assert stray == 0, f"{table}: new rows not tied to the new batch"
    assert not _orphans(engine), f"orphan rows: {_orphans(engine)[:5]}"
    return outcome


def nfkc_trim(value: str) -> str:
    """What the importer stores for a text cell: NFKC-folded and trimmed (docs/import.md)."""
    return unicodedata.normalize("NFKC", value).strip()
