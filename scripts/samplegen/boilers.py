"""Boilers of each fuel with the fuel use and controls typical of their size in 2024."""

from __future__ import annotations

from datetime import date

import numpy as np

from .model import Boiler

__all__ = ["LIGNITE_FLUE_NM3_PER_KG", "coal_t_per_tph_hour", "power_coal_10kt"]

# Specific consumptions (assumptions, see the docs): a boiler at 60 % mean load needs per hour
# of operation and per t/h of rating 0.105 t of 20 GJ/t coal, 58.8 m3 of natural gas,
# 0.14 t of biomass, 0.049 t of diesel (2.8 GJ per t of steam, 80 % efficiency).
coal_t_per_tph_hour = 0.105
_GAS_M3_PER_TPH_HOUR = 58.8
_BIOMASS_T_PER_TPH_HOUR = 0.14
_OIL_T_PER_TPH_HOUR = 0.049
# Lignite in power plants: 14 GJ/t at 38 % net efficiency; flue gas 5.8 Nm3 per kg (assumption).
_LIGNITE_GJ_PER_T = 14.0
_POWER_EFFICIENCY = 0.38
LIGNITE_FLUE_NM3_PER_KG = 5.8


def power_coal_10kt(mw: float, hours: float) -> float:
    """Lignite burned by a power unit of `mw` megawatts running `hours` h, in 万吨."""
    gj = mw * 1000 * hours * 3.6 / 1000 / _POWER_EFFICIENCY
    return gj / _LIGNITE_GJ_PER_T / 1e4


def _coal_boiler(
    rng: np.random.Generator, unit_id: str, stack: str, tph: float, hours: float, start: date
) -> Boiler:
    """A coal boiler with controls typical of its size in 2024 (before the plan's measures)."""
    big = tph > 65
    coal_t = tph * hours * coal_t_per_tph_hour * rng.uniform(0.85, 1.15)
    unit = "万吨" if coal_t >= 20000 else "吨"
    return Boiler(
        unit_id=unit_id,
        unit_type="工业锅炉",
        firing="流化床炉" if tph >= 65 else "层燃炉",
        capacity_tph=tph,
        hours=hours,
        fuel="燃煤",
        fuel_use=round(coal_t / 1e4, 2) if unit == "万吨" else round(coal_t),
        fuel_unit=unit,
        sulfur_pct=round(rng.uniform(0.4, 1.0), 2),
        ash_pct=round(rng.uniform(16, 28), 1),
        desulf="石灰石-石膏湿法" if big else str(rng.choice(["双碱法", "双碱法", "无"])),
        denox="SNCR" if tph >= 35 else "无",
        dust="袋式除尘" if tph >= 20 else str(rng.choice(["袋式除尘", "水膜除尘"])),
        low_nox="否",
        operating_rate=round(rng.uniform(85, 98), 1),
        stack_id=stack,
        stack_height_m=float(60 if big else rng.choice([30, 35, 40, 45])),
        commissioned=start,
    )


def _gas_boiler(
    rng: np.random.Generator, unit_id: str, stack: str, tph: float, hours: float, start: date
) -> Boiler:
    m3 = tph * hours * _GAS_M3_PER_TPH_HOUR * rng.uniform(0.85, 1.15)
    return Boiler(
        unit_id=unit_id,
        unit_type="工业锅炉",
        firing="燃气",
        capacity_tph=tph,
        hours=hours,
        fuel="天然气",
        fuel_use=round(m3 / 1e4, 1),
        fuel_unit="万立方米",
        low_nox="否",
        stack_id=stack,
        stack_height_m=float(rng.choice([15, 20, 25])),
        commissioned=start,
    )


def _biomass_boiler(
    rng: np.random.Generator, unit_id: str, stack: str, tph: float, hours: float, start: date
) -> Boiler:
    return Boiler(
        unit_id=unit_id,
        unit_type="生物质锅炉",
        firing="流化床炉" if tph >= 35 else "层燃炉",
        capacity_tph=tph,
        hours=hours,
        fuel="生物质",
        fuel_use=round(tph * hours * _BIOMASS_T_PER_TPH_HOUR * rng.uniform(0.85, 1.15)),
        fuel_unit="吨",
        ash_pct=round(rng.uniform(4, 9), 1),
        denox="SNCR" if tph >= 35 else "无",
        dust="袋式除尘",
        operating_rate=round(rng.uniform(88, 97), 1),
        stack_id=stack,
        stack_height_m=float(rng.choice([30, 35, 40])),
        commissioned=start,
    )


def _oil_boiler(
    rng: np.random.Generator, unit_id: str, stack: str, tph: float, hours: float, start: date
) -> Boiler:
    return Boiler(
        unit_id=unit_id,
        unit_type="工业锅炉",
        firing="燃油",
        capacity_tph=tph,
        hours=hours,
        fuel="柴油",
        fuel_use=round(tph * hours * _OIL_T_PER_TPH_HOUR * rng.uniform(0.85, 1.15), 1),
        fuel_unit="吨",
        sulfur_pct=0.001,
        stack_id=stack,
        stack_height_m=15.0,
        commissioned=start,
    )


def _big_cfb(
    rng: np.random.Generator, k: int, tph: float, hours: float, start: date, cems: bool
) -> Boiler:
    boiler = _coal_boiler(rng, f"{k + 1}#锅炉", f"DA00{k // 2 + 1}", tph, hours, start)
    boiler.stack_height_m = 100.0 if tph >= 130 else 80.0
    if cems:
        boiler.cems_mg_m3 = {
            "SO2": round(rng.uniform(60, 120), 1),
            "NOx": round(rng.uniform(110, 180), 1),
        }
        boiler.flue_gas_per_unit_fuel = 9.5  # Nm3 per kg of 20 GJ/t coal (assumption)
    return boiler
