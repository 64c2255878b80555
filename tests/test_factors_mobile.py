"""Mobile-source rows of the shipped library (on-road, non-road fuel, vessels), worked by hand."""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest
from shipped_library import activity as shipped_activity
from shipped_library import cell, run

activity = partial(shipped_activity, kind="nonroad")


def test_diesel_excavator_fuel_takes_the_emep_construction_row(library: pd.DataFrame) -> None:
    result = run(
        library,
        [activity(1, "03020101", "fuel_use_nonroad", 10, "t", fuel="柴油", vehicle_class="挖掘机")],
    )
    # EMEP 1.A.2.g.vii Table 3-1 diesel: NOx 32 629 g/t x 10 t = 326.29 kg = 0.32629 t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.32629)
    # VOCs = NMVOC 3377 + CH4 83 = 3460 g/t x 10 t = 0.0346 t
    assert cell(result, 1, "VOCs")["emissions_t"] == pytest.approx(0.0346)
    # NH3 8 g/t x 10 t = 80 g; BC 1306 g/t x 10 t = 13.06 kg
    assert cell(result, 1, "NH3")["emissions_t"] == pytest.approx(8e-5)
    assert cell(result, 1, "BC")["emissions_t"] == pytest.approx(0.01306)


def test_tractor_fuel_takes_the_agriculture_row_and_machines_keep_nonroad(
    library: pd.DataFrame,
) -> None:
    result = run(
        library,
        [
            activity(1, "03020201", "fuel_use_nonroad", 5000, "kg", fuel="柴油"),
            activity(2, "03020201", "machine_count", 1, "台", fuel="柴油", standard="国2",
                     power_kw=50.0, hours=100.0, load_factor=0.5),
        ],
    )  # fmt: skip
    # EMEP 1.A.4.c.ii Table 3-1 diesel: NOx 34 457 g/t x 5 t = 0.172285 t; PM2.5 1913 g/t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.172285)
    assert cell(result, 1, "PM2.5")["emissions_t"] == pytest.approx(0.009565)
    # the machine row stays a NONROAD g/hp-hr factor (not the per-tonne fuel row)
    assert cell(result, 2, "NOx")["factor_unit"] == "g/hp-hr"


def test_inland_vessel_fuel(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "03030101", "area_activity", 100, "t", kind="area")])
    # EMEP 1.A.3.d.ii Table 3-2 MDO: NOx 78.5 kg/t x 100 t = 7.85 t; PM2.5 1.4 kg/t -> 0.14 t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(7.85)
    assert cell(result, 1, "PM2.5")["emissions_t"] == pytest.approx(0.14)


def test_heavy_truck_guo5_nh3_and_so2(library: pd.DataFrame) -> None:
    truck = {"fuel": "柴油", "vehicle_class": "重型载货汽车", "kind": "mobile"}
    result = run(
        library,
        [activity(1, "03010204", "population", 100, "辆", standard="国5", km_per_vehicle=50000.0,
                  **truck)],
    )  # fmt: skip
    # 100 vehicles x 50 000 km = 5e6 km; EMEP Tier 2 Euro V NH3 0.011 g/km -> 55 000 g = 0.055 t
    assert cell(result, 1, "NH3")["emissions_t"] == pytest.approx(0.055)
    # SO2 = 2 x 10 mg/kg x 210 g/km = 0.0042 g/km -> 21 000 g = 0.021 t
    assert cell(result, 1, "SO2")["emissions_t"] == pytest.approx(0.021)
    # NOx stays the MEE 2014 guideline row (longer selector match than any EMEP row)
    assert cell(result, 1, "NOx")["factor_source"].startswith("onroad:")


def test_guo4_motorcycle_takes_the_euro4_row(library: pd.DataFrame) -> None:
    bike = {"fuel": "汽油", "vehicle_class": "摩托车", "kind": "mobile", "standard": "国4"}
    result = run(
        library,
        [activity(1, "03010301", "population", 1000, "辆", km_per_vehicle=5000.0, **bike)],
    )
    # 1000 x 5000 km = 5e6 km; NOx 0.033 g/km -> 0.165 t; CO 0.99 g/km -> 4.95 t; NH3 0.002 -> 0.01 t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.165)
    assert cell(result, 1, "CO")["emissions_t"] == pytest.approx(4.95)
    assert cell(result, 1, "NH3")["emissions_t"] == pytest.approx(0.01)
    # PM2.5 0.000875 g/km -> 4375 g; VOCs stay a gap (EMEP prints NMVOC without CH4)
    assert cell(result, 1, "PM2.5")["emissions_t"] == pytest.approx(0.004375)
    gaps = result.gaps[result.gaps["activity_id"] == 1]
    assert "VOCs" in set(gaps["pollutant"])


def test_forklift_without_hours_or_load_takes_the_nonroad_parameters(library: pd.DataFrame) -> None:
    result = run(
        library,
        [activity(1, "03020105", "machine_count", 2, "台", fuel="柴油", standard="国3",
                  power_kw=50.0)],
    )  # fmt: skip
    # NONROAD ACTIVITY.DAT diesel forklifts: 1700 h/yr, load factor 0.59
    # 2 x 50 kW x 1700 h x 0.59 = 100 300 kWh = 134 504 hp-hr (1 hp-hr = 0.7457 kWh);
    # 67 hp falls in the 50-75 hp band: NOx 3.13 g/hp-hr -> 421 kg
    nox = cell(result, 1, "NOx")
    assert nox["activity_value"] == pytest.approx(100300.0)
    assert nox["emissions_t"] == pytest.approx(100300.0 / 0.7457 * 3.13 / 1e6, rel=1e-4)


