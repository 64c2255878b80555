"""Non-road machinery by county x machine x fuel x stage (sheet 非道路移动机械).

Counts and rated power are assumptions; annual hours and load factors are the US EPA
NONROAD2008a defaults (ACTIVITY.DAT) where that model has the machine, otherwise assumptions
(docs/sample-data.md, "Non-road"). 2025 retires 90 % of 国0/国1 (Stage I and older, plan
measure 12), replaced by 国4; new forklifts are electric.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .codes import REGIONS

__all__ = ["build_nonroad", "renew_nonroad"]

STAGES = ["国0", "国1", "国2", "国3", "国4"]
_CONSTRUCTION_MIX = [0.08, 0.12, 0.35, 0.38, 0.07]
_AGRICULTURE_MIX = [0.15, 0.20, 0.35, 0.27, 0.03]
# machine: (city count 2024, kW, hours/yr, load factor, construction?, {fuel: share})
_MACHINES: dict[str, tuple[int, float, float, float, bool, dict[str, float]]] = {
    "挖掘机": (4_000, 100, 1092, 0.59, True, {"柴油": 1.0}),
    "装载机": (3_000, 120, 761, 0.59, True, {"柴油": 1.0}),
    "推土机": (400, 130, 936, 0.59, True, {"柴油": 1.0}),
    "压路机": (600, 90, 760, 0.59, True, {"柴油": 1.0}),
    "起重机": (500, 180, 990, 0.43, True, {"柴油": 1.0}),
    "叉车": (2_500, 35, 1200, 0.30, True, {"柴油": 0.7, "电": 0.2, "液化石油气": 0.1}),
    "拖拉机": (80_000, 30, 475, 0.59, False, {"柴油": 1.0}),
    "联合收割机": (12_000, 80, 150, 0.59, False, {"柴油": 1.0}),
    "排灌机械": (70_000, 10, 300, 0.43, False, {"柴油": 0.45, "电": 0.55}),
}
# Farm machinery follows farmland rather than people (assumption).
_FARM_SHARES = [0.10, 0.20, 0.15, 0.17, 0.06, 0.15, 0.13, 0.01, 0.03]


def build_nonroad(rng: np.random.Generator) -> list[dict[str, Any]]:
    """2024 rows: region_code, machine, fuel, stage (None for 电), count, power_kw, hours,
    load_factor."""
    rows: list[dict[str, Any]] = []
    for i, region in enumerate(REGIONS):
        for machine, (total, kw, hours, lf, construction, fuels) in _MACHINES.items():
            share = region.population_share if construction else _FARM_SHARES[i]
            mix = _CONSTRUCTION_MIX if construction else _AGRICULTURE_MIX
            for fuel, fuel_share in fuels.items():
                n = total * share * fuel_share * rng.uniform(0.85, 1.15)
                stages = [(None, 1.0)] if fuel == "电" else list(zip(STAGES, mix, strict=True))
                for stage, s in stages:
                    count = round(n * s)
                    if count > 0:
                        rows.append(
                            {
                                "region_code": region.code,
                                "machine": machine,
                                "fuel": fuel,
                                "stage": stage,
                                "count": count,
                                "power_kw": round(kw * rng.uniform(0.9, 1.1), 1),
                                "hours": hours,
                                "load_factor": lf,
                            }
                        )
    return rows


def renew_nonroad(
    rows_2024: list[dict[str, Any]], rng: np.random.Generator
) -> list[dict[str, Any]]:
    """2025: 90 % of 国0 and 国1 machines retire; each is replaced by a 国4 machine of the
    same kind (an electric one for forklifts); construction +2 %, farm machinery +1 %."""
    rows = {(r["region_code"], r["machine"], r["fuel"], r["stage"]): dict(r) for r in rows_2024}
    replacements: dict[tuple[Any, ...], int] = {}
    template: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key, row in rows.items():
        region, machine, fuel, stage = key
        growth = 0.02 if _MACHINES[str(machine)][4] else 0.01
        if stage in ("国0", "国1"):
            retired = round(int(row["count"]) * 0.9)
            row["count"] = int(row["count"]) - retired
            new_fuel, new_stage = ("电", None) if machine == "叉车" else (fuel, "国4")
            new_key = (region, machine, new_fuel, new_stage)
            replacements[new_key] = replacements.get(new_key, 0) + retired
            template[new_key] = row
        elif stage == "国4" or stage is None:
            row["count"] = round(int(row["count"]) * (1 + growth * 5))
    for key, n in replacements.items():  # key: (region, machine, fuel, stage)
        if key in rows:
            rows[key]["count"] = int(rows[key]["count"]) + n
        elif n > 0:
            base = template[key]
            rows[key] = {
                **base,
                "fuel": key[2],
                "stage": key[3],
                "count": n,
                "power_kw": round(float(base["power_kw"]) * rng.uniform(0.95, 1.05), 1),
            }
    # every 2024 row stays, with 0 where all its machines retired (see renew_fleet)
    return list(rows.values())
