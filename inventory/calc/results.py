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
    Arena,
    BoolArray,
    FloatArray,
    IntArray,
    code_dtype,
    codes_of,
    factorize_first,
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
    by_factor = np.take(e.best >= 0, profile, axis=0)  # has a factor; then, in place:
    by_factor &= (~np.isnan(e.activity_value) & ~e.lacking_straw)[:, None]  # has an activity
    if e.energy.lacking_ncv.any():
        by_factor &= ~e.energy.lacking_ncv
    by_balance = np.zeros(by_factor.shape, dtype=bool)
    if len(e.balance.rows):  # only rows with a composition can use mass balance
        by_balance[e.balance.rows] = (
            ~np.isnan(e.balance.factor) & ~np.isnan(e.balance.activity_t[e.balance.rows])[:, None]
        )
    # (copyto with a mask is much faster than assigning through a boolean index)
    method = by_factor.view(np.int8) * np.int8(_FACTOR)
    np.copyto(method, np.int8(_MASS_BALANCE), where=by_balance)
    is_measured = np.zeros((len(e.sources), n_pollutants), dtype=bool)
    is_measured[e.measured.source, e.measured.pollutant] = True
    not_replaced = np.take(is_measured, e.source_of, axis=0)
    np.logical_not(not_replaced, out=not_replaced)
    estimated = method != _NONE
    gap = ~estimated
    estimated &= not_replaced
    gap &= not_replaced
    columns = _columns(e, method, by_factor, estimated)
    frame = pd.DataFrame(columns, copy=False)
    return CalcResult(frame[list(EMISSION_COLUMNS)], _gap_rows(e, gap)[list(GAP_COLUMNS)])


def _cells(mask: BoolArray, column_out: Any = None) -> tuple[IntArray, IntArray, Any]:
    """Flat index, row and column of the true cells of a 2-D mask, in row-major order.

    The column comes in the small integer type of categorical codes (written into
    ``column_out`` when given): gathered from the repeated column numbers, which is cheaper
    than the remainder of a division and a cast."""
    cells = np.flatnonzero(mask)
    n_rows, n_columns = mask.shape
    # numpy divides by a scalar integer with a precomputed multiply-shift (libdivide)
    row = cells // n_columns
    pattern = np.tile(np.arange(n_columns, dtype=code_dtype(n_columns)), n_rows)
    # mode "wrap" (indices are in range): numpy buffers ``out`` in mode "raise"
    column = np.take(pattern, cells, out=column_out, mode="wrap")
    return cells, row, column


class _Out(Arena):
    """Output columns: one value per kept cell, then one per measured row (the ``tail``),
    carved out of one buffer (:class:`~inventory.calc.encoding.Arena`)."""

    def __init__(self, n_kept: int, n_measured: int, dtypes: list[Any]) -> None:
        super().__init__(n_kept + n_measured, dtypes)
        self.n = n_kept

    def new(self, dtype: Any, tail: Any, head: Any = None) -> Any:
        """A column of ``dtype``: ``head`` (scalar or array; unset when None), then ``tail``."""
        out = self.empty(dtype)
        if head is not None:
            out[: self.n] = head
        out[self.n :] = tail
        return out

    def take(self, table: Any, index: IntArray, tail: Any) -> Any:
        """``table[index]`` for the kept cells (index -1 takes the table's last entry), then
        ``tail``; gathered straight into the output column."""
        out = self.new(table.dtype, tail)
        np.take(table, index, out=out[: self.n], mode="wrap")
        return out


def _with_fill(values: Any, fill: Any, dtype: Any = None) -> Any:
    """``values`` with ``fill`` appended: gathering with index -1 gives ``fill``."""
    return np.append(values, np.asarray([fill], dtype=values.dtype)).astype(
        dtype or values.dtype, copy=False
    )


