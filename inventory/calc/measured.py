"""Measured annual emissions per source and pollutant (continuous or manual monitoring).

Several rows for one source and pollutant are outlets of the same source and are summed;
when some rows are continuous monitoring (``cems``) only those count, since manual samples of
the same stack would count it twice. Quantities are converted to tonnes once per unit; a unit
that is not a mass (or a species mass of another pollutant) raises :class:`UnitMismatch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from inventory.calc.encoding import FloatArray, IntArray, codes_of, lookup_codes
from inventory.errors import UnitMismatch
from inventory.units import emission_unit, parse_unit, ureg

__all__ = ["MeasuredEmissions", "measured_emissions"]

_CEMS = "cems"


@dataclass(frozen=True)
class MeasuredEmissions:
    """One entry per (source, pollutant) with a measured annual mass."""

    source: IntArray
    """Code of the source in the source vocabulary."""
    pollutant: IntArray
    tonnes: FloatArray
    method_codes: IntArray
    """Code (in ``method_names``) of the monitoring method that produced the figure."""
    method_names: list[str]
    """Monitoring methods, lower case (``cems``, ``manual``...)."""


def measured_emissions(
    measured: Any, source_vocabulary: Any, pollutants: tuple[str, ...]
) -> MeasuredEmissions:
    """Measured tonnes per (source, pollutant) of a prepared measured frame.

    Rows for pollutants not asked for, or with an empty quantity, are ignored.
    """
    if len(measured) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return MeasuredEmissions(empty, empty, np.zeros(0), empty, [])
    pollutant = lookup_codes(measured["pollutant"].astype(object), list(pollutants))
    quantity = measured["quantity"].to_numpy(np.float64)
    keep = (pollutant >= 0) & ~np.isnan(quantity)
    unit_codes, units = codes_of(measured["unit"])
    tonnes = np.full(len(measured), np.nan)
    for code, unit in enumerate(units):
        for p in np.unique(pollutant[keep & (unit_codes == code)]):
            rows = keep & (unit_codes == code) & (pollutant == p)
            first = int(np.flatnonzero(rows)[0])
            scale = _tonnes_per(unit, pollutants[p], measured["source_id"].iat[first])
            tonnes[rows] = quantity[rows] * scale
    missing_unit = keep & (unit_codes < 0)
    if missing_unit.any():
        first = int(np.flatnonzero(missing_unit)[0])
        raise UnitMismatch(
            f"measured emissions of source {measured['source_id'].iat[first]}", "", "t", "no unit"
        )
    method_codes, method_names = _method_codes(measured["method"])
    source = np.asarray(source_vocabulary.get_indexer(measured["source_id"]), dtype=np.int64)
    key = (source * len(pollutants) + pollutant)[keep]
    # one sort gives both the order of the rows and the distinct keys
    order = np.argsort(key)
    sorted_key = key[order]
    distinct = sorted_key[np.r_[True, sorted_key[1:] != sorted_key[:-1]]] if len(key) else key
    kept_tonnes = tonnes[keep]
    negative_zero = bool(((kept_tonnes == 0) & np.signbit(kept_tonnes)).any())
    if len(distinct) == len(key) and not negative_zero:
        # one row per source and pollutant: nothing to sum or drop (a -0.0 goes through the
        # sum below, which gives pandas' sign of zero)
        return MeasuredEmissions(
            source=source[keep][order],
            pollutant=pollutant[keep][order],
            tonnes=kept_tonnes[order],
            method_codes=method_codes[keep][order],
            method_names=method_names,
        )
    frame = pd.DataFrame(
        {"source": source, "pollutant": pollutant, "tonnes": tonnes, "method": method_codes}
    )[keep]
    frame["cems"] = frame["method"] == (method_names.index(_CEMS) if _CEMS in method_names else -1)
    # A (source, pollutant) with some continuous monitoring keeps only those rows.
    cems_keys = np.searchsorted(distinct, key[frame["cems"].to_numpy()])
    has_cems = np.zeros(len(distinct), dtype=bool)
    has_cems[cems_keys] = True
    frame = frame[frame["cems"].to_numpy() | ~has_cems[np.searchsorted(distinct, key)]]
    grouped = frame.groupby(["source", "pollutant"], sort=True).agg(
        tonnes=("tonnes", "sum"), method=("method", "first")
    )
    return MeasuredEmissions(
        source=grouped.index.get_level_values(0).to_numpy(np.int64),
        pollutant=grouped.index.get_level_values(1).to_numpy(np.int64),
        tonnes=grouped["tonnes"].to_numpy(np.float64),
        method_codes=grouped["method"].to_numpy(np.int64),
        method_names=method_names,
    )


def _method_codes(methods: Any) -> tuple[IntArray, list[str]]:
    """Codes of the monitoring methods, stripped and lower case (a missing one is "").

    The text is normalised once per distinct value, then gathered back by code.
    """
    text = methods.astype(object).where(methods.notna(), "")
    raw, uniques = pd.factorize(np.asarray(text, dtype=object))
    normalised = [str(value).strip().lower() for value in uniques]
    merged, names = pd.factorize(pd.Series(normalised, dtype=object))
    remap = np.asarray(merged, dtype=np.int64)
    return remap[np.asarray(raw, dtype=np.int64)], [str(name) for name in names]


def _tonnes_per(unit: str, pollutant: str, source_id: Any) -> float:
    """Tonnes in one ``unit`` of a measured mass of ``pollutant``."""
    quantity = parse_unit(unit)
    if quantity.dimensionality == ureg.Quantity(1, "t").dimensionality:
        return float(quantity.to("t").magnitude)
    species = emission_unit(pollutant)
    if quantity.dimensionality == ureg.Quantity(1, species).dimensionality:
        return float(quantity.to(species).magnitude)
    raise UnitMismatch(
        f"measured emissions of source {source_id} ({pollutant})",
        unit,
        "t",
        f"{quantity.dimensionality} is not a mass of {pollutant}",
    )
