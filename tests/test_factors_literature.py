"""Rows taken from Chinese journal papers (paved-road dust, biomass-boiler VOCs, the national
straw burned fraction), worked by hand through the shipped library."""

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


def test_paved_road_dust_per_vehicle_km(library: pd.DataFrame) -> None:
    # the survey counts 道路扬尘-铺装道路 in 万公里: 100 万公里 = 1e6 vehicle-km
    result = run(library, [area(1, "06010101", 100, "万公里")])
    # Peng et al. 2013 (PRD mean): PM10 1.60 g/km x 1e6 km = 1.6 t; PM2.5 0.39 g/km -> 0.39 t
    assert tonnes(result, 1, "PM10") == pytest.approx(1.6)
    assert tonnes(result, 1, "PM2.5") == pytest.approx(0.39)


def test_unpaved_roads_take_no_paved_road_factor(library: pd.DataFrame) -> None:
    result = run(library, [area(2, "06010102", 100, "万公里")])
    # the PRD factor is for paved roads (06010101) only
    assert reason(result, 2, "PM10") == "no_factor"


def test_biomass_boiler_vocs_per_tonne_of_fuel(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(3, "08020101", "fuel_use", 1000, "t", fuel="生物质"),
            activity(4, "08020102", "fuel_use", 500, "t", fuel="秸秆"),
            activity(5, "08020101", "fuel_use", 200, "t", fuel="薪柴"),
        ],
    )
    # Li Y.J. et al. 2024 (Sichuan industrial boilers): 90.6 g VOCs/t fuel
    assert tonnes(result, 3, "VOCs") == pytest.approx(0.0906)  # 1000 t x 90.6 g/t
    assert tonnes(result, 4, "VOCs") == pytest.approx(0.0453)  # 500 t, power plant too
    assert tonnes(result, 5, "VOCs") == pytest.approx(0.01812)  # 200 t x 90.6 g/t
    # the EMEP NOx per GJ still applies beside it: 1000 t x 11.6 GJ/t x 91 g/GJ = 1.0556 t
    assert tonnes(result, 3, "NOx") == pytest.approx(1.0556)


def test_crop_output_takes_the_shipped_national_burned_fraction(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(6, "08030101", "crop_output", 1000, "t", kind="area"),
            activity(7, "08030103", "crop_output", 1000, "t", kind="area"),
        ],
    )
    # maize: 1000 t grain x 1.04 straw/grain x 0.078 burned x 0.80 burns = 64.896 t straw;
    # MEE 2014 VOCs 10.4 g/kg -> 0.6749184 t, lab CO 114.7 g/kg -> 7.4435712 t
    assert tonnes(result, 6, "VOCs") == pytest.approx(0.6749184)
    assert tonnes(result, 6, "CO") == pytest.approx(7.4435712)
    # wheat: 1000 x 1.17 x 0.078 x 0.90 = 82.134 t straw; VOCs 7.48 g/kg -> 0.61436232 t
    assert tonnes(result, 7, "VOCs") == pytest.approx(0.61436232)


def test_the_burned_fraction_is_the_ratio_of_the_two_published_totals(
    library: pd.DataFrame,
) -> None:
    row = library[library["factor_key"] == "param:burned_fraction:china2015"].iloc[0]
    # 8110 万t burned in 2015 / 10.4 亿t theoretical straw = 0.0780
    assert row["value"] == pytest.approx(8110e4 / 10.4e8, abs=5e-4)
    assert row["class_code"] == "080301"
    assert row["derived"] == "yes"
