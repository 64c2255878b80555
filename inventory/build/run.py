"""The annual build: read inputs, compute with the calc core, check, and store one run.

:func:`build_inventory` is the whole of ``inventory build``. A scenario reuses the pieces:
:func:`inventory.build.read_inputs` gives the frames, the scenario changes them, and
:func:`compute_and_store` computes, checks and stores the changed inputs as a run of its own.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine

from inventory import POLLUTANTS, __version__
from inventory.build.fingerprint import fingerprint_frames
from inventory.build.inputs import ACTIVITY_COLUMNS, BuildInputs, read_inputs
from inventory.build.persist import store_run
from inventory.qa.checks import QAConfig, run_checks
from inventory.results.frame import RESULT_COLUMNS, load_results
from inventory.results.runs import newest_base_run

__all__ = [
    "BuildReport",
    "ComputedRun",
    "build_inventory",
    "compute_and_store",
    "compute_run",
    "input_fingerprint",
    "summary_by_kind",
]

MEASURED_COLUMNS = ["source_id", "pollutant", "quantity", "unit", "method"]
GAP_COLUMNS = ["activity_id", "source_id", "pollutant", "reason", "message"]

Progress = Callable[[str], None]


@dataclass
class ComputedRun:
    """A computed, checked, not yet stored run: result rows (``RESULT_COLUMNS``, t/yr), the
    gaps (source x pollutant not estimated) and the QA findings."""

    inputs: BuildInputs
    results: pd.DataFrame
    gaps: pd.DataFrame
    findings: pd.DataFrame
    fingerprint: str


@dataclass
class BuildReport:
    """What a build did: the run id, its fingerprint, counts, the pollutant x kind summary
    (t/yr), the QA findings and the seconds each step took."""

    run_id: int
    year: int
    label: str | None
    scenario: str | None
    fingerprint: str
    factor_set_version: str
    n_sources: int
    n_results: int
    n_errors: int
    n_warnings: int
    summary: pd.DataFrame
    findings: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)


def input_fingerprint(inputs: BuildInputs) -> str:
    """SHA-256 of every input of the build (year, carry-forward, all frames)."""
    return fingerprint_frames(
        {
            "year": inputs.year,
            "carry_forward": inputs.carry_forward,
            "sources": inputs.sources,
            "activities": inputs.activities,
            "factors": inputs.factors,
            "efficiencies": inputs.efficiencies,
            "controls": inputs.controls,
            "measured": inputs.measured,
            "measures": inputs.measures,
        }
    )


def _attach_provenance(emissions: pd.DataFrame, inputs: BuildInputs) -> pd.DataFrame:
    """Calc output rows plus version, kind, class, sector, region, batch, carried, measure."""
    frame = emissions.copy()
    frame["activity_id"] = frame["activity_id"].astype("Int64")
    activity = inputs.activities[["activity_id", "batch_id", "carried"]].copy()
    activity["activity_id"] = activity["activity_id"].astype("Int64")
    frame = frame.merge(activity, on="activity_id", how="left")
    measured_batch = inputs.measured.drop_duplicates(["source_id", "pollutant"], keep="last")[
        ["source_id", "pollutant", "batch_id"]
    ].rename(columns={"batch_id": "measured_batch_id"})
    frame = frame.merge(measured_batch, on=["source_id", "pollutant"], how="left")
    is_measured = frame["activity_id"].isna()
    frame["batch_id"] = (
        frame["batch_id"].astype("Int64").where(~is_measured, frame["measured_batch_id"])
    )
    frame["carried_forward"] = frame["carried"].astype("boolean").fillna(False).astype(bool)
    frame = frame.merge(
        inputs.sources[
            ["source_id", "source_version_id", "kind", "class_code", "sector", "region_code"]
        ],
        on="source_id",
        how="left",
    )
    if len(inputs.measures):
        measures = (
            inputs.measures.dropna()
            .drop_duplicates()
            .groupby("source_id")["measure"]
            .agg(lambda s: "; ".join(map(str, s)))
        )
        frame["measure"] = frame["source_id"].map(measures)
    else:
        frame["measure"] = None
    for column in RESULT_COLUMNS:
        if column not in frame:
            frame[column] = None
    for column in ("activity_id", "batch_id", "factor_id", "source_version_id"):
        frame[column] = frame[column].astype("Int64")
    return frame[RESULT_COLUMNS].reset_index(drop=True)


def _missing_sources(inputs: BuildInputs) -> pd.DataFrame:
    """Operating sources with neither activity nor measured emissions: gaps ``no_activity``."""
    have = set(inputs.activities["source_id"]) | set(inputs.measured["source_id"])
    missing = inputs.sources[~inputs.sources["source_id"].isin(have)]
    return pd.DataFrame(
        {
            "activity_id": pd.array([pd.NA] * len(missing), dtype="Int64"),
            "source_id": missing["source_id"].to_numpy(),
            "pollutant": None,
            "reason": "no_activity",
            "message": f"No activity record for {inputs.year} and no measured emissions.",
        }
    )


def compute_run(
    inputs: BuildInputs,
    previous: pd.DataFrame | None = None,
    qa_config: QAConfig | None = None,
) -> ComputedRun:
    """Compute emissions (t/yr) from ``inputs`` with the calc core and run the QA checks.

    ``previous``: the previous year's result rows with keys (``load_results``), for the
    year-over-year checks; None skips them. Pure: reads and writes no database.
    """
    from inventory.calc import compute_emissions

    calc = compute_emissions(
        inputs.activities[ACTIVITY_COLUMNS],
        inputs.factors,
        inputs.efficiencies,
        inputs.controls,
        inputs.measured[MEASURED_COLUMNS],
        pollutants=POLLUTANTS,
    )
    results = _attach_provenance(calc.emissions, inputs)
    gaps = pd.concat(
        [calc.gaps[GAP_COLUMNS], _missing_sources(inputs)], ignore_index=True
    ).reset_index(drop=True)
    keyed = results.merge(inputs.sources[["source_id", "source"]], on="source_id", how="left")
    keyed["county"] = keyed["region_code"]
    findings = run_checks(
        keyed,
        inputs.sources,
        gaps=gaps,
        activities=inputs.activities,
        previous=previous,
        config=qa_config,
    )
    return ComputedRun(inputs, results, gaps, findings, input_fingerprint(inputs))


def summary_by_kind(results: pd.DataFrame) -> pd.DataFrame:
    """Emissions (t/yr) by pollutant (rows, canonical order) x source kind (columns) + total."""
    table = results.pivot_table(
        index="pollutant", columns="kind", values="emissions_t", aggfunc="sum", fill_value=0.0
    )
    order = [p for p in POLLUTANTS if p in table.index] + [
        p for p in table.index if p not in POLLUTANTS
    ]
    kinds = [k for k in ("point", "mobile", "nonroad", "area") if k in table.columns]
    table = table.reindex(index=order, columns=kinds + [c for c in table.columns if c not in kinds])
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index()


def compute_and_store(
    engine: Engine,
    inputs: BuildInputs,
    *,
    label: str | None = None,
    scenario: str | None = None,
    scenario_file: str | None = None,
    base_run_id: int | None = None,
    note: str | None = None,
    qa_config: QAConfig | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Compute ``inputs``, check them and store the run atomically; returns the report.

    A base run (``scenario`` None) is compared with the newest base run of the previous year
    for the QA change checks. A scenario run records its name, file text and base run.
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    previous = None
    if scenario is None:
        previous_id = newest_base_run(engine, inputs.year - 1)
        if previous_id is not None:
            previous = load_results(engine, previous_id)
    if progress:
        progress("compute")
    computed = compute_run(inputs, previous, qa_config)
    seconds["compute"] = time.perf_counter() - started
    if progress:
        progress("store")
    stored = time.perf_counter()
    run_values = {
        "year": inputs.year,
        "label": label,
        "scenario": scenario,
        "scenario_file": scenario_file,
        "base_run_id": base_run_id,
        "created_at": datetime.now(UTC),
        "user": _user(),
        "package_version": __version__,
        "factor_set_version": inputs.factor_set_version,
        "fingerprint": computed.fingerprint,
        "carry_forward": inputs.carry_forward,
        "status": "complete",
        "n_sources": len(inputs.sources),
        "n_results": len(computed.results),
        "note": note,
    }
    run_id = store_run(engine, run_values, computed.results, computed.findings)
    seconds["store"] = time.perf_counter() - stored
    severity = computed.findings["severity"]
    return BuildReport(
        run_id=run_id,
        year=inputs.year,
        label=label,
        scenario=scenario,
        fingerprint=computed.fingerprint,
        factor_set_version=inputs.factor_set_version,
        n_sources=len(inputs.sources),
        n_results=len(computed.results),
        n_errors=int((severity == "error").sum()),
        n_warnings=int((severity == "warning").sum()),
        summary=summary_by_kind(computed.results),
        findings=computed.findings,
        seconds=seconds,
    )


def build_inventory(
    engine: Engine,
    year: int,
    label: str | None = None,
    carry_forward: bool = False,
    qa_config: QAConfig | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the inventory of ``year`` from the living source list and store it as a run.

    Sources operating in ``year`` (the version valid in it), the year's activity (with
    ``carry_forward``, a source's latest earlier year's when it has none, flagged), controls,
    measured emissions and the active factor sets go through the calc core; the run, one
    result row per source x pollutant (x activity) with provenance, and the QA findings are
    stored in one transaction. Emissions in t/yr.
    """
    if progress:
        progress("read")
    started = time.perf_counter()
    inputs = read_inputs(engine, year, carry_forward)
    read_seconds = time.perf_counter() - started
    report = compute_and_store(engine, inputs, label=label, qa_config=qa_config, progress=progress)
    report.seconds = {"read": read_seconds, **report.seconds}
    return report


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return None
