"""Hostile strings as notes and names go through import, the database, the dump and the CSV/JSON
output unchanged (import folds text to NFKC and trims it, by design: docs/import.md)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import openpyxl
import pandas as pd
from click.testing import CliRunner
from reliability_fill import naughty_strings
from sqlalchemy import text
from workbook_fuzz import SAMPLE, nfkc_trim

from inventory.backup import dump_database
from inventory.backup.codec import decoder_for
from inventory.cli.common import emit_frame
from inventory.db.session import make_engine
from inventory.export_safety import restore_text
from inventory.ingest.coerce import blank_mask
from inventory.ingest.importer import import_workbook


def _meaningful(strings: list[str]) -> list[str]:
    """Strings the importer keeps as text (not blank tokens such as 'NULL', '-', 'N/A')."""
    folded = pd.Series([nfkc_trim(s) for s in strings], dtype=object)
    keep = ~blank_mask(folded)
    return [s for s, k in zip(strings, keep, strict=True) if k and nfkc_trim(s)]


def test_hostile_notes_round_trip(sqlite_store: str, tmp_path: Path) -> None:
    strings = _meaningful([s[:2000] for s in naughty_strings()])
    book = openpyxl.load_workbook(SAMPLE / "area.xlsx")
    sheet = book["面源活动水平"]
    header = [c.value for c in sheet[1]]
    note_column = header.index("备注") + 1
    rows = list(range(2, sheet.max_row + 1))
    assert len(rows) >= len(strings)
    for row, value in zip(rows, strings, strict=False):
        cell = sheet.cell(row, note_column)
        # as Excel saves text: a CR escaped as _x000D_ (openpyxl writes a raw CR, which XML
        # readers turn into LF), and never a formula (openpyxl would make "=1+1" one)
        cell.value = value.replace("\r", "_x000D_")
        cell.data_type = "s"
    path = tmp_path / "hostile-area.xlsx"
    book.save(path)

    engine = make_engine(sqlite_store)
    result = import_workbook(engine, path, partial=True)
    assert result.written, result.errors.head().to_string()
    with engine.connect() as connection:
        stored = [
            r[0]
            for r in connection.execute(
                text("SELECT note FROM activity_record UNION ALL SELECT note FROM source_version")
            ).all()
            if r[0] is not None
        ]
    engine.dispose()
    expected = {nfkc_trim(s) for s in strings}
    assert expected <= set(stored), sorted(expected - set(stored))[:5]

    # the dump holds them byte for byte
    dump_database(sqlite_store, tmp_path / "dump")
    decode = decoder_for("text")
    dumped: set[str] = set()
    for name in ("activity_record.csv", "source_version.csv"):
        with (tmp_path / "dump" / name).open(encoding="utf-8", newline="") as handle:
            dumped |= {decode(r["note"]) for r in csv.DictReader(handle)}
    assert expected <= dumped

    # and so do the CSV (formula-guarded, reversible) and JSON outputs of the CLI
    frame = pd.DataFrame({"note": sorted(expected)})

    @click.command()
    @click.argument("fmt")
    def show(fmt: str) -> None:
        emit_frame(frame, fmt)

    as_csv = CliRunner().invoke(show, ["csv"]).stdout_bytes.decode("utf-8")  # .output folds CRLF
    back = list(csv.DictReader(io.StringIO(as_csv, newline="")))  # pandas would fold CRLF
    assert [restore_text(r["note"]) for r in back] == sorted(expected)
    as_json = json.loads(CliRunner().invoke(show, ["json"]).output)
    assert [r["note"] for r in as_json] == sorted(expected)
