"""Which rows of a sheet's body are data: blank rows dropped; total (合计/小计), notes (填表说明,
注:...) and the template's example rows skipped with a notice each."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.ingest.headers import MappedSheet
from inventory.ingest.problems import ProblemLog

__all__ = ["EXAMPLE_MARKERS", "NOTE_MARKERS", "TOTAL_WORDS", "select_rows"]

TOTAL_WORDS = ("合计", "小计", "总计", "累计", "全市合计", "总合计")
NOTE_MARKERS = (
    "填表说明",
    "填报说明",
    "注:",
    "注：",
    "说明:",
    "说明：",
    "备注:",
    "备注：",
    "注 ",
    "*注",
)
EXAMPLE_MARKERS = ("示例", "例", "【示例】", "填写示例")
_NOTE_LINE = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,2})[.、．)）]")


def select_rows(
    full: pd.DataFrame, body: pd.DataFrame, mapped: MappedSheet, log: ProblemLog
) -> tuple[pd.Series, int]:
    """Mask of data rows to convert; blank rows dropped, total and notes rows logged."""
    if not len(full):
        return pd.Series(True, index=full.index), 0
    count = pd.Series(_written_count(full.to_numpy(dtype=object)), index=full.index)
    nonblank = count > 0
    # the first four columns, folded once per distinct value (whole columns, no row loop)
    leads = [_lead_text(full[c]) for c in full.columns[: min(4, full.shape[1])]]
    is_total = pd.Series(np.logical_or.reduce([lead.total for lead in leads]), index=full.index)
    # the first written text of the row, and its notes tests (worked out per distinct value)
    first = np.full(len(full), "", dtype=object)
    note_start = np.zeros(len(full), dtype=bool)
    note_line = np.zeros(len(full), dtype=bool)
    for lead in reversed(leads):
        first = np.where(lead.written, lead.text, first)
        note_start = np.where(lead.written, lead.note_start, note_start)
        note_line = np.where(lead.written, lead.note_line, note_line)
    first_text = pd.Series(first, index=full.index, dtype=object)
    is_note_start = pd.Series(note_start, index=full.index)
    note_seen = is_note_start.cummax()
    is_note = nonblank & (is_note_start | (note_seen & (count == 1)) | ((count == 1) & note_line))
    is_total &= nonblank & ~is_note
    any_example = pd.Series(
        np.logical_or.reduce([lead.example for lead in leads]), index=full.index
    )
    is_example = nonblank & any_example & ~is_note & ~is_total
    sheet = mapped.name
    for mask, rule, what in (
        (is_total, "row.total_skipped", "a total (合计/小计) row"),
        (is_note, "row.note_skipped", "a notes row"),
        (is_example, "row.example_skipped", "the template's example row"),
    ):
        if mask.any():
            index = full.index[mask.to_numpy()]
            log.add_many(
                rule,
                f"Row skipped: {what}.",
                sheet=sheet,
                rows=list(index + 1),
                values=[first_text[i] for i in index],
            )
    keep = nonblank & ~is_total & ~is_note & ~is_example
    return keep.reindex(body.index, fill_value=False), int((is_total | is_note | is_example).sum())


def _fold_lead(value: object) -> str:
    if not isinstance(value, str):
        return ""
    if value.isascii():  # NFKC leaves ASCII as it is
        return value.replace(" ", "").strip()
    return unicodedata.normalize("NFKC", value).replace(" ", "").strip()


def _written(cells: np.ndarray) -> np.ndarray:
    # a cheap "something is written" test: calamine gives "" for empty cells
    written: np.ndarray = pd.notna(cells) & (cells != "")
    return written


def _written_count(cells: np.ndarray) -> np.ndarray:
    """Written cells per row, exact where a row has fewer than two written cells in its first
    two columns, and at least 2 elsewhere: the callers only ask "none?" and "exactly one?".

    A data row fills its first columns, so the other 14 or so cells of 10^5 rows (most of the
    cost of this test) are only looked at for the few rows that could be blank or a note."""
    count: np.ndarray = _written(cells[:, :2]).sum(axis=1)
    open_rows = np.flatnonzero(count < 2)
    if len(open_rows) and cells.shape[1] > 2:
        count[open_rows] += _written(cells[open_rows, 2:]).sum(axis=1)
    return count


@dataclass
class _Lead:
    """One of the first columns: its folded text per row and what that text says."""

    text: np.ndarray  # folded text, "" for numbers and blanks
    written: np.ndarray  # text != ""
    total: np.ndarray  # starts with a total word or ends with 合计 / 小计
    example: np.ndarray  # one of the example markers
    note_start: np.ndarray  # starts with a notes marker (注:, 填表说明...)
    note_line: np.ndarray  # reads like a numbered notes line (1. / 一、...)


def _lead_text(column: pd.Series) -> _Lead:
    """Folded text of a cell (``""`` for numbers and blanks), for total / notes detection;
    folded and tested once per distinct value."""
    if column.dtype != object:
        size = len(column)
        blank = np.zeros(size, dtype=bool)
        return _Lead(np.full(size, "", dtype=object), blank, blank, blank, blank, blank)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    size = len(uniques) + 1  # code -1 (null) picks the last slot, ""
    texts = [_fold_lead(v) for v in uniques]
    texts.append("")
    table = np.asarray(texts, dtype=object)
    total = np.zeros(size, dtype=bool)
    example = np.zeros(size, dtype=bool)
    note_start = np.zeros(size, dtype=bool)
    note_line = np.zeros(size, dtype=bool)
    for i, t in enumerate(texts):
        if not t:
            continue
        if t.isascii():
            # every total word, example and notes marker has a CJK character: an ASCII text
            # (codes, numbers, names in Latin letters) can only be a numbered notes line
            note_line[i] = t[0].isdigit() and _NOTE_LINE.match(t) is not None
            continue
        total[i] = t.startswith(TOTAL_WORDS) or t.endswith(("合计", "小计"))
        example[i] = t in EXAMPLE_MARKERS
        note_start[i] = t.startswith(NOTE_MARKERS)
        note_line[i] = _NOTE_LINE.match(t) is not None
    return _Lead(
        table[codes],
        (table != "")[codes],
        total[codes],
        example[codes],
        note_start[codes],
        note_line[codes],
    )
