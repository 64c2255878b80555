"""Coating and printing works (VOC materials), oil depots and filling stations."""

from __future__ import annotations

import numpy as np

from .model import Facility, Tank, VocUse
from .registry import Registry, _region_index, _year, make_facility

__all__ = ["coaters", "oil", "station_tanks", "voc_lines"]

# Counts per unit (order of REGIONS), multiplied by --scale (assumptions, docs/sample-data.md).
_COATERS = [6, 1, 1, 2, 1, 2, 1, 1, 5]
_STATIONS = [12, 5, 4, 4, 2, 4, 3, 3, 2]


def _scaled(counts: list[int], scale: float) -> list[int]:
    return [max(1, round(c * scale)) if c else 0 for c in counts]


_COATER_TRADES = [
    ("钢结构有限公司", "3311"),
    ("汽车配件有限公司", "3670"),
    ("家具有限公司", "2110"),
    ("印务有限公司", "2319"),
    ("包装有限公司", "2231"),
]


def _treatment(rng: np.random.Generator) -> tuple[str, float, float]:
    """(technology, capture %, treatment %) of a small VOC user in 2024 (assumptions)."""
    options = [
        ("活性炭吸附", 50.0, 60.0),
        ("吸附浓缩+催化燃烧", 70.0, 85.0),
        ("UV光解", 30.0, 20.0),
        ("RTO", 85.0, 95.0),
    ]
    name, capture, treat = options[int(rng.choice(4, p=[0.45, 0.25, 0.2, 0.1]))]
    return name, capture, treat


def voc_lines(rng: np.random.Generator, industry: str) -> list[VocUse]:
    """The VOC-containing materials of one coating or printing works, in t/yr (2024)."""
    tech, capture, treat = _treatment(rng)

    def use(line: str, material: str, kind: str, low: float, high: float, voc: float) -> VocUse:
        return VocUse(
            line, material, kind, round(rng.uniform(low, high), 1), voc, capture, tech, treat
        )

    if industry in ("3311", "3670"):
        return [
            use("喷涂线1", "工业涂料", "溶剂型", 20, 150, 55.0),
            use("喷涂线1", "稀释剂", "溶剂型", 5, 40, 100.0),
            use("喷涂线2", "工业涂料", "水性", 2, 30, 12.0),
            use("喷涂线1", "清洗剂", "溶剂型", 1, 5, 100.0),
        ]
    if industry == "2110":
        return [
            use("涂装线1", "工业涂料", "溶剂型", 10, 60, 60.0),
            use("涂装线1", "稀释剂", "溶剂型", 3, 20, 100.0),
            use("贴面线1", "胶粘剂", "溶剂型", 2, 10, 70.0),
        ]
    if industry == "2319":
        return [
            use("印刷线1", "油墨", "溶剂型", 10, 80, 60.0),
            use("印刷线2", "油墨", "水性", 5, 20, 15.0),
            use("印刷线1", "清洗剂", "溶剂型", 1, 6, 100.0),
            use("复合线1", "胶粘剂", "溶剂型", 5, 30, 65.0),
        ]
    return [
        use("印刷线1", "油墨", "水性", 5, 30, 10.0),
        use("糊盒线1", "胶粘剂", "水性", 5, 20, 5.0),
    ]


def coaters(reg: Registry, scale: float) -> list[Facility]:
    rng, out = reg.rng, []
    for i, n in enumerate(_scaled(_COATERS, scale)):
        for _ in range(n):
            trade, industry = _COATER_TRADES[int(rng.integers(len(_COATER_TRADES)))]
            hours = float(rng.choice([2400, 3600, 4800]))
            fac = make_facility(reg, i, trade, industry, hours, _year(rng, 2008, 2021))
            fac.voc_uses = voc_lines(rng, industry)
            out.append(fac)
    return out


def station_tanks(rng: np.random.Generator) -> list[Tank]:
    """Underground tanks of one filling station: petrol and diesel sales in t/yr (2024)."""
    petrol = round(rng.uniform(1500, 8000))
    diesel = round(rng.uniform(1000, 5000))
    return [
        Tank("汽油", "固定顶", 30, int(rng.integers(2, 5)), petrol, 0, "—", "二次油气回收", None),
        Tank("柴油", "固定顶", 30, int(rng.integers(1, 4)), diesel, 0, "—", "无", None),
    ]


def oil(reg: Registry, scale: float) -> list[Facility]:
    rng, out = reg.rng, []
    for region, petrol, diesel in (("150502", 25e4, 30e4), ("150581", 3e4, 10e4)):
        fac = make_facility(
            reg, _region_index(region), "石油储运有限公司", "5941", 8760, _year(rng, 1998, 2008)
        )
        fac.tanks += [
            Tank(
                "汽油",
                "内浮顶",
                5000,
                4,
                round(petrol * rng.uniform(0.95, 1.05)),
                round(petrol * 0.98),
                "底部装载",
                "油气回收处理装置",
                95.0,
            ),
            Tank(
                "柴油",
                "固定顶",
                5000,
                4,
                round(diesel * rng.uniform(0.95, 1.05)),
                round(diesel * 0.98),
                "顶部浸没式装载",
                "无",
                None,
            ),
        ]
        out.append(fac)
    for i, n in enumerate(_scaled(_STATIONS, scale)):
        for _ in range(n):
            fac = make_facility(reg, i, "加油站", "5265", 8760, _year(rng, 2000, 2020))
            fac.tanks = station_tanks(rng)
            out.append(fac)
    return out
