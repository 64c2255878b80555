"""`inventory init`, the guard on uninitialised databases, and the reference data."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from inventory.cli import main
from inventory.config import resolve_db_url
from inventory.db.models import Region, SourceClass
from inventory.db.session import make_engine, session_scope


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_init_twice_is_harmless_and_loads_reference_data(db_url: str) -> None:
    code, out = run("--db", db_url, "init")
    assert code == 0, out
    code, out = run("init", "--db", db_url)
    assert code == 0, out
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        codes = set(session.scalars(select(Region.code)))
        level1 = session.scalars(select(SourceClass.code).where(SourceClass.level == 1)).all()
        n_classes = session.scalar(select(func.count()).select_from(SourceClass))
    engine.dispose()
    assert codes == {
        "150500",
        "150502",
        "150521",
        "150522",
        "150523",
        "150524",
        "150525",
        "150526",
        "150581",
        "150571",
    }
    assert sorted(level1) == ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]
    assert n_classes >= 10


def test_command_on_missing_database_says_run_init(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nothing.db'}"
    code, out = run("--db", url, "status")
    assert code != 0
    assert "has not been initialised" in out and "inventory init" in out
    assert "Traceback" not in out
    assert not (tmp_path / "nothing.db").exists(), "a command other than init created the file"


def test_command_on_empty_postgres_schema_says_run_init(db_url: str) -> None:
    code, out = run("--db", db_url, "status")
    assert code != 0 and "inventory init" in out


def test_status_after_init(initialised_url: str) -> None:
    code, out = run("--db", initialised_url, "status")
    assert code == 0, out
    assert "regions: 10" in out


def test_url_rules(monkeypatch) -> None:
    monkeypatch.delenv("INVENTORY_DB", raising=False)
    assert resolve_db_url(None) == "sqlite:///inventory.db"
    monkeypatch.setenv("INVENTORY_DB", "sqlite:///x.db")
    assert resolve_db_url(None) == "sqlite:///x.db"
    assert resolve_db_url("postgresql://u@h:5432/d").startswith("postgresql+psycopg://")


def test_password_is_not_printed(tmp_path: Path) -> None:
    code, out = run("--db", "postgresql+psycopg://u:s3cret@127.0.0.1:1/none", "status")
    assert code != 0
    assert "s3cret" not in out and "Traceback" not in out
