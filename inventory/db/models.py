"""All mapped classes of the store, importable from one place (and registered on ``Base``)."""

from inventory.db.base import Base
from inventory.db.reference import ControlEfficiency, Factor, FactorSet, Region, SourceClass
from inventory.db.results import EmissionResult, QAFinding, Run
from inventory.db.sources import (
    ActivityRecord,
    ControlDevice,
    Facility,
    FacilityVersion,
    ImportBatch,
    MeasuredEmission,
    Source,
    SourceVersion,
)

__all__ = [
    "ActivityRecord",
    "Base",
    "ControlDevice",
    "ControlEfficiency",
    "EmissionResult",
    "Facility",
    "FacilityVersion",
    "Factor",
    "FactorSet",
    "ImportBatch",
    "MeasuredEmission",
    "QAFinding",
    "Region",
    "Run",
    "Source",
    "SourceClass",
    "SourceVersion",
]
