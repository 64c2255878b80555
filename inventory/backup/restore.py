"""``restore``: load a dump folder into an empty database of either kind.

Order of work, so that a bad dump or a wrong target never leaves anything half done:

1. read the manifest and check every file's SHA-256 (nothing is touched before this passes);
2. check the target is empty (a database holding only the reference data that ``inventory init``
   loads counts as empty: those rows are replaced by the dump's);
3. create the schema at the dump's revision through alembic (when the target has none);
4. insert every table in foreign-key order (rows of self-referencing tables parents first) with
   bulk inserts, all in ONE transaction, then reset PostgreSQL's id sequences and compare the row
   counts with the manifest. Any failure rolls the data back.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, MetaData, Table, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from inventory.backup.codec import column_category, decoder_for, fit_datetime
from inventory.backup.manifest import DumpManifest, TableSpec, read_manifest, verify_files
from inventory.config import redact_url
from inventory.db.migrate import alembic_config, current_revision
from inventory.db.session import make_engine
from inventory.errors import BackupError, RestoreTargetNotEmpty

__all__ = ["REFERENCE_TABLES", "RestoreReport", "restore_database", "restore_engine"]

# Tables `inventory init` fills from the shipped data: a target holding only these is "empty".
REFERENCE_TABLES = frozenset(
    {"region", "source_class", "factor_set", "factor", "control_efficiency"}
)
ROWS_PER_INSERT = 5_000
VERSION_TABLE = "alembic_version"


@dataclass
class RestoreReport:
    """What a restore loaded."""

    schema_revision: str
    tables: int
    rows: int
    replaced_reference_rows: int


def restore_database(url: str, folder: Path) -> RestoreReport:
    """Restore the dump in ``folder`` into the (empty) database at ``url``."""
    manifest = read_manifest(Path(folder))
    verify_files(Path(folder), manifest)
    engine = make_engine(url)
    try:
        return restore_engine(engine, Path(folder), manifest)
    finally:
        engine.dispose()


def restore_engine(
    engine: Engine, folder: Path, manifest: DumpManifest | None = None
) -> RestoreReport:
    """Restore through an existing engine; see :func:`restore_database`."""
    if manifest is None:
        manifest = read_manifest(folder)
        verify_files(folder, manifest)
    _check_revision_known(folder, manifest.schema_revision)
    url = redact_url(engine.url.render_as_string(hide_password=False))
    existing = _row_counts(engine)
    reference_only = _holds_only_init_reference_data(engine, existing)
    if any(existing.values()) and not reference_only:
        held = sorted((name in REFERENCE_TABLES, name) for name, n in existing.items() if n)
        raise RestoreTargetNotEmpty(url, {name: existing[name] for _, name in held})
    current = current_revision(engine)
    if current is None and existing:
        raise BackupError(
            url,
            f"has tables ({', '.join(sorted(existing)[:5])}) but no inventory schema revision; "
            "nothing was restored.",
            "Restore into a new, empty database.",
        )
    if current is None:
        command.upgrade(alembic_config(engine), manifest.schema_revision)
    elif current != manifest.schema_revision:
        raise BackupError(
            str(folder),
            f"is at schema revision {manifest.schema_revision}, but the target database "
            f"{url} is at {current}; nothing was restored.",
            "Restore into a database that has no schema yet, then run `inventory init`.",
        )
    replaced = sum(existing.values())
    try:
        with engine.begin() as connection:
            tables = _target_tables(connection, folder, manifest)
            _delete_reference_rows(connection, tables, existing)
            for spec in manifest.tables:
                if spec.name != VERSION_TABLE:
                    _load_table(connection, tables[spec.name], folder / spec.file, spec)
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection, list(tables.values()))
            _check_counts(connection, tables, manifest, folder)
    except DBAPIError as exc:
        first_line = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise BackupError(
            str(folder),
            f"could not be loaded into {url}: {first_line}; no row was kept.",
            "The target back end may not hold some value (e.g. a NUL character in text on "
            "PostgreSQL); run with --debug to see the statement.",
        ) from exc
    return RestoreReport(
        manifest.schema_revision, len(manifest.tables), manifest.total_rows, replaced
    )


def _check_revision_known(folder: Path, revision: str) -> None:
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError as exc:
        raise BackupError(
            str(folder),
            f"was made at schema revision {revision!r}, which this version of inventory does not "
            "know; nothing was restored.",
            "Restore it with the version of inventory that made it (or a newer one).",
        ) from exc


def _row_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the target except alembic's own."""
    names = [n for n in inspect(engine).get_table_names() if n != VERSION_TABLE]
    if not names:
        return {}
    metadata = MetaData()
    metadata.reflect(bind=engine, only=names)
    with engine.connect() as connection:
        return {
            name: int(
                connection.scalar(select(func.count()).select_from(metadata.tables[name])) or 0
            )
            for name in names
        }


