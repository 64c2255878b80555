"""Survey commands: ``template``, ``import``, ``batches``, ``sources``, ``history``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from inventory.cli.common import db_option, emit_frame, format_option, get_state

__all__ = [
    "batches_command",
    "history_command",
    "import_command",
    "sources_command",
    "template_command",
]

SHOWN_PROBLEMS = 15


@click.command("template")
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the blank survey workbook (.xlsx).",
)  # fmt: skip
@click.option("--year", type=int, default=None, help="Survey year written in the sheet titles.")
def template_command(output: Path, year: int | None) -> None:
    """Write the blank survey workbook: every sheet, units, dropdowns, instructions."""
    from inventory.ingest.template import write_template

    path = write_template(output, year)
    click.echo(f"Wrote the survey template to {path}.")


def _show_problems(problems: Any, errors_path: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True, soft_wrap=False, width=max(120, Console().width))
    counts = problems.groupby(["severity", "rule"]).size().reset_index(name="count")
    order = {"error": 0, "warning": 1, "notice": 2}
    counts = counts.sort_values(
        ["severity", "count"], key=lambda s: s.map(order) if s.name == "severity" else -s
    )
    summary = Table(title="Problems by rule")
    for column in ("severity", "rule", "count"):
        summary.add_column(column, justify="right" if column == "count" else "left")
    for row in counts.itertuples(index=False):
        summary.add_row(row.severity, row.rule, str(row.count))
    console.print(summary)
    first = problems.sort_values("severity", key=lambda s: s.map(order), kind="stable").head(
        SHOWN_PROBLEMS
    )
    detail = Table(title=f"First {len(first)} of {len(problems)} problems")
    for column in ("sheet", "row", "col", "value", "rule", "message"):
        detail.add_column(column, overflow="fold")
    for row in first.itertuples(index=False):
        text = f"{row.message} {row.hint}".strip()
        detail.add_row(
            str(row.sheet), "" if row.row is None or str(row.row) == "<NA>" else str(row.row),
            str(row.column), str(row.value)[:30], row.rule, text,
        )  # fmt: skip
    console.print(detail)
    if errors_path is None and len(problems) > SHOWN_PROBLEMS:
        console.print("Write them all with --errors OUT.xlsx (or OUT.csv).")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", type=int, default=None, help="Survey year when the file does not say.")
@click.option("--dry-run", is_flag=True, help="Validate everything; write nothing.")
@click.option("--partial", is_flag=True, help="Write the good rows and reject (list) the bad ones.")
@click.option(
    "--errors", "errors_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write every problem to OUT.xlsx or OUT.csv.",
)  # fmt: skip
@click.option("--user", default=None, help="Who loads the file (default: the OS user).")
@db_option
def import_command(
    files: tuple[Path, ...],
    year: int | None,
    dry_run: bool,
    partial: bool,
    errors_path: Path | None,
    user: str | None,
) -> None:
    """Load survey workbooks (.xlsx/.xls/.ods or CSV folders) into the living source list.

    One file is one transaction: any error and nothing of it is written (unless --partial).
    """
    import pandas as pd
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from inventory.errors import ImportRejected
    from inventory.ingest.importer import import_workbook
    from inventory.ingest.problems import write_problems

    engine = get_state().engine()
    all_problems = []
    failed: Path | None = None
    failed_problems = None
    for path in files:
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            transient=True, disable=not _is_terminal(),
        ) as bar:  # fmt: skip
            task = bar.add_task(f"{path.name}: opening", total=None)

            def step(stage: str, task: Any = task, bar: Any = bar, name: str = path.name) -> None:
                bar.update(task, description=f"{name}: {stage}")

            result = import_workbook(
                engine, path, year=year, user=user, dry_run=dry_run, partial=partial, progress=step
            )
        all_problems.append(result.problems)
        click.echo(_summary(result))
        if len(result.problems) and result.status != "already_loaded":
            _show_problems(result.problems, errors_path)
        if result.status == "rejected" and failed is None:
            failed, failed_problems = path, result.errors
    if errors_path is not None:
        table = (
            pd.concat([p for p in all_problems if len(p)], ignore_index=True)
            if any(len(p) for p in all_problems)
            else all_problems[0]
        )
        write_problems(table, errors_path)
        click.echo(f"Wrote {len(table)} problem rows to {errors_path}.")
    if failed is not None:
        raise ImportRejected(str(failed), failed_problems)


def _is_terminal() -> bool:
    import sys

    return sys.stderr.isatty()


def _summary(result: Any) -> str:
    name = result.path.name
    if result.status == "already_loaded":
        return f"{name}: already loaded as batch {result.batch_id} (year {result.year}); nothing to do."
    if result.status == "rejected":
        n = len(result.errors)
        return f"{name}: {n} error{'s' if n != 1 else ''}; nothing was written."
    c = result.counts
    what = (
        f"{result.rows_taken} rows taken, {result.rows_skipped} skipped, {result.rows_rejected} "
        f"rejected; {c.sources_new} new sources, {c.source_versions} new versions, "
        f"{c.activities} activity records ({c.activities_superseded} superseded), "
        f"{c.measured} measured"
    )
    if result.status == "dry_run":
        return f"{name} (year {result.year}): dry run, nothing written; would load {what}."
    return f"{name}: loaded as batch {result.batch_id} (year {result.year}): {what}."


@click.command("batches")
@format_option
@db_option
def batches_command(fmt: str) -> None:
    """List the import batches (file, SHA-256, year, user, rows taken/skipped/rejected)."""
    from inventory.ingest.catalogue import list_batches

    emit_frame(list_batches(get_state().engine()), fmt, title="Import batches")


@click.command("sources")
@click.option(
    "--year", type=int, default=None, help="The list as it stood in this year (default: now)."
)
@click.option(
    "--kind", type=click.Choice(["point", "mobile", "nonroad", "area"]), default=None,
    help="Only sources of this kind.",
)  # fmt: skip
@format_option
@db_option
def sources_command(year: int | None, kind: str | None, fmt: str) -> None:
    """Show the living source list (each source's version in force in the year)."""
    from inventory.ingest.catalogue import source_list

    frame = source_list(get_state().engine(), year=year, kind=kind)
    if fmt == "table":
        frame = frame.dropna(axis=1, how="all")
    title = f"Sources in {year}" if year else "Sources now"
    emit_frame(frame, fmt, title=f"{title} ({len(frame)})")


@click.command("history")
@click.argument("key")
@format_option
@db_option
def history_command(key: str, fmt: str) -> None:
    """Show every version of the source KEY (its natural key) and the batch that made it."""
    from inventory.ingest.catalogue import source_history

    emit_frame(source_history(get_state().engine(), key), fmt, title=f"History of {key}")
