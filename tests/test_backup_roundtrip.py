"""dump / restore: SQLite -> PostgreSQL -> SQLite loses nothing, and bad dumps or targets are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from reliability_fill import fill_every_table, naughty_strings
from sqlalchemy import MetaData, insert, inspect, select, text

from inventory.backup import dump_database, read_manifest, restore_database
from inventory.backup.codec import decoder_for, encoder_for
from inventory.cli import main
from inventory.db.migrate import current_revision, head_revision, upgrade_to_head
from inventory.db.models import Base
from inventory.db.session import make_engine
from inventory.errors import BackupError, RestoreTargetNotEmpty
from inventory.store import initialise


def _normalise(value: Any) -> Any:
    """A value in a form where equal means bit-for-bit equal (floats by hex, times in UTC)."""
    if isinstance(value, float):
        return ("float", value.hex())
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (alembic_version included), ordered by primary key."""
    engine = make_engine(url)
    metadata = MetaData()
    metadata.reflect(bind=engine)
    with engine.connect() as connection:
        rows = {
            table.name: [
                tuple(_normalise(v) for v in row)
                for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).all()
            ]
            for table in metadata.sorted_tables
        }
    engine.dispose()
    return rows


def _filled(url: str) -> dict[str, int]:
    engine = make_engine(url)
    upgrade_to_head(engine)
    counts = fill_every_table(engine)
    engine.dispose()
    return counts


def test_every_model_table_is_filled_by_the_helper(sqlite_url: str) -> None:
    counts = _filled(sqlite_url)
    assert set(counts) == set(Base.metadata.tables)
    assert all(n > 0 for n in counts.values())


def test_codec_round_trips_awkward_values() -> None:
    for category, values in {
        "text": ["", "\\", "\\N", "\\\\N", "a\r\nb", "\t=1", "😀", *naughty_strings()],
        "float": [5e-324, -0.0, float("inf"), float("-inf"), 0.1 + 0.2],
        "integer": [0, -(2**63), 2**63 - 1],
        "boolean": [True, False],
    }.items():
        encode, decode = encoder_for(category), decoder_for(category)
        for value in [None, *values]:
            back = decode(encode(value))
            assert (back.hex() if isinstance(back, float) else back) == (
                value.hex() if isinstance(value, float) else value
            ), (category, value)
    assert encoder_for("text")("") != encoder_for("text")(None)


@pytest.mark.postgres
def test_sqlite_to_postgres_to_sqlite_is_lossless(
    sqlite_url: str, postgres_url: str, tmp_path: Path
) -> None:
    counts = _filled(sqlite_url)
    original = _snapshot(sqlite_url)

    first = dump_database(sqlite_url, tmp_path / "from_sqlite")
    restore_database(postgres_url, tmp_path / "from_sqlite")
    on_postgres = _snapshot(postgres_url)

    second = dump_database(postgres_url, tmp_path / "from_postgres")
    back_url = f"sqlite:///{tmp_path / 'back.db'}"
    restore_database(back_url, tmp_path / "from_postgres")
    back = _snapshot(back_url)

    assert set(original) == set(Base.metadata.tables) | {"alembic_version"}
    for name in original:
        assert len(original[name]) == counts.get(name, 1), name
        assert on_postgres[name] == original[name], name
        assert back[name] == original[name], name
    # The same rows make the same bytes, whichever back end they were dumped from.
    assert {t.name: t.sha256 for t in first.tables} == {t.name: t.sha256 for t in second.tables}
    assert second.source_backend == "postgresql" and first.source_backend == "sqlite"


@pytest.mark.postgres
def test_postgres_sequences_continue_after_restore(
    sqlite_url: str, postgres_url: str, tmp_path: Path
) -> None:
    counts = _filled(sqlite_url)
    dump_database(sqlite_url, tmp_path / "d")
    restore_database(postgres_url, tmp_path / "d")
    engine = make_engine(postgres_url)
    table = Base.metadata.tables["import_batch"]
    row = {
        "file_name": "new.xlsx",
        "sha256": "0" * 64,
        "sheets": "s",
        "year": 2025,
        "created_at": datetime.now(UTC),
        "user": "u",
        "rows_taken": 0,
        "rows_skipped": 0,
        "rows_rejected": 0,
        "mode": "full",
        "status": "committed",
    }
    with engine.begin() as connection:
        new_id = connection.execute(insert(table).returning(table.c.id), row).scalar_one()
    engine.dispose()
    assert new_id == counts["import_batch"] + 1