def _holds_only_init_reference_data(engine: Engine, existing: dict[str, int]) -> bool:
    """True when rows exist only in the reference tables and no factor set is a local one."""
    if any(n for name, n in existing.items() if name not in REFERENCE_TABLES):
        return False
    if not existing.get("factor_set"):
        return True
    metadata = MetaData()
    metadata.reflect(bind=engine, only=["factor_set"])
    factor_set = metadata.tables["factor_set"]
    if "kind" not in factor_set.c:
        return False
    with engine.connect() as connection:
        kinds = set(connection.scalars(select(factor_set.c.kind).distinct()))
    return kinds <= {"shipped"}


def _target_tables(
    connection: Connection, folder: Path, manifest: DumpManifest
) -> dict[str, Table]:
    metadata = MetaData()
    metadata.reflect(bind=connection)
    tables: dict[str, Table] = {}
    for spec in manifest.tables:
        table = metadata.tables.get(spec.name)
        dumped = [c.name for c in spec.columns]
        if table is None or sorted(dumped) != sorted(c.name for c in table.columns):
            raise BackupError(
                str(folder),
                f"holds table {spec.name!r} with columns that the schema at revision "
                f"{manifest.schema_revision} does not have; nothing was restored.",
                "The dump may have been edited by hand; restore another copy.",
            )
        for column in spec.columns:
            target_category = column_category(table.c[column.name].type)
            if target_category != column.category:
                raise BackupError(
                    str(folder),
                    f"holds {spec.name}.{column.name} as {column.category}, but the target "
                    f"column is {target_category}; nothing was restored.",
                )
        tables[spec.name] = table
    return tables


def _delete_reference_rows(
    connection: Connection, tables: dict[str, Table], existing: dict[str, int]
) -> None:
    ordered = sorted(
        (tables[name] for name, n in existing.items() if n and name in tables),
        key=lambda t: _fk_depth(t),
        reverse=True,
    )
    for table in ordered:
        connection.execute(table.delete())


def _fk_depth(table: Table, seen: frozenset[str] = frozenset()) -> int:
    """How many foreign-key hops separate a table from tables that reference nothing."""
    parents = {fk.column.table for fk in table.foreign_keys if fk.column.table is not table}
    if not parents or table.name in seen:
        return 0
    return 1 + max(_fk_depth(p, seen | {table.name}) for p in parents)


def _load_table(connection: Connection, table: Table, path: Path, spec: TableSpec) -> None:
    names = [c.name for c in spec.columns]
    decoders = [_decoder(table, c.name, c.category) for c in spec.columns]
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != names:
            raise BackupError(str(path), "has a header that differs from the manifest.")
        rows: Iterator[dict[str, Any]] = (
            {n: d(f) for n, d, f in zip(names, decoders, fields, strict=True)} for fields in reader
        )
        self_refs = [fk for fk in table.foreign_keys if fk.column.table is table]
        if self_refs:
            rows = iter(_parents_first(list(rows), self_refs))
        for chunk in _chunks(rows, ROWS_PER_INSERT):
            connection.execute(table.insert(), chunk)


def _decoder(table: Table, name: str, category: str) -> Callable[[str], Any]:
    decode = decoder_for(category)
    if category != "datetime":
        return decode
    aware = bool(getattr(table.c[name].type, "timezone", False))
    return lambda field: fit_datetime(decode(field), aware)


def _parents_first(rows: list[dict[str, Any]], self_refs: list[Any]) -> list[dict[str, Any]]:
    """Rows of a self-referencing table ordered so that every parent precedes its children."""
    depth: dict[int, int] = {}
    for fk in self_refs:
        child, key = fk.parent.name, fk.column.name
        index = {row[key]: i for i, row in enumerate(rows)}
        for i in range(len(rows)):
            chain, j = 0, i
            while rows[j][child] is not None and rows[j][child] in index and chain <= len(rows):
                j = index[rows[j][child]]
                chain += 1
            depth[i] = max(depth.get(i, 0), chain)
    return [rows[i] for i in sorted(range(len(rows)), key=lambda i: depth.get(i, 0))]


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Move each serial/identity sequence past the largest restored id."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or column_category(keys[0].type) != "integer":
            continue
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {
                "table": connection.dialect.identifier_preparer.quote(table.name),
                "column": keys[0].name,
            },
        )
        if sequence is None:
            continue
        largest = connection.scalar(select(func.max(keys[0])))
        connection.execute(
            text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
            {"sequence": sequence, "value": largest or 1, "called": largest is not None},
        )


def _check_counts(
    connection: Connection, tables: dict[str, Table], manifest: DumpManifest, folder: Path
) -> None:
    for spec in manifest.tables:
        if spec.name == VERSION_TABLE:
            continue
        count = connection.scalar(select(func.count()).select_from(tables[spec.name]))
        if count != spec.rows:
            raise BackupError(
                str(folder),
                f"lists {spec.rows} rows of {spec.name} but {count} were loaded; "
                "nothing was restored.",
            )