def _columns(e: Estimates, method: Any, by_factor: BoolArray, keep: BoolArray) -> dict[str, Any]:
    """The emission columns: the kept (activity, pollutant) cells in row-major order, then
    the measured rows.

    Each column is gathered once, for the kept cells only, straight into its output array,
    from the table it lives in: per (profile, pollutant) for the matched factor, per (source,
    pollutant) for the controls, per activity for ids and activity; mass balance and per-GJ
    factors then overwrite their cells.
    """
    n_pollutants = method.shape[1]
    m = e.measured
    factor_ids = e.factors["factor_id"].to_numpy(np.int64)
    values = e.factors["value"].to_numpy(np.float64)
    unit_codes, unit_names = codes_of(e.factors["unit"])
    source_codes, source_names = codes_of(e.factors["source"])
    # The activity units with t and GJ added, a repeated text merged (on the small table,
    # not on the output column).
    unit_remap, units = _merged([*e.effective.units, "t", ENERGY_UNIT])
    tonne_code, energy_code = int(unit_remap[-3]), int(unit_remap[-2])
    factor_units = [*unit_names, _MASS_BALANCE_UNIT]
    labels = e.controls.labels
    wide = [np.float64] * 5 + [np.int64] * 3  # 5 float and 3 id columns
    narrow = [np.int32, np.int8, np.int8, bool, bool]  # factor source, methods, two masks
    codes = [code_dtype(len(k)) for k in (labels, factor_units, units, e.pollutants)]
    out = _Out(int(np.count_nonzero(keep)), len(m.source), wide + narrow + codes)
    n = out.n
    pollutant_column = out.empty(code_dtype(n_pollutants))
    pollutant_column[n:] = m.pollutant
    # The kept cells' index arrays live in output columns that are written last (their
    # pages are needed anyway): the profile cell in activity_id's, the source cell in
    # source_id's, the factor row in emissions_t's.
    id_column, source_column = out.empty(np.int64), out.empty(np.int64)
    emitted = out.empty(np.float64)
    kept, row, pollutant = _cells(keep, pollutant_column[:n])
    # cell = row's profile (source) x pollutants + pollutant, the product taken per activity
    profile_cell = np.take(
        e.profiles.of_activity * n_pollutants, row, out=id_column[:n], mode="wrap"
    )
    profile_cell += pollutant
    source_cell = np.take(e.source_of * n_pollutants, row, out=source_column[:n], mode="wrap")
    source_cell += pollutant
    method_kept = method.ravel().take(kept)
    factor_row = np.take(e.best.ravel(), profile_cell, out=emitted[:n].view(np.int64), mode="wrap")
    # t per activity unit, gathered into the uncontrolled column: multiplied there by the
    # activity once mass balance has set its cells (no array of its own)
    uncontrolled = out.new(np.float64, np.nan)
    per_unit = uncontrolled[:n]
    np.take(e.per_unit.ravel(), profile_cell, out=per_unit, mode="wrap")

    efficiency = out.take(e.controls.efficiency.ravel(), source_cell, np.nan)
    label = out.take(
        e.controls.label_codes.ravel().astype(code_dtype(len(labels)), copy=False),
        source_cell,
        -1,
    )
    factor_id = out.take(_with_fill(factor_ids, -1), factor_row, -1)
    factor_value = out.take(_with_fill(values, np.nan), factor_row, np.nan)
    factor_unit = out.take(
        _with_fill(unit_codes, -1, code_dtype(len(factor_units))), factor_row, -1
    )
    factor_source = out.take(
        _with_fill(source_codes, -1, np.int32),
        factor_row,
        len(source_names) + len(e.balance.labels) + _monitoring(m),
    )
    method_code = out.new(
        np.int8, METHODS.index(METHOD_MEASURED), METHODS.index(METHOD_EMISSION_FACTOR)
    )
    replaced_code = out.new(np.int8, _replaced_by_measurement(e, method), -1)
    activity = out.take(e.activity_value, row, np.nan)
    activity_unit = out.take(
        unit_remap.astype(code_dtype(len(units)))[e.effective.unit_codes], row, -1
    )
    uncontrolled_ok: Any = None

    energy_names: list[str] = []
    if e.energy.any:
        # per-GJ factors: the activity becomes the fuel's energy (GJ); per_unit is t per GJ
        cells = e.energy.cells.ravel().take(kept)
        np.copyto(activity[:n], e.energy.gj.ravel().take(kept), where=cells)
        activity_unit[:n][cells] = energy_code
        energy_names = _with_ncv_source(
            e,
            kept,
            factor_source[:n],
            source_codes,
            source_names,
            len(source_names) + len(e.balance.labels),
        )
        factor_source[n:] += len(energy_names)  # the monitoring labels come after them

    if e.controlled_basis.any():
        controlled = _with_fill(e.controlled_basis, False).take(factor_row)
        controlled &= method_kept == _FACTOR
        np.copyto(efficiency[:n], 0.0, where=controlled)
        np.copyto(label[:n], -1, where=controlled)
        uncontrolled_ok = ~controlled

    balance = np.flatnonzero(method_kept == _MASS_BALANCE)
    if len(balance):
        cell, profile_balance = kept[balance], profile_cell[balance]
        activity[balance] = e.balance.activity_t[row[balance]]
        composition_row = np.searchsorted(e.balance.rows, row[balance])
        per_unit[balance] = e.balance.factor[composition_row, pollutant[balance]]
        factor_value[balance] = per_unit[balance]
        factor_id[balance] = _with_fill(factor_ids, -1)[e.balance.key_row.ravel()[profile_balance]]
        factor_unit[balance] = len(unit_names)
        label_codes = e.balance.label_codes.ravel()[profile_balance]
        factor_source[balance] = np.where(label_codes >= 0, label_codes + len(source_names), -1)
        activity_unit[balance] = tonne_code
        method_code[balance] = METHODS.index(METHOD_MASS_BALANCE)
        replaced_code[balance] = np.where(
            by_factor.ravel()[cell], METHODS.index(METHOD_EMISSION_FACTOR), -1
        )

    per_unit *= activity[:n]  # uncontrolled = activity x t per unit (a product commutes)
    emitted[n:] = m.tonnes  # (the factor rows are no longer needed)
    np.subtract(1.0, efficiency[:n], out=emitted[:n])
    emitted[:n] *= uncontrolled[:n]
    if uncontrolled_ok is not None:
        np.copyto(uncontrolled[:n], np.nan, where=~uncontrolled_ok)

    # (the profile and source cells are no longer needed)
    activity_id = id_column
    np.take(e.context.activity_ids, row, out=activity_id[:n], mode="wrap")
    activity_id[n:] = 0
    np.take(e.context.source_ids, row, out=source_column[:n], mode="wrap")
    source_column[n:] = np.asarray(e.sources[m.source])
    missing_factor = np.less(factor_id, 0, out=out.empty(bool))
    np.maximum(factor_id, 0, out=factor_id)  # a negative id (no factor) becomes 0, masked
    return {
        "activity_id": pd.arrays.IntegerArray(activity_id, out.new(bool, True, False)),
        "source_id": source_column,
        "pollutant": _categorical(pollutant_column, list(e.pollutants)),
        "emissions_t": emitted,
        "uncontrolled_t": uncontrolled,
        "method": _categorical(method_code, list(METHODS)),
        "replaced_method": _categorical(replaced_code, list(METHODS)),
        "factor_id": pd.arrays.IntegerArray(factor_id, missing_factor),
        "factor_value": factor_value,
        "factor_unit": _categorical(factor_unit, factor_units),
        "factor_source": _categorical(
            factor_source,
            [*source_names, *e.balance.labels, *energy_names, *_MONITORING_LABELS],
        ),
        "activity_value": activity,
        "activity_unit": _categorical(activity_unit, units),
        "control_technology": _categorical(label, labels),
        "control_efficiency": efficiency,
    }


