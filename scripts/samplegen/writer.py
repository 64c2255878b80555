"""Write one survey sheet with xlsxwriter, clean or messy the way consultants' files are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import xlsxwriter.workbook
import xlsxwriter.worksheet

__all__ = ["Column", "Mess", "write_sheet"]

_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass(frozen=True)
class Column:
    """One column: canonical key, Chinese header, unit (put in brackets or in a units row)
    and kind: text, code (text with leading zeros kept), number, date."""

    key: str
    header: str
    unit: str | None = None
    kind: str = "text"


@dataclass
class Mess:
    """The untidiness of one sheet (all off = a clean template-like sheet)."""

    title: list[str] = field(default_factory=list)  # rows above the header, first one merged
    units_row: bool = False  # units in a second header row instead of brackets
    half_brackets: bool = False  # "额定出力(蒸吨/小时)" rather than full-width brackets
    serial: bool = False  # a leading 序号 column
    total_keys: list[str] = field(default_factory=list)  # a 合计 row summing these columns
    subtotal_by: str | None = None  # a 小计 row (and a blank row) after each group of this key
    blank_every: int = 0  # a blank row after every n data rows
    notes: list[str] = field(default_factory=list)  # 填表说明 rows at the bottom
    text_numbers: set[str] = field(default_factory=set)  # numbers as text "12,345.6"
    fullwidth: set[str] = field(default_factory=set)  # numbers as full-width text "１２３"
    percent_text: set[str] = field(default_factory=set)  # percentages as text "97.5%"
    dates_as_text: bool = False  # dates as text "2012/6/30"
    hidden: set[str] = field(default_factory=set)  # hidden columns
    trailing_space: set[str] = field(default_factory=set)  # text values with a trailing space


class _Formats:
    def __init__(self, wb: xlsxwriter.workbook.Workbook) -> None:
        self.header = wb.add_format(
            {"bold": True, "text_wrap": True, "border": 1, "bg_color": "#DDEBF7"}
        )
        self.title = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.bold = wb.add_format({"bold": True})


def _header_text(col: Column, mess: Mess) -> str:
    if col.unit is None or mess.units_row:
        return col.header
    return f"{col.header}({col.unit})" if mess.half_brackets else f"{col.header}（{col.unit}）"


def _text_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _write_value(
    ws: xlsxwriter.worksheet.Worksheet,
    fmt: _Formats,
    row: int,
    c: int,
    col: Column,
    value: Any,
    mess: Mess,
) -> None:
    if value is None:
        return
    if isinstance(value, date):
        if mess.dates_as_text:
            ws.write_string(row, c, f"{value.year}/{value.month}/{value.day}")
        else:
            ws.write_datetime(row, c, datetime(value.year, value.month, value.day), fmt.date)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if col.key in mess.percent_text:
            ws.write_string(row, c, f"{value:g}%")
        elif col.key in mess.fullwidth:
            ws.write_string(row, c, f"{value:g}".translate(_FULLWIDTH))
        elif col.key in mess.text_numbers:
            ws.write_string(row, c, _text_number(value))
        else:
            ws.write_number(row, c, value)
    else:
        text = str(value)
        ws.write_string(row, c, text + " " if col.key in mess.trailing_space else text)


def write_sheet(
    wb: xlsxwriter.workbook.Workbook,
    name: str,
    columns: list[Column],
    rows: list[dict[str, Any]],
    mess: Mess | None = None,
) -> None:
    """Add sheet `name` with `columns` and `rows` (dicts by column key), untidy as `mess` says."""
    mess = mess or Mess()
    fmt = _Formats(wb)
    ws = wb.add_worksheet(name)
    offset = 1 if mess.serial else 0
    width = len(columns) + offset
    r = 0
    for k, line in enumerate(mess.title):
        if k == 0 and width > 1:
            ws.merge_range(r, 0, r, width - 1, line, fmt.title)
        else:
            ws.write_string(r, 0, line)
        r += 1
    if mess.serial:
        ws.write_string(r, 0, "序号", fmt.header)
    for c, col in enumerate(columns):
        ws.write_string(r, c + offset, _header_text(col, mess), fmt.header)
        ws.set_column(
            c + offset,
            c + offset,
            max(10, len(_header_text(col, mess)) * 2 + 2),
            None,
            {"hidden": col.key in mess.hidden},
        )
    r += 1
    if mess.units_row:
        for c, col in enumerate(columns):
            if col.unit:
                ws.write_string(r, c + offset, col.unit, fmt.header)
        r += 1
    ws.freeze_panes(r, 0)

    def total_row(label: str, subset: list[dict[str, Any]]) -> None:
        nonlocal r
        ws.write_string(r, 0, label, fmt.bold)
        for c, col in enumerate(columns):
            if col.key in mess.total_keys:
                total = sum(float(x.get(col.key) or 0) for x in subset)
                ws.write_number(r, c + offset, round(total, 2), fmt.bold)
        r += 1

    group: list[dict[str, Any]] = []
    for n, data in enumerate(rows, start=1):
        if mess.serial:
            ws.write_number(r, 0, n)
        for c, col in enumerate(columns):
            _write_value(ws, fmt, r, c + offset, col, data.get(col.key), mess)
        r += 1
        group.append(data)
        last_of_group = mess.subtotal_by is not None and (
            n == len(rows) or rows[n].get(mess.subtotal_by) != data.get(mess.subtotal_by)
        )
        if last_of_group:
            total_row("小计", group)
            group = []
            r += 1  # a blank row between groups
        elif mess.blank_every and n % mess.blank_every == 0 and n < len(rows):
            r += 1
    if mess.total_keys:
        total_row("合计", rows)
    if mess.notes:
        r += 1
        for line in mess.notes:
            ws.write_string(r, 0, line)
            r += 1
