"""Factor sets in the store: loaded once per version, local sets above shipped ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from inventory.cli import main
from inventory.db.reference import FactorSet
from inventory.db.session import make_engine, session_scope
from inventory.errors import FactorDataError
from inventory.factors import (
    FACTOR_COLUMNS,
    active_efficiencies,
    active_factors,
    add_local_factor_set,
    list_factor_sets,
)
from inventory.store import initialise

LOCAL = """factor_key,class_code,pollutant,fuel,value,unit,basis,source_document,table_or_page,confidence
local:power:coal:nox,010101,NOx,燃煤,5.5,g/kg,uncontrolled,Plant X CEMS 2024 report,annual summary p.3,high
"""


def _write(tmp_path: Path, text: str, name: str = "local.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_init_twice_loads_one_set(db_url: str) -> None:
    assert initialise(db_url).factor_sets == 1
    assert initialise(db_url).factor_sets == 0
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(FactorSet)) == 1
        factors = active_factors(session)
    engine.dispose()
    assert list(factors.columns) == list(FACTOR_COLUMNS)
    assert factors["factor_id"].is_unique
    assert (factors["priority"] == 0).all()


def test_local_set_ranks_above_shipped_and_loads_once(sqlite_store: str, tmp_path: Path) -> None:
    path = _write(tmp_path, LOCAL)
    engine = make_engine(sqlite_store)
    with session_scope(engine) as session:
        first, added = add_local_factor_set(session, path, "plant-x")
        assert added and first.priority == 100
        _again, added_again = add_local_factor_set(session, path, "plant-x")
        assert not added_again
    with session_scope(engine) as session:
        factors = active_factors(session)
        sets = list_factor_sets(session)
    engine.dispose()
    local = factors[factors["factor_key"] == "local:power:coal:nox"]
    assert local["priority"].tolist() == [100]
    assert local["value"].tolist() == [5.5]
    assert local["source"].tolist() == ["Plant X CEMS 2024 report, annual summary p.3"]
    shipped = factors[(factors["class_code"] == "010101") & (factors["pollutant"] == "NOx")]
    assert (shipped["priority"] <= local["priority"].iloc[0]).all()
    assert sorted(sets["name"]) == ["plant-x", "shipped"]


def test_changed_local_file_is_a_new_version_of_the_set(sqlite_store: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_store)
    with session_scope(engine) as session:
        add_local_factor_set(session, _write(tmp_path, LOCAL), "plant-x")
        add_local_factor_set(session, _write(tmp_path, LOCAL.replace("5.5", "6.0")), "plant-x")
    with session_scope(engine) as session:
        factors = active_factors(session)
        sets = list_factor_sets(session)
    engine.dispose()
    assert factors.loc[factors["factor_key"] == "local:power:coal:nox", "value"].tolist() == [6.0]
    assert sets.loc[sets["name"] == "plant-x", "active"].tolist() == [True, False]


def test_a_local_efficiency_overrides_the_shipped_one(sqlite_store: str, tmp_path: Path) -> None:
    text = (
        "efficiency_key,technology,pollutant,efficiency_pct,kind,source_document\n"
        "plant:scr,SCR,NOx,80,removal,Plant X acceptance test 2023\n"
    )
    engine = make_engine(sqlite_store)
    with session_scope(engine) as session:
        add_local_factor_set(session, _write(tmp_path, text), "plant-x-scr")
        efficiencies = active_efficiencies(session).set_index(["technology", "pollutant"])
    engine.dispose()
    assert efficiencies.loc[("SCR", "NOx"), "efficiency"] == pytest.approx(0.80)
    assert efficiencies.loc[("低氮燃烧+SCR", "NOx"), "efficiency"] == pytest.approx(0.64)


def test_a_bad_local_file_is_rejected_and_nothing_is_loaded(
    sqlite_store: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, LOCAL.replace("g/kg", "no_such_unit"))
    engine = make_engine(sqlite_store)
    with pytest.raises(FactorDataError), session_scope(engine) as session:
        add_local_factor_set(session, path, "bad")
    with session_scope(engine) as session:
        assert "bad" not in set(list_factor_sets(session)["name"])
    engine.dispose()


def test_cli_list_check_add_show(sqlite_store: str, tmp_path: Path) -> None:
    runner = CliRunner()
    path = _write(tmp_path, LOCAL)
    result = runner.invoke(main, ["factors", "check"])
    assert result.exit_code == 0, result.output
    assert "pass every check" in result.output
    bad = _write(tmp_path, LOCAL.replace("5.5", "-5.5"), "bad.csv")
    result = runner.invoke(main, ["factors", "check", str(bad)])
    assert result.exit_code == 1
    result = runner.invoke(
        main, ["--db", sqlite_store, "factors", "add", str(path), "--name", "plant-x"]
    )
    assert result.exit_code == 0, result.output
    assert "priority 100" in result.output
    result = runner.invoke(main, ["--db", sqlite_store, "factors", "list", "--format", "csv"])
    assert "plant-x" in result.output and "shipped" in result.output
    result = runner.invoke(
        main, ["--db", sqlite_store, "factors", "show", "plant-x", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "Plant X CEMS 2024 report" in result.output
