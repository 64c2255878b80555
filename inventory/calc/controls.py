"""Effective removal efficiency per source and pollutant, over every device of the source.

For one device: ``removal = capture x efficiency x operating_rate`` where the efficiency is
the control row's own value or, when empty, the efficiencies table's average for the
technology and pollutant; an empty operating rate or capture counts as 1 (capture is the VOCs
collection efficiency; for other pollutants it stays empty). A technology with no efficiency
anywhere removes nothing (and is still named in ``control_technology``).

For a train of devices on one source and pollutant (e.g. 低氮燃烧 then SCR):
1. when every device takes the table's efficiency and the efficiencies table has a row for
   the combination itself (technology ``低氮燃烧+SCR``, in any order), that row is used,
   multiplied by the lowest operating rate and the lowest capture of the devices;
2. otherwise devices act in series: ``1 - prod(1 - removal_i)``.

A control row whose pollutant is empty applies to every pollutant the table lists for its
technology. BC and OC take the PM2.5 efficiency of a technology the table gives no BC or OC
row for (they are part of PM2.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from inventory.calc.encoding import FloatArray, IntArray, codes_of, lookup_codes, tuple_codes
from inventory.errors import CalcInputError

__all__ = ["SourceControls", "canonical_technology", "source_controls"]

_PARTS_OF_PM25 = ("BC", "OC")


@dataclass(frozen=True)
class SourceControls:
    """Arrays of shape (sources, pollutants)."""

    efficiency: FloatArray
    """Effective removal fraction (0 where the source has no control for the pollutant)."""
    label_codes: IntArray
    """Code of the control train's name in ``labels`` (-1: no control)."""
    labels: list[str]


def canonical_technology(name: str) -> str:
    """Lookup key of a technology or a train: parts trimmed, sorted, joined by ``+``."""
    parts = [part.strip() for part in str(name).replace("＋", "+").split("+")]
    return "+".join(sorted(part for part in parts if part))


def source_controls(
    controls: Any,
    efficiencies: Any,
    source_vocabulary: Any,
    pollutants: tuple[str, ...],
) -> SourceControls:
    """Effective efficiency per (source, pollutant) from prepared control and efficiency frames.

    ``source_vocabulary`` is a pandas Index of source ids; the result's rows follow it.
    """
    n_sources, n_pollutants = len(source_vocabulary), len(pollutants)
    efficiency = np.zeros((n_sources, n_pollutants))
    label_codes = np.full((n_sources, n_pollutants), -1, dtype=np.int64)
    _check_fractions(efficiencies, "efficiencies", ("efficiency",))
    _check_fractions(controls, "controls", ("efficiency", "operating_rate", "capture"))
    if len(controls) == 0:
        return SourceControls(efficiency, label_codes, [])
    rows = _expanded(controls, _efficiency_table(efficiencies, pollutants), pollutants)
    rows["source"] = source_vocabulary.get_indexer(rows["source_id"])
    rows = rows[(rows["source"] >= 0) & (rows["pollutant_code"] >= 0)]
    if rows.empty:
        return SourceControls(efficiency, label_codes, [])
    group_raw = rows["source"].to_numpy(np.int64) * n_pollutants + rows["pollutant_code"].to_numpy(
        np.int64
    )
    order = np.argsort(group_raw, kind="stable")
    group_raw = group_raw[order]
    sorted_rows = rows.iloc[order].reset_index(drop=True)
    starts = np.flatnonzero(np.r_[True, group_raw[1:] != group_raw[:-1]])
    cells = group_raw[starts]
    sizes = np.diff(np.r_[starts, len(group_raw)])

    eta = sorted_rows["eta"].to_numpy(np.float64)
    rate = np.nan_to_num(sorted_rows["operating_rate"].to_numpy(np.float64), nan=1.0)
    capture = np.nan_to_num(sorted_rows["capture"].to_numpy(np.float64), nan=1.0)
    from_table = sorted_rows["from_table"].to_numpy(bool)
    series = 1.0 - np.multiply.reduceat(1.0 - capture * np.nan_to_num(eta) * rate, starts)

    train, trains = _trains(sorted_rows["technology"], starts, sizes)
    combined_eta = _combined_efficiencies(
        trains, cells % n_pollutants, train, efficiencies, pollutants
    )
    use_combined = (
        (sizes > 1) & np.logical_and.reduceat(from_table, starts) & ~np.isnan(combined_eta)
    )
    combined = (
        combined_eta * np.minimum.reduceat(rate, starts) * np.minimum.reduceat(capture, starts)
    )
    flat_eff = efficiency.reshape(-1)
    flat_label = label_codes.reshape(-1)
    flat_eff[cells] = np.where(use_combined, combined, series)
    flat_label[cells] = train
    return SourceControls(efficiency, label_codes, ["+".join(t) for t in trains])


