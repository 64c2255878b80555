"""Write a survey plan into the living source list, inside the caller's transaction.

Facilities and sources are found by natural key or created; changed attributes become new
versions (see :mod:`inventory.ingest.versions`); controls hang on the version they belong to;
activity and measured emissions of the year supersede the earlier batches' rows for the same
sources (those stay, marked ``superseded_by_batch_id``). Rows go in with the driver's
executemany on the connection of the caller's transaction; the ids of the rows a batch created
are read back by batch id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, select, update

from inventory.classification import assign_class_codes
from inventory.db.models import (
    ActivityRecord,
    ControlDevice,
    Facility,
    FacilityVersion,
    MeasuredEmission,
    Source,
    SourceVersion,
)
from inventory.ingest.bulk import (
    as_date,
    bulk_insert,
    chunks,
    ids_of_batch,
    map_ids,
    pairs_in,
    select_in,
    update_valid_to,
)
from inventory.ingest.coerce import per_unique
from inventory.ingest.plan import FACILITY_ATTRIBUTES, VERSION_ATTRIBUTES, SurveyPlan
from inventory.ingest.problems import ProblemLog
from inventory.ingest.versions import plan_versions, signature

__all__ = ["PersistCounts", "persist_plan", "resolve_measured_sources"]


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


CONTROL_FIELDS = ("role", "technology", "pollutant", "efficiency", "operating_rate", "capture")


@dataclass
class PersistCounts:
    """What one import wrote."""

    facilities_new: int = 0
    facility_versions: int = 0
    sources_new: int = 0
    source_versions: int = 0
    versions_closed: int = 0
    controls: int = 0
    activities: int = 0
    activities_superseded: int = 0
    measured: int = 0
    measured_superseded: int = 0


def persist_plan(
    conn: Connection,
    plan: SurveyPlan,
    *,
    batch_id: int,
    year: int,
    known_classes: frozenset[str],
    log: ProblemLog,
) -> PersistCounts:
    """Write ``plan`` as batch ``batch_id`` of survey ``year``; warnings go to ``log``."""
    counts = PersistCounts()
    start = dt.date(year, 1, 1)
    facility_ids = _persist_facilities(conn, plan, batch_id, start, counts)
    source_ids, created = _persist_sources(
        conn, plan, batch_id, start, facility_ids, known_classes, log, counts
    )
    _persist_activities(conn, plan, batch_id, year, source_ids, created, counts)
    _persist_measured(conn, plan, batch_id, year, source_ids, created, counts, log)
    return counts


def _signature_where(
    frame: pd.DataFrame, columns: tuple[str, ...], compared: pd.Series
) -> pd.Series:
    """:func:`signature` of the rows where ``compared`` is True, ``""`` elsewhere: only an
    owner that already has a version is compared with it (a new one gets a version anyway)."""
    result = pd.Series("", index=frame.index, dtype=object)
    if compared.any():
        result[compared.to_numpy()] = signature(frame[compared.to_numpy()], columns)
    return result


def _persist_facilities(
    conn: Connection, plan: SurveyPlan, batch_id: int, start: dt.date, counts: PersistCounts
) -> dict[str, int]:
    codes = sorted(
        set(plan.facilities["credit_code"].dropna())
        | set(plan.sources.get("credit_code", pd.Series(dtype=object)).dropna())
    )
    ids: dict[str, int] = pairs_in(conn, _table(Facility), "credit_code", "id", codes)
    earlier = set(ids.values())  # facilities that have versions already
    incoming = plan.facilities.drop_duplicates("credit_code")
    new_codes = [c for c in incoming["credit_code"] if c not in ids]
    counts.facilities_new = bulk_insert(
        conn,
        _table(Facility),
        pd.DataFrame({"credit_code": new_codes, "created_batch_id": batch_id}),
    )
    if new_codes:
        ids.update(
            ids_of_batch(conn, _table(Facility), "credit_code", "created_batch_id", batch_id)
        )
    if not len(incoming):
        return ids
    incoming = incoming.assign(owner=map_ids(incoming["credit_code"], ids))
    existing = pd.DataFrame(
        select_in(
            conn,
            select(_table(FacilityVersion)),
            FacilityVersion.facility_id,
            sorted(set(incoming["owner"]) & earlier),
        ),
        columns=[c.name for c in _table(FacilityVersion).columns],
    )
    existing = existing.assign(
        owner=existing["facility_id"],
        version_id=existing["id"],
        signature=signature(existing, FACILITY_ATTRIBUTES),
    )
    compared = incoming["owner"].isin(existing["owner"])
    planned = plan_versions(
        existing[["owner", "version_id", "valid_from", "valid_to", "signature"]],
        pd.DataFrame(
            {
                "owner": incoming["owner"],
                "start": incoming["change_date"].where(incoming["change_date"].notna(), start),
                "closure": incoming["end_date"],
                "signature": _signature_where(incoming, FACILITY_ATTRIBUTES, compared),
            }
        ),
    )
    rows = incoming.loc[planned.new.index]
    new_versions = pd.DataFrame(
        {
            "facility_id": rows["owner"].astype("int64"),
            "batch_id": batch_id,
            "valid_from": as_date(planned.new["valid_from"]),
            "valid_to": as_date(planned.new["valid_to"]),
            **{a: rows[a] for a in FACILITY_ATTRIBUTES},
            "end_date": rows["end_date"],
        }
    )
    bulk_insert(conn, _table(FacilityVersion), new_versions)
    counts.facility_versions = len(new_versions)
    counts.versions_closed += update_valid_to(conn, _table(FacilityVersion), planned.closes)
    return ids


def _control_signature(controls: pd.DataFrame, key: str) -> pd.Series:
    """One text per owner standing for its set of control devices (order does not matter):
    the sum of the devices' 64-bit hashes, so that no Python function runs per group."""
    if not len(controls):
        return pd.Series(dtype=object)
    text = signature(controls, CONTROL_FIELDS)
    hashes = pd.Series(pd.util.hash_array(text.to_numpy(dtype=object)), index=controls.index)
    return hashes.groupby(controls[key].to_numpy()).sum().astype(str)


