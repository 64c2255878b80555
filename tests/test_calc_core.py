"""The calculation core on small frames, every number worked out by hand in the test."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from calc_rows import factor

from inventory.calc import compute_emissions
from inventory.errors import CalcInputError, UnitMismatch


def activity(
    activity_id: int, source_id: int, class_code: str, quantity: float, unit: str, **fields: Any
) -> dict[str, Any]:
    return {
        "activity_id": activity_id,
        "source_id": source_id,
        "kind": "point",
        "class_code": class_code,
        "activity_type": "fuel",
        "quantity": quantity,
        "unit": unit,
        **fields,
    }


def parameter(
    factor_id: int, class_code: str, name: str, value: float, unit: str = "", **fields: Any
) -> dict[str, Any]:
    return factor(
        factor_id, class_code, None, value, unit, product=name, basis="parameter", **fields
    )


def run(
    activities: list[dict[str, Any]],
    factors: list[dict[str, Any]],
    efficiencies: list[dict[str, Any]] | None = None,
    controls: list[dict[str, Any]] | None = None,
    measured: list[dict[str, Any]] | None = None,
    pollutants: tuple[str, ...] = ("SO2", "NOx", "PM10", "PM2.5", "BC", "VOCs", "NH3"),
) -> Any:
    def frame(rows: list[dict[str, Any]] | None) -> Any:
        return None if rows is None else pd.DataFrame(rows)

    return compute_emissions(
        frame(activities),
        frame(factors),
        frame(efficiencies),
        frame(controls),
        frame(measured),
        pollutants=pollutants,
    )


def one(result: Any, pollutant: str, activity_id: int | None = None) -> Any:
    rows = result.emissions[result.emissions["pollutant"] == pollutant]
    if activity_id is not None:
        rows = rows[rows["activity_id"] == activity_id]
    assert len(rows) == 1, rows
    return rows.iloc[0]


COAL = activity(1, 10, "01010101", 2.0, "万吨", fuel="燃煤", technology="层燃炉")
NOX_COAL = factor(1, "01", "NOx", 8.0, "g/kg", fuel="燃煤")


def test_emission_factor_with_unit_conversion_and_control() -> None:
    # 2 万吨 = 20 000 t of coal x 8 g/kg = 160 t NOx; SCR 70 % running 90 % of the time
    # removes 0.63: 160 x 0.37 = 59.2 t.
    result = run(
        [COAL],
        [NOX_COAL],
        [{"technology": "SCR", "pollutant": "NOx", "efficiency": 0.7, "source": "t"}],
        [{"source_id": 10, "technology": "SCR", "pollutant": "NOx", "operating_rate": 0.9}],
        pollutants=("NOx",),
    )
    row = one(result, "NOx")
    assert row["uncontrolled_t"] == pytest.approx(160.0)
    assert row["emissions_t"] == pytest.approx(59.2)
    assert row["control_efficiency"] == pytest.approx(0.63)
    assert row["control_technology"] == "SCR"
    assert row["method"] == "emission_factor"
    assert pd.isna(row["replaced_method"])
    assert (row["factor_id"], row["factor_value"], row["factor_unit"]) == (1, 8.0, "g/kg")
    assert (row["factor_source"], row["activity_value"], row["activity_unit"]) == (
        "doc 1",
        2.0,
        "万吨",
    )
    assert result.gaps.empty


def test_gas_factor_per_ten_thousand_cubic_metres() -> None:
    # 100 万立方米 x 18.7 kg/10^4 m3 = 1870 kg = 1.87 t.
    gas = activity(2, 11, "01020101", 100.0, "万立方米", fuel="天然气")
    result = run(
        [gas], [factor(4, "01", "NOx", 18.7, "kg/10^4 m3", fuel="天然气")], pollutants=("NOx",)
    )
    assert one(result, "NOx")["emissions_t"] == pytest.approx(1.87)


def test_sulfur_mass_balance_replaces_the_emission_factor() -> None:
    # 20 000 t coal x 1 % S x 2 x (1 - 0.2 retention) = 320 t SO2; desulfurisation 90 % -> 32 t.
    coal = {**COAL, "sulfur_pct": 1.0}
    result = run(
        [coal],
        [
            factor(2, "01", "SO2", 16.0, "g/kg", fuel="燃煤"),
            parameter(3, "01", "sulfur_retention", 20.0, "%", fuel="燃煤"),
        ],
        [{"technology": "石灰石-石膏法", "pollutant": "SO2", "efficiency": 0.9, "source": "t"}],
        [{"source_id": 10, "technology": "石灰石-石膏法"}],
        pollutants=("SO2",),
    )
    row = one(result, "SO2")
    assert row["uncontrolled_t"] == pytest.approx(320.0)
    assert row["emissions_t"] == pytest.approx(32.0)
    assert row["method"] == "mass_balance"
    assert row["replaced_method"] == "emission_factor"
    assert row["factor_id"] == 3
    assert row["factor_value"] == pytest.approx(0.016)  # t SO2 per t coal
    assert (row["factor_unit"], row["activity_unit"], row["activity_value"]) == (
        "t/t",
        "t",
        20000.0,
    )
    assert "sulfur_retention" in row["factor_source"] and "doc 3" in row["factor_source"]


def test_sulfur_mass_balance_without_retention_parameter_falls_back_to_the_factor() -> None:
    coal = {**COAL, "sulfur_pct": 1.0}
    result = run([coal], [factor(2, "01", "SO2", 16.0, "g/kg", fuel="燃煤")], pollutants=("SO2",))
    row = one(result, "SO2")
    assert row["method"] == "emission_factor"
    assert row["emissions_t"] == pytest.approx(320.0)  # 20 000 t x 16 g/kg


def test_particles_from_ash_with_size_fractions_and_black_carbon() -> None:
    # 10 000 t coal, ash 20 %, 20 % of ash retained -> fly ash 1600 t;
    # PM10 = 50 % of it = 800 t, PM2.5 = 20 % = 320 t, BC = 5 % of PM2.5 = 16 t.
    # A bag filter removes 99 % of PM10 and 95 % of PM2.5; BC inherits the PM2.5 efficiency.
    coal = activity(1, 10, "01010101", 10000.0, "t", fuel="燃煤", ash_pct=20.0)
    params = [
        parameter(20, "01", "ash_retention", 0.2, fuel="燃煤"),
        parameter(21, "01", "pm10_fraction_of_ash", 0.5),
        parameter(22, "01", "pm25_fraction_of_ash", 0.2),
        parameter(23, "01", "bc_fraction_of_pm25", 0.05),
    ]
    efficiencies = [
        {"technology": "袋式除尘", "pollutant": "PM10", "efficiency": 0.99},
        {"technology": "袋式除尘", "pollutant": "PM2.5", "efficiency": 0.95},
    ]
    result = run(
        [coal],
        params,
        efficiencies,
        [{"source_id": 10, "technology": "袋式除尘"}],
        pollutants=("PM10", "PM2.5", "BC"),
    )
    assert one(result, "PM10")["uncontrolled_t"] == pytest.approx(800.0)
    assert one(result, "PM10")["emissions_t"] == pytest.approx(8.0)
    assert one(result, "PM2.5")["emissions_t"] == pytest.approx(16.0)
    bc = one(result, "BC")
    assert bc["uncontrolled_t"] == pytest.approx(16.0)
    assert bc["emissions_t"] == pytest.approx(0.8)
    assert bc["factor_id"] == 23
    assert set(result.emissions["method"]) == {"mass_balance"}
    assert result.emissions["replaced_method"].isna().all()  # no factor existed to replace


def test_solvent_voc_mass_balance_with_capture_and_treatment() -> None:
    # 50 t of coating at 60 % VOC = 30 t; capture 80 % x RTO 95 % = 76 % removed -> 7.2 t.
    coating = activity(5, 50, "04010101", 50.0, "t", product="工业涂料", voc_content_pct=60.0)
    result = run(
        [coating],
        [],
        [{"technology": "RTO", "pollutant": "VOCs", "efficiency": 0.95}],
        [{"source_id": 50, "technology": "RTO", "pollutant": "VOCs", "capture": 0.8}],
        pollutants=("VOCs",),
    )
    row = one(result, "VOCs")
    assert row["uncontrolled_t"] == pytest.approx(30.0)
    assert row["emissions_t"] == pytest.approx(7.2)
    assert row["control_efficiency"] == pytest.approx(0.76)
    assert row["method"] == "mass_balance"
    assert pd.isna(row["factor_id"])


def test_on_road_population_times_km_per_vehicle() -> None:
    # 0.1 万辆 = 1000 cars x 15 000 km x 0.2 g/km = 3 000 000 g = 3 t.
    cars = activity(
        6,
        60,
        "03010101",
        0.1,
        "万辆",
        activity_type="population",
        vehicle_class="小型载客汽车",
        fuel="汽油",
        standard="国5",
        km_per_vehicle=15000.0,
    )
    result = run(
        [cars],
        [
            factor(
                7,
                "03",
                "NOx",
                0.2,
                "g/km",
                vehicle_class="小型载客汽车",
                fuel="汽油",
                standard="国5",
            )
        ],
        pollutants=("NOx",),
    )
    row = one(result, "NOx")
    assert row["emissions_t"] == pytest.approx(3.0)
    assert (row["activity_value"], row["activity_unit"]) == (15_000_000.0, "km")


def test_non_road_power_method() -> None:
    # 10 machines x 100 kW x 500 h x 0.5 load = 250 000 kWh x 5 g/kWh = 1.25 t.
    machines = activity(
        8,
        80,
        "03020101",
        10.0,
        "台",
        activity_type="machine_count",
        technology="挖掘机",
        standard="国3",
        power_kw=100.0,
        hours=500.0,
        load_factor=0.5,
    )
    result = run(
        [machines],
        [factor(9, "0302", "NOx", 5.0, "g/kWh", technology="挖掘机")],
        pollutants=("NOx",),
    )
    row = one(result, "NOx")
    assert row["emissions_t"] == pytest.approx(1.25)
    assert row["activity_unit"] == "kWh"


def test_straw_burning_chain() -> None:
    # 10 000 t corn x 1.2 straw/grain x 30 % burned x 90 % burns = 3240 t x 3 g/kg = 9.72 t.
    corn = activity(9, 90, "08010101", 10000.0, "t", activity_type="crop_output", fuel="秸秆")
    factors = [
        factor(11, "0801", "NOx", 3.0, "g/kg"),
        parameter(12, "08010101", "straw_grain_ratio", 1.2),
        parameter(13, "0801", "burned_fraction", 30.0, "%"),
        parameter(14, "0801", "combustion_efficiency", 0.9),
    ]
    row = one(run([corn], factors, pollutants=("NOx",)), "NOx")
    assert row["emissions_t"] == pytest.approx(9.72)
    assert row["activity_value"] == pytest.approx(3240.0)


def test_straw_burning_without_parameters_is_a_gap() -> None:
    corn = activity(9, 90, "08010101", 10000.0, "t", activity_type="crop_output")
    result = run([corn], [factor(11, "0801", "NOx", 3.0, "g/kg")], pollutants=("NOx",))
    assert result.emissions.empty
    gap = result.gaps.iloc[0]
    assert gap["reason"] == "no_factor" and "straw_grain_ratio" in gap["message"]


def test_livestock_head_times_factor_and_count_units_do_not_mix() -> None:
    # 1 万头 = 10 000 head x 5 kg/head = 50 t NH3.
    cattle = activity(12, 120, "05010101", 1.0, "万头", fuel=None)
    nh3 = factor(15, "05", "NH3", 5.0, "kg/head")
    assert one(run([cattle], [nh3], pollutants=("NH3",)), "NH3")["emissions_t"] == pytest.approx(
        50.0
    )
    trucks = activity(13, 130, "05010101", 3.0, "辆")
    with pytest.raises(UnitMismatch):
        run([trucks], [nh3], pollutants=("NH3",))


def test_factor_that_does_not_fit_the_activity_names_source_factor_and_units() -> None:
    gas = activity(2, 11, "01020101", 100.0, "万立方米", fuel="天然气")
    with pytest.raises(UnitMismatch) as caught:
        run([gas], [factor(31, "01", "NOx", 2.0, "kg/t")], pollutants=("NOx",))
    text = str(caught.value)
    assert "source 11" in text and "factor 31" in text
    assert "万立方米" in text and "kg/t" in text


def test_species_units_fit_only_their_own_pollutant() -> None:
    ok = run([COAL], [factor(1, "01", "NOx", 8.0, "g_NOx/kg")], pollutants=("NOx",))
    assert one(ok, "NOx")["emissions_t"] == pytest.approx(160.0)
    with pytest.raises(UnitMismatch):
        run([COAL], [factor(1, "01", "NOx", 8.0, "g_SO2/kg")], pollutants=("NOx",))


def test_controlled_basis_factor_is_not_reduced_again() -> None:
    result = run(
        [COAL],
        [factor(1, "01", "NOx", 2.0, "g/kg", basis="controlled")],
        [{"technology": "SCR", "pollutant": "NOx", "efficiency": 0.7}],
        [{"source_id": 10, "technology": "SCR"}],
        pollutants=("NOx",),
    )
    row = one(result, "NOx")
    assert row["emissions_t"] == pytest.approx(40.0)  # 20 000 t x 2 g/kg
    assert row["control_efficiency"] == 0.0
    assert np.isnan(row["uncontrolled_t"])


def test_combined_train_row_is_used_when_present_else_devices_in_series() -> None:
    efficiencies = [
        {"technology": "低氮燃烧", "pollutant": "NOx", "efficiency": 0.3},
        {"technology": "SCR", "pollutant": "NOx", "efficiency": 0.7},
    ]
    controls = [{"source_id": 10, "technology": "低氮燃烧"}, {"source_id": 10, "technology": "SCR"}]
    # In series: 1 - 0.7 x 0.3 = 0.79.
    row = one(run([COAL], [NOX_COAL], efficiencies, controls, pollutants=("NOx",)), "NOx")
    assert row["control_efficiency"] == pytest.approx(0.79)
    assert row["control_technology"] == "低氮燃烧+SCR"
    # With a row for the train (written in the other order): 0.75.
    train = [
        *efficiencies,
        {"technology": "SCR + 低氮燃烧", "pollutant": "NOx", "efficiency": 0.75},
    ]
    row = one(run([COAL], [NOX_COAL], train, controls, pollutants=("NOx",)), "NOx")
    assert row["control_efficiency"] == pytest.approx(0.75)
    assert row["emissions_t"] == pytest.approx(40.0)
    # An explicit efficiency on a device switches back to the series rule: 1 - 0.5 x 0.7.
    explicit = [controls[0], {**controls[1], "efficiency": 0.5}]
    row = one(run([COAL], [NOX_COAL], train, explicit, pollutants=("NOx",)), "NOx")
    assert row["control_efficiency"] == pytest.approx(0.65)


def test_control_without_pollutant_applies_to_every_pollutant_of_its_technology() -> None:
    efficiencies = [
        {"technology": "湿法脱硫", "pollutant": "SO2", "efficiency": 0.9},
        {"technology": "湿法脱硫", "pollutant": "PM10", "efficiency": 0.5},
    ]
    factors = [NOX_COAL, factor(2, "01", "SO2", 10.0, "g/kg"), factor(3, "01", "PM10", 1.0, "g/kg")]
    result = run(
        [COAL],
        factors,
        efficiencies,
        [{"source_id": 10, "technology": "湿法脱硫"}],
        pollutants=("SO2", "NOx", "PM10"),
    )
    assert one(result, "SO2")["control_efficiency"] == pytest.approx(0.9)
    assert one(result, "PM10")["control_efficiency"] == pytest.approx(0.5)
    assert one(result, "NOx")["control_efficiency"] == 0.0


def test_measured_replaces_estimate_and_says_which_method() -> None:
    # CEMS 12 t and a manual sample 15 t of the same stack: only CEMS counts.
    measured = [
        {"source_id": 10, "pollutant": "NOx", "quantity": 12.0, "unit": "t", "method": "cems"},
        {"source_id": 10, "pollutant": "NOx", "quantity": 15.0, "unit": "t", "method": "manual"},
        {"source_id": 99, "pollutant": "SO2", "quantity": 3000.0, "unit": "kg", "method": "manual"},
    ]
    result = run([COAL], [NOX_COAL], measured=measured, pollutants=("SO2", "NOx"))
    nox = result.emissions[result.emissions["pollutant"] == "NOx"]
    assert len(nox) == 1
    row = nox.iloc[0]
    assert (row["method"], row["replaced_method"], row["emissions_t"]) == (
        "measured",
        "emission_factor",
        12.0,
    )
    assert pd.isna(row["activity_id"]) and row["source_id"] == 10
    so2 = one(result, "SO2")
    assert (so2["source_id"], so2["emissions_t"]) == (99, pytest.approx(3.0))
    assert pd.isna(so2["replaced_method"])
    # The coal's SO2 (no factor) is a gap; measured NOx is not.
    assert list(result.gaps["pollutant"]) == ["SO2"]


def test_gaps_name_the_reason_and_are_never_dropped() -> None:
    cars = activity(6, 60, "03010101", 1000.0, "辆", activity_type="population")
    result = run([COAL, cars], [NOX_COAL], pollutants=("NOx", "VOCs"))
    gaps = result.gaps.set_index(["activity_id", "pollutant"])
    assert gaps.loc[(1, "VOCs"), "reason"] == "no_factor"
    assert "class 01010101" in gaps.loc[(1, "VOCs"), "message"]
    assert gaps.loc[(6, "NOx"), "reason"] == "no_activity"
    assert "km_per_vehicle" in gaps.loc[(6, "NOx"), "message"]
    assert len(result.emissions) + len(result.gaps) == 2 * 2


def test_most_specific_factor_wins() -> None:
    factors = [
        factor(1, "01", "NOx", 1.0, "g/kg"),
        factor(2, "0101", "NOx", 2.0, "g/kg"),  # longer class code beats ...
        factor(3, "01", "NOx", 3.0, "g/kg", fuel="燃煤", technology="层燃炉"),  # ... selectors
        factor(4, "010101", "NOx", 4.0, "g/kg", fuel="燃油"),  # other fuel: never applies
    ]
    assert one(run([COAL], factors, pollutants=("NOx",)), "NOx")["factor_id"] == 2
    # Same level: more named selectors win; then the lowest id.
    same_level = [
        factor(5, "0101", "NOx", 5.0, "g/kg", fuel="燃煤"),
        factor(6, "0101", "NOx", 6.0, "g/kg", fuel="燃煤", technology="层燃炉"),
        factor(7, "0101", "NOx", 7.0, "g/kg", fuel="燃煤", technology="层燃炉"),
    ]
    assert one(run([COAL], same_level, pollutants=("NOx",)), "NOx")["factor_id"] == 6
    # A local set (higher priority) beats the shipped one even at a higher level.
    local = [*factors, factor(8, "01", "NOx", 8.0, "g/kg", priority=10, source="local")]
    assert one(run([COAL], local, pollutants=("NOx",)), "NOx")["factor_id"] == 8


def test_size_class_ranges_in_any_unit() -> None:
    # 35 t/h (蒸吨) = 24.5 MW falls in (0, 100] MW; 200 MW in (100, 300].
    small = activity(1, 10, "0101", 1.0, "t", size_value=35.0, size_unit="t/h")
    large = activity(2, 20, "0101", 1.0, "t", size_value=20.0, size_unit="万千瓦")
    factors = [
        factor(1, "01", "NOx", 1.0, "kg/t", size_max=100.0, size_unit="MW"),
        factor(2, "01", "NOx", 2.0, "kg/t", size_min=100.0, size_max=300.0, size_unit="MW"),
        factor(3, "01", "NOx", 3.0, "kg/t"),
    ]
    result = run([small, large], factors, pollutants=("NOx",))
    assert list(result.emissions.sort_values("activity_id")["factor_id"]) == [1, 2]
    no_size = activity(3, 30, "0101", 1.0, "t")
    assert one(run([no_size], factors, pollutants=("NOx",)), "NOx")["factor_id"] == 3


def test_contract_errors_are_typed() -> None:
    with pytest.raises(CalcInputError, match="unit"):
        compute_emissions(
            pd.DataFrame([{"activity_id": 1, "source_id": 1, "class_code": "01", "quantity": 1.0}]),
            pd.DataFrame([NOX_COAL]),
        )
    with pytest.raises(CalcInputError, match="fraction"):
        run([COAL], [NOX_COAL], [{"technology": "SCR", "pollutant": "NOx", "efficiency": 85.0}])


def test_output_columns_follow_the_contract() -> None:
    from inventory.calc import EMISSION_COLUMNS, GAP_COLUMNS

    result = run([COAL], [NOX_COAL], pollutants=("NOx", "SO2"))
    assert tuple(result.emissions.columns) == EMISSION_COLUMNS
    assert tuple(result.gaps.columns) == GAP_COLUMNS
    assert str(result.emissions["activity_id"].dtype) == "Int64"
    assert str(result.emissions["factor_id"].dtype) == "Int64"
    empty = run([], [], pollutants=("NOx",))
    assert empty.emissions.empty and empty.gaps.empty
    assert tuple(empty.emissions.columns) == EMISSION_COLUMNS


def test_non_road_hours_and_load_from_parameters_and_power_as_size_class() -> None:
    # 2 tractors x 50 kW, no hours or load on the record: the machine type's parameters give
    # 475 h/yr and 0.59 -> 2 x 50 x 475 x 0.59 = 28 025 kWh. 50 kW = 67.05 hp falls in the
    # [50, 100) hp band: 5 g/hp-hr = 5 / 0.745699872 g/kWh -> 0.18790 t.
    tractors = activity(
        14,
        140,
        "03020201",
        2.0,
        "台",
        activity_type="machine_count",
        fuel="柴油",
        standard="国2",
        power_kw=50.0,
    )
    factors = [
        factor(
            40,
            "0302",
            "NOx",
            9.0,
            "g/hp-hr",
            fuel="柴油",
            size_min=0.0,
            size_max=50.0,
            size_unit="hp",
        ),
        factor(
            41,
            "0302",
            "NOx",
            5.0,
            "g/hp-hr",
            fuel="柴油",
            size_min=50.0,
            size_max=100.0,
            size_unit="hp",
        ),
        parameter(42, "03020201", "annual_hours", 475.0, "h/yr"),
        parameter(43, "03020201", "load_factor", 0.59, "fraction"),
    ]
    row = one(run([tractors], factors, pollutants=("NOx",)), "NOx")
    assert row["factor_id"] == 41
    assert row["activity_value"] == pytest.approx(28025.0)
    assert row["emissions_t"] == pytest.approx(28025.0 * 5.0 / 0.745699872 / 1e6)


def test_size_bands_include_their_lower_bound() -> None:
    # [min, max): a unit of exactly 100 MW takes the band that starts at 100.
    unit = activity(1, 10, "0101", 1.0, "t", size_value=100.0, size_unit="MW")
    factors = [
        factor(1, "01", "NOx", 1.0, "kg/t", size_max=100.0, size_unit="MW"),
        factor(2, "01", "NOx", 2.0, "kg/t", size_min=100.0, size_max=300.0, size_unit="MW"),
    ]
    assert one(run([unit], factors, pollutants=("NOx",)), "NOx")["factor_id"] == 2
