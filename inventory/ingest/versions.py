"""Validity periods of versions: which incoming attribute sets make a new version, which earlier
versions close, and when. Pure pandas over whole frames (no database, no per-row loop).

A version is valid from ``valid_from`` (inclusive) to ``valid_to`` (exclusive; NaT = still valid).
An incoming record for an owner (source or facility) starting at ``start`` is compared with the
version covering ``start``: the same signature makes no new version; a different one (or none)
makes a new version from ``start`` to the start of the next later version (open if none), and
the covering version ends at ``start`` (a zero-length version is one superseded by a correction
of the same year). A closure date ends the owner's life: the version in force then ends at it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["VersionPlan", "plan_versions", "signature"]


def signature(frame: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> pd.Series:
    """One text per row that is equal exactly when the listed attributes are equal.

    Floats are compared to 9 significant digits (Excel round trips), blanks as empty.
    """
    parts = []
    for column in columns:
        values = frame[column] if column in frame.columns else pd.Series(None, index=frame.index)
        # Format each distinct value once and gather by code: a column has few distinct
        # values, and a Python call per cell dominated imports of 10^5 rows.
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if pd.api.types.is_float_dtype(values):
            texts = [f"{v:.9g}" for v in uniques]
        else:
            texts = [_plain(v) for v in uniques]
        table = np.asarray([*texts, ""], dtype=object)  # code -1 (missing) reads ""
        parts.append(pd.Series(table[np.asarray(codes)], index=frame.index, dtype=object))
    if not parts:
        return pd.Series("", index=frame.index)
    result = parts[0]
    for part in parts[1:]:
        result = result + "\x1f" + part
    return result


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if np.isnan(value) else f"{value:.9g}"
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, pd.Timestamp):
        return str(value.date().isoformat())
    try:
        if bool(pd.isna(value)):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


@dataclass
class VersionPlan:
    """What to write. ``new``: index of incoming rows that get a version, with valid_from and
    valid_to (NaT = open). ``closes``: version_id -> new valid_to."""

    new: pd.DataFrame
    closes: pd.DataFrame


def _ts(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.astype(object).where(values.notna(), None), errors="coerce")


def plan_versions(existing: pd.DataFrame, incoming: pd.DataFrame) -> VersionPlan:
    """Plan versions.

    existing: owner, version_id, valid_from, valid_to, signature.
    incoming: owner, start, closure (or None), signature; one row per owner.
    """
    inc = incoming.copy()
    inc["start"] = _ts(inc["start"])
    inc["closure"] = _ts(inc["closure"])
    inc["_i"] = np.arange(len(inc))
    ex = existing.copy()
    ex["valid_from"] = _ts(ex["valid_from"])
    ex["valid_to"] = _ts(ex["valid_to"])
    ex = ex[ex["valid_to"].isna() | (ex["valid_to"] > ex["valid_from"])]
    merged = inc[["_i", "owner", "start"]].merge(ex, on="owner", how="inner")
    covers = (merged["valid_from"] <= merged["start"]) & (
        merged["valid_to"].isna() | (merged["valid_to"] > merged["start"])
    )
    covering = merged[covers].drop_duplicates("_i").set_index("_i")
    later = merged[merged["valid_from"] > merged["start"]].groupby("_i")["valid_from"].min()
    for target, column in (
        ("cover_id", "version_id"),
        ("cover_from", "valid_from"),
        ("cover_to", "valid_to"),
        ("cover_sig", "signature"),
    ):
        inc[target] = covering[column].reindex(inc["_i"]).to_numpy()
    inc["next_start"] = pd.to_datetime(later.reindex(inc["_i"]).to_numpy())
    inc["cover_from"] = pd.to_datetime(inc["cover_from"])
    inc["cover_to"] = pd.to_datetime(inc["cover_to"])

    has_cover = inc["cover_id"].notna()
    same = has_cover & (inc["cover_sig"] == inc["signature"])
    closure = inc["closure"]
    closed_before = closure.notna() & (closure <= inc["start"])
    make_new = ~same & ~(closed_before & has_cover)

    new = inc[make_new].copy()
    new_from = new["start"].where(
        ~closed_before[make_new],
        # a source first reported after it closed: its version spans its closing year
        pd.to_datetime(
            new["closure"].dt.year.astype("Int64").astype(str) + "-01-01", errors="coerce"
        ),
    )
    new["valid_from"] = new_from.where(new_from <= new["start"], new["start"])
    new_to = new["next_start"]
    ends = new["closure"].notna() & (new_to.isna() | (new["closure"] < new_to))
    new["valid_to"] = new_to.where(~ends, new["closure"])

    closes = []
    # the covering version ends where the new version starts
    replaced = inc[make_new & has_cover]
    closes.append(pd.DataFrame({"version_id": replaced["cover_id"], "valid_to": replaced["start"]}))
    # a closure ends the covering version when no new version is made
    kept = inc[~make_new & closure.notna()]
    end = kept["closure"].where(kept["closure"] >= kept["cover_from"], kept["cover_from"])
    shorten = kept["cover_to"].isna() | (end < kept["cover_to"])
    closes.append(pd.DataFrame({"version_id": kept["cover_id"][shorten], "valid_to": end[shorten]}))
    close_frame = pd.concat(closes, ignore_index=True)
    close_frame["version_id"] = close_frame["version_id"].astype("int64")
    return VersionPlan(
        new=new.set_index(incoming.index[new["_i"].to_numpy()])[["valid_from", "valid_to"]],
        closes=close_frame,
    )
