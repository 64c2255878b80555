"""``dump``: write every table of a store, with its schema revision, to a folder of CSV files.

The folder is written next to its final place under a temporary name and renamed when complete,
so a dump that is interrupted never looks like a finished one. All tables are read in one
transaction (REPEATABLE READ on PostgreSQL, one read transaction on SQLite's WAL), so the dump is
one consistent snapshot even while others write.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, select

from inventory import __version__
from inventory.backup.codec import column_category, encoder_for
from inventory.backup.manifest import (
    ColumnSpec,
    DumpManifest,
    TableSpec,
    file_sha256,
    write_manifest,
)
from inventory.config import redact_url
from inventory.db.session import make_engine, sqlite_file
from inventory.errors import BackupError, DatabaseNotInitialised

__all__ = ["dump_database", "dump_engine"]

ROWS_PER_FETCH = 10_000


def dump_database(url: str, folder: Path) -> DumpManifest:
    """Dump the database at ``url`` into ``folder`` (which must not exist or be empty).

    The schema may be older than this package's head: a dump is the backup to take before an
    upgrade. Returns the manifest written as ``folder/manifest.json``.
    """
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise DatabaseNotInitialised(redact_url(url))
    engine = make_engine(url)
    try:
        return dump_engine(engine, folder)
    finally:
        engine.dispose()


def dump_engine(engine: Engine, folder: Path) -> DumpManifest:
    """Dump every table reachable through ``engine`` into ``folder``; see :func:`dump_database`."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(
            str(folder),
            "already exists and is not an empty folder; a dump never overwrites files.",
            "Give a new folder name, e.g. one with today's date.",
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        with _snapshot(engine) as connection:
            manifest = _write_tables(connection, staging)
        write_manifest(staging, manifest)
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one snapshot of the database."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            # pysqlite opens a transaction only before a write; BEGIN by hand so that every
            # SELECT reads the same WAL snapshot. Rolled back at the end: a dump never writes.
            connection.exec_driver_sql("BEGIN")
            try:
                yield connection
            finally:
                connection.rollback()
    else:
        options = {"isolation_level": "REPEATABLE READ"}
        with engine.connect().execution_options(**options) as connection, connection.begin():
            yield connection


def _write_tables(connection: Connection, folder: Path) -> DumpManifest:
    metadata = MetaData()
    metadata.reflect(bind=connection)
    if "alembic_version" not in metadata.tables:
        raise DatabaseNotInitialised(redact_url(connection.engine.url.render_as_string()))
    revision = connection.execute(select(metadata.tables["alembic_version"])).scalar()
    if revision is None:
        raise DatabaseNotInitialised(redact_url(connection.engine.url.render_as_string()))
    manifest = DumpManifest(
        schema_revision=str(revision),
        package_version=__version__,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source_backend=connection.dialect.name,
    )
    for table in metadata.sorted_tables:
        manifest.tables.append(_write_table(connection, table, folder))
    return manifest


def _write_table(connection: Connection, table: Table, folder: Path) -> TableSpec:
    columns: list[ColumnSpec] = []
    for column in table.columns:
        category = column_category(column.type)
        if category is None:
            raise BackupError(
                f"{table.name}.{column.name}",
                f"has the SQL type {column.type}, which the dump format cannot hold.",
            )
        columns.append(ColumnSpec(column.name, category, str(column.type), bool(column.nullable)))
    encoders = [encoder_for(spec.category) for spec in columns]
    order = list(table.primary_key.columns) or list(table.columns)
    query = select(table).order_by(*order)
    path = folder / f"{table.name}.csv"
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)  # "\r\n" ends rows; fields holding \r or \n are quoted
        writer.writerow([spec.name for spec in columns])
        result = connection.execution_options(stream_results=True).execute(query)
        for chunk in result.partitions(ROWS_PER_FETCH):
            writer.writerows(_encode_rows(chunk, encoders))
            rows += len(chunk)
    primary_key = [column.name for column in table.primary_key.columns]
    return TableSpec(table.name, path.name, rows, file_sha256(path), primary_key, columns)


def _encode_rows(rows: Any, encoders: list[Any]) -> list[list[str]]:
    return [[encode(value) for encode, value in zip(encoders, row, strict=True)] for row in rows]
