"""The sources attribute frame selectors match, read for the sources of a build.

The build's ``sources`` frame has the keys of every source (id, version, kind, natural key,
facility, class, sector, region); selectors also need what a survey says about each source
(fuel, firing, capacity, vehicle class, standard, stage, machine, material, solvent type,
category) and where its facility is (lon, lat). They come from the same source versions.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, or_, select

from inventory.db.models import FacilityVersion, Source, SourceVersion

__all__ = ["ATTRIBUTE_COLUMNS", "source_attributes"]

ATTRIBUTE_COLUMNS = [
    "unit_type",
    "fuel",
    "firing",
    "process",
    "product",
    "material",
    "solvent_type",
    "vehicle_class",
    "standard",
    "machine",
    "stage",
    "category",
    "capacity_tph",
    "capacity_mw",
    "power_kw",
]
"""Source-version attributes added to the build's sources frame."""


def source_attributes(engine: Engine, sources: pd.DataFrame, year: int) -> pd.DataFrame:
    """The build's ``sources`` frame plus ``natural_key``, ``ATTRIBUTE_COLUMNS``, ``lon``,
    ``lat`` (decimal degrees) and ``facility_name`` of each source's facility in ``year``."""
    version_ids = [int(v) for v in sources["source_version_id"].dropna().unique()]
    end = date(year, 12, 31)
    with engine.connect() as connection:
        versions = pd.DataFrame(
            connection.execute(
                select(
                    SourceVersion.id,
                    Source.facility_id,
                    *(getattr(SourceVersion, c) for c in ATTRIBUTE_COLUMNS),
                )
                .join(Source, Source.id == SourceVersion.source_id)
                .where(SourceVersion.id.in_(version_ids))
            ).all(),
            columns=["source_version_id", "facility_id", *ATTRIBUTE_COLUMNS],
        )
        newest = (
            select(FacilityVersion.facility_id, func.max(FacilityVersion.valid_from).label("vf"))
            .where(
                FacilityVersion.valid_from <= end,
                or_(
                    FacilityVersion.valid_to.is_(None), FacilityVersion.valid_to > date(year, 1, 1)
                ),
            )
            .group_by(FacilityVersion.facility_id)
            .subquery()
        )
        facilities = pd.DataFrame(
            connection.execute(
                select(
                    FacilityVersion.facility_id,
                    FacilityVersion.name,
                    FacilityVersion.lon,
                    FacilityVersion.lat,
                ).join(
                    newest,
                    (newest.c.facility_id == FacilityVersion.facility_id)
                    & (newest.c.vf == FacilityVersion.valid_from),
                )
            ).all(),
            columns=["facility_id", "facility_name", "lon", "lat"],
        ).drop_duplicates("facility_id", keep="last")
    frame = sources.copy()
    if "source" in frame.columns and "natural_key" not in frame.columns:
        frame["natural_key"] = frame["source"]
    versions["source_version_id"] = versions["source_version_id"].astype("int64")
    frame = frame.merge(versions, on="source_version_id", how="left", suffixes=("", "_version"))
    frame = frame.merge(facilities, on="facility_id", how="left").drop(columns="facility_id")
    for column in ("capacity_tph", "capacity_mw", "power_kw", "lon", "lat"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame
