"""Split the sample into the workbooks consultants deliver, and write them.

Per survey year: one enterprise workbook per county-level unit (point-<code>.xlsx), one fleet
workbook, one non-road workbook, one area workbook. Each carries a 填表说明 sheet saying the
survey year and that the data are synthetic. Messes per file are listed in docs/sample-data.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from .codes import REGIONS
from .model import Facility
from .sheets import (
    AREA,
    BOILERS,
    FACILITIES,
    FACILITIES_DMS,
    FLEET,
    KILNS,
    MEASURED,
    NONROAD,
    TANKS,
    VOC,
    boiler_rows,
    facility_rows,
    kiln_rows,
    measured_rows,
    tank_rows,
    voc_rows,
)
from .writer import Column, Mess, write_sheet

__all__ = ["SYNTHETIC_NOTE", "new_workbook", "write_year"]

SYNTHETIC_NOTE = (
    "本工作簿为虚构的示例数据（SYNTHETIC sample data），企业名称、统一社会信用代码和全部数值均为"
    "生成的假设数据，不代表任何真实企业或通辽市的真实排放。"
)
_STANDARD_ROMAN = {
    "国0": "国前",
    "国1": "国Ⅰ",
    "国2": "国Ⅱ",
    "国3": "国Ⅲ",
    "国4": "国Ⅳ",
    "国5": "国Ⅴ",
    "国6": "国Ⅵ",
}
_STAGE_CHINESE = {"国0": "国前", "国1": "国一", "国2": "国二", "国3": "国三", "国4": "国四"}
_FILL_NOTE = "填表说明：1. 数值单位见表头；2. 百分比填写0-100之间的数值；3. 本表为虚构示例数据。"


def new_workbook(path: Path, year: int, title: str) -> xlsxwriter.Workbook:
    """A workbook with fixed document properties, so that a seed gives identical bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties(
        {
            "title": f"{year}年{title}（虚构示例数据）",
            "subject": "SYNTHETIC sample survey workbook of the inventory project",
            "author": "inventory scripts/make_sample.py",
            "created": datetime(year + 1, 3, 1),
        }
    )
    return wb


def _instructions(wb: xlsxwriter.Workbook, year: int, what: str) -> None:
    ws = wb.add_worksheet("填表说明")
    lines = [
        f"调查年度：{year}年",
        f"内容：{what}",
        SYNTHETIC_NOTE,
        "生成方法见 docs/sample-data.md（scripts/make_sample.py，固定随机种子）。",
    ]
    for r, line in enumerate(lines):
        ws.write_string(r, 0, line)
    ws.set_column(0, 0, 120)


_YEAR = Column("year", "年份", kind="number")


def _sheet(
    wb: xlsxwriter.Workbook,
    name: str,
    columns: list[Column],
    rows: list[dict[str, Any]],
    mess: Mess,
    year: int,
) -> None:
    """Write a sheet; one without a title row says its survey year in a leading 年份 column."""
    if not mess.title:
        columns = [_YEAR, *columns]
        rows = [{**r, "year": year} for r in rows]
    write_sheet(wb, name, columns, rows, mess)


def _point_mess(code: str, year: int, sheet: str, region_name: str) -> Mess:
    """The untidiness of one county's enterprise workbook (docs/sample-data.md lists it)."""
    if code == "150502":
        title = [
            f"{year}年通辽市{region_name}工业企业{sheet}调查表",
            "填报单位：（虚构）示例咨询公司    数据为虚构示例",
        ]
        extras: dict[str, dict[str, Any]] = {
            "锅炉": {"units_row": True, "total_keys": ["capacity_tph"]},
            "企业基本信息": {"serial": True},
        }
        extra = extras.get(sheet, {})
        return Mess(title=title, notes=[_FILL_NOTE], **extra)
    if code == "150581":
        return Mess(
            text_numbers={"fuel_use", "output", "throughput", "loading", "emission"},
            percent_text={"operating_rate"},
        )
    if code == "150525":
        return Mess(fullwidth={"hours", "operating_hours"})
    if code == "150521":
        return Mess(dates_as_text=True, half_brackets=(year == 2025))
    if code == "150571":
        return Mess(blank_every=4, hidden={"stack_height_m"}, trailing_space={"fuel", "status"})
    return Mess()


