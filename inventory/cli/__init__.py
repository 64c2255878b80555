"""The ``inventory`` command: a thin skin over the library.

Each command group lives in its own module and is registered here. Every command takes the same
``--db``; errors of the package reach the user as one sentence and a hint (``--debug`` shows the
traceback).
"""

from __future__ import annotations

import click

from inventory import __version__
from inventory.cli.admin import init_command, status_command
from inventory.cli.common import InventoryGroup
from inventory.cli.reference import HELP_OPTIONS

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


main.add_command(init_command)
main.add_command(status_command)

from inventory.cli.backup import dump_command, restore_command  # noqa: E402

main.add_command(dump_command)
main.add_command(restore_command)

from inventory.cli.build import build_command  # noqa: E402
from inventory.cli.report import plot_command, report_command  # noqa: E402
from inventory.cli.results import (  # noqa: E402
    diff_command,
    qa_command,
    runs_command,
    totals_command,
)

main.add_command(build_command)
main.add_command(runs_command)
main.add_command(totals_command)
main.add_command(diff_command)
main.add_command(qa_command)
main.add_command(report_command)
main.add_command(plot_command)

from inventory.cli.factors import factors_group  # noqa: E402

main.add_command(factors_group)

from inventory.cli.scenario import reductions_command, scenario_group  # noqa: E402

main.add_command(scenario_group)
main.add_command(reductions_command)

from inventory.cli.ingest import (  # noqa: E402
    batches_command,
    history_command,
    import_command,
    sources_command,
    template_command,
)

main.add_command(template_command)
main.add_command(import_command)
main.add_command(batches_command)
main.add_command(sources_command)
main.add_command(history_command)

from inventory.cli.demo import demo_command  # noqa: E402

main.add_command(demo_command)
