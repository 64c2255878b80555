"""Factor sets in the store: the shipped library (versioned by checksum) and local sets.

Loading is idempotent: the shipped tables are loaded once per checksum of their files; a new
version of the files makes a new set and retires the older shipped set. A local set (a user's
own CSV in the same format, e.g. an enterprise's measured factor or a provincial table) gets a
higher priority than every shipped set, and never touches the shipped files. The calculation
resolves priority: :func:`active_factors` returns every active row with its set's priority.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from inventory.db.reference import ControlEfficiency, Factor, FactorSet
from inventory.errors import FactorDataError, InputFileError
from inventory.factors.tables import (
    FactorTables,
    check_efficiency_table,
    check_factor_table,
    read_shipped_tables,
    read_tables,
)

__all__ = [
    "FACTOR_COLUMNS",
    "LOCAL_PRIORITY_BASE",
    "SHIPPED_SET_NAME",
    "active_efficiencies",
    "active_factors",
    "add_local_factor_set",
    "factor_set_rows",
    "list_factor_sets",
    "load_shipped_factor_set",
]

SHIPPED_SET_NAME = "shipped"
LOCAL_PRIORITY_BASE = 100
"""Local sets get priority 100, 101, ... (later sets above earlier); shipped sets have 0."""

FACTOR_COLUMNS: tuple[str, ...] = (
    "factor_id",
    "priority",
    "class_code",
    "pollutant",
    "fuel",
    "technology",
    "product",
    "vehicle_class",
    "standard",
    "activity_type",
    "size_min",
    "size_max",
    "size_unit",
    "value",
    "unit",
    "basis",
    "source",
    "factor_key",
    "factor_set_id",
    "confidence",
    "derived",
)
"""Columns of :func:`active_factors`: the calculation contract's, then provenance extras."""

_SELECTORS = (
    "fuel",
    "technology",
    "product",
    "vehicle_class",
    "standard",
    "activity_type",
    "size_unit",
)


