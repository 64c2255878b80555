"""County selectors may name a region by its six-digit code or its Chinese or English name."""

from __future__ import annotations

import csv
from functools import lru_cache

from inventory.resources import factors_path

__all__ = ["region_code"]


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    with factors_path("regions.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        names: dict[str, str] = {}
        for row in rows:
            for key in ("code", "name", "name_en"):
                if row.get(key):
                    names[row[key].strip().lower()] = row["code"].strip()
        return names


def region_code(text: str) -> str:
    """The six-digit code of a region given by code or name (``科尔沁区`` -> ``150502``).

    Raises ValueError naming the text when no shipped region has that code or name.
    """
    code = _names().get(text.strip().lower())
    if code is None:
        raise ValueError(f"{text!r} is not a region code or name in factors/regions.csv")
    return code
