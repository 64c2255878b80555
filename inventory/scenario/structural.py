"""Actions that change how much a source does: close (optionally moving its activity to another
source), switch fuel, and scale activity by a percentage.

Closed sources keep their rows with zero activity (and zero measured emissions), so the scenario
run still holds a row per source that says which measure took its emissions away.
"""

from __future__ import annotations

import numpy as np

from inventory.errors import ScenarioError
from inventory.scenario.context import MeasureContext
from inventory.scenario.inputs import ScenarioInputs, tag
from inventory.scenario.parameters import calorific_value
from inventory.scenario.selectors import select_sources
from inventory.units import conversion_factor

__all__ = ["close_sources", "scale_activity", "switch_fuel"]

ELECTRICITY = "电"


def close_sources(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Set the activity and measured emissions of the selected sources to zero.

    With ``transfer_to`` (a selector matching exactly one source) a ``transfer_share`` of each
    closed activity is added to the target's activity row of the same fuel, converted to the
    target's unit; the target's measured emissions grow in proportion to its activity.
    """
    ids = ctx.source_ids
    activities = inputs.activities
    closing = activities["source_id"].isin(ids).to_numpy()
    target_spec = ctx.measure.params.get("transfer_to")
    if target_spec is not None:
        inputs = _transfer(inputs, ctx, closing, target_spec)
        activities = inputs.activities
    activities = tag(activities, closing, ctx.measure_id)
    activities.loc[closing, "quantity"] = 0.0
    measured = inputs.measured
    shut = measured["source_id"].isin(ids).to_numpy()
    measured = tag(measured, shut, ctx.measure_id)
    measured.loc[shut, "quantity"] = 0.0
    return inputs.replace(activities=activities, measured=measured)


def _transfer(
    inputs: ScenarioInputs, ctx: MeasureContext, closing: np.ndarray, target_spec: object
) -> ScenarioInputs:
    targets = select_sources(target_spec, inputs, ctx.measure_id)  # type: ignore[arg-type]
    if len(targets) != 1:
        raise ScenarioError(
            ctx.measure_id,
            f"transfer_to must select exactly one source, it selects {len(targets)}",
            "Name the receiving source by its facility and unit (source: <natural key>).",
        )
    target = int(targets[0])
    if target in set(ctx.source_ids.tolist()):
        raise ScenarioError(
            ctx.measure_id, "the transfer target is itself among the closed sources"
        )
    share = float(ctx.measure.params.get("transfer_share") or 1.0)
    activities = inputs.activities.copy()
    at_target = (activities["source_id"] == target).to_numpy()
    before = activities.loc[at_target, "quantity"].to_numpy(dtype="float64").copy()
    moved_any = np.zeros(len(activities), dtype=bool)
    closed = activities.loc[closing]
    for (fuel, unit), group in closed.groupby(["fuel", "unit"], dropna=False, sort=False):
        receivers = np.flatnonzero(at_target & (activities["fuel"] == fuel).to_numpy())
        if len(receivers) == 0:
            ctx.report(
                "not_moved",
                "warning",
                f"the transfer target (source {target}) burns no {fuel}; "
                f"{len(group)} closed activity row(s) of {fuel} were closed without moving",
            )
            continue
        receiver = receivers[0]
        factor = conversion_factor(
            str(unit), str(activities.iloc[receiver]["unit"]), f"measure {ctx.measure_id} transfer"
        )
        activities.iloc[receiver, activities.columns.get_loc("quantity")] += (
            float(group["quantity"].sum()) * factor * share
        )
        moved_any[receiver] = True
    after = activities.loc[at_target, "quantity"].to_numpy(dtype="float64")
    activities = tag(activities, moved_any, ctx.measure_id)
    measured = inputs.measured
    growth = float(after.sum() / before.sum()) if before.sum() > 0 else 1.0
    if growth != 1.0:
        # the receiving plant's measured emissions grow with its activity (same intensity)
        receiving = (measured["source_id"] == target).to_numpy()
        measured = tag(measured, receiving, ctx.measure_id)
        measured.loc[receiving, "quantity"] = measured.loc[receiving, "quantity"] * growth
    return inputs.replace(activities=activities, measured=measured)


def scale_activity(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Multiply the activity (and measured emissions) of the selected sources by 1 + percent/100."""
    percent = float(ctx.measure.params["percent"])
    if percent < -100:
        raise ScenarioError(ctx.measure_id, f"percent {percent:g} would make activity negative")
    factor = 1.0 + percent / 100.0
    activities = inputs.activities
    rows = activities["source_id"].isin(ctx.source_ids).to_numpy()
    activities = tag(activities, rows, ctx.measure_id)
    activities.loc[rows, "quantity"] = activities.loc[rows, "quantity"] * factor
    measured = inputs.measured
    shut = measured["source_id"].isin(ctx.source_ids).to_numpy()
    measured = tag(measured, shut, ctx.measure_id)
    measured.loc[shut, "quantity"] = measured.loc[shut, "quantity"] * factor
    return inputs.replace(activities=activities, measured=measured)


def switch_fuel(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Change the fuel of the selected sources' fuel activity rows to ``to``.

    The quantity becomes ``quantity x quantity_ratio`` in ``unit`` when the file gives a ratio,
    else the same energy through the net calorific values of the factor library (a missing one
    is reported as a gap and those rows stay as they were). Switching to electricity (电) leaves
    no emissions at the source. Sulfur and ash contents are cleared (they described the old fuel)
    and measured emissions of switched sources are dropped (they measured the old fuel).
    """
    params = ctx.measure.params
    new_fuel = str(params["to"])
    activities = inputs.activities.copy()
    rows = (
        activities["source_id"].isin(ctx.source_ids)
        & activities["fuel"].notna()
        & (activities["fuel"] != new_fuel)
    ).to_numpy()
    switched = np.zeros(len(activities), dtype=bool)
    for (fuel, unit), group in activities.loc[rows].groupby(["fuel", "unit"], sort=False):
        index = group.index
        if new_fuel == ELECTRICITY:
            activities.loc[index, "quantity"] = 0.0
        elif params.get("quantity_ratio") is not None:
            activities.loc[index, "quantity"] = group["quantity"] * float(params["quantity_ratio"])
            if params.get("unit"):
                activities.loc[index, "unit"] = params["unit"]
        else:
            converted = _energy_equivalent(inputs, ctx, str(fuel), str(unit), new_fuel)
            if converted is None:
                continue
            factor, new_unit = converted
            activities.loc[index, "quantity"] = group["quantity"] * factor
            activities.loc[index, "unit"] = new_unit
        switched[activities.index.get_indexer(index)] = True
    activities.loc[switched, "fuel"] = new_fuel
    for column in ("sulfur_pct", "ash_pct"):
        if column in activities.columns:
            activities.loc[switched, column] = np.nan
    for column, key in (("class_code", "class"), ("technology", "technology")):
        if params.get(key):
            activities.loc[switched, column] = params[key]
    activities = tag(activities, switched, ctx.measure_id)
    changed_sources = activities.loc[switched, "source_id"].unique()
    measured = inputs.measured
    dropped = measured["source_id"].isin(changed_sources)
    if dropped.any():
        ctx.report(
            "measured_dropped",
            "note",
            f"measured emissions of {int(measured.loc[dropped, 'source_id'].nunique())} source(s) "
            "were dropped: they measured the old fuel",
        )
    sources = inputs.sources.copy()
    moved = sources["source_id"].isin(changed_sources)
    if "fuel" in sources.columns:
        sources.loc[moved, "fuel"] = new_fuel
    if params.get("class") and "class_code" in sources.columns:
        sources.loc[moved, "class_code"] = params["class"]
    return inputs.replace(activities=activities, measured=measured.loc[~dropped], sources=sources)


def _energy_equivalent(
    inputs: ScenarioInputs, ctx: MeasureContext, old_fuel: str, old_unit: str, new_fuel: str
) -> tuple[float, str] | None:
    old = calorific_value(inputs.factors, old_fuel)
    new = calorific_value(inputs.factors, new_fuel)
    if old is None or new is None:
        missing = " and ".join(f for f, v in ((old_fuel, old), (new_fuel, new)) if v is None)
        ctx.report(
            "no_calorific_value",
            "gap",
            f"the factor library has no published net calorific value of {missing}; "
            f"{old_fuel} rows were left unchanged (give quantity_ratio and unit in the measure)",
        )
        return None
    new_unit = str(ctx.measure.params.get("unit") or new.per_unit)
    # quantity [old_unit] x NCV_old [energy/old] / NCV_new [energy/new] -> new_unit
    factor = (
        old.value
        * new.value**-1
        * conversion_factor(
            f"({old_unit}) * ({old.unit}) / ({new.unit})",
            new_unit,
            f"measure {ctx.measure_id} fuel switch",
        )
    )
    return factor, new_unit
