"""Turn raw cells into typed columns, a whole column at a time.

Consultants write numbers as text (``"12,345.6"``, full-width ``１２３``, trailing spaces), dates
as Excel dates, text or bare years, and use ``无``, ``—``, ``-``, ``/`` for "nothing". Each
function takes a column of raw values (object dtype) and returns the typed values plus a mask of
the cells that were filled but could not be read; the caller turns that mask into problem rows.
Work on strings is done once per distinct value where that is cheaper.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd

__all__ = [
    "MISSING_TOKENS",
    "blank_mask",
    "code_text",
    "only_numbers",
    "per_unique",
    "to_code",
    "to_date",
    "to_number",
    "to_percent",
    "to_text",
]

MISSING_TOKENS = frozenset(
    {"", "无", "—", "——", "-", "--", "/", "／", "－", "―", "─", "空", "暂无", "n/a", "N/A", "NA"}
)
"""Cell texts that mean "nothing here" (after trimming and NFKC folding)."""

_LONGEST_TOKEN = 4
_THOUSANDS = re.compile(r"(?<=\d)[,，'](?=\d{3}(?:\D|$))")
_SPACES = re.compile(r"\s+")


def _fold(value: object) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def per_unique(raw: pd.Series, func: Callable[[Any], Any], fill: Any = None) -> np.ndarray:
    """Apply ``func`` once per distinct non-null value of ``raw`` and spread the results back.

    Survey columns repeat few values (fuels, units, types), so this does the Python work once
    per value, not once per row; ``fill`` is the result for null cells.
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[: len(uniques)] = [func(u) for u in uniques]
    results[-1] = fill
    picked: np.ndarray = results[codes]  # code -1 (null) picks the last slot
    return picked


def _is_blank_value(value: object) -> bool:
    if not isinstance(value, str):
        return isinstance(value, float) and value != value  # NaN
    if len(value) > 8:
        return False
    folded = _fold(value)
    return folded in MISSING_TOKENS or folded.lower() in ("nan", "none", "null")


def blank_mask(raw: pd.Series) -> pd.Series:
    """True where a cell is empty or holds one of :data:`MISSING_TOKENS`."""
    if raw.dtype != object or not len(raw):
        return pd.Series(raw.isna().to_numpy(), index=raw.index)
    flags = per_unique(raw, _is_blank_value, fill=True)
    return pd.Series(flags.astype(bool), index=raw.index)


