"""Fill every table of the store with awkward but valid rows (a helper of the reliability tests).

Rows are made from the live models' metadata, so a table or column added later is covered too:
hostile strings (tests/data/naughty_strings.json) in every text column, floats at the edges of
the 64-bit range, NULLs, dates, aware datetimes with microseconds, booleans, and foreign keys
pointing at rows made before them (parents first, self-references included).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, UniqueConstraint, insert
from sqlalchemy import types as sqltypes

from inventory.db.models import Base

__all__ = ["EDGE_FLOATS", "fill_every_table", "naughty_strings"]

DATA = Path(__file__).parent / "data"

# SQLite stores -0.0 as 0 and NaN as NULL, so the lossless round trip uses neither.
EDGE_FLOATS = [
    0.1,
    0.1 + 0.2,
    1 / 3,
    5e-324,
    1.7976931348623157e308,
    -1e-300,
    float("inf"),
    float("-inf"),
    123456789.123456789,
    0.0,
    -2.5,
    2.0**53 + 1,
]
EDGE_INTS = [0, 1, -1, 2147483647, -2147483648, 42]
EDGE_DATES = [date(1900, 2, 28), date(2000, 2, 29), date(2024, 12, 31), date(2099, 1, 1)]
BASE_TIME = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


def naughty_strings() -> list[str]:
    """The hostile strings kept under tests/data/."""
    return list(json.loads((DATA / "naughty_strings.json").read_text(encoding="utf-8"))["strings"])


def _unique_columns(table: Table) -> set[str]:
    names = {c.name for c in table.columns if c.unique}
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            names |= {c.name for c in constraint.columns}
    return names


def _text(column: Any, k: int, strings: list[str], unique: bool) -> str:
    length = getattr(column.type, "length", None)
    value = strings[(k * 7 + len(column.name)) % len(strings)]
    if unique:
        value = f"{k}|{value}"
    return value[:length] if length else value


def _value(column: Any, k: int, strings: list[str], unique: bool) -> Any:
    if column.nullable and k % 4 == 3:
        return None
    kind = column.type
    if isinstance(kind, sqltypes.Boolean):
        return k % 2 == 0
    if isinstance(kind, sqltypes.Integer):
        return k if unique else EDGE_INTS[k % len(EDGE_INTS)]
    if isinstance(kind, sqltypes.Float):
        return EDGE_FLOATS[k % len(EDGE_FLOATS)]
    if isinstance(kind, sqltypes.DateTime):
        return BASE_TIME + timedelta(days=k, microseconds=k)
    if isinstance(kind, sqltypes.Date):
        return EDGE_DATES[k % len(EDGE_DATES)]
    return _text(column, k, strings, unique)


def fill_every_table(engine: Engine, rows_per_table: int = 12) -> dict[str, int]:
    """Insert ``rows_per_table`` rows into every table of the models; returns rows per table.

    The schema must exist and the tables be empty (reference data not loaded).
    """
    strings = naughty_strings()
    keys: dict[str, list[Any]] = {}
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            unique = _unique_columns(table)
            pk = next(iter(table.primary_key.columns))
            rows: list[dict[str, Any]] = []
            for k in range(1, rows_per_table + 1):
                row: dict[str, Any] = {}
                for column in table.columns:
                    fks = list(column.foreign_keys)
                    if column is pk and isinstance(column.type, sqltypes.Integer):
                        row[column.name] = k
                    elif column is pk:
                        length = getattr(column.type, "length", None) or 6
                        row[column.name] = f"{k:0{length}d}"
                    elif fks:
                        parent = fks[0].column.table.name
                        choices = (
                            [r[pk.name] for r in rows] if parent == table.name else keys[parent]
                        )
                        if not choices or (column.nullable and k % 3 == 0):
                            row[column.name] = None
                        else:
                            row[column.name] = choices[(k * 5) % len(choices)]
                    else:
                        row[column.name] = _value(column, k, strings, column.name in unique)
                rows.append(row)
            connection.execute(insert(table), rows)
            keys[table.name] = [r[pk.name] for r in rows]
            counts[table.name] = len(rows)
    return counts
