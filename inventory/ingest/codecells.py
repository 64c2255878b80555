"""Column converters for codes and places: unified social credit codes (GB 32100-2015), region
codes, GB/T 4754 industry codes and coordinates (decimal or degrees/minutes/seconds text)."""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from inventory.ingest.cellchecks import check_required, log_cells
from inventory.ingest.codes import credit_code_problems, industry_code_valid, parse_coordinate
from inventory.ingest.coerce import code_text, per_unique, to_code

__all__ = ["convert_coordinate", "convert_credit", "convert_industry", "convert_region"]


def _numeric_cells(raw: pd.Series) -> pd.Series:
    flags = per_unique(raw, lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    # a blank cell reads False (callers also require a value)
    return pd.Series(flags.astype(bool), index=raw.index)


def _hints(values: pd.Series, bad: pd.Series) -> pd.Series:
    """The credit-code hint of each badly formed code (once per distinct code), "" elsewhere."""
    hints = pd.Series("", index=values.index, dtype=object)
    if bad.any():
        wrong = values[bad.to_numpy()]
        hints[bad.to_numpy()] = per_unique(wrong, _credit_hint, fill=_credit_hint(None))
    return hints


def _credit_hint(value: object) -> str:
    if isinstance(value, str) and len(value) != 18:
        return f"It has {len(value)} characters."
    return "Check for the letters I, O, S, V, Z (write 1, 0, 5, U, 2?)."


def convert_credit(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    # one factorisation of the column: the code text, "stored as a number" and the GB 32100
    # checks are each worked out once per distinct cell (code -1, a blank cell, is the last slot)
    positions, uniques = pd.factorize(raw, use_na_sentinel=True)
    texts = np.empty(len(uniques) + 1, dtype=object)
    texts[:-1] = [code_text(u) for u in uniques]
    texts[-1] = None
    lost_unique = np.zeros(len(uniques) + 1, dtype=bool)
    lost_unique[:-1] = [
        isinstance(u, (int, float)) and not isinstance(u, bool) and t is not None and len(t) >= 16
        for u, t in zip(uniques, texts[:-1], strict=True)
    ]
    values = pd.Series(texts[positions], index=raw.index, dtype=object)
    lost = pd.Series(lost_unique[positions], index=raw.index)
    log_cells(
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
    checked = texts.copy()
    checked[lost_unique] = None  # a code that lost digits is reported as that, not as malformed
    fmt_unique, sum_unique = credit_code_problems(pd.Series(checked, dtype=object))
    fmt_bad = pd.Series(fmt_unique.to_numpy()[positions], index=raw.index)
    sum_bad = pd.Series(sum_unique.to_numpy()[positions], index=raw.index)
    log_cells(
        log,
        "code.credit_format",
        fmt_bad,
        binding,
        raw,
        rows,
        mapped,
        bad,
        "A unified social credit code has 18 characters: digits and capitals except I, O, S, V, Z.",
        _hints(values, fmt_bad),
    )
    log_cells(
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
    check_required(name, values, binding, raw, rows, mapped, log, bad)


def convert_region(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values = to_code(raw)
    by_name = {n: c for c, n in context.regions.items()}
    values = pd.Series(
        per_unique(values, lambda v: by_name.get(v, v) if isinstance(v, str) else v),
        index=values.index,
        dtype=object,
    )
    unknown = values.notna() & ~values.isin(list(context.regions))
    options = [f"{c} {n}" for c, n in context.regions.items()]
    hints = pd.Series(
        per_unique(values[unknown], lambda v: _region_hint(str(v), context.regions, options)),
        index=values[unknown].index,
        dtype=object,
    )
    log_cells(
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
    check_required(name, values, binding, raw, rows, mapped, log, bad)


def _region_hint(value: str, regions: dict[str, str], options: list[str]) -> str:
    close = difflib.get_close_matches(value, list(regions), n=1, cutoff=0.6) or [
        c for c, n in regions.items() if value and value in n
    ]
    if close:
        return f"Did you mean {close[0]} ({regions[close[0]]})?"
    return "Known regions: " + ", ".join(options[:10]) + "."


def convert_industry(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values = to_code(raw)
    numeric = _numeric_cells(raw) & values.notna() & (values.str.len() == 3)
    log_cells(
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
    log_cells(
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
    check_required(name, values, binding, raw, rows, mapped, log, bad)


def convert_coordinate(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    values, unreadable = parse_coordinate(raw)
    log_cells(
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
