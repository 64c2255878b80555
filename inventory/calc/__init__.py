"""The pure calculation core: frames in, frames out (no session, no files, no CLI).

>>> from inventory.calc import compute_emissions
>>> result = compute_emissions(activities, factors, efficiencies, controls, measured)
>>> result.emissions, result.gaps

Formulas, the order of methods, how factors are chosen and the combined-controls rule are
written out in ``docs/methods.md``.
"""

from inventory.calc.controls import canonical_technology
from inventory.calc.conversion import ENERGY_UNIT, tonnes_per_unit_product
from inventory.calc.core import ENCODED_ACTIVITY_COLUMNS, ENCODED_CONTROL_COLUMNS, compute_emissions
from inventory.calc.encoding import encode_text
from inventory.calc.methods import MASS_BALANCE_RULES, STRAW_PARAMETERS
from inventory.calc.parameters import PARAMETER_UNITS, PARAMETERS
from inventory.calc.results import CalcResult
from inventory.calc.schema import (
    ACTIVITY_CROP_OUTPUT,
    ACTIVITY_MACHINES,
    ACTIVITY_POPULATION,
    BASIS_CONTROLLED,
    BASIS_PARAMETER,
    BASIS_UNCONTROLLED,
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
    SELECTORS,
)

__all__ = [
    "ACTIVITY_CROP_OUTPUT",
    "ACTIVITY_MACHINES",
    "ACTIVITY_POPULATION",
    "BASIS_CONTROLLED",
    "BASIS_PARAMETER",
    "BASIS_UNCONTROLLED",
    "EMISSION_COLUMNS",
    "ENCODED_ACTIVITY_COLUMNS",
    "ENCODED_CONTROL_COLUMNS",
    "ENERGY_UNIT",
    "GAP_COLUMNS",
    "GAP_NO_ACTIVITY",
    "GAP_NO_FACTOR",
    "GAP_NO_NCV",
    "MASS_BALANCE_RULES",
    "MATCH_SELECTORS",
    "METHODS",
    "METHOD_EMISSION_FACTOR",
    "METHOD_MASS_BALANCE",
    "METHOD_MEASURED",
    "PARAMETERS",
    "PARAMETER_UNITS",
    "SELECTORS",
    "STRAW_PARAMETERS",
    "CalcResult",
    "canonical_technology",
    "compute_emissions",
    "encode_text",
    "tonnes_per_unit_product",
]
