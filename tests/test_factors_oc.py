"""OC from SPECIATE profile shares x the same row's PM2.5 (README rule), worked by hand."""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest
from shipped_library import activity as shipped_activity
from shipped_library import cell, reason, run

vehicle = partial(shipped_activity, kind="mobile")
machine = partial(shipped_activity, kind="nonroad")

# POC split of PM2_5 in the Speciation Tool's CMAQ AE6 GSPRO (SPECIATE composite profiles)
HDDV, LDDV, GASOLINE, BITUMINOUS, NATURAL_GAS = 0.175588, 0.355258, 0.549259, 0.026307, 0.247


def test_diesel_heavy_truck_oc_is_its_pm25_times_the_hddv_share(library: pd.DataFrame) -> None:
    truck = {"fuel": "柴油", "vehicle_class": "重型载货汽车", "km_per_vehicle": 50000.0}
    result = run(
        library, [vehicle(1, "03010204", "population", 100, "辆", standard="国5", **truck)]
    )
    # 100 x 50 000 km = 5e6 km; PM2.5 0.027 g/km -> 0.135 t; OC = 0.175588 x 0.027 g/km
    # = 0.004740876 g/km -> 23 704.38 g = 0.02370438 t
    assert cell(result, 1, "PM2.5")["emissions_t"] == pytest.approx(0.135)
    oc = cell(result, 1, "OC")
    assert oc["emissions_t"] == pytest.approx(0.02370438, rel=1e-5)
    assert oc["factor_source"] == "spec:91106:onroad:重型载货汽车:柴油:国5:OC"


def test_small_cars_take_the_ldgv_and_lddv_shares(library: pd.DataFrame) -> None:
    car = {"vehicle_class": "小型载客汽车", "km_per_vehicle": 10000.0, "standard": "国5"}
    result = run(
        library,
        [
            vehicle(1, "03010102", "population", 1000, "辆", fuel="汽油", **car),
            vehicle(2, "03010102", "population", 1000, "辆", fuel="柴油", **car),
        ],
    )
    # 1000 x 10 000 km = 1e7 km; petrol PM2.5 0.006 g/km x 0.549259 = 0.003295554 g/km -> 0.03295554 t
    assert cell(result, 1, "OC")["emissions_t"] == pytest.approx(0.03295554, rel=1e-5)
    assert cell(result, 1, "OC")["emissions_t"] == pytest.approx(0.006 * GASOLINE * 10.0, rel=1e-5)
    # diesel (light duty: LDDV composite) PM2.5 0.031 g/km x 0.355258 = 0.011013 g/km -> 0.11013 t
    assert cell(result, 2, "OC")["emissions_t"] == pytest.approx(0.031 * LDDV * 10.0, rel=1e-5)


def test_diesel_tractor_oc_from_the_nonroad_pm(library: pd.DataFrame) -> None:
    tractor = {"fuel": "柴油", "standard": "国3", "hours": 100.0, "load_factor": 0.5}
    result = run(
        library, [machine(1, "03020201", "machine_count", 1, "台", power_kw=44.742, **tractor)]
    )
    # 44.742 kW = 60 hp; 60 hp x 100 h x 0.5 = 3000 hp-hr; PM2.5 = NONROAD PM 0.44 g/hp-hr
    # OC = 0.44 x 0.175588 = 0.07725872 g/hp-hr -> 231.776 g
    assert cell(result, 1, "OC")["emissions_t"] == pytest.approx(231.776e-6, rel=1e-4)
    assert cell(result, 1, "OC")["emissions_t"] == pytest.approx(0.44 * HDDV * 3000e-6, rel=1e-5)


def test_boilers_take_the_coal_and_gas_profile_shares(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            shipped_activity(1, "01020104", "fuel_use", 100, "t", fuel="燃煤", ncv_mj=20.0),
            shipped_activity(2, "01020201", "fuel_use", 1_000_000, "m3", fuel="天然气"),
        ],
    )
    # 100 t x 20 GJ/t = 2000 GJ; EMEP 1.A.2 PM2.5 108 g/GJ x 0.026307 = 2.841156 g/GJ -> 5682.312 g
    # (the row stores 2.84116 g/GJ, six significant digits)
    assert cell(result, 1, "OC")["emissions_t"] == pytest.approx(5.682312e-3, rel=1e-5)
    assert cell(result, 1, "OC")["emissions_t"] == pytest.approx(108 * BITUMINOUS * 2e-3, rel=1e-5)
    # 1e6 m3; AP-42 PM 0.122 g/m3 x 0.247 = 0.030134 g/m3 -> 30 134 g
    assert cell(result, 2, "OC")["emissions_t"] == pytest.approx(0.030134, rel=1e-5)
    assert cell(result, 2, "OC")["emissions_t"] == pytest.approx(0.122 * NATURAL_GAS, rel=1e-5)


def test_sources_without_a_matching_profile_keep_their_oc_gap(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            vehicle(1, "03010301", "population", 1000, "辆", fuel="汽油", vehicle_class="摩托车",
                    standard="国3", km_per_vehicle=5000.0),
            vehicle(2, "03010102", "population", 1000, "辆", fuel="天然气",
                    vehicle_class="小型载客汽车", standard="国5", km_per_vehicle=10000.0),
            shipped_activity(3, "08020101", "fuel_use", 100, "t", fuel="秸秆", ncv_mj=15.0),
        ],
    )  # fmt: skip
    # motorcycles, gas cars and straw-fired boilers: no same-source profile was applied
    for activity_id in (1, 2, 3):
        assert reason(result, activity_id, "OC") == "no_factor"
    assert cell(result, 3, "PM2.5")["emissions_t"] > 0


def test_the_shipped_oc_rows_are_what_the_profile_file_derives(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """scripts/derive_oc_rows.py with factors/speciation/oc_profiles.csv rebuilds the shipped
    OC rows byte for byte: the rows and the profile data cannot drift apart."""
    import importlib.util
    import shutil
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location(
        "derive_oc_rows", root / "scripts" / "derive_oc_rows.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # a dataclass looks its module up there
    spec.loader.exec_module(script)
    rules = script.read_rules(root / "factors" / "speciation" / "oc_profiles.csv")
    assert {rule.share for rule in rules} >= {HDDV, LDDV, GASOLINE, BITUMINOUS, NATURAL_GAS}
    added = 0
    for table in sorted({rule.table for rule in rules}):
        shipped = root / "factors" / "emission_factors" / f"{table}.csv"
        copy = tmp_path / shipped.name
        shutil.copy(shipped, copy)
        added += script.derive(copy, rules)
        assert copy.read_bytes() == shipped.read_bytes()
    assert added == 269
