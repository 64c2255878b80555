"""Columns of each survey sheet (survey-workbook.md) and the rows the sample puts in them."""

from __future__ import annotations

from typing import Any

from .model import Boiler, Facility, Kiln
from .ncv import ncv_of
from .writer import Column

__all__ = [
    "AREA",
    "BOILERS",
    "FACILITIES",
    "FACILITIES_DMS",
    "FLEET",
    "KILNS",
    "MEASURED",
    "NONROAD",
    "TANKS",
    "VOC",
    "boiler_rows",
    "dms",
    "facility_rows",
    "kiln_rows",
    "measured_rows",
    "tank_rows",
    "voc_rows",
]

_CODE = Column("credit_code", "统一社会信用代码", kind="code")
_CONTROLS = [
    Column("desulf", "脱硫工艺"),
    Column("denox", "脱硝工艺"),
    Column("dust", "除尘工艺"),
]
_FUEL = [
    Column("fuel", "燃料类型"),
    Column("fuel_use", "燃料消耗量", kind="number"),
    Column("fuel_unit", "计量单位"),
    # one column for every fuel, as on the census form: MJ per kg or per m3 of the fuel
    Column("ncv_mj", "低位发热量", "MJ/kg或MJ/m3", "number"),
]
_STACK_AND_DATES = [
    Column("operating_rate", "治理设施投运率", "%", "number"),
    Column("stack_id", "排放口编号", kind="code"),
    Column("stack_height_m", "排放口高度", "米", "number"),
    Column("commissioned", "投运日期", kind="date"),
    Column("decommissioned", "停运日期", kind="date"),
]
_FACILITY_HEAD = [
    _CODE,
    Column("name", "企业名称"),
    Column("region_code", "行政区代码", kind="code"),
    Column("industry_code", "行业类别代码", kind="code"),
]
_FACILITY_TAIL = [
    Column("operating_hours", "年正常生产时间", "小时", "number"),
    Column("start_date", "投产日期", kind="date"),
    Column("end_date", "关停日期", kind="date"),
    Column("status", "运行状态"),
]
FACILITIES = [
    *_FACILITY_HEAD,
    Column("lon", "中心经度", kind="number"),
    Column("lat", "中心纬度", kind="number"),
    *_FACILITY_TAIL,
]
# Degrees/minutes/seconds columns, spelled as in the environmental-statistics table 基102.
FACILITIES_DMS = [
    *_FACILITY_HEAD,
    *(
        Column(f"{axis}_{part}", f"中心{name}{label}", kind="number")
        for axis, name in (("lon", "经度"), ("lat", "纬度"))
        for part, label in (("d", "度"), ("m", "分"), ("s", "秒"))
    ),
    *_FACILITY_TAIL,
]
BOILERS = [
    _CODE,
    Column("unit_id", "锅炉编号", kind="code"),
    Column("unit_type", "锅炉类型"),
    Column("firing", "燃烧方式"),
    Column("capacity_tph", "额定出力", "蒸吨/小时", "number"),
    Column("capacity_mw", "装机容量", "兆瓦", "number"),
    Column("hours", "年运行时间", "小时", "number"),
    *_FUEL,
    Column("sulfur_pct", "收到基含硫量", "%", "number"),
    Column("ash_pct", "收到基灰分", "%", "number"),
    *_CONTROLS,
    Column("low_nox", "是否低氮燃烧"),
    *_STACK_AND_DATES,
]
KILNS = [
    _CODE,
    Column("unit_id", "设备编号", kind="code"),
    Column("process", "工艺类型"),
    Column("product", "产品名称"),
    Column("output", "产品产量", "万吨", "number"),
    *_FUEL,
    *_CONTROLS,
    *_STACK_AND_DATES,
]
VOC = [
    _CODE,
    Column("unit_id", "工序/生产线"),
    Column("material", "物料类别"),
    Column("solvent_type", "类型"),
    Column("use", "年使用量", "吨", "number"),
    Column("voc_content_pct", "VOCs含量", "%", "number"),
    Column("capture_pct", "收集效率", "%", "number"),
    Column("treatment", "治理工艺"),
    Column("treatment_pct", "治理效率", "%", "number"),
]
TANKS = [
    _CODE,
    Column("material", "物料名称"),
    Column("tank_type", "储罐类型"),
    Column("volume_m3", "容积", "立方米", "number"),
    Column("tank_count", "储罐个数", kind="number"),
    Column("throughput", "年周转量", "吨", "number"),
    Column("loading", "年装载量", "吨", "number"),
    Column("loading_mode", "装载方式"),
    Column("vapour_recovery", "油气回收/治理工艺"),
    Column("treatment_pct", "治理效率", "%", "number"),
]
MEASURED = [
    _CODE,
    Column("unit_id", "设备编号", kind="code"),
    Column("stack_id", "排放口编号", kind="code"),
    Column("pollutant", "污染物"),
    Column("emission", "年排放量", "吨", "number"),
    Column("method", "数据来源"),
    Column("valid_hours", "有效小时数", kind="number"),
]
FLEET = [
    Column("region_code", "行政区代码", kind="code"),
    Column("region_name", "行政区名称"),
    Column("vehicle_class", "车型"),
    Column("fuel", "燃料类型"),
    Column("standard", "排放标准"),
    Column("population", "保有量", "辆", "number"),
    Column("vkt_km", "年均行驶里程", "公里/辆", "number"),
]
NONROAD = [
    Column("region_code", "行政区代码", kind="code"),
    Column("region_name", "行政区名称"),
    Column("machine", "机械类别"),
    Column("fuel", "燃料类型"),
    Column("stage", "排放阶段"),
    Column("count", "数量", "台", "number"),
    Column("power_kw", "额定功率", "千瓦", "number"),
    Column("hours", "年使用小时数", "小时", "number"),
    Column("load_factor", "负载因子", kind="number"),
]
AREA = [
    Column("region_code", "行政区代码", kind="code"),
    Column("category", "源类别"),
    Column("activity", "活动水平", kind="number"),
    Column("unit", "计量单位"),
    Column("ncv_mj", "低位发热量", "MJ/kg或MJ/m3", "number"),  # fuel categories only
    Column("note", "备注"),
]


