"""Mass balance and the straw-burning activity chain.

Mass balance gives an uncontrolled emission factor in tonnes of pollutant per tonne of fuel or
material, from what the activity record says about its composition and from parameters of the
factor library (see :mod:`inventory.calc.parameters`). Controls are applied afterwards, as for
emission factors.

============  ====================================================================  ==========
pollutant      factor (t per t of fuel or material)                                  needs
============  ====================================================================  ==========
SO2            S% / 100 x 2 x (1 - sulfur_retention)    (2 = SO2/S molar mass 64/32)  sulfur_pct
PM10, PM2.5    A% / 100 x (1 - ash_retention) x pm10 (pm25) _fraction_of_ash          ash_pct
BC, OC         PM2.5 factor above x bc (oc) _fraction_of_pm25                         ash_pct
VOCs           VOC% / 100    (capture x treatment efficiency come from the controls)  voc_content_pct
============  ====================================================================  ==========

A row whose parameters are missing falls back to the emission factor; a composition given
for an activity that is not a mass (coal sulfur for a quantity in m3) raises UnitMismatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from inventory.calc.encoding import BoolArray, FloatArray, IntArray, codes_of, tuple_codes
from inventory.calc.parameters import MatchedParameters
from inventory.errors import UnitMismatch
from inventory.units import parse_unit, ureg

__all__ = ["MASS_BALANCE_RULES", "MassBalance", "mass_balance", "straw_burned"]

MASS_BALANCE_RULES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "SO2": ("sulfur_pct", ("sulfur_retention",)),
    "PM10": ("ash_pct", ("ash_retention", "pm10_fraction_of_ash")),
    "PM2.5": ("ash_pct", ("ash_retention", "pm25_fraction_of_ash")),
    "BC": ("ash_pct", ("ash_retention", "pm25_fraction_of_ash", "bc_fraction_of_pm25")),
    "OC": ("ash_pct", ("ash_retention", "pm25_fraction_of_ash", "oc_fraction_of_pm25")),
    "VOCs": ("voc_content_pct", ()),
}
"""Pollutant -> (composition column of the activity, parameters used, the last one names it)."""

_FORMULAS: Final = {
    "SO2": "mass balance: sulfur content x 2 x (1 - sulfur_retention)",
    "PM10": "mass balance: ash content x (1 - ash_retention) x pm10_fraction_of_ash",
    "PM2.5": "mass balance: ash content x (1 - ash_retention) x pm25_fraction_of_ash",
    "BC": "mass balance: PM2.5 from ash x bc_fraction_of_pm25",
    "OC": "mass balance: PM2.5 from ash x oc_fraction_of_pm25",
    "VOCs": "mass balance: material use x VOC content of the activity record",
}

STRAW_PARAMETERS: Final = ("straw_grain_ratio", "burned_fraction", "combustion_efficiency")


@dataclass(frozen=True)
class MassBalance:
    """Mass-balance factors per activity and pollutant, provenance per profile and pollutant."""

    rows: IntArray
    """The activities that give a composition (ascending): only they can use mass balance."""
    factor: FloatArray
    """(len(rows), pollutants): t per t of activity, NaN where mass balance does not apply."""
    activity_t: FloatArray
    """Activity quantity in t (NaN when its unit is not a mass)."""
    key_row: IntArray
    """(profiles, pollutants): positional factor row of the naming parameter (-1: none)."""
    label_codes: IntArray
    """(profiles, pollutants): code of the provenance text in ``labels``."""
    labels: list[str]


def mass_balance(
    activities: Any,
    profile_of: IntArray,
    parameters: MatchedParameters,
    factors: Any,
    pollutants: tuple[str, ...],
) -> MassBalance:
    """Mass-balance factors of every activity row (see the module docstring for formulas)."""
    n, n_pollutants = len(activities), len(pollutants)
    n_profiles = parameters.values.shape[0]
    key_row = np.full((n_profiles, n_pollutants), -1, dtype=np.int64)
    label_codes = np.full((n_profiles, n_pollutants), -1, dtype=np.int64)
    labels: list[str] = []
    composition = {
        column: activities[column].to_numpy(np.float64)
        for column in ("sulfur_pct", "ash_pct", "voc_content_pct")
    }
    any_composition = np.zeros(n, dtype=bool)
    for column, values in composition.items():
        if any(rule[0] == column for p, rule in MASS_BALANCE_RULES.items() if p in pollutants):
            any_composition |= ~np.isnan(values)
    activity_t = np.full(n, np.nan)
    # Only rows that give a composition get a factor (the others' share is NaN, so would
    # their product be): the factors are worked out and kept for those rows alone.
    with_composition = np.flatnonzero(any_composition)
    factor = np.full((len(with_composition), n_pollutants), np.nan)
    if not len(with_composition):
        return MassBalance(with_composition, factor, activity_t, key_row, label_codes, labels)
    activity_t = _activity_tonnes(activities, any_composition)
    composition_profile = profile_of[with_composition]
    for index, pollutant in enumerate(pollutants):
        if pollutant not in MASS_BALANCE_RULES:
            continue
        column, needed = MASS_BALANCE_RULES[pollutant]
        share = composition[column][with_composition] / 100.0
        per_profile = _profile_factor(pollutant, parameters)
        factor[:, index] = share * per_profile[composition_profile]
        if needed:
            rows = np.stack([parameters.row(name) for name in needed], axis=1)
            complete: BoolArray = np.all(rows >= 0, axis=1)
            key_row[complete, index] = rows[complete, -1]
            _label(pollutant, rows, complete, factors, parameters, labels, label_codes[:, index])
        else:
            label_codes[:, index] = _label_code(_FORMULAS[pollutant], labels)
    return MassBalance(with_composition, factor, activity_t, key_row, label_codes, labels)


def _profile_factor(pollutant: str, parameters: MatchedParameters) -> FloatArray:
    """Per profile: the factor per unit of composition share (NaN when a parameter is missing)."""
    if pollutant == "SO2":
        return 2.0 * (1.0 - parameters.value("sulfur_retention"))
    if pollutant == "VOCs":
        return np.ones(parameters.values.shape[0])
    fly_ash = 1.0 - parameters.value("ash_retention")
    if pollutant == "PM10":
        return fly_ash * parameters.value("pm10_fraction_of_ash")
    pm25 = fly_ash * parameters.value("pm25_fraction_of_ash")
    if pollutant == "PM2.5":
        return pm25
    if pollutant == "BC":
        return pm25 * parameters.value("bc_fraction_of_pm25")
    return pm25 * parameters.value("oc_fraction_of_pm25")


def _activity_tonnes(activities: Any, rows: BoolArray) -> FloatArray:
    """Quantity in t of every row whose unit is a mass; a composition row in another unit fails."""
    quantity = activities["quantity"].to_numpy(np.float64)
    codes, units = codes_of(activities["unit"])
    scale = np.full(len(units) + 1, np.nan)
    mass = ureg.Quantity(1, "t").dimensionality
    for code, unit in enumerate(units):
        parsed = parse_unit(unit)
        if parsed.dimensionality == mass:
            scale[code] = float(parsed.to("t").magnitude)
        elif (rows & (codes == code)).any():
            first = int(np.flatnonzero(rows & (codes == code))[0])
            raise UnitMismatch(
                f"source {activities['source_id'].iat[first]} "
                f"(activity {activities['activity_id'].iat[first]}): a sulfur, ash or VOC "
                "content needs the fuel or material as a mass",
                unit,
                "t",
                f"{parsed.dimensionality} is not a mass",
            )
    result: FloatArray = quantity * scale[np.where(codes >= 0, codes, len(units))]
    return result


def _label(
    pollutant: str,
    rows: IntArray,
    complete: BoolArray,
    factors: Any,
    parameters: MatchedParameters,
    labels: list[str],
    out: IntArray,
) -> None:
    """Provenance text per profile: the formula and each parameter's value and source."""
    needed = MASS_BALANCE_RULES[pollutant][1]
    combo, n_combos = tuple_codes([rows[:, i] for i in range(rows.shape[1])])
    first = np.full(n_combos, -1, dtype=np.int64)
    first[combo[::-1]] = np.arange(len(combo))[::-1]
    values = factors["value"].to_numpy(np.float64)
    sources = factors["source"]
    texts: list[int] = []
    for profile in first:
        if not complete[profile]:
            texts.append(-1)
            continue
        parts = [
            f"{name} {values[row]:g} ({sources.iat[row]})"
            for name, row in zip(needed, rows[profile], strict=True)
        ]
        texts.append(_label_code(_FORMULAS[pollutant] + "; " + "; ".join(parts), labels))
    out[:] = np.asarray(texts, dtype=np.int64)[combo]
    del parameters


def _label_code(text: str, labels: list[str]) -> int:
    if text not in labels:
        labels.append(text)
    return labels.index(text)


def straw_burned(
    effective: FloatArray, crop_rows: BoolArray, profile_of: IntArray, parameters: MatchedParameters
) -> tuple[FloatArray, BoolArray]:
    """Straw burned (same unit as the crop output) for crop-output rows; other rows unchanged.

    straw burned = crop output x straw_grain_ratio x burned_fraction x combustion_efficiency.
    Returns the new effective activity and the crop rows that lack a parameter.
    """
    chain = np.ones(parameters.values.shape[0])
    for name in STRAW_PARAMETERS:
        chain = chain * parameters.value(name)
    per_row = chain[profile_of]
    result = np.where(crop_rows, effective * per_row, effective)
    lacking: BoolArray = crop_rows & np.isnan(per_row)
    return result, lacking
