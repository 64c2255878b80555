"""The ``inventory`` command: a thin skin over the library.

Each command group lives in its own module and is registered here. Every command takes the same
``--db``; errors of the package reach the user as one sentence and a hint (``--debug`` shows the
traceback).
"""

from __future__ import annotations

import click

from inventory import __version__
from inventory.cli.admin import init_command, status_command
from inventory.cli.backup import dump_command, restore_command
from inventory.cli.build import build_command
from inventory.cli.common import InventoryGroup
from inventory.cli.demo import demo_command
from inventory.cli.factors import factors_group
from inventory.cli.ingest import (
    batches_command,
    history_command,
    import_command,
    sources_command,
    template_command,
)
from inventory.cli.reference import HELP_OPTIONS
from inventory.cli.report import plot_command, report_command
from inventory.cli.results import diff_command, qa_command, runs_command, totals_command
from inventory.cli.scenario import reductions_command, scenario_group

__all__ = ["main"]


@click.group(cls=InventoryGroup, context_settings={"help_option_names": HELP_OPTIONS})
@click.option(
    "--db",
    "db",
    default=None,
    metavar="URL",
    help="Database URL (else $INVENTORY_DB, else sqlite:///inventory.db).",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
@click.version_option(__version__, prog_name="inventory")
@click.pass_context
def main(ctx: click.Context, db: str | None, debug: bool) -> None:
    """Build, update and analyse a city's air-pollutant emission inventory.

    Load survey workbooks (import), build the annual inventory (build), see what changed
    (diff), report it (report, plot) and test control measures (scenario, reductions).
    """
    from inventory.cli.common import AppState

    ctx.obj = AppState(db=db, debug=debug)


# In the order a user meets them: set up, load, build, look, plan, keep.
for command in (
    init_command,
    status_command,
    demo_command,
    template_command,
    import_command,
    batches_command,
    sources_command,
    history_command,
    factors_group,
    build_command,
    runs_command,
    totals_command,
    diff_command,
    qa_command,
    report_command,
    plot_command,
    scenario_group,
    reductions_command,
    dump_command,
    restore_command,
):
    main.add_command(command)