def _with_ncv_source(
    e: Estimates,
    kept: IntArray,
    factor_source: Any,
    source_codes: Any,
    source_names: list[str],
    offset: int,
) -> list[str]:
    """Factor sources of the energy-basis cells that used the library's NCV, extended by the
    NCV's value and source; one text per distinct (factor source, NCV) pair, returned.

    The pairs are numbered over every energy-basis cell in row-major order (kept or not), then
    the kept cells' ``factor_source`` codes (changed in place) take ``offset`` + their pair.
    """
    n_pollutants = len(e.pollutants)
    cells = np.flatnonzero(e.energy.cells.ravel())
    rows = cells // n_pollutants
    profile_cell = e.profiles.of_activity[rows] * n_pollutants + cells % n_pollutants
    sources = _with_fill(source_codes, -1)[e.best.ravel()[profile_cell]]
    labels = e.energy.label_codes[rows]
    mask = (labels >= 0) & (sources >= 0)
    if not mask.any():
        return []
    sources, labels, cells = sources[mask].astype(np.int64), labels[mask], cells[mask]
    pair, n_pairs = tuple_codes([sources, labels])
    first = first_index(pair, n_pairs)
    names = [f"{source_names[int(sources[i])]}; {e.energy.labels[int(labels[i])]}" for i in first]
    at = np.searchsorted(cells, kept)
    found = at < len(cells)
    found[found] = cells[at[found]] == kept[found]
    factor_source[found] = (offset + pair[at[found]]).astype(factor_source.dtype)
    return names


