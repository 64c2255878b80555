"""Formula-injection guards for what we export to spreadsheets and CSV files.

Text a user typed into a survey workbook (a facility name, a note, a code) reaches our reports.
A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken by
Excel, WPS or LibreOffice as a formula (or a DDE command) when the file is opened. Two guards:

- **Excel** (xlsxwriter): every text cell is written *as text* (:data:`XLSXWRITER_OPTIONS`
  switches off xlsxwriter's guessing of formulas, numbers and links). The text stays exactly as
  the user typed it and is never evaluated.
- **CSV** has no cell types, so a text cell at risk gets a leading apostrophe
  (:func:`neutralise_text`), the convention spreadsheet programs honour. The rule is reversible:
  :func:`restore_text` gives the original back, also for text that itself began with apostrophes.
  :func:`frame_to_csv` also ends rows with CRLF (RFC 4180): Python's csv writer quotes a field
  holding a bare carriage return only when CR is part of the row terminator, and an unquoted CR
  would start a new row in Excel, whose first cell could then be a formula.

Numbers are never touched: only ``str`` values change, so ``-12.5`` as a number stays a number.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_TRIGGERS",
    "XLSXWRITER_OPTIONS",
    "frame_to_csv",
    "neutralise_frame",
    "neutralise_text",
    "restore_text",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Workbook(path, XLSXWRITER_OPTIONS): text is written as text, never as a formula, number or URL.
XLSXWRITER_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}

# Apostrophes then a trigger: the values that get (or, in reverse, lose) one leading apostrophe.
_AT_RISK = re.compile("^'*[=+\\-@\t\r]")
_NEUTRALISED = re.compile("^'+[=+\\-@\t\r]")


def neutralise_text(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Anything that is not a ``str`` (numbers, dates, None) is returned as it is.
    """
    if isinstance(value, str) and _AT_RISK.match(value):
        return "'" + value
    return value


def restore_text(value: Any) -> Any:
    """Undo :func:`neutralise_text` (for reading our own CSV exports back)."""
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


def _is_text_column(series: pd.Series) -> bool:
    return bool(pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series))


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised for CSV; numeric columns untouched.

    Column names are text a user may have typed too (pivot headers), so they are guarded as well.
    """
    out = frame.copy()
    for column in out.columns:
        if _is_text_column(out[column]):
            out[column] = out[column].map(neutralise_text, na_action="ignore")
    out.columns = [neutralise_text(c) for c in out.columns]
    return out


def frame_to_csv(frame: pd.DataFrame, path: Path | None = None) -> str:
    """``frame`` as formula-safe CSV text (UTF-8, CRLF rows, no index); also written to ``path``.

    Write the returned text yourself, or give ``path`` (written with a BOM-less UTF-8 encoding).
    """
    text = neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n")
    if path is not None:
        Path(path).write_text(text, encoding="utf-8", newline="")
    return str(text)
