"""Run the ``inventory`` CLI and kill -9 itself at a chosen point (a helper of the crash tests).

``INVENTORY_CRASH_AT`` says where:

- ``write:N``  -- just before the N-th INSERT/UPDATE/DELETE statement is sent to the database;
- ``commit:N`` -- just before the N-th COMMIT (everything of that transaction is sent, nothing
  committed);
- ``bulk:N``   -- just after the N-th call of the build's driver-level bulk insert returns
  (results sent, QA findings not yet);
- ``pause:EVENT:N:SECONDS`` -- do not kill: sleep before the N-th ``select``, ``write`` or
  ``commit`` (to make two processes overlap at a known point, for the concurrency tests);
- ``pause:after:MODULE.FUNCTION:SECONDS`` -- sleep each time that function returns (reads that
  go through the driver directly fire no SQLAlchemy event);
- ``count``    -- do not kill; print ``writes=W commits=C`` on stderr at exit (to plan kill points).

The hook is an SQLAlchemy event listener installed from outside: the code under test is not
changed. Bulk paths that bypass SQLAlchemy (PostgreSQL COPY) are not counted as writes, so on
PostgreSQL the ``commit`` point is the one that lands after them.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

WRITES = ("INSERT", "UPDATE", "DELETE")
counts = {"write": 0, "commit": 0, "select": 0}


def _die() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _sleep_after(dotted: str, seconds: float) -> None:
    import importlib

    module_name, _, function_name = dotted.rpartition(".")
    module = importlib.import_module(module_name)
    original = getattr(module, function_name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    setattr(module, function_name, slow)


def _install(target: str) -> None:
    kind, _, number = target.partition(":")
    pause: tuple[str, int, float] | None = None
    if kind == "pause" and number.startswith("after:"):
        _, dotted, seconds = number.split(":")
        _sleep_after(dotted, float(seconds))
        return
    if kind == "pause":
        event_name, n, seconds = number.split(":")
        pause, limit = (event_name, int(n), float(seconds)), 0
    else:
        limit = int(number or 0) if number.isdigit() else 0

    def _reached(event_name: str) -> None:
        counts[event_name] += 1
        if pause is not None and pause[0] == event_name and counts[event_name] == pause[1]:
            time.sleep(pause[2])
        elif kind == event_name and counts[event_name] == limit:
            _die()

    @event.listens_for(Engine, "before_cursor_execute")
    def _on_statement(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        head = statement.lstrip().upper()
        if head.startswith(WRITES):
            _reached("write")
        elif head.startswith("SELECT"):
            _reached("select")

    @event.listens_for(Engine, "commit")
    def _on_commit(conn: Any) -> None:
        _reached("commit")

    if kind == "bulk":
        import inventory.build.persist as persist

        original = persist.bulk_insert

        def bulk_then_die(*args: Any, **kwargs: Any) -> None:
            original(*args, **kwargs)
            counts["bulk"] = counts.get("bulk", 0) + 1
            if counts["bulk"] == limit:
                _die()

        persist.bulk_insert = bulk_then_die  # type: ignore[assignment]

    if kind == "count":
        atexit.register(
            lambda: print(f"writes={counts['write']} commits={counts['commit']}", file=sys.stderr)
        )


if __name__ == "__main__":
    if os.environ.get("INVENTORY_TEST_BUSY_MS"):  # a short SQLite busy timeout, to test giving up
        import inventory.db.session as session

        session.SQLITE_BUSY_TIMEOUT_MS = int(os.environ["INVENTORY_TEST_BUSY_MS"])
    _install(os.environ.get("INVENTORY_CRASH_AT", "count"))
    from inventory.cli import main

    main(sys.argv[1:], prog_name="inventory")
