"""The rule catalogue, the layout files, and the column-level converters."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from inventory.ingest.codes import (
    CREDIT_ALPHABET,
    credit_check_character,
    credit_code_problems,
    industry_code_valid,
    parse_coordinate,
)
from inventory.ingest.coerce import blank_mask, to_code, to_date, to_number, to_percent
from inventory.ingest.layouts import load_layout
from inventory.ingest.versions import plan_versions
from inventory.vocabulary import vocabulary_names

ROOT = Path(__file__).resolve().parents[1]


def test_every_rule_code_used_in_the_code_is_catalogued_and_documented() -> None:
    rules = load_layout().rules
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "inventory" / "ingest").glob("*.py")
    )
    used = set(
        re.findall(
            r'"((?:file|csv|sheet|header|cell|row|value|code|coord|unit|date|year|xsheet|policy|class|source)\.[a-z_]+)"',
            source,
        )
    )
    assert used - set(rules) == set()
    docs = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    assert [code for code in rules if f"`{code}`" not in docs] == []
    assert {r.severity for r in rules.values()} <= {"error", "warning", "notice"}


def test_layout_columns_name_known_types_and_vocabularies() -> None:
    layout = load_layout()
    types = {
        "credit_code", "region_code", "industry_code", "code", "text", "number", "integer",
        "quantity", "unit", "percent", "fraction", "date", "year", "term", "choice", "lon", "lat",
        "lon_deg", "lon_min", "lon_sec", "lat_deg", "lat_min", "lat_sec", "calorific",
    }  # fmt: skip
    for sheet in layout.sheets.values():
        for spec in sheet.columns:
            assert spec.type in types, (sheet.key, spec.name)
            if spec.type == "term":
                assert spec.vocabulary in vocabulary_names(), (sheet.key, spec.name)
            if spec.type == "choice":
                assert spec.choices, (sheet.key, spec.name)


def _reference_check(first17: str) -> str:
    """GB 32100-2015 written out plainly: weights 3^i mod 31, check = 31 - sum mod 31."""
    total = sum(CREDIT_ALPHABET.index(c) * (3**i % 31) for i, c in enumerate(first17))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    "prefix", ["91150502MA0N2X1Y5", "12150500011594226", "9111000071093123X"[:17]]
)
def test_credit_code_checksum(prefix: str) -> None:
    good = prefix + _reference_check(prefix)
    assert credit_check_character(prefix) == _reference_check(prefix)
    wrong = prefix + next(c for c in CREDIT_ALPHABET if c != good[-1])
    codes = pd.Series([good, wrong, good[:-1], good[:-1] + "I", None])
    fmt, checksum = credit_code_problems(codes)
    assert fmt.tolist() == [False, False, True, True, False]
    assert checksum.tolist() == [False, True, False, False, False]


def test_industry_codes() -> None:
    codes = pd.Series(["4411", "D4411", "C4411", "2511", "98", "0111", "4", None])
    assert industry_code_valid(codes).tolist() == [
        True,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
    ]


def test_numbers_percentages_and_blanks() -> None:
    raw = pd.Series(
        ["12,345.6", "１２３", " 7 ", "无", "—", "/", None, "abc", 5.0, True], dtype=object
    )
    values, bad = to_number(raw)
    assert values.tolist()[:3] == [12345.6, 123.0, 7.0]
    assert values.isna().tolist()[3:8] == [True] * 5
    assert bad.tolist() == [False] * 7 + [True, False, True]
    assert blank_mask(raw).tolist() == [
        False,
        False,
        False,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    percent, bad = to_percent(pd.Series(["35%", 35, "0.5", "５‰"], dtype=object), as_fraction=False)
    assert percent.tolist() == [35.0, 35.0, 0.5, 0.5] and not bad.any()
    fraction, _ = to_percent(pd.Series([0.35, "35%"], dtype=object), as_fraction=True)
    assert fraction.tolist() == [pytest.approx(35.0), 35.0]


def test_codes_keep_leading_zeros_and_lose_float_tails() -> None:
    assert to_code(pd.Series(["001", 150502.0, " ab 1 ", "无"], dtype=object)).tolist() == [
        "001",
        "150502",
        "AB1",
        None,
    ]


def test_dates_and_coordinates() -> None:
    dates, bad = to_date(pd.Series([43952.0, "2019年5月1日", "2019/5", "x"], dtype=object))
    assert dates.tolist() == [dt.date(2020, 5, 1), dt.date(2019, 5, 1), dt.date(2019, 5, 1), None]
    assert bad.tolist() == [False, False, False, True]
    lon, bad = parse_coordinate(
        pd.Series(["122°30′36″", "122度30分", "122.51", "东经"], dtype=object)
    )
    assert lon.tolist()[:3] == [pytest.approx(122.51), pytest.approx(122.5), 122.51]
    assert bad.tolist() == [False, False, False, True]


def test_version_planning() -> None:
    existing = pd.DataFrame(
        {
            "owner": [1, 2, 3],
            "version_id": [10, 20, 30],
            "valid_from": [dt.date(2024, 1, 1)] * 3,
            "valid_to": [None, None, None],
            "signature": ["a", "b", "c"],
        }
    )
    incoming = pd.DataFrame(
        {
            "owner": [1, 2, 3, 4],
            "start": [dt.date(2025, 1, 1)] * 4,
            "closure": [None, None, dt.date(2025, 7, 1), None],
            "signature": ["a", "B", "c", "d"],
        }
    )
    plan = plan_versions(existing, incoming)
    # owner 1 unchanged; 2 changed -> new version from 2025; 3 closes mid-2025; 4 is new
    assert plan.new.index.tolist() == [1, 3]
    assert plan.new["valid_from"].dt.date.tolist() == [dt.date(2025, 1, 1)] * 2
    closes = dict(
        zip(plan.closes["version_id"], pd.to_datetime(plan.closes["valid_to"]).dt.date, strict=True)
    )
    assert closes == {20: dt.date(2025, 1, 1), 30: dt.date(2025, 7, 1)}
