"""Read everything a build of year Y needs, with a few set-based queries, into frames.

The frames follow the contract of ``inventory.calc.compute_emissions`` (see the team briefing),
plus bookkeeping columns the build keeps for provenance (``batch_id``, ``carried``,
``activity_year``, ``source_version_id``). A scenario takes a :class:`BuildInputs`, changes its
frames, and hands it to :func:`inventory.build.compute_and_store`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, or_, select
from sqlalchemy.orm import Session

from inventory.build.collector import collector_paused
from inventory.calc import ENCODED_ACTIVITY_COLUMNS, ENCODED_CONTROL_COLUMNS, encode_text
from inventory.db.models import (
    ActivityRecord,
    ControlDevice,
    Facility,
    FactorSet,
    MeasuredEmission,
    Source,
    SourceClass,
    SourceVersion,
)
from inventory.results.sql import read_frame

__all__ = [
    "ACTIVITY_COLUMNS",
    "SOURCE_ATTRIBUTES",
    "SOURCE_COLUMNS",
    "BuildInputs",
    "read_inputs",
]

SELECTORS = ["fuel", "technology", "product", "vehicle_class", "standard"]
PARAMETERS = [
    "sulfur_pct",
    "ash_pct",
    "voc_content_pct",
    "km_per_vehicle",
    "power_kw",
    "hours",
    "load_factor",
    "ncv_mj",
]
ACTIVITY_COLUMNS = [
    "activity_id",
    "source_id",
    "kind",
    "class_code",
    "activity_type",
    "quantity",
    "unit",
    *SELECTORS,
    "size_value",
    "size_unit",
    *PARAMETERS,
]
"""Columns of the calc core's ``activities`` frame (the build adds batch_id, carried,
activity_year)."""

SOURCE_COLUMNS = [
    "source_id",
    "source_version_id",
    "kind",
    "source",
    "facility",
    "class_code",
    "sector",
    "region_code",
]
"""Leading columns of ``BuildInputs.sources``; the version's attributes follow."""

SOURCE_ATTRIBUTES = [
    "name",
    "unit_id",
    "fuel",
    "firing",
    "process",
    "solvent_type",
    "loading_mode",
    "tank_type",
    "product",
    "material",
    "vehicle_class",
    "machine",
    "standard",
    "stage",
    "category",
    "capacity_mw",
    "capacity_tph",
    "power_kw",
    "load_factor",
]
"""Version attributes carried in ``BuildInputs.sources`` (for scenario selectors)."""


@dataclass
class BuildInputs:
    """The inputs of one build: the operating sources and the calc core's five frames.

    ``sources``: one row per operating source (``SOURCE_COLUMNS``; ``source`` is the natural
    key, ``facility`` the credit code). ``activities``: ``ACTIVITY_COLUMNS`` plus ``batch_id``,
    ``carried`` (bool) and ``activity_year``. ``factors``, ``efficiencies``, ``controls``,
    ``measured`` (plus ``batch_id``): as in the calc contract. ``measures``: optional
    ``source_id``, ``measure`` rows naming the scenario measure that changed a source.
    """

    year: int
    carry_forward: bool
    sources: pd.DataFrame
    activities: pd.DataFrame
    factors: pd.DataFrame
    efficiencies: pd.DataFrame
    controls: pd.DataFrame
    measured: pd.DataFrame
    factor_set_version: str
    measures: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["source_id", "measure"])
    )

    def copy(self) -> BuildInputs:
        """A deep copy whose frames can be changed without touching these."""
        return replace(
            self,
            sources=self.sources.copy(),
            activities=self.activities.copy(),
            factors=self.factors.copy(),
            efficiencies=self.efficiencies.copy(),
            controls=self.controls.copy(),
            measured=self.measured.copy(),
            measures=self.measures.copy(),
        )


def _frame(connection: Connection, query: Any, columns: list[str]) -> pd.DataFrame:
    return read_frame(connection, query, columns)


def _none_if_blank(frame: pd.DataFrame, columns: list[str]) -> None:
    for column in columns:
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna() & (values != ""), None)


def _floats(frame: pd.DataFrame, columns: list[str]) -> None:
    for column in columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")


