"""Formula injection: exported user text never runs as a formula, and numbers never change."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import click
import openpyxl
import pandas as pd
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from reliability_fill import naughty_strings

from inventory.cli.common import emit_frame
from inventory.export_safety import (
    FORMULA_TRIGGERS,
    XLSXWRITER_OPTIONS,
    frame_to_csv,
    neutralise_frame,
    neutralise_text,
    restore_text,
)

ATTACKS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def test_cells_starting_with_a_trigger_get_an_apostrophe() -> None:
    for attack in ATTACKS:
        assert neutralise_text(attack) == "'" + attack
    for harmless in ["通辽", "a=1", " =1", "", "x-1", "'quoted'"]:
        assert neutralise_text(harmless) == harmless
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def test_numbers_and_other_values_are_never_changed() -> None:
    for value in [-12.5, -1, 0, float("-inf"), None, pd.Timestamp("2024-01-01")]:
        assert neutralise_text(value) is value


@given(st.text())
def test_neutralising_is_reversible(value: str) -> None:
    out = neutralise_text(value)
    assert restore_text(out) == value
    assert not out.startswith(FORMULA_TRIGGERS)


@given(st.lists(st.floats(allow_nan=False) | st.integers(-(10**12), 10**12), min_size=1))
def test_numeric_columns_are_untouched(numbers: list[float]) -> None:
    frame = pd.DataFrame({"value": numbers, "name": ["-x"] * len(numbers)})
    out = neutralise_frame(frame)
    pd.testing.assert_series_equal(out["value"], frame["value"])
    assert (out["name"] == "'-x").all()
    assert frame["name"].iloc[0] == "-x", "the input frame must not be modified"


def test_csv_round_trip_of_hostile_strings() -> None:
    strings = naughty_strings()
    frame = pd.DataFrame({"name": strings, "t": range(len(strings))})
    text = frame_to_csv(frame)
    back = pd.read_csv(io.StringIO(text), dtype={"name": str}, keep_default_na=False)
    for row in csv.reader(io.StringIO(text, newline="")):
        assert not row[0].startswith(FORMULA_TRIGGERS)
    # a bare CR inside a field must be quoted, or Excel starts a new row there
    assert '"\'\r=1+1"' in text
    assert [restore_text(v) for v in back["name"]] == strings
    assert back["t"].tolist() == list(range(len(strings)))


def test_emit_frame_csv_is_formula_safe() -> None:
    @click.command()
    def show() -> None:
        emit_frame(pd.DataFrame({"name": ATTACKS, "emissions_t": [-1.5] * len(ATTACKS)}), "csv")

    out = CliRunner().invoke(show, [])
    assert out.exit_code == 0, out.output
    frame = pd.read_csv(io.StringIO(out.output), keep_default_na=False)
    assert frame["name"].tolist() == ["'" + a for a in ATTACKS]
    assert frame["emissions_t"].tolist() == [-1.5] * len(ATTACKS)


def test_xlsxwriter_options_write_text_as_text(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "out.xlsx"
    book = xlsxwriter.Workbook(str(path), XLSXWRITER_OPTIONS)
    sheet = book.add_worksheet("s")
    values = [*ATTACKS, "http://example.com", "123", *naughty_strings()]
    for row, value in enumerate(values):
        sheet.write(row, 0, value)
        sheet.write(row, 1, -float(row))
    book.close()
    loaded = openpyxl.load_workbook(path)["s"]
    for row, value in enumerate(values, start=1):
        cell = loaded.cell(row, 1)
        assert cell.data_type == "s", (value, cell.data_type)
        assert _ooxml_unescape(cell.value) == value
        assert loaded.cell(row, 2).value == -float(row - 1)


def _ooxml_unescape(text: str) -> str:
    """Decode OOXML's _xHHHH_ escapes (xlsxwriter writes CR as _x000D_; Excel decodes it)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
