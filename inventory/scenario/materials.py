"""Area and material actions: substitute solvent-based materials, and raise straw utilisation so
that open burning falls."""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.errors import ScenarioError
from inventory.scenario.context import MeasureContext
from inventory.scenario.inputs import ScenarioInputs, append_rows, tag
from inventory.units import conversion_factor

__all__ = ["reduce_open_burning", "substitute_materials"]

_SELECTOR_COLUMNS = ("technology", "product", "fuel")  # where an activity row may name its type


def substitute_materials(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Move use from ``from_type`` (solvent-based) materials to ``to_type`` (water-based).

    ``points``: the solvent-based share of the selected materials' total use (by mass) falls by
    that many percentage points. ``solvent_use_percent``: solvent-based use falls by that per
    cent. The moved use becomes new rows of the same sources with the substitute's VOC content:
    ``to_voc_content_pct`` when given, else the use-weighted content of the selected rows that
    already are of ``to_type`` (none: a gap, the measure is not applied).
    """
    params = ctx.measure.params
    from_type, to_type = (
        str(params.get("from_type") or "溶剂型"),
        str(params.get("to_type") or "水性"),
    )
    if "solvent_type" not in inputs.sources.columns:
        raise ScenarioError(
            ctx.measure_id, "the sources have no solvent_type attribute to substitute"
        )
    activities = inputs.activities
    types = activities["source_id"].map(inputs.sources.set_index("source_id")["solvent_type"])
    rows = activities["source_id"].isin(ctx.source_ids).to_numpy()
    tonnes = _in_tonnes(
        activities["quantity"].to_numpy(dtype="float64"), activities["unit"], rows, ctx
    )
    solvent = rows & (types == from_type).to_numpy()
    total, solvent_use = tonnes[rows].sum(), tonnes[solvent].sum()
    if solvent_use <= 0:
        ctx.report("already_met", "note", f"the selected materials include no {from_type} use")
        return inputs
    if params.get("points") is not None:
        moved = min(solvent_use, float(params["points"]) / 100.0 * total)
    else:
        moved = float(params["solvent_use_percent"]) / 100.0 * solvent_use
    fraction = moved / solvent_use
    content = params.get("to_voc_content_pct")
    has_content = solvent & activities["voc_content_pct"].notna().to_numpy()
    if content is None and has_content.any():
        substitutes = (
            rows & (types == to_type).to_numpy() & activities["voc_content_pct"].notna().to_numpy()
        )
        if not substitutes.any() or tonnes[substitutes].sum() <= 0:
            ctx.report(
                "no_substitute_content",
                "gap",
                f"no {to_type} material among the selected sources tells its VOC content; "
                "give to_voc_content_pct (a published or measured value) in the measure",
            )
            return inputs
        weights = tonnes[substitutes]
        content = float(
            np.average(
                activities.loc[substitutes, "voc_content_pct"].to_numpy(dtype="float64"),
                weights=weights,
            )
        )
    new = activities.loc[solvent].copy()
    new["quantity"] = new["quantity"].to_numpy() * fraction
    for column in _SELECTOR_COLUMNS:
        if column in new.columns:
            new.loc[new[column] == from_type, column] = to_type
    new.loc[new["voc_content_pct"].notna(), "voc_content_pct"] = content
    new["activity_id"] = inputs.next_activity_ids(len(new))
    new["measure"] = ctx.measure_id
    changed = tag(activities, solvent, ctx.measure_id)
    changed.loc[solvent, "quantity"] = changed.loc[solvent, "quantity"].to_numpy() * (
        1.0 - fraction
    )
    return inputs.replace(activities=append_rows(changed, new))


def _in_tonnes(
    quantity: np.ndarray, units: pd.Series, rows: np.ndarray, ctx: MeasureContext
) -> np.ndarray:
    """Material use in t where ``rows`` (0 elsewhere), converting once per distinct unit."""
    factors = {
        unit: conversion_factor(str(unit), "t", f"measure {ctx.measure_id}: material use")
        for unit in units[rows].unique()
    }
    per_row = units.map(factors).to_numpy(dtype="float64")
    return np.where(rows, quantity * np.nan_to_num(per_row), 0.0)


def reduce_open_burning(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Scale open burning by (1 - target utilisation) / (1 - baseline utilisation).

    The straw that is not used is burned in the same proportion as before: raising the
    comprehensive utilisation rate from the baseline to the target shrinks the unused straw,
    and the burned part with it.
    """
    params = ctx.measure.params
    target, baseline = float(params["utilisation_rate"]), float(params["baseline_utilisation_rate"])
    if target <= baseline:
        ctx.report(
            "already_met", "note", f"utilisation {baseline:.0%} already reaches {target:.0%}"
        )
        return inputs
    factor = (1.0 - target) / (1.0 - baseline)
    activities = inputs.activities
    rows = activities["source_id"].isin(ctx.source_ids).to_numpy()
    activities = tag(activities, rows, ctx.measure_id)
    activities.loc[rows, "quantity"] = activities.loc[rows, "quantity"].to_numpy() * factor
    return inputs.replace(activities=activities)
