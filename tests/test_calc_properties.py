"""Properties of the calculation core that must hold for any numbers (hypothesis)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.calc import compute_emissions

POLLUTANTS = ("SO2", "NOx", "PM10", "PM2.5", "BC")

FACTORS = pd.DataFrame(
    [
        {"factor_id": 1, "class_code": "01", "pollutant": "NOx", "value": 8.0, "unit": "g/kg"},
        {"factor_id": 2, "class_code": "01", "pollutant": "SO2", "value": 16.0, "unit": "kg/t"},
        {"factor_id": 3, "class_code": "0101", "pollutant": "PM10", "value": 2.0, "unit": "g/kg"},
        {
            "factor_id": 4,
            "class_code": "01",
            "product": "sulfur_retention",
            "value": 15.0,
            "unit": "%",
            "basis": "parameter",
        },
        {
            "factor_id": 5,
            "class_code": "01",
            "product": "ash_retention",
            "value": 0.3,
            "basis": "parameter",
        },
        {
            "factor_id": 6,
            "class_code": "01",
            "product": "pm25_fraction_of_ash",
            "value": 0.2,
            "basis": "parameter",
        },
        {
            "factor_id": 7,
            "class_code": "01",
            "product": "bc_fraction_of_pm25",
            "value": 0.04,
            "basis": "parameter",
        },
    ]
).assign(source="test table")

UNITS_PER_TONNE = {"t": 1.0, "吨": 1.0, "万吨": 1e-4, "kg": 1e3, "千克": 1e3, "kt": 1e-3}

quantities = st.floats(min_value=1e-3, max_value=1e7, allow_nan=False)
percent = st.one_of(st.none(), st.floats(min_value=0.05, max_value=40.0))
fractions = st.floats(min_value=0.0, max_value=1.0)


def coal(tonnes: float, unit: str, sulfur: float | None, ash: float | None) -> Any:
    return pd.DataFrame(
        [
            {
                "activity_id": 1,
                "source_id": 1,
                "class_code": "01010101",
                "activity_type": "fuel",
                "quantity": tonnes * UNITS_PER_TONNE[unit],
                "unit": unit,
                "fuel": "燃煤",
                "sulfur_pct": sulfur,
                "ash_pct": ash,
            }
        ]
    )


def totals(result: Any) -> dict[str, float]:
    frame = result.emissions
    return {str(p): float(v) for p, v in zip(frame["pollutant"], frame["emissions_t"], strict=True)}


@settings(max_examples=25, deadline=None)
@given(quantities, st.sampled_from(sorted(UNITS_PER_TONNE)), percent, percent)
def test_the_unit_of_the_activity_changes_no_result(
    tonnes: float, unit: str, sulfur: float | None, ash: float | None
) -> None:
    in_tonnes = totals(
        compute_emissions(coal(tonnes, "t", sulfur, ash), FACTORS, pollutants=POLLUTANTS)
    )
    in_unit = totals(
        compute_emissions(coal(tonnes, unit, sulfur, ash), FACTORS, pollutants=POLLUTANTS)
    )
    assert in_tonnes.keys() == in_unit.keys()
    for pollutant, value in in_tonnes.items():
        assert in_unit[pollutant] == pytest.approx(value, rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(quantities, st.floats(min_value=0.0, max_value=1e3), percent, percent)
def test_results_scale_linearly_with_activity(
    tonnes: float, scale: float, sulfur: float | None, ash: float | None
) -> None:
    base = totals(compute_emissions(coal(tonnes, "t", sulfur, ash), FACTORS, pollutants=POLLUTANTS))
    scaled = totals(
        compute_emissions(coal(tonnes * scale, "t", sulfur, ash), FACTORS, pollutants=POLLUTANTS)
    )
    for pollutant, value in base.items():
        assert scaled[pollutant] == pytest.approx(value * scale, rel=1e-9, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(quantities, fractions, st.one_of(st.none(), fractions), percent, st.sampled_from(POLLUTANTS))
def test_a_control_of_efficiency_e_removes_exactly_e(
    tonnes: float, efficiency: float, rate: float | None, ash: float | None, pollutant: str
) -> None:
    activities = coal(tonnes, "t", None, ash)
    without = totals(compute_emissions(activities, FACTORS, pollutants=POLLUTANTS))
    controls = pd.DataFrame(
        [
            {
                "source_id": 1,
                "technology": "device",
                "pollutant": pollutant,
                "efficiency": efficiency,
                "operating_rate": rate,
            }
        ]
    )
    with_control = totals(
        compute_emissions(activities, FACTORS, None, controls, pollutants=POLLUTANTS)
    )
    removed = efficiency * (1.0 if rate is None else rate)
    for name, value in without.items():
        expected = value * (1.0 - removed) if name == pollutant else value
        assert with_control[name] == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(quantities, st.floats(min_value=0.0, max_value=1e6), st.sampled_from(["t", "kg", "吨"]))
def test_measured_replaces_the_estimate_and_says_so(
    tonnes: float, measured: float, unit: str
) -> None:
    activities = coal(tonnes, "t", None, None)
    rows = pd.DataFrame(
        [{"source_id": 1, "pollutant": "NOx", "quantity": measured, "unit": unit, "method": "cems"}]
    )
    result = compute_emissions(activities, FACTORS, measured=rows, pollutants=("NOx", "SO2"))
    nox = result.emissions[result.emissions["pollutant"] == "NOx"]
    assert len(nox) == 1
    row = nox.iloc[0]
    assert row["method"] == "measured"
    assert row["replaced_method"] == "emission_factor"
    expected = measured * {"t": 1.0, "kg": 1e-3, "吨": 1.0}[unit]
    assert row["emissions_t"] == pytest.approx(expected)
    so2 = result.emissions[result.emissions["pollutant"] == "SO2"]
    assert list(so2["method"]) == ["emission_factor"]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(["01010101", "0201", "0101", "99"]), min_size=1, max_size=6))
def test_every_activity_and_pollutant_is_either_estimated_or_a_gap(codes: list[str]) -> None:
    activities = pd.DataFrame(
        [
            {"activity_id": i, "source_id": i, "class_code": code, "quantity": 1.0, "unit": "t"}
            for i, code in enumerate(codes)
        ]
    )
    result = compute_emissions(activities, FACTORS, pollutants=POLLUTANTS)
    estimated = set(
        zip(result.emissions["activity_id"], result.emissions["pollutant"], strict=True)
    )
    missing = set(zip(result.gaps["activity_id"], result.gaps["pollutant"], strict=True))
    assert not estimated & missing
    assert len(estimated | missing) == len(codes) * len(POLLUTANTS)
    assert set(result.gaps["reason"]) <= {"no_factor"}
