"""Fuzzing scenario files: any YAML text gives a Scenario or a ScenarioFileError, nothing else."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_fill import naughty_strings

from inventory.errors import ScenarioFileError
from inventory.scenario.loader import load_scenario, parse_scenario
from inventory.scenario.model import Scenario

SEED = Path(__file__).resolve().parents[1] / "inventory" / "scenarios" / "tongliao-2025.yaml"


def _seed_document() -> dict[str, Any]:
    document = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _check(text: str) -> str:
    """Parse ``text``; returns the outcome name. Any other exception fails the test."""
    try:
        scenario = parse_scenario(text, "fuzz.yaml")
    except ScenarioFileError as exc:
        assert exc.problems, "a ScenarioFileError without a problem"
        assert all(isinstance(p, str) and p for p in exc.problems)
        assert str(exc) and exc.hint
        return "rejected"
    assert isinstance(scenario, Scenario)
    return "accepted"


def test_the_seed_scenario_is_valid() -> None:
    assert _check(SEED.read_text(encoding="utf-8")) == "accepted"


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(naughty_strings())
    | st.sampled_from(["NOx", "VOCs", "SO2", "nox", "PM2.5", "国6", "国Ⅵ", "150%", "-5", "1e999"])
    | st.sampled_from(["point", "mobile", "燃煤", "150502", "科尔沁区", "below", "above"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from(["type", "select", "action", "id", "kind"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _set(document: Any, path: tuple[Any, ...], value: Any, mode: str) -> Any:
    if not path:
        return value
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if mode == "delete":
        del parent[last]
    elif mode == "add_field" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    else:
        parent[last] = value
    return document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    replacement=values,
    mode=st.sampled_from(["replace", "delete", "add_field"]),
)
def test_structural_mutations(data: st.DataObject, replacement: Any, mode: str) -> None:
    document = copy.deepcopy(_seed_document())
    path = data.draw(st.sampled_from(_paths(document)))
    document = _set(document, path, replacement, mode if path else "replace")
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    _check(text)


@settings(max_examples=40, deadline=None)
@given(
    position=st.floats(0, 1),
    junk=st.sampled_from(
        [
            ":",
            "- ",
            "[",
            "{",
            "\t",
            '"',
            "'",
            "&a ",
            "*a",
            "!!python/object:os.system ",
            "%YAML 9",
            "\x00",
            "\ufeff",
            "---\n",
            "...\n",
            "? ",
            "|\n",
            ">-\n",
            "\n  ",
            "#",
            "@",
            "`",
        ]
    )
    | st.text(max_size=5),
)
def test_text_corruption(position: float, junk: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    at = int(position * len(text))
    _check(text[:at] + junk + text[at:])


def test_hostile_documents() -> None:
    laughs = "a: &a [x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=False)
    )
    cases = [
        "", "null", "42", "[]", "- a\n- b", "name: x", "name: [1, 2]\nbase_year: 2025\nmeasures: []",
        "!!python/object/apply:os.system ['echo owned']", laughs + "name: x\nbase_year: 2025\nmeasures: *h",
        "name: x\nbase_year: 2025\nmeasures:\n" + "  - {id: m, select: {kind: point}, action: {type: x}}\n" * 500,
        "name: x\nbase_year: 99999999999999999999999\nmeasures: []",
        "name: x\nbase_year: .nan\nmeasures: []",
        "{" * 500 + "}" * 500,
        "[" * 2000 + "]" * 2000,
    ]  # fmt: skip
    outcomes = [_check(case) for case in cases]
    assert outcomes[0] == "rejected" and "accepted" not in outcomes[7:9]


def test_unreadable_scenario_files(tmp_path: Path) -> None:
    for name, payload in [
        ("gbk.yaml", "name: 通辽\n".encode("gbk")),
        ("binary.yaml", bytes(range(256))),
        ("empty.yaml", b""),
    ]:
        path = tmp_path / name
        path.write_bytes(payload)
        try:
            load_scenario(path)
        except ScenarioFileError as exc:
            assert exc.problems
        else:  # pragma: no cover - a failure message
            raise AssertionError(f"{name} was accepted")
    with pytest.raises(ScenarioFileError):
        load_scenario(tmp_path / "missing.yaml")
