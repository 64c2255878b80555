"""The frames a scenario changes: the calculation core's inputs plus the sources' attributes.

``activities``, ``controls`` and ``measured`` follow the calc contract (see the team briefing);
``sources`` has one row per source with the attributes selectors match (``source_id``, ``kind``,
``class_code``, ``sector``, ``region_code``, ``facility``, ``natural_key``, ``fuel``, ``firing``,
``capacity_tph``, ``vehicle_class``, ``standard``, ``machine``, ``stage``, ``material``,
``solvent_type``, ``category``, ``lon``, ``lat``...). ``factors`` and ``efficiencies`` are read,
never changed (flue-gas volumes, calorific values, control efficiencies).

Every row a measure changes carries the measure's id in a ``measure`` column (ids joined with
``+`` in file order when several measures change the same row), so reductions can be attributed
to measures and sources. Rows a measure adds (vehicles moved to 国6, coatings moved to water
based) get negative ``activity_id`` values: they exist only in the scenario.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["MEASURE_COLUMN", "ScenarioInputs", "append_rows", "tag"]

MEASURE_COLUMN = "measure"


@dataclass(frozen=True)
class ScenarioInputs:
    """The input frames of one build, as a scenario sees them (never modified in place)."""

    activities: pd.DataFrame
    controls: pd.DataFrame
    measured: pd.DataFrame
    sources: pd.DataFrame
    factors: pd.DataFrame | None = None
    efficiencies: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        for name in ("activities", "controls", "measured"):
            frame = _plain_text(getattr(self, name))
            object.__setattr__(self, name, frame)
            if MEASURE_COLUMN not in frame.columns:
                frame = frame.copy()
                frame[MEASURE_COLUMN] = pd.Series(
                    [None] * len(frame), index=frame.index, dtype=object
                )
                object.__setattr__(self, name, frame)

    def replace(self, **frames: pd.DataFrame) -> ScenarioInputs:
        """A copy with some frames replaced."""
        return dataclasses.replace(self, **frames)

    def next_activity_ids(self, count: int) -> np.ndarray:
        """``count`` new negative activity ids, below every id in use."""
        lowest = int(min(0, self.activities["activity_id"].min())) if len(self.activities) else 0
        return np.arange(lowest - 1, lowest - 1 - count, -1, dtype="int64")


def _plain_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its categorical columns (the build reader hands the calc core text as
    categoricals) as objects with None for missing: measures write new texts into them."""
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not categorical:
        return frame
    frame = frame.copy()
    for column in categorical:
        objects = frame[column].astype(object)
        frame[column] = objects.where(objects.notna(), None)
    return frame


def tag(frame: pd.DataFrame, mask: pd.Series | np.ndarray, measure_id: str) -> pd.DataFrame:
    """A copy of ``frame`` whose rows under ``mask`` record ``measure_id`` (appended with ``+``)."""
    out = frame.copy()
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return out
    previous = out.loc[mask, MEASURE_COLUMN]
    out.loc[mask, MEASURE_COLUMN] = [
        measure_id
        if prev is None or prev == measure_id or pd.isna(prev)
        else _join(prev, measure_id)
        for prev in previous
    ]
    return out


def _join(previous: str, measure_id: str) -> str:
    parts = previous.split("+")
    return previous if measure_id in parts else f"{previous}+{measure_id}"


def append_rows(frame: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``rows`` appended, keeping ``frame``'s column order and dtypes where possible."""
    if rows.empty:
        return frame
    combined = pd.concat([frame, rows[frame.columns.intersection(rows.columns)]], ignore_index=True)
    for column in frame.columns:
        if frame[column].dtype != combined[column].dtype:
            # mixed content (e.g. None in an int column): keep pandas' choice
            with contextlib.suppress(TypeError, ValueError):
                combined[column] = combined[column].astype(frame[column].dtype)
    return combined
