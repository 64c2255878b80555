"""Each action on a small inventory, with the changed quantities worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inventory.errors import ScenarioError
from inventory.scenario import ScenarioInputs, apply_scenario, parse_scenario, select_sources
from inventory.scenario.controls import combined_efficiency

NAN = np.nan


def small_inventory() -> ScenarioInputs:
    """Ten sources of every kind (ids 1-10), one activity row each (activity id = 100 + id)."""
    sources = pd.DataFrame(
        [
            # id kind   class       sector                  region   facility fuel   firing  tph   mw   vclass        std   machine stage material solvent category lon    lat
            (1, "point", "01020101", "industrial_combustion", "150502", "F1", "燃煤", "层燃炉", 20.0, NAN, None, None, None, None, None, None, None, 122.26, 43.62),
            (2, "point", "01020101", "industrial_combustion", "150502", "F2", "燃煤", "层燃炉", 75.0, NAN, None, None, None, None, None, None, None, 122.40, 43.70),
            (3, "point", "010101", "power_heat", "150502", "F3", "燃煤", "煤粉炉", NAN, 350.0, None, None, None, None, None, None, None, 122.30, 43.65),
            (4, "point", "01020102", "industrial_combustion", "150523", "F4", "天然气", "燃气", 10.0, NAN, None, None, None, None, None, None, None, 121.30, 43.60),
            (5, "mobile", "030101", "onroad", "150502", None, "柴油", None, NAN, NAN, "重型载货汽车", "国3", None, None, None, None, None, NAN, NAN),
            (6, "mobile", "030101", "onroad", "150502", None, "柴油", None, NAN, NAN, "重型载货汽车", "国6", None, None, None, None, None, NAN, NAN),
            (7, "nonroad", "030201", "nonroad", "150502", None, "柴油", None, NAN, NAN, None, None, "挖掘机", "国1", None, None, None, NAN, NAN),
            (8, "point", "040101", "solvent", "150571", "F8", None, None, NAN, NAN, None, None, None, None, "工业涂料", "溶剂型", None, 122.2, 43.6),
            (9, "point", "040101", "solvent", "150571", "F9", None, None, NAN, NAN, None, None, None, None, "工业涂料", "水性", None, 122.2, 43.6),
            (10, "area", "080301", "biomass_burning", "150523", None, None, None, NAN, NAN, None, None, None, None, None, None, "秸秆露天焚烧-玉米", NAN, NAN),
        ],
        columns=[
            "source_id", "kind", "class_code", "sector", "region_code", "facility", "fuel", "firing",
            "capacity_tph", "capacity_mw", "vehicle_class", "standard", "machine", "stage",
            "material", "solvent_type", "category", "lon", "lat",
        ],
    )  # fmt: skip
    activities = pd.DataFrame(
        {
            "activity_id": np.arange(101, 111, dtype="int64"),
            "source_id": np.arange(1, 11, dtype="int64"),
            "kind": sources["kind"],
            "class_code": sources["class_code"],
            "activity_type": ["fuel_use"] * 4
            + ["population"] * 2
            + ["machine_count"]
            + ["material_use"] * 2
            + ["area_activity"],
            "quantity": [1000.0, 10000.0, 50.0, 200.0, 100.0, 50.0, 10.0, 10.0, 10.0, 1000.0],
            "unit": ["t", "t", "万吨", "万立方米", "辆", "辆", "台", "t", "t", "t"],
            "fuel": ["燃煤", "燃煤", "燃煤", "天然气", "柴油", "柴油", "柴油", None, None, None],
            "technology": [
                "层燃炉",
                "层燃炉",
                "煤粉炉",
                "燃气",
                None,
                None,
                None,
                "溶剂型",
                "水性",
                None,
            ],
            "product": [None] * 7 + ["工业涂料", "工业涂料", None],
            "vehicle_class": [None] * 4 + ["重型载货汽车"] * 2 + ["挖掘机"] + [None] * 3,
            "standard": [None] * 4 + ["国3", "国6", "国1"] + [None] * 3,
            "size_value": NAN,
            "size_unit": None,
            "sulfur_pct": [1.0, 1.0, 0.8] + [NAN] * 7,
            "ash_pct": [20.0, 20.0, 18.0] + [NAN] * 7,
            "voc_content_pct": [NAN] * 7 + [60.0, 10.0, NAN],
            "km_per_vehicle": [NAN] * 4 + [50000.0, 60000.0] + [NAN] * 4,
            "power_kw": [NAN] * 6 + [100.0] + [NAN] * 3,
            "hours": [NAN] * 6 + [1000.0] + [NAN] * 3,
            "load_factor": [NAN] * 6 + [0.5] + [NAN] * 3,
        }
    )
    controls = pd.DataFrame(
        {
            "source_id": np.array([2, 3], dtype="int64"),
            "technology": ["SNCR", "SCR"],
            "pollutant": ["NOx", None],
            "efficiency": [0.5, NAN],
            "operating_rate": [NAN, NAN],
            "capture": [NAN, NAN],
        }
    )
    measured = pd.DataFrame(
        {
            "source_id": np.array([2, 3], dtype="int64"),
            "pollutant": ["SO2", "NOx"],
            "quantity": [80.0, 400.0],
            "unit": ["t", "t"],
            "method": ["cems", "cems"],
        }
    )
    efficiencies = pd.DataFrame(
        {
            "technology": ["SCR", "SNCR", "低氮燃烧"],
            "pollutant": ["NOx", "NOx", "NOx"],
            "efficiency": [0.7, 0.3, 0.25],
            "source": ["test table"] * 3,
        }
    )
    return ScenarioInputs(
        activities, controls, measured, sources, factors=None, efficiencies=efficiencies
    )


def run(measures_yaml: str, inputs: ScenarioInputs | None = None, compute=None):  # type: ignore[no-untyped-def]
    scenario = parse_scenario(f"name: t\nbase_year: 2025\nmeasures:\n{measures_yaml}")
    return apply_scenario(scenario, inputs or small_inventory(), compute)


def quantity(outcome, activity_id: int) -> float:  # type: ignore[no-untyped-def]
    acts = outcome.inputs.activities
    return float(acts.loc[acts["activity_id"] == activity_id, "quantity"].iloc[0])


def measure_of(outcome, activity_id: int):  # type: ignore[no-untyped-def]
    acts = outcome.inputs.activities
    return acts.loc[acts["activity_id"] == activity_id, "measure"].iloc[0]


# --- selectors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("{class: '01'}", [1, 2, 3, 4]),
        ("{class: '0102'}", [1, 2, 4]),
        ("{class: ['01020101', '0101']}", [1, 2, 3]),
        ("{sector: onroad}", [5, 6]),
        ("{county: 开鲁县}", [4, 10]),
        ("{facility: F2}", [2]),
        ("{fuel: 燃煤, capacity_tph: {below: 35}}", [1]),
        ("{fuel: 燃煤, capacity_tph: {above: 65}}", [2]),
        ("{capacity_mw: {min: 300}}", [3]),
        ("{vehicle_class: 重型载货汽车, standard: 国三}", [5]),
        ("{stage: Stage I}", [7]),
        ("{machine: 挖掘机}", [7]),
        ("{material: 工业涂料, solvent_type: 溶剂型}", [8]),
        ("{category: 秸秆露天焚烧-玉米}", [10]),
        ("{kind: point, control: true}", [2, 3]),
        ("{kind: point, control: {present: false}}", [1, 4, 8, 9]),
        ("{control: {technology: SCR, pollutant: NOx}}", [3]),
        ("{fuel: 燃煤, within_km: {distance: 15, of: {capacity_mw: {min: 300}}}}", [1, 2]),
        ("{fuel: 燃煤, within_km: {distance: 5, of: {capacity_mw: {min: 300}}}}", [1]),
    ],
)
def test_selectors(selector: str, expected: list[int]) -> None:
    scenario = parse_scenario(
        f"name: t\nbase_year: 2025\nmeasures:\n  - {{id: m, select: {selector}, action: {{type: scale, percent: 0}}}}\n"
    )
    assert select_sources(scenario.measures[0].select, small_inventory()).tolist() == expected


def test_a_selector_on_a_missing_attribute_names_it() -> None:
    inputs = small_inventory()
    inputs = inputs.replace(sources=inputs.sources.drop(columns=["firing"]))
    with pytest.raises(ScenarioError, match="'firing'"):
        run("  - {id: m, select: {firing: 层燃炉}, action: {type: scale, percent: -5}}\n", inputs)


# --- structural actions --------------------------------------------------------------------


def test_close_zeroes_activity_and_measured_emissions() -> None:
    outcome = run("  - {id: c, select: {facility: F2}, action: close}\n")
    assert quantity(outcome, 102) == 0.0
    assert measure_of(outcome, 102) == "c"
    measured = outcome.inputs.measured.set_index("source_id")
    assert measured.loc[2, "quantity"] == 0.0 and measured.loc[2, "measure"] == "c"
    assert measured.loc[3, "quantity"] == 400.0 and measured.loc[3, "measure"] is None
    assert quantity(outcome, 101) == 1000.0  # untouched


def test_close_with_transfer_moves_the_fuel_in_the_targets_unit() -> None:
    outcome = run(
        "  - id: c\n    select: {fuel: 燃煤, capacity_tph: {below: 35}}\n"
        "    action: {type: close, transfer_to: {facility: F3}}\n"
    )
    # 1000 t of coal = 0.1 万吨 added to the CHP's 50 万吨
    assert quantity(outcome, 101) == 0.0
    assert quantity(outcome, 103) == pytest.approx(50.1)
    assert measure_of(outcome, 103) == "c"
    measured = outcome.inputs.measured.set_index("source_id")
    assert measured.loc[3, "quantity"] == pytest.approx(400.0 * 50.1 / 50.0)


def test_transfer_to_more_than_one_source_is_an_error() -> None:
    with pytest.raises(ScenarioError, match="exactly one source"):
        run(
            "  - {id: c, select: {facility: F1}, action: {type: close, transfer_to: {fuel: 燃煤}}}\n"
        )


def test_scale_by_a_percentage() -> None:
    outcome = run(
        "  - {id: s, select: {facility: [F1, F2]}, action: {type: scale, percent: -10}}\n"
    )
    assert quantity(outcome, 101) == pytest.approx(900.0)
    assert quantity(outcome, 102) == pytest.approx(9000.0)
    measured = outcome.inputs.measured.set_index("source_id")
    assert measured.loc[2, "quantity"] == pytest.approx(72.0)


def test_switch_fuel_with_a_stated_ratio() -> None:
    outcome = run(
        "  - id: g\n    select: {facility: F1}\n"
        "    action: {type: switch_fuel, to: 天然气, quantity_ratio: 0.06, unit: 万立方米, technology: 燃气}\n"
    )
    acts = outcome.inputs.activities.set_index("activity_id")
    assert acts.loc[101, "quantity"] == pytest.approx(60.0)
    assert acts.loc[101, "unit"] == "万立方米"
    assert acts.loc[101, "fuel"] == "天然气"
    assert acts.loc[101, "technology"] == "燃气"
    assert np.isnan(acts.loc[101, "sulfur_pct"]) and np.isnan(acts.loc[101, "ash_pct"])
    assert outcome.inputs.sources.set_index("source_id").loc[1, "fuel"] == "天然气"


def test_switch_fuel_on_categorical_text_as_the_build_reads_it() -> None:
    # the build reader hands text columns as categoricals; a measure writes a new text
    plain = small_inventory()
    activities = plain.activities.copy()
    for column in ("fuel", "unit", "technology", "class_code"):
        activities[column] = activities[column].astype("category")
    outcome = run(
        "  - id: g\n    select: {facility: F1}\n"
        "    action: {type: switch_fuel, to: 天然气, quantity_ratio: 0.06, unit: 万立方米}\n",
        plain.replace(activities=activities),
    )
    acts = outcome.inputs.activities.set_index("activity_id")
    assert acts.loc[101, "quantity"] == pytest.approx(60.0)  # 1000 t x 0.06
    assert acts.loc[101, "unit"] == "万立方米"
    assert acts.loc[101, "fuel"] == "天然气"


def test_switch_fuel_by_calorific_values_from_the_factor_library() -> None:
    factors = pd.DataFrame(
        {
            "factor_id": [1, 2],
            "priority": [0, 0],
            "class_code": ["01", "01"],
            "pollutant": [None, None],
            "fuel": ["燃煤", "天然气"],
            "product": ["net_calorific_value"] * 2,
            "value": [20.0, 36.0],
            "unit": ["GJ/t", "GJ/(10^4 m3)"],
            "basis": ["parameter"] * 2,
            "source": ["test"] * 2,
        }
    )
    inputs = small_inventory().replace(factors=factors)
    outcome = run(
        "  - {id: g, select: {facility: F2}, action: {type: switch_fuel, to: 天然气, unit: 万立方米}}\n",
        inputs,
    )
    # 10000 t x 20 GJ/t = 200000 GJ; / 36 GJ per 10^4 m3 = 5555.6 x 10^4 m3
    assert quantity(outcome, 102) == pytest.approx(200000 / 36)
    # the CEMS SO2 of the coal boiler no longer applies
    assert 2 not in outcome.inputs.measured["source_id"].tolist()
    assert "measured_dropped" in outcome.findings["code"].tolist()


def test_switch_fuel_without_calorific_values_is_a_gap_not_a_guess() -> None:
    outcome = run("  - {id: g, select: {facility: F1}, action: {type: switch_fuel, to: 天然气}}\n")
    assert quantity(outcome, 101) == 1000.0
    gap = outcome.findings.loc[outcome.findings["code"] == "no_calorific_value"]
    assert len(gap) == 1 and gap["severity"].iloc[0] == "gap"


def test_switch_to_electricity_leaves_no_emissions_at_the_source() -> None:
    outcome = run("  - {id: e, select: {facility: F1}, action: {type: switch_fuel, to: 电}}\n")
    assert quantity(outcome, 101) == 0.0


# --- controls ------------------------------------------------------------------------------


def test_add_control_from_the_table() -> None:
    outcome = run(
        "  - {id: lnb, select: {facility: F4}, action: {type: add_control, technology: 低氮燃烧}}\n"
    )
    controls = outcome.inputs.controls
    new = controls.loc[controls["source_id"] == 4]
    assert new["technology"].tolist() == ["低氮燃烧"]
    assert new["measure"].tolist() == ["lnb"]
    assert combined_efficiency(outcome.inputs, controls, "NOx").loc[4] == pytest.approx(0.25)


def test_add_control_in_series_and_measured_emissions_follow() -> None:
    # CHP (source 3): SCR 0.7 from the table, CEMS NOx 400 t. Add 低氮燃烧 0.25 in series:
    # combined 1 - 0.3 x 0.75 = 0.775; measured 400 x 0.225 / 0.3 = 300 t
    outcome = run(
        "  - {id: lnb, select: {facility: F3}, action: {type: add_control, technology: 低氮燃烧}}\n"
    )
    assert combined_efficiency(outcome.inputs, outcome.inputs.controls, "NOx").loc[
        3
    ] == pytest.approx(0.775)
    measured = outcome.inputs.measured.set_index("source_id")
    assert measured.loc[3, "quantity"] == pytest.approx(300.0)
    assert measured.loc[3, "measure"] == "lnb"


def test_upgrade_replaces_the_old_device() -> None:
    # source 2: SNCR at 0.5 for NOx; replaced by SCR at 0.9 x operating rate 0.9 = 0.81
    outcome = run(
        "  - id: up\n    select: {facility: F2}\n"
        "    action: {type: add_control, technology: SCR, pollutants: [NOx], efficiency: 0.9, operating_rate: '90%', replace: true}\n"
    )
    controls = outcome.inputs.controls
    assert controls.loc[controls["source_id"] == 2, "technology"].tolist() == ["SCR"]
    assert combined_efficiency(outcome.inputs, controls, "NOx").loc[2] == pytest.approx(0.81)


def test_a_technology_without_a_published_efficiency_is_a_gap() -> None:
    outcome = run(
        "  - {id: r, select: {facility: F8}, action: {type: add_control, technology: RTO}}\n"
    )
    gap = outcome.findings.loc[outcome.findings["code"] == "no_efficiency"]
    assert gap["severity"].tolist() == ["gap"] and "'RTO'" in gap["message"].iloc[0]
    assert len(outcome.inputs.controls) == 2  # nothing added


def _fake_compute(inputs: ScenarioInputs) -> pd.DataFrame:
    """NOx = coal t x 2 kg/t x (1 - combined control), measured rows where given (test model)."""
    acts = inputs.activities
    coal = acts.loc[acts["fuel"] == "燃煤"]
    tonnes = coal["quantity"] * np.where(coal["unit"] == "万吨", 1e4, 1.0)
    eff = combined_efficiency(inputs, inputs.controls, "NOx")
    rows = pd.DataFrame(
        {
            "activity_id": coal["activity_id"].astype("Int64"),
            "source_id": coal["source_id"],
            "pollutant": "NOx",
            "emissions_t": tonnes * 2.0 / 1000 * (1 - coal["source_id"].map(eff).fillna(0.0)),
            "method": "emission_factor",
        }
    )
    measured = inputs.measured.loc[inputs.measured["pollutant"] == "NOx"]
    rows = rows.loc[~rows["source_id"].isin(measured["source_id"])]
    return pd.concat(
        [
            rows,
            pd.DataFrame(
                {
                    "activity_id": pd.array([pd.NA] * len(measured), dtype="Int64"),
                    "source_id": measured["source_id"],
                    "pollutant": "NOx",
                    "emissions_t": measured["quantity"],
                    "method": "measured",
                }
            ),
        ],
        ignore_index=True,
    )


FLUE_GAS = pd.DataFrame(
    {
        "factor_id": [9],
        "priority": [0],
        "class_code": ["01"],
        "pollutant": [None],
        "fuel": ["燃煤"],
        "product": ["flue_gas_volume"],
        "value": [10.0],
        "unit": ["m3/kg"],
        "basis": ["parameter"],
        "source": ["test value"],
    }
)


def test_emission_limit_caps_with_the_flue_gas_volume() -> None:
    inputs = small_inventory().replace(factors=FLUE_GAS)
    outcome = run(
        "  - {id: ule, select: {fuel: 燃煤, capacity_tph: {above: 65}}, action: {type: emission_limit, limits: {NOx: 50}}}\n"
        "  - {id: ule2, select: {facility: F3}, action: {type: emission_limit, limits: {NOx: 50}}}\n",
        inputs,
        _fake_compute,
    )
    # source 2: 10000 t coal x 10 m3/kg = 1e8 m3 x 50 mg/m3 = 5 t cap; now 10000 x 2 / 1000 x 0.5 = 10 t
    after = _fake_compute(outcome.inputs).groupby("source_id")["emissions_t"].sum()
    assert after.loc[2] == pytest.approx(5.0)
    # source 3 (CHP, CEMS 400 t): 50 万吨 x 10 m3/kg x 50 mg/m3 = 250 t cap on the measured value
    assert after.loc[3] == pytest.approx(250.0)
    assert after.loc[1] == pytest.approx(2.0)  # not selected
    measured = outcome.inputs.measured.set_index("source_id")
    assert measured.loc[3, "measure"] == "ule2"


def test_emission_limit_without_a_flue_gas_volume_is_a_gap() -> None:
    outcome = run(
        "  - {id: ule, select: {fuel: 燃煤}, action: {type: emission_limit, limits: {NOx: 50}}}\n",
        compute=_fake_compute,
    )
    gap = outcome.findings.loc[outcome.findings["code"] == "no_flue_gas_volume"]
    assert len(gap) == 1 and "3 source(s) left unchanged" in gap["message"].iloc[0]
    assert outcome.inputs.controls.equals(small_inventory().controls)


# --- fleets and machinery ------------------------------------------------------------------


def test_renew_a_share_of_the_fleet() -> None:
    outcome = run(
        "  - {id: r, select: {vehicle_class: 重型载货汽车}, action: {type: renew_fleet, share: 0.5}}\n"
    )
    acts = outcome.inputs.activities
    assert quantity(outcome, 105) == pytest.approx(50.0)
    new = acts.loc[acts["activity_id"] < 0]
    assert new["quantity"].tolist() == [50.0]
    assert new["standard"].tolist() == ["国6"]
    assert new["source_id"].tolist() == [5]  # the renewed segment is credited
    assert new["km_per_vehicle"].tolist() == [50000.0]
    assert new["measure"].tolist() == ["r"]
    assert quantity(outcome, 106) == 50.0  # already 国6


def test_renew_to_a_target_share_oldest_first() -> None:
    inputs = small_inventory()
    older = inputs.activities.loc[inputs.activities["activity_id"] == 105].assign(
        activity_id=111, standard="国2", quantity=20.0
    )
    inputs = inputs.replace(activities=pd.concat([inputs.activities, older], ignore_index=True))
    # fleet 100 (国3) + 50 (国6) + 20 (国2) = 170; clean 50; 40 % = 68 -> move 18, all from 国2
    outcome = run(
        "  - {id: r, select: {vehicle_class: 重型载货汽车}, action: {type: renew_fleet, target_share: 0.4}}\n",
        inputs,
    )
    assert quantity(outcome, 111) == pytest.approx(2.0)
    assert quantity(outcome, 105) == pytest.approx(100.0)
    # 80 % -> 136 - 50 = 86: 20 from 国2 (in place), 66 from 国3
    outcome = run(
        "  - {id: r, select: {vehicle_class: 重型载货汽车}, action: {type: renew_fleet, target_share: 0.8}}\n",
        inputs,
    )
    acts = outcome.inputs.activities.set_index("activity_id")
    assert acts.loc[111, "standard"] == "国6" and acts.loc[111, "quantity"] == pytest.approx(20.0)
    assert acts.loc[105, "quantity"] == pytest.approx(34.0)
    clean = acts.loc[acts["standard"] == "国6", "quantity"].sum()
    assert clean / acts.loc[
        acts["activity_type"] == "population", "quantity"
    ].sum() == pytest.approx(0.8)


def test_renew_to_new_energy() -> None:
    outcome = run(
        "  - {id: ev, select: {vehicle_class: 重型载货汽车}, action: {type: renew_fleet, share: 0.1, to_fuel: 纯电动}}\n"
    )
    new = outcome.inputs.activities.loc[outcome.inputs.activities["activity_id"] < 0]
    assert new["fuel"].tolist() == ["纯电动"]
    assert new["standard"].isna().all()
    assert new["quantity"].tolist() == [pytest.approx(10.0)]


def test_retire_stage_one_machinery() -> None:
    outcome = run(
        "  - {id: nr, select: {kind: nonroad}, action: {type: retire_stages, to_stage: 国四}}\n"
    )
    acts = outcome.inputs.activities.set_index("activity_id")
    assert acts.loc[107, "standard"] == "国4"
    assert acts.loc[107, "quantity"] == 10.0
    assert outcome.inputs.sources.set_index("source_id").loc[7, "stage"] == "国4"


# --- materials and straw -------------------------------------------------------------------


def _voc_t(outcome) -> float:  # type: ignore[no-untyped-def]
    acts = outcome.inputs.activities
    rows = acts.loc[acts["voc_content_pct"].notna()]
    return float((rows["quantity"] * rows["voc_content_pct"] / 100).sum())


def test_substitute_materials_by_share_points() -> None:
    # total 20 t, solvent 10 t (60 % VOC), water 10 t (10 %). Down 20 points = 4 t moved.
    outcome = run(
        "  - {id: v, select: {material: 工业涂料}, action: {type: substitute_materials, points: 20}}\n"
    )
    assert quantity(outcome, 108) == pytest.approx(6.0)
    new = outcome.inputs.activities.loc[outcome.inputs.activities["activity_id"] < 0]
    assert new["quantity"].tolist() == [pytest.approx(4.0)]
    assert new["voc_content_pct"].tolist() == [pytest.approx(10.0)]  # observed water-based content
    assert new["technology"].tolist() == ["水性"]
    # VOC in material: 7 t before; 6 x 0.6 + 4 x 0.1 + 10 x 0.1 = 5 t after
    assert _voc_t(outcome) == pytest.approx(5.0)


def test_substitute_materials_by_percent_of_solvent_use() -> None:
    outcome = run(
        "  - {id: v, select: {material: 工业涂料}, action: {type: substitute_materials, solvent_use_percent: 20, to_voc_content_pct: 5}}\n"
    )
    assert quantity(outcome, 108) == pytest.approx(8.0)
    assert _voc_t(outcome) == pytest.approx(8 * 0.6 + 2 * 0.05 + 1.0)


def test_open_burning_falls_with_straw_utilisation() -> None:
    # unused straw 20 % -> 10 %: burning halves
    outcome = run(
        "  - {id: s, select: {category: 秸秆露天焚烧-玉米}, action: {type: reduce_open_burning, utilisation_rate: 0.9, baseline_utilisation_rate: 0.8}}\n"
    )
    assert quantity(outcome, 110) == pytest.approx(500.0)


# --- reporting -----------------------------------------------------------------------------


def test_overlaps_apply_in_file_order_and_are_reported() -> None:
    outcome = run(
        "  - {id: a, select: {fuel: 燃煤}, action: {type: scale, percent: -50}}\n"
        "  - {id: b, select: {facility: F1}, action: {type: scale, percent: -50}}\n"
    )
    assert quantity(outcome, 101) == pytest.approx(250.0)
    assert measure_of(outcome, 101) == "a+b"
    assert outcome.overlaps.to_dict("records") == [{"source_id": 1, "measures": "a+b"}]
    overlap = outcome.findings.loc[outcome.findings["code"] == "overlap"]
    assert "measures a and b" in overlap["message"].iloc[0]


def test_a_selector_that_matches_nothing_is_a_warning_naming_the_measure() -> None:
    outcome = run("  - {id: none, select: {fuel: 焦炭}, action: {type: scale, percent: -5}}\n")
    warning = outcome.warnings
    assert warning[["measure", "code"]].to_dict("records") == [
        {"measure": "none", "code": "no_match"}
    ]
    assert "fuel=焦炭" in warning["message"].iloc[0]


def test_a_measure_with_a_parameter_to_fill_in_is_skipped_with_a_warning() -> None:
    outcome = run(
        "  - {id: s, select: {category: 秸秆露天焚烧-玉米}, action: {type: reduce_open_burning, utilisation_rate: 0.9, baseline_utilisation_rate: null}}\n"
    )
    assert quantity(outcome, 110) == 1000.0
    assert outcome.warnings["code"].tolist() == ["unfilled"]


def test_the_input_frames_are_never_changed_in_place() -> None:
    inputs = small_inventory()
    before = inputs.activities.copy()
    run("  - {id: c, select: {kind: point}, action: close}\n", inputs)
    pd.testing.assert_frame_equal(inputs.activities, before)


def test_clean_energy_share_can_exclude_diesel_of_the_newest_standard() -> None:
    # buses-style target: only 纯电动 counts; 150 vehicles, none clean: 10 % = 15 move from 国3
    outcome = run(
        "  - id: bus\n    select: {vehicle_class: 重型载货汽车}\n"
        "    action: {type: renew_fleet, target_share: 0.1, to_fuel: 纯电动, clean_fuels: [纯电动], clean_standards: []}\n"
    )
    assert quantity(outcome, 105) == pytest.approx(85.0)
    assert quantity(outcome, 106) == pytest.approx(50.0)
    new = outcome.inputs.activities.loc[outcome.inputs.activities["activity_id"] < 0]
    assert new["fuel"].tolist() == ["纯电动"] and new["quantity"].tolist() == [pytest.approx(15.0)]