def _check_fractions(frame: Any, table: str, columns: tuple[str, ...]) -> None:
    for column in columns:
        values = frame[column].to_numpy(np.float64)
        bad = ~np.isnan(values) & ((values < 0) | (values > 1))
        if bad.any():
            raise CalcInputError(
                table,
                f"{column} {values[bad][0]} is not a fraction between 0 and 1 (write 0.85, not 85)",
            )


def _efficiency_table(efficiencies: Any, pollutants: tuple[str, ...]) -> Any:
    """Efficiencies keyed by canonical technology and pollutant; BC/OC inherit PM2.5."""
    table = pd.DataFrame(
        {
            "key": efficiencies["technology"].map(canonical_technology),
            "pollutant": efficiencies["pollutant"].astype(str).str.strip(),
            "efficiency": efficiencies["efficiency"].to_numpy(np.float64),
        }
    ).drop_duplicates(["key", "pollutant"], keep="first")
    pm25 = table[table["pollutant"] == "PM2.5"]
    inherited = [pm25.assign(pollutant=part) for part in _PARTS_OF_PM25 if part in pollutants]
    if inherited:
        table = pd.concat([table, *inherited]).drop_duplicates(["key", "pollutant"], keep="first")
    return table


def _expanded(controls: Any, table: Any, pollutants: tuple[str, ...]) -> Any:
    """One row per device and pollutant, with its efficiency (own or from the table)."""
    frame = pd.DataFrame(
        {
            "source_id": controls["source_id"].to_numpy(np.int64),
            "technology": controls["technology"].astype(str).str.strip(),
            "key": controls["technology"].map(canonical_technology),
            "pollutant": controls["pollutant"].astype(object).where(controls["pollutant"].notna()),
            "efficiency": controls["efficiency"].to_numpy(np.float64),
            "operating_rate": controls["operating_rate"].to_numpy(np.float64),
            "capture": controls["capture"].to_numpy(np.float64),
        }
    )
    frame["pollutant"] = frame["pollutant"].where(frame["pollutant"].astype(str).str.strip() != "")
    every = frame[frame["pollutant"].isna()].drop(columns="pollutant")
    named = frame[frame["pollutant"].notna()]
    every = every.merge(table[["key", "pollutant"]], on="key", how="inner")
    rows = pd.concat([named, every], ignore_index=True)
    rows = rows.merge(
        table.rename(columns={"efficiency": "table_efficiency"}),
        on=["key", "pollutant"],
        how="left",
    )
    rows["from_table"] = rows["efficiency"].isna()
    rows["eta"] = rows["efficiency"].fillna(rows["table_efficiency"])
    rows["pollutant_code"] = lookup_codes(rows["pollutant"], list(pollutants))
    return rows


def _trains(
    technology: Any, starts: IntArray, sizes: IntArray
) -> tuple[IntArray, list[tuple[str, ...]]]:
    """Code of each group's train (its technologies in order) and the distinct trains."""
    tech_codes, names = codes_of(technology)
    n = len(tech_codes)
    group = np.repeat(np.arange(len(starts)), sizes)
    position = np.arange(n) - np.repeat(starts, sizes)
    width = int(sizes.max())
    matrix = np.full((len(starts), width), -1, dtype=np.int64)
    matrix[group, position] = tech_codes
    train, n_trains = tuple_codes([matrix[:, i] for i in range(width)])
    first = np.full(n_trains, -1, dtype=np.int64)
    first[train[::-1]] = np.arange(len(train))[::-1]
    trains = [tuple(names[c] for c in matrix[g] if c >= 0) for g in first]
    return train, trains


def _combined_efficiencies(
    trains: list[tuple[str, ...]],
    pollutant_codes: IntArray,
    train: IntArray,
    efficiencies: Any,
    pollutants: tuple[str, ...],
) -> FloatArray:
    """Per group: the efficiencies table's row for the whole train, NaN when there is none."""
    lookup: dict[tuple[str, str], float] = {}
    for technology, pollutant, value in zip(
        efficiencies["technology"],
        efficiencies["pollutant"],
        efficiencies["efficiency"],
        strict=True,
    ):
        key = canonical_technology(technology)
        if "+" in key:
            lookup.setdefault((key, str(pollutant).strip()), float(value))
    if not lookup:
        return np.full(len(train), np.nan)
    keys = [canonical_technology("+".join(t)) for t in trains]
    pairs, pair_index = np.unique(train * len(pollutants) + pollutant_codes, return_inverse=True)
    pair_values = [
        lookup.get(
            (keys[int(pair) // len(pollutants)], pollutants[int(pair) % len(pollutants)]), np.nan
        )
        for pair in pairs
    ]
    return np.asarray(pair_values, dtype=np.float64)[pair_index]
