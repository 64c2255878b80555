"""Write a run, its result rows and its QA findings in one transaction, through the driver's
bulk path (SQLite ``executemany`` on the raw connection, PostgreSQL binary ``COPY``).

The ORM sends one INSERT per row; at 10^6 result rows that is 24-32x slower than the driver
(see docs/performance.md), so results go straight to the DBAPI connection that SQLAlchemy
holds, inside the same transaction as the run row: a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Connection, Engine, Float, Integer, insert

from inventory.build.collector import collector_paused
from inventory.db.driver_values import python_values
from inventory.db.models import EmissionResult, QAFinding, Run
from inventory.qa.catalogue import FINDING_COLUMNS
from inventory.results.frame import RESULT_COLUMNS

__all__ = ["bulk_insert", "store_run"]


CHUNK_ROWS = 100_000
"""Rows converted to Python values and handed to the driver at a time (bounds the memory of
the conversion: ~25 Python objects per row)."""


def _row_chunks(frame: pd.DataFrame, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``frame[columns]`` as tuples of plain Python values, converted
    ``CHUNK_ROWS`` at a time."""
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start : start + CHUNK_ROWS]
        yield from zip(*(python_values(chunk[column]) for column in columns), strict=True)


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
    rows = _row_chunks(frame, columns)
    raw: Any = connection.connection.dbapi_connection
    assert raw is not None
    with collector_paused():
        _write(connection.dialect.name, raw, table, columns, rows)
    if progress is not None:
        progress(len(frame))


def _write(
    dialect: str, raw: Any, table: Any, columns: list[str], rows: Iterator[tuple[Any, ...]]
) -> None:
    names = ", ".join(columns)
    if dialect == "postgresql":
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
