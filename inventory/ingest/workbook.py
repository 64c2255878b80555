"""Read and validate one survey workbook (or CSV folder) into typed sheets and a problem table.

``parse_workbook`` is the read -> map headers -> coerce -> check cells part of an import; it
touches no database. Cross-sheet rules and persistence come after (``crosscheck``, ``persist``).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from inventory.errors import WorkbookRefused
from inventory.ingest.convert import ConvertContext, SheetData, convert_sheet
from inventory.ingest.guard import ImportLimits, check_file, find_formulas_without_values
from inventory.ingest.headers import map_sheet
from inventory.ingest.layouts import Layout, load_layout
from inventory.ingest.problems import ProblemLog
from inventory.ingest.readers import list_sheets, read_sheets

__all__ = ["ParsedWorkbook", "file_sha256", "parse_workbook"]

_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class ParsedWorkbook:
    """A workbook read and checked cell by cell (nothing written anywhere yet)."""

    path: Path
    sha256: str
    format: str
    sheets: dict[str, SheetData] = field(default_factory=dict)
    log: ProblemLog | None = None
    years_found: dict[int, str] = field(default_factory=dict)  # year -> where it was read

    @property
    def sheet_names(self) -> list[str]:
        """Names of the survey sheets read, in workbook order."""
        return [s.name for s in self.sheets.values()]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a CSV folder (the names and bytes of its .csv files, sorted)."""
    digest = hashlib.sha256()
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.name.encode() + b"\0")
        with file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def parse_workbook(
    path: str | Path,
    *,
    regions: dict[str, str],
    limits: ImportLimits | None = None,
    layout: Layout | None = None,
    progress: Callable[[str], None] | None = None,
    sha256: str | None = None,
) -> ParsedWorkbook:
    """Read, map and check every survey sheet of ``path``.

    ``regions`` maps the known six-digit codes to names. File-level refusals raise
    :class:`WorkbookRefused`; everything else is recorded in the returned problem log.
    ``sha256``: the file's :func:`file_sha256` when the caller has it already (not read again).
    """
    path = Path(path)
    limits = limits or ImportLimits.from_environment()
    layout = layout or load_layout()
    kind = check_file(path, limits)
    log = ProblemLog(path.name)
    parsed = ParsedWorkbook(path=path, sha256=sha256 or file_sha256(path), format=kind, log=log)
    wanted: list[tuple[str, str]] = []  # (workbook sheet name, layout key)
    seen: dict[str, str] = {}
    for name in list_sheets(path, kind):
        sheet = layout.match_sheet(name)
        if sheet is None:
            close = difflib.get_close_matches(name, layout.sheet_names(), n=1, cutoff=0.4)
            log.add(
                "sheet.unknown",
                f"Sheet {name!r} is not a survey sheet; it was ignored.",
                sheet=name,
                hint=f"Did you mean {close[0]}?" if close else "",
            )
            continue
        if sheet.kind == "none":
            continue
        if sheet.key in seen:
            log.add(
                "sheet.duplicate",
                f"Sheets {seen[sheet.key]!r} and {name!r} are both the {sheet.name} sheet.",
                sheet=name,
                hint="Merge them into one sheet or delete one.",
            )
            continue
        seen[sheet.key] = name
        wanted.append((name, sheet.key))
    if not wanted:
        raise WorkbookRefused(
            str(path),
            "has no survey sheet (names like "
            + ", ".join(s.name for s in layout.sheets.values() if s.kind != "none")
            + ").",
            "Rename the sheets as in the template (inventory template -o survey.xlsx).",
            "file.no_known_sheet",
        )
    # The formula scan inflates the sheet XML with zlib, which releases the GIL: it runs in a
    # thread while python-calamine (which holds the GIL) reads the cells.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(find_formulas_without_values, path) if kind == "xlsx" else None
        try:
            raws = read_sheets(path, kind, [n for n, _ in wanted], limits, on_sheet=progress)
        except BaseException:
            if scan is not None:
                scan.result()  # the scan ran first before: its failure is the one to report
            raise
        formulas = scan.result() if scan is not None else {}
    for sheet_name, cells in formulas.items():
        if sheet_name not in seen.values():
            continue
        log.add_many(
            "cell.formula_no_value",
            "A formula cell has no saved value.",
            sheet=sheet_name,
            rows=[r for r, _ in cells],
            column=[c for _, c in cells],
            hint="Open the workbook in Excel, WPS or LibreOffice, let it calculate, and save it.",
        )
    context = ConvertContext(regions=regions)
    for raw, (_, key) in zip(raws, wanted, strict=True):
        mapped = map_sheet(raw, layout.sheets[key], log)
        if mapped is None:
            continue
        data = convert_sheet(mapped, log, context)
        parsed.sheets[key] = data
        for text in mapped.title_text:
            for match in _YEAR_IN_TEXT.finditer(text):
                parsed.years_found.setdefault(int(match.group(1)), f"title of sheet {raw.name!r}")
        if "year" in data.frame.columns:
            years = pd.to_numeric(data.frame["year"], errors="coerce")
            # a cell like inf or 1e308 is already a problem row; it names no year
            years = years[years.between(1000, 9999)]
            for value in pd.unique(years):
                parsed.years_found.setdefault(int(value), f"年份 column of sheet {raw.name!r}")
    if not parsed.years_found:
        in_name = _YEAR_IN_NAME.search(path.stem)
        if in_name:
            parsed.years_found[int(in_name.group(1))] = "file name"
    return parsed
