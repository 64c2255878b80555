"""The one pint registry of the code base, with the Chinese and Latin units of survey sheets.

Definitions live in ``factors/units.txt`` and spellings pint cannot read as written (``kt`` as
kilotonne, ``万m3``) in ``factors/unit_aliases.csv``. Everything that parses a unit string goes
through :func:`parse_unit`; everything that converts goes through :func:`conversion_factor`,
once per distinct pair of units, never per row.
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from functools import lru_cache
from typing import Any

import pint

from inventory.errors import UnitMismatch, UnknownUnit
from inventory.resources import factors_path

__all__ = ["conversion_factor", "normalise_unit_text", "parse_unit", "ureg"]


def _build_registry() -> Any:
    registry: Any = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    registry.load_definitions(str(factors_path("units.txt")))
    return registry


ureg: Any = _build_registry()
"""The registry. Import this one; never make another."""


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    with factors_path("unit_aliases.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["alias"].strip(): row["unit"].strip() for row in rows}


def normalise_unit_text(text: str) -> str:
    """Unit text as the registry reads it: NFKC-folded, trimmed, aliases replaced."""
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    folded = folded.replace("·", "*").replace("×", "*")
    return _aliases().get(folded, folded)


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> Any:
    """Parse a unit string (``万吨``, ``t``, ``10^4 m3``, ``g/kg``) into a pint Quantity.

    The magnitude carries any multiplier written in the text (``10^4 t`` -> 10000 t).
    Raises :class:`UnknownUnit` with the nearest known spellings as a hint.
    """
    normalised = normalise_unit_text(text)
    if not normalised:
        raise UnknownUnit(str(text), "The unit is blank; write one like 吨 or t.")
    try:
        quantity: Any = ureg.Quantity(normalised)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError) as exc:
        raise UnknownUnit(str(text), _suggest(normalised)) from exc
    if not isinstance(quantity, ureg.Quantity):  # a bare number such as "1000"
        raise UnknownUnit(str(text), "A unit needs a name, not only a number.")
    return quantity


def conversion_factor(from_unit: str, to_unit: str, what: str = "conversion") -> float:
    """How many ``to_unit`` are in one ``from_unit`` (a plain float).

    Raises :class:`UnitMismatch` naming ``what`` when the dimensions differ.
    """
    source = parse_unit(from_unit)
    target = parse_unit(to_unit)
    try:
        return float((source / target).to("dimensionless").magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitMismatch(
            what, from_unit, to_unit, f"{source.dimensionality} vs {target.dimensionality}"
        ) from exc


def _suggest(text: str) -> str:
    known = [
        *list(_aliases()),
        "吨",
        "万吨",
        "千克",
        "立方米",
        "万立方米",
        "千瓦时",
        "公里",
        "t",
        "kg",
    ]
    close = difflib.get_close_matches(text, known, n=3, cutoff=0.5)
    if close:
        return "Did you mean " + " or ".join(close) + "?"
    return "Use a unit like 吨, 万吨, t, m3, 万立方米, kWh or km."
