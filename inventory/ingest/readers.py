"""Read the cells of survey sheets as they are: .xlsx, .xls, .ods (python-calamine) or CSV.

A reader returns each sheet as a grid of raw values (a DataFrame of objects whose index 0 is
Excel row 1 and column 0 is column A), plus its merged ranges. Nothing is interpreted here:
header detection, units and types come after. python-calamine (the engine behind
``pandas.read_excel(engine="calamine")``) is used directly so that one pass gives both the
values and the merged ranges; it reads large sheets many times faster than openpyxl.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from inventory.errors import WorkbookRefused
from inventory.ingest.guard import ImportLimits

__all__ = ["MergedRange", "RawSheet", "list_sheets", "read_sheets"]

MergedRange = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class RawSheet:
    """The raw cells of one sheet. ``grid.iat[i, j]`` is Excel row i+1, column j (0 = A)."""

    name: str
    grid: pd.DataFrame
    merged: list[MergedRange] = field(default_factory=list)


def list_sheets(path: Path, kind: str) -> list[str]:
    """Names of the sheets of a workbook (or the .csv file stems of a folder), in order."""
    if kind == "csv-folder":
        return [p.stem for p in sorted(path.glob("*.csv"))]
    if kind == "csv":
        return [path.stem]
    workbook = _open_workbook(path)
    try:
        return [meta.name for meta in workbook.sheets_metadata if _is_worksheet(meta)]
    finally:
        workbook.close()


def read_sheets(
    path: Path,
    kind: str,
    names: list[str],
    limits: ImportLimits,
    on_sheet: Callable[[str], None] | None = None,
) -> list[RawSheet]:
    """Read the named sheets (raw cells). Raises :class:`WorkbookRefused` when unreadable."""
    if kind in ("csv-folder", "csv"):
        files = {p.stem: p for p in ([path] if kind == "csv" else sorted(path.glob("*.csv")))}
        sheets = []
        for name in names:
            if on_sheet:
                on_sheet(name)
            sheets.append(RawSheet(name, _read_csv(files[name])))
        return sheets
    import python_calamine

    workbook = _open_workbook(path)
    result = []
    try:
        for name in names:
            if on_sheet:
                on_sheet(name)
            try:
                sheet = workbook.get_sheet_by_name(name)
                cells = (sheet.total_height + 1) * (sheet.total_width + 1)
                if cells > limits.max_cells:
                    raise WorkbookRefused(
                        str(path),
                        f"sheet {name!r} has {cells:,} cells, over the limit of "
                        f"{limits.max_cells:,}.",
                        "Delete the empty formatted rows and columns, or raise "
                        "INVENTORY_IMPORT_MAX_CELLS if the file is trusted.",
                        "file.too_many_cells",
                    )
                rows = sheet.to_python(skip_empty_area=False)
                merged = list(sheet.merged_cell_ranges or [])
            except python_calamine.CalamineError as exc:
                raise _corrupt(path, exc) from exc
            grid = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
            result.append(RawSheet(name, grid, merged))
    finally:
        workbook.close()
    return result


def _is_worksheet(meta: object) -> bool:
    kind = str(getattr(meta, "typ", "WorkSheet"))
    return "WorkSheet" in kind or "Worksheet" in kind


def _open_workbook(path: Path) -> Any:
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise WorkbookRefused(
            str(path),
            "is password-protected.",
            "Open it, remove the password and save it again.",
            "file.encrypted",
        ) from exc
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise _corrupt(path, exc) from exc


def _corrupt(path: Path, exc: BaseException) -> WorkbookRefused:
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return WorkbookRefused(
        str(path),
        f"cannot be read: it is damaged or not what its name says ({detail}).",
        "Open it in Excel, WPS or LibreOffice and save it again, or ask for a new copy.",
        "file.corrupt",
    )


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV file as a grid of strings; UTF-8 (with or without BOM), else GB18030."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WorkbookRefused(
            str(path),
            "is neither UTF-8 nor GB18030 text.",
            "Save the CSV as UTF-8 (or GBK/GB18030) text.",
            "csv.encoding",
        )
    rows = list(csv.reader(io.StringIO(text)))
    width = max((len(r) for r in rows), default=0)
    padded = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(padded, dtype=object)
