"""The report workbook (xlsxwriter): summaries, top emitters, detail with provenance, QA, the
comparison and diff with the previous year, and native Excel charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from inventory.export_safety import XLSXWRITER_OPTIONS
from inventory.report.tables import ReportTables, report_tables

__all__ = ["CHART_POLLUTANTS", "write_report", "write_workbook"]

CHART_POLLUTANTS = ("NOx", "VOCs")
EXCEL_MAX_ROWS = 1_048_576

_HEADERS = {
    "sector": "sector",
    "county": "county code",
    "name_zh": "名称",
    "name_en": "name",
    "emissions_t": "emissions (t/yr)",
    "share": "share",
    "previous_t": "previous (t/yr)",
    "this_t": "this run (t/yr)",
    "change_pct": "change (%)",
}


class _Writer:
    """Frames to sheets with one set of formats."""

    def __init__(self, path: Path) -> None:
        import xlsxwriter

        # text cells stay text: a facility name starting with "=" is never run as a formula
        options = {"nan_inf_to_errors": True, **XLSXWRITER_OPTIONS}
        self.book = xlsxwriter.Workbook(str(path), options)
        self.header = self.book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.number = self.book.add_format({"num_format": "#,##0.000"})
        self.percent = self.book.add_format({"num_format": "0.0%"})
        self.title = self.book.add_format({"bold": True, "font_size": 14})

    def frame(
        self, name: str, frame: pd.DataFrame, title: str | None = None, first_row: int = 0
    ) -> tuple[Any, int]:
        """Write ``frame`` with a header row; returns the sheet and the header's row index."""
        sheet = self.book.add_worksheet(name)
        row = first_row
        if title:
            sheet.write(row, 0, title, self.title)
            row += 2
        header_row = row
        for col, column in enumerate(frame.columns):
            sheet.write(row, col, _HEADERS.get(str(column), str(column)), self.header)
            width = 14 if column not in ("factor_source", "message", "source_name") else 40
            numeric = pd.api.types.is_float_dtype(frame[column])
            style = self.percent if column == "share" else self.number if numeric else None
            sheet.set_column(col, col, width, style)
        limit = min(len(frame), EXCEL_MAX_ROWS - row - 2)
        head = frame.head(limit)
        # typed writes, column by column: xlsxwriter's generic write() guesses every cell's type
        for col, column in enumerate(head.columns):
            values = head[column]
            numeric = pd.api.types.is_numeric_dtype(values.dtype) and not (
                pd.api.types.is_bool_dtype(values.dtype)
            )
            present = values.notna().to_numpy()
            cells = values.astype(object).to_numpy()
            if numeric:
                write_number = sheet.write_number
                for offset in present.nonzero()[0]:
                    write_number(row + 1 + int(offset), col, float(cells[offset]))
            else:
                write_string = sheet.write_string
                for offset in present.nonzero()[0]:
                    write_string(row + 1 + int(offset), col, _text(cells[offset]))
        if limit < len(frame):
            sheet.write(row + limit + 1, 0, f"{len(frame) - limit} more rows cut (Excel's limit).")
        sheet.freeze_panes(header_row + 1, 0)
        if len(frame):
            sheet.autofilter(header_row, 0, header_row + limit, max(len(frame.columns) - 1, 0))
        return sheet, header_row


def _text(value: Any) -> str:
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return str(value)


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _summary_sheet(writer: _Writer, tables: ReportTables) -> None:
    sheet = writer.book.add_worksheet("Summary")
    run = tables.run
    title = f"Emission inventory {run['year']}" + (
        f" - scenario {run['scenario']}" if run.get("scenario") else ""
    )
    sheet.write(0, 0, title, writer.title)
    fields = [
        ("run id", run["id"]),
        ("year", run["year"]),
        ("label", run.get("label")),
        ("scenario", run.get("scenario")),
        ("created at (UTC)", str(run.get("created_at"))),
        ("package version", run.get("package_version")),
        ("factor set", run.get("factor_set_version")),
        ("input fingerprint", run.get("fingerprint")),
        ("sources", run.get("n_sources")),
        ("result rows", run.get("n_results")),
        ("QA errors", int((tables.findings["severity"] == "error").sum())),
        ("QA warnings", int((tables.findings["severity"] == "warning").sum())),
    ]
    if tables.previous_run:
        fields.append(("compared with run", tables.previous_run["id"]))
    for offset, (label, value) in enumerate(fields, start=2):
        sheet.write(offset, 0, label, writer.header)
        sheet.write(offset, 1, _plain(value))
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 70)
    notes = len(fields) + 3
    sheet.write(notes, 0, "Emissions in tonnes per year; NOx as NO2.")
    sheet.write(
        notes + 1,
        0,
        "Sheets: By sector, By county, Top emitters, Detail, QA, Charts"
        + (", Comparison, Diff" if tables.comparison is not None else "")
        + ".",
    )


