"""Canonical spellings a scenario file may write in several ways: standards, stages, pollutants."""

from __future__ import annotations

import unicodedata

from inventory import POLLUTANTS

__all__ = ["NEW_ENERGY_FUELS", "canonical_pollutant", "canonical_standard", "standard_rank"]

NEW_ENERGY_FUELS: tuple[str, ...] = ("纯电动", "混合动力")
"""Fuels counted as new-energy vehicles (briefing vocabulary)."""

_NUMERALS = {
    "前": 0,
    "零": 0,
    "0": 0,
    "一": 1,
    "Ⅰ": 1,
    "I": 1,
    "1": 1,
    "二": 2,
    "Ⅱ": 2,
    "II": 2,
    "2": 2,
    "三": 3,
    "Ⅲ": 3,
    "III": 3,
    "3": 3,
    "四": 4,
    "Ⅳ": 4,
    "IV": 4,
    "4": 4,
    "五": 5,
    "Ⅴ": 5,
    "V": 5,
    "5": 5,
    "六": 6,
    "Ⅵ": 6,
    "VI": 6,
    "6": 6,
}


def _numeral(text: str) -> int | None:
    # full-width Roman numerals (Ⅵ) survive NFKC as "VI"; try the raw text too
    return _NUMERALS.get(text, _NUMERALS.get(unicodedata.normalize("NFKC", text).upper()))


def canonical_standard(text: str) -> str | None:
    """The canonical 国0..国6 of a standard or stage (国六, 国Ⅵ, China 6, Stage II...), or None."""
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    for prefix in ("国", "China", "CHINA", "china", "Stage", "STAGE", "stage", "第"):
        if raw.startswith(prefix):
            rest = raw[len(prefix) :].strip().removesuffix("阶段").strip()
            number = _numeral(rest)
            return None if number is None else f"国{number}"
    return None


def standard_rank(canonical: str) -> int:
    """The number of a canonical standard (``国4`` -> 4), for "older than" comparisons."""
    return int(canonical.removeprefix("国"))


def canonical_pollutant(text: str) -> str | None:
    """The canonical pollutant name (``nox`` -> ``NOx``, ``PM25`` -> ``PM2.5``), or None."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower().replace("_", ".")
    for name in POLLUTANTS:
        if folded in (name.lower(), name.lower().replace(".", "")):
            return name
    aliases = {"voc": "VOCs", "nmvoc": "VOCs", "no2": "NOx", "pm2.5": "PM2.5"}
    return aliases.get(folded)
