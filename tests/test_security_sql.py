"""SQL-looking text through every filter and key option of the CLI: a clear error or an empty
result, the text stored literally where it is data, and every table still there afterwards.

The options are found by walking the commands (so a new option is covered without editing this
file); required options get a plausible value (year 2024, run 1) and the SQL text goes into one
option or argument at a time.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from crash_support import SAMPLE, counts
from sqlalchemy import text

from inventory.cli import main
from inventory.cli.reference import iter_commands
from inventory.db.session import make_engine
from inventory.ingest.importer import import_workbook
from inventory.store import initialise

ATTACKS = [
    "x' OR 1=1 --",
    "'; DROP TABLE source; --",
    "1; DELETE FROM import_batch",
    '" OR ""="',
    "%' UNION SELECT name FROM sqlite_master --",
]
# Commands that only write files or need files of their own; their text options are paths.
SKIP = {"inventory demo", "inventory template", "inventory dump", "inventory restore",
        "inventory scenario run", "inventory scenario check", "inventory factors check",
        "inventory import", "inventory factors add", "inventory plot", "inventory report"}  # fmt: skip
FILLERS = {"year": "2024", "run_a": "1", "run_b": "1", "base": "1", "scenario": "1", "run_id": "1"}
DATA_TABLES = ("import_batch", "facility", "facility_version", "source", "source_version",
               "control_device", "activity_record", "measured_emission", "region",
               "source_class", "factor_set", "factor", "control_efficiency")  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sql") / "store.db"
    url = f"sqlite:///{path}"
    initialise(url)
    engine = make_engine(url)
    import_workbook(engine, SAMPLE / "point-150502.xlsx", partial=True)
    engine.dispose()
    assert CliRunner().invoke(main, ["--db", url, "build", "--year", "2024"]).exit_code == 0
    return url


def _invocations() -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for name, command in iter_commands(main):
        if name in SKIP or isinstance(command, click.Group):
            continue
        words = name.split()[1:]
        targets = [
            p for p in command.params
            if p.name != "_db" and not isinstance(p.type, (click.Path, click.types.BoolParamType))
        ]  # fmt: skip
        for target in targets:
            for attack in ATTACKS:
                args: list[str] = [*words]
                for param in command.params:
                    if param is target or not param.required or param.name not in FILLERS:
                        continue
                    args += _as_args(param, FILLERS[str(param.name)])
                args += _as_args(target, attack)
                found.append((f"{name} {target.name}", args))
    return found


def _as_args(param: click.Parameter, value: str) -> list[str]:
    if isinstance(param, click.Argument):
        return [value]
    return [param.opts[0], value]


def test_sql_text_in_every_option_is_harmless(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(store)
    invocations = _invocations()
    covered = {label for label, _ in invocations}
    for expected in ("inventory history key", "inventory sources kind", "inventory totals by",
                     "inventory qa code", "inventory factors show set_name", "inventory build label"):  # fmt: skip
        assert expected in covered, f"{expected} is not exercised"
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)  # commands that write files write them here
    for label, args in invocations:
        result = runner.invoke(main, ["--db", store, *args])
        output = result.output
        assert "Unexpected error" not in output and "Traceback" not in output, (label, args, output)
        assert result.exit_code in (0, 1, 2), (label, args, result.exit_code, output)
        if result.exit_code != 0:
            assert "Error" in output, (label, output)
    after = counts(store)
    assert set(after) == set(before), "a table disappeared"
    for table in DATA_TABLES:
        assert after[table] == before[table], f"{table} changed"
    # where the text is data (a run label), it is stored exactly as typed
    engine = make_engine(store)
    with engine.connect() as connection:
        labels = set(connection.execute(text("SELECT label FROM run")).scalars())
    engine.dispose()
    assert set(ATTACKS) <= labels
