"""Evaluate a measure's selector over the sources frame: which source ids does it touch?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.errors import ScenarioError
from inventory.scenario.inputs import ScenarioInputs
from inventory.scenario.model import (
    CATEGORICAL_SELECTORS,
    RANGE_SELECTORS,
    ControlCondition,
    Range,
    Selector,
    WithinCondition,
)
from inventory.scenario.vocabulary import canonical_standard

__all__ = ["select_sources"]

_EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius


def select_sources(selector: Selector, inputs: ScenarioInputs, measure_id: str = "") -> np.ndarray:
    """The source ids (int64, sorted) that match every condition of ``selector``.

    Raises :class:`ScenarioError` when a condition needs a column the sources frame lacks.
    """
    sources = inputs.sources
    mask = _mask(selector, inputs, measure_id)
    return np.sort(sources.loc[mask, "source_id"].to_numpy(dtype="int64"))


def _mask(selector: Selector, inputs: ScenarioInputs, measure_id: str) -> np.ndarray:
    sources = inputs.sources
    mask = np.ones(len(sources), dtype=bool)
    for key, wanted in selector.values.items():
        mask &= _categorical(sources, key, wanted, measure_id)
    if selector.classes:
        codes = _column(sources, "class_code", measure_id).fillna("").astype(str)
        mask &= np.logical_or.reduce(
            [codes.str.startswith(prefix).to_numpy() for prefix in selector.classes]
        )
    for key, bounds in selector.ranges.items():
        mask &= _in_range(_column(sources, RANGE_SELECTORS[key], measure_id), bounds)
    if selector.control is not None:
        mask &= _has_control(sources, inputs.controls, selector.control)
    if selector.within is not None:
        mask &= _within(inputs, selector.within, measure_id)
    return mask


def _column(sources: pd.DataFrame, column: str, measure_id: str) -> pd.Series:
    if column not in sources.columns:
        raise ScenarioError(
            measure_id,
            f"its selector needs the source attribute {column!r}, which the inventory does not have",
            "Remove that selector or load the attribute with the survey workbooks.",
        )
    return sources[column]


def _categorical(
    sources: pd.DataFrame, key: str, wanted: tuple[str, ...], measure_id: str
) -> np.ndarray:
    if key in ("standard", "stage"):
        # on-road standards and non-road stages share one vocabulary; match either column
        columns = [c for c in ("standard", "stage") if c in sources.columns]
        if not columns:
            _column(sources, key, measure_id)
        values = sources[columns].bfill(axis=1).iloc[:, 0]
        canonical = values.map(lambda v: canonical_standard(v) if isinstance(v, str) else None)
        return np.asarray(canonical.isin(wanted), dtype=bool)
    column = _column(sources, CATEGORICAL_SELECTORS[key], measure_id)
    if key == "facility" and "facility_name" in sources.columns:
        return np.asarray(column.isin(wanted) | sources["facility_name"].isin(wanted), dtype=bool)
    return np.asarray(column.isin(wanted), dtype=bool)


def _in_range(values: pd.Series, bounds: Range) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    mask = ~np.isnan(numbers)
    with np.errstate(invalid="ignore"):
        if bounds.min is not None:
            mask &= numbers >= bounds.min
        if bounds.max is not None:
            mask &= numbers <= bounds.max
        if bounds.above is not None:
            mask &= numbers > bounds.above
        if bounds.below is not None:
            mask &= numbers < bounds.below
    return np.asarray(mask, dtype=bool)


def _has_control(
    sources: pd.DataFrame, controls: pd.DataFrame, condition: ControlCondition
) -> np.ndarray:
    matching = pd.Series(True, index=controls.index)
    if condition.technologies:
        matching &= controls["technology"].isin(condition.technologies)
    if condition.pollutants:
        # a device without a pollutant covers every pollutant its technology removes
        matching &= controls["pollutant"].isin(condition.pollutants) | controls["pollutant"].isna()
    controlled = sources["source_id"].isin(controls.loc[matching, "source_id"]).to_numpy()
    return np.asarray(controlled if condition.present else ~controlled, dtype=bool)


def _within(inputs: ScenarioInputs, condition: WithinCondition, measure_id: str) -> np.ndarray:
    sources = inputs.sources
    lon = pd.to_numeric(_column(sources, "lon", measure_id), errors="coerce").to_numpy(
        dtype="float64"
    )
    lat = pd.to_numeric(_column(sources, "lat", measure_id), errors="coerce").to_numpy(
        dtype="float64"
    )
    anchors = _mask(condition.of, inputs, measure_id) & ~np.isnan(lon) & ~np.isnan(lat)
    if not anchors.any():
        return np.zeros(len(sources), dtype=bool)
    # great-circle (haversine) distance of every source to every anchor: sources x anchors
    phi1, phi2 = np.radians(lat)[:, None], np.radians(lat[anchors])[None, :]
    dphi = phi2 - phi1
    dlam = np.radians(lon[anchors])[None, :] - np.radians(lon)[:, None]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    distance = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    with np.errstate(invalid="ignore"):
        near = (
            np.nanmin(np.where(np.isnan(distance), np.inf, distance), axis=1)
            <= condition.distance_km
        )
    return np.asarray(near & ~anchors, dtype=bool)  # the anchor itself is not "near" itself
