"""What an action receives besides the frames: its measure, the selected sources, a way to
compute emissions (for limits) and a list to report findings into."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inventory.scenario.inputs import ScenarioInputs
from inventory.scenario.model import Measure

__all__ = ["FINDING_COLUMNS", "ComputeEmissions", "Finding", "MeasureContext"]

ComputeEmissions = Callable[[ScenarioInputs], pd.DataFrame]
"""Emissions (calc contract columns) of the given inputs; used by emission limits only."""

FINDING_COLUMNS = ["measure", "code", "severity", "source_id", "message"]


@dataclass(frozen=True)
class Finding:
    """Something a scenario run reports: a warning, a gap in the factor library, or a note.

    ``code`` is stable: ``no_match``, ``overlap``, ``unfilled``, ``no_flue_gas_volume``,
    ``no_calorific_value``, ``no_efficiency``, ``no_substitute_content``, ``target_share_unreachable``,
    ``already_met``, ``not_moved``, ``measured_dropped``, ``limit_met``.
    """

    measure: str
    code: str
    severity: str  # warning | gap | note
    message: str
    source_id: int | None = None


@dataclass
class MeasureContext:
    """The measure being applied, the sources it selected, and where findings go."""

    measure: Measure
    source_ids: np.ndarray
    compute: ComputeEmissions | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def measure_id(self) -> str:
        """The id every changed row records."""
        return self.measure.id

    def report(self, code: str, severity: str, message: str, source_id: int | None = None) -> None:
        """Record a finding of this measure."""
        self.findings.append(Finding(self.measure.id, code, severity, message, source_id))