def _first(*series: pd.Series) -> pd.Series:
    """Element-wise the first non-blank value of the series (None when all are blank)."""
    out = series[0].astype(object)
    for other in series[1:]:
        out = out.where(out.notna() & (out != ""), other.astype(object))
    return out.where(out.notna() & (out != ""), None)


def _operating_sources(connection: Connection, year: int) -> pd.DataFrame:
    """The version of each source valid in ``year`` (the latest one starting before its end)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    version = SourceVersion
    query = (
        select(
            version.source_id,
            version.id,
            Source.kind,
            Source.natural_key,
            Facility.credit_code,
            version.class_code,
            SourceClass.sector,
            version.region_code,
            version.valid_from,
            version.name,
            version.unit_id,
            version.category,
            version.fuel,
            version.firing,
            version.process,
            version.solvent_type,
            version.loading_mode,
            version.tank_type,
            version.product,
            version.material,
            version.vehicle_class,
            version.machine,
            version.standard,
            version.stage,
            version.capacity_mw,
            version.capacity_tph,
            version.power_kw,
            version.load_factor,
        )
        .join(Source, Source.id == version.source_id)
        .outerjoin(Facility, Facility.id == Source.facility_id)
        .outerjoin(SourceClass, SourceClass.code == version.class_code)
        .where(
            version.valid_from <= end,
            or_(version.valid_to.is_(None), version.valid_to > start),
            or_(version.decommissioned.is_(None), version.decommissioned >= start),
            or_(version.commissioned.is_(None), version.commissioned <= end),
        )
        .order_by(version.source_id, version.valid_from, version.id)
    )
    columns = [
        "source_id",
        "source_version_id",
        "kind",
        "source",
        "facility",
        "class_code",
        "sector",
        "region_code",
        "valid_from",
        "name",
        "unit_id",
        "category",
        "v_fuel",
        "firing",
        "process",
        "solvent_type",
        "loading_mode",
        "tank_type",
        "v_product",
        "material",
        "v_vehicle_class",
        "machine",
        "v_standard",
        "stage",
        "capacity_mw",
        "capacity_tph",
        "v_power_kw",
        "v_load_factor",
    ]
    frame = _frame(connection, query, columns)
    frame = frame.drop_duplicates("source_id", keep="last").reset_index(drop=True)
    return frame.drop(columns="valid_from")


_ACTIVITY_FIELDS = [
    ActivityRecord.id,
    ActivityRecord.source_id,
    ActivityRecord.batch_id,
    ActivityRecord.year,
    ActivityRecord.activity_type,
    ActivityRecord.fuel,
    ActivityRecord.product,
    ActivityRecord.quantity,
    ActivityRecord.unit,
    ActivityRecord.hours,
    ActivityRecord.sulfur_pct,
    ActivityRecord.ash_pct,
    ActivityRecord.voc_content_pct,
    ActivityRecord.km_per_vehicle,
    ActivityRecord.power_kw,
    ActivityRecord.load_factor,
    ActivityRecord.ncv_mj,
]
_ACTIVITY_NAMES = [
    "activity_id",
    "source_id",
    "batch_id",
    "activity_year",
    "activity_type",
    "a_fuel",
    "a_product",
    "quantity",
    "unit",
    "hours",
    "sulfur_pct",
    "ash_pct",
    "voc_content_pct",
    "km_per_vehicle",
    "a_power_kw",
    "a_load_factor",
    "ncv_mj",
]


def _activity_records(
    connection: Connection, year: int, operating: pd.Series, carry_forward: bool
) -> pd.DataFrame:
    current = _frame(
        connection,
        select(*_ACTIVITY_FIELDS)
        .where(ActivityRecord.year == year, ActivityRecord.superseded_by_batch_id.is_(None))
        .order_by(ActivityRecord.id),
        _ACTIVITY_NAMES,
    )
    current = current[current["source_id"].isin(operating)]
    current["carried"] = False
    if not carry_forward:
        return current
    latest = (
        select(ActivityRecord.source_id, func.max(ActivityRecord.year).label("latest"))
        .where(ActivityRecord.year < year, ActivityRecord.superseded_by_batch_id.is_(None))
        .group_by(ActivityRecord.source_id)
        .subquery()
    )
    earlier = _frame(
        connection,
        select(*_ACTIVITY_FIELDS)
        .join(
            latest,
            and_(
                latest.c.source_id == ActivityRecord.source_id,
                latest.c.latest == ActivityRecord.year,
            ),
        )
        .where(ActivityRecord.superseded_by_batch_id.is_(None))
        .order_by(ActivityRecord.id),
        _ACTIVITY_NAMES,
    )
    missing = operating[~operating.isin(current["source_id"])]
    earlier = earlier[earlier["source_id"].isin(missing)]
    earlier["carried"] = True
    return pd.concat([current, earlier], ignore_index=True)


def _calc_activities(records: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Activity records joined to their source's version, in the calc core's columns."""
    frame = records.merge(sources, on="source_id", how="inner")
    frame["fuel"] = _first(frame["a_fuel"], frame["v_fuel"])
    # the technology a factor is selected by: firing type for combustion, else the process,
    # solvent type, loading mode or tank type, whichever the sheet gave
    frame["technology"] = _first(
        frame["firing"],
        frame["process"],
        frame["solvent_type"],
        frame["loading_mode"],
        frame["tank_type"],
    )
    frame["product"] = _first(frame["a_product"], frame["v_product"], frame["material"])
    frame["vehicle_class"] = _first(frame["v_vehicle_class"], frame["machine"])
    frame["standard"] = _first(frame["v_standard"], frame["stage"])
    mw, tph = frame["capacity_mw"].astype("float64"), frame["capacity_tph"].astype("float64")
    kw = frame["v_power_kw"].astype("float64")
    frame["size_value"] = np.where(mw.notna(), mw, np.where(tph.notna(), tph, kw))
    size_unit = pd.Series(None, index=frame.index, dtype=object)
    size_unit[kw.notna()] = "kW"
    size_unit[tph.notna()] = "蒸吨每小时"
    size_unit[mw.notna()] = "MW"
    frame["size_unit"] = size_unit
    frame["power_kw"] = frame["a_power_kw"].astype("float64").fillna(kw)
    frame["load_factor"] = (
        frame["a_load_factor"].astype("float64").fillna(frame["v_load_factor"].astype("float64"))
    )
    out = frame[[*ACTIVITY_COLUMNS, "batch_id", "carried", "activity_year"]].copy()
    out["activity_id"] = out["activity_id"].astype("int64")
    out["source_id"] = out["source_id"].astype("int64")
    _floats(out, ["quantity", "size_value", *PARAMETERS])
    _none_if_blank(out, [*SELECTORS, "size_unit", "class_code"])
    out = out.sort_values("activity_id", kind="stable").reset_index(drop=True)
    # The text columns the calc core reads by code are handed to it as categoricals, each
    # distinct text hashed once here (the core would otherwise hash them itself).
    return encode_text(out, list(ENCODED_ACTIVITY_COLUMNS))


