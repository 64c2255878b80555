"""The raw-driver floors that ``scripts/bench.py`` compares the build and the import with.

build: the SELECT statements a build ran, replayed with ``fetchall``, and the rows it wrote
(results and QA findings) written again with sqlite3 ``executemany`` / psycopg binary ``COPY``
in one commit. import: the rows an import wrote, inserted with sqlite3 ``executemany``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def recording_reads() -> Iterator[list[Any]]:
    """Record the SELECT statements every new database connection runs, as the driver gets
    them: SQLite's expanded SQL text (trace callback), or psycopg's (query, params)."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    reads: list[Any] = []

    def is_select(query: Any) -> bool:
        text = query.decode() if isinstance(query, bytes) else str(query)
        return text.lstrip().lower().startswith(("select", "with"))

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if hasattr(dbapi_connection, "set_trace_callback"):  # sqlite3

            def trace(statement: str) -> None:
                if is_select(statement):
                    reads.append(statement)

            dbapi_connection.set_trace_callback(trace)
            return
        import psycopg

        class Recording(psycopg.Cursor):  # type: ignore[type-arg]
            def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
                if is_select(query):
                    reads.append((query, params))
                return super().execute(query, params, **kwargs)

        dbapi_connection.cursor_factory = Recording

    event.listen(Pool, "connect", on_connect)
    try:
        yield reads
    finally:
        event.remove(Pool, "connect", on_connect)


_INPUT_QUERIES = (
    "SELECT v.source_id, v.id, s.kind, s.natural_key, v.class_code, v.region_code, v.fuel,"
    " v.firing, v.product, v.vehicle_class, v.standard, v.machine, v.stage, v.capacity_mw,"
    " v.power_kw, v.load_factor FROM source_version v JOIN source s ON s.id = v.source_id",
    "SELECT id, source_id, batch_id, year, activity_type, fuel, product, quantity, unit, hours,"
    " sulfur_pct, ash_pct, voc_content_pct, km_per_vehicle, power_kw, load_factor"
    " FROM activity_record WHERE year = {year}",
    "SELECT source_version_id, technology, pollutant, efficiency, operating_rate, capture"
    " FROM control_device",
    "SELECT source_id, pollutant, quantity, unit, method FROM measured_emission"
    " WHERE year = {year}",
    "SELECT f.id, f.class_code, f.pollutant, f.fuel, f.technology, f.product, f.vehicle_class,"
    " f.standard, f.size_min, f.size_max, f.size_unit, f.value, f.unit, f.basis"
    " FROM factor f JOIN factor_set s ON s.id = f.factor_set_id WHERE s.active",
)


def driver_floor(engine: Any, reads: list[Any] | None, year: int) -> tuple[float, int, int, float]:
    """Seconds to read the build's inputs and write its rows with the bare driver, one commit.

    ``reads``: the SELECT statements a build ran (``recording_reads``), replayed with
    ``fetchall``; the rows written are the latest run's result rows and QA findings (same
    columns, same values, fetched before the clock starts) under a scratch run row. Removed
    afterwards, untimed. With ``reads`` None, the earlier, narrower floor: five hand-written
    input queries and the result rows only. Returns (seconds, rows written, rows read, CPU
    seconds of this process).
    """
    from inventory.qa.catalogue import FINDING_COLUMNS
    from inventory.results.frame import RESULT_COLUMNS

    tables = [("emission_result", RESULT_COLUMNS)]
    if reads is not None:
        tables.append(("qa_finding", FINDING_COLUMNS))
    raw = engine.raw_connection()
    try:
        dialect = engine.dialect.name
        cursor = raw.cursor()
        cursor.execute("SELECT max(id) FROM run")
        last = int(cursor.fetchone()[0])
        written = []
        for table, columns in tables:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE run_id = {last}")
            fetched = cursor.fetchall()
            types = _pg_types(cursor, table) if dialect == "postgresql" else {}
            written.append((table, ["run_id", *columns], fetched, types))
        raw.commit()
        queries = (
            [(query.format(year=year), None) for query in _INPUT_QUERIES]
            if reads is None
            else [(r, None) if isinstance(r, str) else r for r in reads]
        )
        n_read = 0
        start, cpu = time.perf_counter(), time.process_time()
        for query, params in queries:
            if params is None:
                cursor.execute(query)
            else:
                cursor.execute(query, params)
            n_read += len(cursor.fetchall())
        scratch = _scratch_run(cursor, last)
        n_written = 0
        for table, columns, fetched, types in written:
            names = ", ".join(columns)
            rows = [(scratch, *row) for row in fetched]
            n_written += len(rows)
            if dialect == "postgresql":
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types([types[c] for c in columns])
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        raw.commit()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        for table, *_ in written:
            cursor.execute(f"DELETE FROM {table} WHERE run_id = {scratch}")
        cursor.execute(f"DELETE FROM run WHERE id = {scratch}")
        raw.commit()
        return seconds, n_written, n_read, cpu
    finally:
        raw.close()


def _scratch_run(cursor: Any, copy_of: int) -> int:
    cursor.execute(
        "INSERT INTO run (year, label, created_at, package_version, factor_set_version,"
        " fingerprint, carry_forward, status, n_sources, n_results)"
        " SELECT year, 'driver floor', created_at, package_version, factor_set_version,"
        f" fingerprint, carry_forward, status, n_sources, n_results FROM run WHERE id = {copy_of}"
    )
    cursor.execute("SELECT max(id) FROM run")
    return int(cursor.fetchone()[0])


def _pg_types(cursor: Any, table: str) -> dict[str, str]:
    cursor.execute(
        "SELECT column_name, udt_name FROM information_schema.columns"
        f" WHERE table_name = '{table}' AND table_schema = current_schema()"
    )
    return {name: kind for name, kind in cursor.fetchall()}


_IMPORT_TABLES = ("import_batch", "facility", "facility_version", "source", "source_version",
                  "control_device", "activity_record", "measured_emission")  # fmt: skip


def written_rows(db: Path) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """The rows of every table an import writes, with the columns that hold a value."""
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        tables = []
        for table in _IMPORT_TABLES:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            fetched = cursor.fetchall()
            keep = [i for i in range(len(names)) if any(r[i] is not None for r in fetched)]
            rows = [tuple(r[i] for i in keep) for r in fetched]
            tables.append((table, [names[i] for i in keep], rows))
        return tables
    finally:
        connection.close()


def write_rows(url: str, tables: list[tuple[str, list[str], list[tuple[Any, ...]]]]) -> None:
    from inventory.db.session import make_engine

    engine = make_engine(url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, columns, rows in tables:
            if not rows:
                continue
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
