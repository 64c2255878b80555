"""Mass <-> volume of liquids for factors whose denominator is the other kind (``mg/L`` on t).

A filling station or tank reports petrol in tonnes or in cubic metres; a factor may be per
litre (AP-42) or per tonne (EMEP/EEA). When ``activity unit x factor unit`` is not a mass but
becomes one with the liquid's density (t/m3) multiplied in (a per-tonne factor on a volume) or
divided out (a per-volume factor on a mass), the factor applies through the ``density``
parameter of the factor library that matches the activity (class code, fuel, product...):

    t of pollutant = quantity x factor value x density^power x [t per (units x (t/m3)^power)]

The constant in brackets and the power (+1 or -1) are worked out once per distinct unit pair
(:func:`density_basis`); the density comes per profile. Without a density the pair stays what it
was before: a :class:`~inventory.errors.UnitMismatch` naming the source and the factor.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Final

from inventory.errors import UnknownUnit
from inventory.units import emission_unit, parse_unit, ureg

__all__ = ["DENSITY_UNIT", "density_basis"]

DENSITY_UNIT: Final = "t/m3"
"""Unit of the ``density`` parameter (values in other units, kg/L or kg/m3, are converted)."""


def density_basis(activity_unit: str, factor_unit: str, pollutant: str) -> tuple[float, int] | None:
    """For a factor that needs the liquid's density: (t of ``pollutant`` per (1 activity unit x 1
    factor unit x (1 t/m3)^power), power), with power +1 (per-mass factor on a volume) or -1
    (per-volume factor on a mass); None when no power of the density makes the product a mass.
    """
    if not activity_unit or not factor_unit:
        return None
    product = parse_unit(activity_unit) * parse_unit(factor_unit)
    density = parse_unit(DENSITY_UNIT)
    targets = ["t"]
    with suppress(UnknownUnit):  # a pollutant without a species unit takes plain masses only
        targets.append(emission_unit(pollutant))
    for power in (1, -1):
        candidate = product * density**power
        for target in targets:
            if candidate.dimensionality == ureg.Quantity(1, target).dimensionality:
                return float(candidate.to(target).magnitude), power
    return None