def dms(value: float) -> tuple[int, int, float]:
    """Decimal degrees as (degrees, minutes, seconds rounded to 0.1)."""
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 1)
    if s >= 60:
        m, s = m + 1, 0.0
    return d, m, s


def facility_rows(facilities: list[Facility]) -> list[dict[str, Any]]:
    """Rows of 企业基本信息, with the decimal and the d/m/s coordinates."""
    rows = []
    for f in facilities:
        row: dict[str, Any] = {
            "credit_code": f.credit_code,
            "name": f.name,
            "region_code": f.region_code,
            "industry_code": f.industry_code,
            "lon": f.lon,
            "lat": f.lat,
            "operating_hours": f.operating_hours,
            "start_date": f.start_date,
            "end_date": f.end_date,
            "status": f.status,
        }
        for axis in ("lon", "lat"):
            row[f"{axis}_d"], row[f"{axis}_m"], row[f"{axis}_s"] = dms(row[axis])
        rows.append(row)
    return rows


def _unit_row(f: Facility, u: Boiler | Kiln) -> dict[str, Any]:
    return {
        "credit_code": f.credit_code,
        "unit_id": u.unit_id,
        "fuel": u.fuel,
        "fuel_use": u.fuel_use,
        "fuel_unit": u.fuel_unit,
        "ncv_mj": ncv_of(f.credit_code, u),
        "desulf": u.desulf,
        "denox": u.denox,
        "dust": u.dust,
        "operating_rate": u.operating_rate,
        "stack_id": u.stack_id,
        "stack_height_m": u.stack_height_m,
        "commissioned": u.commissioned,
        "decommissioned": u.decommissioned,
    }


