"""``inventory factors list|show|check|add``: see, validate and extend the factor library."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.common import db_option, emit_frame, format_option, get_state

__all__ = ["factors_group"]


@click.group("factors")
def factors_group() -> None:
    """The emission-factor library: shipped factor sets and your local ones.

    Every factor names its published source. Local sets (your own CSV in the same format)
    take precedence over the shipped library without editing it.
    """


@factors_group.command("list")
@db_option
@format_option
def list_command(fmt: str) -> None:
    """List the factor sets in the database (newest first)."""
    from inventory.db.session import session_scope
    from inventory.factors import list_factor_sets

    with session_scope(get_state().engine()) as session:
        frame = list_factor_sets(session)
    emit_frame(frame.drop(columns=["description"]), fmt, title="Factor sets")


@factors_group.command("show")
@click.argument("set_name", required=False, default="shipped")
@click.option("--class", "class_code", default=None, help="Only this class code and below.")
@click.option("--pollutant", default=None, help="Only this pollutant (e.g. NOx, VOCs).")
@db_option
@format_option
def show_command(set_name: str, class_code: str | None, pollutant: str | None, fmt: str) -> None:
    """Show the factors of a set (default: the active shipped set) with their sources."""
    from sqlalchemy import select

    from inventory.db.reference import FactorSet
    from inventory.db.session import session_scope
    from inventory.errors import NotFound
    from inventory.factors import factor_set_rows

    with session_scope(get_state().engine()) as session:
        chosen = session.scalars(
            select(FactorSet)
            .where(FactorSet.name == set_name)
            .order_by(FactorSet.active.desc(), FactorSet.id.desc())
        ).first()
        if chosen is None:
            raise NotFound("factor set", set_name, "See `inventory factors list`.")
        frame = factor_set_rows(session, chosen.id)
    if class_code:
        frame = frame[frame["class_code"].str.startswith(class_code)]
    if pollutant:
        frame = frame[frame["pollutant"] == pollutant]
    emit_frame(frame, fmt, title=f"Factor set {chosen.name} {chosen.version}")


@factors_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option
def check_command(files: tuple[Path, ...], fmt: str) -> None:
    """Check the shipped tables, or the given local CSV files, and list every problem.

    Rules: unique keys, known class codes, non-negative values, units that parse, a published
    source on every row, efficiencies within 0-100 %. Exits non-zero when a rule is broken.
    """
    import pandas as pd

    from inventory.factors.tables import (
        check_efficiency_table,
        check_factor_table,
        read_shipped_tables,
        read_tables,
    )

    tables = read_tables(list(files)) if files else read_shipped_tables()
    problems = pd.concat(
        [check_factor_table(tables.factors), check_efficiency_table(tables.efficiencies)],
        ignore_index=True,
    )
    if problems.empty:
        click.echo(
            f"OK: {len(tables.factors)} factor rows and {len(tables.efficiencies)} efficiency "
            f"rows pass every check (checksum {tables.checksum[:16]})."
        )
        return
    emit_frame(problems, fmt, title="Factor table problems")
    raise click.exceptions.Exit(1)


@factors_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="Name of the local set (e.g. enterprise-cems-2025).")
@click.option("--description", default=None, help="What the set holds and where it comes from.")
@db_option
def add_command(file: Path, name: str, description: str | None) -> None:
    """Load FILE (a CSV in the factor-table format) as a local factor set.

    Its rows take precedence over the shipped library; the shipped files are never edited.
    Loading the same file again under the same name changes nothing.
    """
    from inventory.db.session import session_scope
    from inventory.factors import add_local_factor_set

    with session_scope(get_state().engine()) as session:
        factor_set, added = add_local_factor_set(session, file, name, description)
        summary = (factor_set.name, factor_set.version, factor_set.priority)
    if added:
        click.echo(f"Loaded local factor set {summary[0]} {summary[1]} (priority {summary[2]}).")
    else:
        click.echo(f"Factor set {summary[0]} {summary[1]} is already loaded; nothing changed.")
