"""The vocabularies: files well-formed, normalisation of whole Series, suggestions."""

from __future__ import annotations

import pandas as pd
import pytest

from inventory import POLLUTANTS
from inventory.errors import NotFound
from inventory.vocabulary import (
    canonical_values,
    fold,
    load_vocabulary,
    normalise,
    vocabulary_names,
)

BRIEFING_CANONICAL = {
    "fuels": [
        "燃煤",
        "煤矸石",
        "焦炭",
        "天然气",
        "焦炉煤气",
        "高炉煤气",
        "液化石油气",
        "燃料油",
        "柴油",
        "汽油",
        "生物质",
        "秸秆",
        "薪柴",
        "电",
        "纯电动",
        "混合动力",
    ],
    "unit_types": ["电站锅炉", "工业锅炉", "燃气轮机", "生物质锅炉"],
    "firing_types": ["煤粉炉", "流化床炉", "层燃炉", "燃气", "燃油", "其他"],
    "vehicle_classes": [
        "微型载客汽车",
        "小型载客汽车",
        "中型载客汽车",
        "大型载客汽车",
        "公交车",
        "出租车",
        "微型载货汽车",
        "轻型载货汽车",
        "中型载货汽车",
        "重型载货汽车",
        "低速货车",
        "三轮汽车",
        "摩托车",
    ],
    "standards": [f"国{n}" for n in range(7)],
    "stages": [f"国{n}" for n in range(5)],
    "machines": [
        "挖掘机",
        "装载机",
        "推土机",
        "压路机",
        "叉车",
        "起重机",
        "拖拉机",
        "联合收割机",
        "排灌机械",
        "其他",
    ],
    "materials": ["工业涂料", "油墨", "胶粘剂", "清洗剂", "稀释剂"],
    "solvent_types": ["溶剂型", "水性", "无溶剂", "其他低VOCs"],
    "processes": ["水泥熟料", "铁合金", "电解铝", "焦化", "玉米深加工", "化工"],
    "pollutants": list(POLLUTANTS),
}


@pytest.mark.parametrize("name", vocabulary_names())
def test_every_vocabulary_loads_without_conflicts(name: str) -> None:
    vocabulary = load_vocabulary(name)
    assert vocabulary.canonical, name
    assert set(vocabulary.lookup.values()) == set(vocabulary.canonical)


@pytest.mark.parametrize(("name", "expected"), sorted(BRIEFING_CANONICAL.items()))
def test_team_canonical_values_are_present(name: str, expected: list[str]) -> None:
    assert set(expected) <= set(canonical_values(name))


def test_standards_in_every_spelling() -> None:
    raw = pd.Series(["国Ⅵ", "国VI", "国 vi", "国六", "国6b", "China 6", "国前", "国零", "国Ⅲ"])
    result = normalise(raw, "standards")
    assert result.values.tolist() == ["国6"] * 6 + ["国0", "国0", "国3"]
    assert not result.unknown.any()


def test_nonroad_stages_accept_stage_numbers() -> None:
    result = normalise(pd.Series(["Stage II", "第三阶段", "国Ⅳ", "国前"]), "stages")
    assert result.values.tolist() == ["国2", "国3", "国4", "国0"]


def test_chinese_pollutant_names() -> None:
    raw = pd.Series(["二氧化硫", "氮氧化物", "颗粒物", "挥发性有机物", "氨", "PM₂.₅"])
    assert normalise(raw, "pollutants").values.tolist() == [
        "SO2",
        "NOx",
        "PM",
        "VOCs",
        "NH3",
        "PM2.5",
    ]


def test_nmvoc_is_not_silently_vocs() -> None:
    result = normalise(pd.Series(["NMVOC"]), "pollutants")
    assert result.unknown.tolist() == [True]


def test_blank_cells_are_missing_not_unknown() -> None:
    raw = pd.Series([None, float("nan"), "  ", "燃煤"], index=[10, 11, 12, 13])
    result = normalise(raw, "fuels")
    assert result.values.tolist() == [None, None, None, "燃煤"]
    assert result.unknown.tolist() == [False, False, False, False]
    assert list(result.values.index) == [10, 11, 12, 13]


def test_unknown_values_get_a_suggestion() -> None:
    raw = pd.Series(["循环流化床锅炉2号", "CFB", "完全不相干的东西"])
    result = normalise(raw, "firing_types")
    assert result.values.tolist() == [None, "流化床炉", None]
    assert result.unknown.tolist() == [True, False, True]
    assert result.suggestions.tolist() == ["流化床炉", None, None]


def test_census_code_prefix_is_ignored() -> None:
    raw = pd.Series(["（3）自动炉排层燃炉", "(1)煤粉炉"])
    assert normalise(raw, "firing_types").values.tolist() == ["层燃炉", "煤粉炉"]


def test_extra_aliases_of_a_user() -> None:
    result = normalise(pd.Series(["大块煤"]), "fuels", extra_aliases={"大块煤": "燃煤"})
    assert result.values.tolist() == ["燃煤"]


def test_fold_is_width_and_case_blind() -> None:
    assert fold("ＣＦＢ ") == fold("cfb")
    assert fold("国Ⅵ") == fold("国vi")


def test_unknown_vocabulary_is_a_typed_error() -> None:
    with pytest.raises(NotFound):
        load_vocabulary("no_such_vocabulary")
