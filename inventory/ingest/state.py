"""Read what the store already holds that an import checks against or builds on."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, func, select

from inventory.db.models import (
    Facility,
    FacilityVersion,
    ImportBatch,
    Region,
    Source,
    SourceClass,
    SourceVersion,
)
from inventory.ingest.crosscheck import StoreState

__all__ = ["known_class_codes", "load_regions", "load_state", "source_versions"]


def load_regions(conn: Connection) -> dict[str, str]:
    """Region code -> name, from the store's region table."""
    return {code: name for code, name in conn.execute(select(Region.code, Region.name))}


def known_class_codes(conn: Connection) -> frozenset[str]:
    """Every classification code in the store (SourceVersion.class_code must be one of them)."""
    return frozenset(conn.scalars(select(SourceClass.code)))


def load_state(conn: Connection) -> StoreState:
    """Facilities (latest version), point units, every natural key, the survey years loaded."""
    latest = (
        select(FacilityVersion.facility_id, func.max(FacilityVersion.valid_from).label("vf"))
        .group_by(FacilityVersion.facility_id)
        .subquery()
    )
    facilities = pd.DataFrame(
        conn.execute(
            select(
                Facility.credit_code,
                Facility.id.label("facility_id"),
                FacilityVersion.name,
                FacilityVersion.region_code,
                FacilityVersion.industry_code,
                FacilityVersion.end_date,
            )
            .join(FacilityVersion, FacilityVersion.facility_id == Facility.id)
            .join(
                latest,
                (latest.c.facility_id == FacilityVersion.facility_id)
                & (latest.c.vf == FacilityVersion.valid_from),
            )
            .order_by(Facility.id, FacilityVersion.id.desc())
        ).all(),
        columns=["credit_code", "facility_id", "name", "region_code", "industry_code", "end_date"],
    ).drop_duplicates("credit_code")
    units = pd.DataFrame(
        conn.execute(
            select(
                Source.natural_key,
                Source.id,
                Facility.credit_code,
                SourceVersion.unit_id,
                SourceVersion.stack_id,
            )
            .join(Facility, Facility.id == Source.facility_id)
            .join(SourceVersion, SourceVersion.source_id == Source.id)
            .where(Source.kind == "point")
            .distinct()
        ).all(),
        columns=["natural_key", "source_id", "credit_code", "unit_id", "stack_id"],
    )
    keys = frozenset(conn.scalars(select(Source.natural_key)))
    years = frozenset(
        conn.scalars(select(ImportBatch.year).where(ImportBatch.status == "committed").distinct())
    )
    return StoreState(facilities=facilities, units=units, known_keys=keys, earlier_years=years)


VERSION_COLUMNS = [c.name for c in SourceVersion.__table__.columns]


def source_versions(conn: Connection, kinds: list[str] | None = None) -> pd.DataFrame:
    """Every source version (with natural_key and kind of its source), oldest first."""
    query = select(Source.natural_key, Source.kind, SourceVersion.__table__).join(
        Source, Source.id == SourceVersion.source_id
    )
    if kinds:
        query = query.where(Source.kind.in_(kinds))
    rows = conn.execute(
        query.order_by(SourceVersion.source_id, SourceVersion.valid_from, SourceVersion.id)
    )
    return pd.DataFrame(rows.all(), columns=["natural_key", "kind", *VERSION_COLUMNS])
