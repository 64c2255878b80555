"""Why did the numbers change? An exact decomposition of the change between two runs.

For every source x pollutant the change (t/yr) goes to exactly one of these situations:

- the source exists only in the later run: ``new_source_t``;
- the source exists only in the earlier run: ``closed_source_t`` (negative);
- the source is in both but the pollutant is estimated in only one, or by a different method
  (measured / mass balance / emission factor): ``method_t``;
- otherwise the change of each activity row (matched across runs by activity type, fuel and
  product) is split by sequential substitution of E = A x F x (1 - c):
  activity ``(A1 - A0) F0 (1 - c0)``, factor ``A1 (F1 - F0)(1 - c0)``, control the rest, which
  equals ``A1 F1 ((1 - c1) - (1 - c0))``. A is the activity converted to the earlier run's unit,
  F = uncontrolled / A (the factor with every unit conversion in it) and 1 - c = emitted /
  uncontrolled. Rows present in one run only, rows without an activity (measured emissions) and
  rows whose activity units cannot be compared count as activity change.

The parts add up to ``change_t = to_t - from_t`` for every row (the control part is computed as
the remainder, so the identity holds to the last bit of floating point).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from inventory.db.models import ActivityRecord
from inventory.errors import UnitMismatch, UnknownUnit
from inventory.results.frame import load_results
from inventory.results.totals import sort_by_keys
from inventory.units import conversion_factor

__all__ = [
    "DIFF_COLUMNS",
    "PART_COLUMNS",
    "add_activity_keys",
    "decompose",
    "diff_runs",
    "summarise_diff",
]

PART_COLUMNS = [
    "new_source_t",
    "closed_source_t",
    "activity_t",
    "factor_t",
    "control_t",
    "method_t",
]
DIFF_COLUMNS = ["from_t", "to_t", "change_t", *PART_COLUMNS]
"""The value columns of a diff (after the keys), all in t/yr."""

_SOURCE_KEYS = [
    "kind",
    "sector",
    "county",
    "category1",
    "category2",
    "category3",
    "category4",
    "facility",
    "source",
    "facility_name",
    "source_name",
]
_MEASURED_KEY = "measured"


def add_activity_keys(engine: Engine, results: pd.DataFrame) -> pd.DataFrame:
    """Add ``activity_key`` (activity type | fuel | product of the row's activity record, or
    ``measured``), which matches the same activity across years."""
    ids = sorted({int(v) for v in results["activity_id"].dropna().unique()})
    records: list[tuple[int, str]] = []
    with engine.connect() as connection:
        for start in range(0, len(ids), 30_000):  # stay under bound-parameter limits
            chunk = ids[start : start + 30_000]
            rows = connection.execute(
                select(
                    ActivityRecord.id,
                    ActivityRecord.activity_type,
                    ActivityRecord.fuel,
                    ActivityRecord.product,
                ).where(ActivityRecord.id.in_(chunk))
            ).all()
            records.extend((row[0], f"{row[1]}|{row[2] or ''}|{row[3] or ''}") for row in rows)
    lookup = pd.Series(dict(records), dtype=object)
    out = results.copy()
    ids_column = out["activity_id"].astype("Int64")
    keys = ids_column.map(lookup).astype(object)
    unknown = keys.isna() & ids_column.notna()
    keys[unknown] = "record " + ids_column[unknown].astype(str)
    keys[ids_column.isna()] = _MEASURED_KEY
    out["activity_key"] = keys
    return out


def _side(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows aggregated by source, pollutant and activity key; the activity in the unit of the
    group's first row (activity and unit missing when a row's unit cannot be converted to it)."""
    keys = ["source_id", "pollutant", "activity_key"]
    grouped = frame.groupby(keys, sort=False, dropna=False)
    # Rows of one key may report their activity in different units (t and 万吨): summing the
    # bare numbers would mix them, so each row is converted to the group's first unit first.
    first_unit = grouped["activity_unit"].transform("first")
    same = (frame["activity_unit"] == first_unit).to_numpy(bool)
    to_first = np.ones(len(frame))
    if not same.all():
        to_first[~same] = _unit_factors(first_unit[~same], frame["activity_unit"][~same])
    columns = frame[[*keys, "emissions_t", "uncontrolled_t"]].copy()
    columns["activity_value"] = frame["activity_value"].to_numpy(float) * to_first
    columns["uncomparable"] = np.isnan(to_first) & frame["activity_value"].notna().to_numpy()
    converted = columns.groupby(keys, sort=False, dropna=False)
    out = converted[["emissions_t", "uncontrolled_t", "activity_value"]].sum(min_count=1)
    out.columns = ["E", "U", "A"]
    out["unit"] = grouped["activity_unit"].first()
    # A key whose rows cannot be put in one unit has no comparable activity: no unit makes the
    # whole change count as activity change, as for units that differ between the two runs.
    lost = converted["uncomparable"].any()
    out.loc[lost, "A"] = np.nan
    out.loc[lost, "unit"] = None
    out["c"] = grouped["control_efficiency"].mean()
    return out.reset_index()


