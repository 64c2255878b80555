"""Runs: list them, and resolve ``--run ID`` / ``--year Y`` to one run."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from inventory.db.models import Run
from inventory.errors import ConfigError, NotFound

__all__ = ["RUN_COLUMNS", "list_runs", "newest_base_run", "previous_year_run", "resolve_run"]

RUN_COLUMNS = [
    "id",
    "year",
    "label",
    "scenario",
    "base_run_id",
    "created_at",
    "status",
    "carry_forward",
    "n_sources",
    "n_results",
    "package_version",
    "factor_set_version",
    "fingerprint",
]
"""Columns of :func:`list_runs` (and of ``inventory runs --format csv|json``)."""


def list_runs(engine: Engine, year: int | None = None) -> pd.DataFrame:
    """Every run (optionally of one year), oldest first, with the columns in ``RUN_COLUMNS``."""
    query = select(*(getattr(Run, name) for name in RUN_COLUMNS)).order_by(Run.id)
    if year is not None:
        query = query.where(Run.year == year)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=RUN_COLUMNS)


def newest_base_run(engine: Engine, year: int) -> int | None:
    """The id of the newest complete base (non-scenario) run of ``year``, or None."""
    query = (
        select(Run.id)
        .where(Run.year == year, Run.scenario.is_(None), Run.status == "complete")
        .order_by(Run.created_at.desc(), Run.id.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        return connection.execute(query).scalar()


def previous_year_run(engine: Engine, run_id: int) -> int | None:
    """The newest base run of the year before ``run_id``'s year (the comparison run), or None."""
    with engine.connect() as connection:
        year = connection.execute(select(Run.year).where(Run.id == run_id)).scalar()
    if year is None:
        raise NotFound("run", run_id, "List the runs with `inventory runs`.")
    return newest_base_run(engine, year - 1)


def resolve_run(engine: Engine, run_id: int | None = None, year: int | None = None) -> int:
    """The run meant by ``--run ID`` or ``--year Y`` (the newest base run of Y).

    With neither, the newest base run of any year. Raises ``NotFound`` when there is none.
    """
    if run_id is not None and year is not None:
        raise ConfigError("Give --run or --year, not both.", "Use --run ID for one exact run.")
    with engine.connect() as connection:
        if run_id is not None:
            found = connection.execute(select(Run.id).where(Run.id == run_id)).scalar()
            if found is None:
                raise NotFound("run", run_id, "List the runs with `inventory runs`.")
            return int(found)
        if year is None:
            newest = connection.execute(
                select(Run.id)
                .where(Run.scenario.is_(None), Run.status == "complete")
                .order_by(Run.year.desc(), Run.created_at.desc(), Run.id.desc())
                .limit(1)
            ).scalar()
            if newest is None:
                raise NotFound("run", "(any)", "Build one with `inventory build --year Y`.")
            return int(newest)
    found_year = newest_base_run(engine, year)
    if found_year is None:
        raise NotFound("base run of year", year, f"Build it with `inventory build --year {year}`.")
    return int(found_year)
