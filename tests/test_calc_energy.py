"""Energy-basis (g/GJ) factors on fuel masses and volumes, with hand-computed numbers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from calc_rows import factor

from inventory.calc import compute_emissions
from inventory.errors import UnitMismatch


def coal(activity_id: int, quantity: float, unit: str = "t", **fields: Any) -> dict[str, Any]:
    return {
        "activity_id": activity_id,
        "source_id": activity_id,
        "kind": "area",
        "class_code": "01030101",
        "activity_type": "area_activity",
        "quantity": quantity,
        "unit": unit,
        "fuel": "燃煤",
        **fields,
    }


def ncv_parameter(factor_id: int, class_code: str, value: float, unit: str, **fields: Any) -> Any:
    return factor(
        factor_id, class_code, None, value, unit, product="ncv", basis="parameter", **fields
    )


NOX_PER_GJ = factor(1, "0103", "NOx", 110, "g/GJ", fuel="燃煤")


def run(
    activities: list[dict[str, Any]],
    factors: list[dict[str, Any]],
    controls: list[dict[str, Any]] | None = None,
    efficiencies: list[dict[str, Any]] | None = None,
    pollutants: tuple[str, ...] = ("NOx", "SO2"),
) -> Any:
    return compute_emissions(
        pd.DataFrame(activities),
        pd.DataFrame(factors),
        None if efficiencies is None else pd.DataFrame(efficiencies),
        None if controls is None else pd.DataFrame(controls),
        pollutants=pollutants,
    )


def row(result: Any, activity_id: int, pollutant: str = "NOx") -> Any:
    rows = result.emissions[
        (result.emissions["activity_id"] == activity_id)
        & (result.emissions["pollutant"] == pollutant)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_coal_in_tonnes_with_its_own_ncv() -> None:
    result = run([coal(1, 1000, ncv_mj=20.0)], [NOX_PER_GJ])
    out = row(result, 1)
    # 1000 t x 20 MJ/kg = 2e7 MJ = 20 000 GJ; x 110 g/GJ = 2.2e6 g = 2.2 t
    assert out["emissions_t"] == pytest.approx(2.2)
    assert out["activity_value"] == pytest.approx(20000.0)
    assert out["activity_unit"] == "GJ"
    assert out["factor_unit"] == "g/GJ"
    assert out["factor_value"] == pytest.approx(110.0)


def test_coal_in_wan_tonnes_converts_once() -> None:
    # 0.5 万吨 = 5000 t x 25 MJ/kg = 125 000 GJ x 110 g/GJ = 1.375e7 g = 13.75 t
    result = run([coal(1, 0.5, "万吨", ncv_mj=25.0)], [NOX_PER_GJ])
    assert row(result, 1)["emissions_t"] == pytest.approx(13.75)


def test_gas_in_cubic_metres() -> None:
    gas = coal(1, 10, "万立方米", fuel="天然气", ncv_mj=35.0)
    factors = [factor(1, "0103", "NOx", 51, "g/GJ", fuel="天然气")]
    # 1e5 m3 x 35 MJ/m3 = 3.5e6 MJ = 3500 GJ x 51 g/GJ = 178 500 g = 0.1785 t
    assert row(run([gas], factors), 1)["emissions_t"] == pytest.approx(0.1785)


def test_missing_ncv_is_a_no_ncv_gap() -> None:
    result = run([coal(1, 1000)], [NOX_PER_GJ])
    gaps = result.gaps[result.gaps["pollutant"] == "NOx"]
    assert list(gaps["reason"]) == ["no_ncv"]
    assert "ncv_mj" in str(gaps["message"].iloc[0])
    assert result.emissions.empty
    # SO2 has no factor at all: an ordinary no_factor gap
    assert list(result.gaps.loc[result.gaps["pollutant"] == "SO2", "reason"]) == ["no_factor"]


def test_library_ncv_fills_an_empty_activity_ncv() -> None:
    factors = [NOX_PER_GJ, ncv_parameter(50, "01", 20908, "kJ/kg", fuel="燃煤")]
    result = run([coal(1, 1000), coal(2, 1000, ncv_mj=10.0)], factors)
    # 1000 t x 20.908 MJ/kg = 20 908 GJ x 110 g/GJ = 2 299 880 g = 2.29988 t
    library = row(result, 1)
    assert library["emissions_t"] == pytest.approx(2.29988)
    assert "ncv 20.908 MJ/kg (doc 50)" in str(library["factor_source"])
    # the activity's own NCV wins: 1000 t x 10 MJ/kg = 10 000 GJ x 110 g = 1.1 t
    own = row(result, 2)
    assert own["emissions_t"] == pytest.approx(1.1)
    assert str(own["factor_source"]) == "doc 1"


def test_mass_ncv_parameter_does_not_apply_to_a_gas_volume() -> None:
    gas = coal(1, 10, "万立方米", fuel="燃煤")
    factors = [NOX_PER_GJ, ncv_parameter(50, "01", 20.9, "MJ/kg", fuel="燃煤")]
    result = run([gas], factors)
    assert list(result.gaps.loc[result.gaps["pollutant"] == "NOx", "reason"]) == ["no_ncv"]


def test_controls_apply_to_energy_based_emissions() -> None:
    controls = [{"source_id": 1, "technology": "SCR", "pollutant": "NOx", "efficiency": 0.5}]
    result = run([coal(1, 1000, ncv_mj=20.0)], [NOX_PER_GJ], controls=controls)
    out = row(result, 1)
    assert out["uncontrolled_t"] == pytest.approx(2.2)
    assert out["emissions_t"] == pytest.approx(1.1)  # 2.2 t x (1 - 0.5)


def test_mass_balance_still_wins_over_a_per_gj_factor() -> None:
    factors = [
        factor(2, "0103", "SO2", 900, "g/GJ", fuel="燃煤"),
        factor(3, "0103", None, 0.1, "", product="sulfur_retention", basis="parameter"),
    ]
    result = run([coal(1, 1000, sulfur_pct=1.0)], factors)
    out = row(result, 1, "SO2")
    # 1000 t x 1 % x 2 x (1 - 0.1) = 18 t, no NCV needed
    assert out["method"] == "mass_balance"
    assert out["emissions_t"] == pytest.approx(18.0)


def test_per_gj_factor_on_a_count_still_raises() -> None:
    heads = coal(1, 10, "头")
    with pytest.raises(UnitMismatch):
        run([heads], [NOX_PER_GJ])


def test_non_fraction_parameters_are_accepted_and_fractions_still_checked() -> None:
    flue = factor(60, "01", None, 10.5, "m3/kg", product="flue_gas_volume", basis="parameter")
    result = run([coal(1, 1000, ncv_mj=20.0)], [NOX_PER_GJ, flue])
    assert row(result, 1)["emissions_t"] == pytest.approx(2.2)
    wrong = factor(61, "01", None, 10.5, "m3/kg", product="sulfur_retention", basis="parameter")
    with pytest.raises(UnitMismatch):
        run([coal(1, 1000, ncv_mj=20.0)], [NOX_PER_GJ, wrong])


def test_one_unit_pair_many_rows_vectorised() -> None:
    n = 2000
    ncv = np.linspace(15.0, 25.0, n)
    acts = [coal(i + 1, 100.0, ncv_mj=float(ncv[i])) for i in range(n)]
    result = run(acts, [NOX_PER_GJ])
    nox = result.emissions[result.emissions["pollutant"] == "NOx"].sort_values("activity_id")
    # 100 t x ncv MJ/kg = 100 x ncv GJ; x 110 g/GJ = 1.1e-2 x ncv t
    np.testing.assert_allclose(nox["emissions_t"].to_numpy(), 0.011 * ncv)
