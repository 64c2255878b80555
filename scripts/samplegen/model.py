"""Plain records of the sample's point sources (one class per survey sheet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["Boiler", "Facility", "Kiln", "Tank", "VocUse"]


@dataclass
class Boiler:
    """A boiler or gas turbine (sheet 锅炉); fuel_use in fuel_unit (a Chinese unit word)."""

    unit_id: str
    unit_type: str
    firing: str
    capacity_tph: float
    hours: float
    fuel: str
    fuel_use: float
    fuel_unit: str
    stack_id: str
    stack_height_m: float
    commissioned: date
    capacity_mw: float | None = None
    sulfur_pct: float | None = None
    ash_pct: float | None = None
    desulf: str = "无"
    denox: str = "无"
    dust: str = "无"
    low_nox: str = "否"
    operating_rate: float | None = None
    decommissioned: date | None = None
    # Measured (CEMS) concentrations in mg/m3 and flue gas in Nm3 per kg (or per m3) of fuel;
    # empty for units without continuous monitoring.
    cems_mg_m3: dict[str, float] = field(default_factory=dict)
    flue_gas_per_unit_fuel: float = 0.0


@dataclass
class Kiln:
    """A kiln or industrial process line (sheet 炉窑与工艺); output in 万吨 of product."""

    unit_id: str
    process: str
    product: str
    output_10kt: float
    stack_id: str
    stack_height_m: float
    commissioned: date
    fuel: str | None = None
    fuel_use: float | None = None
    fuel_unit: str | None = None
    desulf: str = "无"
    denox: str = "无"
    dust: str = "无"
    operating_rate: float | None = None
    decommissioned: date | None = None
    cems_mg_m3: dict[str, float] = field(default_factory=dict)
    flue_gas_per_unit_fuel: float = 0.0


@dataclass
class VocUse:
    """Use of one VOC-containing material on one line (sheet 含VOCs原辅材料), use in t."""

    unit_id: str
    material: str
    solvent_type: str
    use_t: float
    voc_content_pct: float
    capture_pct: float | None
    treatment: str
    treatment_pct: float | None


@dataclass
class Tank:
    """Organic-liquid tanks and loading of one material (sheet 储罐与装载); masses in t."""

    material: str
    tank_type: str
    volume_m3: float
    tank_count: int
    throughput_t: float
    loading_t: float
    loading_mode: str
    vapour_recovery: str
    treatment_pct: float | None


@dataclass
class Facility:
    """An enterprise (sheet 企业基本信息) with its units; all names are fictional."""

    credit_code: str
    name: str
    region_code: str
    industry_code: str
    lon: float
    lat: float
    operating_hours: float
    start_date: date
    status: str = "运行"
    end_date: date | None = None
    boilers: list[Boiler] = field(default_factory=list)
    kilns: list[Kiln] = field(default_factory=list)
    voc_uses: list[VocUse] = field(default_factory=list)
    tanks: list[Tank] = field(default_factory=list)
    # Manually measured annual emissions, t/yr, e.g. {"VOCs": 12.3} with the unit they belong to.
    manual_measured: dict[str, tuple[str, float]] = field(default_factory=dict)
