"""Every shipped sample workbook (2024 and 2025) imports with no error-severity problem, and the
deliberately bad workbook gives exactly its documented errors (docs/sample-data.md).

Dry runs (validated inside a transaction that is rolled back) against one store; the full
import path is the demo's (tests/test_sample_demo.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.db.session import make_engine
from inventory.demo import sample_workbooks
from inventory.ingest.importer import import_workbook
from inventory.resources import package_path
from inventory.store import initialise

pytestmark = pytest.mark.slow

SAMPLE = [(year, path) for year in (2024, 2025) for path in sample_workbooks(year)]

# docs/sample-data.md, "The bad workbook": (sheet, Excel row, column letter, rule code)
BAD_ROWS = [
    ("企业基本信息", 4, "A", "code.credit_checksum"),
    ("企业基本信息", 5, "C", "code.region_unknown"),
    ("锅炉", 2, "I", "value.negative"),
    ("锅炉", 3, "J", "unit.unknown"),
    ("锅炉", 4, "R", "value.out_of_range"),
    ("锅炉", 5, "H", "value.unknown_term"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'store.db'}"
    initialise(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_both_years_ship_twelve_workbooks() -> None:
    assert [len(sample_workbooks(y)) for y in (2024, 2025)] == [12, 12]


@pytest.mark.parametrize(("year", "path"), SAMPLE, ids=[f"{y}/{p.name}" for y, p in SAMPLE])
def test_sample_workbook_has_no_error(engine, year: int, path: Path) -> None:  # type: ignore[no-untyped-def]
    result = import_workbook(engine, path, year=year, dry_run=True)
    assert result.status == "dry_run", result.errors.to_string()
    assert result.errors.empty
    assert result.rows_rejected == 0 and result.rows_taken > 0


def test_the_bad_workbook_gives_exactly_the_documented_errors(engine) -> None:  # type: ignore[no-untyped-def]
    bad = Path(package_path("sample", "bad")) / "bad-2025-150523.xlsx"
    result = import_workbook(engine, bad, dry_run=True)
    assert result.status == "rejected"
    problems = result.problems
    assert set(problems["severity"]) == {"error"}  # no warning or notice either
    found = list(problems[["sheet", "row", "column", "rule"]].itertuples(index=False, name=None))
    assert [(s, int(r), c, rule) for s, r, c, rule in found] == BAD_ROWS
