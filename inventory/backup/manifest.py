"""The manifest of a dump folder: what is in it, at which schema revision, with checksums.

``manifest.json`` lists the tables in foreign-key order (parents first), each with its file, row
count, SHA-256 and columns (name, category, the SQL type it was read from, nullable). A restore
reads it first and checks every file against it before it touches the target database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from inventory.errors import BackupError

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "ColumnSpec",
    "DumpManifest",
    "TableSpec",
    "file_sha256",
    "read_manifest",
    "verify_files",
    "write_manifest",
]

FORMAT_NAME = "inventory-dump"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"


@dataclass
class ColumnSpec:
    """One column of a dumped table."""

    name: str
    category: str
    sql_type: str
    nullable: bool


@dataclass
class TableSpec:
    """One dumped table: its CSV file, how many rows it holds and the file's SHA-256."""

    name: str
    file: str
    rows: int
    sha256: str
    primary_key: list[str]
    columns: list[ColumnSpec]


@dataclass
class DumpManifest:
    """Everything a restore needs to know about a dump folder."""

    schema_revision: str
    package_version: str
    created_at: str  # ISO 8601, UTC
    source_backend: str  # sqlite | postgresql
    tables: list[TableSpec] = field(default_factory=list)
    format: str = FORMAT_NAME
    format_version: int = FORMAT_VERSION

    @property
    def total_rows(self) -> int:
        """Rows in all tables together."""
        return sum(table.rows for table in self.tables)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, as 64 hexadecimal digits."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, manifest: DumpManifest) -> Path:
    """Write ``manifest.json`` into ``folder``; returns its path."""
    path = folder / MANIFEST_NAME
    path.write_text(
        json.dumps(asdict(manifest), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return path


def read_manifest(folder: Path) -> DumpManifest:
    """Read and check the manifest of a dump folder; a clear error if it is not one."""
    path = folder / MANIFEST_NAME
    if not folder.is_dir():
        raise BackupError(
            str(folder), "is not a folder.", "Give the folder `inventory dump` wrote."
        )
    if not path.is_file():
        raise BackupError(
            str(folder),
            f"has no {MANIFEST_NAME}, so it is not a dump made by `inventory dump`.",
            "Give the folder `inventory dump` wrote, with its manifest.",
        )
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT_NAME:
            raise BackupError(str(path), f"is not an {FORMAT_NAME} manifest.")
        if raw.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                str(path),
                f"is dump format version {raw.get('format_version')!r}; "
                f"this version of the package reads version {FORMAT_VERSION}.",
                "Restore it with the version of inventory that made it.",
            )
        tables = [
            TableSpec(**{**t, "columns": [ColumnSpec(**c) for c in t["columns"]]})
            for t in raw["tables"]
        ]
        return DumpManifest(**{**raw, "tables": tables})
    except BackupError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            str(path), f"cannot be read as a dump manifest ({type(exc).__name__}: {exc})."
        ) from exc


def verify_files(folder: Path, manifest: DumpManifest) -> None:
    """Check that every table file exists and has the SHA-256 the manifest recorded."""
    bad: list[str] = []
    for table in manifest.tables:
        path = folder / table.file
        if Path(table.file).name != table.file:
            bad.append(f"{table.file} (not a plain file name)")
        elif not path.is_file():
            bad.append(f"{table.file} (missing)")
        elif file_sha256(path) != table.sha256:
            bad.append(f"{table.file} (checksum differs)")
    if bad:
        raise BackupError(
            str(folder),
            f"is damaged: {', '.join(bad)}; nothing was restored.",
            "Restore from another copy of the dump; a changed file cannot be trusted.",
        )
