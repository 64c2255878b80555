"""Fictional enterprises: credit codes, names and places handed out without repeats."""

from __future__ import annotations

from datetime import date

import numpy as np

from .codes import REGIONS, make_credit_code
from .model import Facility

__all__ = ["FICTIONAL", "Registry", "make_facility"]

_NAME_WORDS = [
    "宏达",
    "金源",
    "瑞丰",
    "华泰",
    "鑫盛",
    "兴隆",
    "恒通",
    "东方",
    "北疆",
    "草原",
    "蒙东",
    "塞北",
    "银河",
    "顺达",
    "嘉禾",
    "远航",
    "天成",
    "丰泽",
    "广源",
    "新元",
    "博瑞",
    "立信",
    "安泰",
    "昌盛",
    "富达",
    "长青",
    "明远",
    "正阳",
    "德润",
    "盛世",
    "恒信",
    "永兴",
    "光华",
    "弘毅",
    "聚源",
    "润泽",
    "旭日",
    "万和",
    "宝丰",
    "泰和",
]
FICTIONAL = "（虚构）"
_SHORT_NAMES = {
    "科尔沁区": "科尔沁",
    "科尔沁左翼中旗": "科左中旗",
    "科尔沁左翼后旗": "科左后旗",
    "开鲁县": "开鲁",
    "库伦旗": "库伦",
    "奈曼旗": "奈曼",
    "扎鲁特旗": "扎鲁特",
    "霍林郭勒市": "霍林郭勒",
    "通辽经济技术开发区": "开发区",
}


class Registry:
    """Hands out credit codes, fictional names and stack numbers without repeats."""

    def __init__(self, rng: np.random.Generator, first_serial: int = 0) -> None:
        self.rng = rng
        self.serial = first_serial
        self.used_names: set[str] = set()

    def code(self, region_code: str) -> str:
        self.serial += 1
        return make_credit_code(region_code, 100000 + self.serial * 7)

    def name(self, region_name: str, trade: str) -> str:
        short = _SHORT_NAMES.get(region_name, region_name)
        for _ in range(200):
            word = str(self.rng.choice(_NAME_WORDS))
            candidate = f"通辽{short}{word}{trade}{FICTIONAL}"
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate
        self.serial += 1
        candidate = f"通辽{short}{trade}{self.serial}{FICTIONAL}"
        self.used_names.add(candidate)
        return candidate


def make_facility(
    reg: Registry, region_index: int, trade: str, industry: str, hours: float, start: date
) -> Facility:
    region = REGIONS[region_index]
    lon, lat = region.place(reg.rng)
    return Facility(
        credit_code=reg.code(region.code),
        name=reg.name(region.name, trade),
        region_code=region.code,
        industry_code=industry,
        lon=lon,
        lat=lat,
        operating_hours=hours,
        start_date=start,
    )


def _year(rng: np.random.Generator, first: int, last: int) -> date:
    return date(int(rng.integers(first, last + 1)), int(rng.integers(1, 13)), 1)


def _region_index(code: str) -> int:
    return next(i for i, r in enumerate(REGIONS) if r.code == code)
