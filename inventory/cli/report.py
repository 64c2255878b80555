"""``inventory report`` (Excel workbook) and ``inventory plot`` (PNG charts)."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.common import db_option, get_state
from inventory.cli.results import run_selection

__all__ = ["plot_command", "report_command"]


@click.command("report")
@db_option
@run_selection
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("inventory.xlsx"),
    show_default=True,
    help="The workbook to write (.xlsx).",
)
@click.option(
    "--compare-with",
    type=int,
    default=None,
    help="Run to compare with (default: the newest base run of the previous year).",
)
def report_command(
    run_id: int | None, year: int | None, output: Path, compare_with: int | None
) -> None:
    """Write a run's report workbook: summaries by sector and county, top emitters, detail
    with provenance, QA findings, comparison and diff with the previous year, charts."""
    from inventory.report import write_report
    from inventory.results import resolve_run

    engine = get_state().engine()
    run = resolve_run(engine, run_id, year)
    path = write_report(engine, run, output, compare_with=compare_with)
    click.echo(f"Wrote the report of run {run} to {path}.")


@click.command("plot")
@db_option
@run_selection
@click.option(
    "-d",
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("charts"),
    show_default=True,
    help="Directory for the PNG files.",
)
@click.option(
    "--pollutant", "pollutants", default="NOx,VOCs", show_default=True, help="Pollutants to plot."
)
def plot_command(run_id: int | None, year: int | None, directory: Path, pollutants: str) -> None:
    """Write PNG charts of a run: each pollutant by sector and by county."""
    from inventory.report import plot_run
    from inventory.results import resolve_run

    engine = get_state().engine()
    run = resolve_run(engine, run_id, year)
    chosen = tuple(p.strip() for p in pollutants.split(",") if p.strip())
    files = plot_run(engine, run, directory, chosen)
    for path in files:
        click.echo(str(path))
    if not files:
        click.echo(f"Run {run} has no emissions of {', '.join(chosen)}: no charts written.")