def boiler_rows(facilities: list[Facility]) -> list[dict[str, Any]]:
    """Rows of 锅炉: one per boiler (each burns one fuel in the sample)."""
    return [
        {
            **_unit_row(f, b),
            "unit_type": b.unit_type,
            "firing": b.firing,
            "capacity_tph": b.capacity_tph,
            "capacity_mw": b.capacity_mw,
            "hours": b.hours,
            "sulfur_pct": b.sulfur_pct,
            "ash_pct": b.ash_pct,
            "low_nox": b.low_nox,
        }
        for f in facilities
        for b in f.boilers
    ]


def kiln_rows(facilities: list[Facility]) -> list[dict[str, Any]]:
    """Rows of 炉窑与工艺: one per kiln or process line and product."""
    return [
        {**_unit_row(f, k), "process": k.process, "product": k.product, "output": k.output_10kt}
        for f in facilities
        for k in f.kilns
    ]


def voc_rows(facilities: list[Facility]) -> list[dict[str, Any]]:
    """Rows of 含VOCs原辅材料."""
    return [
        {
            "credit_code": f.credit_code,
            "unit_id": v.unit_id,
            "material": v.material,
            "solvent_type": v.solvent_type,
            "use": v.use_t,
            "voc_content_pct": v.voc_content_pct,
            "capture_pct": v.capture_pct,
            "treatment": v.treatment,
            "treatment_pct": v.treatment_pct,
        }
        for f in facilities
        for v in f.voc_uses
    ]


def tank_rows(facilities: list[Facility]) -> list[dict[str, Any]]:
    """Rows of 储罐与装载; a station's loading is written "—" (nothing loaded out)."""
    return [
        {
            "credit_code": f.credit_code,
            "material": t.material,
            "tank_type": t.tank_type,
            "volume_m3": t.volume_m3,
            "tank_count": t.tank_count,
            "throughput": t.throughput_t,
            "loading": t.loading_t if t.loading_t else "—",
            "loading_mode": t.loading_mode,
            "vapour_recovery": t.vapour_recovery,
            "treatment_pct": t.treatment_pct,
        }
        for f in facilities
        for t in f.tanks
    ]


_POLLUTANT_NAMES = {"SO2": "二氧化硫", "NOx": "氮氧化物", "VOCs": "VOCs"}
_FUEL_MULTIPLIER = {"万吨": 1e7, "吨": 1e3, "万立方米": 1e4}  # to kg, or to m3 for gases


def measured_rows(facilities: list[Facility]) -> list[dict[str, Any]]:
    """Rows of 在线监测: CEMS annual masses (t) = fuel x flue gas per unit fuel x concentration,
    for units with CEMS, and the manually measured VOCs of two chemical plants."""
    rows = []
    for f in facilities:
        units: list[Boiler | Kiln] = [*f.boilers, *f.kilns]
        for u in units:
            if not u.cems_mg_m3 or u.fuel_use is None or u.fuel_unit is None:
                continue
            volume_m3 = u.fuel_use * _FUEL_MULTIPLIER[u.fuel_unit] * u.flue_gas_per_unit_fuel
            hours = u.hours if isinstance(u, Boiler) else f.operating_hours
            for pollutant, conc in u.cems_mg_m3.items():
                rows.append(
                    {
                        "credit_code": f.credit_code,
                        "unit_id": u.unit_id,
                        "stack_id": u.stack_id,
                        "pollutant": _POLLUTANT_NAMES[pollutant],
                        "emission": round(volume_m3 * conc * 1e-9, 1),
                        "method": "在线监测",
                        "valid_hours": round(hours * 0.97),
                    }
                )
        for pollutant, (unit_id, tonnes) in f.manual_measured.items():
            stack = next((k.stack_id for k in f.kilns if k.unit_id == unit_id), "DA010")
            rows.append(
                {
                    "credit_code": f.credit_code,
                    "unit_id": unit_id,
                    "stack_id": stack,
                    "pollutant": _POLLUTANT_NAMES[pollutant],
                    "emission": tonnes,
                    "method": "手工监测",
                    "valid_hours": None,
                }
            )
    return rows
