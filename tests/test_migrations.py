"""Schema management: upgrade and downgrade on both back ends, and no drift from the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from inventory.db.base import Base
from inventory.db.migrate import current_revision, downgrade_to, head_revision, upgrade_to_head
from inventory.db.session import make_engine


def test_upgrade_to_head_then_downgrade_to_base(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    downgrade_to(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_models_and_migrations_do_not_drift(db_url: str) -> None:
    """The equivalent of `alembic check`: autogenerate finds nothing to add."""
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_revision_files_have_descriptive_names() -> None:
    from inventory.resources import migrations_path

    names = [p.name for p in (migrations_path() / "versions").glob("*.py")]
    assert names, "no revisions"
    for name in names:
        # yyyymmdd_rev_slug.py: the slug says what the revision does
        assert len(name.split("_", 2)) == 3 and len(name.split("_", 2)[2]) > 5, name


def test_revisions_never_import_live_models() -> None:
    from inventory.resources import migrations_path

    for path in (migrations_path() / "versions").glob("*.py"):
        assert "inventory." not in path.read_text(encoding="utf-8"), path.name
