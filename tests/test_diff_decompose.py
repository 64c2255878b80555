"""The diff: every source x pollutant change in exactly one kind of part, parts add up."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_build_fixtures import open_store, seed_two_years

from inventory.cli import main
from inventory.results import DIFF_COLUMNS, PART_COLUMNS, decompose, diff_runs


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('world') / 'test.db'}"
    engine = open_store(sqlite_url)
    ids = seed_two_years(engine)
    yield sqlite_url, engine, ids
    engine.dispose()


def test_diff_by_pollutant_worked_by_hand(world) -> None:
    _, engine, ids = world
    frame = diff_runs(engine, ids.run_2024, ids.run_2025, ["pollutant"], ["NOx"])
    assert list(frame.columns) == ["pollutant", *DIFF_COLUMNS]
    row = frame.iloc[0]
    assert row["from_t"] == pytest.approx(18.5)
    assert row["to_t"] == pytest.approx(14.9)
    assert row["change_t"] == pytest.approx(-3.6)
    assert row["new_source_t"] == pytest.approx(3.0)  # S2
    assert row["closed_source_t"] == pytest.approx(-4.0)  # S3
    assert row["method_t"] == pytest.approx(-1.0)  # S4: factor 6 -> measured 5
    # S1: (1200-1000) x 0.01 x 0.5 = 1.0; S5: (150-100 万m3) x 0.02 = 1.0 (unit change is no change)
    assert row["activity_t"] == pytest.approx(2.0)
    assert row["factor_t"] == pytest.approx(1200 * (0.008 - 0.01) * 0.5)  # -1.2
    assert row["control_t"] == pytest.approx(1200 * 0.008 * (0.25 - 0.5))  # -2.4
    assert row[PART_COLUMNS].sum() == pytest.approx(row["change_t"], abs=1e-12)


def test_diff_by_source_attributes_each_change_once(world) -> None:
    _, engine, ids = world
    frame = diff_runs(engine, ids.run_2024, ids.run_2025, ["source", "pollutant"])
    by = frame.set_index(["source", "pollutant"])
    s1 = by.loc[("91150500MA0000001X/1#", "NOx")]
    assert (s1["activity_t"], s1["factor_t"], s1["control_t"]) == pytest.approx((1.0, -1.2, -2.4))
    assert s1["new_source_t"] == s1["closed_source_t"] == s1["method_t"] == 0
    pm = by.loc[("91150500MA0000001X/1#", "PM2.5")]
    assert pm["activity_t"] == pytest.approx(0.12) and pm["factor_t"] == pytest.approx(0)
    truck = by.loc[("150502/重型载货汽车/柴油/国5", "NOx")]
    assert truck[DIFF_COLUMNS[2:]].abs().sum() == pytest.approx(0)
    nonzero = (frame[PART_COLUMNS].abs() > 1e-12).sum(axis=1)
    kinds = frame[["new_source_t", "closed_source_t", "method_t"]].abs() > 1e-12
    assert (kinds.sum(axis=1) <= 1).all()
    assert ((nonzero <= 1) | (~kinds.any(axis=1))).all()
    np.testing.assert_allclose(frame[PART_COLUMNS].sum(axis=1), frame["change_t"], atol=1e-12)


def test_diff_command_csv_columns(world) -> None:
    url, _, ids = world
    result = CliRunner().invoke(
        main,
        [
            "--db",
            url,
            "diff",
            str(ids.run_2024),
            str(ids.run_2025),
            "--by",
            "sector",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert header == ["sector", *DIFF_COLUMNS]
    as_json = CliRunner().invoke(
        main, ["--db", url, "diff", str(ids.run_2024), str(ids.run_2025), "--format", "json"]
    )
    records = json.loads(as_json.output)
    assert list(records[0]) == ["pollutant", *DIFF_COLUMNS]


def _frame(rows: list[tuple[int, str, str, float, float, float, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=[
            "source_id",
            "activity_key",
            "method",
            "activity_value",
            "uncontrolled_t",
            "control_efficiency",
            "activity_unit",
            "pollutant",
        ],
    )
    frame["emissions_t"] = frame["uncontrolled_t"] * (1 - frame["control_efficiency"])
    frame["source"] = frame["source_id"].astype(str)
    frame["sector"] = "power_heat"
    return frame


side = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.sampled_from(["fuel|燃煤|", "fuel|天然气|"]),
        st.sampled_from(["emission_factor", "mass_balance", "measured"]),
        # activity of zero or of a real magnitude: a subnormal activity (1e-291 t) with a real
        # emission makes an implied factor of 1e291, where float rounding alone breaks sums
        st.one_of(st.just(0.0), st.floats(1e-3, 1e6)),
        st.floats(0, 1e4),
        st.floats(0, 0.99),
        st.sampled_from(["t", "万吨", "kg"]),
        st.sampled_from(["NOx", "SO2"]),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(earlier=side, later=side)
def test_parts_always_add_up(earlier, later) -> None:
    parts = decompose(_frame(earlier), _frame(later))
    # Parts can be large and of opposite signs (an activity effect of +5.4e4 t and a factor
    # effect of -5.4e4 t for a change of -34 t): float rounding is relative to the parts' size,
    # so the tolerance is too.
    scale = parts[PART_COLUMNS].abs().sum(axis=1).to_numpy() + parts["change_t"].abs().to_numpy()
    np.testing.assert_array_less(
        np.abs(parts[PART_COLUMNS].sum(axis=1) - parts["change_t"]).to_numpy(), 1e-9 * (scale + 1)
    )
    np.testing.assert_allclose(parts["to_t"] - parts["from_t"], parts["change_t"], atol=1e-9)
    total_from = _frame(earlier)["emissions_t"].sum() if earlier else 0.0
    assert parts["from_t"].sum() == pytest.approx(total_from, rel=1e-9, abs=1e-9)


def test_activity_rows_of_one_key_in_different_units_are_added_in_one_unit() -> None:
    # 100 t of coal at 0.1 t SO2/t both years; the later year reports it as 50 t plus
    # 0.005 万吨 (= 50 t). Added as bare numbers that would be 50.005 t: a -5 t activity effect
    # and a +5 t factor effect for no change at all.
    earlier = [(1, "fuel|燃煤|", "emission_factor", 100.0, 10.0, 0.0, "t", "SO2")]
    later = [
        (1, "fuel|燃煤|", "emission_factor", 50.0, 5.0, 0.0, "t", "SO2"),
        (1, "fuel|燃煤|", "emission_factor", 0.005, 5.0, 0.0, "万吨", "SO2"),
    ]
    parts = decompose(_frame(earlier), _frame(later)).iloc[0]
    assert parts["change_t"] == pytest.approx(0.0, abs=1e-12)
    assert parts["activity_t"] == pytest.approx(0.0, abs=1e-12)
    assert parts["factor_t"] == pytest.approx(0.0, abs=1e-12)


def test_activity_in_a_unit_that_cannot_be_converted_counts_as_activity_change() -> None:
    # 100 t then 50 t plus 2 台 (not a mass): the later activity is unknown, so the whole
    # 2 t change is an activity effect rather than a factor effect worked out on 50 t.
    earlier = [(1, "fuel|燃煤|", "emission_factor", 100.0, 10.0, 0.0, "t", "SO2")]
    later = [
        (1, "fuel|燃煤|", "emission_factor", 50.0, 5.0, 0.0, "t", "SO2"),
        (1, "fuel|燃煤|", "emission_factor", 2.0, 7.0, 0.0, "台", "SO2"),
    ]
    parts = decompose(_frame(earlier), _frame(later)).iloc[0]
    assert parts["change_t"] == pytest.approx(2.0)
    assert parts["activity_t"] == pytest.approx(2.0)
    assert parts["factor_t"] == pytest.approx(0.0, abs=1e-12)
