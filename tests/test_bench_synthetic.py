"""The synthetic inventory generator and its three references agree with the calculation core."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inventory.calc import compute_emissions
from inventory.synthetic import generate
from inventory.synthetic import references as ref


@pytest.fixture(scope="module")
def inventory():
    return generate(3000, seed=7)


def test_same_seed_same_inventory_other_seed_differs():
    first, again, other = generate(500, seed=3), generate(500, seed=3), generate(500, seed=4)
    pd.testing.assert_frame_equal(first.activities, again.activities)
    pd.testing.assert_frame_equal(first.controls, again.controls)
    assert not first.activities["quantity"].equals(other.activities["quantity"])


def test_inventory_has_every_kind_units_mix_controls_measured_and_mass_balance(inventory):
    activities = inventory.activities
    assert set(activities["kind"]) == {"point", "mobile", "nonroad", "area"}
    units = set(activities["unit"])
    assert {"t", "万吨", "万立方米", "辆", "台", "头"} <= units
    assert activities["sulfur_pct"].notna().any()
    assert activities["voc_content_pct"].notna().any()
    assert len(inventory.controls) > 0
    assert set(inventory.measured["unit"]) == {"t", "kg"}
    assert inventory.sources["source_id"].is_unique
    # point sources share facilities; segments are unique per county
    points = inventory.sources[inventory.sources["kind"] == "point"]
    assert points["facility"].nunique() < len(points)
    assert abs(inventory.n_rows - 3000) / 3000 < 0.15


def test_parameter_rows_follow_the_core_contract(inventory):
    parameters = inventory.factors[inventory.factors["basis"] == "parameter"]
    assert set(parameters["product"]) >= {"sulfur_retention", "ash_retention"}


def test_core_totals_equal_numpy_duckdb_and_naive_references(inventory):
    result = compute_emissions(
        inventory.activities,
        inventory.factors,
        inventory.efficiencies,
        inventory.controls,
        inventory.measured,
    )
    emissions = result.emissions
    assert len(emissions) == inventory.n_rows
    assert set(emissions["method"]) == {"measured", "mass_balance", "emission_factor"}

    normalised = ref.normalise(inventory)
    prejoined = ref.prejoin(normalised)
    floor = ref.numpy_floor(prejoined)
    assert len(prejoined.quantity) == inventory.n_rows

    sources = inventory.sources.set_index("source_id")
    keyed = emissions.join(sources[["region_code", "class_code"]], on="source_id")
    keyed["sector"] = keyed["class_code"].map(ref.sector_of)
    core = keyed.groupby(["pollutant", "sector", "region_code"])["emissions_t"].sum()
    core.index.names = ["pollutant", "sector", "county"]

    expected = ref.totals_frame(floor, normalised).set_index(["pollutant", "sector", "county"])
    joined = expected.join(core.rename("core"), how="outer")
    assert joined.notna().all().all()
    np.testing.assert_allclose(joined["core"], joined["emissions_t"], rtol=1e-9)

    connection = ref.duckdb_connection(normalised, threads=1)
    duck = ref.duckdb_totals(connection)
    codes = (
        duck["pollutant_id"] * len(normalised.sectors) * len(normalised.counties)
        + duck["sector_id"] * len(normalised.counties)
        + duck["county_id"]
    ).to_numpy()
    np.testing.assert_allclose(duck["emissions_t"].to_numpy(), floor[codes], rtol=1e-9)
    assert np.isclose(duck["emissions_t"].sum(), floor.sum(), rtol=1e-12)

    naive, done = ref.naive_pint_totals(prejoined, limit=len(prejoined.quantity))
    assert done == len(prejoined.quantity)
    groups = np.fromiter(naive.keys(), dtype=np.int64)
    values = np.fromiter(naive.values(), dtype=np.float64)
    np.testing.assert_allclose(values, floor[groups], rtol=1e-9)


def test_hand_checked_coefficients():
    """Coal SO2 by mass balance: 20 x S% x (1 - 0.15) = 17 g/kg per % S; 1 万吨 x 1 g/kg = 10 t."""
    from inventory.synthetic.catalogue import build_templates
    from inventory.synthetic.library import resolved_factors

    resolved = resolved_factors(build_templates(0))
    coal_so2 = resolved[(resolved["mass_balance"] == "coal") & (resolved["pollutant"] == "SO2")]
    assert coal_so2["k_sulfur"].tolist() == pytest.approx([17.0] * len(coal_so2))
    # PM2.5 from ash: 10 x A% x (1 - 0.3) x 0.15 = 1.05 g/kg per % ash
    coal_pm25 = resolved[(resolved["mass_balance"] == "coal") & (resolved["pollutant"] == "PM2.5")]
    assert coal_pm25["k_ash"].tolist() == pytest.approx([1.05] * len(coal_pm25))
    assert ref._to_tonnes("万吨", "g/kg") == pytest.approx(10.0)
    assert ref._to_tonnes("万立方米", "kg/10^4 m3") == pytest.approx(1e-3)