def _raise_on_problems(tables: FactorTables, origin: str) -> None:
    problems = pd.concat(
        [check_factor_table(tables.factors), check_efficiency_table(tables.efficiencies)],
        ignore_index=True,
    )
    if not problems.empty:
        first = problems.iloc[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise FactorDataError(
            f"{origin}: {first['table']}", f"{first['message']}{more}", int(first["row"])
        )


def _blank(value: str) -> str | None:
    return value if value else None


def _number(value: str) -> float | None:
    return float(value) if value else None


def _insert_rows(session: Session, factor_set: FactorSet, tables: FactorTables) -> None:
    # one executemany per table: the ORM's add_all would send one INSERT per row
    factor_rows = [
        {
            "factor_set_id": factor_set.id,
            "factor_key": row.factor_key,
            "table_name": row.table_name,
            "class_code": row.class_code,
            "pollutant": row.pollutant,
            "fuel": _blank(row.fuel),
            "technology": _blank(row.technology),
            "product": _blank(row.product),
            "vehicle_class": _blank(row.vehicle_class),
            "standard": _blank(row.standard),
            "activity_type": _blank(row.activity_type),
            "size_min": _number(row.size_min),
            "size_max": _number(row.size_max),
            "size_unit": _blank(row.size_unit),
            "value": float(row.value),
            "unit": row.unit,
            "basis": row.basis,
            "derived": row.derived == "yes",
            "source_document": row.source_document,
            "table_or_page": _blank(row.table_or_page),
            "confidence": _blank(row.confidence),
            "note": _blank(row.note),
        }
        for row in tables.factors.itertuples(index=False)
    ]
    efficiency_rows = [
        {
            "factor_set_id": factor_set.id,
            "technology": row.technology,
            "pollutant": row.pollutant,
            "efficiency": float(row.efficiency_pct) / 100.0,
            "kind": row.kind,
            "source_document": row.source_document,
            "table_or_page": _blank(row.table_or_page),
            "confidence": _blank(row.confidence),
            "note": _blank(row.note),
        }
        for row in tables.efficiencies.itertuples(index=False)
    ]
    if factor_rows:
        session.execute(insert(Factor), factor_rows)
    if efficiency_rows:
        session.execute(insert(ControlEfficiency), efficiency_rows)
    session.flush()


def _existing(session: Session, name: str, version: str) -> FactorSet | None:
    return session.scalars(
        select(FactorSet).where(FactorSet.name == name, FactorSet.version == version)
    ).first()


def load_shipped_factor_set(session: Session) -> int:
    """Load the shipped factor library unless this version is already in the store.

    Returns the number of sets added (0 or 1). A new version retires older shipped sets.
    """
    tables = read_shipped_tables()
    version = tables.checksum[:16]
    if _existing(session, SHIPPED_SET_NAME, version) is not None:
        return 0
    _raise_on_problems(tables, "shipped factor library")
    session.execute(update(FactorSet).where(FactorSet.kind == "shipped").values(active=False))
    factor_set = FactorSet(
        name=SHIPPED_SET_NAME,
        version=version,
        kind="shipped",
        priority=0,
        checksum=tables.checksum,
        description="Factor library shipped with the package (factors/emission_factors, "
        "parameters.csv, control_efficiencies.csv)",
        loaded_at=datetime.now(UTC),
        active=True,
    )
    session.add(factor_set)
    session.flush()
    _insert_rows(session, factor_set, tables)
    return 1


def add_local_factor_set(
    session: Session, path: Path, name: str, description: str | None = None
) -> tuple[FactorSet, bool]:
    """Load a user's factor (or efficiency) CSV as a local set above every shipped set.

    Returns the set and whether it was newly added (False when the same file is already loaded
    under ``name``). A changed file under an existing name becomes a new version of that set.
    """
    if not path.is_file():
        raise InputFileError(str(path), "the file does not exist")
    if name == SHIPPED_SET_NAME:
        raise FactorDataError(str(path), f"the name {SHIPPED_SET_NAME!r} is reserved")
    tables = read_tables([path])
    version = tables.checksum[:16]
    existing = _existing(session, name, version)
    if existing is not None:
        return existing, False
    _raise_on_problems(tables, str(path))
    highest = session.scalar(select(func.max(FactorSet.priority)).where(FactorSet.kind == "local"))
    priority = LOCAL_PRIORITY_BASE if highest is None else int(highest) + 1
    session.execute(update(FactorSet).where(FactorSet.name == name).values(active=False))
    factor_set = FactorSet(
        name=name,
        version=version,
        kind="local",
        priority=priority,
        checksum=tables.checksum,
        description=description or f"local factors from {path.name}",
        loaded_at=datetime.now(UTC),
        active=True,
    )
    session.add(factor_set)
    session.flush()
    _insert_rows(session, factor_set, tables)
    return factor_set, True


def list_factor_sets(session: Session) -> pd.DataFrame:
    """Every factor set with its number of factors and efficiencies, newest first."""
    factor_counts = (
        select(Factor.factor_set_id, func.count().label("factors"))
        .group_by(Factor.factor_set_id)
        .subquery()
    )
    efficiency_counts = (
        select(ControlEfficiency.factor_set_id, func.count().label("efficiencies"))
        .group_by(ControlEfficiency.factor_set_id)
        .subquery()
    )
    query = (
        select(
            FactorSet.id,
            FactorSet.name,
            FactorSet.version,
            FactorSet.kind,
            FactorSet.priority,
            FactorSet.active,
            func.coalesce(factor_counts.c.factors, 0).label("factors"),
            func.coalesce(efficiency_counts.c.efficiencies, 0).label("efficiencies"),
            FactorSet.loaded_at,
            FactorSet.description,
        )
        .outerjoin(factor_counts, factor_counts.c.factor_set_id == FactorSet.id)
        .outerjoin(efficiency_counts, efficiency_counts.c.factor_set_id == FactorSet.id)
        .order_by(FactorSet.id.desc())
    )
    return pd.DataFrame(session.execute(query).all(), columns=list(query.selected_columns.keys()))


def factor_set_rows(session: Session, set_id: int) -> pd.DataFrame:
    """All factor rows of one set, with their provenance columns."""
    columns = [
        Factor.id.label("factor_id"),
        Factor.factor_key,
        Factor.table_name,
        Factor.class_code,
        Factor.pollutant,
        *(getattr(Factor, name) for name in _SELECTORS if name != "size_unit"),
        Factor.size_min,
        Factor.size_max,
        Factor.size_unit,
        Factor.value,
        Factor.unit,
        Factor.basis,
        Factor.derived,
        Factor.source_document,
        Factor.table_or_page,
        Factor.confidence,
        Factor.note,
    ]
    query = select(*columns).where(Factor.factor_set_id == set_id).order_by(Factor.id)
    return pd.DataFrame(session.execute(query).all(), columns=list(query.selected_columns.keys()))


def active_factors(session: Session) -> pd.DataFrame:
    """Factors of every active set, in the calculation contract's columns (see FACTOR_COLUMNS).

    ``source`` is "document, table_or_page"; blank selectors are None (wildcards); size bounds
    NaN when open; a blank activity_type (any activity) is None. Priority is the set's: the
    calculation keeps the highest per match.
    """
    query = (
        select(
            Factor.id.label("factor_id"),
            FactorSet.priority,
            Factor.class_code,
            Factor.pollutant,
            Factor.fuel,
            Factor.technology,
            Factor.product,
            Factor.vehicle_class,
            Factor.standard,
            Factor.activity_type,
            Factor.size_min,
            Factor.size_max,
            Factor.size_unit,
            Factor.value,
            Factor.unit,
            Factor.basis,
            Factor.source_document,
            Factor.table_or_page,
            Factor.factor_key,
            Factor.factor_set_id,
            Factor.confidence,
            Factor.derived,
        )
        .join(FactorSet, FactorSet.id == Factor.factor_set_id)
        .where(FactorSet.active.is_(True))
        .order_by(Factor.id)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=list(query.selected_columns.keys()))
    page = frame["table_or_page"].fillna("")
    frame["source"] = frame["source_document"].where(
        page == "", frame["source_document"] + ", " + page
    )
    frame["factor_id"] = frame["factor_id"].astype("int64")
    frame["priority"] = frame["priority"].astype("int64")
    for column in ("size_min", "size_max", "value"):
        frame[column] = frame[column].astype("float64")
    for column in (
        "class_code",
        "pollutant",
        "unit",
        "basis",
        "source",
        "factor_key",
        "confidence",
    ):
        frame[column] = frame[column].astype(object)
    # parameter rows carry no pollutant; blank selectors are wildcards
    for column in ("pollutant", *_SELECTORS):
        blank = frame[column].isna() | (frame[column] == "")
        frame[column] = frame[column].where(~blank, None)
    return frame[list(FACTOR_COLUMNS)]


def active_efficiencies(session: Session, kind: str = "removal") -> pd.DataFrame:
    """Control efficiencies of active sets: technology, pollutant, efficiency (fraction 0-1),
    source, priority; a local set's row wins over a shipped one for the same pair."""
    query = (
        select(
            ControlEfficiency.technology,
            ControlEfficiency.pollutant,
            ControlEfficiency.efficiency,
            ControlEfficiency.source_document,
            ControlEfficiency.table_or_page,
            FactorSet.priority,
        )
        .join(FactorSet, FactorSet.id == ControlEfficiency.factor_set_id)
        .where(FactorSet.active.is_(True), ControlEfficiency.kind == kind)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=list(query.selected_columns.keys()))
    page = frame["table_or_page"].fillna("")
    frame["source"] = frame["source_document"].where(
        page == "", frame["source_document"] + ", " + page
    )
    frame = frame.sort_values("priority", ascending=False, kind="stable")
    frame = frame.drop_duplicates(["technology", "pollutant"], keep="first")
    frame["efficiency"] = frame["efficiency"].astype("float64")
    return frame[["technology", "pollutant", "efficiency", "source", "priority"]].reset_index(
        drop=True
    )
