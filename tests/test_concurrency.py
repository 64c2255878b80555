"""Two people at once: concurrent imports, an import during a build, a second SQLite writer.

Processes are made to overlap at a known point with the driver's ``pause`` hook (sleep before
the N-th SELECT/write/COMMIT): the build pauses between its reads while an import commits; an
import pauses before its COMMIT, holding its writes, while another import runs.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from crash_support import SAMPLE, assert_consistent, counts, run_cli, start_cli
from sqlalchemy import text

from inventory.db.session import make_engine
from inventory.ingest.importer import import_workbook
from inventory.store import initialise

BATCH_TABLES = ("import_batch", "facility", "facility_version", "source", "source_version",
                "control_device", "activity_record", "measured_emission")  # fmt: skip
FIRST, SECOND = SAMPLE / "point-150502.xlsx", SAMPLE / "point-150521.xlsx"


def _batch_counts(url: str) -> dict[str, int]:
    everything = counts(url)
    return {t: everything[t] for t in BATCH_TABLES}


def _sequential_reference(tmp_path: Path) -> dict[str, int]:
    url = f"sqlite:///{tmp_path / 'sequential.db'}"
    initialise(url)
    engine = make_engine(url)
    for path in (FIRST, SECOND):
        assert import_workbook(engine, path, partial=True).written
    engine.dispose()
    return _batch_counts(url)


def _fingerprints(url: str) -> list[tuple[int, str, int]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, fingerprint, n_results FROM run ORDER BY id")
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _finish(process, timeout: float = 300) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out + err


@pytest.mark.slow
def test_import_while_a_build_reads_gives_the_build_one_snapshot(initialised_url: str) -> None:
    url = initialised_url
    engine = make_engine(url)
    import_workbook(engine, FIRST, partial=True)
    engine.dispose()
    assert run_cli(url, ["build", "--year", "2024"]).returncode == 0
    ((_, before_fp, before_n),) = _fingerprints(url)

    # the build sleeps after reading the source list, before the activity; the import commits then
    build = start_cli(
        url, ["build", "--year", "2024"],
        crash_at="pause:after:inventory.build.inputs._operating_sources:10",
    )  # fmt: skip
    time.sleep(4)
    imported = run_cli(url, ["import", "--partial", str(SECOND)])
    assert imported.returncode == 0, imported.stderr
    assert build.poll() is None, "the build did not overlap the import; the test proves nothing"
    code, output = _finish(build)
    assert code == 0, output

    assert run_cli(url, ["build", "--year", "2024"]).returncode == 0
    runs = _fingerprints(url)
    after_fp, after_n = runs[-1][1], runs[-1][2]
    assert after_fp != before_fp, "the import changed nothing the build reads"
    concurrent_fp, concurrent_n = runs[1][1], runs[1][2]
    assert (concurrent_fp, concurrent_n) in {(before_fp, before_n), (after_fp, after_n)}, (
        "the build mixed the inputs from before and after the import"
    )
    assert_consistent(url)


@pytest.mark.slow
@pytest.mark.postgres
def test_two_imports_at_once_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    initialise(postgres_url)
    expected = _sequential_reference(tmp_path)
    # the first import holds all its writes uncommitted for 6 s while the second one runs
    first = start_cli(
        postgres_url, ["import", "--partial", str(FIRST)], crash_at="pause:commit:1:6"
    )
    time.sleep(3)
    second = start_cli(postgres_url, ["import", "--partial", str(SECOND)])
    results = [_finish(first), _finish(second)]
    for code, output in results:
        assert code == 0, output
    assert _batch_counts(postgres_url) == expected, "a row was lost or duplicated"
    assert_consistent(postgres_url)


@pytest.mark.slow
def test_second_sqlite_writer_waits_then_succeeds(sqlite_store: str, tmp_path: Path) -> None:
    expected = _sequential_reference(tmp_path)
    first = start_cli(
        sqlite_store, ["import", "--partial", str(FIRST)], crash_at="pause:commit:1:6"
    )
    time.sleep(3)
    second = start_cli(sqlite_store, ["import", "--partial", str(SECOND)])
    results = [_finish(first), _finish(second)]
    for code, output in results:
        assert code == 0, output
    assert _batch_counts(sqlite_store) == expected
    assert_consistent(sqlite_store)


def test_sqlite_writer_gives_up_with_a_clear_message(sqlite_store: str) -> None:
    """Another program holds the write lock longer than the busy timeout: a clear error, no damage."""
    before = counts(sqlite_store)
    holder = sqlite3.connect(sqlite_store.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        blocked = _run_with_short_timeout(sqlite_store)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert blocked[0] != 0
    assert "locked" in blocked[1] and "Hint:" in blocked[1], blocked[1]
    assert "Traceback" not in blocked[1]
    assert counts(sqlite_store) == before
    assert_consistent(sqlite_store)
    again = run_cli(sqlite_store, ["import", "--partial", str(FIRST)])
    assert again.returncode == 0, again.stderr


def _run_with_short_timeout(url: str) -> tuple[int, str]:
    process = start_cli(url, ["import", "--partial", str(FIRST)], INVENTORY_TEST_BUSY_MS="500")
    return _finish(process)


def test_build_reads_one_snapshot_while_an_import_commits(
    initialised_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import that commits between the build's first and later reads is invisible to it."""
    import openpyxl

    import inventory.build.inputs as build_inputs

    url = initialised_url
    engine = make_engine(url)
    assert import_workbook(engine, FIRST, partial=True).written
    corrected = tmp_path / "corrected.xlsx"
    openpyxl.load_workbook(FIRST).save(corrected)  # same rows, a new file: supersedes activity
    read_sources = build_inputs._operating_sources
    committed: list[int] = []

    def read_sources_then_let_an_import_commit(connection, year):  # type: ignore[no-untyped-def]
        result = read_sources(connection, year)
        other = make_engine(url)
        outcome = import_workbook(other, corrected, partial=True)
        other.dispose()
        assert outcome.written and outcome.batch_id is not None
        committed.append(outcome.batch_id)
        return result

    monkeypatch.setattr(build_inputs, "_operating_sources", read_sources_then_let_an_import_commit)
    inputs = build_inputs.read_inputs(engine, 2024)
    engine.dispose()
    assert committed, "the import did not run inside the build's reads"
    seen = set(inputs.activities["batch_id"].dropna().astype(int))
    assert committed[0] not in seen, "the build saw an import that committed after its snapshot"
    assert len(inputs.activities), "the build lost the activity it should have seen"
