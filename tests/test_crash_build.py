"""kill -9 during a build, at several points, on SQLite (WAL) and PostgreSQL.

Kill points: before the run row is written, after the result rows are sent (driver bulk path),
after the QA findings are sent, just before COMMIT, and at a time picked from a clean build's
duration. After each kill there is no new run and no result row; the next build works and
stores exactly as many rows as a clean build.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from crash_support import (
    SAMPLE,
    assert_consistent,
    counts,
    run_cli,
    run_killed_after,
    writes_and_commits,
)
from sqlalchemy import text

from inventory.db.session import make_engine
from inventory.ingest.importer import import_workbook
from inventory.store import initialise

RUN_TABLES = ("run", "emission_result", "qa_finding")


def _delete_runs(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in ("qa_finding", "emission_result", "run"):
            connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


@pytest.mark.slow
def test_kill_during_build_leaves_no_half_run(db_url: str, tmp_path: Path) -> None:
    initialise(db_url)
    engine = make_engine(db_url)
    for name in ("point-150502.xlsx", "area.xlsx"):
        import_workbook(engine, SAMPLE / name, partial=True)
    engine.dispose()
    before = counts(db_url)
    args = ["build", "--year", "2024"]

    started = time.monotonic()
    clean = run_cli(db_url, args)
    duration = time.monotonic() - started
    assert clean.returncode == 0, clean.stderr
    _, commits = writes_and_commits(clean.stderr)
    after = counts(db_url)
    assert after["run"] == before["run"] + 1 and after["emission_result"] > 0
    _delete_runs(db_url)
    assert counts(db_url) == before

    for point in ["write:1", "bulk:1", "bulk:2", f"commit:{commits}"]:
        killed = run_cli(db_url, args, crash_at=point)
        assert killed.returncode == -9, (point, killed.stderr[-500:])
        now = counts(db_url)
        assert {t: now[t] for t in RUN_TABLES} == {t: before[t] for t in RUN_TABLES}, point
        assert now == before, point
        assert_consistent(db_url)

    status = run_killed_after(db_url, args, seconds=duration * 0.85)
    now = counts(db_url)
    assert now in (before, after), f"timed kill (status {status}) left a half run"
    assert_consistent(db_url)
    if now == after:
        _delete_runs(db_url)

    again = run_cli(db_url, args)
    assert again.returncode == 0, again.stderr
    assert counts(db_url) == after
    assert_consistent(db_url)
