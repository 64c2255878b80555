"""Agriculture and area-source rows of the shipped library (straw burning, fertiliser, livestock,
composting, storage-pile dust), worked by hand."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from shipped_library import activity, reason, run, tonnes


def area(
    activity_id: int, class_code: str, quantity: float, unit: str, **fields: Any
) -> dict[str, Any]:
    """One area-activity row of its own source."""
    return activity(activity_id, class_code, "area_activity", quantity, unit, kind="area", **fields)


def gap_pollutants(result: Any, activity_id: int) -> set[str]:
    gaps = result.gaps[result.gaps["activity_id"] == activity_id]
    return {str(p) for p in gaps["pollutant"]}


def test_maize_straw_burned_takes_lab_voc_gfed_and_emep_rows(library: pd.DataFrame) -> None:
    result = run(library, [area(1, "08030101", 1000, "t")])
    # 1000 t straw = 1e6 kg. MEE 2014 VOCs 10.4 g/kg -> 10.4 t; lab flaming NOx 1.28 g/kg and
    # CO 114.7 g/kg keep priority (class 08030101 is longer than the GFED rows' 080301).
    assert tonnes(result, 1, "VOCs") == pytest.approx(10.4)
    assert tonnes(result, 1, "NOx") == pytest.approx(1.28)
    assert tonnes(result, 1, "CO") == pytest.approx(114.7)
    # GFED4 AGRI per kg dry matter: SO2 0.4, NH3 2.17, BC 0.75, OC 2.3 g/kg -> t per 1000 t
    assert tonnes(result, 1, "SO2") == pytest.approx(0.4)
    assert tonnes(result, 1, "NH3") == pytest.approx(2.17)
    assert tonnes(result, 1, "BC") == pytest.approx(0.75)
    assert tonnes(result, 1, "OC") == pytest.approx(2.3)
    # EMEP 5.C.2 Tier 1: PM10 4.51, PM2.5 4.19 kg/t x 1000 t
    assert tonnes(result, 1, "PM10") == pytest.approx(4.51)
    assert tonnes(result, 1, "PM2.5") == pytest.approx(4.19)
    assert gap_pollutants(result, 1) == set()


def test_soybean_straw_takes_the_all_crop_gfed_nox_and_co(library: pd.DataFrame) -> None:
    result = run(library, [area(2, "08030104", 500, "t")])
    # 3.11 g NO/kg x 46.006/30.006 = 4.768 g NO2/kg x 5e5 kg = 2.384 t; CO 102 g/kg -> 51 t
    assert tonnes(result, 2, "NOx") == pytest.approx(2.384)
    assert tonnes(result, 2, "CO") == pytest.approx(51.0)
    # the MEE 2014 VOCs table has no soybean row
    assert gap_pollutants(result, 2) == {"VOCs"}


def test_urea_without_temperature_takes_emep_tier2_per_product(library: pd.DataFrame) -> None:
    result = run(library, [area(3, "05010101", 100, "t")])
    # 195 g NH3/kg N x 0.46646 kg N/kg urea = 90.96 g/kg; x 1e5 kg = 9.096 t
    assert tonnes(result, 3, "NH3") == pytest.approx(9.096)


def test_urea_with_a_temperature_keeps_the_mee_banded_row(library: pd.DataFrame) -> None:
    result = run(library, [area(4, "05010101", 100, "t", size_value=15.0, size_unit="degC")])
    # 10-20 degC band: 2.51 % x 100 t = 2.51 t (the banded row beats the unbanded EMEP row)
    assert tonnes(result, 4, "NH3") == pytest.approx(2.51)


def test_other_fertilisers_per_product(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            area(5, "05010102", 10, "t"),  # 84 x 0.17718 = 14.88 g/kg -> 0.1488 t
            area(6, "05010103", 10, "t"),  # 24 x 0.34999 = 8.40 g/kg -> 0.0840 t
            area(7, "05010104", 10, "t"),  # 84 x 0.21201 = 17.81 g/kg -> 0.1781 t
            area(8, "05010105", 10, "t"),  # compound fertiliser: N content unknown
        ],
    )
    assert tonnes(result, 5, "NH3") == pytest.approx(0.1488)
    assert tonnes(result, 6, "NH3") == pytest.approx(0.084)
    assert tonnes(result, 7, "NH3") == pytest.approx(0.1781)
    assert "NH3" in gap_pollutants(result, 8)


def test_livestock_composting_and_storage_piles(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            area(9, "05020101", 1000, "头"),
            area(10, "05040101", 500, "t"),
            area(11, "06030101", 2, "公顷"),
        ],
    )
    # other cattle, EMEP 3.B Table 3-2: 10 kg NH3/head/yr x 1000 head = 10 t
    assert tonnes(result, 9, "NH3") == pytest.approx(10.0)
    # straw composting: EMEP 5.B.1 0.24 kg/t x 500 t = 120 kg
    assert tonnes(result, 10, "NH3") == pytest.approx(0.12)
    # storage piles, EMEP 2.A.5.c uncontrolled: PM10 8.2, PM2.5 0.82 t/ha x 2 ha
    assert tonnes(result, 11, "PM10") == pytest.approx(16.4)
    assert tonnes(result, 11, "PM2.5") == pytest.approx(1.64)


def test_household_natural_gas_takes_emep_tier1_per_gj(library: pd.DataFrame) -> None:
    result = run(library, [area(12, "01030201", 1e6, "m3", fuel="天然气", ncv_mj=35.6)])
    # 1e6 m3 x 35.6 MJ/m3 = 35 600 GJ; EMEP 1.A.4.b.i Table 3-4: NOx 51 g/GJ -> 1.8156 t,
    # CO 26 g/GJ -> 0.9256 t, PM2.5 1.2 g/GJ -> 0.04272 t, BC 5.4 % of PM2.5 = 0.0648 g/GJ
    assert tonnes(result, 12, "NOx") == pytest.approx(1.8156)
    assert tonnes(result, 12, "CO") == pytest.approx(0.9256)
    assert tonnes(result, 12, "PM2.5") == pytest.approx(0.04272)
    assert tonnes(result, 12, "BC") == pytest.approx(0.00230688)


def with_local_burned_fraction(library: pd.DataFrame, value: float) -> pd.DataFrame:
    """The shipped rows plus one local (priority 100) burned_fraction for every straw crop (080301)."""
    library = library.assign(priority=0)  # shipped rows: priority 0, as loaded by inventory init
    row = {column: None for column in library.columns}
    row.update(
        factor_key="local:burned_fraction", class_code="080301", product="burned_fraction",
        value=value, unit="fraction", basis="parameter", source="local", priority=100,
        factor_id=int(library["factor_id"].max()) + 1,
    )  # fmt: skip
    for column in ("size_min", "size_max"):
        row[column] = float("nan")
    return pd.concat([library, pd.DataFrame([row])], ignore_index=True)


def test_crop_output_without_a_burned_fraction_stays_a_gap(library: pd.DataFrame) -> None:
    # the shipped national burned_fraction (param:burned_fraction:china2015) taken out
    without = library[library["factor_key"] != "param:burned_fraction:china2015"]
    result = run(without, [activity(20, "08030101", "crop_output", 1000, "t", kind="area")])
    # straw_grain_ratio and combustion_efficiency are there, burned_fraction is not
    assert result.emissions[result.emissions["activity_id"] == 20].empty
    assert reason(result, 20, "VOCs") == "no_factor"


def test_crop_output_chain_uses_the_shipped_ratio_and_combustion_efficiency(
    library: pd.DataFrame,
) -> None:
    local = with_local_burned_fraction(library, 0.2)
    result = run(
        local,
        [
            activity(21, "08030101", "crop_output", 1000, "t", kind="area"),
            activity(22, "08030103", "crop_output", 1000, "t", kind="area"),
        ],
    )
    # maize: 1000 t grain x 1.04 (Zhu et al. 2017 Table 3) x 0.2 burned x 0.80 (IPCC Table 2.6)
    # = 166.4 t straw burned; MEE 2014 VOCs 10.4 g/kg -> 1.73056 t, lab CO 114.7 g/kg -> 19.08608 t
    assert tonnes(result, 21, "VOCs") == pytest.approx(1.73056)
    assert tonnes(result, 21, "CO") == pytest.approx(19.08608)
    # wheat: 1000 x 1.17 x 0.2 x 0.90 = 210.6 t; VOCs 7.48 g/kg -> 1.575288 t
    assert tonnes(result, 22, "VOCs") == pytest.approx(1.575288)


def test_household_coal_and_biofuel_oc_per_kg(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            area(30, "01030101", 1000, "t", fuel="燃煤"),
            area(31, "01030102", 1000, "t", fuel="燃煤"),
            area(32, "08010102", 1000, "t"),
            area(33, "08010101", 1000, "t"),
        ],
    )
    # Chen, Zhi et al. 2009 (bituminous): chunk 5.50, briquette 3.74 g OC/kg x 1e6 kg
    assert tonnes(result, 30, "OC") == pytest.approx(5.5)
    assert tonnes(result, 31, "OC") == pytest.approx(3.74)
    # household biofuel field study (ES&T 2009): fuelwood 1.13, straw 1.93 g OC/kg x 1e6 kg
    assert tonnes(result, 32, "OC") == pytest.approx(1.13)
    assert tonnes(result, 33, "OC") == pytest.approx(1.93)
    assert "OC" not in gap_pollutants(result, 33)
