"""Emission factors as tonnes of pollutant per unit of activity, one registry call per pair.

``activity unit x factor unit`` must be a mass: a plain one (``g/kg`` x ``t``) or the
pollutant's own species mass (``g_NOx/kg`` x ``t``; a species unit of another pollutant is a
mismatch). Anything else - ``kg/t`` applied to ``m3`` - raises :class:`UnitMismatch` naming
the source, the factor and both units.

Energy-basis factors (EMEP/EEA Tier 1 combustion, ``g/GJ``) applied to a fuel counted as a mass
or a volume need the fuel's net calorific value: energy = quantity x NCV, with the NCV in MJ/kg
(mass) or MJ/m3 (volume). Here the pair only gets its two constants - tonnes per GJ and GJ per
(activity unit x NCV unit) - and the NCV itself comes per activity row (:mod:`.energy`).

A per-mass factor on a volume (or a per-volume factor on a mass) of a liquid takes the
``density`` parameter of the profile (:mod:`.density`); without one it stays a mismatch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import numpy as np

from inventory.calc.density import density_basis
from inventory.calc.encoding import BoolArray, FloatArray, IntArray, codes_of, tuple_codes
from inventory.calc.matching import MatchContext
from inventory.calc.parameters import PARAMETER_UNITS
from inventory.calc.profiles import Profiles
from inventory.errors import UnitMismatch, UnknownUnit
from inventory.units import emission_unit, parse_unit, ureg

__all__ = ["ENERGY_UNIT", "FactorScale", "factor_tonnes", "tonnes_per_unit_product"]

ENERGY_UNIT = "GJ"
"""Unit of the energy an energy-basis factor multiplies (the output's activity_unit)."""
NCV_UNITS = PARAMETER_UNITS["ncv"]
"""Units of a net calorific value: index 0 for fuels counted by mass, 1 by volume."""


@dataclass(frozen=True)
class FactorScale:
    """The matched factors converted, arrays of shape (profiles, pollutants) unless noted."""

    per_unit: FloatArray
    """t of pollutant per effective activity unit, or per GJ on energy-basis cells (NaN: none)."""
    gj_per_ncv: FloatArray
    """On energy-basis cells: GJ in (1 activity unit x 1 NCV unit); NaN elsewhere."""
    ncv_unit: IntArray
    """Per profile: index in :data:`NCV_UNITS` its energy-basis factors need (-1: none)."""
    density_power: IntArray
    """Power of the liquid's density in ``per_unit`` (+1 per-mass factor on a volume, -1
    per-volume factor on a mass, 0 none); the density is already multiplied in."""

    @property
    def energy_cells(self) -> BoolArray:
        """(profiles, pollutants): the matched factor is per unit of energy."""
        result: BoolArray = ~np.isnan(self.gj_per_ncv)
        return result


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


@lru_cache(maxsize=4096)
def _plain_tonnes(activity_unit: str, factor_unit: str) -> float | None:
    """Tonnes per (1 ``activity_unit`` x 1 ``factor_unit``) when that is a plain mass, else None
    (cached per process, as :func:`inventory.units.parse_unit` is)."""
    product = parse_unit(activity_unit) * parse_unit(factor_unit)
    if product.dimensionality == ureg.Quantity(1, "t").dimensionality:
        return float(product.to("t").magnitude)
    return None


def factor_tonnes(
    best: IntArray,
    profiles: Profiles,
    effective_units: list[str],
    factors: Any,
    pollutants: tuple[str, ...],
    context: MatchContext,
    density: FloatArray | None = None,
) -> FactorScale:
    """Per (profile, pollutant): the matched factor in t per effective activity unit (NaN if none),
    or, for an energy-basis factor on a mass or volume activity, in t per GJ.

    ``best`` holds positional factor rows per (profile, pollutant) from the matcher; ``density``
    the matched ``density`` parameter per profile in t/m3 (NaN: none), used where a per-mass
    factor meets a volume or the reverse.
    """
    result = np.full(best.shape, np.nan)
    gj_per_ncv = np.full(best.shape, np.nan)
    ncv_unit = np.full(best.shape[0], -1, dtype=np.int64)
    power = np.zeros(best.shape, dtype=np.int64)
    profile_idx, pollutant_idx = np.nonzero(best >= 0)
    if len(profile_idx) == 0:
        return FactorScale(result, gj_per_ncv, ncv_unit, power)
    rows = best[profile_idx, pollutant_idx]
    factor_unit_codes, factor_units = codes_of(factors["unit"])
    activity_codes = profiles.unit_codes[profile_idx]
    unit_codes = factor_unit_codes[rows]
    triple, n_triples = tuple_codes([activity_codes, unit_codes, pollutant_idx])
    first = np.full(n_triples, -1, dtype=np.int64)
    first[triple[::-1]] = np.arange(len(triple))[::-1]
    scale = np.empty(n_triples)
    energy = np.full(n_triples, np.nan)
    kind = np.full(n_triples, -1, dtype=np.int64)
    density_power = np.zeros(n_triples, dtype=np.int64)
    plain: dict[tuple[int, int], float | None] = {}  # per unit pair, whatever the pollutant
    for index, cell in enumerate(first):
        scale[index], energy[index], kind[index], density_power[index] = _one_pair(
            int(activity_codes[cell]),
            int(unit_codes[cell]),
            int(pollutant_idx[cell]),
            effective_units,
            factor_units,
            pollutants,
            partial(_naming, int(profile_idx[cell]), int(rows[cell]), profiles, factors, context),
            plain,
        )
    values = factors["value"].to_numpy(dtype=np.float64)
    cell_power = density_power[triple]
    per_cell = _per_cell(density, profile_idx)
    lacking = (cell_power != 0) & ~(per_cell > 0)
    if lacking.any():  # a pair that needs a density, and no density: as without densities
        bad = int(np.flatnonzero(lacking)[0])
        activity_code = int(activity_codes[bad])
        raise UnitMismatch(
            _naming(int(profile_idx[bad]), int(rows[bad]), profiles, factors, context),
            effective_units[activity_code] if activity_code >= 0 else "",
            factor_units[int(unit_codes[bad])] if unit_codes[bad] >= 0 else "",
            "mass and volume: the activity needs a density parameter (t/m3) for this factor",
        )
    liquid = np.where(cell_power != 0, per_cell, 1.0) ** cell_power
    result[profile_idx, pollutant_idx] = values[rows] * scale[triple] * liquid
    gj_per_ncv[profile_idx, pollutant_idx] = energy[triple]
    power[profile_idx, pollutant_idx] = cell_power
    np.maximum.at(ncv_unit, profile_idx, kind[triple])
    return FactorScale(result, gj_per_ncv, ncv_unit, power)


def _per_cell(density: FloatArray | None, profile_idx: IntArray) -> FloatArray:
    """The density (t/m3) of each matched cell's profile, NaN when none is known."""
    if density is None:
        return np.full(len(profile_idx), np.nan)
    result: FloatArray = density[profile_idx]
    return result


def _one_pair(
    activity_code: int,
    factor_code: int,
    pollutant: int,
    activity_units: list[str],
    factor_units: list[str],
    pollutants: tuple[str, ...],
    naming: Callable[[], str],
    plain: dict[tuple[int, int], float | None],
) -> tuple[float, float, int, int]:
    """(t per unit product, per GJ or per unit product x density^power; GJ per activity unit x
    NCV unit or NaN; NCV unit index; power of the density, 0 when none is needed).

    ``plain`` remembers per unit pair the tonnes when the product is a plain mass (the same
    for every pollutant; the first case of :func:`tonnes_per_unit_product`), None when not.
    """
    activity_unit = activity_units[activity_code] if activity_code >= 0 else ""
    factor_unit = factor_units[factor_code] if factor_code >= 0 else ""
    try:
        pair = (activity_code, factor_code)
        if pair not in plain:
            plain[pair] = _plain_tonnes(activity_unit, factor_unit)
        known = plain[pair]
        if known is not None:
            return known, np.nan, -1, 0
        tonnes = tonnes_per_unit_product(activity_unit, factor_unit, pollutants[pollutant])
        return tonnes, np.nan, -1, 0
    except UnitMismatch as exc:
        energy = _energy_basis(activity_unit, factor_unit, pollutants[pollutant])
        if energy is not None:
            return (*energy, 0)
        liquid = density_basis(activity_unit, factor_unit, pollutants[pollutant])
        if liquid is not None:
            return liquid[0], np.nan, -1, liquid[1]
        raise UnitMismatch(naming(), activity_unit, factor_unit, exc.detail) from None
    except UnknownUnit as exc:
        raise UnknownUnit(exc.text, f"{naming()}: {exc.hint}") from None


def _energy_basis(
    activity_unit: str, factor_unit: str, pollutant: str
) -> tuple[float, float, int] | None:
    """For a per-energy factor on a mass or volume activity: (t per GJ, GJ per activity unit x
    NCV unit, NCV unit index); None when the pair is not of that kind."""
    if not activity_unit:
        return None
    activity = parse_unit(activity_unit)
    kinds = [parse_unit(unit) for unit in NCV_UNITS]
    matching = [
        index
        for index, ncv in enumerate(kinds)
        if (activity * ncv).dimensionality == ureg.Quantity(1, ENERGY_UNIT).dimensionality
    ]
    if not matching:
        return None
    try:
        per_gj = tonnes_per_unit_product(ENERGY_UNIT, factor_unit, pollutant)
    except UnitMismatch:
        return None
    index = matching[0]
    gj = float((activity * kinds[index]).to(ENERGY_UNIT).magnitude)
    return per_gj, gj, index


def _naming(profile: int, row: int, profiles: Profiles, factors: Any, context: MatchContext) -> str:
    """'source S (activity A), factor F for P' for error messages."""
    activity = int(profiles.first_activity[profile])
    return (
        f"source {context.source_ids[activity]} (activity {context.activity_ids[activity]}), "
        f"factor {factors['factor_id'].iat[row]} ({factors['pollutant'].iat[row]}, "
        f"{factors['source'].iat[row]})"
    )