def _controls(
    connection: Connection, version_ids: pd.Series, sources: pd.DataFrame
) -> pd.DataFrame:
    frame = _frame(
        connection,
        select(
            ControlDevice.source_version_id,
            ControlDevice.technology,
            ControlDevice.pollutant,
            ControlDevice.efficiency,
            ControlDevice.operating_rate,
            ControlDevice.capture,
        ).order_by(ControlDevice.id),
        ["source_version_id", "technology", "pollutant", "efficiency", "operating_rate", "capture"],
    )
    frame = frame[frame["source_version_id"].isin(version_ids)]
    frame = frame.merge(sources[["source_version_id", "source_id"]], on="source_version_id")
    _floats(frame, ["efficiency", "operating_rate", "capture"])
    _none_if_blank(frame, ["pollutant"])
    columns = ["source_id", "technology", "pollutant", "efficiency", "operating_rate", "capture"]
    return encode_text(frame[columns].reset_index(drop=True), list(ENCODED_CONTROL_COLUMNS))


def _measured(connection: Connection, year: int, operating: pd.Series) -> pd.DataFrame:
    frame = _frame(
        connection,
        select(
            MeasuredEmission.source_id,
            MeasuredEmission.pollutant,
            MeasuredEmission.quantity,
            MeasuredEmission.unit,
            MeasuredEmission.method,
            MeasuredEmission.batch_id,
        )
        .where(MeasuredEmission.year == year, MeasuredEmission.superseded_by_batch_id.is_(None))
        .order_by(MeasuredEmission.id),
        ["source_id", "pollutant", "quantity", "unit", "method", "batch_id"],
    )
    frame = frame[frame["source_id"].isin(operating)].reset_index(drop=True)
    _floats(frame, ["quantity"])
    return frame


