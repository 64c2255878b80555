"""The documented Python API for opening and initialising a store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from inventory.db.migrate import current_revision, upgrade_to_head
from inventory.db.models import EmissionResult, ImportBatch, Region, Run, Source, SourceClass
from inventory.db.refdata import load_reference_data
from inventory.db.session import make_engine, session_scope

__all__ = ["InitReport", "initialise", "store_status"]


@dataclass
class InitReport:
    """What ``initialise`` did."""

    revision: str
    regions: int
    classes: int
    factor_sets: int


def initialise(url: str) -> InitReport:
    """Create or upgrade the database at ``url`` and load the shipped reference data."""
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        with session_scope(engine) as session:
            loaded = load_reference_data(session)
        revision = current_revision(engine) or "?"
    finally:
        engine.dispose()
    return InitReport(revision, loaded.regions, loaded.classes, loaded.factor_sets)


def store_status(engine: Engine) -> dict[str, object]:
    """Counts of the main tables and the schema revision, for ``inventory status``."""
    with session_scope(engine) as session:
        counts = {
            name: session.scalar(select(func.count()).select_from(model))
            for name, model in [
                ("regions", Region),
                ("source classes", SourceClass),
                ("import batches", ImportBatch),
                ("sources", Source),
                ("runs", Run),
                ("results", EmissionResult),
            ]
        }
    return {"schema revision": current_revision(engine), **counts}