_MONITORING_LABELS = (f"{METHOD_MEASURED} (cems)", f"{METHOD_MEASURED} (manual)", METHOD_MEASURED)


def _monitoring(m: MeasuredEmissions) -> IntArray:
    """Index in :data:`_MONITORING_LABELS` of each measured row's monitoring method."""
    known = {"cems": 0, "manual": 1}
    per_name = np.asarray([known.get(name, 2) for name in m.method_names] + [2], np.int64)
    return per_name[m.method_codes]


def _replaced_by_measurement(e: Estimates, method: Any) -> IntArray:
    """Per measured row: code of the best method its source's activities would have used."""
    m = e.measured
    n_pollutants = len(e.pollutants)
    # Per (source, pollutant): does some activity of the source use mass balance, an
    # emission factor? (mass balance ranks first); scattered, not reduced with ufunc.at.
    by_balance = np.zeros(len(e.sources) * n_pollutants, dtype=bool)
    by_factor = np.zeros(len(e.sources) * n_pollutants, dtype=bool)
    measured_sources = np.zeros(len(e.sources), dtype=bool)
    measured_sources[m.source] = True
    rows = np.flatnonzero(measured_sources[e.source_of])
    if len(rows):
        sub = method[rows]
        cell = e.source_of[rows][:, None] * n_pollutants + np.arange(n_pollutants)[None, :]
        by_balance[cell[sub == _MASS_BALANCE]] = True
        by_factor[cell[sub == _FACTOR]] = True
    measured_cell = m.source * n_pollutants + m.pollutant
    codes: IntArray = np.select(
        [by_balance[measured_cell], by_factor[measured_cell]],
        [METHODS.index(METHOD_MASS_BALANCE), METHODS.index(METHOD_EMISSION_FACTOR)],
        -1,
    ).astype(np.int64)
    return codes


def _gap_rows(e: Estimates, gap: BoolArray) -> Any:
    """One row per cell of ``gap`` (activities x pollutants): no estimate and no measurement.

    The message is built once per distinct text key. Profiles are nearly one per row for
    sources with a size class, but a message names only the class, selectors and unit (not
    the size), so messages are keyed by those (plus the pollutant, reason, cause and, for a
    missing NCV, the factor row) and gathered by key; message codes follow the first
    appearance of their key among the gap cells. The rare causes (no activity, no NCV, no
    straw parameter) are only looked at when some activity has them.
    """
    n_pollutants = len(e.pollutants)
    cells, row, pollutant = _cells(gap)
    none = np.zeros(len(row), dtype=bool)
    lacking_value = np.isnan(e.effective.value)
    no_activity = lacking_value[row] if lacking_value.any() else none
    no_ncv = (
        ~no_activity & e.energy.lacking_ncv.ravel()[cells] if e.energy.lacking_ncv.any() else none
    )
    straw = e.lacking_straw[row] if e.lacking_straw.any() else none
    reason = np.zeros(len(row), dtype=np.int8)
    reason[no_activity] = 1
    reason[no_ncv] = 2
    profile = e.profiles.of_activity[row]
    # One int64 per distinct message: "no activity" names only its cause (4 of them); the
    # others name the described profile, the pollutant and the kind (plain, straw, no NCV).
    raw_key = _described_profiles(e.profiles)[profile]
    raw_key *= n_pollutants
    raw_key += pollutant
    raw_key *= 3
    raw_key += len(MISSING_ACTIVITY_MESSAGES)
    if straw is not none:
        raw_key[straw & ~no_ncv] += 1
    if no_ncv is not none:
        raw_key[no_ncv] += 2
    missing = e.effective.missing
    if no_activity is not none:
        raw_key[no_activity] = missing[row[no_activity]]
    if no_ncv is not none:
        ncv_factor = np.where(no_ncv, e.best.ravel()[profile * n_pollutants + pollutant], -1)
        key, n_keys = tuple_codes([raw_key, ncv_factor])
        first = first_index(key, n_keys)
    else:
        key, first = factorize_first(
            raw_key, int(raw_key.max()) + 1 if len(raw_key) else 0, compact=True
        )
    cause = np.where(
        no_activity[first],
        missing[row[first]],
        np.where(no_ncv[first], -3, np.where(straw[first], -2, -1)),
    )
    where_of: dict[int, str] = {}  # a profile's description, shared by its pollutants
    messages = [
        _gap_message(e, where_of, p, pollutant_code, c, why == 1)
        for p, pollutant_code, c, why in zip(
            profile.take(first).tolist(),
            pollutant.take(first).tolist(),
            cause.tolist(),
            reason.take(first).tolist(),
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            "activity_id": _nullable(e.context.activity_ids[row], none),
            "source_id": e.context.source_ids[row],
            "pollutant": pd.Categorical.from_codes(
                pollutant, categories=list(e.pollutants), validate=False
            ),
            "reason": pd.Categorical.from_codes(
                reason, categories=[GAP_NO_FACTOR, GAP_NO_ACTIVITY, GAP_NO_NCV], validate=False
            ),
            "message": _categorical(key, messages),
        },
        copy=False,
    )


