"""A synthetic survey workbook of N boiler rows, written with xlsxwriter in the ingest layout.

The sheets and headers come from the survey layout (``factors/layouts``, read through
:func:`inventory.ingest.layouts.load_layout`), so the file is what ``inventory template``
describes: an enterprise sheet (about one enterprise per three units) and a boiler sheet of
``n_rows`` units drawn from the coal, gas, oil and biomass templates of the catalogue, with
quantities in mixed units (t, 万吨, 万立方米, m3...) in a unit column beside the value, sulfur and
ash for coal, control devices and operating rates. xlsxwriter writes shared strings and the
sheet dimension, as Excel does, so the file reads as fast as a real one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from inventory.synthetic.catalogue import COUNTIES, build_templates
from inventory.synthetic.database import credit_codes
from inventory.synthetic.frames import draw_quantities

__all__ = ["BOILER_COLUMNS", "FACILITY_COLUMNS", "write_survey_workbook"]

FACILITY_COLUMNS = ("credit_code", "name", "region_code", "operating_hours", "status")
BOILER_COLUMNS = (
    "credit_code",
    "unit_id",
    "unit_type",
    "firing",
    "capacity_tph",
    "hours",
    "fuel",
    "fuel_use",
    "unit",
    "sulfur_pct",
    "ash_pct",
    "desulf",
    "denox",
    "dust",
    "low_nox",
    "operating_rate",
)
_BOILER_TEMPLATES = (
    "industrial coal boiler 煤粉炉",
    "industrial coal boiler 流化床炉",
    "industrial coal boiler 层燃炉",
    "heat coal",
    "gas boiler",
    "oil boiler",
    "biomass boiler",
)
_FIRING = {"天然气": "燃气", "燃料油": "燃油", "生物质": "层燃炉"}


def _headers(sheet: str, columns: tuple[str, ...]) -> tuple[str, list[str]]:
    from inventory.ingest.layouts import load_layout

    layout = load_layout().sheets[sheet]
    return layout.name, [layout.column(name).template_header for name in columns]


def write_survey_workbook(path: Path, n_rows: int, seed: int = 0) -> Path:
    """Write a survey workbook with ``n_rows`` boiler rows (and their enterprises) to ``path``."""
    import xlsxwriter

    rng = np.random.default_rng(seed)
    templates = {t.name: t for t in build_templates(seed)}
    n_facilities = max(1, n_rows // 3)
    regions = [COUNTIES[i] for i in rng.integers(0, len(COUNTIES), n_facilities)]
    codes = credit_codes(np.arange(n_facilities) + 7000, regions)
    facility_of = np.sort(rng.integers(0, n_facilities, n_rows))
    facility_of[:n_facilities] = np.arange(min(n_facilities, n_rows))  # every one has a unit
    facility_of.sort()
    picked = rng.integers(0, len(_BOILER_TEMPLATES), n_rows)

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    name, headers = _headers("facilities", FACILITY_COLUMNS)
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, headers)
    hours = rng.integers(2000, 8760, n_facilities)
    for i in range(n_facilities):
        sheet.write_row(i + 1, 0, [codes[i], f"合成企业{i + 1}", regions[i], int(hours[i]), "运行"])

    name, headers = _headers("boilers", BOILER_COLUMNS)
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, headers)
    quantity = np.empty(n_rows)
    unit = np.empty(n_rows, dtype=object)
    for number, template_name in enumerate(_BOILER_TEMPLATES):
        rows = np.flatnonzero(picked == number)
        if len(rows):
            quantity[rows], unit[rows] = draw_quantities(rng, templates[template_name], len(rows))
    capacity = rng.choice([4.0, 10.0, 20.0, 35.0, 75.0, 130.0], n_rows)
    run_hours = rng.integers(1000, 8000, n_rows)
    sulfur = rng.uniform(0.3, 2.0, n_rows)
    ash = rng.uniform(8.0, 35.0, n_rows)
    rate = rng.uniform(80.0, 100.0, n_rows)
    has_scr = rng.random(n_rows) < 0.5
    unit_number = np.arange(n_rows) - np.searchsorted(facility_of, facility_of) + 1
    for i in range(n_rows):
        template = templates[_BOILER_TEMPLATES[picked[i]]]
        coal = template.fuel == "燃煤"
        row = [
            codes[facility_of[i]],
            f"{unit_number[i]}#锅炉",
            "电站锅炉" if template.class_code.startswith("0101") else "工业锅炉",
            template.technology or _FIRING.get(template.fuel or "", "其他"),
            float(capacity[i]),
            int(run_hours[i]),
            template.fuel,
            round(float(quantity[i]), 3),
            unit[i],
            round(float(sulfur[i]), 2) if coal else None,
            round(float(ash[i]), 1) if coal else None,
            "石灰石-石膏湿法" if coal else "无",
            ("SCR" if has_scr[i] else "SNCR") if coal else "无",
            "袋式除尘" if coal else "无",
            "是" if template.fuel == "天然气" else "否",
            round(float(rate[i]), 1),
        ]
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(i + 1, column, value)
    workbook.close()
    return path
