"""Column names, vocabulary and defaults of the frames the calculation core reads and writes.

The contract is written out in ``docs/methods.md``. Input frames may leave out optional
columns (selectors, method parameters, size class); they are filled with ``None`` or NaN here,
once, so that the rest of the core can rely on every column being present.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from inventory.errors import CalcInputError

__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_CROP_OUTPUT",
    "ACTIVITY_MACHINES",
    "ACTIVITY_POPULATION",
    "BASIS_CONTROLLED",
    "BASIS_PARAMETER",
    "BASIS_UNCONTROLLED",
    "CONTROL_COLUMNS",
    "EFFICIENCY_COLUMNS",
    "EMISSION_COLUMNS",
    "FACTOR_COLUMNS",
    "GAP_COLUMNS",
    "GAP_NO_ACTIVITY",
    "GAP_NO_FACTOR",
    "GAP_NO_NCV",
    "MATCH_SELECTORS",
    "MEASURED_COLUMNS",
    "METHODS",
    "METHOD_EMISSION_FACTOR",
    "METHOD_MASS_BALANCE",
    "METHOD_MEASURED",
    "SELECTORS",
    "prepare",
]

METHOD_MEASURED: Final = "measured"
METHOD_MASS_BALANCE: Final = "mass_balance"
METHOD_EMISSION_FACTOR: Final = "emission_factor"
METHODS: Final = (METHOD_MEASURED, METHOD_MASS_BALANCE, METHOD_EMISSION_FACTOR)
"""Methods in order of preference, best first."""

GAP_NO_FACTOR: Final = "no_factor"
GAP_NO_ACTIVITY: Final = "no_activity"
GAP_NO_NCV: Final = "no_ncv"
"""A per-GJ factor applies but the fuel's net calorific value is unknown (no ``ncv_mj`` on the
activity and no ``ncv`` parameter for it)."""

BASIS_UNCONTROLLED: Final = "uncontrolled"
BASIS_CONTROLLED: Final = "controlled"
BASIS_PARAMETER: Final = "parameter"

ACTIVITY_POPULATION: Final = "population"
"""On-road fleet: quantity is a vehicle count; activity = count x km_per_vehicle (km)."""
ACTIVITY_MACHINES: Final = "machine_count"
"""Non-road, power-based: activity = count x power_kw x hours x load_factor (kWh)."""
ACTIVITY_CROP_OUTPUT: Final = "crop_output"
"""Open straw burning: activity = crop output x straw_grain_ratio x burned_fraction x
combustion_efficiency (mass of straw burned), parameters from the factor table."""

SELECTORS: Final = ("fuel", "technology", "product", "vehicle_class", "standard")
"""Factor attributes that select a factor; ``None`` on a factor row is a wildcard."""

MATCH_SELECTORS: Final = ("activity_type", *SELECTORS)
"""What the matcher compares: the selectors plus ``activity_type`` (what the activity counts:
``output``, ``fuel_use``, ``material_use``...). A factor's empty activity_type matches any."""

_STR = "str"
_FLOAT = "float"
_INT = "int"