def test_tractor_machine_pm25_bc_nh3(library: pd.DataFrame) -> None:
    result = run(
        library,
        [activity(1, "03020201", "machine_count", 1, "台", fuel="柴油", standard="国3",
                  power_kw=44.742, hours=100.0, load_factor=0.5)],
    )  # fmt: skip
    # 44.742 kW = 60 hp; 60 hp x 100 h x 0.5 = 3000 hp-hr
    # PM2.5 = NONROAD PM 0.44 g/hp-hr -> 1320 g; BC = 0.44 x 1111/1913 = 0.2555 g/hp-hr -> 766.5 g
    # NH3 = 8 g/t x 0.412 lb/hp-hr x 0.45359237e-3 t/lb = 0.001495 g/hp-hr -> 4.485 g
    assert cell(result, 1, "PM2.5")["emissions_t"] == pytest.approx(1320e-6, rel=1e-4)
    assert cell(result, 1, "BC")["emissions_t"] == pytest.approx(766.5e-6, rel=1e-4)
    assert cell(result, 1, "NH3")["emissions_t"] == pytest.approx(4.485e-6, rel=1e-3)


def test_excavator_fuel_in_cubic_metres_goes_through_the_diesel_density(
    library: pd.DataFrame,
) -> None:
    result = run(
        library,
        [activity(1, "03020101", "fuel_use_nonroad", 12, "m3", fuel="柴油")],
    )
    # 12 m3 x 837 kg/m3 = 10.044 t diesel; NOx 32 629 g/t -> 327 725.6 g = 0.3277256 t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.3277256)


def test_nonroad_and_vessel_so2_from_the_general_diesel_sulphur_limit(
    library: pd.DataFrame,
) -> None:
    result = run(
        library,
        [
            activity(1, "03020101", "fuel_use_nonroad", 10, "t", fuel="柴油", vehicle_class="挖掘机"),
            activity(2, "03020201", "fuel_use_nonroad", 5000, "kg", fuel="柴油"),
            activity(3, "03020201", "machine_count", 1, "台", fuel="柴油", standard="国3",
                     power_kw=44.742, hours=100.0, load_factor=0.5),
            activity(4, "03030101", "area_activity", 100, "t", kind="area"),
            activity(5, "03020105", "fuel_use_nonroad", 2, "t", fuel="汽油"),
        ],
    )  # fmt: skip
    # SO2 = 2 x 10 mg/kg sulphur = 20 g per t of fuel: 10 t -> 200 g; 5 t -> 100 g; petrol 2 t -> 40 g
    assert cell(result, 1, "SO2")["emissions_t"] == pytest.approx(2e-4)
    assert cell(result, 2, "SO2")["emissions_t"] == pytest.approx(1e-4)
    assert cell(result, 5, "SO2")["emissions_t"] == pytest.approx(4e-5)
    # 60 hp machine, 3000 hp-hr: 2 x 10e-6 x 0.412 lb/hp-hr x 453.59237 g/lb = 0.003738 g/hp-hr
    # -> 11.214 g
    assert cell(result, 3, "SO2")["emissions_t"] == pytest.approx(11.214e-6, rel=1e-4)
    # vessel: EMEP SOx 20 x S kg/t with S = 0.001 wt % = 0.02 kg/t x 100 t = 2 kg
    assert cell(result, 4, "SO2")["emissions_t"] == pytest.approx(0.002)


def test_construction_machine_fuel_with_a_stage_takes_the_emep_tier2_stage_row(
    library: pd.DataFrame,
) -> None:
    diesel = {"fuel": "柴油", "vehicle_class": "挖掘机"}
    result = run(
        library,
        [
            activity(1, "03020101", "fuel_use_nonroad", 10, "t", standard="国3", **diesel),
            activity(2, "03020101", "fuel_use_nonroad", 10, "t", standard="国4", **diesel),
            activity(3, "03020201", "fuel_use_nonroad", 5, "t", fuel="柴油", standard="国3"),
        ],
    )
    # 国3 = EU Stage IIIA (EMEP 1.A.2.g.vii Table 3-2_24): NOx 15 653 g/t x 10 t = 0.15653 t;
    # VOCs = NMVOC 1470 + CH4 36 = 1506 g/t -> 0.01506 t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.15653)
    assert cell(result, 1, "VOCs")["emissions_t"] == pytest.approx(0.01506)
    # 国4 = EU Stage IIIB (Table 3-2_25): PM2.5 98 g/t -> 980 g; BC 78 g/t -> 780 g
    assert cell(result, 2, "PM2.5")["emissions_t"] == pytest.approx(0.00098)
    assert cell(result, 2, "BC")["emissions_t"] == pytest.approx(0.00078)
    # a tractor takes the agriculture stage row (longer class code 030202), 国3 = Stage IIIA,
    # 1.A.4.c.ii Table 3-2_06: 12 921 g/t x 5 t = 64 605 g
    assert cell(result, 3, "NOx")["emissions_t"] == pytest.approx(0.064605)


def test_tractor_fuel_with_a_stage_takes_the_agriculture_tier2_stage_row(
    library: pd.DataFrame,
) -> None:
    result = run(
        library,
        [activity(1, "03020201", "fuel_use_nonroad", 4, "t", fuel="柴油", standard="国2")],
    )
    # 国2 = EU Stage II, 1.A.4.c.ii Table 3-2_05: NOx 20 612 g/t x 4 t = 82 448 g;
    # VOCs = NMVOC 1181 + CH4 29 = 1210 g/t -> 4840 g; NH3 8 g/t -> 32 g
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.082448)
    assert cell(result, 1, "VOCs")["emissions_t"] == pytest.approx(0.00484)
    assert cell(result, 1, "NH3")["emissions_t"] == pytest.approx(3.2e-5)
