"""Read the QA findings stored with a run."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from inventory.db.models import QAFinding, Source
from inventory.qa.catalogue import FINDING_COLUMNS

__all__ = ["load_findings"]


def load_findings(
    engine: Engine, run_id: int, severity: str | None = None, code: str | None = None
) -> pd.DataFrame:
    """The findings of run ``run_id`` (errors first), with the source's natural key as ``source``."""
    query = (
        select(
            *(getattr(QAFinding, name) for name in FINDING_COLUMNS),
            Source.natural_key,
        )
        .outerjoin(Source, Source.id == QAFinding.source_id)
        .where(QAFinding.run_id == run_id)
        .order_by(QAFinding.id)
    )
    if severity:
        query = query.where(QAFinding.severity == severity)
    if code:
        query = query.where(QAFinding.code == code)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=[*FINDING_COLUMNS, "source"])
    frame["source_id"] = frame["source_id"].astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    return frame[
        ["code", "severity", "source_id", "source", "pollutant", "subject", "value", "message"]
    ]
