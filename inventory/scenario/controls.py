"""Actions on end-of-pipe controls: add or upgrade a control, and meet an emission limit.

Efficiencies combine over the devices of a source as 1 - prod(1 - capture x eta x operating
rate), the series rule of the calculation core, so a combination never passes 100 %; a single efficiency past
100 % is refused when the file is read. Measured emissions of a source that gets a better
control fall by (1 - new combined) / (1 - old combined).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.errors import ScenarioError
from inventory.scenario.context import MeasureContext
from inventory.scenario.inputs import ScenarioInputs, append_rows, tag
from inventory.scenario.parameters import flue_gas_volume
from inventory.units import conversion_factor

__all__ = ["add_control", "combined_efficiency", "meet_emission_limit"]


def _table(inputs: ScenarioInputs) -> pd.DataFrame:
    table = inputs.efficiencies
    if table is None:
        return pd.DataFrame(columns=["technology", "pollutant", "efficiency"])
    return table


def _explicit(controls: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Controls with one row per pollutant (a device without one covers its table's pollutants)."""
    named = controls.loc[controls["pollutant"].notna()]
    blank = controls.loc[controls["pollutant"].isna()].drop(columns=["pollutant"])
    expanded = (
        blank.reset_index()
        .merge(table[["technology", "pollutant"]].drop_duplicates(), on="technology", how="inner")
        .set_index("index")
    )
    return pd.concat([named, expanded[controls.columns]])


def combined_efficiency(
    inputs: ScenarioInputs, controls: pd.DataFrame, pollutant: str
) -> pd.Series:
    """Combined effective efficiency (fraction) for one pollutant, indexed by source_id."""
    table = _table(inputs)
    rows = _explicit(controls, table)
    rows = rows.loc[rows["pollutant"] == pollutant]
    if rows.empty:
        return pd.Series(dtype="float64")
    looked_up = rows.merge(
        table[["technology", "pollutant", "efficiency"]].rename(columns={"efficiency": "_table"}),
        on=["technology", "pollutant"],
        how="left",
    )
    eta = (
        looked_up["efficiency"]
        .astype("float64")
        .fillna(looked_up["_table"].astype("float64"))
        .fillna(0.0)
    )
    rate = looked_up["operating_rate"].astype("float64").fillna(1.0)
    capture = looked_up["capture"].astype("float64").fillna(1.0)
    passing = (1.0 - capture * eta * rate).groupby(looked_up["source_id"].to_numpy()).prod()
    return 1.0 - passing


