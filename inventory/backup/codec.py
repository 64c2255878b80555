"""How each value of a column becomes one CSV field of a dump file, and back, losslessly.

Every column of a dump has a *category* (integer, float, decimal, boolean, date, datetime, time,
text, binary) taken from its SQL type; the category decides the text form:

- NULL is the field ``\\N`` (as in PostgreSQL's COPY); an empty string is an empty field. A text
  value that itself starts with a backslash gets one more backslash in front, so nothing a user
  typed can be mistaken for NULL.
- floats are written with ``repr`` (the shortest text that reads back to the same 64 bits);
  ``inf``, ``-inf`` and ``nan`` are spelled that way.
- dates and times are ISO 8601; datetimes are written as UTC wall time without an offset
  (an aware value is converted to UTC first), so a dump of SQLite and a dump of PostgreSQL holding
  the same rows are byte-for-byte the same file.
- booleans are ``true`` / ``false``; binary values are base64.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import types as sqltypes

__all__ = [
    "CATEGORIES",
    "NULL_TOKEN",
    "column_category",
    "decoder_for",
    "encoder_for",
    "fit_datetime",
]

NULL_TOKEN = "\\N"

CATEGORIES = (
    "integer",
    "float",
    "decimal",
    "boolean",
    "date",
    "datetime",
    "time",
    "text",
    "binary",
)


def column_category(sql_type: sqltypes.TypeEngine[Any]) -> str | None:
    """The dump category of a SQL type, or None when the dump format has no text form for it."""
    checks: list[tuple[type[Any], str]] = [
        (sqltypes.Boolean, "boolean"),
        (sqltypes.Integer, "integer"),
        (sqltypes.Float, "float"),
        (sqltypes.Numeric, "decimal"),
        (sqltypes.DateTime, "datetime"),
        (sqltypes.Date, "date"),
        (sqltypes.Time, "time"),
        (sqltypes.String, "text"),  # also Text, Unicode, Enum
        (sqltypes._Binary, "binary"),
    ]
    for kind, category in checks:
        if isinstance(sql_type, kind):
            return category
    return None


def _encode_text(value: Any) -> str:
    text = str(value)
    return "\\" + text if text.startswith("\\") else text


def _decode_text(field: str) -> str:
    return field[1:] if field.startswith("\\") else field


def _encode_datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat()


def _encode_date(value: date) -> str:
    # SQLite may hand back a datetime for a DATE column written by another tool: keep the day.
    return (value.date() if isinstance(value, datetime) else value).isoformat()


_ENCODERS: dict[str, Callable[[Any], str]] = {
    "integer": lambda v: str(int(v)),
    "float": lambda v: repr(float(v)),
    "decimal": lambda v: str(Decimal(v)),
    "boolean": lambda v: "true" if v else "false",
    "date": _encode_date,
    "datetime": _encode_datetime,
    "time": lambda v: v.isoformat(),
    "text": _encode_text,
    "binary": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
}

_BOOLEANS = {"true": True, "false": False}

_DECODERS: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "float": float,
    "decimal": Decimal,
    "boolean": lambda f: _BOOLEANS[f],
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "time": time.fromisoformat,
    "text": _decode_text,
    "binary": base64.b64decode,
}


def encoder_for(category: str) -> Callable[[Any], str]:
    """A function turning one value of the category (or None) into its CSV field."""
    encode = _ENCODERS[category]

    def encode_value(value: Any) -> str:
        return NULL_TOKEN if value is None else encode(value)

    return encode_value


def decoder_for(category: str) -> Callable[[str], Any]:
    """A function turning one CSV field back into a value of the category (or None)."""
    decode = _DECODERS[category]

    def decode_value(field: str) -> Any:
        return None if field == NULL_TOKEN else decode(field)

    return decode_value


def fit_datetime(value: datetime | None, timezone_aware: bool) -> datetime | None:
    """A dumped datetime (UTC wall time) made fit for a column with or without a time zone."""
    if value is None:
        return None
    if timezone_aware:
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value
