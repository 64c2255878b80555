"""Where the database is: ``--db URL``, else ``$INVENTORY_DB``, else ``sqlite:///inventory.db``."""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from inventory.errors import ConfigError

__all__ = ["DEFAULT_DB_URL", "ENV_DB", "redact_url", "resolve_db_url"]

ENV_DB = "INVENTORY_DB"
DEFAULT_DB_URL = "sqlite:///inventory.db"


def resolve_db_url(explicit: str | None = None) -> str:
    """Return the database URL to use: the explicit one, the environment's, or the default.

    A bare file path (``inventory.db``, ``/data/city.sqlite``) is taken as a SQLite file.
    """
    url = explicit or os.environ.get(ENV_DB) or DEFAULT_DB_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"{redact_url(url)} is not a database URL.",
            "Use sqlite:///FILE.db or postgresql+psycopg://USER@HOST:PORT/DBNAME.",
        ) from exc
    if parsed.drivername == "postgresql":
        # psycopg 3 is the driver we install; plain postgresql:// would look for psycopg2.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``***``: safe to print, log or store."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"
