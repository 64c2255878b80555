"""A scenario run end to end on a small store: build the base, run measures, read reductions.

Inventory (NOx, t/yr, worked out by hand):

=====  ===========================================  ==================================  =====
id     source                                       activity x factor x (1 - control)   NOx
=====  ===========================================  ==================================  =====
B1     coal boiler 20 t/h, 科尔沁区                  1000 t x 2 kg/t                       2.0
B2     coal boiler 75 t/h, 科尔沁区, SNCR 0.3        10000 t x 2 kg/t x 0.7               14.0
G1     gas boiler, 科左中旗                          100 万m3 x 10 kg/万m3                   1.0
T3     heavy trucks 国3, 科尔沁区                    100 x 50000 km x 5 g/km               25.0
T6     heavy trucks 国6, 科尔沁区                    50 x 50000 km x 0.5 g/km               1.25
=====  ===========================================  ==================================  =====

Measures: 7a closes B1 (-2.0); 18c adds 低氮燃烧 (0.25) to G1 (-0.25); 11a raises 国6 to 40 % of
150 trucks: 10 move from 国3 (-10 x 50000 x 4.5 g = -2.25); 18a (limit) has no flue-gas
volume in this library: a gap, no change. Total -4.5 t of 43.25 t.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update
from test_build_fixtures import (
    activity,
    batch,
    efficiency,
    facility,
    factor,
    factor_set,
    open_store,
    session_scope,
    source,
)

from inventory.build import build_inventory
from inventory.cli import main
from inventory.db.models import EmissionResult, FactorSet, Run
from inventory.scenario import reductions_frame
from inventory.scenario.run import run_scenario

SCENARIO = """
name: test-plan
base_year: 2025
targets:
  - {pollutant: NOx, reduction_t: 4}
  - {pollutant: NOx, reduction_t: 5, county: 科尔沁区}
measures:
  - id: 7a
    plan: "[7]"
    select: {kind: point, fuel: 燃煤, county: 科尔沁区, capacity_tph: {below: 35}}
    action: close
  - id: 18c
    select: {kind: point, fuel: 天然气, control: {present: false}}
    action: {type: add_control, technology: 低氮燃烧, pollutants: [NOx]}
  - id: 11a
    select: {kind: mobile, vehicle_class: 重型载货汽车}
    action: {type: renew_fleet, target_share: 0.4}
  - id: 18a
    select: {kind: point, fuel: 燃煤, capacity_tph: {above: 65}}
    action: {type: emission_limit, limits: {NOx: 50}}
  - id: nothing
    select: {kind: point, fuel: 焦炭}
    action: close
