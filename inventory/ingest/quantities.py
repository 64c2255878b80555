"""The quantity column converter: a number with its unit from the header, a units row or a unit
column beside it; the unit must parse and measure an allowed dimension (for fuel use, the one
its fuel is counted in: factors/layouts/fuel_dimensions.csv)."""

from __future__ import annotations

import pandas as pd

from inventory.errors import UnknownUnit
from inventory.ingest.cellchecks import log_cells
from inventory.ingest.coerce import to_text
from inventory.ingest.converters import convert_number
from inventory.ingest.headers import Binding
from inventory.ingest.layouts import ColumnSpec, read_data_csv
from inventory.resources import factors_path
from inventory.units import normalise_unit_text, parse_unit

__all__ = ["convert_quantity"]


def convert_quantity(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    convert_number(name, binding, raw, out, bad, rows, mapped, log, context)
    values = out[name]
    if binding.unit:
        units = pd.Series(binding.unit, index=raw.index, dtype=object)
        unit_letter, unit_raw = binding.letter, units
    elif binding.unit_column is not None:
        unit_raw = mapped.raw.grid.loc[raw.index, binding.unit_column]
        units = to_text(unit_raw)
        unit_letter = _letter(binding.unit_column)
    else:
        units = pd.Series(None, index=raw.index, dtype=object)
        unit_letter, unit_raw = binding.letter, units
    unit_binding = Binding(binding.spec, binding.index, binding.raw_header, binding.unit)
    if binding.unit_column is not None:
        unit_binding = Binding(binding.spec, binding.unit_column, "计量单位", None)
    missing = values.notna() & units.isna()
    log_cells(
        log,
        "unit.missing",
        missing,
        binding,
        raw,
        rows,
        mapped,
        bad,
        f"{binding.spec.header} has no unit.",
        f"Write the unit in the header ({binding.spec.header}（{binding.spec.example_unit or '吨'}）) or in a 计量单位 column.",
    )
    normalised = pd.Series(None, index=raw.index, dtype=object)
    filled = units.notna() & values.notna()
    fuel = out["fuel"] if "fuel" in out.columns and name == "fuel_use" else None
    pairs = pd.DataFrame(
        {"unit": units[filled], "fuel": fuel[filled] if fuel is not None else None}
    )
    for (unit, fuel_name), group in pairs.groupby(["unit", "fuel"], dropna=False, sort=False):
        problem = _unit_problem(
            str(unit), binding.spec, None if pd.isna(fuel_name) else str(fuel_name)
        )
        if problem is None:
            normalised[group.index] = normalise_unit_text(str(unit))
            continue
        rule, message, hint = problem
        mask = pd.Series(False, index=raw.index)
        mask[group.index] = True
        log_cells(log, rule, mask, unit_binding, unit_raw, rows, mapped, bad, message, hint)
    del unit_letter
    out[f"{name}_unit"] = normalised


def _letter(index: int) -> str:
    from inventory.ingest.problems import column_letter

    return column_letter(index)


_DIMENSION_REFERENCE = {
    "mass": "kg",
    "volume": "m3",
    "energy": "kJ",
    "count": None,
    "area": "m**2",
    "length": "m",
    "energy/mass": "kJ/kg",
    "energy/volume": "kJ/m3",
}


def _fuel_dimensions() -> dict[str, tuple[str, ...]]:
    if not hasattr(_fuel_dimensions, "cache"):
        rows = read_data_csv(factors_path("layouts", "fuel_dimensions.csv"))
        _fuel_dimensions.cache = {r["fuel"]: tuple(r["dimensions"].split("|")) for r in rows}  # type: ignore[attr-defined]
    return _fuel_dimensions.cache  # type: ignore[attr-defined,no-any-return]


def _unit_problem(unit: str, spec: ColumnSpec, fuel: str | None) -> tuple[str, str, str] | None:
    try:
        quantity = parse_unit(unit)
    except UnknownUnit as exc:
        return "unit.unknown", f"{unit!r} is not a unit this tool knows.", exc.hint
    allowed = _fuel_dimensions().get(fuel or "", spec.dimensions) if fuel else spec.dimensions
    if not allowed or "any" in allowed:
        return None
    for dimension in allowed:
        reference = _DIMENSION_REFERENCE.get(dimension)
        if reference is None:
            if (
                dimension == "count"
                and not quantity.dimensionless
                and all(
                    str(d) in ("[vehicle]", "[machine]", "[animal]", "[enterprise]")
                    for d in quantity.dimensionality
                )
            ):
                return None
            continue
        if quantity.dimensionality == parse_unit(reference).dimensionality:
            return None
    examples = {
        "mass": "吨 or 万吨",
        "volume": "立方米 or 万立方米",
        "energy": "万千瓦时 or 吨标准煤",
        "count": "台 or 辆",
        "energy/mass": "MJ/kg or kcal/kg",
        "energy/volume": "MJ/m3",
    }
    expected = " or ".join(examples.get(d, d) for d in allowed)
    subject = f"{fuel} " if fuel else ""
    return (
        "unit.dimension",
        f"{subject}{spec.header} in {unit!r}: the unit measures the wrong thing.",
        f"Expected a unit like {expected}.",
    )
