"""Every released schema revision has a fixture store; upgrading it to head keeps every row and
a new build gives the same numbers (tests/data/fixtures, made by scripts/make_fixture_db.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from crash_support import counts
from sqlalchemy import text

from inventory.build import build_inventory
from inventory.db.migrate import current_revision, head_revision, upgrade_to_head
from inventory.db.session import make_engine
from inventory.resources import migrations_path

FIXTURES = Path(__file__).parent / "data" / "fixtures"
FACTS = sorted(FIXTURES.glob("rev-*.json"))


def test_every_revision_has_a_fixture() -> None:
    revisions = {
        line.split("=", 1)[1].strip().strip("\"'")
        for path in (migrations_path() / "versions").glob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("revision")
    }
    fixtures = {json.loads(p.read_text(encoding="utf-8"))["revision"] for p in FACTS}
    assert revisions <= fixtures, (
        f"no fixture for {sorted(revisions - fixtures)}: run scripts/make_fixture_db.py"
    )


@pytest.mark.parametrize("facts_path", FACTS, ids=[p.stem for p in FACTS])
def test_upgrade_keeps_every_row_and_the_numbers(facts_path: Path, tmp_path: Path) -> None:
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    copy = tmp_path / "store.db"
    shutil.copy(facts_path.with_suffix(".db"), copy)
    url = f"sqlite:///{copy}"
    engine = make_engine(url)
    assert current_revision(engine) == facts["revision"]
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    after = counts(url)
    for table, n in facts["row_counts"].items():
        if table != "alembic_version":
            assert after.get(table) == n, (
                f"{table}: {n} rows before the upgrade, {after.get(table)} after"
            )
    report = build_inventory(engine, facts["year"])
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT pollutant, sum(emissions_t) FROM emission_result WHERE run_id = :r GROUP BY pollutant"
            ),
            {"r": report.run_id},
        ).all()
    engine.dispose()
    rebuilt = {str(p): float(t) for p, t in rows}
    assert set(rebuilt) == set(facts["totals_t"])
    for pollutant, total in facts["totals_t"].items():
        assert rebuilt[pollutant] == pytest.approx(total, rel=1e-9), pollutant
