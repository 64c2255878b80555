"""Net calorific values (低位发热量) the sample's boiler and kiln rows report.

Deterministic (no draw from the random stream, so adding the column leaves every other number
of the sample unchanged): a base value per fuel, the same heat value the fuel use was computed
from (boilers.py), varied by +/-4 % per unit with a checksum of its credit code and unit id,
as analyses of delivered coal vary. Assumptions, see docs/sample-data.md:
- 燃煤 in power plants: lignite from the 霍林郭勒 field at 14.0 MJ/kg (the 14 GJ/t of the
  power-plant fuel use); in industrial and heating boilers and kilns a blend at 20.0 MJ/kg (the
  20 GJ/t of the boiler fuel use);
- 生物质 (corn stalk and cob briquettes) 15.0 MJ/kg; 焦炭 28.4 MJ/kg; 柴油 42.7 MJ/kg;
- 天然气 35.6 MJ/m3; 焦炉煤气 17.0 MJ/m3.
Electricity has no calorific value: the cell stays blank.
"""

from __future__ import annotations

import zlib

from .model import Boiler, Kiln

__all__ = ["BASE_NCV", "ncv_of"]

# (fuel, unit type or "" for any) -> MJ per kg, or per m3 for gases
BASE_NCV: dict[tuple[str, str], float] = {
    ("燃煤", "电站锅炉"): 14.0,
    ("燃煤", ""): 20.0,
    ("生物质", ""): 15.0,
    ("焦炭", ""): 28.4,
    ("柴油", ""): 42.7,
    ("天然气", ""): 35.6,
    ("焦炉煤气", ""): 17.0,
}


def ncv_of(credit_code: str, unit: Boiler | Kiln) -> float | None:
    """The unit's reported NCV (MJ/kg or MJ/m3, two decimals), None where none applies."""
    if unit.fuel is None or unit.fuel_use is None:
        return None
    unit_type = unit.unit_type if isinstance(unit, Boiler) else ""
    base = BASE_NCV.get((unit.fuel, unit_type), BASE_NCV.get((unit.fuel, "")))
    if base is None:
        return None
    spread = zlib.crc32(f"{credit_code}/{unit.unit_id}".encode()) % 81 / 1000.0 - 0.04
    return round(base * (1.0 + spread), 2)
