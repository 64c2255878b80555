"""Area-source activity by county (sheet 面源活动水平): residential fuel, straw burning,
livestock, fertiliser, solvents, dust, catering.

City totals are assumptions except where docs/sample-data.md cites a statistic (population,
straw resource); 2025 applies the plan: scattered coal in 科尔沁区 and the zone to about zero
(measure 9), open straw burning down (measure 16).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .codes import REGIONS

__all__ = ["CATEGORIES", "RESIDENTIAL_NCV", "build_area", "change_area"]

# category: (unit, city total 2024, distribution key, note)
CATEGORIES: dict[str, tuple[str, float, str, str]] = {
    "民用散煤": ("吨", 520_000, "rural", "农村及城乡结合部居民取暖炊事散煤"),
    "民用秸秆": ("吨", 600_000, "rural", "户用炉灶秸秆"),
    "民用薪柴": ("吨", 150_000, "rural", "户用炉灶薪柴"),
    "民用液化石油气": ("吨", 20_000, "urban", ""),
    "民用天然气": ("万立方米", 9_000, "gas", "城镇居民管道天然气"),
    "秸秆露天焚烧-玉米": ("吨", 6_017_300 * 0.04, "farm", "露天焚烧秸秆量（估算）"),
    "畜禽养殖-肉牛": ("头", 3_000_000, "farm", "年末存栏"),
    "畜禽养殖-奶牛": ("头", 100_000, "farm", "年末存栏"),
    "畜禽养殖-生猪": ("头", 1_500_000, "farm", "年末存栏"),
    "畜禽养殖-羊": ("只", 3_500_000, "farm", "年末存栏"),
    "畜禽养殖-蛋鸡": ("只", 5_000_000, "farm", "年末存栏"),
    "畜禽养殖-肉鸡": ("只", 10_000_000, "farm", "年出栏"),
    "氮肥施用-尿素": ("吨", 250_000, "farm", "实物量"),
    "氮肥施用-碳铵": ("吨", 30_000, "farm", "实物量"),
    "氮肥施用-其他氮肥": ("吨", 300_000, "farm", "复合肥，实物量"),
    "建筑涂料": ("吨", 12_000, "urban", "建筑内外墙涂料使用量"),
    "汽车修补涂料": ("吨", 600, "urban", ""),
    "农药使用": ("吨", 4_000, "farm", "实物量"),
    "道路扬尘-铺装道路": ("万公里", 720_000, "people", "铺装道路机动车行驶里程"),
    "施工扬尘-建筑施工": ("公顷", 800, "urban", "在建施工面积"),
    "餐饮油烟": ("吨", 14_463, "urban", "餐饮业食用油消耗量"),
}
# Distribution keys by region (order of REGIONS); assumptions except "people" (population shares).
_RURAL = [0.12, 0.19, 0.15, 0.15, 0.06, 0.15, 0.11, 0.02, 0.05]
_URBAN = [0.48, 0.08, 0.07, 0.08, 0.03, 0.08, 0.06, 0.07, 0.05]
_FARM = [0.10, 0.20, 0.15, 0.17, 0.06, 0.15, 0.13, 0.01, 0.03]
_GAS = [0.75, 0.0, 0.0, 0.08, 0.0, 0.0, 0.0, 0.12, 0.05]


def _shares(key: str) -> list[float]:
    if key == "people":
        return [r.population_share for r in REGIONS]
    return {"rural": _RURAL, "urban": _URBAN, "farm": _FARM, "gas": _GAS}[key]


# Net calorific values of the household fuels (MJ/kg; MJ/m3 for piped gas), assumptions:
# scattered coal a lignite-bituminous mix 18.0; air-dried corn stalks 15.0; fuelwood 16.0;
# LPG 50.2 and natural gas 35.6 MJ/m3 (typical values; all of them assumptions).
RESIDENTIAL_NCV: dict[str, float] = {
    "民用散煤": 18.0,
    "民用秸秆": 15.0,
    "民用薪柴": 16.0,
    "民用液化石油气": 50.2,
    "民用天然气": 35.6,
}


def build_area(rng: np.random.Generator) -> list[dict[str, Any]]:
    """2024 rows: region_code, category, activity, unit, note."""
    rows: list[dict[str, Any]] = []
    for i, region in enumerate(REGIONS):
        for category, (unit, total, key, note) in CATEGORIES.items():
            value = total * _shares(key)[i] * rng.uniform(0.9, 1.1)
            if value <= 0:
                continue
            digits = 1 if value < 1000 else 0
            rows.append(
                {
                    "region_code": region.code,
                    "category": category,
                    "activity": round(value, digits),
                    "unit": unit,
                    "ncv_mj": RESIDENTIAL_NCV.get(category),
                    "note": note,
                }
            )
    return rows


# Relative change 2024 -> 2025 by category (assumptions following the plan's measures).
_CHANGE = {
    "秸秆露天焚烧-玉米": 0.025 / 0.04,
    "畜禽养殖-肉牛": 1.04,
    "氮肥施用-尿素": 0.98,
    "建筑涂料": 1.02,
    "道路扬尘-铺装道路": 1.02,
    "施工扬尘-建筑施工": 0.95,
    "民用天然气": 1.08,
}


def change_area(rows_2024: list[dict[str, Any]], rng: np.random.Generator) -> list[dict[str, Any]]:
    """2025 rows: clean heating in 科尔沁区 and the zone (scattered coal x 0.05), elsewhere
    scattered coal -5 %; open burning 4 % -> 2.5 % of the straw resource; other changes small."""
    out = []
    for row in rows_2024:
        category = str(row["category"])
        factor = _CHANGE.get(category, rng.uniform(0.98, 1.02))
        if category == "民用散煤":
            factor = 0.05 if row["region_code"] in ("150502", "150571") else 0.95
        value = float(row["activity"]) * factor
        out.append({**row, "activity": round(value, 1 if value < 1000 else 0)})
    return out