def test_manifest_lists_revision_counts_types_and_checksums(
    sqlite_url: str, tmp_path: Path
) -> None:
    counts = _filled(sqlite_url)
    manifest = dump_database(sqlite_url, tmp_path / "d")
    assert manifest.schema_revision == head_revision()
    on_disk = json.loads((tmp_path / "d" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["schema_revision"] == head_revision()
    assert on_disk["package_version"]
    by_name = {t["name"]: t for t in on_disk["tables"]}
    assert by_name["alembic_version"]["rows"] == 1
    for name, n in counts.items():
        assert by_name[name]["rows"] == n
        assert len(by_name[name]["sha256"]) == 64
    categories = {c["name"]: c["category"] for c in by_name["source_version"]["columns"]}
    assert categories["valid_from"] == "date" and categories["low_nox"] == "boolean"
    assert categories["capacity_mw"] == "float" and categories["note"] == "text"
    # parents before children
    order = [t["name"] for t in on_disk["tables"]]
    assert order.index("import_batch") < order.index("activity_record")
    assert order.index("run") < order.index("emission_result")
    assert read_manifest(tmp_path / "d").total_rows == sum(counts.values()) + 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "staging folder left"


def test_restore_into_sqlite_round_trips(sqlite_url: str, tmp_path: Path) -> None:
    _filled(sqlite_url)
    dump_database(sqlite_url, tmp_path / "d")
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    report = restore_database(target, tmp_path / "d")
    assert _snapshot(target) == _snapshot(sqlite_url)
    assert report.rows == read_manifest(tmp_path / "d").total_rows


def test_restore_into_a_freshly_initialised_database(sqlite_url: str, tmp_path: Path) -> None:
    """`inventory init` then `restore`: the shipped reference rows are replaced by the dump's."""
    _filled(sqlite_url)
    dump_database(sqlite_url, tmp_path / "d")
    target = f"sqlite:///{tmp_path / 'init.db'}"
    initialise(target)
    report = restore_database(target, tmp_path / "d")
    assert report.replaced_reference_rows > 0
    assert _snapshot(target) == _snapshot(sqlite_url)


def test_restore_refuses_a_database_that_holds_data(sqlite_url: str, tmp_path: Path) -> None:
    _filled(sqlite_url)
    dump_database(sqlite_url, tmp_path / "d")
    before = _snapshot(sqlite_url)
    with pytest.raises(RestoreTargetNotEmpty) as caught:
        restore_database(sqlite_url, tmp_path / "d")
    assert "not empty" in str(caught.value) and "import_batch" in str(caught.value)
    assert "new, empty database" in caught.value.hint
    assert _snapshot(sqlite_url) == before


def test_a_changed_file_is_refused_before_the_target_is_touched(
    sqlite_url: str, tmp_path: Path
) -> None:
    _filled(sqlite_url)
    dump_database(sqlite_url, tmp_path / "d")
    victim = tmp_path / "d" / "source.csv"
    victim.write_bytes(victim.read_bytes().replace(b"\r\n", b"\n", 1))
    target = tmp_path / "never.db"
    with pytest.raises(BackupError, match=r"source\.csv \(checksum differs\)"):
        restore_database(f"sqlite:///{target}", tmp_path / "d")
    assert not target.exists()
    (tmp_path / "d" / "factor.csv").unlink()
    with pytest.raises(BackupError, match=r"factor\.csv \(missing\)"):
        restore_database(f"sqlite:///{target}", tmp_path / "d")


def test_unknown_revision_and_foreign_folders_are_refused(sqlite_url: str, tmp_path: Path) -> None:
    _filled(sqlite_url)
    dump_database(sqlite_url, tmp_path / "d")
    manifest_path = tmp_path / "d" / "manifest.json"
    raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    raw["schema_revision"] = "9999_from_the_future"
    manifest_path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(BackupError, match=r"does not\s+know"):
        restore_database(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "d")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BackupError, match=r"no manifest\.json"):
        restore_database(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "empty")
    manifest_path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BackupError, match="cannot be read"):
        restore_database(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "d")


def test_dump_never_overwrites_and_needs_an_existing_database(
    sqlite_url: str, tmp_path: Path
) -> None:
    _filled(sqlite_url)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BackupError, match="never overwrites"):
        dump_database(sqlite_url, tmp_path / "full")
    assert (tmp_path / "full" / "keep.txt").read_text(encoding="utf-8") == "mine"
    from inventory.errors import DatabaseNotInitialised

    with pytest.raises(DatabaseNotInitialised):
        dump_database(f"sqlite:///{tmp_path / 'missing.db'}", tmp_path / "d2")
    assert not (tmp_path / "missing.db").exists()


def test_failed_load_keeps_no_row(sqlite_url: str, tmp_path: Path) -> None:
    """A row the target refuses (here: a broken foreign key) rolls the whole data load back."""
    _filled(sqlite_url)
    engine = make_engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.execute(text("UPDATE activity_record SET source_id = 999999 WHERE id = 2"))
    engine.dispose()
    dump_database(sqlite_url, tmp_path / "d")
    target = f"sqlite:///{tmp_path / 't.db'}"
    with pytest.raises(BackupError, match="no row was kept"):
        restore_database(target, tmp_path / "d")
    check = make_engine(target)
    assert current_revision(check) == head_revision()
    names = [n for n in inspect(check).get_table_names() if n != "alembic_version"]
    with check.connect() as connection:
        assert all(
            connection.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() == 0 for n in names
        )
    check.dispose()
    # the schema-only database left behind counts as empty: a good dump restores into it
    _fix(sqlite_url)
    dump_database(sqlite_url, tmp_path / "d2")
    restore_database(target, tmp_path / "d2")


def _fix(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE activity_record SET source_id = 1 WHERE id = 2"))
    engine.dispose()


def test_cli_dump_and_restore(sqlite_url: str, tmp_path: Path) -> None:
    _filled(sqlite_url)
    runner = CliRunner()
    out = runner.invoke(main, ["--db", sqlite_url, "dump", str(tmp_path / "b")])
    assert out.exit_code == 0, out.output
    assert "tables" in out.output and "rows" in out.output
    target = f"sqlite:///{tmp_path / 'r.db'}"
    out = runner.invoke(main, ["restore", "--db", target, str(tmp_path / "b")])
    assert out.exit_code == 0, out.output
    assert _snapshot(target) == _snapshot(sqlite_url)
    out = runner.invoke(main, ["restore", "--db", target, str(tmp_path / "b")])
    assert out.exit_code != 0
    assert "not empty" in out.output and "Traceback" not in out.output
