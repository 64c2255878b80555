"""Scenarios: control measures applied to a base inventory, and the reductions they bring.

A scenario is a YAML file (``docs/scenarios.md``): a name, a base year, targets and measures,
each a selector over the sources and an action. :func:`load_scenario` reads and checks it;
:func:`apply_scenario` applies it to the input frames of a build (pure: frames in, frames out,
every changed row recording its measure); :func:`reductions_frame` compares a stored scenario
run with its base run by sector, county, measure or source, and says whether targets are met.
"""

from inventory.scenario.apply import ACTIONS, ScenarioOutcome, apply_scenario
from inventory.scenario.attribution import measure_labels
from inventory.scenario.context import Finding
from inventory.scenario.inputs import MEASURE_COLUMN, ScenarioInputs
from inventory.scenario.loader import load_scenario, parse_scenario
from inventory.scenario.model import Measure, Scenario, Selector, Target
from inventory.scenario.reductions import (
    REDUCTION_KEYS,
    compute_reductions,
    evaluate_targets,
    reductions_frame,
)
from inventory.scenario.selectors import select_sources

__all__ = [
    "ACTIONS",
    "MEASURE_COLUMN",
    "REDUCTION_KEYS",
    "Finding",
    "Measure",
    "Scenario",
    "ScenarioInputs",
    "ScenarioOutcome",
    "Selector",
    "Target",
    "apply_scenario",
    "compute_reductions",
    "evaluate_targets",
    "load_scenario",
    "measure_labels",
    "parse_scenario",
    "reductions_frame",
    "select_sources",
    "shipped_scenario",
]


def shipped_scenario(name: str = "tongliao-2025") -> str:
    """Path (as text) of a scenario file that ships with the package."""
    from inventory.resources import package_path

    return str(package_path("scenarios", f"{name}.yaml"))
