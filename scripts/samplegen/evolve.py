"""Survey year 2025 from 2024: the changes a city makes under its action plan.

- coal boilers below 35 t/h in 科尔沁区 and the development zone close at the end of the
  2024-25 heating season (plan measure 7); boiler houses that lose all boilers close;
- coal boilers above 65 t/h (power included) reach ultra-low emission: SCR added, wet ESP
  (measure 18); their CEMS concentrations fall below 50 mg/m3 NOx and 35 mg/m3 SO2;
- gas boilers get low-NOx burners (measure 18: all of them in 科尔沁区 and the zone, about half
  elsewhere);
- solvent-based coatings, inks and adhesives partly replaced by water-based ones (measure 5);
- new sources: a new production line, a new coating works, a biomass CHP plant, new gas boilers
  replacing closed coal boilers, new filling stations.
"""

from __future__ import annotations

import copy
from datetime import date

import numpy as np

from .codes import REGIONS
from .model import Boiler, Facility, Kiln, VocUse
from .registry import Registry, make_facility
from .voc_oil import station_tanks

__all__ = ["CLOSURE_DATE", "evolve_to_2025"]

CLOSURE_DATE = date(2025, 4, 15)  # end of the 2024-25 heating season
_PHASE_OUT_REGIONS = {"150502", "150571"}
# Share of a year's coal burned before mid-April: heating boilers burn about 55 % of their
# season's coal in January to mid-April, year-round boilers 3.5/12 (assumptions).
_HEATING_SHARE_BEFORE_CLOSURE = 0.55
_YEAR_ROUND_SHARE_BEFORE_CLOSURE = 3.5 / 12


def _is_coal(boiler: Boiler) -> bool:
    return boiler.fuel == "燃煤"


def _ultra_low(rng: np.random.Generator, boiler: Boiler) -> None:
    """Upgrade a large coal boiler to ultra-low emission (SCR, wet ESP) in place."""
    if "SCR" not in boiler.denox:
        boiler.denox = "SNCR+SCR" if boiler.denox == "SNCR" else "SCR"
        # A wet ESP after the bag filter, or the ESP rebuilt as a hybrid ESP-bag filter.
        boiler.dust = "湿式电除尘" if "袋式" in boiler.dust else "电袋复合除尘"
        boiler.low_nox = "是"
    if boiler.cems_mg_m3:
        boiler.cems_mg_m3 = {
            "SO2": round(min(boiler.cems_mg_m3["SO2"], rng.uniform(22, 33)), 1),
            "NOx": round(min(boiler.cems_mg_m3["NOx"], rng.uniform(38, 48)), 1),
        }


def _close_small_coal(fac: Facility) -> bool:
    """Close the facility's small coal boilers; True when one was closed."""
    closed = False
    share = (
        _HEATING_SHARE_BEFORE_CLOSURE
        if fac.industry_code == "4430"
        else _YEAR_ROUND_SHARE_BEFORE_CLOSURE
    )
    for boiler in fac.boilers:
        if _is_coal(boiler) and boiler.capacity_tph < 35 and boiler.decommissioned is None:
            boiler.decommissioned = CLOSURE_DATE
            boiler.fuel_use = round(boiler.fuel_use * share, 2 if boiler.fuel_unit == "万吨" else 0)
            closed = True
    return closed


def _substitute_materials(rng: np.random.Generator, fac: Facility) -> None:
    """Lower solvent-based use (coatings -25 %, inks -15 %, adhesives -20 %), add water-based."""
    cuts = {"工业涂料": 0.25, "油墨": 0.15, "胶粘剂": 0.20}
    added: list[VocUse] = []
    for use in fac.voc_uses:
        cut = cuts.get(use.material)
        if use.solvent_type == "溶剂型" and cut:
            moved = use.use_t * cut
            use.use_t = round(use.use_t - moved, 1)
            water = next(
                (
                    u
                    for u in fac.voc_uses
                    if u.material == use.material and u.solvent_type == "水性"
                ),
                None,
            )
            if water is not None:
                water.use_t = round(water.use_t + moved * 1.1, 1)
            else:
                added.append(
                    VocUse(
                        # The water-based product runs on its own (new or converted) line.
                        use.unit_id.replace("1", "2"),
                        use.material,
                        "水性",
                        round(moved * 1.1, 1),
                        12.0,
                        use.capture_pct,
                        use.treatment,
                        use.treatment_pct,
                    )
                )
        if use.treatment == "UV光解" and rng.uniform() < 0.6:
            use.treatment, use.capture_pct, use.treatment_pct = "吸附浓缩+催化燃烧", 70.0, 85.0
    fac.voc_uses += added


