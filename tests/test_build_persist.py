"""The bulk write of a run: every column dtype the build produces arrives as the value it holds,
missing values as NULL, across chunk boundaries, on both back ends."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from test_build_fixtures import open_store, seed_small_city

import inventory.build.persist as persist
from inventory.db.driver_values import python_values
from inventory.db.models import QAFinding
from inventory.results.frame import RESULT_COLUMNS


def _run_values() -> dict[str, object]:
    return {
        "year": 2024,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "package_version": "test",
        "factor_set_version": "test",
        "fingerprint": "0" * 64,
        "status": "complete",
    }


def test_findings_of_every_dtype_round_trip(db_url: str, monkeypatch) -> None:
    engine = open_store(db_url)
    ids = seed_small_city(engine)
    p1, p2 = ids.sources["P1"], ids.sources["P2"]
    monkeypatch.setattr(persist, "CHUNK_ROWS", 2)  # 5 rows: chunks of 2, 2 and 1
    findings = pd.DataFrame(
        {
            "code": pd.Categorical(["no_factor", "no_factor", "pm25_gt_pm10", "x", "y"]),
            "severity": pd.array(["warning", "warning", "error", "warning", "error"], "string"),
            "source_id": pd.array([p1, None, p2, p1, None], dtype="Int64"),
            "pollutant": pd.Categorical(["SO2", None, "PM2.5", None, "NOx"]),
            "subject": np.array(["P1", None, "P2", np.nan, "county"], dtype=object),
            "value": [3.0, np.nan, 0.25, np.nan, -1.5],
            "message": ["a", "b", "c", "d", "e"],
        }
    )
    results = pd.DataFrame({column: [] for column in RESULT_COLUMNS})
    run_id = persist.store_run(engine, _run_values(), results, findings)
    columns = [QAFinding.code, QAFinding.severity, QAFinding.source_id, QAFinding.pollutant]
    columns += [QAFinding.subject, QAFinding.value, QAFinding.message]
    with engine.connect() as connection:
        rows = connection.execute(
            select(*columns).where(QAFinding.run_id == run_id).order_by(QAFinding.id)
        ).all()
    assert [tuple(row) for row in rows] == [
        ("no_factor", "warning", p1, "SO2", "P1", 3.0, "a"),
        ("no_factor", "warning", None, None, None, None, "b"),
        ("pm25_gt_pm10", "error", p2, "PM2.5", "P2", 0.25, "c"),
        ("x", "warning", p1, None, None, None, "d"),
        ("y", "error", None, "NOx", "county", -1.5, "e"),
    ]
    engine.dispose()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (pd.Series([1.5, np.nan, 2.0]), [1.5, None, 2.0]),
        (pd.Series([4, 5], dtype="int64"), [4, 5]),
        (pd.Series([True, False]), [True, False]),
        (pd.Series(pd.array([7, None], dtype="Int64")), [7, None]),
        (pd.Series(pd.Categorical(["t", None, "t"])), ["t", None, "t"]),
        (pd.Series(["a", None, np.nan], dtype=object), ["a", None, None]),
    ],
)
def test_python_values(values: pd.Series, expected: list[object]) -> None:
    out = python_values(values)
    assert out == expected
    assert [type(v) for v in out] == [type(v) for v in expected]  # plain Python, no numpy
