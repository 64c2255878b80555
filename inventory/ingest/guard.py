"""Refuse files that are not safe or not possible to read, before any reader touches them.

Checks, each with its own rule code and a clear sentence: the file exists; it is a spreadsheet
(by its first bytes, not only its name); it is not macro-enabled (.xlsm is refused: macros never
run here); it is not password-protected; its packed and unpacked sizes are under the limits
(a zip bomb expands a few kilobytes into gigabytes); and, for .xlsx, that no formula cell lacks
a saved value (a workbook written by a program that never calculated it).
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from inventory.errors import WorkbookRefused

__all__ = ["ImportLimits", "check_file", "find_formulas_without_values", "workbook_format"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ImportLimits:
    """Size limits of one import (defaults overridable by environment variables).

    ``max_file_mb``: the file on disk; ``max_unpacked_mb``: the sum of the unpacked parts of an
    .xlsx/.ods; ``max_cells``: cells of one sheet (rows x columns of its used range).
    """

    max_file_mb: float = 200.0
    max_unpacked_mb: float = 2000.0
    max_cells: int = 30_000_000

    @classmethod
    def from_environment(cls) -> ImportLimits:
        """Limits from ``INVENTORY_IMPORT_MAX_FILE_MB``, ``..._MAX_UNPACKED_MB``, ``..._MAX_CELLS``."""
        defaults = cls()
        return cls(
            max_file_mb=float(os.environ.get("INVENTORY_IMPORT_MAX_FILE_MB", defaults.max_file_mb)),
            max_unpacked_mb=float(
                os.environ.get("INVENTORY_IMPORT_MAX_UNPACKED_MB", defaults.max_unpacked_mb)
            ),
            max_cells=int(os.environ.get("INVENTORY_IMPORT_MAX_CELLS", defaults.max_cells)),
        )


def _refuse(path: Path, code: str, problem: str, hint: str) -> WorkbookRefused:
    return WorkbookRefused(str(path), problem, hint, code)


def workbook_format(path: Path) -> str:
    """``xlsx``, ``xls``, ``ods`` or ``csv-folder`` (``csv`` for one CSV file), by content.

    Raises :class:`WorkbookRefused` for anything else.
    """
    if path.is_dir():
        return "csv-folder"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    with path.open("rb") as handle:
        head = handle.read(8)
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise _refuse(
            path,
            "file.macro_enabled",
            "is a macro-enabled workbook (.xlsm); it is refused and its macros are never run.",
            "Open it in Excel or WPS and save it as an .xlsx workbook (文件 > 另存为 > .xlsx).",
        )
    if head.startswith(ZIP_MAGIC):
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument.spreadsheet"
            ):
                return "ods"
            if "xl/vbaProject.bin" in names:
                raise _refuse(
                    path,
                    "file.macro_enabled",
                    "contains macros (a VBA project); it is refused and its macros are never run.",
                    "Save it as an .xlsx workbook without macros.",
                )
            if "xl/workbook.xml" in names:
                return "xlsx"
        raise _not_spreadsheet(path)
    if head.startswith(OLE_MAGIC):
        # An OLE container is either an old .xls or an encrypted .xlsx (EncryptedPackage).
        with path.open("rb") as handle:
            blob = handle.read(1 << 20)
        if "EncryptedPackage".encode("utf-16-le") in blob:
            raise _refuse(
                path,
                "file.encrypted",
                "is password-protected.",
                "Open it, remove the password (文件 > 信息 > 保护工作簿) and save it again.",
            )
        return "xls"
    raise _not_spreadsheet(path)


def _not_spreadsheet(path: Path) -> WorkbookRefused:
    return _refuse(
        path,
        "file.not_spreadsheet",
        "is not a spreadsheet (.xlsx, .xls or .ods) or a folder of .csv files.",
        "Give the survey workbook itself, or a folder with one .csv file per sheet.",
    )


def check_file(path: Path, limits: ImportLimits) -> str:
    """Run every file-level check and return the format (see :func:`workbook_format`)."""
    if not path.exists():
        raise _refuse(path, "file.not_found", "does not exist.", "Check the path.")
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    if size_mb > limits.max_file_mb:
        raise _refuse(
            path,
            "file.too_large",
            f"is {size_mb:,.3g} MB, over the limit of {limits.max_file_mb:,.3g} MB.",
            "Split the workbook, or raise INVENTORY_IMPORT_MAX_FILE_MB if the file is trusted.",
        )
    try:
        kind = workbook_format(path)
    except zipfile.BadZipFile as exc:
        raise _refuse(
            path, "file.corrupt", "is damaged (not a valid workbook archive).", _RESAVE
        ) from exc
    if kind in ("xlsx", "ods"):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist()) / 1e6
                bad = archive.testzip() if unpacked < 50 else None
        except zipfile.BadZipFile as exc:
            raise _refuse(path, "file.corrupt", "is damaged.", _RESAVE) from exc
        if unpacked > limits.max_unpacked_mb:
            raise _refuse(
                path,
                "file.too_large",
                f"unpacks to {unpacked:,.3g} MB, over the limit of "
                f"{limits.max_unpacked_mb:,.3g} MB (a compressed bomb or a huge sheet).",
                "Split the workbook, or raise INVENTORY_IMPORT_MAX_UNPACKED_MB if it is trusted.",
            )
        if bad is not None:
            raise _refuse(path, "file.corrupt", f"is damaged (part {bad} is broken).", _RESAVE)
    return kind


_RESAVE = "Open it in Excel, WPS or LibreOffice and save it again, or ask for a new copy."

_SHEET_PART = re.compile(r"^xl/worksheets/sheet\d+\.xml$")
_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>'
)


def find_formulas_without_values(path: Path) -> dict[str, list[tuple[int, str]]]:
    """Formula cells of an .xlsx that have no saved value: sheet name -> [(row, column letter)].

    Such a workbook was written by a program and never calculated; reading it would see blanks.
    """
    found: dict[str, list[tuple[int, str]]] = {}
    with zipfile.ZipFile(path) as archive:
        names = _sheet_names_by_part(archive)
        for part_name in archive.namelist():
            if not _SHEET_PART.match(part_name):
                continue
            if not _mentions_formula(archive, part_name):
                continue
            with archive.open(part_name) as part:
                data = part.read()
            cells = [
                (int(m.group(2)), m.group(1).decode()) for m in _FORMULA_NO_VALUE.finditer(data)
            ]
            if cells:
                found[names.get(part_name, part_name)] = cells
    return found


def _mentions_formula(archive: zipfile.ZipFile, part_name: str) -> bool:
    """Whether the part's XML contains ``<f`` (a formula element), inflated a few MB at a time:
    a sheet without formulas is never held whole in memory (74 MB of XML for 10^5 rows)."""
    tail = b""
    with archive.open(part_name) as part:
        while chunk := part.read(_SCAN_CHUNK):
            if b"<f" in tail + chunk[:1] or b"<f" in chunk:
                return True
            tail = chunk[-1:]
    return False


_SCAN_CHUNK = 1 << 22


def _sheet_names_by_part(archive: zipfile.ZipFile) -> dict[str, str]:
    """``xl/worksheets/sheetN.xml`` -> the sheet's name, from workbook.xml and its rels."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    result: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        target = target.lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        result[part] = sheet.get("name", "")
    return result


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
