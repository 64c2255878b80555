"""The problem table: one row per bad cell (or row, sheet, file), collected all at once.

Validation steps never raise on bad data; they add rows here, column-wise (a boolean mask over a
sheet adds every failing cell in one call). The severity of a rule comes from the rule catalogue
(``factors/layouts/rules.csv``), so a rule code can never be reported without being documented.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from inventory.ingest.layouts import load_layout

__all__ = ["PROBLEM_COLUMNS", "ProblemLog", "column_letter", "write_problems"]

PROBLEM_COLUMNS = [
    "workbook",
    "sheet",
    "row",
    "column",
    "header",
    "value",
    "rule",
    "severity",
    "message",
    "hint",
]


def column_letter(index: int) -> str:
    """Excel column letter of a zero-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _as_list(value: Any, n: int) -> list[Any]:
    if isinstance(value, pd.Series):
        return list(value.to_numpy())
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] * n


class ProblemLog:
    """Collects problems of one workbook; ``frame()`` returns them as a table."""

    def __init__(self, workbook: str) -> None:
        self.workbook = workbook
        self._parts: list[pd.DataFrame] = []
        self._rules = load_layout().rules

    def severity(self, rule: str) -> str:
        """Severity of a rule code (KeyError for an undocumented code: a bug)."""
        return self._rules[rule].severity

    def add(
        self,
        rule: str,
        message: str,
        *,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        header: str = "",
        value: Any = "",
        hint: str = "",
    ) -> None:
        """Add one problem."""
        self.add_many(
            rule,
            message,
            sheet=sheet,
            rows=[row],
            column=column,
            header=header,
            values=[value],
            hint=hint,
        )

    def add_many(
        self,
        rule: str,
        message: str | Sequence[str] | pd.Series,
        *,
        sheet: str,
        rows: Sequence[int | None] | pd.Series,
        column: str | Sequence[str] | pd.Series = "",
        header: str | Sequence[str] | pd.Series = "",
        values: Sequence[Any] | pd.Series = (),
        hint: str | Sequence[str] | pd.Series = "",
    ) -> None:
        """Add one problem per entry of ``rows`` (other arguments: scalars or same length)."""
        n = len(rows)
        if n == 0:
            return
        severity = self.severity(rule)
        part = pd.DataFrame(
            {
                "workbook": self.workbook,
                "sheet": sheet,
                "row": pd.array(_as_list(rows, n), dtype="Int64"),
                "column": _as_list(column, n),
                "header": _as_list(header, n),
                "value": [_show(v) for v in (_as_list(values, n) if len(values) else [""] * n)],
                "rule": rule,
                "severity": severity,
                "message": _as_list(message, n),
                "hint": _as_list(hint, n),
            }
        )
        self._parts.append(part)

    def extend(self, frame: pd.DataFrame) -> None:
        """Add rows of another problem table."""
        if len(frame):
            self._parts.append(frame[PROBLEM_COLUMNS])

    def frame(self) -> pd.DataFrame:
        """Every problem so far, ordered by sheet, row and column."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})
        table = pd.concat(self._parts, ignore_index=True)
        order = table["column"].astype(str).str.len() * 1000
        table = table.assign(_c=order).sort_values(
            ["sheet", "row", "_c", "column"], kind="stable", na_position="first"
        )
        return table.drop(columns="_c").reset_index(drop=True)

    def errors(self) -> pd.DataFrame:
        """The problems of severity ``error``."""
        table = self.frame()
        return table[table["severity"] == "error"].reset_index(drop=True)

    def has_errors(self) -> bool:
        """Whether any error was recorded."""
        return any((part["severity"] == "error").any() for part in self._parts)


def _show(value: Any) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_problems(problems: pd.DataFrame, path: str | Path) -> Path:
    """Write the problem table to ``.xlsx`` (a styled sheet) or ``.csv`` (UTF-8 with BOM)."""
    target = Path(path)
    table = problems[PROBLEM_COLUMNS].copy()
    # A value that starts with = + - @ would be run as a formula by a spreadsheet program.
    for column in ("value", "header", "message", "hint", "sheet", "workbook"):
        text = table[column].astype(str)
        risky = text.str.match(r"^[=+\-@\t\r]") & (text.str.len() > 0)
        table.loc[risky, column] = "'" + text[risky]
    if target.suffix.lower() == ".csv":
        # CRLF rows: Python's csv quotes a field holding a bare CR only when CR ends rows, and
        # an unquoted CR starts a new row in Excel (whose first cell could be a formula)
        table.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        return target
    if target.suffix.lower() != ".xlsx":
        from inventory.errors import ConfigError

        raise ConfigError(
            f"{target.name}: an error report is written as .xlsx or .csv.",
            "Give --errors a file name ending in .xlsx or .csv.",
        )
    with pd.ExcelWriter(target, engine="xlsxwriter") as writer:
        table.to_excel(writer, sheet_name="problems", index=False)
        sheet = writer.sheets["problems"]
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(table), len(PROBLEM_COLUMNS) - 1)
        widths = [28, 16, 6, 7, 22, 22, 26, 9, 60, 50]
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
    return target
