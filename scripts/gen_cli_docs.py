"""Regenerate docs/cli.md from the commands' --help (run after changing a command)."""

from __future__ import annotations

from pathlib import Path

from inventory.cli import main
from inventory.cli.reference import render_cli_reference

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
    target.write_text(render_cli_reference(main), encoding="utf-8")
    print(f"wrote {target}")
