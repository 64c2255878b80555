"""Schema management through alembic: upgrade, revision checks, and the guard every command uses."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from inventory.config import redact_url
from inventory.db.session import make_engine, sqlite_file
from inventory.errors import DatabaseNotInitialised, DatabaseOutOfDate
from inventory.resources import migrations_path

__all__ = [
    "alembic_config",
    "current_revision",
    "downgrade_to",
    "head_revision",
    "open_checked",
    "upgrade_to_head",
]


def alembic_config(engine: Engine | None = None) -> Config:
    """An alembic Config pointing at the shipped migrations; ``engine`` is handed to env.py."""
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest schema revision this package knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at, or None when it has no inventory schema."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Create the schema or upgrade it to the newest revision."""
    command.upgrade(alembic_config(engine), "head")


def downgrade_to(engine: Engine, revision: str = "base") -> None:
    """Downgrade the schema (used by tests and by a user undoing an upgrade)."""
    command.downgrade(alembic_config(engine), revision)


def open_checked(url: str) -> Engine:
    """An engine on an existing database whose schema is at head; else a clear error.

    Never creates a file or a table: a missing SQLite file is reported, not made.
    """
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise DatabaseNotInitialised(redact_url(url))
    engine = make_engine(url)
    current = current_revision(engine)
    if current is None:
        has_tables = bool(inspect(engine).get_table_names())
        engine.dispose()
        raise (
            DatabaseNotInitialised(redact_url(url))
            if not has_tables
            else DatabaseOutOfDate(redact_url(url), None, head_revision())
        )
    head = head_revision()
    if current != head:
        engine.dispose()
        raise DatabaseOutOfDate(redact_url(url), current, head)
    return engine
