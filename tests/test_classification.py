"""The classification tree (levels 1-4) and the rules that assign level-4 codes."""

from __future__ import annotations

import pandas as pd

from inventory.classification import (
    assign_class_codes,
    class_table,
    classification_rules,
    known_class_codes,
)
from inventory.resources import factors_path
from inventory.vocabulary import canonical_values

SURVEY_AREA_CATEGORIES = [
    "民用散煤",
    "建筑涂料",
    "汽油销售-加油站",
    "秸秆露天焚烧-玉米",
    "畜禽养殖-肉牛",
    "氮肥施用-尿素",
    "道路扬尘",
    "施工扬尘",
    "餐饮油烟",
]


def test_codes_are_two_digits_per_level_and_parents_exist() -> None:
    table = class_table()
    assert table["code"].is_unique
    codes = set(table["code"])
    for row in table.itertuples():
        assert len(row.code) == 2 * row.level, row.code
        if row.level > 1:
            assert row.parent_code == row.code[:-2], row.code
            assert row.parent_code in codes


def test_every_level_2_class_has_children_down_to_level_4() -> None:
    table = class_table()
    level4_parents = {code[:4] for code in table.loc[table["level"] == 4, "code"]}
    assert set(table.loc[table["level"] == 2, "code"]) <= level4_parents


def test_sectors_are_inherited_and_known() -> None:
    table = class_table()
    assert (table.loc[table["level"] >= 2, "sector"] != "").all()
    sectors = set(pd.read_csv(factors_path("sectors.csv"), comment="#")["sector"])
    assert set(table.loc[table["sector"] != "", "sector"]) <= sectors
    assert table.set_index("code").loc["03010204", "sector"] == "onroad"


def test_rules_point_to_level_4_classes() -> None:
    rules = classification_rules()
    assert rules["rule"].is_unique
    assert set(rules["class_code"]) <= known_class_codes()


def test_every_area_category_has_a_rule() -> None:
    frame = pd.DataFrame({"kind": "area", "category": list(canonical_values("area_categories"))})
    codes = assign_class_codes(frame)
    assert codes.notna().all()
    names = class_table().set_index("code")["name"]
    assert (names.loc[codes.tolist()].to_numpy() == frame["category"].to_numpy()).all()


def test_survey_spec_area_categories_resolve() -> None:
    from inventory.vocabulary import normalise

    named = normalise(pd.Series(SURVEY_AREA_CATEGORIES), "area_categories")
    assert not named.unknown.any()
    codes = assign_class_codes(pd.DataFrame({"kind": "area", "category": named.values}))
    assert codes.tolist() == [
        "01030101",
        "04020101",
        "07030101",
        "08030101",
        "05020101",
        "05010101",
        "06010101",
        "06020101",
        "10010101",
    ]


def test_boilers_by_type_industry_fuel_and_firing() -> None:
    frame = pd.DataFrame(
        {
            "kind": ["point"] * 6,
            "unit_type": ["工业锅炉", "工业锅炉", "电站锅炉", "工业锅炉", "燃气轮机", "生物质锅炉"],
            "industry_code": ["2511", "4430", "4411", "1391", "4411", "1391"],
            "fuel": ["燃煤", "燃煤", "煤矸石", "天然气", "天然气", "生物质"],
            "firing": ["层燃炉", "流化床炉", "流化床炉", "燃气", None, "层燃炉"],
        }
    )
    assert assign_class_codes(frame).tolist() == [
        "01020103",
        "01010201",
        "01010101",
        "01020201",
        "01010102",
        "08020101",
    ]


def test_processes_mobile_nonroad_and_materials() -> None:
    frame = pd.DataFrame(
        {
            "kind": ["point", "point", "point", "mobile", "nonroad", "point", "point"],
            "process": ["水泥熟料", "铁合金", "玉米深加工", None, None, None, None],
            "product": [None, "硅铁", "赖氨酸", None, None, None, None],
            "vehicle_class": [None, None, None, "公交车", None, None, None],
            "machine": [None, None, None, None, "拖拉机", None, None],
            "material": [None, None, None, None, None, "工业涂料", "油墨"],
            "industry_code": [None, None, None, None, None, "3670", "2319"],
        }
    )
    assert assign_class_codes(frame).tolist() == [
        "02010101",
        "02030101",
        "02070102",
        "03010105",
        "03020201",
        "04010102",
        "04030101",
    ]


def test_explicit_code_and_code_as_category_win_and_unknown_is_none() -> None:
    frame = pd.DataFrame(
        {
            "kind": ["area", "area", "point"],
            "category": ["06040101", "不存在的类别", None],
            "class_code": [None, None, "02050101"],
        },
        index=[5, 6, 7],
    )
    codes = assign_class_codes(frame)
    assert codes.tolist() == ["06040101", None, "02050101"]
    assert list(codes.index) == [5, 6, 7]


def test_missing_columns_and_empty_frames() -> None:
    assert assign_class_codes(pd.DataFrame({"kind": []})).tolist() == []
    assert assign_class_codes(pd.DataFrame({"kind": ["point"]})).tolist() == [None]