def _vary(rng: np.random.Generator, fac: Facility) -> None:
    """Year-to-year variation of activity for sources that keep running (-4 % to +6 %)."""
    for boiler in fac.boilers:
        if boiler.decommissioned is None:
            digits = (
                2 if boiler.fuel_unit == "万吨" else (1 if boiler.fuel_unit == "万立方米" else 0)
            )
            boiler.fuel_use = round(boiler.fuel_use * rng.uniform(0.96, 1.06), digits)
    for kiln in fac.kilns:
        factor = rng.uniform(0.97, 1.05)
        kiln.output_10kt = round(kiln.output_10kt * factor, 3)
        if kiln.fuel_use is not None:
            kiln.fuel_use = round(kiln.fuel_use * factor, 2)
    for tank in fac.tanks:
        factor = rng.uniform(0.98, 1.05)
        tank.throughput_t = round(tank.throughput_t * factor)
        tank.loading_t = round(tank.loading_t * factor)
    for key, (unit, value) in list(fac.manual_measured.items()):
        fac.manual_measured[key] = (unit, round(value * rng.uniform(0.85, 1.0), 1))


def _new_sources(rng: np.random.Generator, facilities: list[Facility]) -> list[Facility]:
    """Sources that first appear in the 2025 survey."""
    reg = Registry(rng, first_serial=50000)
    index = {r.code: i for i, r in enumerate(REGIONS)}
    new: list[Facility] = []

    amino = next(f for f in facilities if f.industry_code == "1495")
    amino.kilns.append(
        Kiln("YM-3", "玉米深加工", "苏氨酸", 10.0, "DA012", 30.0, date(2025, 3, 1), dust="袋式除尘")
    )

    fac = make_facility(reg, index["150571"], "新材料科技有限公司", "3670", 4800, date(2025, 6, 1))
    fac.voc_uses = [
        VocUse("喷涂线1", "工业涂料", "水性", 60.0, 10.0, 90.0, "RTO", 95.0),
        VocUse("喷涂线1", "清洗剂", "溶剂型", 2.0, 100.0, 90.0, "RTO", 95.0),
    ]
    new.append(fac)

    fac = make_facility(reg, index["150523"], "生物质热电有限公司", "4412", 7000, date(2025, 1, 10))
    for k in range(2):
        fac.boilers.append(
            Boiler(
                unit_id=f"{k + 1}#炉",
                unit_type="生物质锅炉",
                firing="流化床炉",
                capacity_tph=75,
                hours=7000,
                fuel="生物质",
                fuel_use=round(75 * 7000 * 0.14 * rng.uniform(0.9, 1.0)),
                fuel_unit="吨",
                ash_pct=6.5,
                denox="SNCR",
                dust="袋式除尘",
                low_nox="是",
                operating_rate=96.0,
                stack_id="DA001",
                stack_height_m=80.0,
                commissioned=date(2025, 1, 10),
            )
        )
    new.append(fac)

    for region in ("150502", "150525"):
        fac = make_facility(reg, index[region], "加油站", "5265", 8760, date(2025, 7, 1))
        fac.tanks = station_tanks(rng)
        for tank in fac.tanks:  # half a year of sales
            tank.throughput_t = round(tank.throughput_t / 2)
        new.append(fac)
    return new


def evolve_to_2025(facilities_2024: list[Facility], rng: np.random.Generator) -> list[Facility]:
    """The 2025 survey's point sources, derived from 2024's (which are left unchanged)."""
    facilities = copy.deepcopy(facilities_2024)
    for fac in facilities:
        _vary(rng, fac)
        if fac.region_code in _PHASE_OUT_REGIONS and _close_small_coal(fac):
            running = [b for b in fac.boilers if b.decommissioned is None]
            if not running and not fac.kilns and not fac.voc_uses:
                fac.status, fac.end_date = "关停", CLOSURE_DATE
            elif fac.industry_code != "4430" and rng.uniform() < 0.5:
                # A gas boiler replaces the coal one from late May (8.5 months of use).
                size = max(b.capacity_tph for b in fac.boilers if _is_coal(b))
                fac.boilers.append(
                    Boiler(
                        unit_id=f"{len(fac.boilers) + 1}#锅炉",
                        unit_type="工业锅炉",
                        firing="燃气",
                        capacity_tph=size,
                        hours=round(fac.operating_hours * 8.5 / 12),
                        fuel="天然气",
                        fuel_use=round(size * fac.operating_hours * 8.5 / 12 * 58.8 / 1e4, 1),
                        fuel_unit="万立方米",
                        low_nox="是",
                        stack_id="DA009",
                        stack_height_m=20.0,
                        commissioned=date(2025, 5, 20),
                    )
                )
        for boiler in fac.boilers:
            if _is_coal(boiler) and boiler.capacity_tph > 65:
                _ultra_low(rng, boiler)
            if (
                boiler.fuel == "天然气"
                and boiler.low_nox == "否"
                and (fac.region_code in _PHASE_OUT_REGIONS or rng.uniform() < 0.5)
            ):
                boiler.low_nox = "是"
        _substitute_materials(rng, fac)
        for tank in fac.tanks:
            if fac.industry_code == "5265" and tank.material == "汽油" and rng.uniform() < 0.25:
                tank.vapour_recovery, tank.treatment_pct = "后处理装置", 90.0
    return facilities + _new_sources(rng, facilities)