# (column, kind, required)
ACTIVITY_COLUMNS: Final = (
    ("activity_id", _INT, True),
    ("source_id", _INT, True),
    ("kind", _STR, False),
    ("class_code", _STR, True),
    ("activity_type", _STR, False),
    ("quantity", _FLOAT, True),
    ("unit", _STR, True),
    *((name, _STR, False) for name in SELECTORS),
    ("size_value", _FLOAT, False),
    ("size_unit", _STR, False),
    ("sulfur_pct", _FLOAT, False),
    ("ash_pct", _FLOAT, False),
    ("voc_content_pct", _FLOAT, False),
    ("km_per_vehicle", _FLOAT, False),
    ("power_kw", _FLOAT, False),
    ("hours", _FLOAT, False),
    ("load_factor", _FLOAT, False),
    ("ncv_mj", _FLOAT, False),
)
FACTOR_COLUMNS: Final = (
    ("factor_id", _INT, True),
    ("priority", _INT, False),
    ("class_code", _STR, True),
    ("pollutant", _STR, False),
    ("activity_type", _STR, False),
    *((name, _STR, False) for name in SELECTORS),
    ("size_min", _FLOAT, False),
    ("size_max", _FLOAT, False),
    ("size_unit", _STR, False),
    ("value", _FLOAT, True),
    ("unit", _STR, False),
    ("basis", _STR, False),
    ("source", _STR, False),
)
EFFICIENCY_COLUMNS: Final = (
    ("technology", _STR, True),
    ("pollutant", _STR, True),
    ("efficiency", _FLOAT, True),
    ("source", _STR, False),
)
CONTROL_COLUMNS: Final = (
    ("source_id", _INT, True),
    ("technology", _STR, True),
    ("pollutant", _STR, False),
    ("efficiency", _FLOAT, False),
    ("operating_rate", _FLOAT, False),
    ("capture", _FLOAT, False),
)
MEASURED_COLUMNS: Final = (
    ("source_id", _INT, True),
    ("pollutant", _STR, True),
    ("quantity", _FLOAT, True),
    ("unit", _STR, True),
    ("method", _STR, False),
)
EMISSION_COLUMNS: Final = (
    "activity_id",
    "source_id",
    "pollutant",
    "emissions_t",
    "uncontrolled_t",
    "method",
    "replaced_method",
    "factor_id",
    "factor_value",
    "factor_unit",
    "factor_source",
    "activity_value",
    "activity_unit",
    "control_technology",
    "control_efficiency",
)
GAP_COLUMNS: Final = ("activity_id", "source_id", "pollutant", "reason", "message")

_DEFAULTS: Final[dict[str, Any]] = {"priority": 0, "basis": BASIS_UNCONTROLLED}


def prepare(frame: Any, columns: tuple[tuple[str, str, bool], ...], table: str) -> Any:
    """The input frame with every contract column present and typed, extra columns dropped.

    ``None`` stands for an absent table. Raises :class:`CalcInputError` when a required column
    is missing. Strings stay as they are (object or categorical); numbers become float64 or
    int64; a missing optional column is filled with None, NaN or its default.
    """
    if frame is None or (len(frame) == 0 and len(frame.columns) == 0):
        frame = pd.DataFrame({name: pd.Series([], dtype=object) for name, _, _ in columns})
    missing = [name for name, _, required in columns if required and name not in frame.columns]
    if missing:
        raise CalcInputError(table, f"missing column(s) {', '.join(missing)}")
    out: dict[str, Any] = {}
    n = len(frame)
    for name, kind, _ in columns:
        if name not in frame.columns:
            default = _DEFAULTS.get(name)
            if kind == _FLOAT:
                out[name] = np.full(n, np.nan)
            elif kind == _INT:
                out[name] = np.full(n, 0 if default is None else default, dtype=np.int64)
            else:
                out[name] = pd.Series([default] * n, dtype=object).array
            continue
        column = frame[name]
        if kind == _FLOAT and column.dtype == np.float64:
            out[name] = column.to_numpy()  # already float64: the caller's array, no copy
        elif kind == _FLOAT:
            out[name] = pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64)
        elif kind == _INT and column.dtype == np.int64:
            out[name] = column.to_numpy()
        elif kind == _INT:
            values = pd.to_numeric(column, errors="raise")
            if values.isna().any():
                if name in _DEFAULTS:
                    values = values.fillna(_DEFAULTS[name])
                else:
                    raise CalcInputError(table, f"column {name} has empty cells")
            out[name] = values.to_numpy(dtype=np.int64)
        else:
            out[name] = column.array  # no copy, no index alignment
    # The arrays are the caller's or new: no copy, and a fresh 0..n-1 index.
    result = pd.DataFrame(out, copy=False)
    return result
