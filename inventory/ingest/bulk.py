"""Bulk reads and writes of the survey import through the driver's cursor.

The import writes 10^5 rows per sheet: SQLAlchemy Core's per-row parameter processing and row
objects cost more than the database, so rows go in with the driver's executemany (through
``exec_driver_sql``, so that statement events still fire) and keys and ids come back as plain
tuples. Everything runs on the connection of the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Date, DateTime, Table, bindparam, update

from inventory.db.driver_values import python_values
from inventory.ingest.coerce import per_unique

CHUNK = 5000
"""Keys per ``IN (...)`` query."""


def chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def column_values(values: pd.Series, dates_as_text: bool = False) -> list[Any]:
    """A column as Python values for the driver: NaN/NaT/NA -> None, numpy scalars -> Python.

    ``dates_as_text`` (a date column on SQLite): dates and datetimes become the text sqlite3's
    default adapters would store (``isoformat()``, ``isoformat(" ")``), once per distinct value
    instead of one adapter call per cell.
    """
    if dates_as_text and values.dtype == object:
        return cast(list[Any], per_unique(values, sqlite_text).tolist())
    return python_values(values)


def sqlite_text(value: Any) -> Any:
    """A date or datetime as the text sqlite3's default adapters store; numpy scalars as Python."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.item() if isinstance(value, np.generic) else value


def bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Insert every row of ``frame`` with the driver's executemany through
    ``exec_driver_sql`` (no per-row SQLAlchemy work: Core's parameter processing cost more than
    the database at 10^5 rows).

    A column that is empty in every row and is nullable without a server default is left out
    of the statement: it reads NULL all the same, and binding a NULL per row and column was
    most of the insert (a boiler sheet fills 14 of the 36 columns of ``source_version``).
    """
    if not len(frame):
        return 0
    columns = [c for c in frame.columns if not omittable(table, c, frame[c])]
    sqlite = conn.dialect.name == "sqlite"
    rows = list(
        zip(
            *(column_values(frame[c], dates_as_text=sqlite and is_date(table, c)) for c in columns),
            strict=True,
        )
    )
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([marker(conn)] * len(columns))})"
    )
    conn.exec_driver_sql(sql, rows)  # the driver's executemany; statement events fire
    return len(rows)


def map_ids(values: pd.Series, ids: dict[Any, int]) -> pd.Series:
    """``values.map(ids)`` (int64, or float64 with NaN where a key is missing) by plain dict
    lookups: ``Series.map`` first turns a dict of 10^5 keys into an indexed Series."""
    found = list(map(ids.get, values.to_numpy(dtype=object).tolist()))
    if None in found:
        return pd.Series(
            [np.nan if f is None else f for f in found], index=values.index, dtype=float
        )
    return pd.Series(np.asarray(found, dtype=np.int64), index=values.index)


def is_date(table: Table, name: str) -> bool:
    """Whether column ``name`` of ``table`` holds dates or datetimes."""
    return isinstance(table.c[name].type, (Date, DateTime))


def omittable(table: Table, name: str, values: pd.Series) -> bool:
    """Whether an all-empty column can be left out of an INSERT (nullable, no server default)."""
    column = table.c[name]
    if not column.nullable or column.server_default is not None:
        return False
    # the first cell decides most columns without a scan of all of them
    return not (len(values) and not _is_missing(values.iloc[0])) and bool(values.isna().all())


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar: a value, not a blank
        return False


def marker(conn: Connection) -> str:
    """The driver's parameter marker (``?`` for sqlite3, ``%s`` for psycopg)."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def raw_rows(conn: Connection, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
    """Rows of one query in the driver's SQL through its cursor, as plain tuples (building
    SQLAlchemy rows for 10^5 keys and ids cost more than the query)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def pairs_in(
    conn: Connection, table: Table, key: str, value: str, keys: list[Any]
) -> dict[Any, Any]:
    """``key`` -> ``value`` of the rows of ``table`` whose ``key`` is one of ``keys`` (plain
    columns: texts and integers, read through the driver's cursor)."""
    quote = conn.dialect.identifier_preparer.quote
    found: dict[Any, Any] = {}
    for chunk in chunks(keys):
        sql = (
            f"SELECT {quote(key)}, {quote(value)} FROM {quote(table.name)} "
            f"WHERE {quote(key)} IN ({', '.join([marker(conn)] * len(chunk))})"
        )
        found.update(raw_rows(conn, sql, tuple(chunk)))
    return found


def as_date(values: pd.Series) -> pd.Series:
    """Dates as ``datetime.date`` (None when missing), converted once per distinct value."""
    return pd.Series(per_unique(values, one_date), index=values.index, dtype=object)


def one_date(value: Any) -> dt.date | None:
    """One cell as a ``datetime.date`` (None when missing)."""
    stamp = (
        pd.Timestamp(value)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime)
        else None
    )
    if stamp is None:
        return cast(dt.date, value)
    return None if pd.isna(stamp) else cast(dt.date, stamp.date())


def ids_of_batch(
    conn: Connection, table: Table, key: str, batch_column: str, batch_id: int
) -> dict[Any, int]:
    """``key`` -> id of the rows this batch inserted (one row per key and batch)."""
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"SELECT {quote(key)}, {quote('id')} FROM {quote(table.name)} "
        f"WHERE {quote(batch_column)} = {marker(conn)}"
    )
    return dict(raw_rows(conn, sql, (int(batch_id),)))


def update_valid_to(conn: Connection, table: Table, closes: pd.DataFrame) -> int:
    """Set ``valid_to`` of the versions in ``closes`` (version_id, valid_to); returns how many."""
    if not len(closes):
        return 0
    statement = (
        update(table).where(table.c.id == bindparam("vid")).values(valid_to=bindparam("vto"))
    )
    rows = [
        {"vid": int(v), "vto": None if pd.isna(t) else pd.Timestamp(t).date()}
        for v, t in zip(closes["version_id"], closes["valid_to"], strict=True)
    ]
    conn.execute(statement, rows)
    return len(rows)


def select_in(conn: Connection, query: Any, column: Any, values: list[Any]) -> list[Any]:
    """Rows of ``query`` whose ``column`` is one of ``values``, in chunks of :data:`CHUNK`."""
    rows: list[Any] = []
    for chunk in chunks(values):
        rows.extend(conn.execute(query.where(column.in_(chunk))).all())
    return rows
