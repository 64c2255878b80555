"""From a mapped sheet to a typed frame: skip total and notes rows, coerce every column, check
each cell against its column's rules, and record every bad cell in the problem log.

The result has one row per data row taken, canonical column names, ``_row`` (the Excel row
number), ``<column>_unit`` for quantities (the unit text of each row, normalised), and
``_rejected`` (True where the row has an error: with ``--partial`` those rows are left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from inventory.ingest.calorific import convert_calorific
from inventory.ingest.cellchecks import ConvertContext, log_cells, reject_rows
from inventory.ingest.codecells import (
    convert_coordinate,
    convert_credit,
    convert_industry,
    convert_region,
)
from inventory.ingest.coerce import blank_mask
from inventory.ingest.converters import (
    convert_choice,
    convert_date,
    convert_fraction,
    convert_number,
    convert_percent,
    convert_term,
    convert_text,
    convert_year,
)
from inventory.ingest.headers import Binding, MappedSheet
from inventory.ingest.layouts import ColumnSpec
from inventory.ingest.problems import ProblemLog
from inventory.ingest.quantities import convert_quantity
from inventory.ingest.rowselect import select_rows

__all__ = ["ConvertContext", "SheetData", "convert_sheet"]


@dataclass
class SheetData:
    """A typed sheet: canonical columns, ``_row``, ``<q>_unit``, ``_rejected``."""

    key: str
    name: str
    kind: str
    frame: pd.DataFrame
    skipped: int = 0
    bindings: dict[str, Binding] = field(default_factory=dict)


def convert_sheet(mapped: MappedSheet, log: ProblemLog, context: ConvertContext) -> SheetData:
    """Typed values of a mapped sheet; every bad cell goes to ``log``."""
    grid = mapped.raw.grid
    body = grid.iloc[mapped.data_start :]
    sheet = mapped.name
    columns = sorted({b.index for b in mapped.bindings.values()} | _unit_columns(mapped))
    body = body[[c for c in columns if c < body.shape[1]]] if columns else body.iloc[:, :0]
    keep, skipped = select_rows(grid.iloc[mapped.data_start :], body, mapped, log)
    body = body[keep]
    rows = pd.Series(body.index.to_numpy() + 1, index=body.index)
    out = pd.DataFrame({"_row": rows}, index=body.index)
    bad = pd.Series(False, index=body.index)
    # a calorific value is checked against the fuel use's unit: convert it last
    ordered = sorted(mapped.bindings.items(), key=lambda item: item[1].spec.type == "calorific")
    for name, binding in ordered:
        raw = (
            body[binding.index]
            if binding.index in body.columns
            else pd.Series(None, index=body.index, dtype=object)
        )
        converter = _CONVERTERS.get(binding.spec.type, convert_text)
        converter(name, binding, raw, out, bad, rows, mapped, log, context)
    _combine_dms(out, mapped, bad, rows, log)
    _check_groups(out, mapped, bad, rows, log)
    _check_conditional_required(out, body, mapped, bad, rows, log)
    out["_rejected"] = bad
    return SheetData(
        key=mapped.layout.key,
        name=sheet,
        kind=mapped.layout.kind,
        frame=out.reset_index(drop=True),
        skipped=skipped,
        bindings=dict(mapped.bindings),
    )


def _unit_columns(mapped: MappedSheet) -> set[int]:
    return {b.unit_column for b in mapped.bindings.values() if b.unit_column is not None}


_CONVERTERS: dict[str, Any] = {
    "text": convert_text,
    "code": convert_text,
    "number": convert_number,
    "integer": convert_number,
    "quantity": convert_quantity,
    "calorific": convert_calorific,
    "percent": convert_percent,
    "fraction": convert_fraction,
    "date": convert_date,
    "year": convert_year,
    "term": convert_term,
    "choice": convert_choice,
    "credit_code": convert_credit,
    "region_code": convert_region,
    "industry_code": convert_industry,
    "lon": convert_coordinate,
    "lat": convert_coordinate,
    "lon_deg": convert_number,
    "lon_min": convert_number,
    "lon_sec": convert_number,
    "lat_deg": convert_number,
    "lat_min": convert_number,
    "lat_sec": convert_number,
}


def _combine_dms(
    out: pd.DataFrame, mapped: MappedSheet, bad: pd.Series, rows: pd.Series, log: ProblemLog
) -> None:
    """Degree/minute/second columns -> decimal ``lon`` / ``lat``."""
    for axis in ("lon", "lat"):
        if f"{axis}_deg" not in out.columns:
            continue
        degrees = out[f"{axis}_deg"]
        minutes = out.get(f"{axis}_min", pd.Series(0.0, index=out.index)).fillna(0.0)
        seconds = out.get(f"{axis}_sec", pd.Series(0.0, index=out.index)).fillna(0.0)
        decimal = degrees + minutes / 60.0 + seconds / 3600.0
        if axis in out.columns:
            out[axis] = out[axis].where(out[axis].notna(), decimal)
        else:
            out[axis] = decimal
        # the caller's frame is changed in place (pandas deprecates drop(inplace=True))
        for column in (f"{axis}_deg", f"{axis}_min", f"{axis}_sec"):
            if column in out.columns:
                del out[column]
    del mapped, bad, rows, log


def _check_groups(
    out: pd.DataFrame, mapped: MappedSheet, bad: pd.Series, rows: pd.Series, log: ProblemLog
) -> None:
    """At least one column of each one-of group must be filled on every row."""
    groups: dict[str, list[ColumnSpec]] = {}
    for spec in mapped.layout.columns:
        if spec.group:
            groups.setdefault(spec.group, []).append(spec)
    for members in groups.values():
        present = [m.name for m in members if m.name in out.columns]
        if not present:
            continue  # reported once as header.missing
        empty = np.logical_and.reduce([out[name].isna().to_numpy() for name in present])
        mask = pd.Series(empty, index=out.index)
        if mask.any():
            where = mask[mask].index
            log.add_many(
                "value.required",
                "Fill at least one of " + " / ".join(m.header for m in members) + ".",
                sheet=mapped.name,
                rows=rows[where],
                header=" / ".join(m.header for m in members),
            )
            reject_rows(bad, where)


def _check_conditional_required(
    out: pd.DataFrame,
    body: pd.DataFrame,
    mapped: MappedSheet,
    bad: pd.Series,
    rows: pd.Series,
    log: ProblemLog,
) -> None:
    """A blank cell of a conditionally required column (``key_unless:fuel=纯电动|电``) is an
    error unless the row's other column holds one of the exempting values. Checked after every
    column is converted so that the condition reads the normalised value (燃料类型 电动 -> 纯电动);
    a written but unreadable cell has its own error already."""
    for binding in mapped.bindings.values():
        condition = binding.spec.blank_allowed_when
        if condition is None:
            continue
        column, values = condition
        raw = (
            body[binding.index]
            if binding.index in body.columns
            else pd.Series(None, index=body.index, dtype=object)
        )
        exempt = out[column].isin(values) if column in out.columns else False
        missing = blank_mask(raw) & ~exempt
        other = mapped.layout.column(column).header if mapped.layout.has(column) else column
        log_cells(
            log,
            "value.required",
            missing,
            binding,
            raw,
            rows,
            mapped,
            bad,
            f"{binding.spec.header} is required (it may be blank only when {other} is "
            f"{'/'.join(values)}).",
            "Fill the cell (blank, 无, — and / count as empty).",
        )
