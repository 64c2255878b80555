"""Column converters for plain values: text, numbers (with the header's unit), percentages,
fractions, dates, years, vocabulary terms and fixed choices.

Each converter has the signature ``(name, binding, raw, out, bad, rows, mapped, log, context)``:
it writes the typed column ``out[name]``, logs every bad cell and marks its row in ``bad``.
"""

from __future__ import annotations

import difflib

import pandas as pd

from inventory.errors import UnitMismatch, UnknownUnit
from inventory.ingest.cellchecks import check_range, check_required, log_cells, reject_rows
from inventory.ingest.coerce import to_code, to_date, to_number, to_percent, to_text
from inventory.ingest.headers import Binding, MappedSheet
from inventory.ingest.problems import ProblemLog
from inventory.units import conversion_factor
from inventory.vocabulary import load_vocabulary, normalise

__all__ = [
    "convert_choice",
    "convert_date",
    "convert_fraction",
    "convert_number",
    "convert_percent",
    "convert_term",
    "convert_text",
    "convert_year",
    "header_factor",
]


def convert_text(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values = to_code(raw) if binding.spec.type == "code" else to_text(raw)
    out[name] = values
    check_required(name, values, binding, raw, rows, mapped, log, bad)


def convert_number(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    spec = binding.spec
    values, unreadable = to_number(raw)
    log_cells(
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
    factor = header_factor(binding, mapped, log)
    if factor is None:
        reject_rows(bad, values.index[values.notna()])
    elif factor != 1.0:
        values = values * factor
    if spec.type == "integer":
        fractional = values.notna() & (values % 1 != 0)
        log_cells(
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
    check_required(name, values, binding, raw, rows, mapped, log, bad)
    check_range(values, binding, raw, rows, mapped, log, bad)


def header_factor(binding: Binding, mapped: MappedSheet, log: ProblemLog) -> float | None:
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


def convert_percent(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    spec = binding.spec
    as_fraction = bool(binding.unit) and binding.unit.strip() in ("小数", "fraction", "1")
    values, unreadable = to_percent(raw, as_fraction)
    log_cells(
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
    check_required(name, values, binding, raw, rows, mapped, log, bad)
    check_range(values, binding, raw, rows, mapped, log, bad)


def convert_fraction(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values, unreadable = to_percent(raw, as_fraction=True)
    values = values / 100.0
    log_cells(
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
    check_required(name, values, binding, raw, rows, mapped, log, bad)
    check_range(values, binding, raw, rows, mapped, log, bad)


def convert_date(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values, unreadable = to_date(raw)
    log_cells(
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
    check_required(name, values, binding, raw, rows, mapped, log, bad)


def convert_year(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    text = raw.map(lambda v: str(v).replace("年", "") if isinstance(v, str) else v)
    values, unreadable = to_number(text)
    log_cells(
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
    check_range(values, binding, raw, rows, mapped, log, bad)


def convert_term(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
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
        log_cells(
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
        log_cells(
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


def convert_choice(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    spec = binding.spec
    values = to_text(raw)
    allowed = set(spec.choices)
    wrong = values.notna() & ~values.isin(allowed)
    hints = values[wrong].map(lambda v: _did_you_mean(str(v), spec.choices))
    log_cells(
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
    check_required(name, values, binding, raw, rows, mapped, log, bad)


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
