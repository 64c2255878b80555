"""Method choice per (activity, pollutant) and the emissions and gaps frames.

Per activity and pollutant the best available method is kept: mass balance (when the activity
gives a composition and the parameters exist) over emission factor; a measured annual mass
for the source and pollutant replaces both (the measured row says which method it replaced).
Text columns are pandas categoricals (one copy of each distinct text), ids are nullable Int64.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from inventory.calc.activity import MISSING_ACTIVITY_MESSAGES, EffectiveActivity
from inventory.calc.controls import SourceControls
from inventory.calc.encoding import BoolArray, FloatArray, IntArray, codes_of, tuple_codes
from inventory.calc.matching import MatchContext
from inventory.calc.measured import MeasuredEmissions
from inventory.calc.methods import STRAW_PARAMETERS, MassBalance
from inventory.calc.profiles import Profiles
from inventory.calc.schema import (
    EMISSION_COLUMNS,
    GAP_COLUMNS,
    GAP_NO_ACTIVITY,
    GAP_NO_FACTOR,
    METHOD_MEASURED,
    METHODS,
    SELECTORS,
)

__all__ = ["CalcResult", "Estimates", "assemble"]

_NONE, _MASS_BALANCE, _FACTOR = 0, 1, 2
_MASS_BALANCE_UNIT = "t/t"


@dataclass(frozen=True)
class CalcResult:
    """What :func:`inventory.calc.compute_emissions` returns."""

    emissions: Any
    """DataFrame, one row per (activity or measured source) x pollutant (t/yr)."""
    gaps: Any
    """DataFrame, one row per (activity, pollutant) that could not be estimated."""


@dataclass(frozen=True)
class Estimates:
    """Everything the core worked out, handed to :func:`assemble`."""

    activities: Any
    factors: Any
    pollutants: tuple[str, ...]
    context: MatchContext
    effective: EffectiveActivity
    activity_value: FloatArray
    lacking_straw: BoolArray
    profiles: Profiles
    best: IntArray
    per_unit: FloatArray
    controlled_basis: BoolArray
    balance: MassBalance
    source_of: IntArray
    sources: Any
    controls: SourceControls
    measured: MeasuredEmissions


def assemble(e: Estimates) -> CalcResult:
    """Choose the method of every (activity, pollutant) cell and build both frames."""
    n_pollutants = len(e.pollutants)
    profile = e.profiles.of_activity
    factor_row = e.best[profile]
    has_activity = ~np.isnan(e.activity_value) & ~e.lacking_straw
    by_factor = (factor_row >= 0) & has_activity[:, None]
    by_balance = ~np.isnan(e.balance.factor) & ~np.isnan(e.balance.activity_t)[:, None]
    method = np.where(by_balance, _MASS_BALANCE, np.where(by_factor, _FACTOR, _NONE))
    is_measured = np.zeros((len(e.sources), n_pollutants), dtype=bool)
    is_measured[e.measured.source, e.measured.pollutant] = True
    replaced = is_measured[e.source_of]

    cells = np.flatnonzero(((method != _NONE) & ~replaced).ravel())
    emissions = _estimated_rows(e, cells, method.ravel()[cells], by_factor.ravel()[cells])
    measured = _measured_rows(e, method)
    gap_cells = np.flatnonzero(((method == _NONE) & ~replaced).ravel())
    gaps = _gap_rows(e, gap_cells)
    frame = pd.concat([emissions, measured], ignore_index=True) if len(measured) else emissions
    return CalcResult(frame[list(EMISSION_COLUMNS)], gaps[list(GAP_COLUMNS)])


def _estimated_rows(e: Estimates, cells: IntArray, method: IntArray, had_factor: BoolArray) -> Any:
    n_pollutants = len(e.pollutants)
    row = cells // n_pollutants
    pollutant = cells % n_pollutants
    profile = e.profiles.of_activity[row]
    balance = method == _MASS_BALANCE
    factor_row = e.best[profile, pollutant]
    controlled = ~balance & _take(e.controlled_basis, factor_row, False)

    activity = np.where(balance, e.balance.activity_t[row], e.activity_value[row])
    per_unit = np.where(balance, e.balance.factor[row, pollutant], e.per_unit[profile, pollutant])
    uncontrolled = activity * per_unit
    source = e.source_of[row]
    efficiency = np.where(controlled, 0.0, e.controls.efficiency[source, pollutant])
    label = np.where(controlled, -1, e.controls.label_codes[source, pollutant])
    emitted = uncontrolled * (1.0 - efficiency)

    factor_ids = e.factors["factor_id"].to_numpy(np.int64)
    values = e.factors["value"].to_numpy(np.float64)
    key_row = np.where(balance, e.balance.key_row[profile, pollutant], factor_row)
    unit_codes, unit_names = codes_of(e.factors["unit"])
    source_codes, source_names = codes_of(e.factors["source"])
    n_sources = len(source_names)
    balance_label = e.balance.label_codes[profile, pollutant]
    units = [*e.effective.units, "t"]
    return pd.DataFrame(
        {
            "activity_id": _nullable(e.context.activity_ids[row], np.zeros(len(row), dtype=bool)),
            "source_id": e.context.source_ids[row],
            "pollutant": pd.Categorical.from_codes(pollutant, categories=list(e.pollutants)),
            "emissions_t": emitted,
            "uncontrolled_t": np.where(controlled, np.nan, uncontrolled),
            "method": pd.Categorical.from_codes(np.where(balance, 1, 2), categories=list(METHODS)),
            "replaced_method": pd.Categorical.from_codes(
                np.where(balance & had_factor, 2, -1), categories=list(METHODS)
            ),
            "factor_id": _nullable(_take(factor_ids, key_row, 0), key_row < 0),
            "factor_value": np.where(balance, per_unit, _take(values, factor_row, np.nan)),
            "factor_unit": _categorical(
                np.where(balance, len(unit_names), _take(unit_codes, factor_row, -1)),
                [*unit_names, _MASS_BALANCE_UNIT],
            ),
            "factor_source": _categorical(
                np.where(
                    balance,
                    np.where(balance_label >= 0, balance_label + n_sources, -1),
                    _take(source_codes, factor_row, -1),
                ),
                [*source_names, *e.balance.labels],
            ),
            "activity_value": activity,
            "activity_unit": _categorical(
                np.where(balance, len(units) - 1, e.effective.unit_codes[row]), units
            ),
            "control_technology": _categorical(label, e.controls.labels),
            "control_efficiency": efficiency,
        }
    )


def _measured_rows(e: Estimates, method: IntArray) -> Any:
    """One row per measured (source, pollutant), naming the best method it replaced."""
    m = e.measured
    n_pollutants = len(e.pollutants)
    best_replaced = np.zeros(len(e.sources) * n_pollutants, dtype=np.int64)
    rank = np.where(method == _MASS_BALANCE, 2, np.where(method == _FACTOR, 1, 0))
    measured_sources = np.zeros(len(e.sources), dtype=bool)
    measured_sources[m.source] = True
    rows = np.flatnonzero(measured_sources[e.source_of])
    if len(rows):
        cell = e.source_of[rows][:, None] * n_pollutants + np.arange(n_pollutants)[None, :]
        np.maximum.at(best_replaced, cell.ravel(), rank[rows].ravel())
    replaced = best_replaced[m.source * n_pollutants + m.pollutant]
    n = len(m.source)
    method_texts = [f"{METHOD_MEASURED} ({name})" if name else METHOD_MEASURED for name in m.method]
    return pd.DataFrame(
        {
            "activity_id": _nullable(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)),
            "source_id": np.asarray(e.sources[m.source], dtype=np.int64),
            "pollutant": pd.Categorical.from_codes(m.pollutant, categories=list(e.pollutants)),
            "emissions_t": m.tonnes,
            "uncontrolled_t": np.full(n, np.nan),
            "method": pd.Categorical.from_codes(np.zeros(n, dtype=np.int64), list(METHODS)),
            "replaced_method": pd.Categorical.from_codes(
                np.select([replaced == 2, replaced == 1], [1, 2], -1), categories=list(METHODS)
            ),
            "factor_id": _nullable(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)),
            "factor_value": np.full(n, np.nan),
            "factor_unit": pd.Categorical([None] * n),
            "factor_source": pd.Categorical(method_texts),  # few measured rows
            "activity_value": np.full(n, np.nan),
            "activity_unit": pd.Categorical([None] * n),
            "control_technology": pd.Categorical([None] * n),
            "control_efficiency": np.full(n, np.nan),
        }
    )


def _gap_rows(e: Estimates, cells: IntArray) -> Any:
    """One row per cell with no estimate; the message is built once per distinct cause."""
    n_pollutants = len(e.pollutants)
    row = cells // n_pollutants
    pollutant = cells % n_pollutants
    no_activity = np.isnan(e.effective.value[row])
    reason = np.where(no_activity, 1, 0)
    cause = np.where(no_activity, e.effective.missing[row], np.where(e.lacking_straw[row], -2, -1))
    profile = e.profiles.of_activity[row]
    key, n_keys = tuple_codes([profile, pollutant, reason, cause])
    first = np.full(n_keys, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(len(key))[::-1]
    messages = [
        _gap_message(e, int(profile[i]), int(pollutant[i]), int(cause[i]), bool(reason[i]))
        for i in first
    ]
    return pd.DataFrame(
        {
            "activity_id": _nullable(e.context.activity_ids[row], np.zeros(len(row), dtype=bool)),
            "source_id": e.context.source_ids[row],
            "pollutant": pd.Categorical.from_codes(pollutant, categories=list(e.pollutants)),
            "reason": pd.Categorical.from_codes(
                reason, categories=[GAP_NO_FACTOR, GAP_NO_ACTIVITY]
            ),
            "message": _categorical(key, messages),
        }
    )


def _gap_message(e: Estimates, profile: int, pollutant: int, cause: int, no_activity: bool) -> str:
    if no_activity:
        return f"No activity: {MISSING_ACTIVITY_MESSAGES[cause]}."
    p = e.profiles
    described = [f"class {_text(p.class_values, int(p.class_codes[profile]))}"]
    for name in SELECTORS:
        code = int(p.selector_codes[name][profile])
        if code >= 0:
            described.append(f"{name} {p.selector_values[name][code]}")
    unit_code = int(p.unit_codes[profile])
    described.append(f"activity in {_text(e.effective.units, unit_code)}")
    where = ", ".join(described)
    if cause == -2:
        names = ", ".join(STRAW_PARAMETERS)
        return f"No straw-burning parameter ({names}) for {where}."
    return f"No {e.pollutants[pollutant]} emission factor for {where}."


def _text(values: list[str], code: int) -> str:
    return values[code] if code >= 0 else "(empty)"


def _take(values: Any, rows: IntArray, fill: Any) -> Any:
    """``values[rows]`` where row -1 (none) gives ``fill``."""
    return np.append(values, np.asarray([fill], dtype=values.dtype))[rows]


def _nullable(values: IntArray, missing: BoolArray) -> Any:
    return pd.arrays.IntegerArray(values.astype(np.int64), missing)


def _categorical(codes: IntArray, names: list[str]) -> Any:
    """Categorical from codes into ``names``, which may repeat a text (merged here); -1 is NA."""
    merged, uniques = pd.factorize(pd.Series(names, dtype=object))
    remap = np.append(np.asarray(merged, dtype=np.int64), -1)
    return pd.Categorical.from_codes(
        remap[np.where(codes >= 0, codes, len(names))], categories=list(uniques)
    )