def _described_profiles(p: Profiles) -> IntArray:
    """Per profile, a code of what a gap message describes: class, selectors and unit."""
    codes, _ = tuple_codes(
        [p.class_codes, *(p.selector_codes[name] for name in MATCH_SELECTORS), p.unit_codes]
    )
    return codes


def _gap_message(
    e: Estimates,
    where_of: dict[int, str],
    profile: int,
    pollutant: int,
    cause: int,
    no_activity: bool,
) -> str:
    if no_activity:
        return f"No activity: {MISSING_ACTIVITY_MESSAGES[cause]}."
    where = where_of.get(profile)
    if where is None:
        where = where_of[profile] = _described(e, profile)
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


def _described(e: Estimates, profile: int) -> str:
    """What a gap message names of a profile: class, selectors and unit."""
    p = e.profiles
    described = [f"class {_text(p.class_values, int(p.class_codes[profile]))}"]
    for name in MATCH_SELECTORS:
        code = int(p.selector_codes[name][profile])
        if code >= 0:
            described.append(f"{name} {p.selector_values[name][code]}")
    unit_code = int(p.unit_codes[profile])
    described.append(f"activity in {_text(e.effective.units, unit_code)}")
    return ", ".join(described)


def _text(values: list[str], code: int) -> str:
    return values[code] if code >= 0 else "(empty)"


def _take(values: Any, rows: IntArray, fill: Any) -> Any:
    """``values[rows]`` where row -1 (none) gives ``fill``."""
    return np.append(values, np.asarray([fill], dtype=values.dtype))[rows]


def _nullable(values: IntArray, missing: BoolArray) -> Any:
    return pd.arrays.IntegerArray(values.astype(np.int64, copy=False), missing)


def _merged(names: list[str]) -> tuple[IntArray, list[str]]:
    """Codes of ``names`` among their distinct texts (first appearance), with a final -1 so
    that code -1 maps to -1, and the distinct texts."""
    merged, uniques = pd.factorize(pd.Series(names, dtype=object))
    return np.append(np.asarray(merged, dtype=np.int64), -1), [str(u) for u in uniques]


def _categorical(codes: Any, names: list[str]) -> Any:
    """Categorical from codes into ``names``, which may repeat a text (merged here); -1 is NA."""
    if len(set(names)) == len(names):
        return pd.Categorical.from_codes(codes, categories=names, validate=False)
    merged, uniques = pd.factorize(pd.Series(names, dtype=object))
    remap = np.append(np.asarray(merged, dtype=np.int64), -1)  # code -1 takes the last: -1
    return pd.Categorical.from_codes(remap[codes], categories=list(uniques), validate=False)
