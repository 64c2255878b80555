"""The tables of a report (frames, t/yr): by sector, by county, top emitters, detail with
provenance, QA findings, and the comparison and diff with the previous year's run."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select

from inventory import POLLUTANTS
from inventory.db.models import Region, Run
from inventory.db.refdata import read_data_csv
from inventory.qa import load_findings
from inventory.results import (
    add_activity_keys,
    decompose,
    load_results,
    previous_year_run,
    summarise_diff,
)

__all__ = ["DETAIL_COLUMNS", "ReportTables", "report_tables", "sector_names"]

DETAIL_COLUMNS = [
    "source",
    "source_name",
    "facility",
    "facility_name",
    "kind",
    "sector",
    "county",
    "class_code",
    "pollutant",
    "emissions_t",
    "method",
    "replaced_method",
    "factor_value",
    "factor_unit",
    "factor_source",
    "activity_value",
    "activity_unit",
    "uncontrolled_t",
    "control_technology",
    "control_efficiency",
    "activity_id",
    "batch_id",
    "carried_forward",
    "measure",
]


@dataclass
class ReportTables:
    """Everything a report shows, as frames (emissions in t/yr)."""

    run: dict[str, object]
    by_sector: pd.DataFrame  # sector rows x pollutant columns
    by_county: pd.DataFrame  # county rows x pollutant columns
    top: pd.DataFrame
    detail: pd.DataFrame
    findings: pd.DataFrame
    previous_run: dict[str, object] | None = None
    comparison: pd.DataFrame | None = None
    diff: pd.DataFrame | None = None
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)


def sector_names() -> pd.DataFrame:
    """The planner's sectors from ``factors/sectors.csv`` (sector, name_zh, name_en, order)."""
    frame = read_data_csv("sectors.csv")
    frame["order"] = frame["order"].astype(int)
    return frame.sort_values("order").reset_index(drop=True)


def _pollutant_columns(frame: pd.DataFrame) -> list[str]:
    present = set(frame["pollutant"])
    return [p for p in POLLUTANTS if p in present] + sorted(present - set(POLLUTANTS))


def _wide(results: pd.DataFrame, key: str, labels: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``key`` (in ``labels`` order, with its name columns) x pollutant columns."""
    wide = results.pivot_table(
        index=key, columns="pollutant", values="emissions_t", aggfunc="sum", fill_value=0.0
    )
    wide = wide.reindex(columns=_pollutant_columns(results), fill_value=0.0)
    wide.columns.name = None
    out = labels.merge(wide, left_on=key, right_index=True, how="inner")
    extra = wide.index.difference(labels[key].dropna())
    if len(extra):
        rest = wide.loc[extra].reset_index().rename(columns={"index": key})
        out = pd.concat([out, rest], ignore_index=True)
    return out.reset_index(drop=True)


def _run_info(engine: Engine, run_id: int) -> dict[str, object]:
    with engine.connect() as connection:
        row = connection.execute(select(Run).where(Run.id == run_id)).mappings().one()
    return dict(row)


def _top(results: pd.DataFrame, n: int) -> pd.DataFrame:
    per_source = (
        results.groupby(["pollutant", "source_id"], sort=False)
        .agg(
            emissions_t=("emissions_t", "sum"),
            source=("source", "first"),
            source_name=("source_name", "first"),
            facility=("facility", "first"),
            facility_name=("facility_name", "first"),
            sector=("sector", "first"),
            county=("county", "first"),
        )
        .reset_index()
    )
    totals = per_source.groupby("pollutant")["emissions_t"].transform("sum")
    per_source["share"] = (per_source["emissions_t"] / totals).where(totals > 0, 0.0)
    parts = []
    for pollutant in _pollutant_columns(results):
        chosen = per_source[per_source["pollutant"] == pollutant].nlargest(n, "emissions_t")
        parts.append(chosen.assign(rank=range(1, len(chosen) + 1)))
    if not parts:
        return pd.DataFrame()
    top = pd.concat(parts, ignore_index=True)
    columns = ["pollutant", "rank", "source", "source_name", "facility", "facility_name"]
    return top[[*columns, "sector", "county", "emissions_t", "share"]]


def _comparison(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Previous vs this run by pollutant and sector, with the change in t and %."""
    keys = ["pollutant", "sector"]
    before = previous.groupby(keys, dropna=False)["emissions_t"].sum().rename("previous_t")
    now = current.groupby(keys, dropna=False)["emissions_t"].sum().rename("this_t")
    both = pd.concat([before, now], axis=1).fillna(0.0).reset_index()
    both["change_t"] = both["this_t"] - both["previous_t"]
    both["change_pct"] = (both["change_t"] / both["previous_t"] * 100).where(both["previous_t"] > 0)
    order = {p: i for i, p in enumerate(POLLUTANTS)}
    both["_o"] = both["pollutant"].map(order)
    return both.sort_values(["_o", "sector"]).drop(columns="_o").reset_index(drop=True)


def report_tables(
    engine: Engine,
    run_id: int,
    compare_with: int | None = None,
    top_n: int = 10,
    compare: bool = True,
) -> ReportTables:
    """Gather the tables of run ``run_id``'s report.

    ``compare_with``: the run to compare with; by default the newest base run of the
    previous year (none: no comparison and no diff). ``compare=False`` skips both.
    """
    results = load_results(engine, run_id)
    sectors = sector_names()[["sector", "name_zh", "name_en"]]
    with engine.connect() as connection:
        regions = pd.DataFrame(
            connection.execute(select(Region.code, Region.name, Region.name_en)).all(),
            columns=["county", "name_zh", "name_en"],
        )
    by_sector = _wide(results, "sector", sectors) if len(results) else pd.DataFrame()
    by_county = _wide(results, "county", regions) if len(results) else pd.DataFrame()
    detail = results[DETAIL_COLUMNS].sort_values(
        ["source", "pollutant"], key=lambda s: s.astype(str), kind="stable"
    )
    tables = ReportTables(
        run=_run_info(engine, run_id),
        by_sector=by_sector,
        by_county=by_county,
        top=_top(results, top_n) if len(results) else pd.DataFrame(),
        detail=detail.reset_index(drop=True),
        findings=load_findings(engine, run_id),
    )
    other = compare_with if compare_with is not None else previous_year_run(engine, run_id)
    if compare and other is not None and other != run_id:
        previous = load_results(engine, other)
        tables.previous_run = _run_info(engine, other)
        tables.comparison = _comparison(previous, results)
        parts = decompose(add_activity_keys(engine, previous), add_activity_keys(engine, results))
        tables.diff = summarise_diff(parts, ["pollutant", "sector"])
    return tables
