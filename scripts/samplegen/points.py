"""The 2024 point sources of the sample: plants, boilers, kilns, VOC users, depots, stations.

Magnitudes are assumptions explained in docs/sample-data.md (section "Point sources"). Fuel use
follows from capacity and hours with the specific consumptions in boilers.py.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from .boilers import (
    LIGNITE_FLUE_NM3_PER_KG,
    _biomass_boiler,
    _coal_boiler,
    _gas_boiler,
    _oil_boiler,
    power_coal_10kt,
)
from .codes import REGIONS
from .model import Boiler, Facility
from .processes import industry_processes
from .registry import Registry, _region_index, _year, make_facility
from .voc_oil import coaters, oil

__all__ = ["build_facilities"]


def _power_plants(reg: Registry) -> list[Facility]:
    """The five large coal power and CHP plants (fixed, not scaled)."""
    rng = reg.rng
    specs = [
        # region, trade, industry, units, MW, t/h, firing, hours, ULE already in 2024 (per unit)
        ("150502", "发电有限公司", "4411", 4, 200, 670, "煤粉炉", 5200, [True, True, False, False]),
        ("150502", "热电有限公司", "4412", 2, 300, 1025, "煤粉炉", 5500, [True, False]),
        ("150571", "热电有限公司", "4412", 2, 135, 480, "流化床炉", 6000, [False, False]),
        ("150581", "铝电有限公司", "4411", 4, 350, 1160, "煤粉炉", 6800, [True, True, True, False]),
        ("150581", "热电有限公司", "4412", 2, 300, 1025, "流化床炉", 6000, [False, True]),
    ]
    plants = []
    for region, trade, industry, n, mw, tph, firing, hours, ule in specs:
        fac = make_facility(
            reg, _region_index(region), trade, industry, 8000, _year(rng, 1995, 2012)
        )
        for k in range(n):
            coal = power_coal_10kt(mw, hours) * rng.uniform(0.93, 1.05)
            nox = rng.uniform(38, 48) if ule[k] else rng.uniform(105, 150)
            so2 = rng.uniform(20, 32) if ule[k] else rng.uniform(55, 110)
            fac.boilers.append(
                Boiler(
                    unit_id=f"{k + 1}#炉",
                    unit_type="电站锅炉",
                    firing=firing,
                    capacity_tph=tph,
                    capacity_mw=mw,
                    hours=hours + round(rng.uniform(-300, 300)),
                    fuel="燃煤",
                    fuel_use=round(coal, 2),
                    fuel_unit="万吨",
                    sulfur_pct=round(rng.uniform(0.3, 0.8), 2),
                    ash_pct=round(rng.uniform(15, 25), 1),
                    desulf="石灰石-石膏湿法" if firing == "煤粉炉" else "半干法脱硫",
                    denox=("SCR" if firing == "煤粉炉" else "SNCR+SCR") if ule[k] else "SNCR",
                    dust="电袋复合除尘" if ule[k] else "静电除尘",
                    low_nox="是",
                    operating_rate=round(rng.uniform(96, 99.5), 1),
                    stack_id=f"DA{k // 2 + 1:03d}",
                    stack_height_m=210.0,
                    commissioned=date(fac.start_date.year + k // 2, 6, 30),
                    cems_mg_m3={"SO2": round(so2, 1), "NOx": round(nox, 1)},
                    flue_gas_per_unit_fuel=LIGNITE_FLUE_NM3_PER_KG,
                )
            )
        plants.append(fac)
    # A gas-turbine distributed-energy station in the zone (25 MW, heat-recovery steam 40 t/h).
    fac = make_facility(
        reg, _region_index("150571"), "分布式能源有限公司", "4412", 7000, date(2018, 10, 1)
    )
    turbine = _gas_boiler(rng, "1#燃机", "DA001", 40, 7000, fac.start_date)
    turbine.unit_type, turbine.capacity_mw = "燃气轮机", 25.0
    # 25 MW at 35 % electrical efficiency burns about three times the gas of a 40 t/h boiler.
    turbine.fuel_use = round(turbine.fuel_use * 3, 1)
    fac.boilers.append(turbine)
    plants.append(fac)
    return plants


# Counts per unit (order of REGIONS: 科尔沁区, 科左中旗, 科左后旗, 开鲁, 库伦, 奈曼, 扎鲁特,
# 霍林郭勒, 开发区), multiplied by --scale. Assumptions (docs/sample-data.md).
_HEATING_STATIONS = [10, 3, 3, 3, 2, 3, 2, 2, 4]
_HEAT_PLANTS = [1, 1, 1, 1, 1, 1, 1, 1, 0]
_INDUSTRIAL = [10, 4, 3, 4, 2, 3, 3, 2, 8]
_INSTITUTIONS = [6, 1, 1, 1, 1, 1, 1, 1, 1]
_GAS_AVAILABLE = {"150502", "150571", "150523", "150581"}


def _scaled(counts: list[int], scale: float) -> list[int]:
    return [max(1, round(c * scale)) if c else 0 for c in counts]


def _heating(reg: Registry, scale: float) -> list[Facility]:
    rng, out = reg.rng, []
    for i, n in enumerate(_scaled(_HEATING_STATIONS, scale)):
        for _ in range(n):
            fac = make_facility(reg, i, "供热站", "4430", 4300, _year(rng, 2000, 2015))
            for k in range(int(rng.integers(1, 4))):
                tph = float(rng.choice([4, 6, 10, 15, 20, 25, 30]))
                fac.boilers.append(
                    _coal_boiler(rng, f"{k + 1}#锅炉", "DA001", tph, 4300, fac.start_date)
                )
            out.append(fac)
    for i, n in enumerate(_scaled(_HEAT_PLANTS, scale)):
        for _ in range(n):
            fac = make_facility(reg, i, "热力有限公司", "4430", 4300, _year(rng, 2005, 2016))
            for k in range(int(rng.integers(2, 4))):
                tph = float(rng.choice([40, 65, 80, 100, 116]))
                fac.boilers.append(
                    _coal_boiler(
                        rng, f"{k + 1}#锅炉", f"DA00{k // 2 + 1}", tph, 4300, fac.start_date
                    )
                )
            out.append(fac)
    return out


_INDUSTRIAL_TRADES = [
    ("肉业有限公司", "1351"),
    ("乳业有限公司", "1440"),
    ("饲料有限公司", "1329"),
    ("酒业有限公司", "1511"),
    ("建材有限公司", "3021"),
    ("制药有限公司", "2710"),
]


def _industrial(reg: Registry, scale: float) -> list[Facility]:
    rng, out = reg.rng, []
    for i, n in enumerate(_scaled(_INDUSTRIAL, scale)):
        gas = REGIONS[i].code in _GAS_AVAILABLE
        for _ in range(n):
            trade, industry = _INDUSTRIAL_TRADES[int(rng.integers(len(_INDUSTRIAL_TRADES)))]
            hours = float(rng.choice([6000, 6600, 7200]))
            fac = make_facility(reg, i, trade, industry, hours, _year(rng, 2003, 2020))
            for k in range(int(rng.integers(1, 3))):
                kind = rng.choice(["coal", "gas", "biomass", "oil"], p=[0.5, 0.25, 0.2, 0.05])
                if kind == "gas" and not gas:
                    kind = "coal"
                uid = f"{k + 1}#锅炉"
                stack = f"DA00{k + 1}"
                if kind == "coal":
                    tph = float(rng.choice([2, 4, 6, 10, 15, 20]))
                    boiler = _coal_boiler(rng, uid, stack, tph, hours, fac.start_date)
                elif kind == "gas":
                    tph = float(rng.choice([1, 2, 4, 6, 10]))
                    boiler = _gas_boiler(rng, uid, stack, tph, hours, fac.start_date)
                elif kind == "biomass":
                    tph = float(rng.choice([4, 6, 10, 15]))
                    boiler = _biomass_boiler(rng, uid, stack, tph, hours, fac.start_date)
                else:
                    boiler = _oil_boiler(
                        rng, uid, stack, float(rng.choice([1, 2])), hours, fac.start_date
                    )
                fac.boilers.append(boiler)
            out.append(fac)
    for i, n in enumerate(_scaled(_INSTITUTIONS, scale)):
        for _ in range(n):
            trade, industry = (("医院", "8411"), ("宾馆有限公司", "6110"))[int(rng.integers(2))]
            fac = make_facility(reg, i, trade, industry, 4300, _year(rng, 2008, 2020))
            for k in range(int(rng.integers(1, 3))):
                tph = float(rng.choice([2, 4, 6]))
                if REGIONS[i].code in _GAS_AVAILABLE:
                    boiler = _gas_boiler(rng, f"{k + 1}#锅炉", "DA001", tph, 4300, fac.start_date)
                else:
                    boiler = _biomass_boiler(
                        rng, f"{k + 1}#锅炉", "DA001", tph, 4300, fac.start_date
                    )
                fac.boilers.append(boiler)
            out.append(fac)
    return out


def build_facilities(rng: np.random.Generator, scale: float = 1.0) -> list[Facility]:
    """Every point source of survey year 2024; `scale` multiplies the counts of the generic
    (non-fixed) enterprises: heating stations, heat plants, industrial boiler users,
    institutions, coating and printing works and filling stations."""
    reg = Registry(rng)
    return (
        _power_plants(reg)
        + industry_processes(reg)
        + _heating(reg, scale)
        + _industrial(reg, scale)
        + coaters(reg, scale)
        + oil(reg, scale)
    )
