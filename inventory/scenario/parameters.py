"""Method parameters a measure reads from the factor library: flue-gas volume per unit of fuel
(for emission limits) and net calorific values (for fuel switches).

They are parameter rows of the factors frame (``basis == "parameter"``, the parameter name in
``product``). The library, not this module, holds the numbers and their published sources; when
a value is missing the measure reports a gap instead of inventing one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "CALORIFIC_VALUE_NAMES",
    "FLUE_GAS_VOLUME_NAMES",
    "Parameter",
    "calorific_value",
    "flue_gas_volume",
]

FLUE_GAS_VOLUME_NAMES = ("flue_gas_volume", "烟气量", "基准烟气量")
CALORIFIC_VALUE_NAMES = ("net_calorific_value", "低位发热量")


@dataclass(frozen=True)
class Parameter:
    """One parameter value with its unit (``m3/kg``, ``kJ/kg``...) and published source."""

    value: float
    unit: str
    source: str

    @property
    def per_unit(self) -> str:
        """The unit of the thing the parameter is per (``kJ/kg`` -> ``kg``)."""
        return self.unit.rsplit("/", 1)[-1].strip()


def _candidates(factors: pd.DataFrame | None, names: tuple[str, ...]) -> pd.DataFrame:
    if factors is None or factors.empty or "product" not in factors.columns:
        return pd.DataFrame()
    rows = factors["product"].isin(names)
    if "basis" in factors.columns:
        rows &= factors["basis"] == "parameter"
    return factors.loc[rows]


def _best(rows: pd.DataFrame, class_code: str | None, fuel: str | None) -> Parameter | None:
    if rows.empty:
        return None
    fuels = rows["fuel"] if "fuel" in rows.columns else pd.Series(None, index=rows.index)
    fits = fuels.isna() | (fuels == fuel)
    codes = (
        rows["class_code"].fillna("").astype(str)
        if "class_code" in rows.columns
        else pd.Series("", index=rows.index)
    )
    if class_code is not None:
        fits &= pd.Series([str(class_code).startswith(code) for code in codes], index=rows.index)
    chosen = rows.loc[fits].assign(
        _code_len=codes[fits].str.len(),
        _fuel_specific=fuels[fits].notna(),
        _priority=rows.loc[fits, "priority"] if "priority" in rows.columns else 0,
    )
    if chosen.empty:
        return None
    best = chosen.sort_values(["_code_len", "_fuel_specific", "_priority"], ascending=False).iloc[0]
    return Parameter(float(best["value"]), str(best["unit"]), str(best.get("source", "")))


def flue_gas_volume(
    factors: pd.DataFrame | None, class_code: str | None, fuel: str | None
) -> Parameter | None:
    """Flue-gas volume per unit of fuel for a class and fuel (most specific row), or None."""
    return _best(_candidates(factors, FLUE_GAS_VOLUME_NAMES), class_code, fuel)


def calorific_value(factors: pd.DataFrame | None, fuel: str) -> Parameter | None:
    """Net calorific value of a fuel (energy per unit of fuel), or None when not published."""
    rows = _candidates(factors, CALORIFIC_VALUE_NAMES)
    if rows.empty or "fuel" not in rows.columns:
        return None
    return _best(rows.loc[rows["fuel"] == fuel], None, fuel)
