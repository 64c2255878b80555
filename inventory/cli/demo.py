"""``inventory demo``: the whole cycle on the shipped synthetic sample, in one command."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from inventory.cli.common import emit_frame, get_state

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["demo_command"]


@click.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("inventory-demo"),
    show_default=True,
    help="Folder for the demo database, report workbooks and charts.",
)
@click.option(
    "--db",
    "db",
    default=None,
    metavar="URL",
    help="Use this database instead of DIR/inventory.db (it is initialised if needed).",
)
def demo_command(directory: Path, db: str | None) -> None:
    """Run the whole cycle on the synthetic Tongliao sample (2024 and 2025).

    Imports the sample survey workbooks, builds 2024 and 2025, explains the change, runs the
    Tongliao action-plan scenario on 2025, writes the report workbooks and PNG charts, and prints
    NOx and VOCs by sector, the year-over-year change and the scenario's reductions. The sample
    data are synthetic.
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from inventory.config import redact_url, resolve_db_url
    from inventory.demo import run_demo

    state = get_state()
    url = resolve_db_url(db or state.db) if (db or state.db) else None
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("starting", total=None)
        report = run_demo(directory, url, step=lambda text: progress.update(task, description=text))
        progress.update(task, description="done")

    click.echo(f"\nImported {len(report.imported)} synthetic sample workbooks; runs {report.runs}.")
    emit_frame(_rounded(report.by_sector), "table", "NOx and VOCs by sector (t/yr)")
    emit_frame(_rounded(report.change), "table", "2024 -> 2025: the change explained (t/yr)")
    if len(report.reductions):
        emit_frame(
            _rounded(report.reductions), "table", "Tongliao action plan on 2025: reductions (t/yr)"
        )
    click.echo(f"\nDatabase:  {redact_url(report.db_url)}")
    click.echo(f"Report:    {report.report_path}")
    click.echo(f"Scenario:  {report.scenario_report_path}")
    click.echo(f"Charts:    {report.directory / 'charts'} ({len(report.charts)} PNG files)")
    db_opt = f"--db {redact_url(report.db_url)}"
    click.echo("\nTry next:")
    click.echo(f"  inventory {db_opt} totals --year 2025 --by sector,county --pollutant NOx")
    click.echo(f"  inventory {db_opt} diff {report.runs[2024]} {report.runs[2025]} --by sector")
    click.echo(f"  inventory {db_opt} sources --year 2025 --kind point")
    click.echo("  inventory template -o survey.xlsx   # a blank survey workbook for your own city")


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole tonnes (percentages to one decimal): a city total needs no grams."""
    import pandas as pd

    out = frame.copy()
    for column in out.select_dtypes("number").columns:
        digits = 1 if str(column).endswith("_pct") else 0
        out[column] = [None if pd.isna(v) else f"{v:,.{digits}f}" for v in out[column]]
    return out
