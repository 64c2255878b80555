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

from inventory.calc.encoding import (
    Arena,
    FloatArray,
    IntArray,
    code_dtype,
    codes_of,
    factorize_first,
    first_index,
    lookup_codes,
    tuple_codes,
)
from inventory.errors import CalcInputError

__all__ = ["SourceControls", "canonical_technology", "source_controls"]

_PARTS_OF_PM25 = ("BC", "OC")


@dataclass(frozen=True)
class SourceControls:
    """Arrays of shape (sources, pollutants)."""

    efficiency: FloatArray
    """Effective removal fraction (0 where the source has no control for the pollutant)."""
    label_codes: Any
    """Code of the control train's name in ``labels`` (-1: no control), in the integer type
    of :func:`~inventory.calc.encoding.code_dtype` for ``len(labels)``."""
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

    ``source_vocabulary`` is a :class:`~inventory.calc.encoding.SourceIndex` (or pandas
    Index) of source ids; the result's rows follow it. Works on technology codes: text is
    handled once per distinct technology or train.
    """
    n_sources, n_pollutants = len(source_vocabulary), len(pollutants)
    efficiency = np.zeros((n_sources, n_pollutants))
    _check_fractions(efficiencies, "efficiencies", ("efficiency",))
    _check_fractions(controls, "controls", ("efficiency", "operating_rate", "capture"))
    if len(controls) == 0:
        return _uncontrolled(efficiency)
    table = _efficiency_table(efficiencies, pollutants)
    tech_codes, tech_names = codes_of(controls["technology"])
    table_eff = np.full((len(tech_names) + 1, n_pollutants), np.nan)  # last row: no technology
    for code, name in enumerate(tech_names):
        key = canonical_technology(name)
        for index, name_of_pollutant in enumerate(pollutants):
            table_eff[code, index] = table.get((key, name_of_pollutant), np.nan)
    tech = np.where(tech_codes >= 0, tech_codes, len(tech_names))

    # One row per device and pollutant: named pollutants as given, empty ones expanded to
    # every pollutant the table lists for the technology; devices of an unknown source or
    # without a technology are dropped first (before the expansion, same rows in order).
    source_of_row = np.asarray(
        source_vocabulary.get_indexer(controls["source_id"].to_numpy(np.int64)), dtype=np.int64
    )
    usable = (source_of_row >= 0) & (tech_codes >= 0)
    named_pollutant = lookup_codes(controls["pollutant"], list(pollutants))
    named = np.flatnonzero((named_pollutant >= 0) & usable)
    every = np.flatnonzero((named_pollutant == -1) & usable)
    every_rows, every_pollutants = _expand(~np.isnan(table_eff), tech[every])
    n_named = len(named)
    n_devices = n_named + len(every_rows)
    if n_devices == 0:
        return _uncontrolled(efficiency)
    # The (device, pollutant) rows' arrays come out of one buffer (Arena), and a dead one
    # takes the next result (out=): no page of its own for each.
    scratch = Arena(n_devices, [np.int64] * 4 + [np.float64] * 4 + [bool] * 2)
    row = scratch.empty(np.int64)
    row[:n_named] = named
    np.take(every, every_rows, out=row[n_named:], mode="wrap")
    pollutant = scratch.empty(np.int64)
    pollutant[:n_named] = named_pollutant.take(named)
    pollutant[n_named:] = every_pollutants
    unsorted_group = np.take(source_of_row, row, out=scratch.empty(np.int64), mode="wrap")
    unsorted_group *= n_pollutants
    unsorted_group += pollutant
    # the cell of the technology's table row, taken before the sort (one gather the less)
    unsorted_cell = np.take(tech, row, out=scratch.empty(np.int64), mode="wrap")
    unsorted_cell *= n_pollutants
    unsorted_cell += pollutant
    order = np.argsort(unsorted_group, kind="stable")
    # sorted by (source, pollutant), each into the buffer its predecessor no longer needs
    group_raw = np.take(unsorted_group, order, out=pollutant, mode="wrap")
    device = np.take(row, order, out=unsorted_group, mode="wrap")
    table_cell = np.take(unsorted_cell, order, out=row, mode="wrap")
    boundary = scratch.empty(bool)
    boundary[0] = True
    np.not_equal(group_raw[1:], group_raw[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    n_groups = len(starts)
    groups = Arena(n_groups, [np.int64] * 2 + [np.float64] * 3 + [bool])  # per group
    cells = np.take(group_raw, starts, out=groups.empty(np.int64), mode="wrap")
    sizes = groups.empty(np.int64)
    np.subtract(starts[1:], starts[:-1], out=sizes[:-1])
    sizes[-1] = n_devices - starts[-1]

    own = controls["efficiency"].to_numpy(np.float64)
    eta = np.take(own, device, out=scratch.empty(np.float64), mode="wrap")
    from_table = np.isnan(eta, out=scratch.empty(bool))
    listed = np.take(table_eff.ravel(), table_cell, out=scratch.empty(np.float64), mode="wrap")
    np.copyto(eta, listed, where=from_table)
    # an empty rate or capture counts as 1, an unknown efficiency as 0 (the fractions were
    # checked: no infinities, so this is nan_to_num)
    missing = boundary
    rate_of = controls["operating_rate"].to_numpy(np.float64)
    rate = np.take(rate_of, device, out=scratch.empty(np.float64), mode="wrap")
    np.copyto(rate, 1.0, where=np.isnan(rate, out=missing))
    capture_of = controls["capture"].to_numpy(np.float64)
    capture = np.take(capture_of, device, out=scratch.empty(np.float64), mode="wrap")
    np.copyto(capture, 1.0, where=np.isnan(capture, out=missing))
    np.copyto(eta, 0.0, where=np.isnan(eta, out=missing))
    passed = np.multiply(capture, eta, out=listed)  # 1 - capture x eta x rate, in that order
    passed *= rate
    np.subtract(1.0, passed, out=passed)
    series = np.multiply.reduceat(passed, starts, out=groups.empty(np.float64))
    np.subtract(1.0, series, out=series)

    train, trains = _trains(tech_codes, tech_names, starts, sizes, device)
    combined_eta = _combined_efficiencies(trains, cells, n_pollutants, train, table, pollutants)
    if combined_eta is not None:  # some train has a row of its own in the table
        use_combined = np.logical_and.reduceat(from_table, starts, out=groups.empty(bool))
        use_combined &= sizes > 1
        use_combined &= ~np.isnan(combined_eta)
        # combined_eta x lowest rate x lowest capture, in that order
        combined = np.minimum.reduceat(rate, starts, out=groups.empty(np.float64))
        np.multiply(combined_eta, combined, out=combined)
        combined *= np.minimum.reduceat(capture, starts, out=groups.empty(np.float64))
        np.copyto(series, combined, where=use_combined)
    efficiency.reshape(-1)[cells] = series
    labels = ["+".join(t) for t in trains]
    label_codes = np.full((n_sources, n_pollutants), -1, dtype=code_dtype(len(labels)))
    label_codes.reshape(-1)[cells] = train
    return SourceControls(efficiency, label_codes, labels)


def _uncontrolled(efficiency: FloatArray) -> SourceControls:
    return SourceControls(efficiency, np.full(efficiency.shape, -1, dtype=code_dtype(0)), [])


def _expand(present: Any, keys: IntArray) -> tuple[IntArray, Any]:
    """``np.nonzero(present[keys])``: for each position of ``keys`` in order, its row's true
    columns in ascending order (positions, and columns as small integers), from the flat
    index: its quotient, and the repeated column numbers gathered (cheaper than a remainder)."""
    flat = np.flatnonzero(present[keys])
    n_columns = present.shape[1]
    positions = flat // n_columns
    pattern = np.tile(np.arange(n_columns, dtype=code_dtype(n_columns)), len(keys))
    return positions, pattern.take(flat)


def _check_fractions(frame: Any, table: str, columns: tuple[str, ...]) -> None:
    for column in columns:
        values = frame[column].to_numpy(np.float64)
        bad = ~np.isnan(values) & ((values < 0) | (values > 1))
        if bad.any():
            raise CalcInputError(
                table,
                f"{column} {values[bad][0]} is not a fraction between 0 and 1 (write 0.85, not 85)",
            )


def _efficiency_table(
    efficiencies: Any, pollutants: tuple[str, ...]
) -> dict[tuple[str, str], float]:
    """Efficiencies keyed by (canonical technology, pollutant); BC/OC inherit PM2.5.

    The first row wins when a technology and pollutant appear twice.
    """
    table: dict[tuple[str, str], float] = {}
    for technology, pollutant, value in zip(
        efficiencies["technology"],
        efficiencies["pollutant"],
        efficiencies["efficiency"],
        strict=True,
    ):
        if technology is None or pollutant is None or pd.isna(technology) or pd.isna(value):
            continue
        table.setdefault((canonical_technology(technology), str(pollutant).strip()), float(value))
    for (key, pollutant), value in list(table.items()):
        if pollutant == "PM2.5":
            for part in _PARTS_OF_PM25:
                if part in pollutants:
                    table.setdefault((key, part), value)
    return table


def _trains(
    tech_codes: IntArray,
    names: list[str],
    starts: IntArray,
    sizes: IntArray,
    row: IntArray | None = None,
) -> tuple[IntArray, list[tuple[str, ...]]]:
    """Code of each group's train (its technologies in order) and the distinct trains.

    The devices' technologies are ``tech_codes`` (``tech_codes[row]`` when ``row`` is
    given), grouped from ``starts`` (``sizes`` devices each). A train's key is its technology
    codes + 1 read as the digits of a number in base ``len(names) + 1`` (no digit is 0, so
    trains of different lengths differ too), worked out by Horner's rule one device position
    at a time, on the groups only; codes number the keys in order of first appearance."""

    def technology(device: IntArray) -> IntArray:
        return tech_codes.take(device if row is None else row.take(device))

    radix = len(names) + 1
    width = int(sizes.max())
    if width * np.log2(radix) >= 62:  # keys beyond int64: factorise the tuples instead
        every = np.arange(int(starts[-1] + sizes[-1]), dtype=np.int64)
        return _trains_by_tuples(technology(every), names, starts, sizes)
    key = technology(starts)
    key += 1
    for position in range(1, width):
        longer = np.flatnonzero(sizes > position)
        digit = technology(starts.take(longer) + position)
        digit += 1
        key[longer] = key.take(longer) * radix + digit
    train, first = factorize_first(key, radix**width)
    trains = [
        tuple(names[c] for c in technology(np.arange(starts[g], starts[g] + sizes[g])))
        for g in first
    ]
    return train, trains


def _trains_by_tuples(
    tech_codes: IntArray, names: list[str], starts: IntArray, sizes: IntArray
) -> tuple[IntArray, list[tuple[str, ...]]]:
    group = np.repeat(np.arange(len(starts)), sizes)
    position = np.arange(len(tech_codes)) - np.repeat(starts, sizes)
    width = int(sizes.max())
    matrix = np.full((len(starts), width), -1, dtype=np.int64)
    matrix[group, position] = tech_codes
    train, n_trains = tuple_codes([matrix[:, i] for i in range(width)])
    first = first_index(train, n_trains)
    trains = [tuple(names[c] for c in matrix[g] if c >= 0) for g in first]
    return train, trains


def _combined_efficiencies(
    trains: list[tuple[str, ...]],
    cells: IntArray,
    n_pollutants: int,
    train: IntArray,
    table: dict[tuple[str, str], float],
    pollutants: tuple[str, ...],
) -> FloatArray | None:
    """Per group (its (source, pollutant) cell): the efficiencies table's row for the whole
    train, NaN when there is none; None when the table has no row for a combination at all."""
    if not any("+" in key for key, _ in table):
        return None
    pollutant_codes = cells % n_pollutants
    keys = [canonical_technology("+".join(t)) for t in trains]
    n = len(pollutants)
    pairs, pair_index = np.unique(train * n + pollutant_codes, return_inverse=True)
    pair_values = [
        table.get((keys[int(pair) // n], pollutants[int(pair) % n]), np.nan)
        if "+" in keys[int(pair) // n]
        else np.nan
        for pair in pairs
    ]
    result: FloatArray = np.asarray(pair_values, dtype=np.float64)[pair_index]
    return result
