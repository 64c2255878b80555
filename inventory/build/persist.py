"""Write a run, its result rows and its QA findings in one transaction, through the driver's
bulk path (SQLite ``executemany`` on the raw connection, PostgreSQL binary ``COPY``).

The ORM sends one INSERT per row; at 10^6 result rows that is 24-32x slower than the driver
(see docs/performance.md), so results go straight to the DBAPI connection that SQLAlchemy
holds, inside the same transaction as the run row: a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Connection, Engine, Float, Integer, insert

from inventory.db.models import EmissionResult, QAFinding, Run
from inventory.qa.catalogue import FINDING_COLUMNS
from inventory.results.frame import RESULT_COLUMNS

__all__ = ["bulk_insert", "store_run"]


def _column_lists(frame: pd.DataFrame, columns: list[str]) -> list[list[Any]]:
    """Each column as a list of plain Python values, None for missing."""
    lists = []
    for column in columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            objects = values.astype(object)
            lists.append(objects.where(objects.notna(), None).tolist())
        elif pd.api.types.is_bool_dtype(values.dtype) and not values.hasnans:
            lists.append(values.astype(bool).tolist())
        else:
            objects = values.astype(object)
            lists.append(objects.where(values.notna(), None).tolist())
    return lists


def _pg_type(table: Any, column: str) -> str:
    kind = table.c[column].type
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, Integer):
        return "int4"
    if isinstance(kind, Float):
        return "float8"
    return "text"


def bulk_insert(
    connection: Connection,
    table: Any,
    frame: pd.DataFrame,
    columns: list[str],
    progress: Callable[[int], None] | None = None,
) -> None:
    """Insert ``frame[columns]`` into ``table`` with the driver's bulk path, in the open
    transaction of ``connection``."""
    if frame.empty:
        return
    rows: Iterable[tuple[Any, ...]] = zip(*_column_lists(frame, columns), strict=True)
    raw: Any = connection.connection.dbapi_connection
    assert raw is not None
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        cursor = raw.cursor()
        statement = f"COPY {table.name} ({names}) FROM STDIN (FORMAT BINARY)"
        with cursor.copy(statement) as copy:
            copy.set_types([_pg_type(table, column) for column in columns])
            for row in rows:
                copy.write_row(row)
        cursor.close()
    else:
        cursor = raw.cursor()
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
        cursor.close()
    if progress is not None:
        progress(len(frame))


def store_run(
    engine: Engine,
    run_values: dict[str, Any],
    results: pd.DataFrame,
    findings: pd.DataFrame,
) -> int:
    """Store a run row, its result rows (``RESULT_COLUMNS``) and QA findings atomically.

    Returns the new run id. If anything fails, nothing of the run is kept.
    """
    with engine.begin() as connection:
        run_id = int(
            connection.execute(insert(Run).values(**run_values).returning(Run.id)).scalar_one()
        )
        results = results.assign(run_id=run_id)
        bulk_insert(connection, EmissionResult.__table__, results, ["run_id", *RESULT_COLUMNS])
        findings = findings.assign(run_id=run_id)
        bulk_insert(connection, QAFinding.__table__, findings, ["run_id", *FINDING_COLUMNS])
    return run_id
