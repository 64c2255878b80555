"""The shipped library with activity types and per-GJ rows, run through the calculation core."""

from __future__ import annotations

import pandas as pd
import pytest
from shipped_library import activity, cell, reason, run

from inventory.factors.tables import ACTIVITY_TYPES


def test_activity_types_are_known_and_filled_where_a_source_has_two_activities(
    shipped: pd.DataFrame,
) -> None:
    assert set(shipped["activity_type"]) <= {*ACTIVITY_TYPES, ""}
    # process plants report output and fuel use; non-road machines count and fuel
    for table in ("process", "fixed_combustion", "nonroad", "onroad", "solvent"):
        rows = shipped[(shipped["table_name"] == table) & (shipped["basis"] != "parameter")]
        assert (rows["activity_type"] != "").all(), table
    per_gj = shipped[shipped["unit"] == "g/GJ"]
    assert len(per_gj) > 0 and (per_gj["activity_type"] != "").all()


def test_coke_plant_output_and_oven_gas_with_the_shipped_library(library: pd.DataFrame) -> None:
    plant = {"source_id": 1, "product": "焦炭", "fuel": "焦炉煤气"}
    result = run(
        library,
        [
            activity(1, "02050101", "output", 10, "万吨", **plant),
            activity(2, "02050101", "fuel_use", 500, "万立方米", **plant),
        ],
    )
    # EMEP 1.B.1.b PM10 146 g/t coke x 1e5 t = 14.6 t; the gas takes no per-t-coke factor
    assert cell(result, 1, "PM10")["emissions_t"] == pytest.approx(14.6)
    assert reason(result, 2, "PM10") == "no_factor"


def test_ferroalloy_counts_the_alloy_not_the_coke(library: pd.DataFrame) -> None:
    plant = {"source_id": 1, "product": "硅铁", "fuel": "焦炭"}
    result = run(
        library,
        [
            activity(1, "02030101", "output", 2, "万吨", **plant),
            activity(2, "02030101", "fuel_use", 1, "万吨", **plant),
        ],
    )
    pm10 = result.emissions[result.emissions["pollutant"] == "PM10"]
    # EMEP 2.C.2 PM10 850 g/t alloy x 2e4 t = 17 t (the 1e4 t coke would add 8.5 t)
    assert pm10["emissions_t"].sum() == pytest.approx(17.0)


def test_tcses_nox_by_capacity_stays_preferred_over_emep(library: pd.DataFrame) -> None:
    unit = {"fuel": "燃煤", "size_value": 200.0, "size_unit": "MW"}
    result = run(library, [activity(1, "01010101", "fuel_use", 1000, "t", ncv_mj=20.0, **unit)])
    nox = cell(result, 1, "NOx")
    # T/CSES D.1, 100-300 MW: 8.19 g/kg x 1e6 kg = 8.19 t
    assert nox["factor_unit"] == "g/kg"
    assert nox["emissions_t"] == pytest.approx(8.19)
    so2 = cell(result, 1, "SO2")
    # EMEP 1.A.1.a Table 3-2: 1000 t x 20 MJ/kg = 20 000 GJ x 820 g/GJ = 16.4 t
    assert so2["factor_unit"] == "g/GJ"
    assert so2["emissions_t"] == pytest.approx(16.4)


def test_power_unit_without_ncv_keeps_tcses_nox_and_takes_the_shipped_ncv(
    library: pd.DataFrame,
) -> None:
    unit = {"fuel": "燃煤", "size_value": 200.0, "size_unit": "MW"}
    result = run(library, [activity(1, "01010101", "fuel_use", 1000, "t", **unit)])
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(8.19)
    # no ncv_mj: the shipped ncv of 燃煤 (23.204 GJ/t) applies: 820 g/GJ x 23 204 GJ
    assert cell(result, 1, "SO2")["emissions_t"] == pytest.approx(19.02728)


def test_fuel_without_a_matching_ncv_still_reports_no_ncv(library: pd.DataFrame) -> None:
    # LPG's shipped ncv is per kg: LPG counted in m3 has per-GJ factors but no energy
    result = run(library, [activity(1, "01020203", "fuel_use", 1000, "m3", fuel="液化石油气")])
    assert reason(result, 1, "NOx") == "no_ncv"
    # the MEE 2014 VOCs row is per m3: 0.034 g/m3 x 1000 m3
    assert cell(result, 1, "VOCs")["emissions_t"] == pytest.approx(3.4e-5)


def test_residential_coal_and_fuelwood_per_gj(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(1, "01030101", "area_activity", 100, "t", kind="area", ncv_mj=25.0),
            activity(2, "08010102", "area_activity", 100, "t", kind="area", ncv_mj=15.0),
        ],
    )
    # coal: 100 t x 25 MJ/kg = 2500 GJ; PM2.5 398 g/GJ -> 0.995 t; BC 6.4 % -> 0.06368 t
    assert cell(result, 1, "PM2.5")["emissions_t"] == pytest.approx(0.995)
    assert cell(result, 1, "BC")["emissions_t"] == pytest.approx(0.06368)
    # fuelwood: 100 t x 15 MJ/kg = 1500 GJ; CO 4000 g/GJ -> 6 t; NH3 8 g/GJ -> 0.012 t
    assert cell(result, 2, "CO")["emissions_t"] == pytest.approx(6.0)
    assert cell(result, 2, "NH3")["emissions_t"] == pytest.approx(0.012)
    # the MEE 2014 VOCs rows (g/kg) still apply: 100 t x 5.3 g/kg = 0.53 t
    assert cell(result, 2, "VOCs")["emissions_t"] == pytest.approx(0.53)
