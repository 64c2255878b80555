"""Apply a scenario's measures, in file order, to the input frames of a base build (pure).

Reports, beside the changed frames: selectors that match nothing (a warning naming the
measure), measures skipped because a parameter is still to be filled in, sources changed by
more than one measure (applied in file order), and every gap or note the actions found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from inventory.scenario.context import FINDING_COLUMNS, ComputeEmissions, Finding, MeasureContext
from inventory.scenario.controls import add_control, meet_emission_limit
from inventory.scenario.fleet import renew_fleet, retire_stages
from inventory.scenario.inputs import ScenarioInputs
from inventory.scenario.materials import reduce_open_burning, substitute_materials
from inventory.scenario.model import Scenario
from inventory.scenario.selectors import select_sources
from inventory.scenario.structural import close_sources, scale_activity, switch_fuel

__all__ = ["ACTIONS", "ScenarioOutcome", "apply_scenario"]

Action = Callable[[ScenarioInputs, MeasureContext], ScenarioInputs]

ACTIONS: dict[str, Action] = {
    "close": close_sources,
    "switch_fuel": switch_fuel,
    "scale": scale_activity,
    "add_control": add_control,
    "emission_limit": meet_emission_limit,
    "renew_fleet": renew_fleet,
    "retire_stages": retire_stages,
    "substitute_materials": substitute_materials,
    "reduce_open_burning": reduce_open_burning,
}
"""The function behind each action name of a scenario file."""


@dataclass(frozen=True)
class ScenarioOutcome:
    """The changed frames and what happened on the way.

    ``selections``: one row per (measure, source_id) selected. ``overlaps``: one row per source
    changed by several measures (``measures``: ids joined with ``+`` in file order).
    ``findings``: measure, code, severity, source_id, message.
    """

    inputs: ScenarioInputs
    selections: pd.DataFrame
    overlaps: pd.DataFrame
    findings: pd.DataFrame

    @property
    def warnings(self) -> pd.DataFrame:
        """Findings that are warnings or gaps (not notes)."""
        return self.findings.loc[self.findings["severity"] != "note"]


def apply_scenario(
    scenario: Scenario, inputs: ScenarioInputs, compute: ComputeEmissions | None = None
) -> ScenarioOutcome:
    """Apply every measure of ``scenario`` to ``inputs`` in file order; frames in, frames out.

    ``compute`` (inputs -> emissions frame) is needed only by emission-limit measures.
    """
    findings: list[Finding] = []
    selections = []
    for measure in scenario.measures:
        ids = select_sources(measure.select, inputs, measure.id)
        ctx = MeasureContext(measure, ids, compute, findings)
        if len(ids) == 0:
            ctx.report(
                "no_match",
                "warning",
                f"the selector ({measure.select.describe()}) matches no source",
            )
            continue
        unfilled = measure.params.get("unfilled") or ()
        if unfilled:
            ctx.report(
                "unfilled",
                "warning",
                f"{', '.join(unfilled)} is still to be filled in; the measure was not applied "
                f"to its {len(ids)} source(s)",
            )
            continue
        selections.append(pd.DataFrame({"measure": measure.id, "source_id": ids}))
        inputs = ACTIONS[measure.action](inputs, ctx)
    selected = (
        pd.concat(selections, ignore_index=True)
        if selections
        else pd.DataFrame(
            {"measure": pd.Series(dtype=object), "source_id": pd.Series(dtype="int64")}
        )
    )
    overlaps = _overlaps(selected, findings)
    frame = pd.DataFrame([vars(f) for f in findings], columns=FINDING_COLUMNS)
    frame["source_id"] = frame["source_id"].astype("Int64")
    return ScenarioOutcome(inputs, selected, overlaps, frame)


def _overlaps(selected: pd.DataFrame, findings: list[Finding]) -> pd.DataFrame:
    """Sources selected by more than one applied measure, and one warning per group of them."""
    if selected.empty:
        return pd.DataFrame(
            {"source_id": pd.Series(dtype="int64"), "measures": pd.Series(dtype=object)}
        )
    order = {m: i for i, m in enumerate(dict.fromkeys(selected["measure"]))}
    ranked = selected.assign(_order=selected["measure"].map(order)).sort_values(
        ["source_id", "_order"]
    )
    per_source = ranked.groupby("source_id")["measure"].agg(list)
    several = per_source[per_source.map(len) > 1]
    overlaps = pd.DataFrame(
        {
            "source_id": several.index.to_numpy(dtype="int64"),
            "measures": ["+".join(m) for m in several],
        }
    )
    for measures, group in overlaps.groupby("measures", sort=False):
        first = str(measures).split("+")[0]
        findings.append(
            Finding(
                first,
                "overlap",
                "warning",
                f"measures {' and '.join(str(measures).split('+'))} all select {len(group)} source(s) "
                f"(e.g. source {int(group['source_id'].iloc[0])}); they were applied in file order",
            )
        )
    return overlaps
