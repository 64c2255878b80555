"""Read a SQLAlchemy query into a DataFrame through the raw DBAPI cursor.

SQLAlchemy's Row objects cost more than the query itself on 10^5-10^6-row reads; the raw
cursor gives plain tuples. Only for columns the driver returns as plain Python values
(numbers, text): dates and booleans come back raw from SQLite (ISO text, 0/1).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection

__all__ = ["read_frame"]


def read_frame(connection: Connection, query: Any, columns: list[str]) -> pd.DataFrame:
    """Run ``query`` (a Core select) on ``connection``'s DBAPI cursor; one column per name."""
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    if connection.dialect.name == "sqlite":  # bind dates as SQLAlchemy stores them: ISO text
        params = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
    if compiled.positiontup is not None:  # qmark / format drivers
        bound: Any = [params[name] for name in compiled.positiontup]
    else:
        bound = params
    raw: Any = connection.connection.dbapi_connection
    cursor = raw.cursor()
    try:
        cursor.execute(str(compiled), bound)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return pd.DataFrame.from_records(rows, columns=columns)
