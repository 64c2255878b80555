"""``inventory scenario run|check`` and ``inventory reductions``: control-measure scenarios."""

from __future__ import annotations

import click

from inventory.cli.common import db_option, emit_frame, format_option, get_state

__all__ = ["reductions_command", "scenario_group"]

BY_HELP = (
    "Comma-separated keys: sector, county, measure, kind, facility, source, category1..category4 "
    "(pollutant is always a key)."
)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@click.group("scenario")
def scenario_group() -> None:
    """Apply a scenario file (control measures) on top of a base run."""


@scenario_group.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def check_command(file: str) -> None:
    """Read and check FILE without touching the database; list its measures and targets."""
    import pandas as pd

    from inventory.scenario import load_scenario

    scenario = load_scenario(file)
    measures = pd.DataFrame(
        [
            {
                "id": m.id,
                "plan": m.plan or "",
                "action": m.action,
                "select": m.select.describe(),
                "to fill in": ", ".join(m.params.get("unfilled") or ()),
            }
            for m in scenario.measures
        ]
    )
    emit_frame(measures, "table", title=f"{scenario.name} (base year {scenario.base_year})")
    for target in scenario.targets:
        amount = "to fill in" if target.reduction_t is None else f">= {target.reduction_t:g} t"
        click.echo(f"Target {target.label}: reduction {amount}")


@scenario_group.command("run")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--base",
    "base",
    type=int,
    default=None,
    metavar="RUN",
    help="Base run id (default: the newest base run of the scenario's base year).",
)
@click.option("--label", default=None, help="Label of the new run (default: the scenario name).")
def run_command(file: str, base: int | None, label: str | None) -> None:
    """Build a scenario run: the base run's inputs changed by the measures of FILE.

    The run is stored like any run, with the scenario's name, a copy of FILE and the base run
    id; result rows a measure changed name the measure. Prints the run id, the findings
    (selectors that match nothing, parameters to fill in, gaps of the factor library, sources
    changed by several measures) and NOx and VOCs before and after.
    """
    from inventory.scenario import reductions_frame
    from inventory.scenario.run import run_scenario

    engine = get_state().engine()
    report = run_scenario(engine, file, base, label)
    click.echo(
        f"Scenario {report.scenario!r}: run {report.run_id} on base run {report.base_run_id} "
        f"(year {report.year})."
    )
    if report.fingerprint_changed:
        click.secho(
            "Warning: the inputs of the base year changed since the base run; rebuild the base "
            "year so that the reductions compare like with like.",
            fg="yellow",
            err=True,
        )
    findings = report.outcome.findings
    if len(findings):
        shown = findings.astype(object).where(findings.notna(), "")
        emit_frame(shown, "table", title="What the measures found")
    if len(report.outcome.overlaps):
        click.echo(
            f"{len(report.outcome.overlaps)} source(s) were changed by more than one measure "
            "(applied in file order)."
        )
    table = reductions_frame(engine, report.base_run_id, report.run_id, [], ["NOx", "VOCs"])
    emit_frame(table, "table", title="Reductions (t/yr)")
    click.echo(
        f"Details: inventory reductions --base {report.base_run_id} --scenario {report.run_id} "
        "--by sector,measure"
    )


@click.command("reductions")
@db_option
@click.option("--base", "base", type=int, required=True, metavar="RUN", help="Base run id.")
@click.option(
    "--scenario", "scenario", type=int, required=True, metavar="RUN", help="Scenario run id."
)
@click.option("--by", "by", default="", help=BY_HELP)
@click.option("--pollutant", "pollutants", default=None, help="Only these pollutants (NOx,VOCs).")
@format_option
def reductions_command(base: int, scenario: int, by: str, pollutants: str | None, fmt: str) -> None:
    """Reductions of a scenario run against its base run (t/yr and % of the base).

    CSV and JSON columns: pollutant and the keys, then baseline_t, scenario_t, reduction_t,
    reduction_pct, target_t and target_met (the scenario's targets, on the rows they apply
    to: pollutant totals, or by county for county targets). Every reduction is attributed to
    the measure(s) and sources that produced it (--by measure,source).
    """
    from inventory.scenario.reductions import reductions_report

    report = reductions_report(
        get_state().engine(), base, scenario, _split(by), _split(pollutants) or None
    )
    emit_frame(report.rows, fmt, title=f"Reductions of run {scenario} against run {base} (t/yr)")
    if fmt == "table" and len(report.targets):
        emit_frame(report.targets, "table", title="Targets")
