"""Load the reference data that ships with the package into a store, idempotently.

Regions and the source classification are upserted by code; the factor library is loaded by
``inventory.factors`` as a versioned factor set (a set already present is left as it is).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from inventory.db.models import Region, SourceClass
from inventory.resources import factors_path

__all__ = ["ReferenceLoadReport", "load_reference_data", "read_data_csv"]


@dataclass
class ReferenceLoadReport:
    """How many rows of each reference table a load added or updated."""

    regions: int = 0
    classes: int = 0
    factor_sets: int = 0


def read_data_csv(name: str) -> pd.DataFrame:
    """Read a CSV under ``factors/`` (``#`` comment lines allowed), every column as text."""
    return pd.read_csv(
        factors_path(name), comment="#", dtype=str, keep_default_na=False, encoding="utf-8"
    )


def _blank_to_none(value: str | None) -> str | None:
    return value if value else None


def load_regions(session: Session) -> int:
    """Upsert ``factors/regions.csv``; returns the number of rows."""
    frame = read_data_csv("regions.csv")
    # parents first, so the foreign key holds on databases that check it immediately
    frame = frame.sort_values("parent_code", key=lambda s: s.str.len())
    for row in frame.itertuples(index=False):
        session.merge(
            Region(
                code=row.code,
                name=row.name,
                name_en=_blank_to_none(row.name_en),
                level=row.level,
                parent_code=_blank_to_none(row.parent_code),
                source=_blank_to_none(row.source),
            )
        )
        session.flush()
    return len(frame)


def load_classification(session: Session) -> int:
    """Upsert ``factors/classification.csv`` with sectors inherited downward; returns rows."""
    frame = read_data_csv("classification.csv")
    frame["level"] = frame["level"].astype(int)
    frame = frame.sort_values(["level", "code"])
    sectors: dict[str, str] = {}
    for row in frame.itertuples(index=False):
        sector = row.sector or sectors.get(row.parent_code, "")
        sectors[row.code] = sector
        session.merge(
            SourceClass(
                code=row.code,
                level=row.level,
                parent_code=_blank_to_none(row.parent_code),
                name=row.name,
                name_en=_blank_to_none(row.name_en),
                sector=sector or None,
                source=_blank_to_none(row.source),
            )
        )
    session.flush()
    return len(frame)


def load_reference_data(session: Session) -> ReferenceLoadReport:
    """Load regions, classification and the shipped factor library (idempotent)."""
    report = ReferenceLoadReport()
    report.regions = load_regions(session)
    report.classes = load_classification(session)
    # imported here: the factor package reads the classification this module loads
    from inventory.factors.sets import load_shipped_factor_set

    report.factor_sets = load_shipped_factor_set(session)
    return report
