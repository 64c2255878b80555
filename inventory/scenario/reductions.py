"""Reductions of a scenario run against its base run, by any keys, with the targets met or not.

Both runs are first summed per source and pollutant (so a measured row replaced by factor rows,
or a fleet split into two standards, compares like with like), then grouped by the keys.
Columns: ``pollutant``, the keys, ``baseline_t``, ``scenario_t``, ``reduction_t`` (baseline
minus scenario, t/yr), ``reduction_pct`` (of the baseline), ``target_t``, ``target_met``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from inventory.errors import ConfigError, NotFound
from inventory.scenario.model import Target

__all__ = [
    "NO_MEASURE",
    "REDUCTION_KEYS",
    "ReductionsReport",
    "compute_reductions",
    "evaluate_targets",
    "load_run_emissions",
    "reductions_frame",
    "reductions_report",
]

NO_MEASURE = "(no measure)"
"""The ``measure`` key of sources no measure changed."""

REDUCTION_KEYS = (
    "sector",
    "county",
    "measure",
    "kind",
    "facility",
    "source",
    "category1",
    "category2",
    "category3",
    "category4",
)
"""Keys ``--by`` accepts."""

_VALUE_COLUMNS = [
    "baseline_t",
    "scenario_t",
    "reduction_t",
    "reduction_pct",
    "target_t",
    "target_met",
]


def _key_column(frame: pd.DataFrame, key: str) -> pd.Series:
    if key in frame.columns:
        return frame[key]
    if key == "county":
        return frame["region_code"]
    if key.startswith("category"):
        level = int(key[-1])
        codes = frame["class_code"].fillna("").astype(str)
        return codes.where(codes.str.len() >= 2 * level, None).str.slice(0, 2 * level)
    if key == "source":
        return (
            frame["natural_key"]
            if "natural_key" in frame.columns
            else frame["source_id"].astype(str)
        )
    return frame[key]


_ATTRIBUTES = (
    "kind",
    "class_code",
    "sector",
    "region_code",
    "county",
    "facility",
    "source",
    "natural_key",
    "category1",
    "category2",
    "category3",
    "category4",
)


def _per_source(frame: pd.DataFrame, pollutants: Sequence[str] | None) -> pd.DataFrame:
    if pollutants:
        frame = frame.loc[frame["pollutant"].isin(pollutants)]
    attributes = [c for c in _ATTRIBUTES if c in frame.columns]
    grouped = frame.groupby(["source_id", "pollutant"], sort=False)
    summed = grouped["emissions_t"].sum().rename("emissions_t")
    firsts = grouped[attributes].first() if attributes else None
    return pd.concat([summed, firsts], axis=1) if firsts is not None else summed.to_frame()


def _labels(frame: pd.DataFrame, order: Sequence[str]) -> pd.Series:
    """One measure label per (source_id, pollutant), ids in file order."""
    if "measure" not in frame.columns:
        return pd.Series(dtype=object)
    tagged = frame.loc[frame["measure"].notna(), ["source_id", "pollutant", "measure"]]
    if tagged.empty:
        return pd.Series(dtype=object)
    long = (
        tagged.assign(measure=tagged["measure"].str.split("+")).explode("measure").drop_duplicates()
    )
    rank = {m: i for i, m in enumerate(order)}
    long = long.assign(_rank=long["measure"].map(rank).fillna(len(rank)))
    return long.sort_values("_rank").groupby(["source_id", "pollutant"])["measure"].agg("+".join)


def compute_reductions(
    baseline: pd.DataFrame,
    scenario: pd.DataFrame,
    by: Sequence[str] = (),
    pollutants: Sequence[str] | None = None,
    targets: Sequence[Target] = (),
    order: Sequence[str] = (),
) -> pd.DataFrame:
    """Reductions (t/yr and %) from emission rows of a base and a scenario run (pure).

    Both frames hold ``source_id``, ``pollutant``, ``emissions_t`` and the attribute columns the
    keys need (``sector``, ``region_code``, ``kind``, ``class_code``, ``facility``,
    ``natural_key``); the scenario also ``measure``. ``order`` is the measures' file order.
    """
    unknown = [key for key in by if key not in REDUCTION_KEYS]
    if unknown:
        raise ConfigError(
            f"Unknown --by key(s): {', '.join(unknown)}.",
            f"Use any of {', '.join(REDUCTION_KEYS)}.",
        )
    base = _per_source(baseline, pollutants).rename(columns={"emissions_t": "baseline_t"})
    scen = _per_source(scenario, pollutants).rename(columns={"emissions_t": "scenario_t"})
    merged = base.combine_first(scen) if len(base) else scen
    merged["baseline_t"] = base["baseline_t"].reindex(merged.index).fillna(0.0)
    merged["scenario_t"] = scen["scenario_t"].reindex(merged.index).fillna(0.0)
    merged["measure"] = _labels(scenario, order).reindex(merged.index).fillna(NO_MEASURE)
    merged = merged.reset_index()
    keys = ["pollutant", *by]
    for key in by:
        merged[key] = _key_column(merged, key).fillna("(unknown)")
    table = merged.groupby(keys, sort=True)[["baseline_t", "scenario_t"]].sum().reset_index()
    table["reduction_t"] = table["baseline_t"] - table["scenario_t"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["reduction_pct"] = np.where(
            table["baseline_t"] > 0, 100.0 * table["reduction_t"] / table["baseline_t"], np.nan
        )
    return _with_targets(table, list(by), targets)


def _with_targets(table: pd.DataFrame, by: list[str], targets: Sequence[Target]) -> pd.DataFrame:
    table["target_t"] = np.nan
    table["target_met"] = pd.Series([None] * len(table), dtype=object)
    for target in targets:
        if target.county is None and by:
            continue  # a city-wide target belongs to pollutant totals only
        if target.county is not None and by != ["county"]:
            continue
        rows = table["pollutant"] == target.pollutant
        if target.county is not None:
            rows &= table["county"] == target.county
        if target.reduction_t is None:
            continue
        table.loc[rows, "target_t"] = target.reduction_t
        table.loc[rows, "target_met"] = [
            bool(v) for v in table.loc[rows, "reduction_t"] >= target.reduction_t
        ]
    return table[[*["pollutant", *by], *_VALUE_COLUMNS]]


def evaluate_targets(
    baseline: pd.DataFrame, scenario: pd.DataFrame, targets: Sequence[Target]
) -> pd.DataFrame:
    """One row per target: target, pollutant, county, target_t, reduction_t, met (None = unset)."""
    rows = []
    for target in targets:
        by = ["county"] if target.county is not None else []
        table = compute_reductions(baseline, scenario, by, [target.pollutant])
        if target.county is not None:
            table = table.loc[table["county"] == target.county]
        achieved = float(table["reduction_t"].sum())
        met = None if target.reduction_t is None else achieved >= target.reduction_t
        rows.append(
            {
                "target": target.label,
                "pollutant": target.pollutant,
                "county": target.county,
                "target_t": target.reduction_t,
                "reduction_t": achieved,
                "met": met,
            }
        )
    return pd.DataFrame(
        rows, columns=["target", "pollutant", "county", "target_t", "reduction_t", "met"]
    )


def load_run_emissions(engine: Engine, run_id: int) -> pd.DataFrame:
    """Emission rows of one stored run with the keys reductions group by (t/yr)."""
    from inventory.results.frame import load_results

    return load_results(engine, run_id)


@dataclass(frozen=True)
class ReductionsReport:
    """Reduction rows (``compute_reductions`` columns) and one row per target."""

    rows: pd.DataFrame
    targets: pd.DataFrame


def reductions_report(
    engine: Engine,
    base_run_id: int,
    scenario_run_id: int,
    by: Sequence[str] = (),
    pollutants: Sequence[str] | None = None,
) -> ReductionsReport:
    """Reductions of a stored scenario run against a stored base run, and its targets.

    The targets and the measures' order come from the scenario file stored with the scenario
    run. Raises :class:`NotFound` when either run does not exist.
    """
    order, targets = _scenario_of(engine, base_run_id, scenario_run_id)
    baseline = load_run_emissions(engine, base_run_id)
    scenario_rows = load_run_emissions(engine, scenario_run_id)
    rows = compute_reductions(baseline, scenario_rows, by, pollutants, targets, order)
    return ReductionsReport(rows, evaluate_targets(baseline, scenario_rows, targets))


def reductions_frame(
    engine: Engine,
    base_run_id: int,
    scenario_run_id: int,
    by: Sequence[str] = (),
    pollutants: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Reductions (t/yr, %) of a stored scenario run against a stored base run, by ``by``.

    Columns: ``pollutant``, the keys, ``baseline_t``, ``scenario_t``, ``reduction_t``,
    ``reduction_pct``, ``target_t``, ``target_met``. For the report workbook's sheet.
    """
    return reductions_report(engine, base_run_id, scenario_run_id, by, pollutants).rows


def _scenario_of(
    engine: Engine, base_run_id: int, scenario_run_id: int
) -> tuple[list[str], list[Target]]:
    from inventory.db.models import Run
    from inventory.scenario.loader import parse_scenario

    with engine.connect() as connection:
        runs = {
            row.id: row
            for row in connection.execute(
                select(Run.id, Run.scenario_file).where(Run.id.in_([base_run_id, scenario_run_id]))
            )
        }
    for run_id in (base_run_id, scenario_run_id):
        if run_id not in runs:
            raise NotFound("run", run_id, "List the runs with `inventory runs`.")
    stored = runs[scenario_run_id].scenario_file
    if not stored:
        return [], []
    parsed = parse_scenario(stored, f"scenario file of run {scenario_run_id}")
    return [m.id for m in parsed.measures], list(parsed.targets)