def _show(value: object) -> str | None:
    if type(value) is str and len(value) > 8 and value.isascii():
        # the common case (codes, names in ASCII): never a missing token, NFKC leaves it as is
        return value.strip() or None
    if _is_blank_value(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return unicodedata.normalize("NFKC", str(value)).strip() or None


def to_text(raw: pd.Series) -> pd.Series:
    """Trimmed, NFKC-folded text (None where blank); numbers written without ``.0``."""
    return pd.Series(per_unique(raw, _show), index=raw.index, dtype=object)


def code_text(value: object) -> str | None:
    """One cell as identifier text: trimmed, NFKC-folded, spaceless, upper-case (None if blank)."""
    text = _show(value)
    return None if text is None else _SPACES.sub("", text).upper()


def to_code(raw: pd.Series) -> pd.Series:
    """Identifier text: like :func:`to_text` but spaceless and upper-case (codes keep zeros)."""
    return pd.Series(per_unique(raw, code_text), index=raw.index, dtype=object)


_NUMBER_KINDS = frozenset({"floating", "integer", "mixed-integer-float", "empty"})


def only_numbers(raw: pd.Series) -> bool:
    """Whether every non-null cell is an int or float (no text, no boolean, no date): one C
    scan (``infer_dtype``) instead of a factorisation and a Python call per distinct value.
    ``mixed-integer`` is left out on purpose: ints mixed with booleans infer as that."""
    if raw.dtype != object:
        return pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(
            raw.dtype
        )
    return pd.api.types.infer_dtype(raw, skipna=True) in _NUMBER_KINDS


def to_number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(float values, bad mask). Text numbers, separators and full-width digits are read.

    Blank and missing tokens give NaN and are not bad. A trailing ``%`` is not accepted here
    (see :func:`to_percent`).
    """
    values = pd.to_numeric(raw, errors="coerce")
    if values.dtype == object:  # pragma: no cover - pandas returns float for coerce
        values = values.astype(float)
    values = values.astype(float)
    unread = values.isna() & raw.notna()
    bad = pd.Series(False, index=raw.index)
    if unread.any():
        blank = blank_mask(raw[unread])
        todo = raw[unread][~blank]
        if len(todo):
            uniques = pd.unique(todo)
            parsed = {u: _parse_number_text(u) for u in uniques}
            numbers = todo.map(parsed).astype(float)
            values[todo.index] = numbers
            bad[todo.index] = numbers.isna()
    # booleans are not numbers (calamine gives True/False for boolean cells)
    is_bool = (
        per_unique(raw, lambda v: isinstance(v, bool), fill=False).astype(bool)
        if raw.dtype == object and not only_numbers(raw)
        else np.zeros(len(raw), dtype=bool)
    )
    if is_bool.any():
        values[is_bool] = np.nan
        bad[is_bool] = True
    return values, bad


def _parse_number_text(value: object) -> float:
    text = _fold(value)
    text = _THOUSANDS.sub("", text)
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _percent_sign(value: object) -> str:
    if isinstance(value, str):
        folded = _fold(value)
        if folded.endswith(("%", "‰")):
            return folded[-1]
    return ""


def to_percent(raw: pd.Series, as_fraction: bool) -> tuple[pd.Series, pd.Series]:
    """(values in percent, bad mask). ``35%`` is 35 %; a bare number is percent unless the
    column says fraction (``as_fraction``: 0.35 is then 35 %)."""
    if only_numbers(raw):  # no text, so no % or ‰ sign to look for
        sign = pd.Series("", index=raw.index, dtype=object)
    else:
        sign = pd.Series(per_unique(raw, _percent_sign, fill=""), index=raw.index)
    has_sign = sign != ""
    stripped = raw
    if has_sign.any():
        stripped = raw.copy()
        stripped[has_sign] = raw[has_sign].map(lambda v: _fold(v).rstrip("%‰"))
    values, bad = to_number(stripped)
    if as_fraction:
        values = values.where(has_sign, values * 100.0)
    values = values.where(sign != "‰", values / 10.0)
    return values, bad


_DATE_TEXT = re.compile(
    r"^(?P<y>(?:19|20)\d{2})(?:[-/.年](?P<m>\d{1,2})(?:[-/.月](?P<d>\d{1,2})日?)?月?)?年?$"
)
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def to_date(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates as ``datetime.date`` objects or None, bad mask).

    Excel dates, text ``2019-05-01`` / ``2019/5/1`` / ``2019.5`` / ``2019年5月1日`` /
    ``2019年5月``, a bare year (2019 -> 2019-01-01) and Excel serial numbers are read; a month
    without a day is the 1st.
    """
    blank = blank_mask(raw)
    out = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    bad = pd.Series(False, index=raw.index)
    todo = raw[~blank]
    if not len(todo):
        return out, bad
    uniques = pd.unique(todo)
    parsed = {u: _parse_date(u) for u in uniques}
    dates = todo.map(parsed)
    out[todo.index] = dates
    bad[todo.index] = dates.isna()
    return out, bad


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return cast(dt.date, value.date())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 1900 <= number <= 2100:
            return dt.date(int(number), 1, 1)
        if 20000 <= number <= 80000:
            return cast(dt.date, (_EXCEL_EPOCH + pd.Timedelta(days=int(number))).date())
        return None
    text = _fold(value)
    match = _DATE_TEXT.match(text)
    if not match:
        try:
            stamp = pd.Timestamp(text)
        except (ValueError, TypeError):
            return None
        return None if pd.isna(stamp) else cast(dt.date, stamp.date())
    try:
        return dt.date(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1))
    except ValueError:
        return None
