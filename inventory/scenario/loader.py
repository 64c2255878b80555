"""Read a scenario YAML file into a :class:`Scenario`, collecting every problem at once.

Unknown fields (with a did-you-mean), wrong types, fractions past 100 %, unknown pollutants or
standards, duplicate measure ids: each becomes one line of a :class:`ScenarioFileError`. A
parameter written as ``null`` on purpose ("the user fills this in") is not an error: the measure
is kept and reported as skipped until it is filled in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from inventory.errors import ScenarioFileError
from inventory.scenario.model import (
    CATEGORICAL_SELECTORS,
    RANGE_SELECTORS,
    ControlCondition,
    Measure,
    Range,
    Scenario,
    Selector,
    Target,
    WithinCondition,
)
from inventory.scenario.vocabulary import canonical_pollutant, canonical_standard

__all__ = ["ACTION_FIELDS", "load_scenario", "parse_scenario"]

_TOP_FIELDS = {"name", "base_year", "description", "plan", "targets", "measures"}
_MEASURE_FIELDS = {"id", "name", "plan", "note", "select", "action"}
_TARGET_FIELDS = {"pollutant", "reduction_t", "county", "note"}
_SELECTOR_FIELDS = {*CATEGORICAL_SELECTORS, *RANGE_SELECTORS, "class", "control", "within_km"}


class _Problems:
    """Collects problems with where they were found."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def unknown_fields(self, where: str, given: dict[str, Any], allowed: set[str]) -> None:
        for key in given:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                allowed_text = ", ".join(sorted(allowed))
                self.add(where, f"unknown field {key!r}{hint}; allowed: {allowed_text}")


# --- field converters: each returns the value or raises ValueError with a plain message ------


def _fraction(value: Any) -> float:
    """A fraction 0-1 from ``0.95`` or ``"95%"``; anything past 100 % is an error."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = float(value.strip().rstrip("%")) / 100.0
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a fraction such as 0.9 or '90%', got {value!r}")
    else:
        number = float(value)
        if number > 1:
            raise ValueError(
                f"{value!r} is past 100 %; write a fraction (0.9) or a percentage ('90%')"
            )
    if not 0 <= number <= 1:
        raise ValueError(f"{value!r} is outside 0-100 %")
    return number


def _percent(value: Any) -> float:
    """A signed percentage from ``-10`` or ``"-10%"`` (minus ten per cent)."""
    if isinstance(value, str):
        value = value.strip().rstrip("%").replace("−", "-")
        try:
            return float(value)
        except ValueError:
            raise ValueError(
                f"expected a percentage such as -10 or '-10%', got {value!r}"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a percentage such as -10, got {value!r}")
    return float(value)


def _points(value: Any) -> float:
    number = _percent(value)
    if not 0 <= number <= 100:
        raise ValueError(f"{value!r} percentage points is outside 0-100")
    return number


def _positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"expected a non-negative number, got {value!r}")
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
        raise ValueError(f"expected text, got {value!r}")
    return str(value).strip()


def _texts(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(_text(item) for item in items)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _standard(value: Any) -> str:
    canonical = canonical_standard(_text(value))
    if canonical is None:
        raise ValueError(
            f"{value!r} is not an emission standard or stage (国0..国6, 国六, Stage II)"
        )
    return canonical


def _standards(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(_standard(item) for item in items)


def _pollutant(value: Any) -> str:
    canonical = canonical_pollutant(_text(value))
    if canonical is None:
        raise ValueError(f"{value!r} is not one of the nine pollutants")
    return canonical


def _pollutants(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(_pollutant(item) for item in items)


def _limits(value: Any) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        raise ValueError("expected a mapping of pollutant to concentration, e.g. {NOx: 50}")
    return {_pollutant(key): _positive(number) for key, number in value.items()}


Converter = Callable[[Any], Any]
_REQUIRED = object()

ACTION_FIELDS: dict[str, dict[str, tuple[Converter | str, Any]]] = {
    # action -> field -> (converter or "selector", default; _REQUIRED when it must be given)
    "close": {"transfer_to": ("selector", None), "transfer_share": (_fraction, 1.0)},
    "switch_fuel": {
        "to": (_text, _REQUIRED),
        "quantity_ratio": (_positive, None),
        "unit": (_text, None),
        "class": (_text, None),
        "technology": (_text, None),
    },
    "scale": {"percent": (_percent, _REQUIRED)},
    "add_control": {
        "technology": (_text, _REQUIRED),
        "pollutants": (_pollutants, ()),
        "efficiency": (_fraction, None),
        "operating_rate": (_fraction, None),
        "capture": (_fraction, None),
        "replace": (_boolean, False),
    },
    "emission_limit": {"limits": (_limits, _REQUIRED), "concentration_unit": (_text, "mg/m3")},
    "renew_fleet": {
        "to_standard": (_standard, "国6"),
        "to_fuel": (_text, None),
        "from": (_standards, None),
        "share": (_fraction, None),
        "target_share": (_fraction, None),
        "clean_fuels": (_texts, None),
        "clean_standards": (_standards, None),
    },
    "retire_stages": {
        "stages": (_standards, ("国0", "国1")),
        "to_stage": (_standard, "国4"),
        "share": (_fraction, 1.0),
    },
    "substitute_materials": {
        "points": (_points, None),
        "solvent_use_percent": (_points, None),
        "from_type": (_text, "溶剂型"),
        "to_type": (_text, "水性"),
        "to_voc_content_pct": (_points, None),
    },
    "reduce_open_burning": {
        "utilisation_rate": (_fraction, _REQUIRED),
        "baseline_utilisation_rate": (_fraction, _REQUIRED),
    },
}
"""Every action, its fields, their converters and defaults (documented in docs/scenarios.md)."""

_EXACTLY_ONE = {
    "renew_fleet": ("share", "target_share"),
    "substitute_materials": ("points", "solvent_use_percent"),
}


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario YAML file; raises :class:`ScenarioFileError` listing problems."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioFileError(str(file), [f"cannot be read ({exc})"]) from exc
    return parse_scenario(text, str(file))


def parse_scenario(text: str, where: str = "<scenario>") -> Scenario:
    """Parse scenario YAML text (see docs/scenarios.md); raises :class:`ScenarioFileError`."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ScenarioFileError(
            where, [f"not valid YAML{at}: {getattr(exc, 'problem', exc)}"]
        ) from exc
    except RecursionError as exc:  # "[[[[..." thousands deep: PyYAML recurses per level
        raise ScenarioFileError(where, ["nested too deeply to be a scenario file"]) from exc
    problems = _Problems()
    if not isinstance(document, dict):
        raise ScenarioFileError(
            where, ["the file must be a mapping with name, base_year, measures"]
        )
    problems.unknown_fields("scenario", document, _TOP_FIELDS)
    name = _required(problems, "scenario", document, "name", _text)
    base_year = _required(problems, "scenario", document, "base_year", _year)
    targets = _targets(problems, document.get("targets") or [])
    measures = _measures(problems, document.get("measures"))
    if problems.items:
        raise ScenarioFileError(where, problems.items)
    description = document.get("description") or document.get("plan")
    return Scenario(
        name=name,
        base_year=base_year,
        measures=tuple(measures),
        targets=tuple(targets),
        description=str(description).strip() if description else None,
        source_text=text,
    )


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 < value < 2200:
        raise ValueError(f"expected a year such as 2025, got {value!r}")
    return value


