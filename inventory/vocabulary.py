"""Canonical values of coded survey columns (fuels, firing types, vehicle classes, standards...).

Each vocabulary is a data file ``factors/vocabulary/<name>.csv`` with the columns
``canonical,alias`` (one row per alias; a canonical value always matches itself), so that a new
spelling seen in next year's workbooks is a one-line change. :func:`normalise` maps a whole
Series at once: it folds every distinct raw value once (Unicode NFKC, case, spaces, a leading
census code such as ``(3)``), looks it up, and for the values it cannot place suggests the
nearest canonical value ("did you mean ...?").
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from inventory.errors import FactorDataError, NotFound
from inventory.resources import factors_path

__all__ = [
    "Normalised",
    "Vocabulary",
    "canonical_values",
    "fold",
    "load_vocabulary",
    "normalise",
    "vocabulary_names",
]

_CENSUS_CODE = re.compile(r"^\(\d{1,3}\)")
_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "‐": "-", "﹢": "+"})


def fold(text: object) -> str:
    """The lookup key of a raw cell: NFKC-folded, dash-unified, spaceless and case-folded.

    A leading census code in brackets (``（3）层燃炉``) is dropped, so coded and plain spellings
    meet. Full-width characters and Roman-numeral signs fold to ASCII (``国Ⅵ`` -> ``国vi``).
    """
    folded = unicodedata.normalize("NFKC", str(text)).translate(_DASHES)
    folded = _SPACES.sub("", folded)
    folded = _CENSUS_CODE.sub("", folded)
    return folded.casefold()


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary: its canonical values in file order and the folded-alias lookup."""

    name: str
    canonical: tuple[str, ...]
    lookup: Mapping[str, str]

    def suggest(self, raw: str) -> str | None:
        """The canonical value nearest to ``raw`` (None when nothing is close)."""
        key = fold(raw)
        if not key:
            return None
        # a known spelling inside the raw text ("循环流化床锅炉2号") is the best hint
        contained = [alias for alias in self.lookup if len(alias) >= 2 and alias in key]
        if contained:
            return self.lookup[max(contained, key=len)]
        close = difflib.get_close_matches(key, list(self.lookup), n=1, cutoff=0.6)
        return self.lookup[close[0]] if close else None


@dataclass(frozen=True)
class Normalised:
    """The result of :func:`normalise`, aligned with the input Series' index.

    ``values``: canonical value, or None for a missing or unknown cell; ``unknown``: True where
    a non-blank raw value is not in the vocabulary; ``suggestions``: the nearest canonical value
    for each unknown cell (None elsewhere or when nothing is close).
    """

    values: pd.Series
    unknown: pd.Series
    suggestions: pd.Series


def vocabulary_names() -> tuple[str, ...]:
    """Names of the shipped vocabularies (file stems under ``factors/vocabulary/``)."""
    return tuple(sorted(path.stem for path in factors_path("vocabulary").glob("*.csv")))


@lru_cache(maxsize=64)
def load_vocabulary(name: str) -> Vocabulary:
    """Read ``factors/vocabulary/<name>.csv``; an alias naming two canonical values is an error."""
    path = factors_path("vocabulary", f"{name}.csv")
    if not path.exists():
        raise NotFound(
            "vocabulary", name, "Known vocabularies: " + ", ".join(vocabulary_names()) + "."
        )
    canonical: list[str] = []
    lookup: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for number, row in enumerate(rows, start=2):
            value = (row.get("canonical") or "").strip()
            alias = (row.get("alias") or "").strip()
            if not value:
                raise FactorDataError(
                    f"vocabulary/{name}.csv", "a row has no canonical value", number
                )
            if value not in canonical:
                canonical.append(value)
            for spelling in (value, alias):
                if not spelling:
                    continue
                key = fold(spelling)
                if lookup.get(key, value) != value:
                    raise FactorDataError(
                        f"vocabulary/{name}.csv",
                        f"{spelling!r} names both {lookup[key]!r} and {value!r}",
                        number,
                    )
                lookup[key] = value
    # canonical values win over an alias of another value that folds the same way
    for value in canonical:
        lookup[fold(value)] = value
    return Vocabulary(name, tuple(canonical), lookup)


def canonical_values(name: str) -> tuple[str, ...]:
    """The canonical values of a vocabulary, in file order (for dropdown lists)."""
    return load_vocabulary(name).canonical


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and not value.strip()


def normalise(
    raw: pd.Series, vocabulary: str, extra_aliases: Mapping[str, str] | None = None
) -> Normalised:
    """Map raw survey values to the canonical values of ``vocabulary``.

    Work is done once per distinct raw value, never per row. ``extra_aliases`` (raw spelling ->
    canonical value) lets a caller add a user's own spellings without editing shipped files.
    Blank cells (None, NaN, NaT, NA, whitespace) give None and are not unknown.
    """
    vocab = load_vocabulary(vocabulary)
    lookup = dict(vocab.lookup)
    if extra_aliases:
        lookup.update({fold(alias): value for alias, value in extra_aliases.items()})
    # one slot per distinct value, the last one for blank cells (code -1): no dict-to-Series
    # mapping of the whole column (three Series.map calls cost more than the lookups)
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    mapped = np.full(len(uniques) + 1, None, dtype=object)
    unknown = np.zeros(len(uniques) + 1, dtype=bool)
    suggestion = np.full(len(uniques) + 1, None, dtype=object)
    for i, value in enumerate(uniques):
        if _is_blank(value):
            continue
        canonical = lookup.get(fold(value))
        mapped[i] = canonical
        unknown[i] = canonical is None
        suggestion[i] = vocab.suggest(str(value)) if canonical is None else None
    values = pd.Series(mapped[codes], index=raw.index, dtype=object)
    is_unknown = pd.Series(unknown[codes], index=raw.index)
    hints = pd.Series(suggestion[codes], index=raw.index, dtype=object)
    return Normalised(
        values=values.rename(raw.name),
        unknown=is_unknown.rename(raw.name),
        suggestions=hints.rename(raw.name),
    )
