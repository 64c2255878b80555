"""Totals of a run by any keys (t/yr), and readable names for tables."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from inventory import POLLUTANTS
from inventory.results.frame import KEYS, key_names, load_results

__all__ = ["add_names", "run_totals", "sort_by_keys", "totals"]

_NAME_COLUMNS = {"facility": "facility_name", "source": "source_name"}


def sort_by_keys(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows in key order, pollutants in the canonical order (SO2, NOx, ... NH3)."""
    if not keys or frame.empty:
        return frame.reset_index(drop=True)
    order = {name: rank for rank, name in enumerate(POLLUTANTS)}

    def _key(column: pd.Series) -> pd.Series:
        if column.name == "pollutant":
            return column.map(lambda p: order.get(p, len(order)))
        return column.astype(object).fillna("").astype(str)

    return frame.sort_values(keys, key=_key, kind="stable").reset_index(drop=True)


def totals(results: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum ``emissions_t`` (t/yr) of result rows by ``by``; columns: the keys, ``emissions_t``."""
    unknown = [key for key in by if key not in KEYS]
    if unknown:
        raise KeyError(f"unknown keys {unknown}")
    if not by:
        return pd.DataFrame({"emissions_t": [float(results["emissions_t"].sum())]})
    grouped = (
        results.groupby(by, dropna=False, sort=False)["emissions_t"]
        .sum()
        .reset_index()[[*by, "emissions_t"]]
    )
    for key in by:
        grouped[key] = grouped[key].astype(object).where(grouped[key].notna(), None)
    return sort_by_keys(grouped, by)


def run_totals(
    engine: Engine, run_id: int, by: list[str], pollutants: list[str] | None = None
) -> pd.DataFrame:
    """Totals of stored run ``run_id`` by ``by`` (t/yr), optionally for some pollutants only."""
    return totals(load_results(engine, run_id, pollutants), by)


def add_names(
    engine: Engine, frame: pd.DataFrame, keys: list[str], results: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Insert a ``<key>_name`` column after each key that has readable names (for tables)."""
    names = key_names(engine)
    out = frame.copy()
    for key in keys:
        if key in names:
            values = out[key].map(lambda v, table=names[key]: table.get(v) if v else None)
        elif key in _NAME_COLUMNS and results is not None:
            column = _NAME_COLUMNS[key]
            lookup = results[[key, column]].dropna(subset=[key]).drop_duplicates(key).set_index(key)
            values = out[key].map(lookup[column])
        else:
            continue
        out.insert(list(out.columns).index(key) + 1, f"{key}_name", values)
    return out
