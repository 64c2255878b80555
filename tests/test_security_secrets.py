"""A database URL's password is never printed, logged, or stored (in run metadata or a dump)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from inventory.cli import main
from inventory.config import redact_url

PASSWORD = "Pa55-w0rd-never-shown"


def _with_password(url: str) -> str:
    return make_url(url).set(password=PASSWORD).render_as_string(hide_password=False)


def _invoke(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, env=env)
    text = result.output + (str(result.exception) if result.exception else "")
    return result.exit_code, text


def test_redact_url_hides_the_password() -> None:
    url = f"postgresql+psycopg://inventory:{PASSWORD}@db.example:5432/city"
    assert PASSWORD not in redact_url(url)
    assert "***" in redact_url(url)


def test_unreachable_server_error_does_not_show_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"postgresql+psycopg://inventory:{PASSWORD}@127.0.0.1:1/city?connect_timeout=2"
    for args, env in [
        (["--db", url, "status"], None),
        (["status", "--db", url], None),
        (["status"], {"INVENTORY_DB": url}),
        (["--db", url, "init"], None),
        (["--db", url, "dump", "never"], None),
    ]:
        code, text = _invoke(args, env)
        assert code != 0, text
        assert "Error" in text and "Traceback" not in text
        assert PASSWORD not in text, args
    assert PASSWORD not in caplog.text


@pytest.mark.postgres
def test_password_never_reaches_output_logs_runs_or_dumps(
    postgres_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A working server (trust authentication ignores the password, so the commands run)."""
    caplog.set_level(logging.DEBUG)
    url = _with_password(postgres_url)
    outputs: list[str] = []
    for args in (
        ["--db", url, "init"],
        ["--db", url, "status"],
        ["--db", url, "build", "--year", "2024"],
        ["--db", url, "runs"],
        ["--db", url, "dump", str(tmp_path / "backup")],
    ):
        _, text = _invoke(args)
        outputs.append(text)
        assert PASSWORD not in text, (args, text)
    assert PASSWORD not in caplog.text
    assert "***" in outputs[0] or "Database" in outputs[0]
    # everything the database holds (run metadata included) is in the dump: search it all
    files = list((tmp_path / "backup").iterdir())
    assert any(f.name == "run.csv" for f in files)
    for path in files:
        assert PASSWORD not in path.read_text(encoding="utf-8"), path.name
    # and restoring the dump elsewhere prints no password either
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    code, text = _invoke(["--db", target, "restore", str(tmp_path / "backup")])
    assert code == 0, text
    assert PASSWORD not in text
