"""The one unit registry: survey spellings, every unit string shipped under factors/, species."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pint
import pytest

from inventory.errors import UnitMismatch, UnknownUnit
from inventory.resources import factors_path
from inventory.units import conversion_factor, emission_quantity, emission_unit, parse_unit

# Words that the layouts use in a unit column to list allowed dimensions, not units.
_DIMENSION_WORDS = {
    "any",
    "mass",
    "volume",
    "energy",
    "count",
    "power",
    "length",
    "area",
    "energy/mass",  # calorific values: per kg of a solid or liquid fuel
    "energy/volume",  # ... or per m3 of a gas
}


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("吨", "t", 1.0),
        ("万吨", "t", 1e4),
        ("千克", "t", 1e-3),
        ("kt", "t", 1e3),
        ("10^4 t", "t", 1e4),
        ("10^4t", "t", 1e4),
        ("立方米", "m3", 1.0),
        ("万立方米", "m3", 1e4),
        ("标立方米", "m3", 1.0),
        ("万标立方米", "Nm3", 1e4),
        ("10^4 m3", "m3", 1e4),
        ("Nm3", "m3", 1.0),
        ("千瓦时", "kWh", 1.0),
        ("万千瓦时", "kWh", 1e4),
        ("吨标准煤", "GJ", 29.3076),
        ("tce", "GJ", 29.3076),
        ("蒸吨/小时", "MW", 0.7),
        ("t/h", "MW", 0.7),
        ("万千瓦", "MW", 10.0),
        ("MW", "kW", 1e3),
        ("公里", "km", 1.0),
        ("万公里", "km", 1e4),
        ("veh-km", "km", 1.0),
        ("辆", "vehicle", 1.0),
        ("万辆", "vehicle", 1e4),
        ("台", "machine", 1.0),
        ("头", "head", 1.0),
        ("只", "head", 1.0),
        ("head", "头", 1.0),
        ("亩", "m**2", 666.6666666666666),
        ("公顷", "亩", 15.0),
        ("%", "fraction", 0.01),
        ("％", "fraction", 0.01),
        ("kg/10^4 m3", "g/m3", 0.1),
        ("kg/万m3", "g/m3", 0.1),
        ("g/hp-hr", "g/kWh", 1 / 0.745699872),
    ],
)
def test_survey_spellings_convert(text: str, target: str, expected: float) -> None:
    assert conversion_factor(text, target) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    "text",
    [
        "ton",  # US short ton
        "tons",
        "T",  # tesla
        "mt",  # milli-tonne
        "nm3",  # nano cubic metre
        "kgs",
        "KG",
        "吨吨",
        "万万吨",
        "10^4",  # a number, no unit
        "1000",
        "",
        "kg/",
        "/t",
        "吨/年/",
    ],
)
def test_known_bad_spellings_fail(text: str) -> None:
    with pytest.raises(UnknownUnit):
        parse_unit(text)


def test_dimension_mismatch_is_a_unit_error_naming_both_units() -> None:
    with pytest.raises(UnitMismatch) as caught:
        conversion_factor("kg/t", "kg/m3", "factor 7")
    assert "factor 7" in str(caught.value)
    assert "kg/t" in str(caught.value) and "kg/m3" in str(caught.value)


def test_counted_things_do_not_mix() -> None:
    with pytest.raises(UnitMismatch):
        conversion_factor("辆", "头")


def test_emission_masses_are_species_aware() -> None:
    nox = emission_quantity([1.0, 2.0], "NOx", "kg")
    assert np.allclose(nox.to("t_NOx").magnitude, [0.001, 0.002])
    assert emission_unit("PM2.5") == "t_PM2_5"
    with pytest.raises(pint.DimensionalityError):
        emission_quantity(1.0, "NOx") + emission_quantity(1.0, "SO2")
    with pytest.raises(pint.DimensionalityError):
        emission_quantity(1.0, "VOCs") + emission_quantity(1.0, "NMVOC")
    total = emission_quantity(1.0, "NOx") + emission_quantity(500.0, "NOx", "kg")
    assert total.to("t_NOx").magnitude == pytest.approx(1.5)
    with pytest.raises(UnknownUnit):
        emission_unit("CO2e")


def _unit_cells() -> list[tuple[str, str]]:
    """(where, unit text) of every unit cell in the CSV files shipped under factors/."""
    cells: list[tuple[str, str]] = []
    root = factors_path()
    for path in sorted(Path(root).rglob("*.csv")):
        if path.name == "unit_aliases.csv":
            continue
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
        for number, row in enumerate(rows, start=2):
            for column, value in row.items():
                if not column or value is None or not value.strip():
                    continue
                if not (column == "unit" or column.endswith("_unit")):
                    continue
                if row.get("type") in ("quantity", "calorific") and column == "unit":
                    continue  # a list of allowed dimensions (layouts), checked below
                if set(value.split("|")) <= _DIMENSION_WORDS:
                    continue
                cells.append((f"{path.relative_to(root)}:{number}:{column}", value))
    return cells


def test_every_unit_string_under_factors_parses() -> None:
    cells = _unit_cells()
    assert cells, "no unit columns found under factors/"
    bad = []
    for where, text in cells:
        try:
            parse_unit(text)
        except UnknownUnit:
            bad.append(f"{where}: {text!r}")
    assert not bad, "unparsable units:\n" + "\n".join(bad)


def test_aliases_point_at_units_the_registry_knows() -> None:
    with factors_path("unit_aliases.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    for row in rows:
        parse_unit(row["alias"])
        parse_unit(row["unit"])
