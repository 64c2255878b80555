"""Solvent use and petrol distribution rows of the shipped library, run through the calculation core.

Every expected number is worked out by hand from the shipped factor (EMEP/EEA Guidebook 2023):
vehicle refinishing 720 g/kg paint (2.D.3.d Table 3-7), wood coating 800 g/kg (Table 3-9),
household solvents 1200 g/person (2.D.3.a Table 3-1-b), petrol distribution 4.5 kg/t petrol sold
(1.B.2.a.v Table 3-1a), Stage I/II vapour recovery 95 %/90 % (Tables 3-14/3-15) on their stage's share
of that factor, diesel 3.1 g/m3 (Tier 2 chain per kPa x the AP-42 Table 7.1-2 diesel vapour pressure).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from shipped_library import activity, reason, tonnes

from inventory.calc import compute_emissions
from inventory.factors.tables import read_shipped_tables
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


def shipped_removal_efficiencies() -> pd.DataFrame:
    """The shipped removal efficiencies (control_efficiencies.csv) as the calculation takes them."""
    rows = read_shipped_tables().efficiencies
    rows = rows[rows["kind"] == "removal"]
    return pd.DataFrame(
        {
            "technology": rows["technology"],
            "pollutant": rows["pollutant"],
            "efficiency": pd.to_numeric(rows["efficiency_pct"]) / 100.0,
        }
    )


def test_stage_efficiencies_are_the_device_efficiency_times_the_stage_share() -> None:
    efficiency = shipped_removal_efficiencies().set_index("technology")["efficiency"]
    assert efficiency["一阶段油气回收"] == pytest.approx(0.95 * 24 / 75)  # 0.304
    assert efficiency["二阶段油气回收"] == pytest.approx(0.90 * 37 / 75)  # 0.444
    assert efficiency["一阶段油气回收+二阶段油气回收"] == pytest.approx(0.304 + 0.444)


def test_vapour_recovery_removes_only_its_stage_of_the_petrol_chain(library: pd.DataFrame) -> None:
    # Shares of the whole-chain factor, from the EMEP/EEA 1.B.2.a.v Tier 2 factors per m3 per kPa
    # TVP: depot loading 9, station tank filling 24, breathing 3, refuelling 37, spillage 2 (75).
    # Stage I: 95 % x 24/75 = 30.4 %; Stage II: 90 % x 37/75 = 44.4 %; both: 74.8 %.
    controls = pd.DataFrame(
        [
            {"source_id": 2, "technology": "二阶段油气回收", "operating_rate": 1.0},
            {"source_id": 3, "technology": "一阶段油气回收", "operating_rate": 1.0},
            {"source_id": 4, "technology": "一阶段油气回收", "operating_rate": 1.0},
            {"source_id": 4, "technology": "二阶段油气回收", "operating_rate": 1.0},
            {"source_id": 5, "technology": "二阶段油气回收", "operating_rate": 0.85},
        ]
    )
    result = compute_emissions(
        pd.DataFrame(
            [
                # 1000 t petrol x 4.5 kg/t = 4.5 t, no control
                activity(1, "07030101", "throughput", 1000.0, "t", product="汽油"),
                # Stage II: 4.5 t x (1 - 0.444) = 2.502 t (not 4.5 x 0.1 = 0.45 t)
                activity(2, "07030101", "throughput", 1000.0, "t", product="汽油"),
                # Stage I: 4.5 t x (1 - 0.304) = 3.132 t
                activity(3, "07030101", "throughput", 1000.0, "t", product="汽油"),
                # both: shares add, 4.5 t x (1 - 0.748) = 1.134 t (in series it would be 1.7424 t)
                activity(4, "07030101", "throughput", 1000.0, "t", product="汽油"),
                # Stage II running 85 % of the time: 4.5 t x (1 - 0.444 x 0.85) = 2.80170 t
                activity(5, "07030101", "throughput", 1000.0, "t", product="汽油"),
                # area sheet: 2 万吨 = 20 000 t x 4.5 kg/t = 90 t
                activity(6, "07030101", "area_activity", 2.0, "万吨", kind="area"),
            ]
        ),
        library,
        efficiencies=shipped_removal_efficiencies(),
        controls=controls,
    )
    assert voc(result, 1) == pytest.approx(4.5)
    assert voc(result, 2) == pytest.approx(2.502)
    assert voc(result, 3) == pytest.approx(3.132)
    assert voc(result, 4) == pytest.approx(1.134)
    assert voc(result, 5) == pytest.approx(2.8017)
    assert voc(result, 6) == pytest.approx(90.0)


def test_diesel_sales_take_the_tier_two_chain_at_the_diesel_vapour_pressure(
    library: pd.DataFrame,
) -> None:
    # 75 g/m3/kPa x 0.006 psia (AP-42 Table 7.1-2, No. 2 fuel oil, 60 F) x 6.894757 = 3.10 g/m3,
    # shipped as 3.1 g/m3; tonnes become m3 through the shipped diesel density 837 kg/m3.
    result = compute_emissions(
        pd.DataFrame(
            [
                # 1000 t / 0.837 t/m3 = 1194.74 m3 x 3.1 g = 3703.7 g
                activity(1, "07030102", "throughput", 1000.0, "t", product="柴油"),
                # area sheet: 2 万吨 = 20 000 t / 0.837 x 3.1 g = 74 074 g
                activity(2, "07030102", "area_activity", 2.0, "万吨", kind="area"),
                # the chain is counted at the point of sale: depots stay without a row
                activity(3, "07010102", "throughput", 1000.0, "t", product="柴油"),
                activity(4, "07010101", "throughput", 1000.0, "t", product="汽油"),
            ]
        ),
        library,
    )
    assert voc(result, 1) == pytest.approx(1000.0 / 0.837 * 3.1e-6)
    assert voc(result, 1) == pytest.approx(0.0037037, rel=1e-4)
    assert voc(result, 2) == pytest.approx(0.074074, rel=1e-4)
    assert gap(result, 3) == "no_factor"
    assert gap(result, 4) == "no_factor"


def test_station_volumes_take_the_shipped_petrol_density(library: pd.DataFrame) -> None:
    result = compute_emissions(
        pd.DataFrame(
            [
                # 1000 m3 x 741 kg/m3 = 741 t petrol; x 4.5 kg/t = 3334.5 kg = 3.3345 t
                activity(1, "07030101", "throughput", 1000.0, "m3", product="汽油"),
                # 1e6 L = 1000 m3: the same
                activity(2, "07030101", "throughput", 1e6, "L", product="汽油"),
                # a diesel station in m3: 1000 m3 x 3.1 g/m3 = 3.1 kg (no density needed)
                activity(3, "07030102", "throughput", 1000.0, "m3", product="柴油"),
            ]
        ),
        library,
    )
    assert voc(result, 1) == pytest.approx(3.3345)
    assert voc(result, 2) == pytest.approx(3.3345)
    assert voc(result, 3) == pytest.approx(0.0031)


def test_pesticide_use_and_textile_dyeing(library: pd.DataFrame) -> None:
    result = compute_emissions(
        pd.DataFrame(
            [
                # area sheet 农药使用: 4000 t x 253 g/kg (757 t / 2990 t, Beijing 2020) = 1012 t
                activity(1, "04040101", "area_activity", 4000.0, "吨", kind="area"),
                # a dyeing works: 10 t product x 81.4 g/kg (MEE 2014 印染) = 0.814 t
                activity(2, "04030201", "output", 10.0, "t"),
                # area sheet 印染: 100 t x 81.4 g/kg = 8.14 t
                activity(3, "04030201", "area_activity", 100.0, "t", kind="area"),
            ]
        ),
        library,
    )
    assert voc(result, 1) == pytest.approx(1012.0)
    assert voc(result, 2) == pytest.approx(0.814)
    assert voc(result, 3) == pytest.approx(8.14)


def test_coatings_without_voc_content_stay_gaps_and_the_mass_balance_fills_them(
    library: pd.DataFrame,
) -> None:
    # EMEP 2.D.3.d Tier 1 Tables 3-1..3-3 (150/400/200 g/kg) are not shipped: no text confirming
    # which table is decorative, industrial or other was found (gaps.csv 0401/0402).
    result = compute_emissions(
        pd.DataFrame(
            [
                # area sheet 建筑涂料 as in the demo sample, no VOC content: a gap, not 150 g/kg
                activity(1, "04020101", "area_activity", 12000.0, "吨", kind="area"),
                # road-marking paint, no VOC content: a gap
                activity(2, "04020102", "area_activity", 500.0, "t", kind="area"),
                # industrial coating line, no VOC content: a gap, not 400 g/kg
                activity(3, "04010101", "material_use", 50.0, "t", product="工业涂料"),
                # the same line with a VOC content: mass balance 50 t x 60 % = 30 t
                activity(
                    4, "04010101", "material_use", 50.0, "t", product="工业涂料", voc_content_pct=60
                ),
            ]
        ),
        library,
    )
    assert gap(result, 1) == "no_factor"
    assert gap(result, 2) == "no_factor"
    assert gap(result, 3) == "no_factor"
    assert voc(result, 4) == pytest.approx(30.0)
