"""The shipped Tongliao 2025 scenario on the shipped sample inventory: it runs, and every one of
its measures selects at least one source there."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.build import build_inventory
from inventory.db.session import make_engine
from inventory.ingest.importer import import_workbook
from inventory.resources import package_path
from inventory.scenario import load_scenario, reductions_frame, select_sources, shipped_scenario
from inventory.scenario.run import run_scenario, scenario_inputs
from inventory.store import initialise

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    url = f"sqlite:///{tmp_path_factory.mktemp('tongliao') / 'sample.db'}"
    initialise(url)
    engine = make_engine(url)
    for workbook in sorted(Path(package_path("sample", "2025")).glob("*.xlsx")):
        import_workbook(engine, workbook, year=2025, partial=True)
    return url, build_inventory(engine, 2025).run_id


def test_the_shipped_file_cites_the_plan_and_leaves_targets_to_the_user() -> None:
    scenario = load_scenario(shipped_scenario())
    assert scenario.name == "tongliao-2025" and scenario.base_year == 2025
    assert all(m.plan for m in scenario.measures)
    assert {t.pollutant for t in scenario.targets} == {"NOx", "VOCs"}
    assert all(t.reduction_t is None for t in scenario.targets)


def test_every_measure_selects_a_sample_source(sample_store: tuple[str, int]) -> None:
    url, _base = sample_store
    scenario = load_scenario(shipped_scenario())
    _build, inputs = scenario_inputs(make_engine(url), 2025)
    empty = [m.id for m in scenario.measures if len(select_sources(m.select, inputs, m.id)) == 0]
    assert empty == []


def test_the_scenario_runs_and_its_reductions_add_up(sample_store: tuple[str, int]) -> None:
    url, base = sample_store
    engine = make_engine(url)
    report = run_scenario(engine, shipped_scenario(), base)
    total = reductions_frame(engine, base, report.run_id, [], ["NOx", "VOCs"]).set_index(
        "pollutant"
    )
    assert total.loc["NOx", "reduction_t"] > 0 and total.loc["VOCs", "reduction_t"] > 0
    by_measure = reductions_frame(engine, base, report.run_id, ["measure"], ["NOx", "VOCs"])
    sums = by_measure.groupby("pollutant")["reduction_t"].sum()
    assert sums.loc["NOx"] == pytest.approx(total.loc["NOx", "reduction_t"])
    assert sums.loc["VOCs"] == pytest.approx(total.loc["VOCs", "reduction_t"])
    # the measures left for the user are reported, not guessed
    unfilled = set(report.outcome.findings.query("code == 'unfilled'")["measure"])
    assert unfilled == {"10a-freight-to-rail", "16a-straw"}
