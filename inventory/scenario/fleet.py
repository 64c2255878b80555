"""Actions on fleets and machinery: renew a vehicle fleet, retire old non-road stages.

Moved vehicles or machines become new activity rows of the same source (negative activity ids)
with the new standard (and fuel), keeping their annual kilometres, power, hours and load; so the
source that lost old vehicles is credited with the net change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.scenario.context import MeasureContext
from inventory.scenario.inputs import ScenarioInputs, append_rows, tag
from inventory.scenario.vocabulary import NEW_ENERGY_FUELS, canonical_standard, standard_rank

__all__ = ["renew_fleet", "retire_stages"]

BATTERY_ELECTRIC = "纯电动"


def _standards(activities: pd.DataFrame) -> pd.Series:
    return activities["standard"].map(
        lambda v: canonical_standard(v) if isinstance(v, str) else None
    )


def _split(
    inputs: ScenarioInputs,
    ctx: MeasureContext,
    fraction: np.ndarray,
    new_standard: str | None,
    new_fuel: str | None,
) -> ScenarioInputs:
    """Move ``fraction`` (per activity row) of each row's quantity to a new row of the same
    source with ``new_standard`` (and ``new_fuel``); rows moved entirely change in place."""
    activities = inputs.activities.copy()
    whole = fraction >= 1.0
    part = (fraction > 0) & ~whole
    activities.loc[whole, "standard"] = new_standard
    if new_fuel is not None:
        activities.loc[whole, "fuel"] = new_fuel
    moved = activities.loc[part].copy()
    moved["quantity"] = moved["quantity"].to_numpy() * fraction[part]
    moved["standard"] = new_standard
    if new_fuel is not None:
        moved["fuel"] = new_fuel
    moved["activity_id"] = inputs.next_activity_ids(len(moved))
    moved["measure"] = ctx.measure_id
    activities.loc[part, "quantity"] = activities.loc[part, "quantity"].to_numpy() * (
        1.0 - fraction[part]
    )
    activities = tag(activities, whole | part, ctx.measure_id)
    return inputs.replace(activities=append_rows(activities, moved))


def renew_fleet(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Move vehicles of older standards to ``to_standard`` (and ``to_fuel``).

    ``share``: that fraction of every movable segment. ``target_share``: the oldest vehicles
    first, until clean vehicles (``clean_standards`` or ``clean_fuels``; by default the target
    standard and new-energy fuels) make up that share of the selected fleet's population.
    """
    params = ctx.measure.params
    to_standard = str(params.get("to_standard") or "国6")
    to_fuel = params.get("to_fuel")
    activities = inputs.activities
    rows = (
        activities["source_id"].isin(ctx.source_ids) & (activities["activity_type"] == "population")
    ).to_numpy()
    standards = _standards(activities)
    # an empty list is meaningful (buses: no standard makes a diesel bus "clean energy")
    given_standards, given_fuels = params.get("clean_standards"), params.get("clean_fuels")
    clean_standards = tuple((to_standard,) if given_standards is None else given_standards)
    default_fuels = (to_fuel,) if to_fuel else NEW_ENERGY_FUELS
    clean_fuels = tuple(default_fuels if given_fuels is None else given_fuels)
    clean = (standards.isin(clean_standards) | activities["fuel"].isin(clean_fuels)).to_numpy()
    older = tuple(params.get("from") or tuple(f"国{n}" for n in range(standard_rank(to_standard))))
    movable = rows & ~clean & standards.isin(older).to_numpy()
    population = activities["quantity"].to_numpy(dtype="float64")
    fraction = np.zeros(len(activities))
    if params.get("share") is not None:
        fraction[movable] = float(params["share"])
    else:
        total, already = population[rows].sum(), population[rows & clean].sum()
        needed = float(params["target_share"]) * total - already
        if needed <= 0:
            ctx.report(
                "already_met",
                "note",
                f"clean vehicles are already {already / total:.1%} of the selected fleet"
                if total
                else "no vehicles",
            )
            return inputs
        for standard in sorted(set(standards[movable]), key=standard_rank):
            level = movable & (standards == standard).to_numpy()
            available = population[level].sum()
            take = min(available, needed)
            fraction[level] = take / available if available else 0.0
            needed -= take
            if needed <= 0:
                break
        if needed > 1e-9:
            ctx.report(
                "target_share_unreachable",
                "warning",
                f"even with every older vehicle renewed, {needed:,.0f} vehicles short of the target share",
            )
    # a battery-electric vehicle has no emission standard of its own
    new_standard = None if to_fuel == BATTERY_ELECTRIC else to_standard
    return _split(inputs, ctx, fraction, new_standard, to_fuel)


def retire_stages(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Replace machines of ``stages`` (default 国0 and 国1) by ``to_stage`` machines (share)."""
    params = ctx.measure.params
    activities = inputs.activities
    rows = activities["source_id"].isin(ctx.source_ids).to_numpy()
    old = (
        rows & _standards(activities).isin(tuple(params.get("stages") or ("国0", "国1"))).to_numpy()
    )
    fraction = np.where(old, float(params.get("share") or 1.0), 0.0)
    to_stage = str(params.get("to_stage") or "国4")
    changed = _split(inputs, ctx, fraction, to_stage, None)
    if float(params.get("share") or 1.0) >= 1.0 and "stage" in inputs.sources.columns:
        # every machine of these sources now has the new stage: later selectors see it
        sources = changed.sources.copy()
        retired = sources["source_id"].isin(activities.loc[old, "source_id"])
        sources.loc[retired, "stage"] = to_stage
        changed = changed.replace(sources=sources)
    return changed