def _factor_library(connection: Connection) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Factors and removal efficiencies of the active factor sets (the factor library's own
    queries, run inside the build's snapshot), and the sets' names and versions."""
    from inventory.factors import active_efficiencies, active_factors

    with Session(bind=connection) as session:
        factors = active_factors(session)
        # capture efficiencies (enclosures) belong to the controls' capture, never to removal
        efficiencies = active_efficiencies(session, kind="removal")
    factors = factors[_FACTOR_FRAME_COLUMNS].reset_index(drop=True)
    _floats(factors, ["size_min", "size_max", "value"])
    _none_if_blank(factors, [*SELECTORS, "activity_type", "size_unit"])
    efficiencies = efficiencies[["technology", "pollutant", "efficiency", "source"]]
    sets = connection.execute(
        select(FactorSet.name, FactorSet.version)
        .where(FactorSet.active.is_(True))
        .order_by(FactorSet.priority.desc(), FactorSet.name)
    ).all()
    version = "; ".join(f"{name} {ver}" for name, ver in sets) or "(no factor set)"
    return factors, efficiencies.reset_index(drop=True), version[:200]


_FACTOR_FRAME_COLUMNS = [
    "factor_id",
    "priority",
    "class_code",
    "pollutant",
    *SELECTORS,
    "activity_type",
    "size_min",
    "size_max",
    "size_unit",
    "value",
    "unit",
    "basis",
    "source",
]


def read_inputs(engine: Engine, year: int, carry_forward: bool = False) -> BuildInputs:
    """Read the inputs of the year-``year`` build in one consistent snapshot.

    Sources operating in ``year`` with the version valid in it; the year's activity records
    that were not superseded (with ``carry_forward``, a source without any takes its latest
    earlier year's, flagged ``carried``); the controls of those versions; the year's measured
    emissions; and the factors and control efficiencies of the active factor sets.
    """
    with engine.connect() as connection, connection.begin(), collector_paused():
        if connection.dialect.name == "postgresql":
            # one snapshot for every query, even while an import commits
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        elif connection.dialect.name == "sqlite":
            # pysqlite starts a transaction only before a write, so each SELECT would see the
            # newest commit; an explicit BEGIN pins one WAL snapshot for all the reads
            connection.exec_driver_sql("BEGIN")
        versions = _operating_sources(connection, year)
        operating = versions["source_id"]
        records = _activity_records(connection, year, operating, carry_forward)
        activities = _calc_activities(records, versions)
        controls = _controls(connection, versions["source_version_id"], versions)
        measured = _measured(connection, year, operating)
        factors, efficiencies, factor_set_version = _factor_library(connection)
    renamed = versions.rename(
        columns={
            "v_fuel": "fuel",
            "v_product": "product",
            "v_vehicle_class": "vehicle_class",
            "v_standard": "standard",
            "v_power_kw": "power_kw",
            "v_load_factor": "load_factor",
        }
    )
    sources = renamed[[*SOURCE_COLUMNS, *SOURCE_ATTRIBUTES]].copy()
    _none_if_blank(sources, ["class_code", "sector", "facility"])
    _floats(sources, ["capacity_mw", "capacity_tph", "power_kw", "load_factor"])
    return BuildInputs(
        year=year,
        carry_forward=carry_forward,
        sources=sources,
        activities=activities,
        factors=factors,
        efficiencies=efficiencies,
        controls=controls,
        measured=measured,
        factor_set_version=factor_set_version,
    )
