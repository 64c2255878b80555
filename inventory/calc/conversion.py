"""Emission factors as tonnes of pollutant per unit of activity, one registry call per pair.

``activity unit x factor unit`` must be a mass: a plain one (``g/kg`` x ``t``) or the
pollutant's own species mass (``g_NOx/kg`` x ``t``; a species unit of another pollutant is a
mismatch). Anything else - ``kg/t`` applied to ``m3`` - raises :class:`UnitMismatch` naming
the source, the factor and both units.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from inventory.calc.encoding import FloatArray, IntArray, codes_of, tuple_codes
from inventory.calc.matching import MatchContext
from inventory.calc.profiles import Profiles
from inventory.errors import UnitMismatch, UnknownUnit
from inventory.units import emission_unit, parse_unit, ureg

__all__ = ["factor_tonnes", "tonnes_per_unit_product"]


def tonnes_per_unit_product(activity_unit: str, factor_unit: str, pollutant: str) -> float:
    """Tonnes of ``pollutant`` emitted per (1 ``activity_unit`` x 1 ``factor_unit``).

    Raises :class:`UnitMismatch` (with a generic ``what``) when the product is not a mass.
    """
    product = parse_unit(activity_unit) * parse_unit(factor_unit)
    if product.dimensionality == ureg.Quantity(1, "t").dimensionality:
        return float(product.to("t").magnitude)
    try:
        species = emission_unit(pollutant)
    except UnknownUnit:  # a pollutant without a species unit cannot take species factors
        species = ""
    if species and product.dimensionality == ureg.Quantity(1, species).dimensionality:
        return float(product.to(species).magnitude)
    raise UnitMismatch(
        "factor",
        activity_unit,
        factor_unit,
        f"{activity_unit} x {factor_unit} is {product.dimensionality}, not a mass of {pollutant}",
    )


def factor_tonnes(
    best: IntArray,
    profiles: Profiles,
    effective_units: list[str],
    factors: Any,
    pollutants: tuple[str, ...],
    context: MatchContext,
) -> FloatArray:
    """Per (profile, pollutant): the matched factor in t per effective activity unit (NaN if none).

    ``best`` holds positional factor rows per (profile, pollutant) from the matcher.
    """
    result = np.full(best.shape, np.nan)
    profile_idx, pollutant_idx = np.nonzero(best >= 0)
    if len(profile_idx) == 0:
        return result
    rows = best[profile_idx, pollutant_idx]
    factor_unit_codes, factor_units = codes_of(factors["unit"])
    activity_codes = profiles.unit_codes[profile_idx]
    unit_codes = factor_unit_codes[rows]
    triple, n_triples = tuple_codes([activity_codes, unit_codes, pollutant_idx])
    first = np.full(n_triples, -1, dtype=np.int64)
    first[triple[::-1]] = np.arange(len(triple))[::-1]
    scale = np.empty(n_triples)
    for index, cell in enumerate(first):
        scale[index] = _one_pair(
            int(activity_codes[cell]),
            int(unit_codes[cell]),
            int(pollutant_idx[cell]),
            effective_units,
            factor_units,
            pollutants,
            partial(_naming, int(profile_idx[cell]), int(rows[cell]), profiles, factors, context),
        )
    values = factors["value"].to_numpy(dtype=np.float64)
    result[profile_idx, pollutant_idx] = values[rows] * scale[triple]
    return result


def _one_pair(
    activity_code: int,
    factor_code: int,
    pollutant: int,
    activity_units: list[str],
    factor_units: list[str],
    pollutants: tuple[str, ...],
    naming: Callable[[], str],
) -> float:
    activity_unit = activity_units[activity_code] if activity_code >= 0 else ""
    factor_unit = factor_units[factor_code] if factor_code >= 0 else ""
    try:
        return tonnes_per_unit_product(activity_unit, factor_unit, pollutants[pollutant])
    except UnitMismatch as exc:
        raise UnitMismatch(naming(), activity_unit, factor_unit, exc.detail) from None
    except UnknownUnit as exc:
        raise UnknownUnit(exc.text, f"{naming()}: {exc.hint}") from None


def _naming(profile: int, row: int, profiles: Profiles, factors: Any, context: MatchContext) -> str:
    """'source S (activity A), factor F for P' for error messages."""
    activity = int(profiles.first_activity[profile])
    return (
        f"source {context.source_ids[activity]} (activity {context.activity_ids[activity]}), "
        f"factor {factors['factor_id'].iat[row]} ({factors['pollutant'].iat[row]}, "
        f"{factors['source'].iat[row]})"
    )
