"""Find the data that ships with the package (factor tables, migrations, samples, scenarios).

In a wheel, the top-level ``factors/`` and ``migrations/`` folders are installed as
``inventory/_data/...``; in an editable install or a source checkout they sit at the repository
root. Code never hard-codes either place: it asks :func:`data_path`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_path", "factors_path", "migrations_path", "package_path"]

_PACKAGE_DIR = Path(str(files("inventory")))


def data_path(name: str) -> Path:
    """Path of a shipped top-level data folder (``factors`` or ``migrations``)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"shipped data folder {name!r} is missing from the installation")


def factors_path(*parts: str) -> Path:
    """Path of a file under the shipped ``factors/`` folder."""
    return data_path("factors").joinpath(*parts)


def migrations_path() -> Path:
    """Path of the alembic ``migrations/`` folder."""
    return data_path("migrations")


def package_path(*parts: str) -> Path:
    """Path of a data file inside the package itself (samples, scenarios)."""
    return _PACKAGE_DIR.joinpath(*parts)
