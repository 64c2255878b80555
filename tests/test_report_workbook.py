"""The report workbook and PNG charts of the hand-made two-year inventory."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from test_build_fixtures import open_store, seed_two_years

from inventory.cli import main
from inventory.report import plot_run, write_report


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'test.db'}"
    engine = open_store(url)
    ids = seed_two_years(engine)
    yield url, engine, ids
    engine.dispose()


def _rows(sheet, header_text: str):
    """Rows after the header row whose first cell is ``header_text``, as dicts."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == header_text)
    header = rows[start]
    return [dict(zip(header, row, strict=False)) for row in rows[start + 1 :] if row[0] is not None]


def test_report_sheets_numbers_and_charts(world, tmp_path: Path) -> None:
    _, engine, ids = world
    path = write_report(engine, ids.run_2025, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Summary",
        "By sector",
        "By county",
        "Top emitters",
        "Detail",
        "QA",
        "Comparison",
        "Diff",
        "Charts",
    ]
    sectors = {row["sector"]: row for row in _rows(book["By sector"], "sector")}
    assert sectors["power_heat"]["NOx"] == pytest.approx(7.4)
    assert sectors["power_heat"]["名称"] == "电力热力"
    assert sectors["onroad"]["VOCs"] == pytest.approx(0.5)
    counties = {row["county code"]: row for row in _rows(book["By county"], "county code")}
    assert counties["150521"]["NOx"] == pytest.approx(11.0)
    top = _rows(book["Top emitters"], "pollutant")
    first_nox = next(row for row in top if row["pollutant"] == "NOx")
    assert first_nox["source"] == "91150521MA0000002Y/4#"  # measured 5 t, the largest
    assert first_nox["share"] == pytest.approx(5 / 14.9)
    detail = _rows(book["Detail"], "source")
    s1 = next(
        r for r in detail if r["source"] == "91150500MA0000001X/1#" and r["pollutant"] == "NOx"
    )
    assert s1["facility_name"] == "通辽热电"
    assert s1["factor_source"] == "Test handbook, Table 1"
    assert s1["factor_unit"] == "kg/t" and s1["activity_value"] == pytest.approx(1200)
    assert s1["control_efficiency"] == pytest.approx(0.75)
    comparison = _rows(book["Comparison"], "pollutant")
    power = next(r for r in comparison if r["pollutant"] == "NOx" and r["sector"] == "power_heat")
    assert power["previous (t/yr)"] == pytest.approx(11.0) and power["this run (t/yr)"] == (
        pytest.approx(7.4)
    )
    diff = _rows(book["Diff"], "pollutant")
    nox = [r for r in diff if r["pollutant"] == "NOx"]
    assert sum(r["change_t"] for r in nox) == pytest.approx(-3.6)
    assert sum(r["method_t"] for r in nox) == pytest.approx(-1.0)
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 4  # NOx and VOCs, by sector and by county
        titles = " ".join(archive.read(n).decode() for n in charts)
    for title in ("NOx by sector", "NOx by county", "VOCs by sector", "VOCs by county"):
        assert title in titles


def test_report_without_previous_year(world, tmp_path: Path) -> None:
    _, engine, ids = world
    book = openpyxl.load_workbook(write_report(engine, ids.run_2024, tmp_path / "r.xlsx"))
    assert "Comparison" not in book.sheetnames and "Diff" not in book.sheetnames


def test_plot_and_commands(world, tmp_path: Path) -> None:
    url, engine, ids = world
    files = plot_run(engine, ids.run_2025, tmp_path / "png")
    assert sorted(p.name for p in files) == [
        "NOx_by_county.png",
        "NOx_by_sector.png",
        "VOCs_by_county.png",
        "VOCs_by_sector.png",
    ]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in files)
    runner = CliRunner()
    out = tmp_path / "cli.xlsx"
    result = runner.invoke(main, ["--db", url, "report", "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"run {ids.run_2025}" in result.output and out.exists()
    result = runner.invoke(
        main, ["--db", url, "plot", "--run", str(ids.run_2024), "-d", str(tmp_path / "p2")]
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "p2").glob("*.png"))) == 4
