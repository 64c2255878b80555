"""Helpers for tests that compute with the shipped factor library (``factors/``).

The ``library`` fixture (``conftest.py``) gives the shipped rows in the calculation contract's
columns, as ``active_factors`` gives them from the store; the functions below build activity
rows and read one (activity, pollutant) cell of a result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from calc_rows import activity

from inventory.calc import compute_emissions
from inventory.factors.tables import read_shipped_tables

__all__ = ["activity", "cell", "reason", "run", "shipped_library", "tonnes"]

SELECTOR_COLUMNS = ("pollutant", "fuel", "technology", "product", "vehicle_class", "standard")


def shipped_library() -> pd.DataFrame:
    """Every shipped factor and parameter row, with ids, NaN for empty numbers, None selectors."""
    frame = read_shipped_tables().factors.copy()
    frame["factor_id"] = np.arange(1, len(frame) + 1)
    for column in (*SELECTOR_COLUMNS, "activity_type", "size_unit"):
        frame[column] = frame[column].where(frame[column] != "", None)
    for column in ("size_min", "size_max", "value"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype(float)
    frame["source"] = frame["factor_key"]
    return frame


def run(library: pd.DataFrame, activities: list[dict[str, Any]]) -> Any:
    """``compute_emissions`` of the activities against the library (no controls)."""
    return compute_emissions(pd.DataFrame(activities), library)


def cell(result: Any, activity_id: int, pollutant: str) -> Any:
    """The one emissions row of (activity, pollutant)."""
    rows = result.emissions[
        (result.emissions["activity_id"] == activity_id)
        & (result.emissions["pollutant"] == pollutant)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def tonnes(result: Any, activity_id: int, pollutant: str) -> float:
    """Emissions (t) of the one emissions row of (activity, pollutant)."""
    return float(cell(result, activity_id, pollutant)["emissions_t"])


def reason(result: Any, activity_id: int, pollutant: str) -> str:
    """The gap reason of (activity, pollutant), which must be a gap."""
    rows = result.gaps[
        (result.gaps["activity_id"] == activity_id) & (result.gaps["pollutant"] == pollutant)
    ]
    assert len(rows) == 1, rows
    return str(rows.iloc[0]["reason"])
