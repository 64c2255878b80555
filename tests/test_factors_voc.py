"""Solvent use and petrol distribution rows of the shipped library, run through the calculation core.

Every expected number is worked out by hand from the shipped factor (EMEP/EEA Guidebook 2023):
vehicle refinishing 720 g/kg paint (2.D.3.d Table 3-7), wood coating 800 g/kg (Table 3-9),
household solvents 1200 g/person (2.D.3.a Table 3-1-b), petrol distribution 4.5 kg/t petrol sold
(1.B.2.a.v Table 3-1a), Stage II vapour recovery 90 % (1.B.2.a.v Table 3-15).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from shipped_library import activity, reason, tonnes

from inventory.calc import compute_emissions
from inventory.units import parse_unit


def voc(result: Any, activity_id: int) -> float:
    return tonnes(result, activity_id, "VOCs")


def gap(result: Any, activity_id: int) -> str:
    return reason(result, activity_id, "VOCs")


def test_person_is_a_counting_unit_of_its_own() -> None:
    assert (parse_unit("万人") * parse_unit("g/person")).to("t").magnitude == pytest.approx(0.01)
    assert parse_unit("人").dimensionality != parse_unit("头").dimensionality


def test_vehicle_refinishing_and_wood_coating_without_voc_content(library: pd.DataFrame) -> None:
    result = compute_emissions(
        pd.DataFrame(
            [
                # area sheet: 612.7 t refinishing paint x 720 g/kg = 441.144 t
                activity(1, "04050401", "area_activity", 612.7, "吨", kind="area"),
                # point line: 2 t wood coating x 800 g/kg = 1.6 t
                activity(2, "04010104", "material_use", 2.0, "t"),
                # the same line with a VOC content: mass balance 2 t x 55 % = 1.1 t, not the factor
                activity(3, "04010104", "material_use", 2.0, "t", voc_content_pct=55.0),
            ]
        ),
        library,
    )
    assert voc(result, 1) == pytest.approx(441.144)
    assert voc(result, 2) == pytest.approx(1.6)
    assert voc(result, 3) == pytest.approx(1.1)


def test_household_solvents_per_inhabitant(library: pd.DataFrame) -> None:
    result = compute_emissions(
        pd.DataFrame(
            [
                # 31.5 万人 = 315 000 inhabitants x 1200 g = 378 t
                activity(1, "04050501", "area_activity", 31.5, "万人", kind="area"),
                activity(2, "04050501", "area_activity", 1000.0, "人", kind="area"),  # 1.2 t
            ]
        ),
        library,
    )
    assert voc(result, 1) == pytest.approx(378.0)
    assert voc(result, 2) == pytest.approx(1.2)


def test_household_solvents_in_tonnes_is_a_unit_mismatch(library: pd.DataFrame) -> None:
    from inventory.errors import UnitMismatch

    with pytest.raises(UnitMismatch):
        compute_emissions(
            pd.DataFrame([activity(1, "04050501", "area_activity", 5.0, "t", kind="area")]),
            library,
        )


def test_filling_station_petrol_per_tonne_with_and_without_stage_two(
    library: pd.DataFrame,
) -> None:
    efficiencies = pd.DataFrame(
        [{"technology": "二阶段油气回收", "pollutant": "VOCs", "efficiency": 0.90}]
    )
    controls = pd.DataFrame(
        [{"source_id": 2, "technology": "二阶段油气回收", "operating_rate": 1.0}]
    )
    result = compute_emissions(
        pd.DataFrame(
            [
                activity(1, "07030101", "throughput", 1000.0, "t", product="汽油"),  # 4.5 t
                activity(2, "07030101", "throughput", 1000.0, "t", product="汽油"),  # x 0.1
                activity(3, "07030101", "area_activity", 2.0, "万吨", kind="area"),  # 90 t
                activity(4, "07030102", "throughput", 1000.0, "t", product="柴油"),  # gap
                activity(5, "07010101", "throughput", 1000.0, "t", product="汽油"),  # gap
            ]
        ),
        library,
        efficiencies=efficiencies,
        controls=controls,
    )
    assert voc(result, 1) == pytest.approx(4.5)
    assert voc(result, 2) == pytest.approx(0.45)
    assert voc(result, 3) == pytest.approx(90.0)
    assert gap(result, 4) == "no_factor"
    assert gap(result, 5) == "no_factor"


def test_station_volumes_take_the_shipped_petrol_density(library: pd.DataFrame) -> None:
    result = compute_emissions(
        pd.DataFrame(
            [
                # 1000 m3 x 741 kg/m3 = 741 t petrol; x 4.5 kg/t = 3334.5 kg = 3.3345 t
                activity(1, "07030101", "throughput", 1000.0, "m3", product="汽油"),
                # 1e6 L = 1000 m3: the same
                activity(2, "07030101", "throughput", 1e6, "L", product="汽油"),
                # a diesel station in m3 still has no factor (density 837 alone gives none)
                activity(3, "07030102", "throughput", 1000.0, "m3", product="柴油"),
            ]
        ),
        library,
    )
    assert voc(result, 1) == pytest.approx(3.3345)
    assert voc(result, 2) == pytest.approx(3.3345)
    assert gap(result, 3) == "no_factor"
