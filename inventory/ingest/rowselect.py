"""Which rows of a sheet's body are data: blank rows dropped; total (合计/小计), notes (填表说明,
注:...) and the template's example rows skipped with a notice each."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from inventory.ingest.coerce import per_unique
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
    # a cheap "something is written" test: calamine gives "" for empty cells
    filled = full.notna() & (full != "")
    count = filled.sum(axis=1)
    nonblank = count > 0
    first_cols = list(full.columns[: min(4, full.shape[1])])
    lead_text = pd.DataFrame({c: _lead_text(full[c]) for c in first_cols}, index=full.index)
    is_total = lead_text.apply(
        lambda col: col.str.startswith(TOTAL_WORDS) | col.str.endswith(("合计", "小计"))
    ).any(axis=1)
    first_text = pd.Series("", index=full.index)
    for column in reversed(first_cols):
        first_text = lead_text[column].where(lead_text[column] != "", first_text)
    is_note_start = first_text.str.startswith(NOTE_MARKERS)
    note_seen = is_note_start.cummax()
    is_note = nonblank & (
        is_note_start
        | (note_seen & (count == 1))
        | ((count == 1) & first_text.str.match(_NOTE_LINE))
    )
    is_total &= nonblank & ~is_note
    is_example = nonblank & lead_text.isin(EXAMPLE_MARKERS).any(axis=1) & ~is_note & ~is_total
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


def _lead_text(column: pd.Series) -> pd.Series:
    """Folded text of a cell (``""`` for numbers and blanks), for total / notes detection."""
    if column.dtype != object:
        return pd.Series("", index=column.index)
    folded = per_unique(
        column,
        lambda v: (
            unicodedata.normalize("NFKC", v).replace(" ", "").strip() if isinstance(v, str) else ""
        ),
        fill="",
    )
    return pd.Series(folded, index=column.index, dtype=object)
