"""Hostile workbook files: macros never run, external links and embedded objects are ignored,
size and cell-count limits stop zip bombs with a clear message."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font
from workbook_fuzz import known_rule_codes, make_seeds, run_import_case

from inventory.db.session import make_engine
from inventory.errors import InputFileError, WorkbookRefused
from inventory.ingest.importer import import_workbook


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_seeds(tmp_path_factory.mktemp("seeds"))[2]  # the area workbook


@pytest.fixture
def engine(sqlite_store: str):  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_store)
    yield engine
    engine.dispose()


def _with_part(seed: Path, out: Path, name: str, payload: bytes) -> Path:
    with zipfile.ZipFile(seed) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, payload)
    return out


def test_xlsm_is_refused_and_never_run(seed: Path, tmp_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "survey.xlsm"
    shutil.copy(seed, path)
    with pytest.raises(WorkbookRefused) as caught:
        import_workbook(engine, path)
    assert caught.value.rule == "file.macro_enabled"
    assert "never run" in str(caught.value) and caught.value.hint


def test_a_vba_project_inside_an_xlsx_is_refused(seed: Path, tmp_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    path = _with_part(seed, tmp_path / "renamed.xlsx", "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0fake")
    with pytest.raises(WorkbookRefused) as caught:
        import_workbook(engine, path)
    assert caught.value.rule == "file.macro_enabled"


def test_external_links_and_embedded_objects_are_ignored(
    seed: Path, tmp_path: Path, engine
) -> None:  # type: ignore[no-untyped-def]
    path = _with_part(
        seed, tmp_path / "links.xlsx", "xl/externalLinks/externalLink1.xml",
        b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxml'
        b'formats.org/officeDocument/2006/relationships"/></externalLink>',
    )  # fmt: skip
    path = _with_part(
        path, tmp_path / "links-and-ole.xlsx", "xl/embeddings/oleObject1.bin", b"MZ" + b"\0" * 64
    )
    outcome = run_import_case(engine, path, known_rule_codes())
    assert outcome.outcome == "loaded", outcome


def test_unpacked_size_limit_stops_a_zip_bomb(
    seed: Path, tmp_path: Path, engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    bomb = _with_part(seed, tmp_path / "bomb.xlsx", "xl/media/padding.bin", b"\0" * 3_000_000)
    assert bomb.stat().st_size < 200_000  # compresses about 1000:1
    monkeypatch.setenv("INVENTORY_IMPORT_MAX_UNPACKED_MB", "2")
    with pytest.raises(WorkbookRefused) as caught:
        import_workbook(engine, bomb)
    assert caught.value.rule == "file.too_large"
    assert (
        "unpacks to" in str(caught.value)
        and "INVENTORY_IMPORT_MAX_UNPACKED_MB" in caught.value.hint
    )


def test_file_size_and_cell_count_limits(seed: Path, engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INVENTORY_IMPORT_MAX_FILE_MB", "0.001")
    with pytest.raises(WorkbookRefused) as caught:
        import_workbook(engine, seed)
    assert caught.value.rule == "file.too_large"
    monkeypatch.delenv("INVENTORY_IMPORT_MAX_FILE_MB")
    monkeypatch.setenv("INVENTORY_IMPORT_MAX_CELLS", "20")
    try:
        result = import_workbook(engine, seed)
    except InputFileError as exc:
        assert "cells" in str(exc), exc
    else:
        assert result.status == "rejected"
        assert "file.too_many_cells" in set(result.problems["rule"])


def test_formatting_a_million_rows_down_is_quick(seed: Path, tmp_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    """A formatted but empty cell in the last row Excel has (1,048,576): no 1e6-row read."""
    book = openpyxl.load_workbook(seed)
    book.worksheets[0].cell(1_048_576, 3).font = Font(bold=True)
    book.worksheets[0].cell(500_000, 1).font = Font(italic=True)
    path = tmp_path / "formatted.xlsx"
    book.save(path)
    started = time.monotonic()
    outcome = run_import_case(engine, path, known_rule_codes())
    assert time.monotonic() - started < 60
    assert outcome.outcome in ("loaded", "rejected") or outcome.outcome.startswith("error:"), (
        outcome
    )
