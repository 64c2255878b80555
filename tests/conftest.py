"""Shared fixtures: databases on SQLite (always) and PostgreSQL (when configured).

``db_url`` is parametrised over both back ends; the PostgreSQL one lives in a schema of its own
that is dropped afterwards, so runs never see each other's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

PG_ENV = "INVENTORY_TEST_POSTGRES_URL"


def postgres_base_url() -> str | None:
    """The PostgreSQL URL for tests, or None (then PostgreSQL tests skip, saying why)."""
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file (not yet created)."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL schema; dropped after the test."""
    base = postgres_base_url()
    if base is None:
        if os.environ.get("INVENTORY_REQUIRE_POSTGRES"):
            pytest.fail(f"{PG_ENV} is required here (INVENTORY_REQUIRE_POSTGRES is set)")
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, uninitialised database URL on each back end."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def initialised_url(db_url: str) -> str:
    """A database URL on each back end, initialised with schema and reference data."""
    from inventory.store import initialise

    initialise(db_url)
    return db_url


@pytest.fixture
def sqlite_store(sqlite_url: str) -> str:
    """An initialised SQLite database URL (for tests that need only one back end)."""
    from inventory.store import initialise

    initialise(sqlite_url)
    return sqlite_url


@pytest.fixture(scope="module")
def shipped() -> Any:
    """The shipped factor and parameter rows as read from ``factors/`` (text columns)."""
    from inventory.factors.tables import read_shipped_tables

    return read_shipped_tables().factors


@pytest.fixture(scope="module")
def library() -> Any:
    """The shipped rows in the calculation contract's columns (``shipped_library.py``)."""
    from shipped_library import shipped_library

    return shipped_library()
