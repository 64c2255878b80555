"""Reading scenario files: the format, and every problem reported at once with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.errors import ScenarioFileError
from inventory.scenario import load_scenario, parse_scenario

MINIMAL = """
name: test
base_year: 2025
targets:
  - {pollutant: NOx, reduction_t: 100}
  - {pollutant: vocs, reduction_t: null, county: 科尔沁区}
measures:
  - id: "7a"
    plan: "[7]"
    name: small coal boilers close
    select: {kind: point, class: "0102", fuel: 燃煤, county: [科尔沁区, "150571"], capacity_tph: {below: 35}}
    action: close
  - id: "11a"
    select: {vehicle_class: 重型载货汽车, standard: [国三, 国Ⅳ, China 5]}
    action: {type: renew_fleet, target_share: "40%", to_standard: 国六}
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario(text, "s.yaml")
    return caught.value.problems


def test_a_valid_file_is_read_with_canonical_values() -> None:
    scenario = parse_scenario(MINIMAL)
    assert scenario.name == "test"
    assert scenario.base_year == 2025
    assert [m.id for m in scenario.measures] == ["7a", "11a"]
    close, renew = scenario.measures
    assert close.plan == "[7]"
    assert close.select.values["county"] == ("150502", "150571")
    assert close.select.classes == ("0102",)
    assert close.select.ranges["capacity_tph"].below == 35
    assert renew.select.values["standard"] == ("国3", "国4", "国5")
    assert renew.params["target_share"] == pytest.approx(0.40)
    assert renew.params["to_standard"] == "国6"
    assert scenario.targets[0].reduction_t == 100
    assert scenario.targets[1].pollutant == "VOCs"
    assert scenario.targets[1].reduction_t is None
    assert scenario.targets[1].county == "150502"
    assert scenario.source_text == MINIMAL


def test_unknown_fields_are_named_with_a_suggestion() -> None:
    text = MINIMAL.replace("base_year: 2025", "base_year: 2025\nbase_yaer: 2024").replace(
        "fuel: 燃煤", "fule: 燃煤"
    )
    problems = _problems(text)
    assert any(
        "unknown field 'base_yaer'" in p and "did you mean 'base_year'" in p for p in problems
    )
    assert any("unknown field 'fule'" in p and "'fuel'" in p for p in problems)


def test_an_efficiency_past_100_percent_is_refused() -> None:
    text = MINIMAL + (
        "  - id: x\n    select: {kind: point}\n"
        "    action: {type: add_control, technology: SCR, pollutants: [NOx], efficiency: 95}\n"
    )
    problems = _problems(text)
    assert any("past 100 %" in p and "efficiency" in p for p in problems)
    ok = text.replace("efficiency: 95", "efficiency: '95%'")
    assert parse_scenario(ok).measures[-1].params["efficiency"] == pytest.approx(0.95)


def test_many_problems_are_reported_together() -> None:
    text = """
name: t
base_year: 25
measures:
  - id: a
    select: {kind: ship, standard: 国九, capacity_tph: {under: 3}}
    action: {type: clsoe}
  - id: a
    select: {}
    action: {type: scale}
  - id: b
    select: {}
    action: {type: renew_fleet}
"""
    problems = _problems(text)
    text_all = "\n".join(problems)
    assert "expected a year" in text_all
    assert "'ship' is not a source kind" in text_all
    assert "国九" in text_all
    assert "unknown range bound" in text_all
    assert "unknown action 'clsoe' (did you mean 'close'?)" in text_all
    assert "ids must be unique" in text_all
    assert "'percent' is required for scale" in text_all
    assert "exactly one of 'share' and 'target_share'" in text_all
    assert len(problems) >= 8


def test_a_parameter_left_null_marks_the_measure_unfilled() -> None:
    text = MINIMAL + (
        "  - id: straw\n    select: {category: 秸秆露天焚烧}\n"
        "    action: {type: reduce_open_burning, utilisation_rate: 0.9, baseline_utilisation_rate: null}\n"
    )
    measure = parse_scenario(text).measures[-1]
    assert measure.params["unfilled"] == ("baseline_utilisation_rate",)


def test_bad_yaml_says_where(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nmeasures: [\n  - id: a\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario(path)
    assert "not valid YAML at line" in str(caught.value)
    assert caught.value.hint


def test_a_county_that_does_not_exist_is_named() -> None:
    problems = _problems(MINIMAL.replace('"150571"', "东城区"))
    assert any("'东城区' is not a region code or name" in p for p in problems)
