"""``inventory dump`` and ``inventory restore``: backups, and moving a store to another server."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.common import db_option, get_state

__all__ = ["dump_command", "restore_command"]


@click.command("dump")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@db_option
def dump_command(folder: Path) -> None:
    """Write the whole database to FOLDER: one CSV file per table and a manifest.

    The manifest records the schema revision, each table's row count and column types, and the
    SHA-256 of every file. FOLDER must not exist yet (or be empty). Works on a database whose
    schema is older than this package, so take a dump before `inventory init` upgrades it.
    """
    from inventory.backup import dump_database
    from inventory.config import redact_url

    state = get_state()
    manifest = dump_database(state.url, folder)
    click.echo(
        f"Dumped {redact_url(state.url)} (schema {manifest.schema_revision}): "
        f"{len(manifest.tables)} tables, {manifest.total_rows} rows to {folder}."
    )


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
def restore_command(folder: Path) -> None:
    """Load a dump FOLDER into an empty database (SQLite or PostgreSQL).

    Checks every file's checksum first, creates the schema at the dump's revision, loads all
    tables in one transaction and refuses a database that already holds data. Moving from
    SQLite to PostgreSQL: `inventory --db sqlite:///city.db dump backup/` then
    `inventory --db postgresql+psycopg://USER@HOST/DB restore backup/`.
    """
    from inventory.backup import restore_database
    from inventory.config import redact_url
    from inventory.db.migrate import head_revision

    state = get_state()
    report = restore_database(state.url, folder)
    click.echo(
        f"Restored {report.rows} rows in {report.tables} tables into {redact_url(state.url)} "
        f"(schema {report.schema_revision})."
    )
    if report.schema_revision != head_revision():
        click.echo(f"Run `inventory init` to upgrade it to schema {head_revision()}.")
