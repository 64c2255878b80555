"""Make the upgrade fixture of the current schema revision: ``python scripts/make_fixture_db.py``.

Writes ``tests/data/fixtures/rev-<revision>.db`` (SQLite) filled through the real import and
build (part of the synthetic 2024 sample: enterprises, boilers, VOCs, tanks, monitoring, area
and fleet sheets, loaded with --partial, then one build of 2024) and ``rev-<revision>.json`` with
every table's row count and the run's totals per pollutant (t/yr). tests/test_upgrade_fixtures.py
upgrades each fixture to head and checks that every row survived and a build gives the same
numbers. Make one when a revision is RELEASED; until then (the initial revision is regenerated
from the models) re-run this script after regenerating it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import MetaData, func, select, text

from inventory.build import build_inventory
from inventory.db.migrate import current_revision
from inventory.db.session import make_engine
from inventory.ingest.importer import import_workbook
from inventory.store import initialise

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inventory" / "sample" / "2024"
WORKBOOKS = ("point-150502.xlsx", "point-150521.xlsx", "area.xlsx", "fleet.xlsx")


def counts(url: str) -> dict[str, int]:
    """Rows in every table of the store."""
    engine = make_engine(url)
    metadata = MetaData()
    metadata.reflect(bind=engine)
    with engine.connect() as connection:
        found = {
            t.name: int(connection.scalar(select(func.count()).select_from(t)) or 0)
            for t in metadata.sorted_tables
        }
    engine.dispose()
    return found


def totals(url: str, run_id: int) -> dict[str, float]:
    """Emissions of a run by pollutant, t/yr."""
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT pollutant, sum(emissions_t) FROM emission_result WHERE run_id = :r "
                "GROUP BY pollutant ORDER BY pollutant"
            ),
            {"r": run_id},
        ).all()
    engine.dispose()
    return {str(p): float(t) for p, t in rows}


def main() -> None:
    """Write the fixture database and its JSON facts."""
    folder = ROOT / "tests" / "data" / "fixtures"
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / "making.db"
    scratch.unlink(missing_ok=True)
    url = f"sqlite:///{scratch}"
    initialise(url)
    engine = make_engine(url)
    for name in WORKBOOKS:
        result = import_workbook(engine, SAMPLE / name, partial=True)
        print(f"{name}: {result.status}, {result.rows_taken} rows taken")
    report = build_inventory(engine, 2024)
    revision = current_revision(engine)
    engine.dispose()
    raw = sqlite3.connect(scratch, isolation_level=None)  # one self-contained, compact file
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.execute("PRAGMA journal_mode=DELETE")
    raw.execute("VACUUM")
    raw.close()
    facts = {
        "revision": revision,
        "made_by": "scripts/make_fixture_db.py",
        "workbooks": list(WORKBOOKS),
        "run_id": report.run_id,
        "year": 2024,
        "row_counts": counts(url),
        "totals_t": totals(url, report.run_id),
    }
    target = folder / f"rev-{revision}.db"
    target.unlink(missing_ok=True)
    scratch.rename(target)
    for suffix in ("-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    (folder / f"rev-{revision}.json").write_text(
        json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) and its JSON")


if __name__ == "__main__":
    main()