def _required(
    problems: _Problems, where: str, mapping: dict[str, Any], key: str, conv: Converter
) -> Any:
    if mapping.get(key) is None:
        problems.add(where, f"{key!r} is required")
        return None
    try:
        return conv(mapping[key])
    except ValueError as exc:
        problems.add(f"{where}.{key}", str(exc))
        return None


def _targets(problems: _Problems, raw: Any) -> list[Target]:
    if not isinstance(raw, list):
        problems.add("targets", "expected a list of targets")
        return []
    targets = []
    for index, item in enumerate(raw):
        where = f"targets[{index}]"
        if not isinstance(item, dict):
            problems.add(where, "expected a mapping with pollutant and reduction_t")
            continue
        problems.unknown_fields(where, item, _TARGET_FIELDS)
        pollutant = _required(problems, where, item, "pollutant", _pollutant)
        reduction = None
        if item.get("reduction_t") is not None:
            reduction = _optional(problems, where, item, "reduction_t", _positive)
        county = _optional(problems, where, item, "county", _county)
        if pollutant is not None:
            targets.append(Target(pollutant, reduction, county, item.get("note")))
    return targets


def _optional(
    problems: _Problems, where: str, mapping: dict[str, Any], key: str, conv: Converter
) -> Any:
    if mapping.get(key) is None:
        return None
    try:
        return conv(mapping[key])
    except ValueError as exc:
        problems.add(f"{where}.{key}", str(exc))
        return None


def _county(value: Any) -> str:
    from inventory.scenario.regions import region_code

    return region_code(_text(value))


def _measures(problems: _Problems, raw: Any) -> list[Measure]:
    if not isinstance(raw, list) or not raw:
        problems.add("scenario", "'measures' must be a non-empty list")
        return []
    measures: list[Measure] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"measures[{index}]"
        if not isinstance(item, dict):
            problems.add(where, "expected a mapping with id, name, select and action")
            continue
        label = str(item.get("id", index))
        where = f"measure {label!r}"
        problems.unknown_fields(where, item, _MEASURE_FIELDS)
        measure_id = _required(problems, where, item, "id", _text)
        if measure_id in seen:
            problems.add(where, "the id is used by an earlier measure; ids must be unique")
        seen.add(measure_id)
        if measure_id is not None and not re.fullmatch(r"[\w.\-\[\]]+", measure_id):
            problems.add(where, "an id may hold letters, digits, '.', '-', '_' and brackets only")
        name = _optional(problems, where, item, "name", _text) or measure_id
        selector = _selector(problems, f"{where}.select", item.get("select") or {})
        action, params = _action(problems, f"{where}.action", item.get("action"))
        if measure_id is None or action is None:
            continue
        measures.append(
            Measure(
                id=measure_id,
                name=name,
                action=action,
                select=selector,
                params=params,
                plan=str(item["plan"]) if item.get("plan") is not None else None,
                note=item.get("note"),
            )
        )
    return measures


