"""What a scenario file says, as typed values: the scenario, its targets, measures and selectors.

These are plain frozen dataclasses built by :mod:`inventory.scenario.loader`; fractions are
0-1 floats (the file may write ``0.95`` or ``"95%"``), percentages and points are numbers as
written (``-10`` means minus ten per cent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CATEGORICAL_SELECTORS",
    "RANGE_SELECTORS",
    "ControlCondition",
    "Measure",
    "Range",
    "Scenario",
    "Selector",
    "Target",
    "WithinCondition",
]

CATEGORICAL_SELECTORS: dict[str, str] = {
    # selector key in the file -> column of the sources frame it is matched against
    "kind": "kind",
    "sector": "sector",
    "county": "region_code",
    "facility": "facility",
    "source": "natural_key",
    "unit_type": "unit_type",
    "fuel": "fuel",
    "firing": "firing",
    "process": "process",
    "product": "product",
    "vehicle_class": "vehicle_class",
    "standard": "standard",
    "stage": "stage",
    "machine": "machine",
    "material": "material",
    "solvent_type": "solvent_type",
    "category": "category",
}
"""Selectors that match a value (or any of a list of values) exactly, and their columns."""

RANGE_SELECTORS: dict[str, str] = {
    "capacity_tph": "capacity_tph",
    "capacity_mw": "capacity_mw",
    "power_kw": "power_kw",
}
"""Selectors that match a numeric range, and their columns (t/h, MW, kW)."""


@dataclass(frozen=True)
class Range:
    """A numeric range: ``min``/``max`` inclusive, ``above``/``below`` exclusive (None = open)."""

    min: float | None = None
    max: float | None = None
    above: float | None = None
    below: float | None = None


@dataclass(frozen=True)
class ControlCondition:
    """A control is present (or absent): any device, or one of ``technologies``/``pollutants``."""

    present: bool = True
    technologies: tuple[str, ...] = ()
    pollutants: tuple[str, ...] = ()


@dataclass(frozen=True)
class WithinCondition:
    """Sources within ``distance_km`` of any source matched by ``of`` (needs lon/lat)."""

    distance_km: float
    of: Selector


@dataclass(frozen=True)
class Selector:
    """Which sources a measure touches: every condition must hold (AND); lists mean any of."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    classes: tuple[str, ...] = ()  # classification code prefixes, any level
    ranges: dict[str, Range] = field(default_factory=dict)
    control: ControlCondition | None = None
    within: WithinCondition | None = None

    def describe(self) -> str:
        """A short readable form of the selector (for messages)."""
        parts = [f"{key}={'|'.join(vals)}" for key, vals in self.values.items()]
        if self.classes:
            parts.append(f"class={'|'.join(self.classes)}")
        for key, rng in self.ranges.items():
            bounds = {k: v for k, v in vars(rng).items() if v is not None}
            parts.append(f"{key}{bounds}")
        if self.control is not None:
            parts.append(f"control{'+' if self.control.present else '-'}")
        if self.within is not None:
            parts.append(f"within {self.within.distance_km:g} km")
        return ", ".join(parts) or "every source"


@dataclass(frozen=True)
class Measure:
    """One measure: an id (stored on every changed result row), a selector and an action.

    ``params`` holds the action's fields, already checked and converted by the loader.
    """

    id: str
    name: str
    action: str
    select: Selector
    params: dict[str, Any] = field(default_factory=dict)
    plan: str | None = None  # the plan's own measure number, e.g. "[7]"
    note: str | None = None


@dataclass(frozen=True)
class Target:
    """A reduction target: at least ``reduction_t`` tonnes (None = not filled in yet)."""

    pollutant: str
    reduction_t: float | None = None
    county: str | None = None  # region code; None = city-wide
    note: str | None = None

    @property
    def label(self) -> str:
        """Readable name of the target (pollutant and scope)."""
        return f"{self.pollutant} {'city-wide' if self.county is None else self.county}"


@dataclass(frozen=True)
class Scenario:
    """A named set of measures applied in file order on top of a base inventory."""

    name: str
    base_year: int
    measures: tuple[Measure, ...]
    targets: tuple[Target, ...] = ()
    description: str | None = None
    source_text: str = ""  # the YAML text it was read from (stored with the run)
