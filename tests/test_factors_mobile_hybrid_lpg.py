"""Hybrid vehicles (EMEP/EEA Tier 2) and LPG forklifts (NONROAD large SI), worked by hand."""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest
from shipped_library import activity as shipped_activity
from shipped_library import cell, run

activity = partial(shipped_activity, kind="mobile")
machine = partial(shipped_activity, kind="nonroad")


def _gap_pollutants(result: object, activity_id: int) -> set[str]:
    gaps = result.gaps  # type: ignore[attr-defined]
    return set(gaps.loc[gaps["activity_id"] == activity_id, "pollutant"])


def test_hybrid_small_cars_take_the_hybrid_petrol_small_rows(library: pd.DataFrame) -> None:
    car = {"fuel": "混合动力", "vehicle_class": "小型载客汽车", "km_per_vehicle": 10000.0}
    result = run(
        library,
        [
            activity(1, "03010102", "population", 200, "辆", standard="国5", **car),
            activity(2, "03010102", "population", 200, "辆", standard="国6", **car),
        ],
    )
    # 200 x 10 000 km = 2e6 km; Hybrid Petrol Small Euro 5 (3-17_91): NOx 0.037 g/km -> 74 000 g
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.074)
    assert cell(result, 1, "CO")["emissions_t"] == pytest.approx(1.49)  # 0.745 g/km
    # Euro 6 a/b/c (3-17_92): NOx 0.014 g/km -> 28 000 g; NH3 0.031 g/km -> 62 000 g
    assert cell(result, 2, "NOx")["emissions_t"] == pytest.approx(0.028)
    assert cell(result, 2, "NH3")["emissions_t"] == pytest.approx(0.062)
    # EMEP prints NMVOC without CH4: VOCs stays a gap
    assert "VOCs" in _gap_pollutants(result, 1)
    assert "VOCs" in _gap_pollutants(result, 2)


def test_hybrid_buses_take_the_euro_vi_row_and_guo5_stays_a_gap(library: pd.DataFrame) -> None:
    bus = {"fuel": "混合动力", "vehicle_class": "公交车", "km_per_vehicle": 60000.0}
    result = run(
        library,
        [
            activity(1, "03010105", "population", 50, "辆", standard="国6", **bus),
            activity(2, "03010105", "population", 50, "辆", standard="国5", **bus),
        ],
    )
    # 50 x 60 000 km = 3e6 km; Urban Diesel Hybrid Buses Euro VI A/B/C: NOx 1.007 g/km -> 3.021 t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(3.021)
    assert cell(result, 1, "CO")["emissions_t"] == pytest.approx(0.519)  # 0.173 g/km
    # EMEP has no Euro V hybrid bus: no NOx for 国5
    assert "NOx" in _gap_pollutants(result, 2)


def test_gas_bus_guo4_and_gas_trucks_keep_their_nox_gap(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(1, "03010105", "population", 10, "辆", fuel="天然气", vehicle_class="公交车",
                     standard="国4", km_per_vehicle=60000.0),
            activity(2, "03010204", "population", 10, "辆", fuel="天然气",
                     vehicle_class="重型载货汽车", standard="国5", km_per_vehicle=60000.0),
        ],
    )  # fmt: skip
    # EMEP Urban CNG Buses: Euro I-III and EEV only; no CNG truck category in Tables 3-21/3-22
    assert "NOx" in _gap_pollutants(result, 1)
    assert "NOx" in _gap_pollutants(result, 2)


def test_lpg_forklifts_take_the_nonroad_large_si_rows_by_stage(library: pd.DataFrame) -> None:
    lift = {"fuel": "液化石油气", "vehicle_class": "叉车", "hours": 100.0, "load_factor": 0.5}
    result = run(
        library,
        [
            machine(1, "03020105", "machine_count", 1, "台", standard="国0", power_kw=44.742, **lift),
            machine(2, "03020105", "machine_count", 1, "台", standard="国3", power_kw=44.742, **lift),
            machine(3, "03020105", "machine_count", 1, "台", standard="国1", power_kw=14.914, **lift),
        ],
    )  # fmt: skip
    # 44.742 kW = 60 hp; 60 hp x 100 h x 0.5 = 3000 hp-hr
    # 国0 = NONROAD LGT25 (SCC 2267000000): NOx 11.99 g/hp-hr -> 35 970 g; THC 2.18 -> 6540 g
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.03597, rel=1e-4)
    assert cell(result, 1, "VOCs")["emissions_t"] == pytest.approx(0.00654, rel=1e-4)
    # 国3 = Phase 2 (LGT252): NOx 0.85 -> 2550 g; THC 0.10 -> 300 g
    assert cell(result, 2, "NOx")["emissions_t"] == pytest.approx(0.00255, rel=1e-4)
    assert cell(result, 2, "VOCs")["emissions_t"] == pytest.approx(0.0003, rel=1e-4)
    assert cell(result, 2, "NOx")["factor_unit"] == "g/hp-hr"
    # CO 40.93 g/hp-hr (国0) -> 122 790 g; PM 0.05 g/hp-hr as PM2.5 -> 150 g
    assert cell(result, 1, "CO")["emissions_t"] == pytest.approx(0.12279, rel=1e-4)
    assert cell(result, 2, "PM2.5")["emissions_t"] == pytest.approx(0.00015, rel=1e-4)
    # 14.914 kW = 20 hp: NONROAD lists LPG engines above 25 hp only, so no NOx row
    assert "NOx" in _gap_pollutants(result, 3)
