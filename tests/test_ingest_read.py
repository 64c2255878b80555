"""Reading messy survey workbooks: headers, units, numbers, skipped rows, formats, refusals.

Every workbook is written by the test itself (openpyxl, xlwt for .xls, odfpy for .ods).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from inventory.errors import WorkbookRefused
from inventory.ingest.codes import credit_check_character, region_table
from inventory.ingest.guard import ImportLimits
from inventory.ingest.workbook import parse_workbook

CC = "91150502MA0N2X1Y5" + credit_check_character("91150502MA0N2X1Y5")
CC2 = "91150525MA0P12345" + credit_check_character("91150525MA0P12345")
REGIONS = dict(zip(region_table()["code"], region_table()["name"], strict=True))


def write_book(
    path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    workbook.save(path)
    return path


def problems(parsed) -> list[tuple[str, int | None, str, str, str]]:  # type: ignore[no-untyped-def]
    table = parsed.log.frame()
    return [
        (r.sheet, None if pd.isna(r.row) else int(r.row), r.column, r.rule, r.value)
        for r in table.itertuples(index=False)
    ]


FACILITY_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行政区代码",
    "行业类别代码",
    "中心经度",
    "中心纬度",
]


def test_messy_boiler_sheet_loads_exact_rows_and_values(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "messy.xlsx",
        {
            "企业基本信息": [
                ["2025年通辽市科尔沁区工业企业调查表"],
                [
                    " 统一社会信用代码 ",
                    "企业名称",
                    "行政区代码",
                    "行业类别代码",
                    "中心经度",
                    None,
                    None,
                    "中心纬度",
                ],
                [None, None, None, None, "度", "分", "秒", None],
                [CC, "示例热电", 150502, "4430", 122, 15, 49.2, "43°39′09″"],
                ["合计", None, None],
                ["注：1. 本表由企业填写。"],
                ["2. 代码按文本填写。"],
            ],
            "2025年锅炉调查表": [
                ["2025年通辽市科尔沁区工业企业锅炉调查表"],
                [
                    "序号",
                    "统一社会信用代码",
                    "锅炉编号",
                    "锅炉类型",
                    "燃烧方式",
                    "额定出力（蒸吨/小时）",
                    "燃料类型",
                    "燃料消耗量",
                    None,
                    "收到基含硫量(%)",
                    "脱硫工艺",
                    "是否低氮燃烧",
                    "治理设施投运率（%）",
                ],
                [None, None, None, None, None, None, None, "数量", "计量单位"],
                [
                    1,
                    CC,
                    "001",
                    "工业锅炉",
                    "（3）层燃炉",
                    " 20 ",
                    "原煤",
                    "12,345.6",
                    "吨",
                    "0.8",
                    "石灰石-石膏湿法",
                    "否",
                    "95%",
                ],
                [None] * 13,
                [
                    2,
                    CC,
                    "002",
                    "工业锅炉",
                    "层燃炉",
                    "２０",
                    "天然气",
                    "１２３",
                    "万立方米",
                    "无",
                    "—",
                    "是",
                    95,
                ],
                [None, "小计", None, None, None, None, None, 12468.6],
            ],
        },
        merges={"企业基本信息": ["E2:G2"], "2025年锅炉调查表": ["H2:I2"]},
    )
    parsed = parse_workbook(path, regions=REGIONS)
    assert problems(parsed) == [
        ("2025年锅炉调查表", 7, "", "row.total_skipped", "小计"),
        ("企业基本信息", 5, "", "row.total_skipped", "合计"),
        ("企业基本信息", 6, "", "row.note_skipped", "注:1.本表由企业填写。"),
        ("企业基本信息", 7, "", "row.note_skipped", "2.代码按文本填写。"),
    ]
    assert parsed.years_found == {2025: "title of sheet '企业基本信息'"}
    facilities = parsed.sheets["facilities"].frame
    assert facilities["credit_code"].tolist() == [CC]
    assert facilities["region_code"].tolist() == ["150502"]
    # 122 + 15/60 + 49.2/3600 and 43 + 39/60 + 9/3600
    assert facilities["lon"].iloc[0] == pytest.approx(122.2636667, abs=1e-6)
    assert facilities["lat"].iloc[0] == pytest.approx(43.6525, abs=1e-6)
    boilers = parsed.sheets["boilers"].frame
    assert boilers["_row"].tolist() == [4, 6]
    assert boilers["unit_id"].tolist() == ["001", "002"]
    assert boilers["firing"].tolist() == ["层燃炉", "层燃炉"]
    assert boilers["fuel"].tolist() == ["燃煤", "天然气"]
    assert boilers["fuel_use"].tolist() == [12345.6, 123.0]
    assert boilers["fuel_use_unit"].tolist() == ["吨", "万立方米"]
    assert boilers["capacity_tph"].tolist() == [20.0, 20.0]
    assert boilers["sulfur_pct"].iloc[0] == 0.8 and pd.isna(boilers["sulfur_pct"].iloc[1])
    assert boilers["desulf"].tolist() == ["石灰石-石膏湿法", None]
    assert boilers["low_nox"].tolist() == [False, True]
    assert boilers["operating_rate"].tolist() == [95.0, 95.0]
    assert not boilers["_rejected"].any()
    assert parsed.sheets["boilers"].skipped == 1


def test_units_row_and_header_units_convert(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "units.xlsx",
        {
            "锅炉": [
                [
                    "统一社会信用代码",
                    "锅炉编号",
                    "锅炉类型",
                    "装机容量",
                    "燃料类型",
                    "燃料消耗量",
                    "年运行时间",
                ],
                [None, None, None, "万千瓦", None, "（万吨）", "(h)"],
                [CC, "1", "电站锅炉", 3, "燃煤", 1.5, 5000],
            ]
        },
    )
    frame = parse_workbook(path, regions=REGIONS).sheets["boilers"].frame
    assert frame["capacity_mw"].tolist() == [pytest.approx(30.0)]  # 3 万千瓦 = 30 MW
    assert frame["fuel_use"].tolist() == [1.5]
    assert frame["fuel_use_unit"].tolist() == ["万吨"]
    assert frame["hours"].tolist() == [5000.0]


def test_every_bad_cell_is_reported_at_once(tmp_path: Path) -> None:
    bad_check = CC[:-1] + ("0" if CC[-1] != "0" else "1")
    path = write_book(
        tmp_path / "bad.xlsx",
        {
            "企业基本信息": [
                [
                    "统一社会信用代码",
                    "企业名称",
                    "行政区代码",
                    "行业类别代码",
                    "中心经度",
                    "中心纬度",
                    "投产日期",
                    "关停日期",
                ],
                [bad_check, "甲", "150599", "Z12", 122.2, 43.6, "2019年5月", "2018-01-01"],
                [9.11505e17, "乙", "科尔沁区", 111, 43.6, 122.2, None, None],
                [CC, "丙", "150502", "C2511", 200, 43.6, None, None],
            ],
            "锅炉": [
                [
                    "统一社会信用代码",
                    "锅炉编号",
                    "锅炉类型",
                    "额定出力（蒸吨/小时）",
                    "燃料类型",
                    "燃料消耗量",
                    "计量单位",
                    "收到基含硫量（%）",
                ],
                [CC2, "1", "工业锅妒", "abc", "天燃气", -5, "万吨", 120],
                [CC2, "2", "工业锅炉", 10, "天然气", 5, "吨", 1],
                [CC2, "3", "工业锅炉", 10, "燃煤", 5, "桶", 1],
                [CC2, "4", "工业锅炉", 10, "燃煤", 5, None, 1],
                [CC2, None, "工业锅炉", 10, "燃煤", None, None, 1],
            ],
        },
    )
    parsed = parse_workbook(path, regions=REGIONS)
    from inventory.ingest.crosscheck import StoreState, check_cross_sheet

    check_cross_sheet(parsed.sheets, StoreState(), 2025, parsed.log)
    found = [(s, r, c, rule) for s, r, c, rule, _ in problems(parsed)]
    assert found == [
        ("企业基本信息", 2, "A", "code.credit_checksum"),
        ("企业基本信息", 2, "C", "code.region_unknown"),
        ("企业基本信息", 2, "D", "code.industry_format"),
        ("企业基本信息", 2, "H", "date.end_before_start"),
        ("企业基本信息", 3, "A", "code.as_number"),
        ("企业基本信息", 3, "D", "code.leading_zero_lost"),
        ("企业基本信息", 3, "E", "coord.swapped"),
        ("企业基本信息", 4, "E", "coord.out_of_region"),
        ("锅炉", 2, "A", "xsheet.unknown_facility"),
        ("锅炉", 2, "C", "value.unknown_term"),
        ("锅炉", 2, "D", "value.not_number"),
        ("锅炉", 2, "E", "value.unknown_term"),
        ("锅炉", 2, "F", "value.negative"),
        ("锅炉", 2, "H", "value.out_of_range"),
        ("锅炉", 3, "A", "xsheet.unknown_facility"),
        ("锅炉", 3, "G", "unit.dimension"),
        ("锅炉", 4, "A", "xsheet.unknown_facility"),
        ("锅炉", 4, "G", "unit.unknown"),
        ("锅炉", 5, "A", "xsheet.unknown_facility"),
        ("锅炉", 5, "F", "unit.missing"),
        ("锅炉", 6, "A", "xsheet.unknown_facility"),
        ("锅炉", 6, "B", "value.required"),
        ("锅炉", 6, "F", "value.required"),
    ]
    assert parsed.sheets["boilers"].frame["_rejected"].all()
    assert parsed.sheets["facilities"].frame["_rejected"].tolist() == [True, True, True]
    table = parsed.log.frame().set_index(["sheet", "row", "column"])
    assert table.loc[("锅炉", 2, "C"), "hint"] == "Did you mean 工业锅炉?"
    assert table.loc[("锅炉", 2, "E"), "hint"] == "Did you mean 天然气?"
    assert "立方米" in table.loc[("锅炉", 3, "G"), "hint"]
    # 科尔沁区 written as a name is read as its code
    assert parsed.sheets["facilities"].frame["region_code"].tolist() == [None, "150502", "150502"]


def test_missing_and_unknown_headers_suggest_the_nearest(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "h.xlsx",
        {
            "机动车保有量": [
                ["行政区代码", "车形", "燃料类型", "排放标准", "保有量"],
                ["150502", "公交车", "柴油", "国5", 10],
            ]
        },
    )
    parsed = parse_workbook(path, regions=REGIONS)
    table = parsed.log.frame()
    assert table["rule"].tolist() == ["header.missing", "header.unknown"]
    assert table["hint"].iloc[0].startswith("Did you mean column B (车形)?")
    assert table["hint"].iloc[1].startswith("Did you mean 车型?")


def test_xls_ods_and_csv_folders_read_the_same(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    rows = [
        ["行政区代码", "车型", "燃料类型", "排放标准", "保有量（辆）"],
        ["150502", "公交车", "柴油", "国Ⅴ", "1,200"],
    ]
    book = xlwt.Workbook()
    sheet = book.add_sheet("机动车保有量")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "fleet2024.xls"))
    pytest.importorskip("odf")
    with pd.ExcelWriter(tmp_path / "fleet2024.ods", engine="odf") as writer:
        pd.DataFrame(rows[1:], columns=rows[0]).to_excel(
            writer, sheet_name="机动车保有量", index=False
        )
    for folder, encoding in (("utf8", "utf-8-sig"), ("gbk", "gb18030")):
        (tmp_path / folder).mkdir()
        text = "\n".join(",".join(f'"{v}"' for v in row) for row in rows)
        (tmp_path / folder / "机动车保有量.csv").write_bytes(text.encode(encoding))
    for path in ("fleet2024.xls", "fleet2024.ods", "utf8", "gbk"):
        parsed = parse_workbook(tmp_path / path, regions=REGIONS)
        frame = parsed.sheets["vehicles"].frame
        assert frame[["vehicle_class", "standard", "population"]].values.tolist() == [
            ["公交车", "国5", 1200.0]
        ], path
        assert parsed.log.frame().empty, path


def test_year_from_file_name_when_nothing_else_says(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "面源2024.xlsx",
        {"面源": [["行政区代码", "源类别", "活动水平（吨）"], ["150502", "民用散煤", 100]]},
    )
    assert parse_workbook(path, regions=REGIONS).years_found == {2024: "file name"}


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("notes.txt", b"hello", "file.not_spreadsheet"),
        ("fake.xlsx", b"just text, not a workbook", "file.not_spreadsheet"),
        ("macro.xlsm", b"PK\x03\x04anything", "file.macro_enabled"),
        (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "file.encrypted",
        ),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 60, "file.corrupt"),
    ],
)
def test_refused_files_say_why(tmp_path: Path, name: str, content: bytes, rule: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookRefused) as caught:
        parse_workbook(path, regions=REGIONS)
    assert caught.value.rule == rule
    if rule == "file.macro_enabled":
        assert "macros are never run" in str(caught.value)


def test_vba_project_inside_an_xlsx_is_refused(tmp_path: Path) -> None:
    path = write_book(tmp_path / "book.xlsx", {"锅炉": [["a"]]})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00")
    with pytest.raises(WorkbookRefused) as caught:
        parse_workbook(path, regions=REGIONS)
    assert caught.value.rule == "file.macro_enabled"


def test_size_and_cell_limits(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "big.xlsx",
        {
            "面源": [["行政区代码", "源类别", "活动水平（吨）"]]
            + [["150502", "民用散煤", i] for i in range(50)]
        },
    )
    with pytest.raises(WorkbookRefused) as caught:
        parse_workbook(path, regions=REGIONS, limits=ImportLimits(max_unpacked_mb=0.001))
    assert caught.value.rule == "file.too_large"
    with pytest.raises(WorkbookRefused) as caught:
        parse_workbook(path, regions=REGIONS, limits=ImportLimits(max_cells=100))
    assert caught.value.rule == "file.too_many_cells"


def test_formula_without_cached_value_is_an_error(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "f.xlsx",
        {
            "面源": [
                ["行政区代码", "源类别", "活动水平（吨）"],
                ["150502", "民用散煤", 10],
                ["150502", "民用型煤", "=C2*2"],
            ]
        },
    )
    parsed = parse_workbook(path, regions=REGIONS)
    # the formula cell reads as blank, so the required value is missing too
    assert [(s, r, c, rule) for s, r, c, rule, _ in problems(parsed)] == [
        ("面源", 3, "C", "cell.formula_no_value"),
        ("面源", 3, "C", "value.required"),
    ]


def test_dates_in_every_spelling(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "d.xlsx",
        {
            "企业基本信息": [
                ["统一社会信用代码", "企业名称", "行政区代码", "投产日期"],
                [CC, "a", "150502", dt.datetime(2012, 6, 1)],
                [CC2, "b", "150525", "2013年7月"],
                [
                    "91150502MA0N2X1Y6" + credit_check_character("91150502MA0N2X1Y6"),
                    "c",
                    "150502",
                    2014,
                ],
                [
                    "91150502MA0N2X1Y7" + credit_check_character("91150502MA0N2X1Y7"),
                    "d",
                    "150502",
                    "2015.3.9",
                ],
                [
                    "91150502MA0N2X1Y8" + credit_check_character("91150502MA0N2X1Y8"),
                    "e",
                    "150502",
                    "去年",
                ],
            ]
        },
    )
    parsed = parse_workbook(path, regions=REGIONS)
    dates = parsed.sheets["facilities"].frame["start_date"].tolist()
    assert dates == [
        dt.date(2012, 6, 1),
        dt.date(2013, 7, 1),
        dt.date(2014, 1, 1),
        dt.date(2015, 3, 9),
        None,
    ]
    assert [(r, rule) for _, r, _, rule, _ in problems(parsed)] == [(6, "value.not_date")]
