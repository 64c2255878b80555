"""The net calorific value column (低位发热量): stored in MJ/kg (solid and liquid fuels) or MJ/m3
(gases), whichever the row's fuel is counted in.

The census form G103-1 heads the column "低位发热量（兆焦/千克 或 兆焦/立方米）": one column for
every fuel, its unit following the fuel. So a header without a unit, or with both
(``MJ/kg或MJ/m3``), means MJ per the fuel's own unit of count (t -> MJ/kg, m3 -> MJ/m3); an
explicit unit (kJ/kg, kcal/kg, MJ/m3...) is converted. The calculation multiplies fuel use by
this value for factors per unit of energy (g/GJ), so a wrong unit would silently scale
emissions: the value must be plausible once converted (``5000`` in MJ/kg is a kcal/kg figure),
and a per-kg value cannot stand beside fuel counted in m3, nor a per-m3 value beside tonnes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.errors import UnknownUnit
from inventory.ingest.cellchecks import log_cells
from inventory.ingest.converters import convert_number
from inventory.units import conversion_factor, parse_unit

__all__ = ["NCV_RANGES", "convert_calorific"]

NCV_RANGES: dict[str, tuple[float, float]] = {"MJ/kg": (1.0, 60.0), "MJ/m3": (1.0, 100.0)}
"""Plausible bands once converted. Why these: lignite and wet biomass are above 5 MJ/kg and
fuel oil, diesel and LPG below 50 MJ/kg; blast-furnace gas is about 3 MJ/m3, natural gas about
35 and LPG vapour about 100 MJ/m3. Outside the band the unit is almost surely wrong."""

_EITHER = ("或", "|", "、", "／")


def _target(unit: str) -> str | None:
    """MJ/kg or MJ/m3, whichever ``unit`` converts to (None for neither)."""
    dimensionality = parse_unit(unit).dimensionality
    for target in NCV_RANGES:
        if dimensionality == parse_unit(target).dimensionality:
            return target
    return None


def _counted_basis(unit: object) -> str | None:
    """``MJ/kg`` for fuel counted by mass, ``MJ/m3`` by volume, None otherwise (energy, blank)."""
    if not isinstance(unit, str):
        return None
    try:
        dimensionality = parse_unit(unit).dimensionality
    except UnknownUnit:
        return None
    if dimensionality == parse_unit("kg").dimensionality:
        return "MJ/kg"
    if dimensionality == parse_unit("m3").dimensionality:
        return "MJ/m3"
    return None


def convert_calorific(name, binding, raw, out, bad, rows, mapped, log, context) -> None:  # type: ignore[no-untyped-def]
    """``out[name]`` in MJ/kg or MJ/m3 and ``out[name + "_unit"]`` saying which."""
    convert_number(name, binding, raw, out, bad, rows, mapped, log, context)
    written = out[name]
    spec = binding.spec
    counted_column = next((c for c in ("fuel_use_unit", "activity_unit") if c in out.columns), None)
    counted = (
        out[counted_column].map(_counted_basis)
        if counted_column is not None
        else pd.Series(None, index=raw.index, dtype=object)
    )
    header_unit = (binding.unit or "").strip()
    by_fuel = not header_unit or any(mark in header_unit for mark in _EITHER)
    values = pd.Series(np.nan, index=raw.index)
    basis = pd.Series(None, index=raw.index, dtype=object)
    if by_fuel:
        basis = counted.copy()
        values = written.where(basis.notna())
        missing = written.notna() & basis.isna()
        log_cells(
            log, "unit.missing", missing, binding, raw, rows, mapped, bad,
            f"{spec.header} has no unit, and the fuel use is not counted in t or m3.",
            f"Write the unit in the header: {spec.header}（MJ/kg）.",
        )  # fmt: skip
    else:
        problem = _header_problem(header_unit)
        if problem is not None:
            rule, message, hint = problem
            log_cells(log, rule, written.notna(), binding, raw, rows, mapped, bad, message, hint)
            out[name], out[f"{name}_unit"] = values, basis
            return
        target = _target(header_unit)
        assert target is not None
        values = written * conversion_factor(header_unit, target, spec.header)
        basis = pd.Series(target, index=raw.index, dtype=object).where(written.notna(), None)
        other = values.notna() & counted.notna() & (counted != basis)
        log_cells(
            log, "unit.dimension", other, binding, raw, rows, mapped, bad,
            f"{spec.header} is given in {header_unit} but the fuel use is counted the other way "
            "(by mass for MJ/kg, by volume for MJ/m3).",
            "Give the NCV of a gas per m3 (MJ/m3) and of a solid or liquid fuel per kg (MJ/kg).",
        )  # fmt: skip
    _check_plausible(values, basis, binding, raw, rows, mapped, log, bad)
    out[name] = values
    out[f"{name}_unit"] = basis


def _header_problem(unit: str) -> tuple[str, str, str] | None:
    try:
        target = _target(unit)
    except UnknownUnit as exc:
        return "unit.unknown", f"{unit!r} is not a unit this tool knows.", exc.hint
    if target is None:
        return (
            "unit.dimension",
            f"A calorific value in {unit!r}: the unit measures the wrong thing.",
            "Expected a unit like MJ/kg, kJ/kg, kcal/kg or MJ/m3.",
        )
    return None


def _check_plausible(values, basis, binding, raw, rows, mapped, log, bad) -> None:  # type: ignore[no-untyped-def]
    low = basis.map(lambda b: NCV_RANGES[b][0] if isinstance(b, str) else np.nan)
    high = basis.map(lambda b: NCV_RANGES[b][1] if isinstance(b, str) else np.nan)
    implausible = values.notna() & ((values < low) | (values > high))
    message = basis.map(
        lambda b: (
            f"{binding.spec.header} must be between {NCV_RANGES[b][0]:g} and "
            f"{NCV_RANGES[b][1]:g} {b} once converted."
            if isinstance(b, str)
            else ""
        )
    )
    log_cells(
        log, "value.out_of_range", implausible, binding, raw, rows, mapped, bad, message,
        "Is the unit right? 5000 is a kcal/kg figure (20.9 MJ/kg); write the unit in the header.",
    )  # fmt: skip
