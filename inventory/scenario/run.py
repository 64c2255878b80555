"""``inventory scenario run``: a scenario applied to the inputs of a base run, stored as a run.

The base run's inputs are read again from the store (the source list as it stood in the base
year), changed by the measures (pure, :func:`apply_scenario`), computed and checked by the
build's own functions, and stored like any run with the scenario's name, a copy of its file
and the base run's id. Every result row a measure changed names it in ``measure``.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from inventory import POLLUTANTS, __version__
from inventory.build import (
    ACTIVITY_COLUMNS,
    BuildInputs,
    compute_run,
    input_fingerprint,
    read_inputs,
    store_run,
    summary_by_kind,
)
from inventory.errors import NotFound, ScenarioError
from inventory.scenario.apply import ScenarioOutcome, apply_scenario
from inventory.scenario.attribution import measure_labels
from inventory.scenario.inputs import MEASURE_COLUMN, ScenarioInputs
from inventory.scenario.loader import load_scenario
from inventory.scenario.model import Scenario

__all__ = ["ScenarioRunReport", "run_scenario", "scenario_inputs"]


@dataclass
class ScenarioRunReport:
    """What a scenario run did: the new run id, its base run, and what the measures found."""

    run_id: int
    base_run_id: int
    scenario: str
    year: int
    outcome: ScenarioOutcome
    summary: pd.DataFrame  # pollutant x kind, t/yr (the build's summary)
    fingerprint_changed: bool  # the base year's inputs changed since the base run


def _base_run(engine: Engine, base_run_id: int | None, year: int) -> tuple[int, int, bool, str]:
    from inventory.db.models import Run
    from inventory.results.runs import newest_base_run

    if base_run_id is None:
        base_run_id = newest_base_run(engine, year)
        if base_run_id is None:
            raise NotFound(
                "base run of year", year, f"Build it first with `inventory build --year {year}`."
            )
    with engine.connect() as connection:
        row = connection.execute(
            select(Run.id, Run.year, Run.carry_forward, Run.fingerprint, Run.scenario).where(
                Run.id == base_run_id
            )
        ).first()
    if row is None:
        raise NotFound("run", base_run_id, "List the runs with `inventory runs`.")
    if row.scenario is not None:
        raise ScenarioError(
            "(base)",
            f"run {base_run_id} is itself a scenario run ({row.scenario})",
            "Give a base run (inventory runs lists them; scenario is empty).",
        )
    return int(row.id), int(row.year), bool(row.carry_forward), str(row.fingerprint)


def _compute(inputs: ScenarioInputs) -> pd.DataFrame:
    """Emissions of scenario inputs through the calculation core (for emission limits)."""
    from inventory.calc import compute_emissions

    controls = inputs.controls.drop(columns=[MEASURE_COLUMN])
    measured = inputs.measured[["source_id", "pollutant", "quantity", "unit", "method"]]
    result = compute_emissions(
        inputs.activities[ACTIVITY_COLUMNS],
        inputs.factors,
        inputs.efficiencies,
        controls,
        measured,
        pollutants=POLLUTANTS,
    )
    return result.emissions


def scenario_inputs(
    engine: Engine, year: int, carry_forward: bool = False
) -> tuple[BuildInputs, ScenarioInputs]:
    """The build inputs of ``year`` and the same frames as :class:`ScenarioInputs` (with the
    source attributes selectors need)."""
    from inventory.scenario.attributes import source_attributes

    build = read_inputs(engine, year, carry_forward)
    inputs = ScenarioInputs(
        activities=build.activities,
        controls=build.controls,
        measured=build.measured,
        sources=source_attributes(engine, build.sources, year),
        factors=build.factors,
        efficiencies=build.efficiencies,
    )
    return build, inputs


def run_scenario(
    engine: Engine,
    scenario: Scenario | str | Path,
    base_run_id: int | None = None,
    label: str | None = None,
) -> ScenarioRunReport:
    """Apply ``scenario`` (a file or a parsed :class:`Scenario`) on top of a base run and store
    the result as a scenario run. Without ``base_run_id``, the newest base run of the
    scenario's base year. Emissions in t/yr."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    base_id, year, carry_forward, base_fingerprint = _base_run(
        engine, base_run_id, scenario.base_year
    )
    build, inputs = scenario_inputs(engine, year, carry_forward)
    fingerprint_changed = input_fingerprint(build) != base_fingerprint
    outcome = apply_scenario(scenario, inputs, _compute)
    changed = outcome.inputs
    per_source = pd.concat(
        [
            frame.loc[frame[MEASURE_COLUMN].notna(), ["source_id", MEASURE_COLUMN]]
            for frame in (changed.activities, changed.controls, changed.measured)
        ],
        ignore_index=True,
    )
    scenario_build = build.copy()
    scenario_build.activities = changed.activities.drop(columns=[MEASURE_COLUMN])
    scenario_build.controls = changed.controls.drop(columns=[MEASURE_COLUMN])
    scenario_build.measured = changed.measured.drop(columns=[MEASURE_COLUMN])
    scenario_build.measures = per_source.drop_duplicates().reset_index(drop=True)
    computed = compute_run(scenario_build)
    results = computed.results.copy()
    results["measure"] = measure_labels(results, changed, [m.id for m in scenario.measures])
    # rows a measure added exist only in the scenario: no activity record stands behind them
    added = results["activity_id"].notna() & (results["activity_id"].fillna(0) < 0)
    results.loc[added, "activity_id"] = pd.NA
    run_values = _run_values(
        scenario, scenario_build, computed.fingerprint, base_id, label, outcome, len(results)
    )
    run_id = store_run(engine, run_values, results, computed.findings)
    return ScenarioRunReport(
        run_id=run_id,
        base_run_id=base_id,
        scenario=scenario.name,
        year=year,
        outcome=outcome,
        summary=summary_by_kind(results),
        fingerprint_changed=fingerprint_changed,
    )


def _run_values(
    scenario: Scenario,
    build: BuildInputs,
    fingerprint: str,
    base_id: int,
    label: str | None,
    outcome: ScenarioOutcome,
    n_results: int,
) -> dict[str, object]:
    counts = outcome.findings["severity"].value_counts()
    note = (
        f"{len(scenario.measures)} measures; {int(counts.get('warning', 0))} warnings, "
        f"{int(counts.get('gap', 0))} gaps, {len(outcome.overlaps)} sources changed by several measures"
    )
    return {
        "year": build.year,
        "label": label or scenario.name,
        "scenario": scenario.name,
        "scenario_file": scenario.source_text,
        "base_run_id": base_id,
        "created_at": datetime.now(UTC),
        "user": _user(),
        "package_version": __version__,
        "factor_set_version": build.factor_set_version,
        "fingerprint": fingerprint,
        "carry_forward": build.carry_forward,
        "status": "complete",
        "n_sources": len(build.sources),
        "n_results": n_results,
        "note": note,
    }


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return None
