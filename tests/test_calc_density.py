"""Mass <-> volume through a ``density`` parameter (t/m3), with hand-computed numbers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from calc_rows import factor

from inventory.calc import compute_emissions
from inventory.calc.density import density_basis
from inventory.errors import UnitMismatch


def station(activity_id: int, quantity: float, unit: str, **fields: Any) -> dict[str, Any]:
    return {
        "activity_id": activity_id,
        "source_id": activity_id,
        "kind": "point",
        "class_code": "07030101",
        "activity_type": "throughput",
        "quantity": quantity,
        "unit": unit,
        "product": "汽油",
        **fields,
    }


def density(factor_id: int, class_code: str, value: float, unit: str) -> dict[str, Any]:
    return factor(factor_id, class_code, None, value, unit, product="density", basis="parameter")


PER_TONNE = factor(1, "070301", "VOCs", 4.5, "kg/t")
PER_LITRE = factor(2, "070301", "VOCs", 1000, "mg/L")


def run(activities: list[dict[str, Any]], factors: list[dict[str, Any]]) -> Any:
    return compute_emissions(pd.DataFrame(activities), pd.DataFrame(factors), pollutants=("VOCs",))


def voc(result: Any, activity_id: int) -> float:
    rows = result.emissions[result.emissions["activity_id"] == activity_id]
    assert len(rows) == 1, rows
    return float(rows["emissions_t"].iloc[0])


def test_pairs_and_powers() -> None:
    # 1 m3 x 1 kg/t x 1 t/m3 = 1 kg = 1e-3 t
    assert density_basis("m3", "kg/t", "VOCs") == (pytest.approx(1e-3), 1)
    # 1 t x 1 mg/L / (1 t/m3) = 1 m3 x 1 mg/L = 1000 mg = 1e-6 t
    assert density_basis("t", "mg/L", "VOCs") == (pytest.approx(1e-6), -1)
    assert density_basis("头", "kg/t", "VOCs") is None
    assert density_basis("m3", "g/GJ", "NOx") is None


def test_per_tonne_factor_on_a_volume_takes_the_density() -> None:
    factors = [PER_TONNE, density(50, "07030101", 0.75, "t/m3")]
    # 1000 m3 x 0.75 t/m3 = 750 t; x 4.5 kg/t = 3375 kg = 3.375 t
    # 2 千升 = 2 m3 -> 1.5 t -> 0.00675 t; the mass row is untouched: 100 t -> 0.45 t
    result = run([station(1, 1000, "m3"), station(2, 2, "千升"), station(3, 100, "t")], factors)
    assert voc(result, 1) == pytest.approx(3.375)
    assert voc(result, 2) == pytest.approx(0.00675)
    assert voc(result, 3) == pytest.approx(0.45)


def test_per_litre_factor_on_a_mass_divides_by_the_density() -> None:
    # density 750 kg/m3 = 0.75 t/m3; 1500 t / 0.75 = 2000 m3 = 2e6 L; x 1000 mg/L = 2 t
    factors = [PER_LITRE, density(50, "0703", 750, "kg/m3")]
    result = run([station(1, 1500, "t"), station(2, 3e6, "L")], factors)
    assert voc(result, 1) == pytest.approx(2.0)
    assert voc(result, 2) == pytest.approx(3.0)  # litres need no density: 3e6 L x 1 g/L


def test_without_a_density_the_pair_is_still_a_mismatch() -> None:
    with pytest.raises(UnitMismatch) as excinfo:
        run([station(1, 1000, "m3")], [PER_TONNE])
    assert "density" in str(excinfo.value)
    # a density of another class does not apply either
    with pytest.raises(UnitMismatch):
        run([station(1, 1000, "m3")], [PER_TONNE, density(50, "0701", 0.75, "t/m3")])


def test_density_in_a_wrong_unit_is_rejected() -> None:
    with pytest.raises(UnitMismatch):
        run([station(1, 1000, "m3")], [PER_TONNE, density(50, "0703", 0.75, "t")])


def test_many_rows_one_pair_vectorised() -> None:
    n = 500
    volumes = np.linspace(10.0, 1000.0, n)
    acts = [station(i + 1, float(volumes[i]), "m3") for i in range(n)]
    result = run(acts, [PER_TONNE, density(50, "07030101", 0.74, "t/m3")])
    out = result.emissions.sort_values("activity_id")["emissions_t"].to_numpy()
    # v m3 x 0.74 t/m3 x 4.5e-3 t/t
    np.testing.assert_allclose(out, volumes * 0.74 * 4.5e-3)
