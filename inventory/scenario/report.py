"""The reductions sheets and chart of a scenario run's report workbook."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine

from inventory import POLLUTANTS
from inventory.scenario.reductions import reductions_report

__all__ = ["REDUCTIONS_SHEET", "reductions_chart", "reductions_sheets"]

REDUCTIONS_SHEET = "Reductions"
CHART_POLLUTANTS = ("NOx", "VOCs")


def reductions_sheets(
    engine: Engine, base_run_id: int, scenario_run_id: int
) -> dict[str, pd.DataFrame]:
    """Sheets for a scenario run's report (t/yr): ``Reductions`` (measure rows x pollutant
    reduction columns, for the chart), ``Reductions detail`` (pollutant x sector x county x
    measure, with baseline, scenario, % and targets) and ``Targets``."""
    detail = reductions_report(
        engine, base_run_id, scenario_run_id, ["sector", "county", "measure"]
    )
    by_measure = reductions_report(engine, base_run_id, scenario_run_id, ["measure"]).rows
    wide = by_measure.pivot_table(
        index="measure", columns="pollutant", values="reduction_t", aggfunc="sum", fill_value=0.0
    )
    order = [p for p in POLLUTANTS if p in wide.columns]
    wide = wide[order].rename(columns=lambda p: f"{p} reduction_t").reset_index()
    wide.columns.name = None
    sheets = {REDUCTIONS_SHEET: wide, "Reductions detail": detail.rows}
    if len(detail.targets):
        sheets["Targets"] = detail.targets
    return sheets


def reductions_chart(book: Any, sheet_name: str, frame: pd.DataFrame, header_row: int) -> Any:
    """An xlsxwriter column chart of NOx and VOCs reductions by measure (t/yr), or None."""
    columns = [f"{p} reduction_t" for p in CHART_POLLUTANTS if f"{p} reduction_t" in frame.columns]
    if frame.empty or not columns:
        return None
    first, last = header_row + 1, header_row + len(frame)
    chart = book.add_chart({"type": "column"})
    for column in columns:
        col = list(frame.columns).index(column)
        chart.add_series(
            {
                "name": column.replace(" reduction_t", " (t/yr)"),
                "categories": [sheet_name, first, 0, last, 0],
                "values": [sheet_name, first, col, last, col],
            }
        )
    chart.set_title({"name": "Reductions by measure"})
    chart.set_y_axis({"name": "t/yr"})
    chart.set_size({"width": 720, "height": 400})
    return chart
