"""Method parameters from factor rows with basis ``parameter``, keyed by ``product``.

The factor library stores the numbers that the mass-balance and straw-burning formulas need as
ordinary factor rows (class code, selectors, size range, priority and source work as for
emission factors) whose ``basis`` is ``parameter`` and whose ``product`` is one of the names
below. The row's ``pollutant`` is not used. Values are fractions (a unit of ``%``,
``fraction`` or any dimensionless unit such as ``t/t`` is converted; an empty unit means a plain
fraction), except those of :data:`PARAMETER_UNITS`, which are not fractions: their value is
converted to the first unit listed there whose dimension the row's unit has (``ncv`` in
``kJ/kg`` becomes MJ/kg; in ``GJ/10^4 m3`` it becomes MJ/m3), and the matched parameter
remembers which one (:meth:`MatchedParameters.unit_index`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from inventory.calc.encoding import FloatArray, IntArray, codes_of, lookup_codes
from inventory.calc.matching import MatchContext, match_factors
from inventory.calc.profiles import Profiles
from inventory.calc.schema import BASIS_PARAMETER, MATCH_SELECTORS
from inventory.errors import UnitMismatch
from inventory.units import conversion_factor, parse_unit

__all__ = ["PARAMETERS", "PARAMETER_UNITS", "MatchedParameters", "match_parameters"]

PARAMETERS: Final[dict[str, str]] = {
    "sulfur_retention": "share of the fuel's sulfur kept in bottom ash and slag (0-1)",
    "ash_retention": "share of the fuel's ash kept as bottom ash and slag (0-1)",
    "pm10_fraction_of_ash": "share of the fly ash (ash not retained) that is PM10 (0-1)",
    "pm25_fraction_of_ash": "share of the fly ash (ash not retained) that is PM2.5 (0-1)",
    "bc_fraction_of_pm25": "black carbon as a share of PM2.5 (0-1)",
    "oc_fraction_of_pm25": "organic carbon as a share of PM2.5 (0-1)",
    "straw_grain_ratio": "straw produced per unit of crop output (t/t)",
    "burned_fraction": "share of the straw burned in the open (0-1)",
    "combustion_efficiency": "share of the burned straw that actually burns (0-1)",
    "load_factor": "average engine load of a machine type, share of rated power (0-1)",
    "annual_hours": "hours of use per machine and year (h/yr)",
    "ncv": "net calorific value of a fuel (MJ/kg for solid and liquid fuels, MJ/m3 for gases)",
    "flue_gas_volume": "flue gas per unit of fuel (m3/kg, or m3/m3 for gases)",
    "density": "density of a liquid (t/m3), for per-mass factors on volumes and the reverse",
}
"""Parameter names (the ``product`` of a parameter row) and what each means."""

PARAMETER_UNITS: Final[dict[str, tuple[str, ...]]] = {
    "annual_hours": ("h/yr",),
    "ncv": ("MJ/kg", "MJ/m3"),
    "flue_gas_volume": ("m3/kg", "m3/m3"),
    "density": ("t/m3",),
}
"""Parameters that are not fractions, and the units their values may be converted to (the
first one of the row unit's dimension)."""

_NAMES: Final = tuple(PARAMETERS)
_FRACTION_WORDS: Final = {"", "1", "fraction", "ratio", "dimensionless", "-"}


@dataclass(frozen=True)
class MatchedParameters:
    """Per profile and parameter: the value (fraction, NaN when none applies) and its row."""

    values: FloatArray
    rows: IntArray
    """Positional index of the parameter row in the factor frame (-1 when none)."""
    names: tuple[str, ...]
    units: IntArray
    """Index of the converted unit in the parameter's :data:`PARAMETER_UNITS` (-1: none)."""

    def value(self, name: str) -> FloatArray:
        """Values of one parameter, per profile."""
        return self.values[:, self.names.index(name)]

    def row(self, name: str) -> IntArray:
        """Factor row (positional) of one parameter, per profile."""
        return self.rows[:, self.names.index(name)]

    def unit_index(self, name: str) -> IntArray:
        """Per profile: which unit of ``PARAMETER_UNITS[name]`` the value is in (-1: none)."""
        return self.units[:, self.names.index(name)]


def match_parameters(factors: Any, profiles: Profiles, context: MatchContext) -> MatchedParameters:
    """Best parameter row for each profile and each name of :data:`PARAMETERS`.

    ``factors`` is the whole prepared factor frame; rows whose basis is not ``parameter`` or
    whose ``product`` is not a known name are ignored.
    """
    is_parameter = (factors["basis"].astype(str).str.strip() == BASIS_PARAMETER).to_numpy()
    names = factors["product"].astype(object).where(factors["product"].notna(), None)
    targets = lookup_codes(names, list(_NAMES))
    targets = np.where(is_parameter & (targets >= 0), targets, -1)
    matching_selectors = tuple(name for name in MATCH_SELECTORS if name != "product")
    rows = match_factors(profiles, factors, targets, len(_NAMES), context, matching_selectors)
    converted, unit_index = _in_parameter_units(factors, targets)
    values = np.append(converted, np.nan)[rows]  # the appended NaN serves row -1
    units = np.append(unit_index, -1)[rows]
    return MatchedParameters(values, rows, _NAMES, units)


def _in_parameter_units(factors: Any, targets: IntArray) -> tuple[FloatArray, IntArray]:
    """Every parameter row's value as a fraction, or in a unit of :data:`PARAMETER_UNITS`.

    Returns the converted values and, per row, the index of the unit converted to (-1 for
    fractions and rows that are not parameters). One registry call per (name, unit) pair.
    """
    values = factors["value"].to_numpy(dtype=np.float64)
    codes, units = codes_of(factors["unit"])
    scale = np.full(len(values), np.nan)
    unit_index = np.full(len(values), -1, dtype=np.int64)
    for target in np.unique(targets[targets >= 0]):
        name = _NAMES[target]
        wanted = PARAMETER_UNITS.get(name, ())
        for code in np.unique(codes[targets == target]):
            rows = (targets == target) & (codes == code)
            unit = units[code] if code >= 0 else ""
            factor_id = factors["factor_id"].to_numpy()[rows][0]
            scale[rows], unit_index[rows] = _scale(unit, wanted, name, factor_id)
    result: FloatArray = values * scale
    return result, unit_index


def _scale(unit: str, wanted: tuple[str, ...], name: str, factor_id: Any) -> tuple[float, int]:
    """Multiplier from a parameter row's unit to one of ``wanted`` (none = a plain fraction),
    and the index of that unit (-1 for a fraction)."""
    if not wanted and unit.strip().lower() in _FRACTION_WORDS:
        return 1.0, -1
    if not wanted:
        quantity = parse_unit(unit)
        if quantity.dimensionless:
            return float(quantity.to("dimensionless").magnitude), -1
        raise UnitMismatch(
            f"parameter row {factor_id} ({name})",
            unit,
            "a fraction",
            "this parameter must be dimensionless",
        )
    detail = ""
    for index, target in enumerate(wanted):
        try:
            return conversion_factor(unit or "dimensionless", target), index
        except UnitMismatch as exc:
            detail = exc.detail
    raise UnitMismatch(
        f"parameter row {factor_id} ({name})", unit, " or ".join(wanted), detail
    ) from None