def _persist_sources(
    conn: Connection,
    plan: SurveyPlan,
    batch_id: int,
    start: dt.date,
    facility_ids: dict[str, int],
    known_classes: frozenset[str],
    log: ProblemLog,
    counts: PersistCounts,
) -> tuple[dict[str, int], frozenset[int]]:
    """Sources and their versions and controls; returns natural key -> source id and the ids
    of the sources this batch created (they have no earlier versions or rows)."""
    sources = plan.sources
    if not len(sources):
        return {}, frozenset()
    keys = sources["natural_key"].tolist()
    ids: dict[str, int] = pairs_in(conn, _table(Source), "natural_key", "id", keys)
    earlier = set(ids.values())
    fresh = sources[~sources["natural_key"].isin(ids)]
    new_rows = pd.DataFrame(
        {
            "kind": fresh["kind"],
            "natural_key": fresh["natural_key"],
            "facility_id": map_ids(fresh["credit_code"], facility_ids).astype("Int64"),
            "created_batch_id": batch_id,
        }
    )
    counts.sources_new = bulk_insert(conn, _table(Source), new_rows)
    created: frozenset[int] = frozenset()
    if counts.sources_new:
        made = ids_of_batch(conn, _table(Source), "natural_key", "created_batch_id", batch_id)
        ids.update(made)
        created = frozenset(made.values())

    sources = sources.copy(deep=False)  # copy-on-write: new columns never reach plan.sources
    sources["source_id"] = map_ids(sources["natural_key"], ids).astype("int64")
    codes = assign_class_codes(sources)
    unknown_code = codes.notna() & ~codes.isin(known_classes)
    codes = codes.where(~unknown_code, None)
    sources["class_code"] = codes
    missing = sources["class_code"].isna()
    if missing.any():
        for sheet, group in sources[missing].groupby("sheet", sort=False):
            log.add_many(
                "class.unassigned",
                "No source classification applies to this row; its emissions cannot be estimated until one does.",
                sheet=str(sheet),
                rows=group["_row"],
                values=group["natural_key"],
                hint="Check the type, fuel, process or category columns (or add a rule to factors/classification_rules.csv).",
            )

    existing = pd.DataFrame(
        select_in(
            conn,
            select(_table(SourceVersion)),
            SourceVersion.source_id,
            sorted(set(sources["source_id"]) & earlier),
        ),
        columns=[c.name for c in _table(SourceVersion).columns],
    )
    if len(existing):
        stored_controls = pd.DataFrame(
            select_in(
                conn,
                select(_table(ControlDevice)),
                ControlDevice.source_version_id,
                existing["id"].tolist(),
            ),
            columns=[c.name for c in _table(ControlDevice).columns],
        )
        old_controls = _control_signature(stored_controls, "source_version_id")
        existing["controls"] = existing["id"].map(old_controls).astype(object).fillna("")
    else:
        existing["controls"] = pd.Series(dtype=object)
    compared = (*VERSION_ATTRIBUTES, "class_code", "controls")
    existing = existing.assign(
        owner=existing["source_id"],
        version_id=existing["id"],
        signature=signature(existing, compared),
    )
    has_history = sources["source_id"].isin(existing["owner"])
    history_keys = sources.loc[has_history, "natural_key"]
    new_controls = _control_signature(
        plan.controls[plan.controls["natural_key"].isin(history_keys)], "natural_key"
    )
    sources["controls"] = ""
    if len(new_controls):
        sources["controls"] = sources["natural_key"].map(new_controls).astype(object).fillna("")
    planned = plan_versions(
        existing[["owner", "version_id", "valid_from", "valid_to", "signature"]],
        pd.DataFrame(
            {
                "owner": sources["source_id"],
                "start": sources["change_date"].where(sources["change_date"].notna(), start),
                "closure": sources["closure"],
                "signature": _signature_where(sources, compared, has_history),
            }
        ),
    )
    # all of them when every source is new (a first import): no label lookup of 10^5 rows
    new_index = planned.new.index
    rows = sources if new_index.equals(sources.index) else sources.loc[new_index]
    version_frame = pd.DataFrame(
        {
            "source_id": rows["source_id"],
            "batch_id": batch_id,
            "valid_from": as_date(planned.new["valid_from"]),
            "valid_to": as_date(planned.new["valid_to"]),
            "class_code": rows["class_code"],
            "sheet": rows["sheet"],
            **{a: rows[a] for a in VERSION_ATTRIBUTES},
            "decommissioned": as_date(rows["closure"]),
        }
    )
    for column in ("commissioned",):
        version_frame[column] = as_date(version_frame[column])
    version_frame["low_nox"] = per_unique(
        version_frame["low_nox"],
        lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else bool(v),
    )
    version_frame["tank_count"] = per_unique(
        version_frame["tank_count"], lambda v: None if v is None or pd.isna(v) else int(v)
    )
    counts.source_versions = bulk_insert(conn, _table(SourceVersion), version_frame)
    counts.versions_closed += update_valid_to(conn, _table(SourceVersion), planned.closes)
    if len(plan.controls) and counts.source_versions:
        by_source = ids_of_batch(conn, _table(SourceVersion), "source_id", "batch_id", batch_id)
        # natural key -> id of the version this batch gave it, by dict lookups (Series.map of
        # 10^5 keys first builds an indexed Series of them)
        by_key = dict(
            zip(
                rows["natural_key"].to_numpy(dtype=object).tolist(),
                [by_source[s] for s in rows["source_id"].tolist()],
                strict=True,
            )
        )
        version_ids = map_ids(plan.controls["natural_key"], by_key)
        found = version_ids.notna().to_numpy()
        control_rows = plan.controls.loc[found, list(CONTROL_FIELDS)].assign(
            source_version_id=version_ids[found].astype("int64")
        )
        control_rows = control_rows[["source_version_id", *CONTROL_FIELDS]]
        counts.controls = bulk_insert(conn, _table(ControlDevice), control_rows)
    return ids, created


