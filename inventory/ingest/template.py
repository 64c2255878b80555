"""Write the blank survey workbook from the layout (openpyxl).

Every survey sheet gets a title row (naming the year when one is given, so the import finds it),
the header row with units, an example row (序号 = 示例, skipped on import), dropdown lists (data
validation) for coded columns from the vocabulary files and the region table, number formats,
codes formatted as text, and a frozen header. A 填表说明 sheet explains every column; a hidden
代码表 sheet holds the dropdown lists.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from inventory.ingest.codes import region_table
from inventory.ingest.layouts import ColumnSpec, Layout, SheetLayout, load_layout
from inventory.vocabulary import canonical_values

__all__ = ["write_template"]

TEMPLATE_ROWS = 5000
"""Rows below the header that carry the dropdowns and number formats."""
UNIT_CHOICES = {
    "mass": ["吨", "万吨", "千克"],
    "volume": ["立方米", "万立方米", "标立方米", "万标立方米", "升"],
    "energy": ["千瓦时", "万千瓦时", "吨标准煤"],
    "count": ["辆", "台", "头", "只"],
    "any": [
        "吨",
        "万吨",
        "立方米",
        "万立方米",
        "万千瓦时",
        "吨标准煤",
        "亩",
        "公顷",
        "公里",
        "头",
        "辆",
    ],
}
HIDDEN_COLUMNS = {"lon_deg", "lon_min", "lon_sec", "lat_deg", "lat_min", "lat_sec"}
SKIPPED_COLUMNS = {"unit", "change_date", "year"}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_EXAMPLE_FONT = Font(italic=True, color="808080")


def _choices(spec: ColumnSpec) -> list[str] | None:
    if spec.type == "term":
        values = list(canonical_values(spec.vocabulary))
        if spec.vocabulary == "control_technologies" and "无" not in values:
            values.insert(0, "无")
        return values
    if spec.type == "choice":
        return list(spec.choices)
    if spec.type == "region_code":
        return list(region_table()["code"])
    return None


def _template_columns(sheet: SheetLayout) -> list[tuple[str, ColumnSpec | None]]:
    """(header text, spec) in template order; a quantity is followed by its 计量单位 column."""
    columns: list[tuple[str, ColumnSpec | None]] = [("序号", None)]
    for spec in sheet.columns:
        if spec.name in HIDDEN_COLUMNS or spec.name in SKIPPED_COLUMNS:
            continue
        columns.append((spec.template_header, spec))
        if spec.type == "quantity":
            columns.append(("计量单位", spec))
    return columns


class _Lists:
    """The hidden 代码表 sheet: one column per dropdown list, referenced by data validations."""

    def __init__(self, workbook: Workbook, title: str) -> None:
        self.sheet = workbook.create_sheet(title)
        self.sheet.sheet_state = "hidden"
        self.ranges: dict[str, str] = {}

    def reference(self, name: str, values: list[str]) -> str:
        if name not in self.ranges:
            column = len(self.ranges) + 1
            letter = get_column_letter(column)
            self.sheet.cell(row=1, column=column, value=name)
            for row, value in enumerate(values, start=2):
                self.sheet.cell(row=row, column=column, value=value)
            last = len(values) + 1
            self.ranges[name] = f"'{self.sheet.title}'!${letter}$2:${letter}${last}"
        return self.ranges[name]


def _write_sheet(workbook: Workbook, sheet: SheetLayout, lists: _Lists, year: int | None) -> None:
    ws = workbook.create_sheet(sheet.name)
    columns = _template_columns(sheet)
    title = f"{year}年{sheet.name}调查表" if year else f"{sheet.name}调查表"
    ws.cell(row=1, column=1, value=f"{title}（{sheet.form}）").font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(2, len(columns)))
    for index, (header, spec) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=2, column=index, value=header)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if spec is not None and header != "计量单位" and spec.needs_header:
            cell.font = _REQUIRED_FONT
        ws.column_dimensions[letter].width = max(10, min(28, len(header) * 2 + 2))
        example = _example(spec, header)
        if example is not None:
            ws.cell(row=3, column=index, value=example).font = _EXAMPLE_FONT
        if spec is None:
            continue
        _format_column(ws, letter, spec, header)
        choices = (
            UNIT_CHOICES.get(spec.dimensions[0] if spec.dimensions else "any", UNIT_CHOICES["any"])
            if header == "计量单位"
            else _choices(spec)
        )
        if choices:
            name = (
                f"unit:{'|'.join(spec.dimensions)}"
                if header == "计量单位"
                else (spec.vocabulary or spec.name)
            )
            validation = DataValidation(
                type="list",
                formula1=lists.reference(name, choices),
                allow_blank=True,
                showErrorMessage=spec.type in ("region_code", "choice"),
                errorTitle="不在下拉列表中",
                error="请从下拉列表中选择。",
            )
            validation.add(f"{letter}3:{letter}{TEMPLATE_ROWS}")
            ws.add_data_validation(validation)
    ws.cell(row=3, column=1).value = "示例"
    ws.row_dimensions[2].height = 32
    ws.freeze_panes = "B3"


def _example(spec: ColumnSpec | None, header: str) -> object:
    if spec is None:
        return None
    if header == "计量单位":
        return spec.example_unit or None
    if not spec.example:
        return None
    if spec.type in ("number", "integer", "quantity", "percent", "fraction"):
        return float(spec.example) if "." in spec.example else int(spec.example)
    return spec.example


def _format_column(ws: object, letter: str, spec: ColumnSpec, header: str) -> None:
    formats = {
        "credit_code": "@",
        "region_code": "@",
        "industry_code": "@",
        "code": "@",
        "number": "#,##0.##",
        "integer": "#,##0",
        "quantity": "#,##0.###",
        "percent": "0.0#",
        "fraction": "0.00",
        "date": "yyyy-mm-dd",
    }
    number_format = "@" if header == "计量单位" else formats.get(spec.type)
    if number_format:
        for row in range(3, 60):
            ws.cell(row=row, column=_column_index(letter)).number_format = number_format  # type: ignore[attr-defined]
        ws.column_dimensions[letter].number_format = number_format  # type: ignore[attr-defined]


def _column_index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return int(column_index_from_string(letter))


def _write_instructions(workbook: Workbook, layout: Layout, year: int | None) -> None:
    ws = workbook.active
    assert ws is not None
    ws.title = layout.sheets["instructions"].name
    lines = [
        f"{year}年通辽市大气污染源排放清单调查表 填表说明"
        if year
        else "大气污染源排放清单调查表 填表说明",
        "1. 每个工作表第2行为表头，请勿修改表头；第3行（序号为“示例”）为填写示例，导入时自动跳过，可保留或删除。",
        "2. 红色粗体表头为必填项。代码（统一社会信用代码、行政区代码、行业代码、编号）请按文本填写，保留前导零。",
        "3. 数量列请在旁边的“计量单位”列注明单位（如 吨、万吨、万立方米、万千瓦时）；表头括号中已有单位的列按该单位填写。",
        "4. 百分比列填 35 或 35% 均表示 35%。无数据请留空（“无”“—”“/”均视为空）。",
        "5. 合计、小计行和表尾的注释行导入时自动跳过。日期可写 2024-05-01、2024年5月 或 2024。",
        "6. 导入命令：inventory import 本文件.xlsx [--year 年份] --errors 错误报告.xlsx；有任何错误时不导入任何数据。",
        "",
    ]
    for row, text in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=text).font = Font(bold=row == 1)
    start = len(lines) + 1
    header = ["工作表", "列（表头）", "必填", "单位", "可选值 / 说明"]
    for column, text in enumerate(header, start=1):
        ws.cell(row=start, column=column, value=text).fill = _HEADER_FILL
    row = start + 1
    for sheet in layout.sheets.values():
        if sheet.kind == "none":
            continue
        for spec in sheet.columns:
            if spec.name in HIDDEN_COLUMNS or spec.type == "unit":
                continue
            allowed = ""
            if spec.type == "term":
                allowed = "、".join(canonical_values(spec.vocabulary)[:20])
            elif spec.type == "choice":
                allowed = "、".join(spec.choices)
            required = {"key": "是（键）", "yes": "是"}.get(spec.required, "")
            if spec.blank_allowed_when is not None:
                when_column, when_values = spec.blank_allowed_when
                other = sheet.column(when_column).header if sheet.has(when_column) else when_column
                required = f"是（{other}为{'/'.join(when_values)}时可空）"
            if spec.group:
                required = "至少填一项"
            unit = (
                spec.unit
                if spec.type in ("number", "integer", "percent")
                else ("见计量单位列" if spec.type == "quantity" else "")
            )
            values = [
                sheet.name,
                spec.header,
                required,
                unit,
                "；".join(x for x in (allowed, spec.description) if x),
            ]
            for column, value in enumerate(values, start=1):
                ws.cell(row=row, column=column, value=value)
            row += 1
    for letter, width in zip("ABCDE", (16, 22, 10, 14, 90), strict=True):
        ws.column_dimensions[letter].width = width


def write_template(path: str | Path, year: int | None = None, layout: Layout | None = None) -> Path:
    """Write the blank survey workbook to ``path`` (.xlsx) and return the path."""
    target = Path(path)
    layout = layout or load_layout()
    workbook = Workbook()
    _write_instructions(workbook, layout, year)
    lists = _Lists(workbook, layout.sheets["lists"].name)
    for sheet in layout.sheets.values():
        if sheet.kind != "none":
            _write_sheet(workbook, sheet, lists, year)
    workbook.move_sheet(lists.sheet, offset=len(workbook.sheetnames))
    workbook.save(target)
    return target
