"""Every command has help, and docs/cli.md is in step with it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from inventory.cli import main
from inventory.cli.reference import iter_commands, render_cli_reference

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_every_command_has_help() -> None:
    commands = iter_commands(main)
    assert commands
    for name, command in commands:
        assert (command.help or "").strip(), f"{name} has no help text"
        args = [*name.split()[1:], "--help"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (name, result.output)


def test_cli_reference_is_up_to_date() -> None:
    expected = render_cli_reference(main)
    assert DOCS.exists(), "run: python scripts/gen_cli_docs.py"
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "docs/cli.md is out of date; run: python scripts/gen_cli_docs.py"
    )
