"""The shipped factor library: every row keyed, sourced, in range, with units that parse."""

from __future__ import annotations

import pandas as pd

from inventory.classification import known_class_codes
from inventory.factors.tables import (
    check_efficiency_table,
    check_factor_table,
    read_shipped_tables,
)
from inventory.resources import factors_path
from inventory.units import parse_unit
from inventory.vocabulary import load_vocabulary


def test_shipped_tables_pass_every_check() -> None:
    tables = read_shipped_tables()
    assert check_factor_table(tables.factors).empty
    assert check_efficiency_table(tables.efficiencies).empty


def test_keys_unique_and_values_non_negative(shipped: pd.DataFrame) -> None:
    assert shipped["factor_key"].is_unique
    assert (pd.to_numeric(shipped["value"]) >= 0).all()


def test_every_row_has_a_source_and_a_confidence(shipped: pd.DataFrame) -> None:
    assert (shipped["source_document"].str.strip() != "").all()
    assert (shipped["confidence"].str.strip() != "").all()


def test_every_class_code_exists(shipped: pd.DataFrame) -> None:
    assert set(shipped["class_code"]) <= known_class_codes()
    gaps = pd.read_csv(factors_path("gaps.csv"), comment="#", dtype=str)
    assert set(gaps["class_code"]) <= known_class_codes()


def test_every_unit_parses(shipped: pd.DataFrame) -> None:
    for unit in set(shipped["unit"]) | (set(shipped["size_unit"]) - {""}):
        parse_unit(unit)


def test_selectors_use_canonical_vocabulary(shipped: pd.DataFrame) -> None:
    pairs = {"fuel": "fuels", "vehicle_class": "vehicle_classes", "pollutant": "pollutants"}
    for column, vocabulary in pairs.items():
        canonical = set(load_vocabulary(vocabulary).canonical)
        used = set(shipped[column]) - {""}
        assert used <= canonical, (column, used - canonical)
    onroad = shipped[shipped["class_code"].str.startswith("0301")]
    # battery-electric vehicles have no emission standard: their zero-exhaust rows leave it blank;
    # SO2 from the fuel's sulphur does not depend on the standard either (blank = every standard)
    combustion = onroad[onroad["fuel"] != "纯电动"]
    standards = set(load_vocabulary("standards").canonical)
    assert set(combustion.loc[combustion["pollutant"] != "SO2", "standard"]) <= standards
    assert set(combustion.loc[combustion["pollutant"] == "SO2", "standard"]) == {""}
    assert set(onroad.loc[onroad["fuel"] == "纯电动", "value"].astype(float)) == {0.0}


def test_efficiencies_are_percentages_with_canonical_technologies() -> None:
    efficiencies = read_shipped_tables().efficiencies
    pct = pd.to_numeric(efficiencies["efficiency_pct"])
    assert ((pct >= 0) & (pct <= 100)).all()
    canonical = set(load_vocabulary("control_technologies").canonical)
    assert set(efficiencies["technology"]) <= canonical


def test_onroad_covers_every_standard_for_cars_and_trucks(shipped: pd.DataFrame) -> None:
    nox = shipped[(shipped["vehicle_class"] == "重型载货汽车") & (shipped["pollutant"] == "NOx")]
    assert set(nox.loc[nox["fuel"] == "柴油", "standard"]) == {f"国{n}" for n in range(7)}
    guo6 = shipped[shipped["standard"] == "国6"]
    assert (guo6["derived"] == "yes").all()


def test_rejected_transcription_is_not_shipped(shipped: pd.DataFrame) -> None:
    assert not (pd.to_numeric(shipped["value"]) == 652.4).any()


def test_known_values_carried_over(shipped: pd.DataFrame) -> None:
    by_key = shipped.set_index("factor_key")["value"]
    assert by_key["fc:power:燃煤:NOx:capacity>=300MW"] == "7.21"
    assert by_key["voc14:openburn:玉米:VOCs"] == "10.4"
    assert by_key["param:straw_grain_ratio:玉米"] == "1.04"


def test_a_broken_table_reports_every_problem() -> None:
    row = {column: "" for column in read_shipped_tables().factors.columns}
    good = {
        **row,
        "table_name": "t",
        "row_number": 1,
        "factor_key": "a",
        "class_code": "01",
        "pollutant": "NOx",
        "value": "1",
        "unit": "g/kg",
        "basis": "uncontrolled",
        "derived": "no",
        "source_document": "doc",
    }
    bad = {
        **good,
        "row_number": 2,
        "value": "-1",
        "unit": "no_such_unit",
        "class_code": "99",
        "source_document": " ",
        "basis": "guess",
    }
    dup = {**good, "row_number": 3}
    problems = check_factor_table(pd.DataFrame([good, bad, dup]))
    rules = set(problems["rule"])
    assert {
        "value_non_negative",
        "unit_parses",
        "class_code_exists",
        "source_present",
        "basis_known",
        "key_unique",
    } <= rules


def test_efficiency_out_of_range_is_reported() -> None:
    frame = pd.DataFrame(
        [
            {
                "table_name": "t",
                "row_number": 1,
                "efficiency_key": "x",
                "technology": "SCR",
                "pollutant": "NOx",
                "efficiency_pct": "120",
                "kind": "removal",
                "source_document": "doc",
                "table_or_page": "",
                "confidence": "",
                "note": "",
            }
        ]
    )
    assert set(check_efficiency_table(frame)["rule"]) == {"efficiency_range"}
