"""Reports of a run: the Excel workbook (native charts) and PNG charts."""

from inventory.report.charts import plot_run
from inventory.report.tables import DETAIL_COLUMNS, ReportTables, report_tables, sector_names
from inventory.report.workbook import CHART_POLLUTANTS, write_report, write_workbook

__all__ = [
    "CHART_POLLUTANTS",
    "DETAIL_COLUMNS",
    "ReportTables",
    "plot_run",
    "report_tables",
    "sector_names",
    "write_report",
    "write_workbook",
]