def _chart(
    writer: _Writer,
    sheet_name: str,
    frame: pd.DataFrame,
    header_row: int,
    label_column: str,
    pollutant: str,
    title: str,
) -> Any:
    col = list(frame.columns).index(pollutant)
    labels = list(frame.columns).index(label_column)
    first, last = header_row + 1, header_row + len(frame)
    chart = writer.book.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": f"{pollutant} (t/yr)",
            "categories": [sheet_name, first, labels, last, labels],
            "values": [sheet_name, first, col, last, col],
        }
    )
    chart.set_title({"name": title})
    chart.set_y_axis({"name": "t/yr"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 360})
    return chart


def write_workbook(tables: ReportTables, path: str | Path) -> Path:
    """Write the report of ``tables`` to ``path`` (.xlsx); returns the path."""
    path = Path(path)
    writer = _Writer(path)
    _summary_sheet(writer, tables)
    year = tables.run["year"]
    _, sector_header = writer.frame(
        "By sector", tables.by_sector, f"Emissions by sector, {year} (t/yr)"
    )
    _, county_header = writer.frame(
        "By county", tables.by_county, f"Emissions by county, {year} (t/yr)"
    )
    writer.frame("Top emitters", tables.top, "Largest sources by pollutant")
    writer.frame("Detail", tables.detail)
    writer.frame("QA", tables.findings, "QA findings (codes: docs/qa.md)")
    if tables.comparison is not None and tables.previous_run is not None:
        writer.frame(
            "Comparison",
            tables.comparison,
            f"Run {tables.run['id']} ({year}) vs run {tables.previous_run['id']} "
            f"({tables.previous_run['year']})",
        )
    if tables.diff is not None:
        writer.frame(
            "Diff", tables.diff, "Why the numbers changed (t/yr): parts add up to change_t"
        )
    for name, frame in tables.extra.items():
        extra_sheet, extra_header = writer.frame(name[:31], frame)
        if name == "Reductions":  # a scenario run: chart the reductions by measure
            from inventory.scenario.report import reductions_chart

            chart = reductions_chart(writer.book, name, frame, extra_header)
            if chart is not None:
                extra_sheet.insert_chart(1, len(frame.columns) + 1, chart)
    charts = writer.book.add_worksheet("Charts")
    slot = 0
    for pollutant in CHART_POLLUTANTS:
        for sheet_name, frame, header_row, title in (
            ("By sector", tables.by_sector, sector_header, "by sector"),
            ("By county", tables.by_county, county_header, "by county"),
        ):
            if pollutant not in frame.columns or frame.empty:
                continue
            chart = _chart(
                writer,
                sheet_name,
                frame,
                header_row,
                "name_zh",
                pollutant,
                f"{pollutant} {title}, {year}",
            )
            charts.insert_chart(2 + (slot // 2) * 20, 1 + (slot % 2) * 11, chart)
            slot += 1
    if slot == 0:
        charts.write(0, 0, "No NOx or VOCs emissions in this run: no charts.")
    writer.book.close()
    return path


def write_report(
    engine: Engine,
    run_id: int,
    path: str | Path,
    compare_with: int | None = None,
    extra_sheets: dict[str, pd.DataFrame] | None = None,
) -> Path:
    """Write the report workbook of run ``run_id`` to ``path``.

    ``compare_with``: the run for the Comparison and Diff sheets (default: the newest base run
    of the previous year, when one exists). ``extra_sheets``: further named tables (e.g. a
    scenario's reductions), written after the standard sheets.
    """
    tables = report_tables(engine, run_id, compare_with)
    tables.extra = dict(extra_sheets or {})
    if tables.run.get("scenario") and tables.run.get("base_run_id") is not None:
        from inventory.scenario.report import reductions_sheets

        base_run = int(tables.run["base_run_id"])  # type: ignore[call-overload]
        tables.extra = {**reductions_sheets(engine, base_run, run_id), **tables.extra}
    return write_workbook(tables, path)
