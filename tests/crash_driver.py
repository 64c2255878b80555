"""Run the ``inventory`` CLI and kill -9 itself at a chosen point (a helper of the crash tests).

``INVENTORY_CRASH_AT`` says where:

- ``write:N``  -- just before the N-th INSERT/UPDATE/DELETE statement is sent to the database;
- ``commit:N`` -- just before the N-th COMMIT (everything of that transaction is sent, nothing
  committed);
- ``bulk:N``   -- just after the N-th call of the build's driver-level bulk insert returns
  (results sent, QA findings not yet);
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
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

WRITES = ("INSERT", "UPDATE", "DELETE")
counts = {"write": 0, "commit": 0}


def _die() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _install(target: str) -> None:
    kind, _, number = target.partition(":")
    limit = int(number or 0)

    @event.listens_for(Engine, "before_cursor_execute")
    def _on_statement(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            counts["write"] += 1
            if kind == "write" and counts["write"] == limit:
                _die()

    @event.listens_for(Engine, "commit")
    def _on_commit(conn: Any) -> None:
        counts["commit"] += 1
        if kind == "commit" and counts["commit"] == limit:
            _die()

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
    _install(os.environ.get("INVENTORY_CRASH_AT", "count"))
    from inventory.cli import main

    main(sys.argv[1:], prog_name="inventory")
