"""Choose one factor row per (profile, target) - the target is a pollutant or a parameter name.

A factor row applies to an activity when
- its ``class_code`` is a prefix of the activity's class code (``01`` covers ``0102...``);
- every selector it names (activity_type, fuel, technology, product, vehicle_class, standard)
  equals the activity's; a selector left empty on the factor row is a wildcard. The
  activity_type says what the activity counts (``output`` vs ``fuel_use`` of one plant), so a
  per-tonne-product factor is never applied to the plant's fuel;
- its size range, when it has one, holds the activity's size: ``size_min <= size < size_max``
  (an empty bound is open; a unit of exactly 100 MW takes the band starting at 100), both
  converted to SI base units.

Among the rows that apply, the winner is the one with, in this order: the highest
``priority`` (local factor sets above shipped ones), the longest class code, the most named
selectors, a size range, and finally the lowest ``factor_id``.

The rows are grouped by specificity pattern (priority, class-code length, which selectors are
named, whether a size range is given). Groups are visited from the most to the least
preferred; each group is one vectorised join on an int64 key (searchsorted over the sorted
factor keys), and a (profile, target) cell filled by an earlier group is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from inventory.calc.encoding import (
    BoolArray,
    FloatArray,
    IntArray,
    combine_codes,
    lookup_codes,
    tuple_codes,
)
from inventory.calc.profiles import Profiles, size_in_base_units
from inventory.calc.schema import MATCH_SELECTORS
from inventory.errors import UnitMismatch

__all__ = ["MatchContext", "match_factors"]


@dataclass(frozen=True)
class MatchContext:
    """What error messages need to name an activity: ids per activity row."""

    activity_ids: IntArray
    source_ids: IntArray


def match_factors(
    profiles: Profiles,
    factors: Any,
    targets: IntArray,
    n_targets: int,
    context: MatchContext,
    selectors: tuple[str, ...] = MATCH_SELECTORS,
) -> IntArray:
    """Best factor row (positional index into ``factors``) per profile and target.

    ``factors`` is a prepared factor frame; ``targets`` gives each of its rows' target code
    (0..n_targets-1, or -1 for a row that is not wanted). Only the ``selectors`` named are
    compared (parameter rows use ``product`` for the parameter name, so it is left out there);
    ``activity_type`` counts as a named selector when ranking.
    Returns an int64 array of shape (profiles, n_targets), -1 where no row applies.
    """
    best = np.full(profiles.count * n_targets, -1, dtype=np.int64)
    if len(factors) == 0 or profiles.count == 0:
        return best.reshape(profiles.count, n_targets)
    # trimmed class codes ("" when missing) as an object array: the table is small, and
    # Python's string handling is cheaper here than pandas' per-call overhead
    texts = ["" if pd.isna(v) else str(v).strip() for v in factors["class_code"].tolist()]
    class_text = np.empty(len(texts), dtype=object)
    class_text[:] = texts
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    selector_codes = {
        name: lookup_codes(factors[name], profiles.selector_values[name]) for name in selectors
    }
    usable = targets >= 0
    for codes in selector_codes.values():
        usable &= codes != -2  # a value no activity has can never match
    named = np.zeros(len(factors), dtype=np.int64)
    for bit, name in enumerate(selectors):
        named |= (selector_codes[name] >= 0).astype(np.int64) << bit
    size_min, size_max, size_dims = _factor_sizes(factors, profiles)
    sized = ~(np.isnan(size_min) & np.isnan(size_max))
    priority = factors["priority"].to_numpy(dtype=np.int64)
    factor_ids = factors["factor_id"].to_numpy(dtype=np.int64)
    n_named = np.zeros(len(factors), dtype=np.int64)
    for name in selectors:
        n_named += (selector_codes[name] >= 0).astype(np.int64)

    group_of, n_groups = tuple_codes(
        [priority - priority.min(), lengths, named, sized.astype(np.int64)]
    )
    rows = np.flatnonzero(usable)
    # Visit groups best first: highest priority, longest class code, most selectors, sized.
    ranks = np.lexsort((~sized[rows], -n_named[rows], -lengths[rows], -priority[rows]))
    visited: set[int] = set()
    for row in rows[ranks]:
        group = int(group_of[row])
        if group in visited:
            continue
        visited.add(group)
        members = rows[group_of[rows] == group]
        _fill_group(
            best,
            members,
            profiles,
            class_text,
            int(lengths[row]),
            [name for bit, name in enumerate(selectors) if named[row] >> bit & 1],
            selector_codes,
            bool(sized[row]),
            (size_min, size_max, size_dims),
            factors["size_unit"],
            targets,
            n_targets,
            factor_ids,
            context,
        )
    del n_groups
    return best.reshape(profiles.count, n_targets)


def _factor_sizes(factors: Any, profiles: Profiles) -> tuple[FloatArray, FloatArray, IntArray]:
    """Size bounds of the factor rows in SI base units, and their dimension codes (profiles')."""
    low = factors["size_min"].to_numpy(dtype=np.float64)
    high = factors["size_max"].to_numpy(dtype=np.float64)
    if np.isnan(low).all() and np.isnan(high).all():
        return low, high, np.full(len(factors), -1, dtype=np.int64)
    low_base, low_dims, low_names = size_in_base_units(low, factors["size_unit"])
    high_base, high_dims, high_names = size_in_base_units(high, factors["size_unit"])
    dim_codes = np.maximum(
        _in_profile_numbering(low_dims, low_names, profiles),
        _in_profile_numbering(high_dims, high_names, profiles),
    )
    return low_base, high_base, dim_codes


def _in_profile_numbering(codes: IntArray, names: list[str], profiles: Profiles) -> IntArray:
    """Dimension codes renumbered as in the profiles (-2: a dimension no profile has)."""
    remap = np.asarray(
        [profiles.size_dims.index(d) if d in profiles.size_dims else -2 for d in names] + [-3],
        dtype=np.int64,
    )
    return remap[np.where(codes >= 0, codes, len(names))]


def _fill_group(
    best: IntArray,
    members: IntArray,
    profiles: Profiles,
    class_text: Any,
    length: int,
    named: list[str],
    selector_codes: dict[str, IntArray],
    sized: bool,
    sizes: tuple[FloatArray, FloatArray, IntArray],
    size_units: Any,
    targets: IntArray,
    n_targets: int,
    factor_ids: IntArray,
    context: MatchContext,
) -> None:
    """Join the factor rows of one specificity pattern to the profiles and fill free cells."""
    factor_columns: list[IntArray] = []
    profile_columns: list[IntArray] = []
    radices: list[int] = []
    if length > 0:
        member_text = class_text[members].tolist()
        level_values = sorted(set(member_text))
        level = {value: code for code, value in enumerate(level_values)}
        factor_columns.append(np.asarray([level[t] for t in member_text], dtype=np.int64))
        prefixes = [
            value[:length] if len(value) >= length else None for value in profiles.class_values
        ]
        per_class = lookup_codes(prefixes, level_values)
        profile_columns.append(
            np.where(profiles.class_codes >= 0, per_class[np.maximum(profiles.class_codes, 0)], -1)
        )
        radices.append(len(level_values))
    for name in named:
        factor_columns.append(selector_codes[name][members])
        profile_columns.append(profiles.selector_codes[name])
        radices.append(len(profiles.selector_values[name]))
    valid = np.ones(profiles.count, dtype=bool)
    for column in profile_columns:
        valid &= column >= 0
    candidates = np.flatnonzero(valid)
    if not factor_columns:
        factor_key = np.zeros(len(members), dtype=np.int64)
        profile_key = np.zeros(len(candidates), dtype=np.int64)
    else:
        factor_key, profile_key = _keys(factor_columns, profile_columns, radices, candidates)
    order = np.lexsort((factor_ids[members], factor_key))
    sorted_key = factor_key[order]
    sorted_rows = members[order]
    low = np.searchsorted(sorted_key, profile_key, side="left")
    high = np.searchsorted(sorted_key, profile_key, side="right")
    counts = high - low
    profile_of_pair = np.repeat(candidates, counts)
    starts = np.repeat(low - np.cumsum(counts) + counts, counts)
    row_of_pair = sorted_rows[starts + np.arange(len(profile_of_pair))]
    if sized:
        keep = _in_size_range(
            profile_of_pair, row_of_pair, profiles, sizes, size_units, factor_ids, context
        )
        profile_of_pair, row_of_pair = profile_of_pair[keep], row_of_pair[keep]
    cells = profile_of_pair * n_targets + targets[row_of_pair]
    free = best[cells] == -1
    cells, row_of_pair = cells[free], row_of_pair[free]
    # Pairs are ordered by profile, then factor_id: the first of each cell is the lowest id.
    unique_cells, first = np.unique(cells, return_index=True)
    best[unique_cells] = row_of_pair[first]


def _keys(
    factor_columns: list[IntArray],
    profile_columns: list[IntArray],
    radices: list[int],
    candidates: IntArray,
) -> tuple[IntArray, IntArray]:
    """int64 join keys of the factor rows and of the candidate profiles."""
    factor_key = combine_codes(factor_columns, radices)
    profile_key = combine_codes([column[candidates] for column in profile_columns], radices)
    if factor_key is not None and profile_key is not None:
        return factor_key, profile_key
    stacked = [
        np.concatenate([f, p[candidates]])
        for f, p in zip(factor_columns, profile_columns, strict=True)
    ]
    joint, _ = tuple_codes(stacked)
    return joint[: len(factor_columns[0])], joint[len(factor_columns[0]) :]


def _in_size_range(
    profile_of_pair: IntArray,
    row_of_pair: IntArray,
    profiles: Profiles,
    sizes: tuple[FloatArray, FloatArray, IntArray],
    size_units: Any,
    factor_ids: IntArray,
    context: MatchContext,
) -> BoolArray:
    """Which (profile, factor row) pairs have the profile's size inside the factor's range."""
    size_min, size_max, size_dims = sizes
    value = profiles.size_base[profile_of_pair]
    has_value = ~np.isnan(value)
    factor_dim = size_dims[row_of_pair]
    clash = has_value & (profiles.size_dim_codes[profile_of_pair] != factor_dim)
    if clash.any():
        pair = int(np.flatnonzero(clash)[0])
        profile = int(profile_of_pair[pair])
        activity = int(profiles.first_activity[profile])
        code = int(profiles.size_dim_codes[profile])
        raise UnitMismatch(
            f"source {context.source_ids[activity]} (activity {context.activity_ids[activity]}), "
            f"size class of factor {factor_ids[row_of_pair[pair]]}",
            f"a size in {profiles.size_dims[code]}",
            f"a size range in {size_units.iat[int(row_of_pair[pair])]}",
            "the size of the activity and the factor's size range measure different things",
        )
    low = size_min[row_of_pair]
    high = size_max[row_of_pair]
    above = np.isnan(low) | (value >= low)
    below = np.isnan(high) | (value < high)
    result: BoolArray = has_value & above & below
    return result
