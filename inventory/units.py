"""The one pint registry of the code base, with the Chinese and Latin units of survey sheets.

Definitions live in ``factors/units.txt`` and spellings pint cannot read as written (``kt`` as
kilotonne, ``万m3``) in ``factors/unit_aliases.csv``. Everything that parses a unit string goes
through :func:`parse_unit`; everything that converts goes through :func:`conversion_factor`,
once per distinct pair of units, never per row.
"""

from __future__ import annotations

import csv
import difflib
import re
import tokenize
import unicodedata
from functools import lru_cache
from typing import Any

import numpy as np
import pint

from inventory.errors import UnitMismatch, UnknownUnit
from inventory.resources import factors_path

__all__ = [
    "SPECIES_UNIT_NAMES",
    "conversion_factor",
    "emission_quantity",
    "emission_unit",
    "normalise_unit_text",
    "parse_unit",
    "ureg",
]


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
    """Unit text as the registry reads it: NFKC-folded, trimmed, aliases replaced.

    The whole text is looked up first (``t/h`` is a boiler rating, not tonnes per hour); if it
    is not an alias, each side of a ``/`` is normalised on its own so that ``kg/10^4 m3`` reads
    as kilograms per 万立方米 (pint alone would read it as ``kg / 10^4 * m3``).
    """
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    aliases = _aliases()
    if folded in aliases:
        return aliases[folded]
    folded = folded.replace("·", "*").replace("×", "*")
    if folded in aliases:
        return aliases[folded]
    if "/" not in folded:
        return _normalise_part(folded)
    parts = [_normalise_part(part.strip()) for part in folded.split("/")]
    if any(not part for part in parts):
        return folded  # a dangling slash: let the parser reject it with the original text
    return "/".join(f"({part})" for part in parts)


_POWER_OF_TEN = re.compile(r"^10\s*(?:\^|\*\*)\s*(-?\d+)\s*\*?\s*(?=\S)")


def _normalise_part(part: str) -> str:
    """One side of a ratio: alias, or a leading ``10^n`` multiplier written as ``1en*``."""
    aliases = _aliases()
    if part in aliases:
        return aliases[part]
    match = _POWER_OF_TEN.match(part)
    if match:
        rest = part[match.end() :]
        return f"1e{match.group(1)}*({aliases.get(rest, rest)})"
    return part


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
    except (
        pint.errors.PintError,
        AssertionError,  # pint's tokenizer asserts on a dangling operator ("kg/")
        AttributeError,
        TypeError,
        ValueError,
        SyntaxError,
        ZeroDivisionError,  # "2024/02/0": a date typed in a unit cell divides by zero
        tokenize.TokenError,  # "{": an unclosed bracket ends pint's tokenizer mid-statement
        OverflowError,
    ) as exc:
        raise UnknownUnit(str(text), _suggest(normalised)) from exc
    if not isinstance(quantity, ureg.Quantity) or not list(quantity.unit_items()):  # "10^4"
        raise UnknownUnit(str(text), "A unit needs a name, not only a number.")
    for name, _exponent in quantity.unit_items():
        if _is_misleading(name):
            raise UnknownUnit(str(text), _MISLEADING_HINT)
    return quantity


_MISLEADING_HINT = (
    "This spelling reads as a different unit than survey sheets mean (ton is the US short ton, "
    "kt a knot, T a tesla, nm3 a nano-m3); write t, 千吨, m3 or Nm3."
)


def _is_misleading(unit_name: str) -> bool:
    """Units pint knows that never appear in an inventory but catch common misspellings."""
    if unit_name in {"ton", "short_ton", "long_ton", "UK_ton", "US_ton"}:
        return True
    if "tesla" in unit_name or "knot" in unit_name:
        return True
    # A prefix glued to our own units: nm3 (nano-m3), mt (milli-tonne), Mt (MT is megatesla).
    return unit_name.endswith(("m3", "metric_ton")) and unit_name not in {
        "m3",
        "Nm3",
        "metric_ton",
    }


@lru_cache(maxsize=4096)
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


SPECIES_UNIT_NAMES: dict[str, str] = {
    "SO2": "SO2",
    "NOx": "NOx",
    "CO": "CO",
    "PM10": "PM10",
    "PM2.5": "PM2_5",
    "BC": "BC",
    "OC": "OC",
    "VOCs": "VOCs",
    "NMVOC": "NMVOC",
    "NH3": "NH3",
    "TSP": "TSP",
}
"""Pollutant name -> the suffix of its species-aware mass units in ``factors/units.txt``."""


def emission_unit(pollutant: str) -> str:
    """The species-aware tonne of a pollutant (``NOx`` -> ``t_NOx``, counted as NO2).

    Raises :class:`UnknownUnit` for a pollutant that has no species unit.
    """
    try:
        return f"t_{SPECIES_UNIT_NAMES[pollutant]}"
    except KeyError:
        known = ", ".join(SPECIES_UNIT_NAMES)
        raise UnknownUnit(f"t of {pollutant}", f"Pollutants with a mass unit: {known}.") from None


def emission_quantity(values: Any, pollutant: str, unit: str = "t") -> Any:
    """Emission masses (a number or an array in ``unit``, a plain mass unit such as t or kg)
    as a pint Quantity in tonnes of that species.

    Quantities of different species cannot be added: ``emission_quantity(1, "NOx") +
    emission_quantity(1, "SO2")`` raises ``pint.DimensionalityError`` (a ``TypeError``).
    """
    to_tonnes = conversion_factor(unit, "t", f"emission mass of {pollutant}")
    return ureg.Quantity(np.asarray(values, dtype=float) * to_tonnes, emission_unit(pollutant))


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