def _supersede(
    conn: Connection,
    table: Table,
    batch_id: int,
    year: int,
    source_ids: list[int],
    created: frozenset[int],
) -> int:
    """Mark the year's rows of earlier batches for ``source_ids`` as superseded by this batch;
    a source this batch ``created`` has none."""
    total = 0
    for chunk in chunks(sorted(set(source_ids) - created)):
        result = conn.execute(
            update(table)
            .where(
                table.c.source_id.in_(chunk),
                table.c.year == year,
                table.c.superseded_by_batch_id.is_(None),
                table.c.batch_id != batch_id,
            )
            .values(superseded_by_batch_id=batch_id)
        )
        total += result.rowcount or 0
    return total


_ACTIVITY_COLUMNS = [
    "activity_type", "fuel", "product", "quantity", "unit", "hours", "sulfur_pct", "ash_pct",
    "voc_content_pct", "km_per_vehicle", "power_kw", "load_factor", "ncv_mj", "sheet",
    "row_number",
]  # fmt: skip


def _persist_activities(
    conn: Connection,
    plan: SurveyPlan,
    batch_id: int,
    year: int,
    source_ids: dict[str, int],
    created: frozenset[int],
    counts: PersistCounts,
) -> None:
    activities = plan.activities
    if not len(activities):
        return
    ids = map_ids(activities["natural_key"], source_ids).astype("int64")
    counts.activities_superseded = _supersede(
        conn, _table(ActivityRecord), batch_id, year, ids.tolist(), created
    )
    frame = activities[_ACTIVITY_COLUMNS].assign(source_id=ids, batch_id=batch_id, year=year)
    bulk_insert(conn, _table(ActivityRecord), frame)
    counts.activities = len(frame)