_POINT_SHEETS: list[tuple[str, list[Column], Callable[[list[Facility]], list[dict[str, Any]]]]] = [
    ("锅炉", BOILERS, boiler_rows),
    ("炉窑与工艺", KILNS, kiln_rows),
    ("含VOCs原辅材料", VOC, voc_rows),
    ("储罐与装载", TANKS, tank_rows),
    ("在线监测", MEASURED, measured_rows),
]


def _point_workbooks(out: Path, year: int, facilities: list[Facility]) -> None:
    for region in REGIONS:
        mine = [f for f in facilities if f.region_code == region.code]
        path = out / str(year) / f"point-{region.code}.xlsx"
        wb = new_workbook(path, year, f"{region.name}工业企业调查")
        columns = FACILITIES_DMS if region.code == "150525" else FACILITIES
        mess = _point_mess(region.code, year, "企业基本信息", region.name)
        _sheet(wb, "企业基本信息", columns, facility_rows(mine), mess, year)
        for sheet, cols, make_rows in _POINT_SHEETS:
            rows = make_rows(mine)
            if rows:
                write_sheet(
                    wb, sheet, cols, rows, _point_mess(region.code, year, sheet, region.name)
                )
        _instructions(
            wb,
            year,
            f"{region.name}（{region.code}）工业企业及其锅炉、炉窑、VOCs物料、储罐、在线监测",
        )
        wb.close()


def _with_names(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {r.code: r.name for r in REGIONS}
    return [{**r, "region_name": names[str(r["region_code"])]} for r in rows]


def _fleet_workbook(out: Path, year: int, fleet: list[dict[str, Any]]) -> None:
    wb = new_workbook(out / str(year) / "fleet.xlsx", year, "机动车保有量")
    rows = _with_names(fleet)
    if year == 2024:
        mess = Mess(
            title=[f"{year}年通辽市机动车保有量统计表", "数据来源：（虚构）示例 车管所导出"],
            subtotal_by="region_code",
            total_keys=["population"],
            text_numbers={"population", "vkt_km"},
        )
    else:
        rows = [
            {**r, "standard": _STANDARD_ROMAN.get(str(r["standard"]), r["standard"])} for r in rows
        ]
        mess = Mess(units_row=True, fullwidth={"vkt_km"}, notes=[_FILL_NOTE])
    _sheet(wb, "机动车保有量", FLEET, rows, mess, year)
    _instructions(wb, year, "机动车保有量（旗县区×车型×燃料×排放标准）")
    wb.close()


def _nonroad_workbook(out: Path, year: int, machines: list[dict[str, Any]]) -> None:
    wb = new_workbook(out / str(year) / "nonroad.xlsx", year, "非道路移动机械")
    rows = _with_names(machines)
    if year == 2024:
        rows = [{**r, "stage": _STAGE_CHINESE.get(str(r["stage"]), r["stage"])} for r in rows]
        mess = Mess(title=[f"{year}年通辽市非道路移动机械调查表"], fullwidth={"count"})
    else:
        mess = Mess(notes=[_FILL_NOTE], blank_every=50)
    _sheet(wb, "非道路移动机械", NONROAD, rows, mess, year)
    _instructions(wb, year, "非道路移动机械（工程机械与农业机械）")
    wb.close()


def _area_workbook(out: Path, year: int, area: list[dict[str, Any]]) -> None:
    wb = new_workbook(out / str(year) / "area.xlsx", year, "面源活动水平")
    mess = Mess(
        notes=[_FILL_NOTE],
        text_numbers={"activity"} if year == 2025 else set(),
        title=[f"{year}年通辽市面源活动水平汇总表"] if year == 2025 else [],
    )
    _sheet(wb, "面源活动水平", AREA, area, mess, year)
    _instructions(wb, year, "面源活动水平（民用燃料、秸秆焚烧、畜禽养殖、化肥、溶剂、扬尘、餐饮）")
    wb.close()


def write_year(
    out: Path,
    year: int,
    facilities: list[Facility],
    fleet: list[dict[str, Any]],
    nonroad: list[dict[str, Any]],
    area: list[dict[str, Any]],
) -> list[Path]:
    """Write all workbooks of survey `year` under out/<year>/; return their paths."""
    _point_workbooks(out, year, facilities)
    _fleet_workbook(out, year, fleet)
    _nonroad_workbook(out, year, nonroad)
    _area_workbook(out, year, area)
    return sorted((out / str(year)).glob("*.xlsx"))
