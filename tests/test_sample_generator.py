"""The sample generator (scripts/make_sample.py): codes, determinism, coverage, 2024->2025."""

from __future__ import annotations

import hashlib
import math
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import make_sample  # noqa: E402
from samplegen.codes import REGIONS, credit_check_char, org_check_char  # noqa: E402
from samplegen.fleet import TRUCKS  # noqa: E402
from samplegen.model import Facility  # noqa: E402
from samplegen.sheets import measured_rows  # noqa: E402

COUNTIES = {r.code for r in REGIONS}


@pytest.fixture(scope="module")
def sample() -> dict[int, Any]:
    return make_sample.generate()


def _independent_check(code: str) -> bool:
    """GB 32100-2015 worked out again here: weights 3^i mod 31 over a 31-character alphabet."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * (3**i % 31) for i, c in enumerate(code[:17]))
    return alphabet[(31 - total % 31) % 31] == code[17]


def test_credit_check_character_matches_published_codes() -> None:
    # Two real, published credit codes (Huawei Technologies, Tencent Computer Systems).
    assert credit_check_char("91440300192203821") == "6"
    assert credit_check_char("91440300708461136") == "T"
    # Organisation code 19220382-1 (the same enterprise): 3+63+18+20+0+24+32+4 = 164; 11-164%11 = 1.
    assert org_check_char("19220382") == "1"


def test_every_enterprise_has_a_valid_unique_code_and_lies_in_its_county(
    sample: dict[int, Any],
) -> None:
    for survey in sample.values():
        codes = [f.credit_code for f in survey.facilities]
        assert len(codes) == len(set(codes))
        regions = {r.code: r for r in REGIONS}
        for f in survey.facilities:
            assert len(f.credit_code) == 18 and _independent_check(f.credit_code), f.credit_code
            assert f.credit_code[2:8] == f.region_code
            assert f.name.endswith("（虚构）")
            region = regions[f.region_code]
            assert math.hypot(f.lon - region.lon, f.lat - region.lat) <= region.radius + 1e-5


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path: Path) -> None:
    def digests(out: Path, seed: int) -> dict[str, str]:
        paths = make_sample.write_sample(out, seed=seed, scale=0.3)
        return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}

    first = digests(tmp_path / "a", 5)
    assert first == digests(tmp_path / "b", 5)
    other = digests(tmp_path / "c", 6)
    assert other["2024/point-150502.xlsx"] != first["2024/point-150502.xlsx"]


def test_scale_multiplies_the_generic_point_sources() -> None:
    small = make_sample.generate(scale=1.0)[2024].facilities
    large = make_sample.generate(scale=3.0)[2024].facilities
    assert 2.3 * len(small) < len(large) < 3.0 * len(small)


def _units(facilities: list[Facility]) -> dict[str, set[Any]]:
    seen: dict[str, set[Any]] = {
        k: set()
        for k in ("unit_type", "fuel", "process", "material", "solvent_type", "tank_type", "region")
    }
    for f in facilities:
        seen["region"].add(f.region_code)
        for b in f.boilers:
            seen["unit_type"].add(b.unit_type)
            seen["fuel"].add(b.fuel)
        for k in f.kilns:
            seen["process"].add(k.process)
        for v in f.voc_uses:
            seen["material"].add(v.material)
            seen["solvent_type"].add(v.solvent_type)
        for t in f.tanks:
            seen["tank_type"].add(t.tank_type)
    return seen


def test_every_source_kind_and_county_is_present_in_both_years(sample: dict[int, Any]) -> None:
    for survey in sample.values():
        seen = _units(survey.facilities)
        assert seen["region"] == COUNTIES
        assert seen["unit_type"] == {"电站锅炉", "工业锅炉", "燃气轮机", "生物质锅炉"}
        assert {"燃煤", "天然气", "生物质", "柴油", "焦炉煤气"} <= seen["fuel"]
        assert seen["process"] == {"水泥熟料", "铁合金", "电解铝", "焦化", "玉米深加工", "化工"}
        assert {"工业涂料", "油墨", "胶粘剂", "清洗剂", "稀释剂"} == seen["material"]
        assert {"溶剂型", "水性"} <= seen["solvent_type"]
        assert {"固定顶", "内浮顶"} <= seen["tank_type"]
        methods = {r["method"] for r in measured_rows(survey.facilities)}
        assert methods == {"在线监测", "手工监测"}
        for rows in (survey.fleet, survey.nonroad, survey.area):
            assert {r["region_code"] for r in rows} == COUNTIES
        assert {r["vehicle_class"] for r in survey.fleet} >= TRUCKS | {
            "公交车",
            "小型载客汽车",
            "摩托车",
        }
        machines = {r["machine"] for r in survey.nonroad}
        assert {"挖掘机", "装载机", "拖拉机", "联合收割机"} <= machines
        categories = {r["category"] for r in survey.area}
        for expected in (
            "民用散煤",
            "秸秆露天焚烧-玉米",
            "畜禽养殖-肉牛",
            "氮肥施用-尿素",
            "建筑涂料",
            "道路扬尘-铺装道路",
            "施工扬尘-建筑施工",
            "餐饮油烟",
        ):
            assert expected in categories


def _boilers(facilities: list[Facility]) -> dict[tuple[str, str], Any]:
    return {(f.credit_code, b.unit_id): (f, b) for f in facilities for b in f.boilers}


def test_small_coal_boilers_of_the_centre_close_in_2025(sample: dict[int, Any]) -> None:
    before, after = _boilers(sample[2024].facilities), _boilers(sample[2025].facilities)
    small = [
        k
        for k, (f, b) in before.items()
        if f.region_code in ("150502", "150571") and b.fuel == "燃煤" and b.capacity_tph < 35
    ]
    assert len(small) >= 10
    for key in small:
        assert before[key][1].decommissioned is None
        assert str(after[key][1].decommissioned) == "2025-04-15"
        assert after[key][1].fuel_use < before[key][1].fuel_use
    closed = [f for f in sample[2025].facilities if f.status == "关停"]
    assert closed and all(str(f.end_date) == "2025-04-15" for f in closed)
    # Small coal boilers elsewhere keep running (the plan targets the centre only).
    elsewhere = [
        k
        for k, (f, b) in before.items()
        if f.region_code not in ("150502", "150571") and b.fuel == "燃煤" and b.capacity_tph < 35
    ]
    assert elsewhere and all(after[k][1].decommissioned is None for k in elsewhere)


def test_large_coal_boilers_reach_ultra_low_and_gas_boilers_get_low_nox(
    sample: dict[int, Any],
) -> None:
    before, after = _boilers(sample[2024].facilities), _boilers(sample[2025].facilities)
    large = [k for k, (_, b) in before.items() if b.fuel == "燃煤" and b.capacity_tph > 65]
    assert any("SCR" not in before[k][1].denox for k in large)
    for key in large:
        boiler = after[key][1]
        assert "SCR" in boiler.denox
        if boiler.cems_mg_m3:
            assert boiler.cems_mg_m3["NOx"] < 50 and boiler.cems_mg_m3["SO2"] < 35
    retrofitted = [
        k
        for k, (_, b) in before.items()
        if b.fuel == "天然气" and b.low_nox == "否" and after[k][1].low_nox == "是"
    ]
    assert retrofitted
    nox = [
        sum(
            r["emission"]
            for r in measured_rows(sample[y].facilities)
            if r["pollutant"] == "氮氧化物"
        )
        for y in (2024, 2025)
    ]
    assert nox[1] < 0.7 * nox[0]


def test_new_sources_appear_in_2025(sample: dict[int, Any]) -> None:
    codes_2024 = {f.credit_code for f in sample[2024].facilities}
    new = [f for f in sample[2025].facilities if f.credit_code not in codes_2024]
    assert len(new) >= 4 and all(f.start_date.year == 2025 for f in new)
    new_units = set(_boilers(sample[2025].facilities)) - set(_boilers(sample[2024].facilities))
    assert any(
        b.fuel == "天然气" for _, b in (_boilers(sample[2025].facilities)[k] for k in new_units)
    )


def _share(rows: list[dict[str, Any]], select: Any, match: Any) -> float:
    chosen = [r for r in rows if select(r)]
    return sum(r["population"] for r in chosen if match(r)) / sum(r["population"] for r in chosen)


def test_fleet_renews_as_the_plan_asks(sample: dict[int, Any]) -> None:
    def trucks(r: dict[str, Any]) -> bool:
        return r["vehicle_class"] in TRUCKS

    def clean_truck(r: dict[str, Any]) -> bool:
        return r["standard"] == "国6" or r["fuel"] == "纯电动"

    assert _share(sample[2024].fleet, trucks, clean_truck) < 0.40
    assert _share(sample[2025].fleet, trucks, clean_truck) >= 0.40

    def buses(r: dict[str, Any]) -> bool:
        return r["vehicle_class"] == "公交车"

    assert _share(sample[2025].fleet, buses, lambda r: r["fuel"] != "柴油") >= 0.80
    for survey in sample.values():
        for r in survey.fleet:
            assert (r["standard"] is None) == (r["fuel"] == "纯电动")


def test_stage_one_and_older_machinery_retires(sample: dict[int, Any]) -> None:
    def old(rows: list[dict[str, Any]]) -> int:
        return sum(r["count"] for r in rows if r["stage"] in ("国0", "国1"))

    assert old(sample[2025].nonroad) <= 0.11 * old(sample[2024].nonroad)
    electric_forklifts = [
        sum(r["count"] for r in sample[y].nonroad if r["machine"] == "叉车" and r["fuel"] == "电")
        for y in (2024, 2025)
    ]
    assert electric_forklifts[1] > electric_forklifts[0]


def test_scattered_coal_of_the_centre_goes_to_about_zero(sample: dict[int, Any]) -> None:
    def coal(year: int, region: str) -> float:
        return sum(
            r["activity"]
            for r in sample[year].area
            if r["category"] == "民用散煤" and r["region_code"] == region
        )

    assert coal(2025, "150502") <= 0.05 * coal(2024, "150502") + 1
    assert coal(2025, "150523") > 0.9 * coal(2024, "150523")
