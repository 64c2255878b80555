"""The whole cycle on the shipped synthetic Tongliao sample: import, build, diff, scenario, report.

``run_demo`` is what ``inventory demo`` calls; it is also the end-to-end check the tests run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from inventory.errors import ImportRejected
from inventory.resources import package_path

__all__ = ["DEMO_YEARS", "DemoReport", "run_demo", "sample_workbooks"]

DEMO_YEARS: tuple[int, int] = (2024, 2025)
SCENARIO_FILE = "tongliao-2025.yaml"
HEADLINE = ["NOx", "VOCs"]

Step = Callable[[str], None]


@dataclass
class DemoReport:
    """What the demo made: where, which runs, and the tables it prints (t/yr)."""

    directory: Path
    db_url: str
    imported: list[tuple[str, int, str]] = field(default_factory=list)  # file, year, status
    runs: dict[int, int] = field(default_factory=dict)  # year -> run id
    scenario_run_id: int | None = None
    report_path: Path | None = None
    scenario_report_path: Path | None = None
    charts: list[Path] = field(default_factory=list)
    by_sector: pd.DataFrame = field(default_factory=pd.DataFrame)
    change: pd.DataFrame = field(default_factory=pd.DataFrame)
    reductions: pd.DataFrame = field(default_factory=pd.DataFrame)
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)


def sample_workbooks(year: int) -> list[Path]:
    """The shipped sample workbooks of ``year`` (synthetic), in a stable order."""
    folder = package_path("sample", str(year))
    return sorted(folder.glob("*.xlsx"))


def run_demo(
    directory: str | Path, db_url: str | None = None, step: Step | None = None
) -> DemoReport:
    """Run the whole cycle on the sample into ``directory`` (database, report, charts).

    Without ``db_url`` the database is ``DIRECTORY/inventory.db`` (SQLite), made afresh so that
    the demo's numbers are always the same. Raises :class:`ImportRejected` if a sample workbook
    does not load (which would be a bug).
    """
    from inventory.db.session import make_engine
    from inventory.store import initialise

    say = step or (lambda _text: None)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    if db_url is None:
        db_file = out / "inventory.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        db_url = f"sqlite:///{db_file}"
    report = DemoReport(directory=out, db_url=db_url)
    say("initialising the database")
    initialise(db_url)
    engine = make_engine(db_url)
    try:
        _import_sample(engine, report, say)
        _build_years(engine, report, say)
        _scenario(engine, report, say)
        _reports(engine, report, say)
    finally:
        engine.dispose()
    return report


def _import_sample(engine: Engine, report: DemoReport, say: Step) -> None:
    from inventory.ingest.importer import import_workbook

    for year in DEMO_YEARS:
        for path in sample_workbooks(year):
            say(f"importing {year}/{path.name}")
            result = import_workbook(engine, path, year=year, user="demo")
            if result.status == "rejected":
                raise ImportRejected(str(path), result.errors)
            report.imported.append((path.name, year, result.status))


def _build_years(engine: Engine, report: DemoReport, say: Step) -> None:
    from inventory.build.run import build_inventory
    from inventory.results.diff import diff_runs
    from inventory.results.totals import run_totals

    frames = []
    for year in DEMO_YEARS:
        say(f"building {year}")
        built = build_inventory(engine, year, label=f"demo {year}")
        report.runs[year] = built.run_id
        sectors = run_totals(engine, built.run_id, ["pollutant", "sector"], HEADLINE)
        frames.append(sectors.assign(year=year))
    wide = pd.concat(frames).pivot_table(
        index=["pollutant", "sector"], columns="year", values="emissions_t", aggfunc="sum"
    )
    report.by_sector = wide.fillna(0.0).reset_index()
    report.by_sector.columns = [str(c) for c in report.by_sector.columns]
    first, second = (report.runs[y] for y in DEMO_YEARS)
    report.change = diff_runs(engine, first, second, ["pollutant"], HEADLINE)


def _scenario(engine: Engine, report: DemoReport, say: Step) -> None:
    from inventory.scenario.reductions import reductions_report
    from inventory.scenario.run import run_scenario

    say("running the Tongliao action-plan scenario on 2025")
    base = report.runs[DEMO_YEARS[1]]
    outcome = run_scenario(engine, package_path("scenarios", SCENARIO_FILE), base_run_id=base)
    report.scenario_run_id = outcome.run_id
    reductions = reductions_report(engine, base, outcome.run_id, ["sector"], HEADLINE)
    report.reductions = reductions.rows
    report.targets = reductions.targets


def _reports(engine: Engine, report: DemoReport, say: Step) -> None:
    from inventory.report.charts import plot_run
    from inventory.report.workbook import write_report

    year = DEMO_YEARS[1]
    say("writing the report workbooks")
    report.report_path = write_report(
        engine, report.runs[year], report.directory / f"inventory-{year}.xlsx"
    )
    if report.scenario_run_id is not None:
        report.scenario_report_path = write_report(
            engine, report.scenario_run_id, report.directory / f"scenario-{year}.xlsx"
        )
    say("drawing the charts")
    report.charts = plot_run(engine, report.runs[year], report.directory / "charts")