"""


def seed(url: str) -> int:
    engine = open_store(url)
    with session_scope(engine) as s:
        # only this test's factors: the numbers above must not depend on the shipped library
        s.execute(update(FactorSet).values(active=False))
        b = batch(s, 2025)
        fs = factor_set(s)
        factor(s, fs, "0102", "NOx", 2.0, "kg/t", fuel="燃煤")
        factor(s, fs, "0102", "NOx", 10.0, "kg/万立方米", fuel="天然气")
        factor(s, fs, "0301", "NOx", 5.0, "g/km", vehicle_class="重型载货汽车", standard="国3")
        factor(s, fs, "0301", "NOx", 0.5, "g/km", vehicle_class="重型载货汽车", standard="国6")
        efficiency(s, fs, "SNCR", "NOx", 0.3)
        efficiency(s, fs, "低氮燃烧", "NOx", 0.25)
        f1 = facility(s, "91150502MA0000001X", "甲厂", "150502", b)
        f2 = facility(s, "91150521MA0000002Y", "乙厂", "150521", b)
        b1, _ = source(
            s,
            "point",
            "91150502MA0000001X/1#",
            b,
            facility_id=f1,
            class_code="01020103",
            region_code="150502",
            fuel="燃煤",
            capacity_tph=20.0,
        )
        b2, _ = source(
            s,
            "point",
            "91150502MA0000001X/2#",
            b,
            facility_id=f1,
            class_code="01020103",
            region_code="150502",
            fuel="燃煤",
            capacity_tph=75.0,
            controls=[{"technology": "SNCR", "pollutant": "NOx"}],
        )
        g1, _ = source(
            s,
            "point",
            "91150521MA0000002Y/1#",
            b,
            facility_id=f2,
            class_code="01020201",
            region_code="150521",
            fuel="天然气",
            capacity_tph=10.0,
        )
        t3, _ = source(
            s,
            "mobile",
            "150502/重型载货汽车/柴油/国3",
            b,
            class_code="03010204",
            region_code="150502",
            fuel="柴油",
            vehicle_class="重型载货汽车",
            standard="国3",
        )
        t6, _ = source(
            s,
            "mobile",
            "150502/重型载货汽车/柴油/国6",
            b,
            class_code="03010204",
            region_code="150502",
            fuel="柴油",
            vehicle_class="重型载货汽车",
            standard="国6",
        )
        activity(s, b1, b, 2025, 1000.0, "t", fuel="燃煤")
        activity(s, b2, b, 2025, 10000.0, "t", fuel="燃煤")
        activity(s, g1, b, 2025, 100.0, "万立方米", fuel="天然气")
        activity(s, t3, b, 2025, 100.0, "辆", "population", km_per_vehicle=50000.0)
        activity(s, t6, b, 2025, 50.0, "辆", "population", km_per_vehicle=50000.0)
    return build_inventory(engine, 2025).run_id


@pytest.fixture
def store(db_url: str) -> tuple[str, int]:
    return db_url, seed(db_url)


def _nox(frame) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return dict(zip(frame.iloc[:, 1], frame["reduction_t"], strict=True))


def test_scenario_run_is_stored_with_its_file_and_measures(
    store: tuple[str, int], tmp_path: Path
) -> None:
    url, base = store
    from inventory.db.session import make_engine

    engine = make_engine(url)
    report = run_scenario(engine, _file(tmp_path))
    assert report.base_run_id == base
    with engine.connect() as connection:
        run = connection.execute(select(Run).where(Run.id == report.run_id)).one()
        rows = connection.execute(
            select(
                EmissionResult.source_id,
                EmissionResult.activity_id,
                EmissionResult.emissions_t,
                EmissionResult.measure,
            ).where(EmissionResult.run_id == report.run_id, EmissionResult.pollutant == "NOx")
        ).all()
    assert run.scenario == "test-plan" and run.base_run_id == base
    assert run.scenario_file == SCENARIO
    total = sum(r.emissions_t for r in rows)
    assert total == pytest.approx(43.25 - 4.5)
    # the trucks moved to 国6 exist only in the scenario: no activity record behind them
    moved = [r for r in rows if r.activity_id is None]
    assert [round(r.emissions_t, 6) for r in moved] == [0.25] and moved[0].measure == "11a"
    codes = set(report.outcome.findings["code"])
    assert {"no_flue_gas_volume", "no_match"} <= codes


def test_reductions_by_measure_and_targets(store: tuple[str, int], tmp_path: Path) -> None:
    url, base = store
    from inventory.db.session import make_engine

    engine = make_engine(url)
    scenario_run = run_scenario(engine, _file(tmp_path)).run_id
    by_measure = reductions_frame(engine, base, scenario_run, ["measure"], ["NOx"])
    assert list(by_measure.columns) == [
        "pollutant",
        "measure",
        "baseline_t",
        "scenario_t",
        "reduction_t",
        "reduction_pct",
        "target_t",
        "target_met",
    ]
    assert _nox(by_measure) == pytest.approx(
        {"(no measure)": 0.0, "11a": 2.25, "18c": 0.25, "7a": 2.0}
    )
    closed = by_measure.set_index("measure").loc["7a"]
    assert closed["baseline_t"] == pytest.approx(2.0) and closed["reduction_pct"] == pytest.approx(
        100.0
    )
    total = reductions_frame(engine, base, scenario_run, [], ["NOx"]).iloc[0]
    assert total["reduction_t"] == pytest.approx(4.5)
    assert total["reduction_pct"] == pytest.approx(100 * 4.5 / 43.25)
    assert total["target_t"] == 4 and total["target_met"] is True
    by_county = reductions_frame(engine, base, scenario_run, ["county"], ["NOx"]).set_index(
        "county"
    )
    assert by_county.loc["150502", "reduction_t"] == pytest.approx(4.25)
    assert by_county.loc["150502", "target_met"] is False  # 4.25 < 5
    assert by_county.loc["150521", "reduction_t"] == pytest.approx(0.25)


def test_cli_scenario_run_and_reductions(store: tuple[str, int], tmp_path: Path) -> None:
    url, base = store
    runner = CliRunner()
    result = runner.invoke(
        main, ["scenario", "run", str(_file(tmp_path)), "--db", url, "--base", str(base)]
    )
    assert result.exit_code == 0, result.output
    assert "no_flue_gas_volume" in result.output and "no_match" in result.output
    scenario_run = base + 1
    result = runner.invoke(
        main,
        [
            "reductions",
            "--db",
            url,
            "--base",
            str(base),
            "--scenario",
            str(scenario_run),
            "--by",
            "sector",
            "--pollutant",
            "NOx",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert [r["sector"] for r in records] == sorted(r["sector"] for r in records)
    assert sum(r["reduction_t"] for r in records) == pytest.approx(4.5)
    assert set(records[0]) == {
        "pollutant",
        "sector",
        "baseline_t",
        "scenario_t",
        "reduction_t",
        "reduction_pct",
        "target_t",
        "target_met",
    }
    result = runner.invoke(
        main,
        [
            "reductions",
            "--db",
            url,
            "--base",
            str(base),
            "--scenario",
            str(scenario_run),
            "--format",
            "csv",
        ],
    )
    header = result.output.splitlines()[0]
    assert header == "pollutant,baseline_t,scenario_t,reduction_t,reduction_pct,target_t,target_met"


def test_cli_names_a_bad_scenario_file(tmp_path: Path, sqlite_store: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        SCENARIO.replace("capacity_tph: {below: 35}", "capacity: {below: 35}"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["scenario", "run", str(path), "--db", sqlite_store])
    assert result.exit_code != 0
    assert "unknown field 'capacity'" in result.output
    assert "docs/scenarios.md" in result.output


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_report_of_a_scenario_run_has_reductions_sheets_and_chart(
    store: tuple[str, int], tmp_path: Path
) -> None:
    import zipfile

    from openpyxl import load_workbook

    from inventory.db.session import make_engine
    from inventory.report import write_report

    url, _base = store
    engine = make_engine(url)
    scenario_run = run_scenario(engine, _file(tmp_path)).run_id
    path = write_report(engine, scenario_run, tmp_path / "scenario.xlsx")
    book = load_workbook(path, read_only=True)
    assert {"Reductions", "Reductions detail", "Targets"} <= set(book.sheetnames)
    rows = [r for r in book["Reductions"].iter_rows(values_only=True) if r and r[0] is not None]
    header = next(i for i, r in enumerate(rows) if r[0] == "measure" or "NOx" in str(r))
    by_measure = {r[0]: r[1] for r in rows[header + 1 :]}
    assert by_measure["7a"] == pytest.approx(2.0) and by_measure["11a"] == pytest.approx(2.25)
    position = book.sheetnames.index("Reductions") + 1
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read(f"xl/worksheets/sheet{position}.xml").decode()
        assert "<drawing" in sheet_xml  # the chart is anchored on the Reductions sheet
