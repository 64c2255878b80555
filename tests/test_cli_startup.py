"""The CLI starts without pandas or SQLAlchemy: ``--help`` must not pay for the heavy libraries.

Each check runs in a fresh interpreter, since the test process itself has long imported both.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "sqlalchemy")

# Runs ``inventory --help`` and ``inventory COMMAND --help`` for every command in one process,
# then prints which heavy libraries got imported on the way.
HELP_EVERYWHERE = """
import sys
from inventory.cli import main
from inventory.cli.reference import iter_commands

commands = [[]] + [full.split()[1:] for full, _ in iter_commands(main)]
for words in commands:
    try:
        main([*words, "--help"], prog_name="inventory", standalone_mode=False)
    except SystemExit:
        pass
print("COMMANDS", len(commands))
print("LOADED", ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def _run(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return completed.stdout


def test_importing_the_cli_loads_neither_pandas_nor_sqlalchemy() -> None:
    out = _run(
        "import inventory.cli, sys; print('pandas' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    assert out.split() == ["False", "False"]


def test_help_of_every_command_loads_neither_pandas_nor_sqlalchemy() -> None:
    out = _run(HELP_EVERYWHERE.format(heavy=HEAVY))
    *_help, commands, loaded = out.splitlines()
    # the program and more than a handful of commands were really asked for their help
    assert "Usage: inventory scenario run" in out
    assert commands.startswith("COMMANDS ") and int(commands.split()[1]) > 20
    assert loaded == "LOADED "


def test_python_dash_m_inventory_runs_the_same_command_line() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "inventory", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert completed.stdout.startswith("Usage: inventory [OPTIONS] COMMAND")
