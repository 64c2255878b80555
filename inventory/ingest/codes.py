"""Checks of coded columns: credit codes, region codes, industry codes and coordinates.

All checks work on whole columns (numpy over the characters of the codes), never row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from inventory.ingest.layouts import read_data_csv
from inventory.resources import factors_path

__all__ = [
    "Bounds",
    "credit_code_problems",
    "industry_code_valid",
    "parse_coordinate",
    "region_bounds",
    "region_table",
]

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100-2015 code characters: digits and capitals without I, O, S, V, Z."""
CREDIT_WEIGHTS = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64
)
"""Weights of the first 17 characters (3^i mod 31), GB 32100-2015 section 5."""

_LOOKUP = np.full(0x10000, -1, dtype=np.int64)
for _value, _char in enumerate(CREDIT_ALPHABET):
    _LOOKUP[ord(_char)] = _value


def credit_code_problems(codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(format_bad, checksum_bad) masks for a column of upper-cased codes (None = blank).

    Format: 18 characters of the code alphabet. Checksum: the 18th character equals
    ``31 - (sum of value x weight over the first 17) mod 31`` (31 -> 0), GB 32100-2015.
    Checked once per distinct code (an enterprise's code repeats on each of its units).
    """
    positions, uniques = pd.factorize(codes.to_numpy(dtype=object), use_na_sentinel=True)
    fmt_unique, sum_unique = _code_problems(pd.Series(uniques, dtype=object))
    picked = np.asarray(positions)  # -1 (blank) picks the last slot: no problem
    return (
        pd.Series(np.append(fmt_unique.to_numpy(), False)[picked], index=codes.index),
        pd.Series(np.append(sum_unique.to_numpy(), False)[picked], index=codes.index),
    )


def _code_problems(codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    filled = codes.notna().to_numpy()
    format_bad = np.zeros(len(codes), dtype=bool)
    checksum_bad = np.zeros(len(codes), dtype=bool)
    if not filled.any():
        return pd.Series(format_bad, index=codes.index), pd.Series(checksum_bad, index=codes.index)
    text = codes[filled].astype(str).to_numpy()
    lengths = np.fromiter((len(t) for t in text), np.int64, len(text))
    right_length = lengths == 18
    padded = np.array([t if len(t) == 18 else "0" * 18 for t in text], dtype="<U18")
    chars = padded.view(np.uint32).reshape(-1, 18).astype(np.int64)
    chars = np.minimum(chars, 0xFFFF)
    values = _LOOKUP[chars]
    alphabet_ok = (values >= 0).all(axis=1)
    fmt_bad = ~(right_length & alphabet_ok)
    total = (values[:, :17] * CREDIT_WEIGHTS).sum(axis=1)
    expected = (31 - total % 31) % 31
    sum_bad = ~fmt_bad & (expected != values[:, 17])
    format_bad[filled] = fmt_bad
    checksum_bad[filled] = sum_bad
    return pd.Series(format_bad, index=codes.index), pd.Series(checksum_bad, index=codes.index)


def credit_check_character(first17: str) -> str:
    """The check character of a 17-character prefix (used to write valid examples and tests)."""
    values = np.array([CREDIT_ALPHABET.index(c) for c in first17], dtype=np.int64)
    return CREDIT_ALPHABET[(31 - int((values * CREDIT_WEIGHTS).sum()) % 31) % 31]


@lru_cache(maxsize=1)
def region_table() -> pd.DataFrame:
    """``factors/regions.csv`` (code, name, level, parent_code) as text columns."""
    rows = read_data_csv(factors_path("regions.csv"))
    return pd.DataFrame(rows)[["code", "name", "level", "parent_code"]]


@lru_cache(maxsize=1)
def _sections() -> list[tuple[str, int, int]]:
    rows = read_data_csv(factors_path("layouts", "industry_sections.csv"))
    return [(r["section"], int(r["first_division"]), int(r["last_division"])) for r in rows]


_INDUSTRY = re.compile(r"^(?P<section>[A-T])?(?P<digits>\d{2,4})$")


def industry_code_valid(codes: pd.Series) -> pd.Series:
    """True where a GB/T 4754-2017 code is well formed: optional section letter, 2-4 digits,
    an existing division (01-97), and a letter that matches the division's section."""
    result = pd.Series(True, index=codes.index)
    filled = codes.notna()
    uniques = pd.unique(codes[filled])
    sections = _sections()
    verdict = {}
    for code in uniques:
        match = _INDUSTRY.match(str(code))
        if not match:
            verdict[code] = False
            continue
        division = int(match["digits"][:2])
        owner = next((s for s, lo, hi in sections if lo <= division <= hi), None)
        verdict[code] = owner is not None and match["section"] in (None, owner)
    result[filled] = codes[filled].map(verdict).astype(bool)
    return result


@dataclass(frozen=True)
class Bounds:
    """A rough bounding box in decimal degrees."""

    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float


@lru_cache(maxsize=1)
def region_bounds() -> dict[str, Bounds]:
    """Bounding box of each region code (a county without a row of its own takes its parent's)."""
    own = {
        r["region_code"]: Bounds(
            float(r["lon_min"]), float(r["lon_max"]), float(r["lat_min"]), float(r["lat_max"])
        )
        for r in read_data_csv(factors_path("layouts", "region_bounds.csv"))
    }
    regions = region_table()
    result = dict(own)
    for code, parent in zip(regions["code"], regions["parent_code"], strict=True):
        if code not in result and parent in own:
            result[code] = own[parent]
    return result


_DMS = re.compile(
    r"^(?P<d>\d+(?:\.\d+)?)\s*[°度]\s*(?:(?P<m>\d+(?:\.\d+)?)\s*['′’分]\s*)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*(?:\"|″|”|''|′′|秒)\s*)?(?P<h>[NSEW东西南北])?$"
)


def parse_coordinate(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(decimal degrees, bad mask) from decimal numbers or ``122°15′49″`` / ``122度15分49秒``."""
    from inventory.ingest.coerce import blank_mask, to_number

    values, bad = to_number(raw)
    if bad.any():
        texts = raw[bad]
        uniques = pd.unique(texts)
        parsed = {u: _parse_dms(str(u)) for u in uniques}
        numbers = texts.map(parsed).astype(float)
        values[texts.index] = numbers
        bad[texts.index] = numbers.isna()
    bad &= ~blank_mask(raw)
    return values, bad


def _parse_dms(text: str) -> float:
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    match = _DMS.match(folded)
    if not match:
        return float("nan")
    degrees = float(match["d"]) + float(match["m"] or 0) / 60 + float(match["s"] or 0) / 3600
    return -degrees if match["h"] in ("S", "W", "南", "西") else degrees
