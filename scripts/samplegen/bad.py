"""The deliberately bad workbook: a small, otherwise valid 2025 survey of 开鲁县 with six
documented errors, one per cell (docs/sample-data.md, "The bad workbook", lists them)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .codes import CREDIT_ALPHABET, make_credit_code
from .sheets import BOILERS, FACILITIES
from .workbooks import new_workbook
from .writer import Column, write_sheet

__all__ = ["BAD_CELLS", "write_bad"]

_GOOD_1 = make_credit_code("150523", 900001)
_GOOD_2 = make_credit_code("150523", 900002)
_BAD_CHECK = make_credit_code("150523", 900003)
# Replace the check character by the next one of the alphabet: a wrong check digit.
_WRONG_CHECK = _BAD_CHECK[:17] + CREDIT_ALPHABET[(CREDIT_ALPHABET.index(_BAD_CHECK[17]) + 1) % 31]
_UNKNOWN_REGION_CODE = make_credit_code("150523", 900004)


def _letter(columns: list[Column], key: str) -> str:
    index = next(i for i, c in enumerate(columns) if c.key == key)
    return chr(ord("A") + index)


# (sheet, Excel row, column letter, header, value, what is wrong); the header is row 1.
BAD_CELLS: list[tuple[str, int, str, str, Any, str]] = [
    (
        "企业基本信息",
        4,
        _letter(FACILITIES, "credit_code"),
        "统一社会信用代码",
        _WRONG_CHECK,
        f"check character is {_WRONG_CHECK[17]}, GB 32100-2015 gives {_BAD_CHECK[17]}",
    ),
    (
        "企业基本信息",
        5,
        _letter(FACILITIES, "region_code"),
        "行政区代码",
        "150599",
        "no such region code (not in factors/regions.csv)",
    ),
    ("锅炉", 2, _letter(BOILERS, "fuel_use"), "燃料消耗量", -1250, "negative fuel use"),
    (
        "锅炉",
        3,
        _letter(BOILERS, "fuel_unit"),
        "计量单位",
        "万屯",
        "unit does not parse (a typo of 万吨)",
    ),
    (
        "锅炉",
        4,
        _letter(BOILERS, "operating_rate"),
        "治理设施投运率（%）",
        120,
        "percentage over 100",
    ),
    ("锅炉", 5, _letter(BOILERS, "fuel"), "燃料类型", "天然汽", "unknown fuel (close to 天然气)"),
]


def _facility(
    code: str, name: str, region: str, industry: str, lon: float, lat: float
) -> dict[str, Any]:
    return {
        "credit_code": code,
        "name": name,
        "region_code": region,
        "industry_code": industry,
        "lon": lon,
        "lat": lat,
        "operating_hours": 7200,
        "start_date": date(2012, 5, 1),
        "end_date": None,
        "status": "运行",
    }


def _coal(code: str, unit: str, fuel_use: float, fuel_unit: str, rate: float) -> dict[str, Any]:
    return {
        "credit_code": code,
        "unit_id": unit,
        "unit_type": "工业锅炉",
        "firing": "层燃炉",
        "capacity_tph": 10,
        "hours": 7200,
        "fuel": "燃煤",
        "fuel_use": fuel_use,
        "fuel_unit": fuel_unit,
        "sulfur_pct": 0.6,
        "ash_pct": 22.0,
        "desulf": "双碱法",
        "denox": "无",
        "dust": "袋式除尘",
        "low_nox": "否",
        "operating_rate": rate,
        "stack_id": "DA001",
        "stack_height_m": 35,
        "commissioned": date(2012, 5, 1),
    }


def write_bad(out: Path) -> Path:
    """Write out/bad/bad-2025-150523.xlsx and return its path."""
    path = out / "bad" / "bad-2025-150523.xlsx"
    wb = new_workbook(path, 2025, "开鲁县工业企业调查（含故意错误）")
    facilities = [
        _facility(_GOOD_1, "通辽开鲁示例乳业有限公司（虚构）", "150523", "1440", 121.31, 43.61),
        _facility(_GOOD_2, "通辽开鲁示例饲料有限公司（虚构）", "150523", "1329", 121.33, 43.59),
        _facility(
            _WRONG_CHECK, "通辽开鲁示例肉业有限公司（虚构）", "150523", "1351", 121.30, 43.62
        ),
        _facility(
            _UNKNOWN_REGION_CODE,
            "通辽开鲁示例建材有限公司（虚构）",
            "150599",
            "3021",
            121.34,
            43.58,
        ),
    ]
    write_sheet(wb, "企业基本信息", FACILITIES, facilities)
    gas = {
        **_coal(_GOOD_2, "1#锅炉", 180.5, "万立方米", 95.0),
        "firing": "燃气",
        "fuel": "天然汽",
        "sulfur_pct": None,
        "ash_pct": None,
        "desulf": "无",
        "dust": "无",
        "operating_rate": None,
        "capacity_tph": 4,
        "stack_height_m": 15,
    }
    boilers = [
        _coal(_GOOD_1, "1#锅炉", -1250, "吨", 95.0),
        _coal(_GOOD_1, "2#锅炉", 0.56, "万屯", 95.0),
        _coal(_GOOD_1, "3#锅炉", 5600, "吨", 120),
        gas,
    ]
    write_sheet(wb, "锅炉", BOILERS, boilers)
    ws = wb.add_worksheet("填表说明")
    ws.write_string(0, 0, "调查年度：2025年")
    ws.write_string(
        1, 0, "本工作簿故意包含6处错误，用于检验导入的错误报告；错误清单见 docs/sample-data.md。"
    )
    ws.write_string(2, 0, "虚构的示例数据（SYNTHETIC）。")
    wb.close()
    return path
