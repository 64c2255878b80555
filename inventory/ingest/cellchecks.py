"""Recording bad cells: the problem-log entry for every cell of a mask, the rows it rejects, and
the checks every column shares (required, range)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from inventory.ingest.headers import Binding, MappedSheet
from inventory.ingest.problems import ProblemLog

__all__ = [
    "ConvertContext",
    "Converter",
    "check_range",
    "check_required",
    "log_cells",
    "reject_rows",
]


@dataclass
class ConvertContext:
    """What conversion needs from outside the sheet: the region table (code -> name)."""

    regions: dict[str, str]


def reject_rows(frame_bad: pd.Series, index: pd.Index) -> None:
    """Mark the rows at ``index`` as rejected."""
    frame_bad.loc[index] = True


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


def log_cells(
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
        reject_rows(bad, where)


def check_required(
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
        log_cells(
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


def check_range(
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
        log_cells(
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
    log_cells(
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
