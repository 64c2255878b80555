"""The annual build on a small city, numbers worked out by hand (see seed_small_city)."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from test_build_fixtures import open_store, seed_small_city

from inventory.build import build_inventory, read_inputs
from inventory.cli import main
from inventory.db.models import EmissionResult, QAFinding, Run
from inventory.qa import load_findings
from inventory.results import diff_runs, load_results, run_totals


@pytest.fixture
def city(db_url: str):
    engine = open_store(db_url)
    ids = seed_small_city(engine)
    yield db_url, engine, ids
    engine.dispose()


def _totals(engine, run_id, by="pollutant"):
    frame = run_totals(engine, run_id, [by])
    return dict(zip(frame[by], frame["emissions_t"], strict=True))


def test_inputs_of_2024(city) -> None:
    _, engine, ids = city
    inputs = read_inputs(engine, 2024)
    operating = set(inputs.sources["source_id"])
    assert ids.sources["P5"] not in operating  # closed before 2024
    assert {ids.sources[k] for k in ("P1", "P2", "P3", "M1", "P4", "P6")} == operating
    assert ids.activities["old_p1"] not in set(inputs.activities["activity_id"])  # superseded
    assert ids.activities["p1_24"] in set(inputs.activities["activity_id"])
    p1 = inputs.controls[inputs.controls["source_id"] == ids.sources["P1"]]
    assert list(p1["technology"]) == ["SCR"] and p1["efficiency"].isna().all()  # version 1
    assert list(inputs.measured["pollutant"]) == ["NOx"]
    # the text columns the calc core reads by code come as categoricals (hashed once, here)
    for column in ("class_code", "unit", "fuel", "activity_type"):
        assert isinstance(inputs.activities[column].dtype, pd.CategoricalDtype), column
    assert isinstance(inputs.controls["technology"].dtype, pd.CategoricalDtype)


def test_build_2024_numbers_and_provenance(city) -> None:
    _, engine, ids = city
    report = build_inventory(engine, 2024, label="first")
    totals = _totals(engine, report.run_id)
    # NOx: P1 1000 t x 10 kg/t x (1 - 0.7) = 3; P2 5; P3 measured 4; trucks 5e6 km x 5 g/km = 25
    assert totals["NOx"] == pytest.approx(3 + 5 + 4 + 25)
    assert totals["PM10"] == pytest.approx(2 + 1 + 1.6)
    assert totals["PM2.5"] == pytest.approx(1 + 0.5 + 0.8)
    assert totals["VOCs"] == pytest.approx(1.0)
    results = load_results(engine, report.run_id)
    p1 = results[(results["source_id"] == ids.sources["P1"]) & (results["pollutant"] == "NOx")]
    row = p1.iloc[0]
    assert row["method"] == "emission_factor"
    assert row["activity_id"] == ids.activities["p1_24"]
    assert row["batch_id"] != ids.batches[2024]  # the corrected workbook's batch
    assert row["factor_id"] == ids.factors["nox"]
    assert "Coal handbook" in row["factor_source"] and "Table 3" in row["factor_source"]
    assert row["control_efficiency"] == pytest.approx(0.7)
    assert row["uncontrolled_t"] == pytest.approx(10.0)
    p3 = results[(results["source_id"] == ids.sources["P3"]) & (results["pollutant"] == "NOx")]
    assert list(p3["method"]) == ["measured"]
    assert report.summary.set_index("pollutant").loc["NOx", "mobile"] == pytest.approx(25)
    findings = load_findings(engine, report.run_id)
    codes = set(zip(findings["code"], findings["source_id"], strict=True))
    assert ("no_activity", ids.sources["P6"]) in codes  # listed, never dropped
    assert ("no_factor", ids.sources["P4"]) in codes
    assert ("headline_missing", ids.sources["P4"]) in codes
    assert report.n_errors >= 2


def test_rebuild_same_fingerprint_and_numbers(city) -> None:
    _, engine, _ = city
    first = build_inventory(engine, 2024)
    second = build_inventory(engine, 2024)
    assert first.fingerprint == second.fingerprint
    a = load_results(engine, first.run_id).drop(columns=[])
    b = load_results(engine, second.run_id)
    pd.testing.assert_frame_equal(a, b)
    changed = build_inventory(engine, 2024, carry_forward=True)
    assert changed.fingerprint != first.fingerprint  # the option is an input too


def test_carry_forward_and_year_over_year(city) -> None:
    _, engine, ids = city
    base = build_inventory(engine, 2024)
    plain = build_inventory(engine, 2025)
    findings = load_findings(engine, plain.run_id)
    missing = set(findings.loc[findings["code"] == "no_activity", "source_id"])
    assert {ids.sources["P2"], ids.sources["P3"]} <= missing
    carried = build_inventory(engine, 2025, carry_forward=True)
    results = load_results(engine, carried.run_id)
    flags = results.groupby("source_id")["carried_forward"].all()
    assert flags[ids.sources["P2"]] and flags[ids.sources["P3"]]
    assert not flags[ids.sources["P1"]]
    totals = _totals(engine, carried.run_id)
    # P1 1200 t x 10 kg/t x (1 - 0.9) = 1.2; P2 carried 5; P3 carried 800 t -> 8 (no CEMS in 2025)
    assert totals["NOx"] == pytest.approx(1.2 + 5 + 8 + 25)
    codes = set(load_findings(engine, carried.run_id)["code"])
    assert "carried_forward" in codes
    diff = diff_runs(engine, base.run_id, carried.run_id, ["source", "pollutant"], ["NOx"])
    row = diff.set_index("source").loc["91150500MA0000001X/1#"]
    assert row["activity_t"] == pytest.approx(200 * 0.01 * 0.3)
    assert row["factor_t"] == pytest.approx(0.0, abs=1e-12)
    assert row["control_t"] == pytest.approx(1200 * 0.01 * (0.1 - 0.3))
    p3 = diff.set_index("source").loc["91150500MA0000001X/3#"]
    assert p3["method_t"] == pytest.approx(8 - 4)


def test_failed_build_leaves_earlier_runs(city, monkeypatch) -> None:
    _, engine, _ = city
    first = build_inventory(engine, 2024)
    import inventory.build.persist as persist

    real = persist.bulk_insert
    calls = []

    def failing(connection, table, frame, columns, progress=None):
        calls.append(table.name)
        if table.name == "qa_finding":
            raise RuntimeError("disk full")
        return real(connection, table, frame, columns, progress)

    monkeypatch.setattr(persist, "bulk_insert", failing)
    with pytest.raises(RuntimeError):
        build_inventory(engine, 2024)
    assert calls == ["emission_result", "qa_finding"]  # results were written, then undone
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Run)) == 1
        results = connection.scalar(select(func.count()).select_from(EmissionResult))
        assert results == first.n_results
        assert connection.scalar(select(func.count()).select_from(QAFinding)) == len(first.findings)


def test_build_command(city) -> None:
    url, _, _ = city
    result = CliRunner().invoke(main, ["--db", url, "build", "--year", "2024", "--label", "x"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Run 1: 2024, 6 sources")
    assert "NOx" in result.output and "QA: " in result.output
    qa = CliRunner().invoke(main, ["--db", url, "qa", "--year", "2024", "--format", "csv"])
    assert qa.output.splitlines()[0] == (
        "code,severity,source_id,source,pollutant,subject,value,message"
    )
    assert "no_activity,error" in qa.output