def _persist_measured(
    conn: Connection,
    plan: SurveyPlan,
    batch_id: int,
    year: int,
    source_ids: dict[str, int],
    created: frozenset[int],
    counts: PersistCounts,
    log: ProblemLog,
) -> None:
    measured = plan.measured
    if not len(measured):
        return
    resolved = resolve_measured_sources(conn, measured, plan, source_ids)
    measured = measured.assign(source_id=resolved)[resolved.notna()]
    # Two rows can reach one source only here (a unit id not found falls back to its stack):
    # report them as errors instead of breaking the (source, year, pollutant, batch) key.
    repeated = measured.duplicated(["source_id", "pollutant"], keep="first")
    if repeated.any():
        log.add_many(
            "value.duplicate_row",
            "This measurement names the same source and pollutant as an earlier row "
            "(its unit was matched through the stack).",
            sheet=str(measured["sheet"].iloc[0]),
            rows=measured.loc[repeated, "row_number"].tolist(),
            values=measured.loc[repeated, "pollutant"].tolist(),
            hint="Give each row the 设备编号 of its own unit, or merge the rows.",
        )
        measured = measured[~repeated]
    counts.measured_superseded = _supersede(
        conn,
        _table(MeasuredEmission),
        batch_id,
        year,
        measured["source_id"].astype(int).tolist(),
        created,
    )
    frame = measured[
        ["source_id", "pollutant", "quantity", "unit", "method", "valid_hours"]
    ].assign(batch_id=batch_id, year=year)
    frame["source_id"] = frame["source_id"].astype("int64")
    bulk_insert(conn, _table(MeasuredEmission), frame)
    counts.measured = len(frame)


def resolve_measured_sources(
    conn: Connection, measured: pd.DataFrame, plan: SurveyPlan, source_ids: dict[str, int]
) -> pd.Series:
    """The source id each measured row names: by credit code + unit id, else by stack id."""
    by_unit: dict[tuple[str, str], int] = {}
    by_stack: dict[tuple[str, str], int] = {}
    stored = conn.execute(
        select(Facility.credit_code, SourceVersion.unit_id, SourceVersion.stack_id, Source.id)
        .join(Source, Source.facility_id == Facility.id)
        .join(SourceVersion, SourceVersion.source_id == Source.id)
        .where(Facility.credit_code.in_(sorted(set(measured["credit_code"].dropna()))))
        .order_by(SourceVersion.valid_from)
    ).all()
    for code, unit, stack, sid in stored:
        by_unit[(code, str(unit))] = sid
        if stack:
            by_stack.setdefault((code, str(stack)), sid)
    sources = plan.sources
    if len(sources):
        point = sources[sources["kind"] == "point"]
        for code, unit, stack, key in zip(
            point["credit_code"],
            point["unit_id"],
            point["stack_id"],
            point["natural_key"],
            strict=True,
        ):
            by_unit[(code, str(unit))] = source_ids[key]
            if isinstance(stack, str):
                by_stack.setdefault((code, stack), source_ids[key])
    pairs = zip(measured["credit_code"], measured["unit_id"], measured["stack_id"], strict=True)
    return pd.Series(
        [by_unit.get((c, str(u))) or by_stack.get((c, str(s))) for c, u, s in pairs],
        index=measured.index,
        dtype=object,
    )
