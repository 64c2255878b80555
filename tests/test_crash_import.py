"""kill -9 during an import, at several points, on SQLite (WAL) and PostgreSQL.

The child process kills itself just before the first write, after the batch row, in the middle
of the writes, before the last write and just before COMMIT, and once more at a time picked
from a clean run's duration. After each kill the store must be as before the import (or, for a
timed kill that landed after COMMIT, exactly as after a complete import): never a half batch.
The same import then runs to the end and gives exactly the rows of a clean import.
"""

from __future__ import annotations

import shutil
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

from inventory.store import initialise

WORKBOOK = SAMPLE / "point-150502.xlsx"
ARGS = ["import", "--partial", str(WORKBOOK)]


def _fresh_copy(url: str, tmp_path: Path, name: str) -> str:
    """A second, identical store for the reference import (SQLite: a file copy)."""
    if url.startswith("sqlite"):
        path = tmp_path / name
        shutil.copy(url.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    return url


@pytest.mark.slow
def test_kill_during_import_leaves_no_half_batch(db_url: str, tmp_path: Path) -> None:
    initialise(db_url)
    before = counts(db_url)

    # a clean import into a copy tells how many writes there are and what the end state is
    reference_url = (
        _fresh_copy(db_url, tmp_path, "reference.db") if db_url.startswith("sqlite") else None
    )
    started = time.monotonic()
    clean = run_cli(reference_url or db_url, ARGS)
    duration = time.monotonic() - started
    assert clean.returncode == 0, clean.stderr
    writes, commits = writes_and_commits(clean.stderr)
    assert writes >= 3 and commits >= 1
    after = counts(reference_url or db_url)
    assert after["import_batch"] == before["import_batch"] + 1
    if reference_url is None:  # PostgreSQL: start again from an empty schema
        _wipe_postgres(db_url)
        assert counts(db_url) == before

    kill_points = sorted(
        {f"write:{n}" for n in (1, 2, writes // 2, writes)} | {f"commit:{commits}"}
    )
    for point in kill_points:
        killed = run_cli(db_url, ARGS, crash_at=point)
        assert killed.returncode == -9, (point, killed.stderr[-500:])
        assert counts(db_url) == before, f"rows changed after a kill at {point}"
        assert_consistent(db_url)

    status = run_killed_after(db_url, ARGS, seconds=duration * 0.8)
    now = counts(db_url)
    assert now in (before, after), f"timed kill (status {status}) left a half import"
    assert_consistent(db_url)

    # the next command works and loads exactly what a clean import loads
    again = run_cli(db_url, ARGS)
    assert again.returncode == 0, again.stderr
    assert counts(db_url) == after
    assert_consistent(db_url)


def _wipe_postgres(url: str) -> None:
    from sqlalchemy import text

    from inventory.db.session import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        for table in ("measured_emission", "activity_record", "control_device", "source_version",
                      "source", "facility_version", "facility", "import_batch"):  # fmt: skip
            connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()
