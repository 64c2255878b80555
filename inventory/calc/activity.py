"""Effective activity of each activity record, by activity type.

- ``population`` (on-road fleet segment): vehicles x ``km_per_vehicle`` -> km driven, in
  ``km``; a per-vehicle factor in g/km applies to it.
- ``machine_count`` (non-road, power method): machines x ``power_kw`` x ``hours`` x
  ``load_factor`` -> engine work in ``kWh``.
- anything else (fuel, product, material, head of livestock, crop output...): ``quantity`` in
  its own ``unit``. Crop output is turned into straw burned later, once the straw parameters
  are matched (see :mod:`inventory.calc.methods`).

The count units (辆, 万辆, 台) are converted to single vehicles or machines through the registry,
once per distinct unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from inventory.calc.encoding import BoolArray, FloatArray, IntArray, codes_of, lookup_codes
from inventory.calc.schema import ACTIVITY_MACHINES, ACTIVITY_POPULATION
from inventory.errors import UnitMismatch
from inventory.units import conversion_factor

__all__ = [
    "MISSING_ACTIVITY_MESSAGES",
    "EffectiveActivity",
    "effective_activity",
    "rows_of_type",
    "with_machine_defaults",
]

MISSING_ACTIVITY_MESSAGES: Final = (
    "the quantity is empty",
    "the unit is empty",
    "km_per_vehicle is empty",
    "power_kw, hours or load_factor is empty (and no annual_hours or load_factor parameter)",
)
_NO_QUANTITY, _NO_UNIT, _NO_KM, _NO_ENGINE = range(4)


@dataclass(frozen=True)
class EffectiveActivity:
    """Per activity row: the amount that a factor multiplies, and its unit."""

    value: FloatArray
    """Effective activity (NaN when it cannot be formed; see ``missing``)."""
    unit_codes: IntArray
    """Code of each row's unit in ``units`` (-1 when the unit is empty)."""
    units: list[str]
    missing: IntArray
    """Index into :data:`MISSING_ACTIVITY_MESSAGES` of why ``value`` is NaN, else -1."""
    type_codes: IntArray
    types: list[str]


def effective_activity(
    activities: Any,
    hours_default: FloatArray | None = None,
    load_default: FloatArray | None = None,
) -> EffectiveActivity:
    """Effective activity of every row of a prepared activities frame (see module docstring).

    ``hours_default`` and ``load_default`` (per row, NaN where none) stand in for a machine
    row's empty ``hours`` and ``load_factor`` (the factor library's ``annual_hours`` and
    ``load_factor`` parameters of the machine type).
    """
    quantity = activities["quantity"].to_numpy(dtype=np.float64)
    unit_codes, units = codes_of(activities["unit"])
    type_codes, types = codes_of(activities["activity_type"])
    units = [*units, "km", "kWh"]
    km_code, kwh_code = len(units) - 2, len(units) - 1
    value = quantity.copy()
    out_units = unit_codes.copy()
    missing = np.full(len(quantity), -1, dtype=np.int64)

    population = rows_of_type(type_codes, types, ACTIVITY_POPULATION)
    if population.any():
        count = quantity * _count_factor(activities, unit_codes, units, population, "vehicle")
        km = activities["km_per_vehicle"].to_numpy(dtype=np.float64)
        value[population] = (count * km)[population]
        out_units[population] = km_code
        missing[population & np.isnan(km)] = _NO_KM

    machines = rows_of_type(type_codes, types, ACTIVITY_MACHINES)
    if machines.any():
        count = quantity * _count_factor(activities, unit_codes, units, machines, "machine")
        hours = _or_default(activities["hours"].to_numpy(dtype=np.float64), hours_default)
        load = _or_default(activities["load_factor"].to_numpy(dtype=np.float64), load_default)
        work = activities["power_kw"].to_numpy(dtype=np.float64) * hours * load
        value[machines] = (count * work)[machines]
        out_units[machines] = kwh_code
        missing[machines & np.isnan(work)] = _NO_ENGINE

    missing[unit_codes < 0] = _NO_UNIT
    missing[np.isnan(quantity)] = _NO_QUANTITY
    value[missing >= 0] = np.nan
    return EffectiveActivity(value, out_units, units, missing, type_codes, types)


def with_machine_defaults(
    effective: EffectiveActivity,
    activities: Any,
    hours_default: FloatArray,
    load_default: FloatArray,
) -> EffectiveActivity:
    """``effective_activity(activities, hours_default, load_default)`` from ``effective``
    (the same frame's effective activity without defaults): only the machine rows change,
    so only they are worked out again (the same arithmetic, in the same order)."""
    machines = np.flatnonzero(
        rows_of_type(effective.type_codes, effective.types, ACTIVITY_MACHINES)
    )
    if not len(machines):
        return effective
    quantity = activities["quantity"].to_numpy(dtype=np.float64)[machines]
    rows = np.ones(len(machines), dtype=bool)
    unit_codes = codes_of(activities["unit"])[0][machines]  # the rows' own units (not kWh)
    count = quantity * _count_factor(
        activities.iloc[machines], unit_codes, effective.units, rows, "machine"
    )
    hours = _or_default(
        activities["hours"].to_numpy(dtype=np.float64)[machines], hours_default[machines]
    )
    load = _or_default(
        activities["load_factor"].to_numpy(dtype=np.float64)[machines], load_default[machines]
    )
    work = activities["power_kw"].to_numpy(dtype=np.float64)[machines] * hours * load
    value = count * work
    missing = np.where(np.isnan(work), _NO_ENGINE, -1)
    missing[unit_codes < 0] = _NO_UNIT
    missing[np.isnan(quantity)] = _NO_QUANTITY
    value[missing >= 0] = np.nan
    all_values = effective.value.copy()
    all_values[machines] = value
    all_missing = effective.missing.copy()
    all_missing[machines] = missing
    return EffectiveActivity(
        all_values,
        effective.unit_codes,
        effective.units,
        all_missing,
        effective.type_codes,
        effective.types,
    )


def _or_default(values: FloatArray, default: FloatArray | None) -> FloatArray:
    if default is None:
        return values
    result: FloatArray = np.where(np.isnan(values), default, values)
    return result


def rows_of_type(type_codes: IntArray, types: list[str], name: str) -> BoolArray:
    """Rows whose activity type is ``name``."""
    codes = lookup_codes([name], types)
    return type_codes == codes[0] if codes[0] >= 0 else np.zeros(len(type_codes), dtype=bool)


def _count_factor(
    activities: Any, unit_codes: IntArray, units: list[str], rows: BoolArray, counted: str
) -> FloatArray:
    """Per row: single vehicles (machines) in one unit of the row (万辆 -> 10000)."""
    factor = np.full(len(unit_codes), np.nan)
    for code in np.unique(unit_codes[rows & (unit_codes >= 0)]):
        try:
            factor[unit_codes == code] = conversion_factor(units[code], counted)
        except UnitMismatch as exc:
            first = int(np.flatnonzero(rows & (unit_codes == code))[0])
            raise UnitMismatch(
                f"source {activities['source_id'].iat[first]} "
                f"(activity {activities['activity_id'].iat[first]}): a {counted} count",
                units[code],
                counted,
                exc.detail,
            ) from exc
    return factor