_METHOD_BITS = {"measured": 1, "mass_balance": 2, "emission_factor": 4}


def _methods(frame: pd.DataFrame) -> pd.DataFrame:
    """Emissions and the set of methods (as a bit mask) per source and pollutant."""
    keys = ["source_id", "pollutant"]
    out = frame.groupby(keys, sort=False)["emissions_t"].sum().rename("E").to_frame()
    bits = frame[[*keys, "method"]].drop_duplicates()
    bits["bit"] = bits["method"].map(_METHOD_BITS).fillna(8).astype("int64")
    out["methods"] = bits.groupby(keys, sort=False)["bit"].sum()
    return out.reset_index()


def _unit_factors(units_a: pd.Series, units_b: pd.Series) -> np.ndarray:
    """Factor taking each later-run activity unit to the earlier run's unit (NaN: not
    comparable), converted once per distinct pair of units."""
    pairs = pd.DataFrame({"a": units_a.astype(object), "b": units_b.astype(object)})
    distinct = pairs.dropna().drop_duplicates()
    lookup: dict[tuple[str, str], float] = {}
    for unit_a, unit_b in zip(distinct["a"], distinct["b"], strict=True):
        if unit_a == unit_b:
            lookup[(unit_a, unit_b)] = 1.0
            continue
        try:
            lookup[(unit_a, unit_b)] = conversion_factor(str(unit_b), str(unit_a), "activity unit")
        except (UnitMismatch, UnknownUnit):
            lookup[(unit_a, unit_b)] = np.nan
    if not lookup:
        return np.full(len(pairs), np.nan)
    index = pd.MultiIndex.from_tuples(list(lookup), names=["a", "b"])
    table = pd.Series(list(lookup.values()), index=index, dtype="float64")
    keys = pd.MultiIndex.from_frame(pairs)
    factors: np.ndarray = table.reindex(keys).to_numpy(dtype="float64")
    return factors


