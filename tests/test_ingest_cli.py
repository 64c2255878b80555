"""The survey commands end to end: template -> fill -> import -> batches / sources / history."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
from click.testing import CliRunner

from inventory.cli import main
from inventory.ingest.layouts import load_layout


def run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", url, *args])
    return result.exit_code, result.output


def test_template_has_every_sheet_dropdowns_and_a_valid_example(
    sqlite_store: str, tmp_path: Path
) -> None:
    target = tmp_path / "survey.xlsx"
    code, output = run(sqlite_store, "template", "-o", str(target), "--year", "2025")
    assert code == 0, output
    book = openpyxl.load_workbook(target)
    layout = load_layout()
    expected = [s.name for s in layout.sheets.values() if s.kind != "none"]
    assert book.sheetnames == ["填表说明", *expected, "代码表"]
    boilers = book["锅炉"]
    headers = [c.value for c in boilers[2]]
    assert headers[:3] == ["序号", "统一社会信用代码", "锅炉编号"]
    assert (
        "额定出力（蒸吨/小时）" in headers
        and headers[headers.index("燃料消耗量") + 1] == "计量单位"
    )
    assert boilers.freeze_panes == "B3"
    assert boilers["A1"].value.startswith("2025年锅炉调查表")
    validations = {str(dv.sqref): dv.formula1 for dv in boilers.data_validations.dataValidation}
    fuel_column = openpyxl.utils.get_column_letter(headers.index("燃料类型") + 1)
    assert validations[f"{fuel_column}3:{fuel_column}5000"].startswith("'代码表'!$")
    assert book["代码表"].sheet_state == "hidden"
    # the example rows are skipped on import
    code, output = run(sqlite_store, "import", str(target), "--dry-run")
    assert code == 0, output
    assert "0 rows taken, 9 skipped" in output
    # ... and valid: turn every example row into data and the workbook loads without errors
    for name in expected:
        book[name]["A3"] = 1
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    code, output = run(
        sqlite_store, "import", str(filled), "--dry-run", "--errors", str(tmp_path / "e.csv")
    )
    errors = pd.read_csv(tmp_path / "e.csv", dtype=str)
    assert errors[errors["severity"] == "error"].empty, errors.to_string()
    assert code == 0, output


def test_import_reports_errors_to_a_file_and_exits_non_zero(
    sqlite_store: str, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "机动车保有量"
    sheet.append(["行政区代码", "车型", "燃料类型", "排放标准", "保有量（辆）"])
    sheet.append(["150502", "公交车", "柴由", "国5", 10])
    sheet.append(["150502", "公交车", "柴油", "国Ⅵ", "1,200"])
    path = tmp_path / "fleet-2025.xlsx"
    book.save(path)
    report = tmp_path / "errors.xlsx"
    code, output = run(sqlite_store, "import", str(path), "--errors", str(report))
    assert code == 1
    assert "1 error; nothing was written." in output
    problems = pd.read_excel(report, dtype=str)
    assert problems[["sheet", "row", "column", "rule", "value", "hint"]].values.tolist() == [
        ["机动车保有量", "2", "C", "value.unknown_term", "柴由", "Did you mean 柴油?"]
    ]
    code, output = run(sqlite_store, "import", str(path), "--partial", "--user", "alice")
    assert code == 0, output
    assert "1 rows taken, 0 skipped, 1 rejected" in output
    code, output = run(sqlite_store, "batches", "--format", "json")
    batches = json.loads(output)
    assert [(b["file_name"], b["year"], b["user"], b["mode"]) for b in batches] == [
        ("fleet-2025.xlsx", 2025, "alice", "partial")
    ]
    code, output = run(sqlite_store, "import", str(path), "--partial")
    assert code == 0 and "already loaded as batch 1" in output
    code, output = run(
        sqlite_store, "sources", "--year", "2025", "--kind", "mobile", "--format", "csv"
    )
    frame = pd.read_csv(pd.io.common.StringIO(output), dtype=str)
    assert frame["natural_key"].tolist() == ["150502/公交车/柴油/国6"]
    code, output = run(sqlite_store, "history", "150502/公交车/柴油/国6", "--format", "csv")
    assert code == 0 and "fleet-2025.xlsx" in output
    code, output = run(sqlite_store, "history", "公交车/柴油")
    assert code != 0 and "Did you mean 150502/公交车/柴油/国6?" in output


def test_refused_file_is_one_clear_sentence(sqlite_store: str, tmp_path: Path) -> None:
    path = tmp_path / "survey.xlsm"
    path.write_bytes(b"PK\x03\x04whatever")
    code, output = run(sqlite_store, "import", str(path))
    assert code == 1
    assert "macro-enabled workbook (.xlsm); it is refused and its macros are never run" in output
    assert "Traceback" not in output
