"""Backups and moves between back ends: ``dump`` a store to a folder of CSV files, ``restore`` it.

A dump is plain CSV (UTF-8, one file per table) plus ``manifest.json`` (schema revision, row
counts, column types, SHA-256 of every file, package version): readable by any tool, diffable,
and independent of the back end it came from. CSV rather than Parquet because it needs no extra
dependency and a bureau can open it; the codec in :mod:`inventory.backup.codec` makes it lossless.
"""

from inventory.backup.dump import dump_database, dump_engine
from inventory.backup.manifest import DumpManifest, read_manifest, verify_files
from inventory.backup.restore import RestoreReport, restore_database, restore_engine

__all__ = [
    "DumpManifest",
    "RestoreReport",
    "dump_database",
    "dump_engine",
    "read_manifest",
    "restore_database",
    "restore_engine",
    "verify_files",
]
