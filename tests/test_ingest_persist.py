"""The living source list: batches, versions, closures, corrections, dry runs, partial loads.

Runs on SQLite and (when configured) PostgreSQL through the ``initialised_url`` fixture.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from inventory.db.models import (
    ActivityRecord,
    ControlDevice,
    ImportBatch,
    MeasuredEmission,
    Source,
    SourceVersion,
)
from inventory.db.session import make_engine
from inventory.ingest.catalogue import list_batches, source_history, source_list
from inventory.ingest.codes import credit_check_character
from inventory.ingest.importer import import_workbook

CC = "91150502MA0N2X1Y5" + credit_check_character("91150502MA0N2X1Y5")
UNKNOWN_CC = "91150525MA0P12345" + credit_check_character("91150525MA0P12345")
FACILITY = [
    ["统一社会信用代码", "企业名称", "行政区代码", "行业类别代码"],
    [CC, "示例热电", "150502", "4430"],
]
BOILER_HEADER = [
    "统一社会信用代码", "锅炉编号", "锅炉类型", "燃烧方式", "额定出力（蒸吨/小时）", "燃料类型",
    "燃料消耗量", "计量单位", "脱硫工艺", "脱硝工艺", "投运日期", "停运日期",
]  # fmt: skip


def write_book(path: Path, title: str | None, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        if title:
            sheet.append([title])
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def survey_2024(folder: Path) -> Path:
    return write_book(
        folder / "survey-2024.xlsx",
        "2024年通辽市大气污染源调查表",
        {
            "企业基本信息": FACILITY,
            "锅炉": [
                BOILER_HEADER,
                [
                    CC,
                    "1#",
                    "工业锅炉",
                    "层燃炉",
                    40,
                    "燃煤",
                    12000,
                    "吨",
                    "石灰石-石膏湿法",
                    None,
                    "2010-01-01",
                    None,
                ],
                [
                    CC,
                    "2#",
                    "工业锅炉",
                    "燃气",
                    10,
                    "天然气",
                    300,
                    "万立方米",
                    None,
                    None,
                    "2016-05-01",
                    None,
                ],
                [CC, "5#", "工业锅炉", "燃气", 4, "天然气", 30, "万立方米", None, None, None, None],
            ],
            "机动车保有量": [
                [
                    "行政区代码",
                    "车型",
                    "燃料类型",
                    "排放标准",
                    "保有量（辆）",
                    "年均行驶里程（公里/辆）",
                ],
                ["150502", "公交车", "柴油", "国5", 120, 60000],
            ],
        },
    )


def survey_2025(folder: Path, coal_use: float = 11000.0, name: str = "survey-2025.xlsx") -> Path:
    return write_book(
        folder / name,
        "2025年通辽市大气污染源调查表",
        {
            "企业基本信息": FACILITY,
            "锅炉": [
                BOILER_HEADER,
                # fuel switch and a new control: a new version from 2025
                [
                    CC,
                    "1#",
                    "工业锅炉",
                    "燃气",
                    40,
                    "天然气",
                    coal_use,
                    "万立方米",
                    None,
                    "SCR",
                    "2010-01-01",
                    None,
                ],
                # closed in the middle of 2025
                [
                    CC,
                    "2#",
                    "工业锅炉",
                    "燃气",
                    10,
                    "天然气",
                    150,
                    "万立方米",
                    None,
                    None,
                    "2016-05-01",
                    "2025-06-30",
                ],
                # a new small coal boiler in 科尔沁区: loads, with the action-plan warning
                [
                    CC,
                    "3#",
                    "工业锅炉",
                    "层燃炉",
                    10,
                    "燃煤",
                    2000,
                    "吨",
                    None,
                    None,
                    "2025-03-01",
                    None,
                ],
            ],
            "在线监测": [
                ["统一社会信用代码", "设备编号", "污染物", "年排放量（吨）", "数据来源"],
                [CC, "1#", "氮氧化物", 18.5, "在线监测"],
            ],
        },
    )


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def engine(initialised_url: str) -> Engine:
    engine = make_engine(initialised_url)
    yield engine  # type: ignore[misc]
    engine.dispose()


def test_two_surveys_make_a_living_source_list(engine: Engine, tmp_path: Path) -> None:
    first = import_workbook(engine, survey_2024(tmp_path), user="tester")
    assert (first.status, first.year, first.rows_taken) == ("loaded", 2024, 5)
    assert (first.counts.sources_new, first.counts.source_versions, first.counts.activities) == (
        4,
        4,
        4,
    )
    second = import_workbook(engine, survey_2025(tmp_path), user="tester")
    assert second.status == "loaded" and second.year == 2025
    rules = second.problems.groupby("rule").size().to_dict()
    assert rules == {"policy.small_coal_boiler": 1, "source.not_reported": 1}
    warning = second.problems.set_index("rule").loc["policy.small_coal_boiler"]
    assert (warning["sheet"], warning["row"], warning["column"]) == ("锅炉", 5, "E")
    not_reported = second.problems.set_index("rule").loc["source.not_reported"]
    # a boiler of the 2024 survey missing from the 2025 boiler sheet: kept, with a warning
    assert not_reported["value"] == f"{CC}/5#"

    history = source_history(engine, f"{CC}/1#")
    assert history["valid_from"].tolist() == [dt.date(2024, 1, 1), dt.date(2025, 1, 1)]
    assert history["valid_to"].tolist()[0] == dt.date(2025, 1, 1)
    assert pd.isna(history["valid_to"].tolist()[1])
    assert history["fuel"].tolist() == ["燃煤", "天然气"]
    assert history["file_name"].tolist() == ["survey-2024.xlsx", "survey-2025.xlsx"]
    assert history["controls"].tolist() == ["石灰石-石膏湿法", "SCR"]

    in_2024 = source_list(engine, 2024).set_index("natural_key")
    in_2025 = source_list(engine, 2025).set_index("natural_key")
    in_2026 = source_list(engine, 2026).set_index("natural_key")
    assert in_2024.loc[f"{CC}/1#", "fuel"] == "燃煤"
    assert in_2025.loc[f"{CC}/1#", "fuel"] == "天然气"
    assert f"{CC}/3#" not in in_2024.index and f"{CC}/3#" in in_2025.index
    # 2# closed on 2025-06-30: operating in 2025, gone in 2026; the fleet is kept (not deleted)
    assert f"{CC}/2#" in in_2025.index and f"{CC}/2#" not in in_2026.index
    assert f"{CC}/5#" in in_2026.index and "150502/公交车/柴油/国5" in in_2026.index
    assert in_2025.loc[f"{CC}/1#", "class_code"] == "01010202"  # heat supply (4430), gas
    with engine.connect() as conn:
        measured = conn.execute(
            select(
                MeasuredEmission.pollutant,
                MeasuredEmission.quantity,
                MeasuredEmission.method,
                Source.natural_key,
            ).join(Source)
        ).all()
    assert [tuple(r) for r in measured] == [("NOx", 18.5, "cems", f"{CC}/1#")]

    batches = list_batches(engine)
    assert batches[["file_name", "year", "user", "rows_taken"]].values.tolist() == [
        ["survey-2024.xlsx", 2024, "tester", 5],
        ["survey-2025.xlsx", 2025, "tester", 5],
    ]


def test_same_file_twice_is_a_no_op(engine: Engine, tmp_path: Path) -> None:
    path = survey_2024(tmp_path)
    import_workbook(engine, path)
    before = (
        count(engine, SourceVersion),
        count(engine, ActivityRecord),
        count(engine, ImportBatch),
    )
    again = import_workbook(engine, path)
    assert again.status == "already_loaded" and again.batch_id == 1
    assert again.problems["rule"].tolist() == ["file.already_loaded"]
    assert (
        count(engine, SourceVersion),
        count(engine, ActivityRecord),
        count(engine, ImportBatch),
    ) == before


def test_corrected_workbook_supersedes_the_earlier_batch(engine: Engine, tmp_path: Path) -> None:
    import_workbook(engine, survey_2024(tmp_path))
    first = import_workbook(engine, survey_2025(tmp_path))
    corrected = import_workbook(
        engine, survey_2025(tmp_path, coal_use=10500.0, name="survey-2025-v2.xlsx")
    )
    assert corrected.status == "loaded"
    assert corrected.counts.activities_superseded == 3
    assert corrected.counts.measured_superseded == 1
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                ActivityRecord.batch_id,
                ActivityRecord.quantity,
                ActivityRecord.superseded_by_batch_id,
            )
            .join(Source)
            .where(Source.natural_key == f"{CC}/1#", ActivityRecord.year == 2025)
            .order_by(ActivityRecord.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        (first.batch_id, 11000.0, corrected.batch_id),
        (corrected.batch_id, 10500.0, None),
    ]
    # same attributes as the first 2025 load: no new version
    assert corrected.counts.source_versions == 0
    assert len(source_history(engine, f"{CC}/1#")) == 2


def test_dry_run_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    result = import_workbook(engine, survey_2024(tmp_path), dry_run=True)
    assert result.status == "dry_run" and result.counts.sources_new == 4
    assert count(engine, ImportBatch) == 0 and count(engine, Source) == 0


def test_any_error_writes_nothing_and_partial_writes_the_good_rows(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_book(
        tmp_path / "mixed.xlsx",
        "2024年调查",
        {
            "企业基本信息": FACILITY,
            "锅炉": [
                BOILER_HEADER,
                [CC, "1#", "工业锅炉", "层燃炉", 40, "燃煤", 12000, "吨", None, None, None, None],
                [
                    UNKNOWN_CC,
                    "9#",
                    "工业锅炉",
                    "层燃炉",
                    40,
                    "燃煤",
                    100,
                    "吨",
                    None,
                    None,
                    None,
                    None,
                ],
                [
                    CC,
                    "2#",
                    "工业锅炉",
                    "燃气",
                    10,
                    "天燃气",
                    300,
                    "万立方米",
                    None,
                    None,
                    None,
                    None,
                ],
            ],
        },
    )
    rejected = import_workbook(engine, path)
    assert rejected.status == "rejected"
    assert rejected.errors[["row", "rule"]].values.tolist() == [
        [4, "xsheet.unknown_facility"],
        [5, "value.unknown_term"],
    ]
    assert count(engine, ImportBatch) == 0 and count(engine, Source) == 0
    partial = import_workbook(engine, path, partial=True)
    assert (partial.status, partial.rows_taken, partial.rows_rejected) == ("partial", 2, 2)
    with engine.connect() as conn:
        keys = conn.scalars(select(Source.natural_key).order_by(Source.natural_key)).all()
        mode = conn.scalar(select(ImportBatch.mode))
    assert keys == [f"{CC}/1#"] and mode == "partial"


def test_unit_rows_may_name_a_facility_already_in_the_store(engine: Engine, tmp_path: Path) -> None:
    import_workbook(engine, survey_2024(tmp_path))
    boilers_only = write_book(
        tmp_path / "boilers-2026.xlsx",
        None,
        {
            "锅炉": [
                BOILER_HEADER,
                [
                    CC,
                    "4#",
                    "工业锅炉",
                    "燃气",
                    5,
                    "天然气",
                    20,
                    "万立方米",
                    None,
                    "低氮燃烧+SCR",
                    None,
                    None,
                ],
            ]
        },
    )
    result = import_workbook(engine, boilers_only)
    assert (result.status, result.year) == ("loaded", 2026)  # year from the file name
    with engine.connect() as conn:
        technology = conn.scalar(
            select(ControlDevice.technology)
            .join(SourceVersion)
            .join(Source)
            .where(Source.natural_key == f"{CC}/4#")
        )
    assert technology == "低氮燃烧+SCR"


def test_year_must_come_from_somewhere_and_agree(engine: Engine, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "fleet.xlsx",
        None,
        {
            "机动车保有量": [
                ["行政区代码", "车型", "燃料类型", "排放标准", "保有量"],
                ["150502", "公交车", "柴油", "国5", 10],
            ]
        },
    )
    assert import_workbook(engine, path).problems["rule"].tolist() == ["year.missing"]
    assert import_workbook(engine, path, year=2024).status == "loaded"
    titled = survey_2024(tmp_path)
    result = import_workbook(engine, titled, year=2023)
    assert result.status == "rejected" and result.errors["rule"].tolist() == ["year.conflict"]
