"""Method parameters from factor rows with basis ``parameter``, keyed by ``product``.

The factor library stores the numbers that the mass-balance and straw-burning formulas need as
ordinary factor rows (class code, selectors, size range, priority and source work as for
emission factors) whose ``basis`` is ``parameter`` and whose ``product`` is one of the names
below. The row's ``pollutant`` is not used. Values are fractions; a unit of ``%`` (or any
dimensionless unit such as ``t/t``) is converted, an empty unit means a plain fraction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from inventory.calc.encoding import FloatArray, IntArray, codes_of, lookup_codes
from inventory.calc.matching import MatchContext, match_factors
from inventory.calc.profiles import Profiles
from inventory.calc.schema import BASIS_PARAMETER, SELECTORS
from inventory.errors import UnitMismatch
from inventory.units import parse_unit

__all__ = ["PARAMETERS", "MatchedParameters", "match_parameters"]

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
}
"""Parameter names (the ``product`` of a parameter row) and what each means."""

_NAMES: Final = tuple(PARAMETERS)
_FRACTION_WORDS: Final = {"", "1", "fraction", "ratio", "dimensionless", "-"}


@dataclass(frozen=True)
class MatchedParameters:
    """Per profile and parameter: the value (fraction, NaN when none applies) and its row."""

    values: FloatArray
    rows: IntArray
    """Positional index of the parameter row in the factor frame (-1 when none)."""
    names: tuple[str, ...]

    def value(self, name: str) -> FloatArray:
        """Values of one parameter, per profile."""
        return self.values[:, self.names.index(name)]

    def row(self, name: str) -> IntArray:
        """Factor row (positional) of one parameter, per profile."""
        return self.rows[:, self.names.index(name)]


def match_parameters(factors: Any, profiles: Profiles, context: MatchContext) -> MatchedParameters:
    """Best parameter row for each profile and each name of :data:`PARAMETERS`.

    ``factors`` is the whole prepared factor frame; rows whose basis is not ``parameter`` or
    whose ``product`` is not a known name are ignored.
    """
    is_parameter = (factors["basis"].astype(str).str.strip() == BASIS_PARAMETER).to_numpy()
    names = factors["product"].astype(object).where(factors["product"].notna(), None)
    targets = lookup_codes(names, list(_NAMES))
    targets = np.where(is_parameter & (targets >= 0), targets, -1)
    matching_selectors = tuple(name for name in SELECTORS if name != "product")
    rows = match_factors(profiles, factors, targets, len(_NAMES), context, matching_selectors)
    fractions = np.append(_as_fractions(factors), np.nan)  # the extra NaN serves row -1
    values = fractions[rows]
    return MatchedParameters(values, rows, _NAMES)


def _as_fractions(factors: Any) -> FloatArray:
    """Every factor row's value as a plain fraction (meaningful only for parameter rows)."""
    values = factors["value"].to_numpy(dtype=np.float64)
    is_parameter = (factors["basis"].astype(str).str.strip() == BASIS_PARAMETER).to_numpy()
    codes, units = codes_of(factors["unit"])
    scale = np.ones(len(units) + 1)
    for code, unit in enumerate(units):
        if unit.strip().lower() in _FRACTION_WORDS:
            continue
        if not is_parameter[codes == code].any():
            continue
        quantity = parse_unit(unit)
        if not quantity.dimensionless:
            row = int(np.flatnonzero(is_parameter & (codes == code))[0])
            raise UnitMismatch(
                f"parameter row {factors['factor_id'].iat[row]} ({factors['product'].iat[row]})",
                unit,
                "a fraction",
                "a method parameter must be dimensionless",
            )
        scale[code] = float(quantity.to("dimensionless").magnitude)
    result: FloatArray = values * scale[np.where(codes >= 0, codes, len(units))]
    return result