def _selector(problems: _Problems, where: str, raw: Any) -> Selector:
    if not isinstance(raw, dict):
        problems.add(where, "expected a mapping of selector fields")
        return Selector()
    problems.unknown_fields(where, raw, _SELECTOR_FIELDS)
    values: dict[str, tuple[str, ...]] = {}
    ranges: dict[str, Range] = {}
    classes: tuple[str, ...] = ()
    control = within = None
    for key, value in raw.items():
        try:
            if key in CATEGORICAL_SELECTORS:
                values[key] = _selector_values(key, value)
            elif key in RANGE_SELECTORS:
                ranges[key] = _range(value)
            elif key == "class":
                classes = tuple(_class_code(item) for item in _texts(value))
            elif key == "control":
                control = _control(value)
        except ValueError as exc:
            problems.add(f"{where}.{key}", str(exc))
    if "within_km" in raw:
        within = _within(problems, f"{where}.within_km", raw["within_km"])
    return Selector(values, classes, ranges, control, within)


def _selector_values(key: str, value: Any) -> tuple[str, ...]:
    if key in ("standard", "stage"):
        return _standards(value)
    if key == "county":
        return tuple(_county(item) for item in _texts(value))
    if key == "kind":
        kinds = _texts(value)
        for kind in kinds:
            if kind not in ("point", "mobile", "nonroad", "area"):
                raise ValueError(f"{kind!r} is not a source kind (point, mobile, nonroad, area)")
        return kinds
    return _texts(value)


def _class_code(text: str) -> str:
    if not re.fullmatch(r"(\d\d){1,4}", text):
        raise ValueError(f"{text!r} is not a classification code (two digits per level, e.g. 0102)")
    return text


def _range(value: Any) -> Range:
    if not isinstance(value, dict) or not value:
        raise ValueError("expected a range such as {below: 35} or {min: 10, max: 65}")
    unknown = set(value) - {"min", "max", "above", "below"}
    if unknown:
        raise ValueError(f"unknown range bound(s) {sorted(unknown)}; use min, max, above, below")
    return Range(**{key: _positive(number) for key, number in value.items()})


def _control(value: Any) -> ControlCondition:
    if isinstance(value, bool):
        return ControlCondition(present=value)
    if not isinstance(value, dict):
        raise ValueError(
            "expected true/false or {present: false, technology: [...], pollutant: NOx}"
        )
    unknown = set(value) - {"present", "technology", "pollutant"}
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}; use present, technology, pollutant")
    return ControlCondition(
        present=_boolean(value.get("present", True)),
        technologies=_texts(value["technology"]) if "technology" in value else (),
        pollutants=_pollutants(value["pollutant"]) if "pollutant" in value else (),
    )


def _within(problems: _Problems, where: str, value: Any) -> WithinCondition | None:
    if not isinstance(value, dict) or set(value) != {"distance", "of"}:
        problems.add(where, "expected {distance: 15, of: {<selector>}}")
        return None
    try:
        distance = _positive(value["distance"])
    except ValueError as exc:
        problems.add(f"{where}.distance", str(exc))
        return None
    return WithinCondition(distance, _selector(problems, f"{where}.of", value["of"]))


def _action(problems: _Problems, where: str, raw: Any) -> tuple[str | None, dict[str, Any]]:
    if isinstance(raw, str):
        raw = {"type": raw}
    if not isinstance(raw, dict) or "type" not in raw:
        problems.add(where, f"expected {{type: ...}} with type one of {', '.join(ACTION_FIELDS)}")
        return None, {}
    action = str(raw["type"])
    if action not in ACTION_FIELDS:
        close = difflib.get_close_matches(action, list(ACTION_FIELDS), n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.add(where, f"unknown action {action!r}{hint}; one of {', '.join(ACTION_FIELDS)}")
        return None, {}
    spec = ACTION_FIELDS[action]
    problems.unknown_fields(where, {k: v for k, v in raw.items() if k != "type"}, set(spec))
    params: dict[str, Any] = {"unfilled": ()}
    unfilled: list[str] = []
    for key, (conv, default) in spec.items():
        if key not in raw:
            if default is _REQUIRED:
                problems.add(where, f"{key!r} is required for {action}")
            params[key] = None if default is _REQUIRED else default
            continue
        if raw[key] is None:  # written as null on purpose: the user fills it in
            params[key] = None
            if default is _REQUIRED:
                unfilled.append(key)
            continue
        try:
            params[key] = (
                _selector(problems, f"{where}.{key}", raw[key])
                if conv == "selector"
                else conv(raw[key])  # type: ignore[operator]
            )
        except ValueError as exc:
            problems.add(f"{where}.{key}", str(exc))
    params["unfilled"] = tuple(unfilled)
    pair = _EXACTLY_ONE.get(action)
    if pair and sum(params.get(key) is not None for key in pair) != 1:
        problems.add(where, f"give exactly one of {pair[0]!r} and {pair[1]!r}")
    return action, params
