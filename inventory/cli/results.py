"""``inventory runs``, ``totals``, ``diff`` and ``qa``: query stored runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from inventory.cli.common import db_option, emit_frame, format_option, get_state

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["diff_command", "qa_command", "run_selection", "runs_command", "totals_command"]

KEYS_HELP = (
    "Comma-separated keys: pollutant, kind, sector, county, category1, category2, category3, "
    "category4, facility, source."
)


def _pollutants(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def run_selection(func: F) -> F:
    """Add ``--run ID`` and ``--year Y`` (the newest base run of Y)."""
    func = click.option(
        "--year", type=int, default=None, help="The newest base (non-scenario) run of this year."
    )(func)
    return click.option("--run", "run_id", type=int, default=None, help="Run id.")(func)


@click.command("runs")
@db_option
@format_option
def runs_command(fmt: str) -> None:
    """List the stored runs (base years and scenarios), oldest first."""
    from inventory.results import list_runs

    frame = list_runs(get_state().engine())
    if fmt == "table":
        frame = frame.drop(columns=["fingerprint", "package_version"])
    emit_frame(frame, fmt, title="Runs")


@click.command("totals")
@db_option
@run_selection
@click.option("--by", "by", default="pollutant", show_default=True, help=KEYS_HELP)
@click.option("--pollutant", "pollutants", default=None, help="Only these pollutants (NOx,VOCs).")
@format_option
def totals_command(
    run_id: int | None, year: int | None, by: str, pollutants: str | None, fmt: str
) -> None:
    """Emissions of a run (t/yr) summed by the chosen keys.

    CSV and JSON columns: the keys, then emissions_t. Tables add readable names.
    """
    from inventory.results import add_names, load_results, parse_keys, resolve_run, totals

    keys = parse_keys(by)
    engine = get_state().engine()
    run = resolve_run(engine, run_id, year)
    results = load_results(engine, run, _pollutants(pollutants))
    frame = totals(results, keys)
    if fmt == "table":
        frame = add_names(engine, frame, keys, results)
    emit_frame(frame, fmt, title=f"Run {run}: emissions (t/yr)")


@click.command("diff")
@db_option
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@click.option("--by", "by", default="pollutant", show_default=True, help=KEYS_HELP)
@click.option("--pollutant", "pollutants", default=None, help="Only these pollutants (NOx,VOCs).")
@format_option
def diff_command(run_a: int, run_b: int, by: str, pollutants: str | None, fmt: str) -> None:
    """Why the numbers changed from RUN_A to RUN_B (t/yr).

    Every source's change goes to new source, closed source, activity, factor, control or
    method; the parts add up to change_t. CSV/JSON columns: the keys, then from_t, to_t,
    change_t, new_source_t, closed_source_t, activity_t, factor_t, control_t, method_t.
    """
    from inventory.results import diff_runs, parse_keys, resolve_run

    keys = parse_keys(by)
    engine = get_state().engine()
    first, second = resolve_run(engine, run_a), resolve_run(engine, run_b)
    frame = diff_runs(engine, first, second, keys, _pollutants(pollutants))
    emit_frame(frame, fmt, title=f"Run {first} -> run {second}: change (t/yr)")


@click.command("qa")
@db_option
@run_selection
@click.option(
    "--severity", type=click.Choice(["error", "warning"]), default=None, help="Only this severity."
)
@click.option("--code", default=None, help="Only this check code (see docs/qa.md).")
@format_option
def qa_command(
    run_id: int | None, year: int | None, severity: str | None, code: str | None, fmt: str
) -> None:
    """The QA findings of a run: code, severity, source, pollutant, value and message.

    Errors first; docs/qa.md explains every code.
    """
    from inventory.qa import load_findings
    from inventory.results import resolve_run

    engine = get_state().engine()
    run = resolve_run(engine, run_id, year)
    frame = load_findings(engine, run, severity, code)
    emit_frame(frame, fmt, title=f"Run {run}: QA findings")
