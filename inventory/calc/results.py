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
from inventory.calc.conversion import ENERGY_UNIT
from inventory.calc.encoding import (
    BoolArray,
    FloatArray,
    IntArray,
    codes_of,
    first_index,
    tuple_codes,
)
from inventory.calc.energy import EnergyActivity
from inventory.calc.matching import MatchContext
from inventory.calc.measured import MeasuredEmissions
from inventory.calc.methods import STRAW_PARAMETERS, MassBalance
from inventory.calc.profiles import Profiles
from inventory.calc.schema import (
    EMISSION_COLUMNS,
    GAP_COLUMNS,
    GAP_NO_ACTIVITY,
    GAP_NO_FACTOR,
    GAP_NO_NCV,
    MATCH_SELECTORS,
    METHOD_EMISSION_FACTOR,
    METHOD_MASS_BALANCE,
    METHOD_MEASURED,
    METHODS,
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
    energy: EnergyActivity
    controlled_basis: BoolArray
    balance: MassBalance
    source_of: IntArray
    sources: Any
    controls: SourceControls
    measured: MeasuredEmissions


def assemble(e: Estimates) -> CalcResult:
    """Choose the method of every (activity, pollutant) cell and build both frames.

    The cells are laid out densely as (activities, pollutants) arrays; profile and source
    results are gathered by whole rows, and the kept cells are compressed once per column
    into preallocated output arrays that also hold the measured rows.
    """
    n_pollutants = len(e.pollutants)
    profile = e.profiles.of_activity
    factor_row = np.take(e.best, profile, axis=0)
    has_activity = ~np.isnan(e.activity_value) & ~e.lacking_straw
    by_factor = (factor_row >= 0) & has_activity[:, None] & ~e.energy.lacking_ncv
    by_balance = ~np.isnan(e.balance.factor) & ~np.isnan(e.balance.activity_t)[:, None]
    method = np.where(by_balance, _MASS_BALANCE, np.where(by_factor, _FACTOR, _NONE))
    is_measured = np.zeros((len(e.sources), n_pollutants), dtype=bool)
    is_measured[e.measured.source, e.measured.pollutant] = True
    replaced = np.take(is_measured, e.source_of, axis=0)
    estimated = (method != _NONE) & ~replaced
    gap_cells = np.flatnonzero(((method == _NONE) & ~replaced).ravel())
    columns = _columns(e, factor_row, method, by_factor, estimated)
    frame = pd.DataFrame(columns, copy=False)
    return CalcResult(frame[list(EMISSION_COLUMNS)], _gap_rows(e, gap_cells)[list(GAP_COLUMNS)])


class _Output:
    """Preallocated output columns: the kept cells first, then the measured rows."""

    def __init__(self, keep: BoolArray, n_measured: int) -> None:
        self.shape = keep.shape
        self.all_kept = bool(keep.all())
        self.mask = keep.ravel()
        self.per_row = keep.sum(axis=1)
        self.n_cells = int(keep.size) if self.all_kept else int(self.per_row.sum())
        self.size = self.n_cells + n_measured

    def _empty(self, values: Any, tail: Any) -> Any:
        return np.empty(self.size, dtype=np.result_type(values.dtype, np.asarray(tail).dtype))

    def cells(self, dense: Any, tail: Any) -> Any:
        """Kept cells of a dense (activities, pollutants) array, then ``tail``."""
        out = self._empty(dense, tail)
        if self.all_kept:
            out[: self.n_cells].reshape(self.shape)[...] = dense
        else:
            out[: self.n_cells] = np.ravel(dense)[self.mask]
        out[self.n_cells :] = tail
        return out

    def rows(self, per_activity: Any, tail: Any) -> Any:
        """A per-activity value repeated over its kept cells, then ``tail``."""
        out = self._empty(per_activity, tail)
        if self.all_kept:
            out[: self.n_cells].reshape(self.shape)[...] = per_activity[:, None]
        else:
            out[: self.n_cells] = np.repeat(per_activity, self.per_row)
        out[self.n_cells :] = tail
        return out


def _columns(
    e: Estimates, factor_row: IntArray, method: IntArray, by_factor: BoolArray, keep: BoolArray
) -> dict[str, Any]:
    n, n_pollutants = method.shape
    profile = e.profiles.of_activity
    per_unit = np.take(e.per_unit, profile, axis=0)
    efficiency = np.take(e.controls.efficiency, e.source_of, axis=0)
    label = np.take(e.controls.label_codes, e.source_of, axis=0).astype(np.int32)
    factor_ids = e.factors["factor_id"].to_numpy(np.int64)
    values = e.factors["value"].to_numpy(np.float64)
    unit_codes, unit_names = codes_of(e.factors["unit"])
    source_codes, source_names = codes_of(e.factors["source"])
    units = [*e.effective.units, "t", ENERGY_UNIT]
    tonne_code, energy_code = len(units) - 2, len(units) - 1

    def by_profile(per_factor_row: Any, fill: Any) -> Any:
        # Gather (profiles, pollutants) first, then whole rows: cheaper than per cell.
        return np.take(_take(per_factor_row, e.best, fill), profile, axis=0)

    factor_id = by_profile(factor_ids, -1)
    factor_value = by_profile(values, np.nan)
    factor_unit = by_profile(unit_codes.astype(np.int32), -1)
    factor_source = by_profile(source_codes.astype(np.int32), -1)
    method_code = np.full((n, n_pollutants), METHODS.index(METHOD_EMISSION_FACTOR), np.int8)
    replaced_code = np.full((n, n_pollutants), -1, dtype=np.int8)
    activity: Any = e.activity_value[:, None]
    activity_unit: Any = None
    uncontrolled_ok: Any = None

    energy_names: list[str] = []
    if e.energy.any:
        # per-GJ factors: the activity becomes the fuel's energy (GJ); per_unit is t per GJ
        cells = e.energy.cells
        activity = np.where(cells, e.energy.gj, e.activity_value[:, None])
        activity_unit = np.where(
            cells, energy_code, e.effective.unit_codes.astype(np.int32)[:, None]
        ).astype(np.int32)
        factor_source, energy_names = _with_ncv_source(
            e, factor_source, source_names, len(source_names) + len(e.balance.labels)
        )

    if e.controlled_basis.any():
        controlled = _take(e.controlled_basis, factor_row, False) & (method == _FACTOR)
        efficiency = np.where(controlled, 0.0, efficiency)
        label = np.where(controlled, -1, label)
        uncontrolled_ok = ~controlled

    balance_rows = np.flatnonzero((method == _MASS_BALANCE).any(axis=1))
    if len(balance_rows):
        sub = method[balance_rows] == _MASS_BALANCE
        profiles = profile[balance_rows]
        if activity_unit is None:
            activity = np.repeat(e.activity_value, n_pollutants).reshape(n, n_pollutants)
            activity_unit = np.repeat(e.effective.unit_codes.astype(np.int32), n_pollutants)
            activity_unit = activity_unit.reshape(n, n_pollutants)
        key_rows = e.balance.key_row[profiles]

        def override(target: Any, value: Any) -> None:
            target[balance_rows] = np.where(sub, value, target[balance_rows])

        override(activity, e.balance.activity_t[balance_rows, None])
        override(per_unit, e.balance.factor[balance_rows])
        override(factor_value, e.balance.factor[balance_rows])
        override(factor_id, _take(factor_ids, key_rows, -1))
        override(factor_unit, len(unit_names))
        labels = e.balance.label_codes[profiles]
        override(factor_source, np.where(labels >= 0, labels + len(source_names), -1))
        override(activity_unit, tonne_code)
        override(method_code, METHODS.index(METHOD_MASS_BALANCE))
        override(
            replaced_code,
            np.where(by_factor[balance_rows], METHODS.index(METHOD_EMISSION_FACTOR), -1),
        )

    uncontrolled = activity * per_unit
    emitted = uncontrolled * (1.0 - efficiency)
    if uncontrolled_ok is not None:
        uncontrolled = np.where(uncontrolled_ok, uncontrolled, np.nan)

    m = e.measured
    out = _Output(keep, len(m.source))
    nan_tail = np.full(len(m.source), np.nan)
    none_tail = np.full(len(m.source), -1, dtype=np.int32)
    pollutant = np.broadcast_to(np.arange(n_pollutants, dtype=np.int8), (n, n_pollutants))
    factor_id_out = out.cells(factor_id, none_tail)
    activity_out = (
        out.rows(e.activity_value, nan_tail)
        if activity_unit is None
        else out.cells(activity, nan_tail)
    )
    activity_unit_out = (
        out.rows(e.effective.unit_codes.astype(np.int32), none_tail)
        if activity_unit is None
        else out.cells(activity_unit, none_tail)
    )
    return {
        "activity_id": pd.arrays.IntegerArray(
            out.rows(e.context.activity_ids, np.zeros(len(m.source), dtype=np.int64)),
            out.rows(np.zeros(n, dtype=bool), np.ones(len(m.source), dtype=bool)),
        ),
        "source_id": out.rows(e.context.source_ids, np.asarray(e.sources[m.source], np.int64)),
        "pollutant": _categorical(out.cells(pollutant, m.pollutant), list(e.pollutants)),
        "emissions_t": out.cells(emitted, m.tonnes),
        "uncontrolled_t": out.cells(uncontrolled, nan_tail),
        "method": _categorical(
            out.cells(method_code, METHODS.index(METHOD_MEASURED)), list(METHODS)
        ),
        "replaced_method": _categorical(
            out.cells(replaced_code, _replaced_by_measurement(e, method)), list(METHODS)
        ),
        "factor_id": pd.arrays.IntegerArray(np.maximum(factor_id_out, 0), factor_id_out < 0),
        "factor_value": out.cells(factor_value, nan_tail),
        "factor_unit": _categorical(
            out.cells(factor_unit, none_tail), [*unit_names, _MASS_BALANCE_UNIT]
        ),
        "factor_source": _categorical(
            out.cells(
                factor_source,
                len(source_names) + len(e.balance.labels) + len(energy_names) + _monitoring(m),
            ),
            [*source_names, *e.balance.labels, *energy_names, *_MONITORING_LABELS],
        ),
        "activity_value": activity_out,
        "activity_unit": _categorical(activity_unit_out, units),
        "control_technology": _categorical(out.cells(label, none_tail), e.controls.labels),
        "control_efficiency": out.cells(efficiency, nan_tail),
    }


def _with_ncv_source(
    e: Estimates, factor_source: Any, source_names: list[str], offset: int
) -> tuple[Any, list[str]]:
    """Factor sources of the energy-basis cells that used the library's NCV, extended by the
    NCV's value and source; one text per distinct (factor source, NCV) pair."""
    ncv_label = np.broadcast_to(e.energy.label_codes[:, None], factor_source.shape)
    mask = e.energy.cells & (ncv_label >= 0) & (factor_source >= 0)
    if not mask.any():
        return factor_source, []
    pair, n_pairs = tuple_codes([factor_source[mask].astype(np.int64), ncv_label[mask]])
    first = np.full(n_pairs, -1, dtype=np.int64)
    first[pair[::-1]] = np.arange(len(pair))[::-1]
    sources, labels = factor_source[mask], ncv_label[mask]
    names = [f"{source_names[int(sources[i])]}; {e.energy.labels[int(labels[i])]}" for i in first]
    out = factor_source.copy()
    out[mask] = (offset + pair).astype(out.dtype)
    return out, names


_MONITORING_LABELS = (f"{METHOD_MEASURED} (cems)", f"{METHOD_MEASURED} (manual)", METHOD_MEASURED)


def _monitoring(m: MeasuredEmissions) -> IntArray:
    """Index in :data:`_MONITORING_LABELS` of each measured row's monitoring method."""
    known = {"cems": 0, "manual": 1}
    per_name = np.asarray([known.get(name, 2) for name in m.method_names] + [2], np.int64)
    return per_name[m.method_codes]


def _replaced_by_measurement(e: Estimates, method: IntArray) -> IntArray:
    """Per measured row: code of the best method its source's activities would have used."""
    m = e.measured
    n_pollutants = len(e.pollutants)
    best_replaced = np.zeros(len(e.sources) * n_pollutants, dtype=np.int64)
    measured_sources = np.zeros(len(e.sources), dtype=bool)
    measured_sources[m.source] = True
    rows = np.flatnonzero(measured_sources[e.source_of])
    if len(rows):
        sub = method[rows]
        rank = np.where(sub == _MASS_BALANCE, 2, np.where(sub == _FACTOR, 1, 0))
        cell = e.source_of[rows][:, None] * n_pollutants + np.arange(n_pollutants)[None, :]
        np.maximum.at(best_replaced, cell.ravel(), rank.ravel())
    replaced = best_replaced[m.source * n_pollutants + m.pollutant]
    codes: IntArray = np.select(
        [replaced == 2, replaced == 1],
        [METHODS.index(METHOD_MASS_BALANCE), METHODS.index(METHOD_EMISSION_FACTOR)],
        -1,
    ).astype(np.int64)
    return codes


def _gap_rows(e: Estimates, cells: IntArray) -> Any:
    """One row per cell with no estimate; the message is built once per distinct text key.

    Profiles are nearly one per row for sources with a size class, but a message names only
    the class, selectors and unit (not the size), so messages are keyed by those (plus the
    pollutant, reason, cause and, for a missing NCV, the factor row) and gathered by key.
    """
    n_pollutants = len(e.pollutants)
    row = cells // n_pollutants
    pollutant = cells % n_pollutants
    no_activity = np.isnan(e.effective.value[row])
    no_ncv = ~no_activity & e.energy.lacking_ncv[row, pollutant]
    reason = np.where(no_activity, 1, np.where(no_ncv, 2, 0))
    cause = np.where(
        no_activity,
        e.effective.missing[row],
        np.where(no_ncv, -3, np.where(e.lacking_straw[row], -2, -1)),
    )
    profile = e.profiles.of_activity[row]
    described = _described_profiles(e.profiles)[profile]
    ncv_factor = np.where(no_ncv, e.best[profile, pollutant], -1)
    # "No activity" names only its cause: the description and pollutant do not split it.
    key, n_keys = tuple_codes(
        [
            np.where(no_activity, -1, described),
            np.where(no_activity, -1, pollutant),
            reason,
            cause,
            ncv_factor,
        ]
    )
    first = first_index(key, n_keys)
    messages = [
        _gap_message(e, int(profile[i]), int(pollutant[i]), int(cause[i]), int(reason[i]) == 1)
        for i in first
    ]
    return pd.DataFrame(
        {
            "activity_id": _nullable(e.context.activity_ids[row], np.zeros(len(row), dtype=bool)),
            "source_id": e.context.source_ids[row],
            "pollutant": pd.Categorical.from_codes(
                pollutant, categories=list(e.pollutants), validate=False
            ),
            "reason": pd.Categorical.from_codes(
                reason, categories=[GAP_NO_FACTOR, GAP_NO_ACTIVITY, GAP_NO_NCV], validate=False
            ),
            "message": _categorical(key, messages),
        }
    )


def _described_profiles(p: Profiles) -> IntArray:
    """Per profile, a code of what a gap message describes: class, selectors and unit."""
    codes, _ = tuple_codes(
        [p.class_codes, *(p.selector_codes[name] for name in MATCH_SELECTORS), p.unit_codes]
    )
    return codes


def _gap_message(e: Estimates, profile: int, pollutant: int, cause: int, no_activity: bool) -> str:
    if no_activity:
        return f"No activity: {MISSING_ACTIVITY_MESSAGES[cause]}."
    p = e.profiles
    described = [f"class {_text(p.class_values, int(p.class_codes[profile]))}"]
    for name in MATCH_SELECTORS:
        code = int(p.selector_codes[name][profile])
        if code >= 0:
            described.append(f"{name} {p.selector_values[name][code]}")
    unit_code = int(p.unit_codes[profile])
    described.append(f"activity in {_text(e.effective.units, unit_code)}")
    where = ", ".join(described)
    if cause == -2:
        names = ", ".join(STRAW_PARAMETERS)
        return f"No straw-burning parameter ({names}) for {where}."
    if cause == -3:
        row = int(e.best[profile, pollutant])
        return (
            f"No net calorific value for the {e.factors['unit'].iat[row]} factor "
            f"{e.factors['factor_id'].iat[row]} of {e.pollutants[pollutant]}: give ncv_mj "
            f"(MJ/kg, or MJ/m3 for gases) on the activity or an ncv parameter for {where}."
        )
    return f"No {e.pollutants[pollutant]} emission factor for {where}."


def _text(values: list[str], code: int) -> str:
    return values[code] if code >= 0 else "(empty)"


def _take(values: Any, rows: IntArray, fill: Any) -> Any:
    """``values[rows]`` where row -1 (none) gives ``fill``."""
    return np.append(values, np.asarray([fill], dtype=values.dtype))[rows]


def _nullable(values: IntArray, missing: BoolArray) -> Any:
    return pd.arrays.IntegerArray(values.astype(np.int64), missing)


def _categorical(codes: Any, names: list[str]) -> Any:
    """Categorical from codes into ``names``, which may repeat a text (merged here); -1 is NA."""
    if len(set(names)) == len(names):
        return pd.Categorical.from_codes(codes, categories=names, validate=False)
    merged, uniques = pd.factorize(pd.Series(names, dtype=object))
    remap = np.append(np.asarray(merged, dtype=np.int64), -1)
    return pd.Categorical.from_codes(
        remap[np.where(codes >= 0, codes, len(names))], categories=list(uniques), validate=False
    )
