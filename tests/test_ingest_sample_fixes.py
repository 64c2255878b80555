"""Survey columns the sample needed (issue 7): 低位发热量 in every unit the consultants use, a
blank standard for battery-electric vehicles, and a tank throughput header with its unit."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from inventory.ingest.layouts import load_layout
from inventory.ingest.workbook import parse_workbook

CODE = "91150522XY10106426"  # a synthetic credit code with a valid check character
REGIONS = {"150500": "通辽市", "150502": "科尔沁区"}
BOILER_HEAD = ["统一社会信用代码", "锅炉编号", "锅炉类型", "燃料类型", "燃料消耗量", "计量单位"]


def _workbook(tmp_path: Path, sheet: str, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["年份", *header])
    for row in rows:
        ws.append([2025, *row])
    path = tmp_path / "survey.xlsx"
    book.save(path)
    return path


def _parse(path: Path) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    parsed = parse_workbook(path, regions=REGIONS)
    problems = parsed.log.frame() if parsed.log is not None else pd.DataFrame()
    return {k: s.frame for k, s in parsed.sheets.items()}, problems


def test_ncv_in_kcal_and_kj_per_kg_is_stored_in_mj_per_kg(tmp_path: Path) -> None:
    rows = [
        [CODE, "1#", "工业锅炉", "燃煤", 1000, "吨", 5000],  # 5000 kcal/kg x 4.184 kJ/kcal
        [CODE, "2#", "工业锅炉", "生物质", 800, "吨", 3600],
    ]
    frames, problems = _parse(
        _workbook(tmp_path, "锅炉", [*BOILER_HEAD, "低位发热量（kcal/kg）"], rows)
    )
    boilers = frames["boilers"]
    assert problems.empty or not (problems["severity"] == "error").any()
    assert boilers["ncv_mj"].tolist() == pytest.approx([20.92, 15.0624])
    assert boilers["ncv_mj_unit"].tolist() == ["MJ/kg", "MJ/kg"]


def test_ncv_follows_the_fuel_when_the_header_gives_either_unit(tmp_path: Path) -> None:
    rows = [
        [CODE, "1#", "工业锅炉", "燃煤", 2.5, "万吨", 20.5],
        [CODE, "2#", "工业锅炉", "天然气", 120, "万立方米", 35.6],
        [CODE, "3#", "工业锅炉", "燃煤", 900, "吨", 5000],  # a kcal/kg figure: implausible
    ]
    frames, problems = _parse(
        _workbook(tmp_path, "锅炉", [*BOILER_HEAD, "低位发热量（MJ/kg或MJ/m3）"], rows)
    )
    boilers = frames["boilers"]
    assert boilers["ncv_mj"].iloc[:2].tolist() == [20.5, 35.6]
    assert boilers["ncv_mj_unit"].iloc[:2].tolist() == ["MJ/kg", "MJ/m3"]
    errors = problems[problems["severity"] == "error"]
    assert errors[["row", "column", "rule"]].values.tolist() == [[4, "H", "value.out_of_range"]]


def test_ncv_per_kg_beside_gas_in_m3_is_a_dimension_error(tmp_path: Path) -> None:
    rows = [[CODE, "1#", "工业锅炉", "天然气", 120, "万立方米", 35.6]]
    _, problems = _parse(_workbook(tmp_path, "锅炉", [*BOILER_HEAD, "低位发热量（MJ/kg）"], rows))
    errors = problems[problems["severity"] == "error"]
    assert errors[["row", "column", "rule"]].values.tolist() == [[2, "H", "unit.dimension"]]


def test_standard_may_be_blank_only_for_battery_electric_vehicles(tmp_path: Path) -> None:
    header = ["行政区代码", "车型", "燃料类型", "排放标准", "保有量"]
    rows = [
        ["150502", "小型载客汽车", "纯电动", None, 1200],
        ["150502", "公交车", "电动", "—", 80],  # an alias of 纯电动 and a dash for blank
        ["150502", "小型载客汽车", "汽油", None, 5000],
    ]
    frames, problems = _parse(_workbook(tmp_path, "机动车保有量", header, rows))
    errors = problems[problems["severity"] == "error"]
    assert errors[["row", "column", "rule"]].values.tolist() == [[4, "E", "value.required"]]
    assert frames["vehicles"]["fuel"].tolist() == ["纯电动", "纯电动", "汽油"]


def test_stage_may_be_blank_for_electric_machines(tmp_path: Path) -> None:
    header = ["行政区代码", "机械类别", "燃料类型", "排放阶段", "数量"]
    rows = [["150502", "叉车", "电", None, 40], ["150502", "叉车", "柴油", None, 10]]
    _, problems = _parse(_workbook(tmp_path, "非道路移动机械", header, rows))
    errors = problems[problems["severity"] == "error"]
    assert errors[["row", "column", "rule"]].values.tolist() == [[3, "E", "value.required"]]


def test_tank_throughput_header_keeps_its_unit(tmp_path: Path) -> None:
    header = ["统一社会信用代码", "物料名称", "储罐类型", "年周转量（吨）"]
    frames, problems = _parse(
        _workbook(tmp_path, "储罐与装载", header, [[CODE, "汽油", "固定顶", 5863]])
    )
    assert problems.empty or not (problems["severity"] == "error").any()
    assert frames["tanks"]["throughput"].tolist() == [5863]
    assert frames["tanks"]["throughput_unit"].tolist() == ["吨"]


def test_no_quantity_alias_carries_a_unit_in_brackets() -> None:
    """An alias such as 年周转量(吨) would match the whole header and drop its unit."""
    for sheet in load_layout().sheets.values():
        for spec in sheet.columns:
            if spec.type in ("quantity", "calorific"):
                assert not [a for a in spec.aliases if "(" in a or "（" in a], spec.name
