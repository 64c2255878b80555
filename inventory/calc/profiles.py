"""Match profiles: the distinct combinations of what selects a factor for an activity.

Thousands of activity rows share a few hundred combinations of class code, selectors, size
class and unit. Factors are matched and converted once per profile, and the results are
gathered back to the rows by profile code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from inventory.calc.activity import EffectiveActivity, rows_of_type
from inventory.calc.encoding import (
    FloatArray,
    IntArray,
    codes_of,
    factorize_first,
    first_index,
    tuple_codes,
)
from inventory.calc.schema import ACTIVITY_MACHINES, MATCH_SELECTORS
from inventory.units import parse_unit, ureg

__all__ = ["Profiles", "build_profiles", "size_in_base_units"]


@dataclass(frozen=True)
class Profiles:
    """Distinct match profiles of the activity rows (arrays are indexed by profile)."""

    of_activity: IntArray
    """Profile code of every activity row."""
    first_activity: IntArray
    """Row index of the first activity of each profile (for error messages)."""
    class_codes: IntArray
    class_values: list[str]
    selector_codes: dict[str, IntArray]
    selector_values: dict[str, list[str]]
    size_base: FloatArray
    """Size class value in SI base units (NaN when absent)."""
    size_dim_codes: IntArray
    """Code of the dimensionality of the size (in ``size_dims``; -1 when absent)."""
    size_dims: list[str]
    unit_codes: IntArray
    """Code of the effective activity unit (in ``EffectiveActivity.units``)."""

    @property
    def count(self) -> int:
        """Number of profiles."""
        return len(self.first_activity)


def size_in_base_units(values: FloatArray, units: Any) -> tuple[FloatArray, IntArray, list[str]]:
    """Sizes converted to SI base units, with a code of each row's dimensionality.

    One registry call per distinct unit, on the whole array of its values (so that offset
    units such as degC convert correctly). ``units``: a text column, or its (codes, distinct
    texts) as :func:`~inventory.calc.encoding.codes_of` gives them. Returns (base values, dimension codes, dimension
    texts); a value without a unit, or a unit without a value, gives NaN and code -1.
    """
    codes, distinct = units if isinstance(units, tuple) else codes_of(units)
    base_values = np.full(len(values), np.nan)
    dim_codes = np.full(len(values), -1, dtype=np.int64)
    dims: list[str] = []
    for code, unit in enumerate(distinct):
        rows = (codes == code) & ~np.isnan(values)
        if not rows.any():
            continue
        parsed = parse_unit(unit)
        base = ureg.Quantity(values[rows] * parsed.magnitude, parsed.units).to_base_units()
        base_values[rows] = np.asarray(base.magnitude, dtype=np.float64)
        text = str(base.dimensionality)
        if text not in dims:
            dims.append(text)
        dim_codes[rows] = dims.index(text)
    return base_values, dim_codes, dims


def _sizes(activities: Any, effective: EffectiveActivity) -> tuple[FloatArray, Any]:
    """Size values and units; a machine row without a size class is classed by its power."""
    sizes = activities["size_value"].to_numpy(dtype=np.float64)
    units = activities["size_unit"]
    machines = rows_of_type(effective.type_codes, effective.types, ACTIVITY_MACHINES)
    power = activities["power_kw"].to_numpy(dtype=np.float64)
    by_power = machines & np.isnan(sizes) & ~np.isnan(power)
    codes, distinct = codes_of(units)
    if not by_power.any():
        return sizes, (codes, distinct)
    # "kW" for the rows classed by power, on codes: the codes are then renumbered in order
    # of first appearance, as factorising the merged texts would number them.
    kw = distinct.index("kW") if "kW" in distinct else len(distinct)
    merged = np.where(by_power, kw, codes)
    named = [*distinct, "kW"]
    renumbered, first = factorize_first(merged + 1, len(named) + 1)
    order = merged[first]  # old code (or -1) of each new code
    present = order >= 0
    remap = np.cumsum(present) - 1  # new codes without the -1 group
    merged_codes = np.where(merged >= 0, remap[renumbered], -1)
    return np.where(by_power, power, sizes), (merged_codes, [named[c] for c in order[present]])


def build_profiles(activities: Any, effective: EffectiveActivity) -> Profiles:
    """Profiles of a prepared activities frame (class, activity type, selectors, size, unit)."""
    class_codes, class_values = codes_of(activities["class_code"])
    selector_codes: dict[str, IntArray] = {}
    selector_values: dict[str, list[str]] = {}
    for name in MATCH_SELECTORS:
        selector_codes[name], selector_values[name] = codes_of(activities[name])
    sizes, size_units = _sizes(activities, effective)
    size_base, dim_codes, dim_values = size_in_base_units(sizes, size_units)
    raw_size_key, _ = pd.factorize(size_base, use_na_sentinel=True)
    size_key = np.asarray(raw_size_key, dtype=np.int64)
    profile, count = tuple_codes(
        [
            class_codes,
            *(selector_codes[name] for name in MATCH_SELECTORS),
            size_key,
            dim_codes,
            effective.unit_codes,
        ]
    )
    first = first_index(profile, count)
    return Profiles(
        of_activity=profile,
        first_activity=first,
        class_codes=class_codes[first],
        class_values=class_values,
        selector_codes={name: codes[first] for name, codes in selector_codes.items()},
        selector_values=selector_values,
        size_base=size_base[first],
        size_dim_codes=dim_codes[first],
        size_dims=dim_values,
        unit_codes=effective.unit_codes[first],
    )