def _substitute(rows: pd.DataFrame) -> pd.DataFrame:
    """Split matched activity rows into activity, factor and control parts (t/yr)."""
    e0 = rows["E_a"].fillna(0.0).to_numpy(float)
    e1 = rows["E_b"].fillna(0.0).to_numpy(float)
    change = e1 - e0
    conv = _unit_factors(rows["unit_a"], rows["unit_b"])
    a0 = rows["A_a"].to_numpy(float)
    a1 = rows["A_b"].to_numpy(float) * conv
    u0 = rows["U_a"].to_numpy(float)
    u1 = rows["U_b"].to_numpy(float)
    with np.errstate(all="ignore"):  # zero and missing activity are handled below
        f0 = np.where(a0 > 0, u0 / a0, np.nan)
        f1 = np.where(a1 > 0, u1 / a1, np.nan)
        k0 = np.where(u0 > 0, e0 / u0, 1.0 - np.nan_to_num(rows["c_a"].to_numpy(float)))
    # A side without activity tells nothing about the factor: borrow the other side's
    f0 = np.where(np.isnan(f0), f1, f0)
    f1 = np.where(np.isnan(f1), f0, f1)
    a0z = np.nan_to_num(a0)
    a1z = np.nan_to_num(a1)
    with np.errstate(all="ignore"):
        activity = (a1z - a0z) * f0 * k0
        factor = a1z * (f1 - f0) * k0
    computable = (
        np.isfinite(activity)
        & np.isfinite(factor)
        & np.isfinite(conv)
        & rows["E_a"].notna().to_numpy()
        & rows["E_b"].notna().to_numpy()
    )
    activity = np.where(computable, activity, change)
    factor = np.where(computable, factor, 0.0)
    control = change - activity - factor
    return pd.DataFrame(
        {
            "source_id": rows["source_id"].to_numpy(),
            "pollutant": rows["pollutant"].to_numpy(),
            "activity_t": activity,
            "factor_t": factor,
            "control_t": control,
        }
    )


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("emissions_t", "uncontrolled_t", "activity_value", "control_efficiency"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def decompose(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """The change from ``earlier`` to ``later`` result rows, per source x pollutant, in parts.

    Both frames need ``source_id``, ``pollutant``, ``activity_key``, ``method``, ``emissions_t``,
    ``uncontrolled_t``, ``activity_value``, ``activity_unit``, ``control_efficiency`` and the
    source keys (kind, sector, county, category1..4, facility, source). Returns one row per
    source x pollutant: the source keys (the later run's where the source is in both),
    ``pollutant``, then ``DIFF_COLUMNS`` (t/yr). The parts add up to ``change_t`` on every row.
    """
    earlier, later = _numeric(earlier), _numeric(later)
    sp_a = _methods(earlier)
    sp_b = _methods(later)
    sp = sp_a.merge(sp_b, on=["source_id", "pollutant"], how="outer", suffixes=("_a", "_b"))
    sp["from_t"] = sp["E_a"].astype("float64").fillna(0.0)
    sp["to_t"] = sp["E_b"].astype("float64").fillna(0.0)
    sp["change_t"] = sp["to_t"] - sp["from_t"]
    in_a = sp["source_id"].isin(set(earlier["source_id"]))
    in_b = sp["source_id"].isin(set(later["source_id"]))
    new = ~in_a
    closed = ~in_b
    method = in_a & in_b & (sp["methods_a"].isna() | sp["methods_b"].isna())
    method |= in_a & in_b & sp["methods_a"].notna() & (sp["methods_a"] != sp["methods_b"])
    substitution = ~(new | closed | method)
    for column in PART_COLUMNS:
        sp[column] = 0.0
    sp["new_source_t"] = sp["change_t"].where(new, 0.0)
    sp["closed_source_t"] = sp["change_t"].where(closed, 0.0)
    sp["method_t"] = sp["change_t"].where(method, 0.0)

    chosen = sp.loc[substitution, ["source_id", "pollutant"]]
    substituted = ["activity_t", "factor_t", "control_t"]
    if len(chosen):
        rows_a = _side(earlier.merge(chosen, on=["source_id", "pollutant"]))
        rows_b = _side(later.merge(chosen, on=["source_id", "pollutant"]))
        rows = rows_a.merge(
            rows_b,
            on=["source_id", "pollutant", "activity_key"],
            how="outer",
            suffixes=("_a", "_b"),
        )
        parts = _substitute(rows).groupby(["source_id", "pollutant"], sort=False).sum()
        sp = sp.drop(columns=substituted).merge(
            parts[substituted].reset_index(), on=["source_id", "pollutant"], how="left"
        )
        for column in substituted:
            sp[column] = sp[column].fillna(0.0)
        # the control part is the remainder, so that the parts add up to the last bit
        remainder = sp["change_t"] - sp["activity_t"] - sp["factor_t"]
        sp["control_t"] = remainder.where(substitution.to_numpy(), 0.0)

    attributes = [c for c in _SOURCE_KEYS if c in later.columns and c in earlier.columns]
    sources = pd.concat(
        [later[["source_id", *attributes]], earlier[["source_id", *attributes]]]
    ).drop_duplicates("source_id", keep="first")
    out = sp.merge(sources, on="source_id", how="left")
    return out[["source_id", *attributes, "pollutant", *DIFF_COLUMNS]]


def summarise_diff(parts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum a per-source decomposition by ``by``: columns the keys, then ``DIFF_COLUMNS``."""
    if not by:
        return pd.DataFrame([parts[DIFF_COLUMNS].sum()])[DIFF_COLUMNS]
    grouped = parts.groupby(by, dropna=False, sort=False)[DIFF_COLUMNS].sum().reset_index()
    for key in by:
        grouped[key] = grouped[key].astype(object).where(grouped[key].notna(), None)
    return sort_by_keys(grouped[[*by, *DIFF_COLUMNS]], by)


def diff_runs(
    engine: Engine,
    run_a: int,
    run_b: int,
    by: list[str],
    pollutants: list[str] | None = None,
) -> pd.DataFrame:
    """The change from stored run ``run_a`` to ``run_b`` by ``by`` (t/yr), decomposed."""
    earlier = add_activity_keys(engine, load_results(engine, run_a, pollutants))
    later = add_activity_keys(engine, load_results(engine, run_b, pollutants))
    return summarise_diff(decompose(earlier, later), by)
