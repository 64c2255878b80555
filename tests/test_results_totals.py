"""Runs and totals on a hand-made two-year inventory (numbers from test_build_fixtures)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_build_fixtures import open_store, seed_two_years

from inventory.cli import main
from inventory.errors import ConfigError, NotFound
from inventory.results import list_runs, parse_keys, resolve_run, run_totals


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('world') / 'test.db'}"
    engine = open_store(sqlite_url)
    ids = seed_two_years(engine)
    yield sqlite_url, engine, ids
    engine.dispose()


def _as_dict(frame, key):
    return dict(zip(frame[key], frame["emissions_t"], strict=True))


def test_year_means_newest_base_run(world) -> None:
    _, engine, ids = world
    assert resolve_run(engine, year=2025) == ids.run_2025  # not the older one, not the scenario
    assert resolve_run(engine, year=2024) == ids.run_2024
    assert resolve_run(engine, run_id=ids.scenario_2025) == ids.scenario_2025
    assert resolve_run(engine) == ids.run_2025
    with pytest.raises(NotFound):
        resolve_run(engine, year=2030)
    with pytest.raises(NotFound):
        resolve_run(engine, run_id=999)
    with pytest.raises(ConfigError):
        resolve_run(engine, run_id=1, year=2024)


def test_totals_by_every_key(world) -> None:
    _, engine, ids = world
    by_pollutant = run_totals(engine, ids.run_2025, ["pollutant"])
    assert list(by_pollutant["pollutant"]) == ["NOx", "PM10", "PM2.5", "VOCs"]  # canonical order
    assert _as_dict(by_pollutant, "pollutant") == pytest.approx(
        {"NOx": 2.4 + 3 + 5 + 3 + 1.5, "PM10": 1.2, "PM2.5": 0.72, "VOCs": 0.5}
    )
    nox = ["NOx"]
    assert _as_dict(run_totals(engine, ids.run_2025, ["sector"], nox), "sector") == pytest.approx(
        {"power_heat": 7.4, "industrial_combustion": 6.0, "onroad": 1.5}
    )
    assert _as_dict(run_totals(engine, ids.run_2025, ["county"], nox), "county") == pytest.approx(
        {"150502": 3.9, "150521": 11.0}
    )
    assert _as_dict(run_totals(engine, ids.run_2025, ["kind"], nox), "kind") == pytest.approx(
        {"point": 13.4, "mobile": 1.5}
    )
    facility = _as_dict(run_totals(engine, ids.run_2025, ["facility"], nox), "facility")
    assert facility == pytest.approx(
        {"91150500MA0000001X": 2.4, "91150521MA0000002Y": 11.0, None: 1.5}
    )
    source = _as_dict(run_totals(engine, ids.run_2025, ["source"], nox), "source")
    assert source["91150500MA0000001X/1#"] == pytest.approx(2.4)
    assert source["150502/重型载货汽车/柴油/国5"] == pytest.approx(1.5)
    assert _as_dict(run_totals(engine, ids.run_2025, ["category1"], nox), "category1") == (
        pytest.approx({"01": 13.4, "03": 1.5})
    )
    assert _as_dict(run_totals(engine, ids.run_2025, ["category2"], nox), "category2") == (
        pytest.approx({"0101": 7.4, "0102": 6.0, "0301": 1.5})
    )
    # the classes are only two levels deep here: below them the key is empty, nothing is lost
    assert _as_dict(run_totals(engine, ids.run_2025, ["category3"], nox), "category3") == (
        pytest.approx({None: 14.9})
    )
    two = run_totals(engine, ids.run_2025, ["pollutant", "county"])
    assert list(two.columns) == ["pollutant", "county", "emissions_t"]
    assert len(two) == 2 + 1 + 1 + 1  # NOx in 2 counties, PM10, PM2.5, VOCs in 150502


def test_parse_keys_rejects_unknown() -> None:
    assert parse_keys("sector, county") == ["sector", "county"]
    with pytest.raises(ConfigError):
        parse_keys("sector,planet")


def test_runs_and_totals_commands(world) -> None:
    url, engine, ids = world
    runner = CliRunner()
    result = runner.invoke(main, ["--db", url, "runs", "--format", "json"])
    assert result.exit_code == 0, result.output
    runs = json.loads(result.output)
    assert {"id", "year", "label", "scenario", "created_at"} <= set(runs[0])
    assert [r["id"] for r in runs] == list(list_runs(engine)["id"])
    assert runs[-1]["scenario"] == "plan"

    result = runner.invoke(
        main,
        [
            "--db",
            url,
            "totals",
            "--year",
            "2025",
            "--by",
            "sector",
            "--pollutant",
            "NOx",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "sector,emissions_t"
    assert "power_heat,7.4" in lines

    result = runner.invoke(
        main, ["--db", url, "totals", "--run", str(ids.run_2024), "--format", "json"]
    )
    records = json.loads(result.output)
    assert records[0].keys() == {"pollutant", "emissions_t"}
    assert {r["pollutant"]: r["emissions_t"] for r in records}["NOx"] == pytest.approx(18.5)

    table = runner.invoke(main, ["--db", url, "totals", "--year", "2025", "--by", "facility"])
    assert table.exit_code == 0
    assert "通辽热电" in table.output  # names are added in tables

    bad = runner.invoke(main, ["--db", url, "totals", "--by", "planet"])
    assert bad.exit_code != 0
    assert "Unknown --by key planet" in bad.output
