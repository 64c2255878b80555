"""From a mapped sheet to a typed frame: skip total and notes rows, coerce every column, check
each cell against its column's rules, and record every bad cell in the problem log.

The result has one row per data row taken, canonical column names, ``_row`` (the Excel row
number), ``<column>_unit`` for quantities (the unit text of each row, normalised), and
``_rejected`` (True where the row has an error: with ``--partial`` those rows are left out).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from inventory.errors import UnitMismatch, UnknownUnit
from inventory.ingest.codes import credit_code_problems, industry_code_valid, parse_coordinate
from inventory.ingest.coerce import (
    per_unique,
    to_code,
    to_date,
    to_number,
    to_percent,
    to_text,
)
from inventory.ingest.headers import Binding, MappedSheet
from inventory.ingest.layouts import ColumnSpec, read_data_csv
from inventory.ingest.problems import ProblemLog
from inventory.resources import factors_path
from inventory.units import conversion_factor, normalise_unit_text, parse_unit
from inventory.vocabulary import load_vocabulary, normalise

__all__ = ["ConvertContext", "SheetData", "convert_sheet"]

TOTAL_WORDS = ("合计", "小计", "总计", "累计", "全市合计", "总合计")
NOTE_MARKERS = (
    "填表说明",
    "填报说明",
    "注:",
    "注：",
    "说明:",
    "说明：",
    "备注:",
    "备注：",
    "注 ",
    "*注",
)
EXAMPLE_MARKERS = ("示例", "例", "【示例】", "填写示例")
_NOTE_LINE = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,2})[.、．)）]")


@dataclass
class ConvertContext:
    """What conversion needs from outside the sheet: the region table (code -> name)."""

    regions: dict[str, str]


@dataclass
class SheetData:
    """A typed sheet: canonical columns, ``_row``, ``<q>_unit``, ``_rejected``."""

    key: str
    name: str
    kind: str
    frame: pd.DataFrame
    skipped: int = 0
    bindings: dict[str, Binding] = field(default_factory=dict)


def _reject(frame_bad: pd.Series, index: pd.Index) -> None:
    frame_bad.loc[index] = True


def convert_sheet(mapped: MappedSheet, log: ProblemLog, context: ConvertContext) -> SheetData:
    """Typed values of a mapped sheet; every bad cell goes to ``log``."""
    grid = mapped.raw.grid
    body = grid.iloc[mapped.data_start :]
    sheet = mapped.name
    columns = sorted({b.index for b in mapped.bindings.values()} | _unit_columns(mapped))
    body = body[[c for c in columns if c < body.shape[1]]] if columns else body.iloc[:, :0]
    keep, skipped = _select_rows(grid.iloc[mapped.data_start :], body, mapped, log)
    body = body[keep]
    rows = pd.Series(body.index.to_numpy() + 1, index=body.index)
    out = pd.DataFrame({"_row": rows}, index=body.index)
    bad = pd.Series(False, index=body.index)
    for name, binding in mapped.bindings.items():
        raw = (
            body[binding.index]
            if binding.index in body.columns
            else pd.Series(None, index=body.index, dtype=object)
        )
        converter = _CONVERTERS.get(binding.spec.type, _convert_text)
        converter(name, binding, raw, out, bad, rows, mapped, log, context)
    _combine_dms(out, mapped, bad, rows, log)
    _check_groups(out, mapped, bad, rows, log)
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


def _select_rows(
    full: pd.DataFrame, body: pd.DataFrame, mapped: MappedSheet, log: ProblemLog
) -> tuple[pd.Series, int]:
    """Mask of data rows to convert; blank rows dropped, total and notes rows logged."""
    if not len(full):
        return pd.Series(True, index=full.index), 0
    # a cheap "something is written" test: calamine gives "" for empty cells
    filled = full.notna() & (full != "")
    count = filled.sum(axis=1)
    nonblank = count > 0
    first_cols = list(full.columns[: min(4, full.shape[1])])
    lead_text = pd.DataFrame({c: _lead_text(full[c]) for c in first_cols}, index=full.index)
    is_total = lead_text.apply(
        lambda col: col.str.startswith(TOTAL_WORDS) | col.str.endswith(("合计", "小计"))
    ).any(axis=1)
    first_text = pd.Series("", index=full.index)
    for column in reversed(first_cols):
        first_text = lead_text[column].where(lead_text[column] != "", first_text)
    is_note_start = first_text.str.startswith(NOTE_MARKERS)
    note_seen = is_note_start.cummax()
    is_note = nonblank & (
        is_note_start
        | (note_seen & (count == 1))
        | ((count == 1) & first_text.str.match(_NOTE_LINE))
    )
    is_total &= nonblank & ~is_note
    is_example = nonblank & lead_text.isin(EXAMPLE_MARKERS).any(axis=1) & ~is_note & ~is_total
    sheet = mapped.name
    for mask, rule, what in (
        (is_total, "row.total_skipped", "a total (合计/小计) row"),
        (is_note, "row.note_skipped", "a notes row"),
        (is_example, "row.example_skipped", "the template's example row"),
    ):
        if mask.any():
            index = full.index[mask.to_numpy()]
            log.add_many(
                rule,
                f"Row skipped: {what}.",
                sheet=sheet,
                rows=list(index + 1),
                values=[first_text[i] for i in index],
            )
    keep = nonblank & ~is_total & ~is_note & ~is_example
    return keep.reindex(body.index, fill_value=False), int((is_total | is_note | is_example).sum())


def _lead_text(column: pd.Series) -> pd.Series:
    """Folded text of a cell (``""`` for numbers and blanks), for total / notes detection."""
    if column.dtype != object:
        return pd.Series("", index=column.index)
    folded = per_unique(
        column,
        lambda v: (
            unicodedata.normalize("NFKC", v).replace(" ", "").strip() if isinstance(v, str) else ""
        ),
        fill="",
    )
    return pd.Series(folded, index=column.index, dtype=object)


# --- column converters --------------------------------------------------------------------
Converter = Callable[
    [
        str,
        Binding,
        pd.Series,
        pd.DataFrame,
        pd.Series,
        pd.Series,
        MappedSheet,
        ProblemLog,
        ConvertContext,
    ],
    None,
]


def _log_cells(
    log: ProblemLog,
    rule: str,
    mask: pd.Series,
    binding: Binding,
    raw: pd.Series,
    rows: pd.Series,
    mapped: MappedSheet,
    bad: pd.Series,
    message: str | pd.Series,
    hint: str | pd.Series = "",
) -> None:
    if not mask.any():
        return
    where = mask[mask].index
    log.add_many(
        rule,
        message[where] if isinstance(message, pd.Series) else message,
        sheet=mapped.name,
        rows=rows[where],
        column=binding.letter,
        header=binding.raw_header,
        values=raw[where],
        hint=hint[where] if isinstance(hint, pd.Series) else hint,
    )
    if log.severity(rule) == "error":
        _reject(bad, where)


def _check_required(
    name: str,
    values: pd.Series,
    binding: Binding,
    raw: pd.Series,
    rows: pd.Series,
    mapped: MappedSheet,
    log: ProblemLog,
    bad: pd.Series,
) -> None:
    if binding.spec.is_required:
        missing = values.isna()
        _log_cells(
            log,
            "value.required",
            missing,
            binding,
            raw,
            rows,
            mapped,
            bad,
            f"{binding.spec.header} is required.",
            "Fill the cell (blank, 无, — and / count as empty).",
        )


def _check_range(
    values: pd.Series,
    binding: Binding,
    raw: pd.Series,
    rows: pd.Series,
    mapped: MappedSheet,
    log: ProblemLog,
    bad: pd.Series,
) -> None:
    spec = binding.spec
    low, high = spec.minimum, spec.maximum
    if low == 0:
        negative = values < 0
        _log_cells(
            log,
            "value.negative",
            negative,
            binding,
            raw,
            rows,
            mapped,
            bad,
            f"{spec.header} cannot be negative.",
        )
    else:
        negative = pd.Series(False, index=values.index)
    outside = pd.Series(False, index=values.index)
    if low is not None:
        outside |= (values < low) & ~negative
    if high is not None:
        outside |= values > high
    bounds = (
        f"between {_fmt(low)} and {_fmt(high)}" if high is not None else f"at least {_fmt(low)}"
    )
    unit = (
        " %"
        if spec.type == "percent"
        else (f" {spec.unit}" if spec.type in ("number", "integer") and spec.unit else "")
    )
    _log_cells(
        log,
        "value.out_of_range",
        outside,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{spec.header} must be {bounds}{unit}.",
        "A percentage column takes 35 or 35% for 35 %." if spec.type == "percent" else "",
    )


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else str(value)


def _convert_text(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values = to_code(raw) if binding.spec.type == "code" else to_text(raw)
    out[name] = values
    _check_required(name, values, binding, raw, rows, mapped, log, bad)


def _convert_number(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    spec = binding.spec
    values, unreadable = to_number(raw)
    _log_cells(
        log,
        "value.not_number",
        unreadable,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{spec.header} must be a number.",
        "Write digits only, e.g. 12345.6 (12,345.6 is fine).",
    )
    factor = _header_factor(binding, mapped, log)
    if factor is None:
        _reject(bad, values.index[values.notna()])
    elif factor != 1.0:
        values = values * factor
    if spec.type == "integer":
        fractional = values.notna() & (values % 1 != 0)
        _log_cells(
            log,
            "value.not_integer",
            fractional,
            binding,
            raw,
            rows,
            mapped,
            bad,
            f"{spec.header} must be a whole number.",
        )
    out[name] = values
    _check_required(name, values, binding, raw, rows, mapped, log, bad)
    _check_range(values, binding, raw, rows, mapped, log, bad)


def _header_factor(binding: Binding, mapped: MappedSheet, log: ProblemLog) -> float | None:
    """Factor from the header's unit to the column's unit (None when the header unit is wrong)."""
    spec = binding.spec
    if not binding.unit or not spec.unit or spec.type not in ("number", "integer"):
        return 1.0
    try:
        return conversion_factor(binding.unit, spec.unit, spec.header)
    except UnknownUnit as exc:
        rule, message, hint = (
            "unit.unknown",
            f"The unit {binding.unit!r} of {spec.header} is not known.",
            exc.hint,
        )
    except UnitMismatch:
        rule = "unit.dimension"
        message = (
            f"{spec.header} is measured in {spec.unit}; {binding.unit!r} measures something else."
        )
        hint = f"Expected a unit like {spec.unit}."
    log.add(
        rule,
        message,
        sheet=mapped.name,
        row=mapped.header_row + 1,
        column=binding.letter,
        header=binding.raw_header,
        value=binding.unit,
        hint=hint,
    )
    return None


def _convert_percent(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    spec = binding.spec
    as_fraction = bool(binding.unit) and binding.unit.strip() in ("小数", "fraction", "1")
    values, unreadable = to_percent(raw, as_fraction)
    _log_cells(
        log,
        "value.not_number",
        unreadable,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{spec.header} must be a percentage.",
        "Write 35 or 35% for 35 %.",
    )
    out[name] = values
    _check_required(name, values, binding, raw, rows, mapped, log, bad)
    _check_range(values, binding, raw, rows, mapped, log, bad)


def _convert_fraction(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values, unreadable = to_percent(raw, as_fraction=True)
    values = values / 100.0
    _log_cells(
        log,
        "value.not_number",
        unreadable,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{binding.spec.header} must be a number between 0 and 1.",
    )
    out[name] = values
    _check_required(name, values, binding, raw, rows, mapped, log, bad)
    _check_range(values, binding, raw, rows, mapped, log, bad)


def _convert_date(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values, unreadable = to_date(raw)
    _log_cells(
        log,
        "value.not_date",
        unreadable,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{binding.spec.header} must be a date.",
        "Write 2024-05-01, 2024年5月 or 2024.",
    )
    out[name] = values
    _check_required(name, values, binding, raw, rows, mapped, log, bad)


def _convert_year(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    text = raw.map(lambda v: str(v).replace("年", "") if isinstance(v, str) else v)
    values, unreadable = to_number(text)
    _log_cells(
        log,
        "value.not_number",
        unreadable,
        binding,
        raw,
        rows,
        mapped,
        bad,
        "The year must be a number such as 2025.",
    )
    out[name] = values
    _check_range(values, binding, raw, rows, mapped, log, bad)


def _convert_term(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    spec = binding.spec
    text = to_text(raw)
    result = normalise(text, spec.vocabulary)
    unknown = result.unknown & text.notna()
    if unknown.any():
        known = load_vocabulary(spec.vocabulary).canonical
        listing = (
            "Known values: " + "、".join(known[:12]) + ("..." if len(known) > 12 else "") + "."
        )
        # the vocabulary's own suggestion first; else the nearest canonical value (looser
        # match: two-character words such as 柴由 / 柴油 differ by half their letters)
        nearest = {v: _nearest(str(v), known) for v in pd.unique(text[unknown])}
        fallback = text.map(nearest)
        suggestion = result.suggestions.where(result.suggestions.notna(), fallback)
        hints = suggestion.map(lambda s: f"Did you mean {s}?" if isinstance(s, str) else listing)
        _log_cells(
            log,
            "value.unknown_term",
            unknown,
            binding,
            raw,
            rows,
            mapped,
            bad,
            f"{spec.header}: the value is not known.",
            hints,
        )
    values = result.values
    if spec.vocabulary == "yes_no":
        values = values.map({"是": True, "否": False}).astype(object)
        values = values.where(values.notna(), None)
    if spec.vocabulary == "control_technologies":
        values = values.where(values != "无", None)
    out[name] = values
    required = values.isna() & ~unknown
    if spec.is_required:
        _log_cells(
            log,
            "value.required",
            required,
            binding,
            raw,
            rows,
            mapped,
            bad,
            f"{spec.header} is required.",
            "Fill the cell (blank, 无, — and / count as empty).",
        )


def _convert_choice(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    spec = binding.spec
    values = to_text(raw)
    allowed = set(spec.choices)
    wrong = values.notna() & ~values.isin(allowed)
    hints = values[wrong].map(lambda v: _did_you_mean(str(v), spec.choices))
    _log_cells(
        log,
        "value.not_allowed",
        wrong,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{spec.header} must be one of {'/'.join(spec.choices)}.",
        hints.reindex(values.index, fill_value=""),
    )
    out[name] = values.where(~wrong, None)
    _check_required(name, values, binding, raw, rows, mapped, log, bad)


def _nearest(value: str, options: tuple[str, ...] | list[str]) -> str | None:
    """The option most like ``value`` (ties go to the one sharing the longer beginning)."""
    best: tuple[float, str] | None = None
    for option in options:
        ratio = difflib.SequenceMatcher(None, value, option).ratio()
        prefix = next(
            (i for i, (a, b) in enumerate(zip(value, option, strict=False)) if a != b),
            min(len(value), len(option)),
        )
        score = ratio + 0.1 * prefix
        if ratio >= 0.45 and (best is None or score > best[0]):
            best = (score, option)
    return best[1] if best else None


def _did_you_mean(value: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.3)
    return f"Did you mean {close[0]}?" if close else "Choose one of " + "/".join(options) + "."


def _numeric_cells(raw: pd.Series) -> pd.Series:
    return pd.Series(
        [isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw.to_numpy()],
        index=raw.index,
    )


def _convert_credit(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values = to_code(raw)
    numeric = _numeric_cells(raw) & values.notna()
    lost = numeric & (values.str.len() >= 16)
    _log_cells(
        log,
        "code.as_number",
        lost,
        binding,
        raw,
        rows,
        mapped,
        bad,
        "The credit code was stored as a number and lost its last digits.",
        "Format the column as text (文本) and type the 18 characters again.",
    )
    fmt_bad, sum_bad = credit_code_problems(values.where(~lost, None))
    _log_cells(
        log,
        "code.credit_format",
        fmt_bad,
        binding,
        raw,
        rows,
        mapped,
        bad,
        "A unified social credit code has 18 characters: digits and capitals except I, O, S, V, Z.",
        values.map(
            lambda v: (
                f"It has {len(v)} characters."
                if isinstance(v, str) and len(v) != 18
                else "Check for the letters I, O, S, V, Z (write 1, 0, 5, U, 2?)."
            )
        ),
    )
    _log_cells(
        log,
        "code.credit_checksum",
        sum_bad,
        binding,
        raw,
        rows,
        mapped,
        bad,
        "The credit code's check character (the 18th) does not match: a character is mistyped.",
        "Copy the code from the business licence (营业执照).",
    )
    out[name] = values
    _check_required(name, values, binding, raw, rows, mapped, log, bad)


def _convert_region(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values = to_code(raw)
    by_name = {n: c for c, n in context.regions.items()}
    values = values.map(lambda v: by_name.get(v, v) if isinstance(v, str) else v).astype(object)
    unknown = values.notna() & ~values.isin(list(context.regions))
    options = [f"{c} {n}" for c, n in context.regions.items()]
    hints = values[unknown].map(lambda v: _region_hint(str(v), context.regions, options))
    _log_cells(
        log,
        "code.region_unknown",
        unknown,
        binding,
        raw,
        rows,
        mapped,
        bad,
        "The region code is not six digits of a region in the region table.",
        hints.reindex(values.index, fill_value=""),
    )
    out[name] = values.where(~unknown, None)
    _check_required(name, values, binding, raw, rows, mapped, log, bad)


def _region_hint(value: str, regions: dict[str, str], options: list[str]) -> str:
    close = difflib.get_close_matches(value, list(regions), n=1, cutoff=0.6) or [
        c for c, n in regions.items() if value and value in n
    ]
    if close:
        return f"Did you mean {close[0]} ({regions[close[0]]})?"
    return "Known regions: " + ", ".join(options[:10]) + "."


def _convert_industry(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values = to_code(raw)
    numeric = _numeric_cells(raw) & values.notna() & (values.str.len() == 3)
    _log_cells(
        log,
        "code.leading_zero_lost",
        numeric,
        binding,
        raw,
        rows,
        mapped,
        bad,
        "The industry code was stored as a number; its leading zero was restored.",
        "Format the column as text so that codes keep their zeros.",
    )
    values = values.where(~numeric, "0" + values.astype(str))
    valid = industry_code_valid(values)
    _log_cells(
        log,
        "code.industry_format",
        ~valid,
        binding,
        raw,
        rows,
        mapped,
        bad,
        "Not a GB/T 4754-2017 industry code (an optional section letter, then 2-4 digits).",
        "For example 4411 (火力发电) or D4411; see GB/T 4754-2017.",
    )
    out[name] = values
    _check_required(name, values, binding, raw, rows, mapped, log, bad)


def _convert_coordinate(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values, unreadable = parse_coordinate(raw)
    _log_cells(
        log,
        "coord.format",
        unreadable,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{binding.spec.header} must be decimal degrees or degrees/minutes/seconds.",
        "Write 122.2636 or 122°15′49″.",
    )
    out[name] = values


def _convert_quantity(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    _convert_number(name, binding, raw, out, bad, rows, mapped, log, context)
    values = out[name]
    if binding.unit:
        units = pd.Series(binding.unit, index=raw.index, dtype=object)
        unit_letter, unit_raw = binding.letter, units
    elif binding.unit_column is not None:
        unit_raw = mapped.raw.grid.loc[raw.index, binding.unit_column]
        units = to_text(unit_raw)
        unit_letter = _letter(binding.unit_column)
    else:
        units = pd.Series(None, index=raw.index, dtype=object)
        unit_letter, unit_raw = binding.letter, units
    unit_binding = Binding(binding.spec, binding.index, binding.raw_header, binding.unit)
    if binding.unit_column is not None:
        unit_binding = Binding(binding.spec, binding.unit_column, "计量单位", None)
    missing = values.notna() & units.isna()
    _log_cells(
        log,
        "unit.missing",
        missing,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{binding.spec.header} has no unit.",
        f"Write the unit in the header ({binding.spec.header}（{binding.spec.example_unit or '吨'}）) or in a 计量单位 column.",
    )
    normalised = pd.Series(None, index=raw.index, dtype=object)
    filled = units.notna() & values.notna()
    fuel = out["fuel"] if "fuel" in out.columns and name == "fuel_use" else None
    pairs = pd.DataFrame(
        {"unit": units[filled], "fuel": fuel[filled] if fuel is not None else None}
    )
    for (unit, fuel_name), group in pairs.groupby(["unit", "fuel"], dropna=False, sort=False):
        problem = _unit_problem(
            str(unit), binding.spec, None if pd.isna(fuel_name) else str(fuel_name)
        )
        if problem is None:
            normalised[group.index] = normalise_unit_text(str(unit))
            continue
        rule, message, hint = problem
        mask = pd.Series(False, index=raw.index)
        mask[group.index] = True
        _log_cells(log, rule, mask, unit_binding, unit_raw, rows, mapped, bad, message, hint)
    del unit_letter
    out[f"{name}_unit"] = normalised


def _letter(index: int) -> str:
    from inventory.ingest.problems import column_letter

    return column_letter(index)


_DIMENSION_REFERENCE = {
    "mass": "kg",
    "volume": "m3",
    "energy": "kJ",
    "count": None,
    "area": "m**2",
    "length": "m",
}


def _fuel_dimensions() -> dict[str, tuple[str, ...]]:
    if not hasattr(_fuel_dimensions, "cache"):
        rows = read_data_csv(factors_path("layouts", "fuel_dimensions.csv"))
        _fuel_dimensions.cache = {r["fuel"]: tuple(r["dimensions"].split("|")) for r in rows}  # type: ignore[attr-defined]
    return _fuel_dimensions.cache  # type: ignore[attr-defined,no-any-return]


def _unit_problem(unit: str, spec: ColumnSpec, fuel: str | None) -> tuple[str, str, str] | None:
    try:
        quantity = parse_unit(unit)
    except UnknownUnit as exc:
        return "unit.unknown", f"{unit!r} is not a unit this tool knows.", exc.hint
    allowed = _fuel_dimensions().get(fuel or "", spec.dimensions) if fuel else spec.dimensions
    if not allowed or "any" in allowed:
        return None
    for dimension in allowed:
        reference = _DIMENSION_REFERENCE.get(dimension)
        if reference is None:
            if (
                dimension == "count"
                and not quantity.dimensionless
                and all(
                    str(d) in ("[vehicle]", "[machine]", "[animal]", "[enterprise]")
                    for d in quantity.dimensionality
                )
            ):
                return None
            continue
        if quantity.dimensionality == parse_unit(reference).dimensionality:
            return None
    examples = {
        "mass": "吨 or 万吨",
        "volume": "立方米 or 万立方米",
        "energy": "万千瓦时 or 吨标准煤",
        "count": "台 or 辆",
    }
    expected = " or ".join(examples.get(d, d) for d in allowed)
    subject = f"{fuel} " if fuel else ""
    return (
        "unit.dimension",
        f"{subject}{spec.header} in {unit!r}: the unit measures the wrong thing.",
        f"Expected a unit like {expected}.",
    )


_CONVERTERS: dict[str, Any] = {
    "text": _convert_text,
    "code": _convert_text,
    "number": _convert_number,
    "integer": _convert_number,
    "quantity": _convert_quantity,
    "percent": _convert_percent,
    "fraction": _convert_fraction,
    "date": _convert_date,
    "year": _convert_year,
    "term": _convert_term,
    "choice": _convert_choice,
    "credit_code": _convert_credit,
    "region_code": _convert_region,
    "industry_code": _convert_industry,
    "lon": _convert_coordinate,
    "lat": _convert_coordinate,
    "lon_deg": _convert_number,
    "lon_min": _convert_number,
    "lon_sec": _convert_number,
    "lat_deg": _convert_number,
    "lat_min": _convert_number,
    "lat_sec": _convert_number,
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
        out.drop(
            columns=[c for c in (f"{axis}_deg", f"{axis}_min", f"{axis}_sec") if c in out.columns],
            inplace=True,
        )
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
            _reject(bad, where)
