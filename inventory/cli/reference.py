"""Render the CLI reference (docs/cli.md) from the commands themselves, so it never drifts."""

from __future__ import annotations

import click

__all__ = ["HELP_OPTIONS", "iter_commands", "render_cli_reference"]

HELP_OPTIONS = ["-h", "--help"]


def iter_commands(group: click.Group, prefix: str = "inventory") -> list[tuple[str, click.Command]]:
    """Every command under ``group`` as (full name, command), depth first, sorted by name."""
    found: list[tuple[str, click.Command]] = []
    ctx = click.Context(group, info_name=prefix, help_option_names=HELP_OPTIONS)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        full = f"{prefix} {name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found.extend(iter_commands(command, full))
    return found


def _help_text(command: click.Command, full_name: str) -> str:
    # the same help options as a real invocation (click caches the help option per command)
    ctx = click.Context(command, info_name=full_name, help_option_names=HELP_OPTIONS)
    formatter = ctx.make_formatter()
    formatter.width = 100
    command.format_help(ctx, formatter)
    return formatter.getvalue().rstrip()


def render_cli_reference(main: click.Group) -> str:
    """The Markdown CLI reference: the ``--help`` of the program and of every command."""
    parts = [
        "# CLI reference",
        "",
        "Generated from the commands' own `--help` by `python scripts/gen_cli_docs.py`;",
        "`tests/test_cli_reference.py` fails when this file and the commands disagree.",
        "",
        "## inventory",
        "",
        "```text",
        _help_text(main, "inventory"),
        "```",
    ]
    for full_name, command in iter_commands(main):
        parts += ["", f"## {full_name}", "", "```text", _help_text(command, full_name), "```"]
    return "\n".join(parts) + "\n"
