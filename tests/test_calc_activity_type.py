"""Factor selection by what the activity counts (activity_type), numbers worked out by hand."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from calc_rows import factor

from inventory.calc import compute_emissions
from inventory.errors import UnitMismatch


def activity(
    activity_id: int,
    source_id: int,
    class_code: str,
    activity_type: str,
    quantity: float,
    unit: str,
    **fields: Any,
) -> dict[str, Any]:
    return {
        "activity_id": activity_id,
        "source_id": source_id,
        "kind": "point",
        "class_code": class_code,
        "activity_type": activity_type,
        "quantity": quantity,
        "unit": unit,
        **fields,
    }


def run(activities: list[dict[str, Any]], factors: list[dict[str, Any]]) -> Any:
    return compute_emissions(
        pd.DataFrame(activities), pd.DataFrame(factors), pollutants=("PM10", "VOCs", "NOx")
    )


def emitted(result: Any, activity_id: int, pollutant: str) -> Any:
    rows = result.emissions[
        (result.emissions["activity_id"] == activity_id)
        & (result.emissions["pollutant"] == pollutant)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def gap_reason(result: Any, activity_id: int, pollutant: str) -> str:
    rows = result.gaps[
        (result.gaps["activity_id"] == activity_id) & (result.gaps["pollutant"] == pollutant)
    ]
    assert len(rows) == 1, rows
    return str(rows.iloc[0]["reason"])


# A coke plant: the version's fuel (焦炉煤气) and product (焦炭) reach both activity records,
# as the build's join does, so only activity_type tells the output from the fuel.
COKE_ACTIVITIES = [
    activity(1, 7, "02050101", "output", 10, "万吨", product="焦炭", fuel="焦炉煤气"),
    activity(2, 7, "02050101", "fuel_use", 500, "万立方米", product="焦炭", fuel="焦炉煤气"),
]


def test_coke_output_and_fuel_each_take_their_own_factor() -> None:
    factors = [
        factor(1, "020501", "PM10", 146, "g/t", activity_type="output"),
        factor(2, "02", "VOCs", 0.00044, "g/m3", fuel="焦炉煤气", activity_type="fuel_use"),
    ]
    result = run(COKE_ACTIVITIES, factors)
    # 10 万吨 = 1e5 t x 146 g/t = 1.46e7 g = 14.6 t
    assert emitted(result, 1, "PM10")["emissions_t"] == pytest.approx(14.6)
    # 500 万立方米 = 5e6 m3 x 0.00044 g/m3 = 2200 g = 0.0022 t
    assert emitted(result, 2, "VOCs")["emissions_t"] == pytest.approx(0.0022)
    assert gap_reason(result, 2, "PM10") == "no_factor"  # the gas takes no per-t-coke factor
    assert gap_reason(result, 1, "VOCs") == "no_factor"  # the coke takes no per-m3-gas factor


def test_without_the_selector_the_gas_hits_the_per_tonne_factor() -> None:
    factors = [factor(1, "020501", "PM10", 146, "g/t")]
    with pytest.raises(UnitMismatch):
        run(COKE_ACTIVITIES, factors)


FERROALLOY = [
    activity(1, 9, "02030101", "output", 2, "万吨", product="硅铁", fuel="焦炭"),
    activity(2, 9, "02030101", "fuel_use", 1, "万吨", product="硅铁", fuel="焦炭"),
]


def test_ferroalloy_factor_counts_the_alloy_once() -> None:
    typed = [factor(1, "020301", "PM10", 850, "g/t", activity_type="output")]
    result = run(FERROALLOY, typed)
    # 2 万吨 alloy = 2e4 t x 850 g/t = 1.7e7 g = 17 t; the coke burned adds nothing
    assert result.emissions.loc[
        result.emissions["pollutant"] == "PM10", "emissions_t"
    ].sum() == pytest.approx(17.0)
    assert gap_reason(result, 2, "PM10") == "no_factor"


def test_ferroalloy_factor_without_selector_double_counts() -> None:
    """The defect the selector fixes: both masses take the per-tonne-alloy factor."""
    untyped = [factor(1, "020301", "PM10", 850, "g/t")]
    result = run(FERROALLOY, untyped)
    # (2e4 t + 1e4 t) x 850 g/t = 25.5 t
    assert result.emissions.loc[
        result.emissions["pollutant"] == "PM10", "emissions_t"
    ].sum() == pytest.approx(25.5)


def test_typed_factor_ranks_above_an_untyped_one_of_the_same_class() -> None:
    factors = [
        factor(1, "0205", "NOx", 1.0, "g/kg", fuel="焦炭"),
        factor(2, "0205", "NOx", 2.0, "g/kg", fuel="焦炭", activity_type="fuel_use"),
    ]
    acts = [activity(1, 1, "02050101", "fuel_use", 1000, "t", fuel="焦炭")]
    result = run(acts, factors)
    row = emitted(result, 1, "NOx")
    assert row["factor_id"] == 2
    assert row["emissions_t"] == pytest.approx(2.0)  # 1000 t x 2 g/kg = 2e6 g = 2 t


def test_gap_message_names_the_activity_type() -> None:
    result = run(
        COKE_ACTIVITIES[1:], [factor(1, "020501", "PM10", 146, "g/t", activity_type="output")]
    )
    message = str(result.gaps.loc[result.gaps["pollutant"] == "PM10", "message"].iloc[0])
    assert "activity_type fuel_use" in message
