"""The result rows of a run as one DataFrame, with every key a total can be grouped by.

Keys: ``pollutant``, ``kind``, ``sector`` (planner grouping), ``county`` (six-digit region code),
``category1``..``category4`` (the classification code cut to each level; None below the
source's own level), ``facility`` (unified social credit code; None for non-point sources) and
``source`` (the source's natural key: ``credit_code/unit_id`` for a point source, region, class,
fuel and standard for a fleet segment). Readable names ride along in ``*_name`` columns.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from inventory.db.models import (
    EmissionResult,
    Facility,
    FacilityVersion,
    Region,
    Source,
    SourceClass,
    SourceVersion,
)
from inventory.results.sql import read_frame

__all__ = [
    "KEYS",
    "RESULT_COLUMNS",
    "add_keys",
    "key_names",
    "load_results",
    "parse_keys",
]

KEYS: tuple[str, ...] = (
    "pollutant",
    "kind",
    "sector",
    "county",
    "category1",
    "category2",
    "category3",
    "category4",
    "facility",
    "source",
)
"""Every key ``--by`` accepts."""

RESULT_COLUMNS = [
    "source_id",
    "source_version_id",
    "activity_id",
    "batch_id",
    "kind",
    "class_code",
    "sector",
    "region_code",
    "pollutant",
    "emissions_t",
    "uncontrolled_t",
    "method",
    "replaced_method",
    "factor_id",
    "factor_value",
    "factor_unit",
    "factor_source",
    "activity_value",
    "activity_unit",
    "control_technology",
    "control_efficiency",
    "carried_forward",
    "measure",
]
"""Columns of a stored result row (``emission_result`` without ``id`` and ``run_id``)."""


def parse_keys(text: str | None, default: str = "pollutant") -> list[str]:
    """Split ``--by`` text (``sector,county``) into keys, checking each one."""
    from inventory.errors import ConfigError

    keys = [part.strip() for part in (text or default).split(",") if part.strip()]
    unknown = [key for key in keys if key not in KEYS]
    if unknown or not keys:
        raise ConfigError(
            f"Unknown --by key {', '.join(unknown) or '(none)'}.",
            f"Use any of: {', '.join(KEYS)}.",
        )
    return list(dict.fromkeys(keys))


def load_results(engine: Engine, run_id: int, pollutants: list[str] | None = None) -> pd.DataFrame:
    """The result rows of run ``run_id`` (emissions in t/yr) with keys and names added."""
    columns = [getattr(EmissionResult, name) for name in RESULT_COLUMNS]
    query = select(*columns).where(EmissionResult.run_id == run_id)
    if pollutants:
        query = query.where(EmissionResult.pollutant.in_(pollutants))
    query = query.order_by(EmissionResult.id)
    with engine.connect() as connection:
        frame = read_frame(connection, query, RESULT_COLUMNS)
    frame["carried_forward"] = frame["carried_forward"].fillna(False).astype(bool)
    for column in ("emissions_t", "uncontrolled_t", "factor_value", "activity_value"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["control_efficiency"] = pd.to_numeric(
        frame["control_efficiency"], errors="coerce"
    ).astype("float64")
    for column in ("activity_id", "batch_id", "factor_id", "source_version_id"):
        frame[column] = frame[column].astype("Int64")
    return add_keys(engine, frame)


def add_keys(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    """Add the grouping keys and their names to result rows (``source_id``, ``class_code``,
    ``region_code``, ``source_version_id`` needed)."""
    frame = frame.copy()
    source_ids = sorted({int(v) for v in frame["source_id"].dropna().unique()})
    with engine.connect() as connection:
        sources = read_frame(
            connection,
            select(Source.id, Source.natural_key, Facility.credit_code, Facility.id).outerjoin(
                Facility, Facility.id == Source.facility_id
            ),
            ["source_id", "source", "facility", "facility_id"],
        )
        sources = sources[sources["source_id"].isin(source_ids)]
        version_ids = sorted(
            {int(v) for v in frame["source_version_id"].dropna().unique()}
            if "source_version_id" in frame
            else set()
        )
        versions = read_frame(
            connection,
            select(SourceVersion.id, SourceVersion.name),
            ["source_version_id", "source_name"],
        )
        versions = versions[versions["source_version_id"].isin(version_ids)]
        newest = (
            select(FacilityVersion.facility_id, func.max(FacilityVersion.valid_from).label("vf"))
            .group_by(FacilityVersion.facility_id)
            .subquery()
        )
        facilities = pd.DataFrame(
            connection.execute(
                select(FacilityVersion.facility_id, FacilityVersion.name).join(
                    newest,
                    (newest.c.facility_id == FacilityVersion.facility_id)
                    & (newest.c.vf == FacilityVersion.valid_from),
                )
            ).all(),
            columns=["facility_id", "facility_name"],
        ).drop_duplicates("facility_id", keep="last")
    frame = frame.merge(sources, on="source_id", how="left")
    if "source_version_id" in frame and len(versions):
        versions["source_version_id"] = versions["source_version_id"].astype("Int64")
        frame["source_version_id"] = frame["source_version_id"].astype("Int64")
        frame = frame.merge(versions, on="source_version_id", how="left")
    else:
        frame["source_name"] = None
    frame = frame.merge(facilities, on="facility_id", how="left").drop(columns="facility_id")
    frame["county"] = frame["region_code"]
    codes = frame["class_code"].astype(object)
    distinct = [code for code in pd.unique(codes) if isinstance(code, str)]
    for level in range(1, 5):
        width = 2 * level
        cut = {code: code[:width] for code in distinct if len(code) >= width}
        frame[f"category{level}"] = (
            codes.map(cut).astype(object).where(codes.map(cut).notna(), None)
        )
    return frame


def key_names(engine: Engine) -> dict[str, dict[str, str]]:
    """Readable names by key: county code -> region name, class code -> class name."""
    with engine.connect() as connection:
        regions = dict(connection.execute(select(Region.code, Region.name)).all())
        classes = dict(connection.execute(select(SourceClass.code, SourceClass.name)).all())
    names: dict[str, dict[str, str]] = {"county": regions}
    for level in range(1, 5):
        names[f"category{level}"] = classes
    return names
