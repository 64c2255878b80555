"""``inventory init`` and ``inventory status``: create, upgrade and inspect the store."""

from __future__ import annotations

import click

from inventory.cli.common import db_option, get_state

__all__ = ["init_command", "status_command"]


@click.command("init")
@db_option
def init_command() -> None:
    """Create the database or upgrade it to the newest schema, and load the reference data.

    Safe to run again: an up-to-date database is left as it is, reference data is upserted and a
    factor set already loaded is not loaded twice.
    """
    from inventory.config import redact_url
    from inventory.store import initialise

    state = get_state()
    report = initialise(state.url)
    click.echo(
        f"Database {redact_url(state.url)} is at schema {report.revision}: "
        f"{report.regions} regions, {report.classes} source classes, "
        f"{report.factor_sets} factor set(s) loaded."
    )


@click.command("status")
@db_option
def status_command() -> None:
    """Show the database, its schema revision and how much it holds."""
    from inventory.config import redact_url
    from inventory.store import store_status

    state = get_state()
    for key, value in store_status(state.engine()).items():
        click.echo(f"{key:>16}: {value}")
    click.echo(f"{'database':>16}: {redact_url(state.url)}")
