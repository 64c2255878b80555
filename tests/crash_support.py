"""Helpers of the crash tests: run the CLI in a child process that kills itself, check the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, MetaData, func, select, text

from inventory.db.session import make_engine

DRIVER = Path(__file__).with_name("crash_driver.py")
SAMPLE = Path(__file__).resolve().parents[1] / "inventory" / "sample" / "2024"

__all__ = ["SAMPLE", "assert_consistent", "counts", "run_cli", "run_killed_after"]


def run_cli(
    url: str, args: list[str], crash_at: str = "count", timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``inventory --db URL ARGS`` through the crash driver; returns the finished process."""
    env = {**os.environ, "INVENTORY_CRASH_AT": crash_at, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, str(DRIVER), "--db", url, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_killed_after(url: str, args: list[str], seconds: float) -> int:
    """Start the command and SIGKILL it after ``seconds``; returns its exit status."""
    env = {**os.environ, "INVENTORY_CRASH_AT": "none"}
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), "--db", url, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(seconds)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60)


def writes_and_commits(stderr: str) -> tuple[int, int]:
    """The ``writes=W commits=C`` line the driver prints in ``count`` mode."""
    line = [x for x in stderr.splitlines() if x.startswith("writes=")][-1]
    writes, commits = (int(part.split("=")[1]) for part in line.split())
    return writes, commits


def counts(url: str) -> dict[str, int]:
    """Rows in every table of the store at ``url``."""
    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(bind=engine)
        with engine.connect() as connection:
            return {
                t.name: int(connection.scalar(select(func.count()).select_from(t)) or 0)
                for t in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _check_sqlite(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        orphans = connection.execute(text("PRAGMA foreign_key_check")).all()
        assert not orphans, f"rows whose foreign key points nowhere: {orphans[:5]}"


def assert_consistent(url: str) -> None:
    """The store is sound: integrity (SQLite), no orphans, every batch and run complete."""
    engine = make_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            _check_sqlite(engine)
        with engine.connect() as connection:
            # every run holds exactly the result rows it says it has
            for run_id, n_results in connection.execute(
                text("SELECT id, n_results FROM run")
            ).all():
                stored = connection.execute(
                    text("SELECT count(*) FROM emission_result WHERE run_id = :r"), {"r": run_id}
                ).scalar()
                assert stored == n_results, f"run {run_id}: {stored} result rows, says {n_results}"
            # every batch that is recorded has rows or was a file with no data rows
            for table in ("source_version", "activity_record", "measured_emission"):
                stray = connection.execute(
                    text(
                        f"SELECT count(*) FROM {table} t "
                        "WHERE NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.id = t.batch_id)"
                    )
                ).scalar()
                assert stray == 0, f"{table}: rows of a batch that does not exist"
    finally:
        engine.dispose()


def start_cli(
    url: str, args: list[str], crash_at: str = "none", **env: str
) -> subprocess.Popen[str]:
    """Start ``inventory --db URL ARGS`` through the driver without waiting for it."""
    return subprocess.Popen(
        [sys.executable, str(DRIVER), "--db", url, *args],
        env={**os.environ, "INVENTORY_CRASH_AT": crash_at, "COLUMNS": "200", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
