"""``inventory build``: the annual inventory of one year, stored as a run."""

from __future__ import annotations

import sys

import click

from inventory.cli.common import db_option, emit_frame, get_state

__all__ = ["build_command"]

STEPS = {"read": "Reading the source list", "compute": "Computing", "store": "Storing the run"}


@click.command("build")
@db_option
@click.option("--year", type=int, required=True, help="The inventory year.")
@click.option("--label", default=None, help="A label for the run (e.g. 'submitted to the city').")
@click.option(
    "--carry-forward",
    is_flag=True,
    help="A source without activity for the year takes its latest earlier year's (flagged).",
)
def build_command(year: int, label: str | None, carry_forward: bool) -> None:
    """Build the inventory of YEAR from the living source list and store it as a run.

    Prints the run id, a summary (t/yr, pollutant x kind) and the count of QA findings
    (`inventory qa --run ID` lists them). A build that fails stores nothing.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from inventory.build import build_inventory
    from inventory.qa import QAConfig

    engine = get_state().engine()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
        console=None,
    ) as bar:
        task = bar.add_task(f"Building {year}", total=len(STEPS))

        def step(name: str) -> None:
            bar.update(task, description=f"{STEPS.get(name, name)} ({year})", advance=1)

        report = build_inventory(
            engine,
            year,
            label=label,
            carry_forward=carry_forward,
            qa_config=QAConfig.from_environment(),
            progress=step,
        )
    click.echo(
        f"Run {report.run_id}: {year}, {report.n_sources} sources, {report.n_results} result "
        f"rows; fingerprint {report.fingerprint[:12]}."
    )
    emit_frame(report.summary, "table", title=f"Emissions {year} (t/yr)")
    click.echo(
        f"QA: {report.n_errors} error(s), {report.n_warnings} warning(s)"
        + (f"; see `inventory qa --run {report.run_id}`." if len(report.findings) else ".")
    )
