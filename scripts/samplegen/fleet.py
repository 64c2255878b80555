"""On-road fleet by county x vehicle class x fuel x emission standard (sheet 机动车保有量).

City totals per class and the standard mix are assumptions (docs/sample-data.md, "Fleet");
2025 renews the fleet as the plan asks (measure 11): trucks toward 国6 and new energy
(>= 40 % of trucks), buses to >= 80 % new and clean energy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .codes import REGIONS

__all__ = ["TRUCKS", "build_fleet", "renew_fleet"]

STANDARDS = ["国0", "国1", "国2", "国3", "国4", "国5", "国6"]
_MIX = {  # share of each standard in 2024, by technology group
    "petrol": [0.005, 0.01, 0.02, 0.08, 0.22, 0.25, 0.415],
    "diesel_light": [0.005, 0.01, 0.03, 0.17, 0.25, 0.25, 0.285],
    "diesel_heavy": [0.0, 0.0, 0.01, 0.14, 0.18, 0.37, 0.30],
    "gas": [0.0, 0.0, 0.0, 0.10, 0.20, 0.35, 0.35],
    "low_speed": [0.0, 0.05, 0.25, 0.40, 0.30, 0.0, 0.0],
    "motorcycle": [0.0, 0.05, 0.15, 0.50, 0.30, 0.0, 0.0],
    "hybrid": [0.0, 0.0, 0.0, 0.0, 0.0, 0.30, 0.70],
}
# class: (city population 2024, km per vehicle per year, {fuel: (share, mix group)})
_CLASSES: dict[str, tuple[int, int, dict[str, tuple[float, str]]]] = {
    "微型载客汽车": (5_000, 9_000, {"汽油": (1.0, "petrol")}),
    "小型载客汽车": (
        520_000,
        12_000,
        {
            "汽油": (0.925, "petrol"),
            "柴油": (0.01, "diesel_light"),
            "天然气": (0.015, "gas"),
            "纯电动": (0.035, ""),
            "混合动力": (0.015, "hybrid"),
        },
    ),
    "中型载客汽车": (6_000, 30_000, {"汽油": (0.4, "petrol"), "柴油": (0.6, "diesel_light")}),
    "大型载客汽车": (4_000, 50_000, {"柴油": (0.9, "diesel_heavy"), "天然气": (0.1, "gas")}),
    "公交车": (
        1_200,
        55_000,
        {
            "柴油": (0.25, "diesel_heavy"),
            "天然气": (0.40, "gas"),
            "纯电动": (0.30, ""),
            "混合动力": (0.05, "hybrid"),
        },
    ),
    "出租车": (
        5_000,
        100_000,
        {"汽油": (0.3, "petrol"), "天然气": (0.6, "gas"), "纯电动": (0.1, "")},
    ),
    "微型载货汽车": (3_000, 20_000, {"汽油": (1.0, "petrol")}),
    "轻型载货汽车": (
        60_000,
        25_000,
        {"汽油": (0.35, "petrol"), "柴油": (0.62, "diesel_light"), "纯电动": (0.03, "")},
    ),
    "中型载货汽车": (8_000, 35_000, {"柴油": (0.95, "diesel_light"), "天然气": (0.05, "gas")}),
    "重型载货汽车": (
        35_000,
        65_000,
        {"柴油": (0.92, "diesel_heavy"), "天然气": (0.06, "gas"), "纯电动": (0.02, "")},
    ),
    "低速货车": (15_000, 15_000, {"柴油": (1.0, "low_speed")}),
    "三轮汽车": (10_000, 10_000, {"柴油": (1.0, "low_speed")}),
    "摩托车": (60_000, 5_000, {"汽油": (1.0, "motorcycle")}),
}
TRUCKS = {"微型载货汽车", "轻型载货汽车", "中型载货汽车", "重型载货汽车"}
# Heavy trucks follow freight (coal, aluminium, cement) rather than people (assumption).
_HEAVY_SHARES = [0.25, 0.10, 0.08, 0.10, 0.04, 0.12, 0.11, 0.15, 0.05]


def build_fleet(rng: np.random.Generator) -> list[dict[str, Any]]:
    """2024 fleet rows: region_code, vehicle_class, fuel, standard (None for 纯电动),
    population (vehicles) and vkt_km (km per vehicle per year)."""
    rows: list[dict[str, Any]] = []
    for i, region in enumerate(REGIONS):
        for vclass, (total, vkt, fuels) in _CLASSES.items():
            share = (
                _HEAVY_SHARES[i]
                if vclass in ("重型载货汽车", "大型载客汽车")
                else region.population_share
            )
            for fuel, (fuel_share, group) in fuels.items():
                n = total * share * fuel_share * rng.uniform(0.9, 1.1)
                mix = [(None, 1.0)] if not group else list(zip(STANDARDS, _MIX[group], strict=True))
                for standard, s in mix:
                    population = round(n * s)
                    if population > 0:
                        rows.append(
                            {
                                "region_code": region.code,
                                "vehicle_class": vclass,
                                "fuel": fuel,
                                "standard": standard,
                                "population": population,
                                "vkt_km": round(vkt * rng.uniform(0.9, 1.1), -2),
                            }
                        )
    return rows


# Fractions scrapped in 2025 by standard (older go first); trucks and buses faster (assumptions).
_SCRAP = {"国0": 0.5, "国1": 0.5, "国2": 0.4, "国3": 0.2, "国4": 0.08, "国5": 0.02, "国6": 0.0}
_SCRAP_FREIGHT = {
    "国0": 0.6,
    "国1": 0.6,
    "国2": 0.55,
    "国3": 0.5,
    "国4": 0.2,
    "国5": 0.03,
    "国6": 0.0,
}


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["region_code"], row["vehicle_class"], row["fuel"], row["standard"])


def renew_fleet(rows_2024: list[dict[str, Any]], rng: np.random.Generator) -> list[dict[str, Any]]:
    """2025 fleet: scrap old vehicles and add new ones (国6 or new energy); growth 3 %."""
    fleet = {_key(r): dict(r) for r in rows_2024}
    additions: dict[tuple[Any, ...], int] = {}
    vkt_of = {(r["region_code"], r["vehicle_class"]): r["vkt_km"] for r in rows_2024}

    def add(region: object, vclass: object, fuel: str, standard: str | None, n: float) -> None:
        key = (region, vclass, fuel, standard)
        additions[key] = additions.get(key, 0) + round(n)

    groups: dict[tuple[object, object], int] = {}
    for row in fleet.values():
        vclass, standard, fuel = row["vehicle_class"], row["standard"], row["fuel"]
        freight = vclass in TRUCKS or vclass in ("公交车", "大型载客汽车")
        scrap = (_SCRAP_FREIGHT if freight else _SCRAP).get(str(standard), 0.0)
        if vclass == "公交车" and fuel == "柴油":
            scrap = max(scrap, 0.5)
        removed = round(int(row["population"]) * scrap)
        row["population"] = int(row["population"]) - removed
        group = (row["region_code"], vclass)
        groups[group] = groups.get(group, 0) + removed
    for (region, vclass), removed in groups.items():
        total = sum(
            int(r["population"])
            for r in fleet.values()
            if (r["region_code"], r["vehicle_class"]) == (region, vclass)
        )
        new = removed + 0.03 * (total + removed)
        if vclass == "公交车":
            add(region, vclass, "纯电动", None, new)
        elif vclass in TRUCKS:
            add(region, vclass, "柴油" if vclass != "微型载货汽车" else "汽油", "国6", new * 0.8)
            add(region, vclass, "纯电动", None, new * 0.2)
        elif vclass in ("低速货车", "三轮汽车"):
            add(region, vclass, "柴油", "国4", new)
        elif vclass == "摩托车":
            add(region, vclass, "汽油", "国4", new)
        elif vclass == "出租车":
            add(region, vclass, "纯电动", None, new)
        else:
            main_fuel = "柴油" if vclass == "大型载客汽车" else "汽油"
            add(region, vclass, main_fuel, "国6", new * 0.85)
            add(region, vclass, "纯电动", None, new * 0.12)
            add(region, vclass, "混合动力", "国6", new * 0.03)
    for key, n in additions.items():
        if n <= 0:
            continue
        if key in fleet:
            fleet[key]["population"] = int(fleet[key]["population"]) + n
        else:
            region, vclass, fuel, standard = key
            fleet[key] = {
                "region_code": region,
                "vehicle_class": vclass,
                "fuel": fuel,
                "standard": standard,
                "population": n,
                "vkt_km": vkt_of[(region, vclass)],
            }
    # A segment scrapped to the last vehicle stays in the table with 0 (as a consultant who
    # updates last year's table writes it): a missing row would leave the source alive and
    # without activity (QA no_activity), a 0 says it is gone.
    reported = {_key(r) for r in rows_2024}
    return [r for r in fleet.values() if int(r["population"]) > 0 or _key(r) in reported]
