"""The shipped sample workbooks (inventory/sample/): regenerable, complete, honest, and the
bad workbook has exactly its documented errors in place."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_sample  # noqa: E402
from samplegen.bad import BAD_CELLS  # noqa: E402
from samplegen.codes import credit_check_char  # noqa: E402

SAMPLE = ROOT / "inventory" / "sample"
SHEETS = {
    "企业基本信息",
    "锅炉",
    "炉窑与工艺",
    "含VOCs原辅材料",
    "储罐与装载",
    "在线监测",
    "机动车保有量",
    "非道路移动机械",
    "面源活动水平",
    "填表说明",
}


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.xlsx"))
    }


def test_shipped_sample_is_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    make_sample.write_sample(tmp_path)
    assert _digests(tmp_path) == _digests(SAMPLE), "run: python scripts/make_sample.py"


@pytest.mark.parametrize("year", [2024, 2025])
def test_each_year_has_every_sheet_and_says_it_is_synthetic(year: int) -> None:
    files = sorted((SAMPLE / str(year)).glob("*.xlsx"))
    assert len(files) == 12  # nine county workbooks + fleet + non-road + area
    seen: set[str] = set()
    for path in files:
        wb = openpyxl.load_workbook(path, read_only=True)
        seen.update(wb.sheetnames)
        notes = [c for row in wb["填表说明"].iter_rows(values_only=True) for c in row if c]
        assert f"调查年度：{year}年" in notes
        assert any("虚构" in n and "SYNTHETIC" in n for n in notes)
        wb.close()
    assert seen == SHEETS


def test_bad_workbook_holds_each_documented_error_where_documented() -> None:
    wb = openpyxl.load_workbook(SAMPLE / "bad" / "bad-2025-150523.xlsx")
    for sheet, row, letter, header, value, _ in BAD_CELLS:
        ws = wb[sheet]
        assert ws[f"{letter}1"].value == header
        assert ws[f"{letter}{row}"].value == value
    # Every other credit code in the file is valid; the documented one is not.
    codes = [
        c for c in (r[0] for r in wb["企业基本信息"].iter_rows(min_row=2, values_only=True)) if c
    ]
    bad = {
        v
        for s, _, _, _, v, _ in BAD_CELLS
        if s == "企业基本信息" and isinstance(v, str) and len(v) == 18
    }
    for code in codes:
        assert (credit_check_char(code[:17]) == code[17]) == (code not in bad)