def add_control(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Add a control device (technology from the control table, or an explicit efficiency).

    A technology the control table has no efficiency for (and none given) is reported as a
    gap and the measure is not applied.

    With ``replace: true`` the selected sources' existing devices for the same pollutants are
    removed first (an upgrade); otherwise the new device works in series with them.
    """
    params = ctx.measure.params
    technology = str(params["technology"])
    table = _table(inputs)
    in_table = tuple(table.loc[table["technology"] == technology, "pollutant"].unique())
    pollutants: tuple[str, ...] = tuple(params.get("pollutants") or ())
    efficiency = params.get("efficiency")
    if efficiency is None:
        if in_table:
            missing = [p for p in pollutants if p not in in_table]
        else:
            missing = list(pollutants) or ["any pollutant"]
        if missing:
            ctx.report(
                "no_efficiency",
                "gap",
                f"the control table has no published efficiency of {technology!r} for "
                f"{', '.join(missing)}: the measure was not applied (give the efficiency in the "
                "measure, or add the technology to a local factor set)",
            )
            return inputs
    elif not pollutants:
        raise ScenarioError(
            ctx.measure_id,
            "an explicit efficiency needs the pollutants it applies to",
            "Add pollutants: [NOx] (for example) to the action.",
        )
    covered = pollutants or in_table
    ids = ctx.source_ids
    controls = inputs.controls
    before = {p: combined_efficiency(inputs, controls, p) for p in covered}
    if params.get("replace"):
        mine = controls["source_id"].isin(ids)
        explicit = _explicit(controls.loc[mine], table)
        controls = pd.concat(
            [controls.loc[~mine], explicit.loc[~explicit["pollutant"].isin(covered)]]
        )
        controls = controls.reset_index(drop=True)
    new_rows = pd.DataFrame(
        {
            "source_id": np.repeat(ids, len(pollutants) or 1).astype("int64"),
            "technology": technology,
            "pollutant": np.tile(np.array(pollutants or (None,), dtype=object), len(ids)),
            "efficiency": np.nan if efficiency is None else float(efficiency),
            "operating_rate": np.nan
            if params.get("operating_rate") is None
            else float(params["operating_rate"]),
            "capture": np.nan if params.get("capture") is None else float(params["capture"]),
            "measure": ctx.measure_id,
        }
    )
    controls = append_rows(controls, new_rows)
    measured = inputs.measured
    for pollutant in covered:
        after = combined_efficiency(inputs, controls, pollutant)
        measured = _scale_measured(
            measured, ids, pollutant, before[pollutant], after, ctx.measure_id
        )
    return inputs.replace(controls=controls, measured=measured)


def _scale_measured(
    measured: pd.DataFrame,
    ids: np.ndarray,
    pollutant: str,
    before: pd.Series,
    after: pd.Series,
    measure_id: str,
) -> pd.DataFrame:
    rows = (measured["source_id"].isin(ids) & (measured["pollutant"] == pollutant)).to_numpy()
    if not rows.any():
        return measured
    source = measured.loc[rows, "source_id"]
    old = source.map(before).fillna(0.0).to_numpy()
    new = source.map(after).fillna(0.0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(old < 1.0, (1.0 - new) / (1.0 - old), 1.0)
    measured = tag(measured, rows, measure_id)
    measured.loc[rows, "quantity"] = measured.loc[rows, "quantity"].to_numpy() * factor
    return measured


def meet_emission_limit(inputs: ScenarioInputs, ctx: MeasureContext) -> ScenarioInputs:
    """Cap each selected source at concentration limit x flue-gas volume x fuel used (t/yr).

    The flue-gas volume per unit of fuel comes from the factor library (most specific row for
    the source's class and fuel); sources without one are reported as a gap and left unchanged.
    A source above its cap gets a limit device whose efficiency brings it exactly to the cap; a
    source with measured emissions has them lowered to the cap; a source below it is untouched.
    """
    if ctx.compute is None:
        raise ScenarioError(
            ctx.measure_id, "an emission limit needs the calculation core to know current emissions"
        )
    params = ctx.measure.params
    limits: dict[str, float] = params["limits"]
    concentration_unit = str(params.get("concentration_unit") or "mg/m3")
    caps = _caps_per_source(inputs, ctx, concentration_unit)
    if caps.empty:
        return inputs
    subset = _subset(inputs, caps.index.to_numpy())
    emissions = ctx.compute(subset)
    controls, measured = inputs.controls, inputs.measured
    new_devices = []
    for pollutant, limit in limits.items():
        cap_t = caps * limit
        rows = emissions.loc[emissions["pollutant"] == pollutant]
        is_measured = rows["method"] == "measured"
        by_factor = rows.loc[~is_measured].groupby("source_id")["emissions_t"].sum()
        measured_sources = set(rows.loc[is_measured, "source_id"].tolist())
        over = by_factor[
            (by_factor > cap_t.reindex(by_factor.index)) & ~by_factor.index.isin(measured_sources)
        ]
        if len(over):
            new_devices.append(
                pd.DataFrame(
                    {
                        "source_id": over.index.to_numpy(dtype="int64"),
                        "technology": f"{ctx.measure_id}: {pollutant} <= {limit:g} {concentration_unit}",
                        "pollutant": pollutant,
                        "efficiency": 1.0 - cap_t.reindex(over.index).to_numpy() / over.to_numpy(),
                        "operating_rate": 1.0,
                        "capture": np.nan,
                        "measure": ctx.measure_id,
                    }
                )
            )
        measured = _cap_measured(measured, pollutant, cap_t, ctx.measure_id)
        untouched = len(caps) - len(over)
        if untouched:
            ctx.report(
                "limit_met",
                "note",
                f"{untouched} source(s) already meet {pollutant} <= {limit:g} {concentration_unit}",
            )
    for devices in new_devices:
        controls = append_rows(controls, devices)
    return inputs.replace(controls=controls, measured=measured)


def _caps_per_source(
    inputs: ScenarioInputs, ctx: MeasureContext, concentration_unit: str
) -> pd.Series:
    """Flue-gas mass per unit concentration (t per mg/m3 written in ``concentration_unit``)."""
    activities = inputs.activities
    rows = activities.loc[activities["source_id"].isin(ctx.source_ids) & activities["fuel"].notna()]
    if rows.empty:
        return pd.Series(dtype="float64")
    per_row = pd.Series(np.nan, index=rows.index)
    for (class_code, fuel, unit), group in rows.groupby(
        ["class_code", "fuel", "unit"], dropna=False, sort=False
    ):
        volume = flue_gas_volume(inputs.factors, class_code, fuel)
        if volume is None:
            continue
        factor = conversion_factor(
            f"({unit}) * ({volume.unit}) * ({concentration_unit})",
            "t",
            f"measure {ctx.measure_id} limit",
        )
        per_row.loc[group.index] = (
            group["quantity"].to_numpy(dtype="float64") * volume.value * factor
        )
    missing = rows.loc[per_row.isna(), "source_id"].unique()
    if len(missing):
        pairs = rows.loc[per_row.isna(), ["class_code", "fuel"]].drop_duplicates()
        described = "; ".join(f"{c} {f}" for c, f in pairs.itertuples(index=False))
        ctx.report(
            "no_flue_gas_volume",
            "gap",
            f"the factor library has no published flue-gas volume per unit of fuel for {described}: "
            f"{len(missing)} source(s) left unchanged",
        )
    complete = ~rows["source_id"].isin(missing)
    return per_row[complete].groupby(rows.loc[complete, "source_id"]).sum()


def _subset(inputs: ScenarioInputs, ids: np.ndarray) -> ScenarioInputs:
    return inputs.replace(
        activities=inputs.activities.loc[inputs.activities["source_id"].isin(ids)],
        controls=inputs.controls.loc[inputs.controls["source_id"].isin(ids)],
        measured=inputs.measured.loc[inputs.measured["source_id"].isin(ids)],
        sources=inputs.sources.loc[inputs.sources["source_id"].isin(ids)],
    )


def _cap_measured(
    measured: pd.DataFrame, pollutant: str, cap_t: pd.Series, measure_id: str
) -> pd.DataFrame:
    rows = (
        measured["source_id"].isin(cap_t.index) & (measured["pollutant"] == pollutant)
    ).to_numpy()
    if not rows.any():
        return measured
    picked = measured.loc[rows]
    per_unit = {
        u: conversion_factor("t", str(u), "measured emission") for u in picked["unit"].unique()
    }
    to_unit = picked["unit"].map(per_unit).to_numpy(dtype="float64")
    cap = picked["source_id"].map(cap_t).to_numpy() * to_unit
    lowered = picked["quantity"].to_numpy() > cap
    if not lowered.any():
        return measured
    changed = np.zeros(len(measured), dtype=bool)
    changed[np.flatnonzero(rows)[lowered]] = True
    measured = tag(measured, changed, measure_id)
    measured.loc[changed, "quantity"] = cap[lowered]
    return measured
