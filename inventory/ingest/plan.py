"""From typed sheets to what the store needs: facilities, sources, controls, activity, measured.

Pure pandas, no database. Each survey row becomes (part of) a source identified by its natural
key, with the attributes of its version, its control devices, and its activity records.
Several rows of one source (a boiler burning two fuels, a kiln with two products) make one
source with several activity records; its version attributes come from its first row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.ingest.convert import SheetData

__all__ = [
    "VERSION_ATTRIBUTES",
    "SurveyPlan",
    "build_plan",
    "natural_keys",
]

VERSION_ATTRIBUTES = (
    "region_code", "name", "unit_id", "unit_type", "fuel", "firing", "process", "product",
    "material", "solvent_type", "vehicle_class", "standard", "machine", "stage", "category",
    "capacity_tph", "capacity_mw", "power_kw", "load_factor", "low_nox", "tank_type",
    "volume_m3", "tank_count", "loading_mode", "stack_id", "stack_height_m", "commissioned",
    "note",
)  # fmt: skip
"""SourceVersion columns a survey sets (a change in any, or in the controls, is a new version)."""

FACILITY_ATTRIBUTES = (
    "name", "region_code", "industry_code", "lon", "lat", "operating_hours", "start_date", "status",
)  # fmt: skip

POINT_SHEETS = ("boilers", "processes", "voc_materials", "tanks")


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str)


def natural_keys(sheet: str, frame: pd.DataFrame) -> pd.Series:
    """The natural key of each row's source (see docs/import.md)."""

    def col(name: str) -> pd.Series:
        return _text(frame[name]) if name in frame.columns else pd.Series("", index=frame.index)

    if sheet in ("boilers", "processes"):
        return col("credit_code") + "/" + col("unit_id")
    if sheet == "voc_materials":
        return col("credit_code") + "/" + col("unit_id") + "/" + col("material")
    if sheet == "tanks":
        unit = col("unit_id").where(col("unit_id") != "", "储罐")
        return col("credit_code") + "/" + unit + "/" + col("material")
    if sheet == "vehicles":
        return (
            col("region_code")
            + "/"
            + col("vehicle_class")
            + "/"
            + col("fuel")
            + "/"
            + col("standard")
        )
    if sheet == "nonroad":
        return col("region_code") + "/" + col("machine") + "/" + col("fuel") + "/" + col("stage")
    if sheet == "area":
        return col("region_code") + "/" + col("category")
    raise KeyError(sheet)


@dataclass
class SurveyPlan:
    """Frames ready to be written (keys, not ids: ids are found or made when persisting).

    facilities: credit_code + FACILITY_ATTRIBUTES + end_date + change_date + sheet + _row.
    sources: natural_key, kind, sheet, credit_code (point), VERSION_ATTRIBUTES, change_date,
      closure, controls_signature, _row.
    controls: natural_key, role, technology, pollutant, efficiency, operating_rate, capture.
    activities: natural_key, activity_type, fuel, product, quantity, unit, hours, sulfur_pct,
      ash_pct, voc_content_pct, km_per_vehicle, power_kw, load_factor, sheet, row_number.
    measured: credit_code, unit_id, stack_id, pollutant, quantity, unit, method, valid_hours,
      sheet, row_number (the source is resolved against the workbook and the store).
    """

    facilities: pd.DataFrame
    sources: pd.DataFrame
    controls: pd.DataFrame
    activities: pd.DataFrame
    measured: pd.DataFrame


def _get(frame: pd.DataFrame, name: str, default: object = None) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(default, index=frame.index, dtype=object)


def _sources_of(sheet: SheetData, facility_info: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    frame = sheet.frame
    out = pd.DataFrame(
        {"natural_key": keys, "kind": sheet.kind, "sheet": sheet.name, "_row": frame["_row"]}
    )
    out["credit_code"] = _get(frame, "credit_code")
    for attribute in VERSION_ATTRIBUTES:
        out[attribute] = _get(frame, attribute)
    if sheet.kind == "point":
        info = facility_info.reindex(out["credit_code"].astype(object))
        out["region_code"] = info["region_code"].to_numpy()
        out["name"] = info["name"].to_numpy()
        out["industry_code"] = info["industry_code"].to_numpy()
        facility_end = info["end_date"].to_numpy()
    else:
        out["industry_code"] = None
        facility_end = np.full(len(out), None, dtype=object)
    if sheet.key == "tanks":
        out["unit_id"] = _get(frame, "unit_id").where(_get(frame, "unit_id").notna(), "储罐")
    out["change_date"] = _get(frame, "change_date")
    own_end = _get(frame, "decommissioned")
    out["closure"] = own_end.where(own_end.notna(), pd.Series(facility_end, index=out.index))
    out["closure"] = out["closure"].astype(object).where(out["closure"].notna(), None)
    return out


def _controls_of(sheet: SheetData, keys: pd.Series) -> pd.DataFrame:
    frame = sheet.frame
    parts = []
    rate = _get(frame, "operating_rate") / 100.0 if "operating_rate" in frame.columns else None

    def add(
        column: str,
        role: str,
        pollutant: str | None,
        efficiency: pd.Series | None = None,
        capture: pd.Series | None = None,
        technology: pd.Series | None = None,
    ) -> None:
        tech = technology if technology is not None else _get(frame, column)
        present = tech.notna()
        if not present.any():
            return
        parts.append(
            pd.DataFrame(
                {
                    "natural_key": keys[present],
                    "role": role,
                    "technology": tech[present].astype(str),
                    "pollutant": pollutant,
                    "efficiency": efficiency[present] if efficiency is not None else np.nan,
                    "operating_rate": rate[present] if rate is not None else np.nan,
                    "capture": capture[present] if capture is not None else np.nan,
                }
            )
        )

    if sheet.key in ("boilers", "processes"):
        add("desulf", "desulf", "SO2")
        add("denox", "denox", "NOx")
        add("dust", "dust", None)
        low_nox = _get(frame, "low_nox")
        flag = low_nox.map(lambda v: v is True)
        add(
            "low_nox",
            "low_nox",
            "NOx",
            technology=pd.Series("低氮燃烧", index=frame.index).where(flag, None),
        )
    elif sheet.key == "voc_materials":
        add(
            "treatment",
            "voc",
            "VOCs",
            efficiency=_get(frame, "treatment_pct") / 100.0,
            capture=_get(frame, "capture_pct") / 100.0,
        )
    elif sheet.key == "tanks":
        add("vapour_recovery", "vapour", "VOCs", efficiency=_get(frame, "treatment_pct") / 100.0)
    if not parts:
        return pd.DataFrame(
            columns=[
                "natural_key",
                "role",
                "technology",
                "pollutant",
                "efficiency",
                "operating_rate",
                "capture",
            ]
        )
    return pd.concat(parts, ignore_index=True)


_ACTIVITIES: dict[str, list[tuple[str, str, str, str | None, str | None]]] = {
    # sheet: [(quantity column, activity_type, unit column or fixed unit, fuel col, product col)]
    "boilers": [("fuel_use", "fuel_use", "fuel_use_unit", "fuel", None)],
    "processes": [("output", "output", "output_unit", None, "product"),
                  ("fuel_use", "fuel_use", "fuel_use_unit", "fuel", None)],
    "voc_materials": [("use", "material_use", "use_unit", None, "material")],
    "tanks": [("throughput", "throughput", "throughput_unit", None, "material"),
              ("loading", "loading", "loading_unit", None, "material")],
    "vehicles": [("population", "population", "=辆", "fuel", None)],
    "nonroad": [("count", "machine_count", "=台", "fuel", None),
                ("fuel_use", "fuel_use_nonroad", "fuel_use_unit", "fuel", None)],
    "area": [("activity", "area_activity", "activity_unit", None, "category")],
}  # fmt: skip


_FUEL_ACTIVITIES = frozenset({"fuel_use", "area_activity"})
"""Activity types whose quantity is a fuel the row's 低位发热量 describes (never a product's
output: a kiln's NCV is that of the coal it burns, not of its clinker)."""


def _activities_of(sheet: SheetData, keys: pd.Series) -> pd.DataFrame:
    frame = sheet.frame
    parts = []
    for quantity, activity_type, unit, fuel, product in _ACTIVITIES[sheet.key]:
        if quantity not in frame.columns:
            continue
        present = frame[quantity].notna()
        if sheet.key == "processes" and quantity == "output":
            product_values = _get(frame, "product").where(
                _get(frame, "product").notna(), _get(frame, "process")
            )
        else:
            product_values = _get(frame, product) if product else pd.Series(None, index=frame.index)
        units = (
            pd.Series(unit[1:], index=frame.index) if unit.startswith("=") else _get(frame, unit)
        )
        part = pd.DataFrame(
            {
                "natural_key": keys,
                "activity_type": activity_type,
                "fuel": _get(frame, fuel) if fuel else None,
                "product": product_values,
                "quantity": frame[quantity].astype(float),
                "unit": units,
                "hours": _get(frame, "hours", np.nan).astype(float),
                "sulfur_pct": _get(frame, "sulfur_pct", np.nan).astype(float),
                "ash_pct": _get(frame, "ash_pct", np.nan).astype(float),
                "voc_content_pct": _get(frame, "voc_content_pct", np.nan).astype(float),
                "km_per_vehicle": _get(frame, "vkt_km", np.nan).astype(float),
                "power_kw": _get(frame, "power_kw", np.nan).astype(float),
                "load_factor": _get(frame, "load_factor", np.nan).astype(float),
                "ncv_mj": (
                    _get(frame, "ncv_mj", np.nan).astype(float)
                    if activity_type in _FUEL_ACTIVITIES
                    else np.nan
                ),
                "sheet": sheet.name,
                "row_number": frame["_row"],
            }
        )[present]
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _facilities_of(sheet: SheetData | None) -> pd.DataFrame:
    if sheet is None:
        return pd.DataFrame(
            columns=[
                "credit_code",
                *FACILITY_ATTRIBUTES,
                "end_date",
                "change_date",
                "sheet",
                "_row",
            ]
        )
    frame = sheet.frame
    out = pd.DataFrame({"credit_code": frame["credit_code"]})
    for attribute in (*FACILITY_ATTRIBUTES, "end_date", "change_date"):
        out[attribute] = _get(frame, attribute)
    out["sheet"] = sheet.name
    out["_row"] = frame["_row"]
    return out


def build_plan(sheets: dict[str, SheetData], facility_lookup: pd.DataFrame) -> SurveyPlan:
    """Turn accepted rows of typed sheets into a :class:`SurveyPlan`.

    ``facility_lookup``: index credit_code; columns name, region_code, industry_code, end_date
    for every enterprise known (the workbook's facilities sheet over the store's).
    """
    facilities = _facilities_of(sheets.get("facilities"))
    sources, controls, activities = [], [], []
    for key, sheet in sheets.items():
        if key in ("facilities", "measured"):
            continue
        keys = natural_keys(key, sheet.frame)
        sources.append(_sources_of(sheet, facility_lookup, keys))
        controls.append(_controls_of(sheet, keys))
        activities.append(_activities_of(sheet, keys))
    source_frame = (
        pd.concat(sources, ignore_index=True) if sources else pd.DataFrame(columns=["natural_key"])
    )
    # one row per source: the first row of the workbook gives the version's attributes
    source_frame = source_frame.drop_duplicates("natural_key", keep="first").reset_index(drop=True)
    control_frame = pd.concat(controls, ignore_index=True) if controls else pd.DataFrame()
    if len(control_frame):
        control_frame = control_frame.drop_duplicates(
            ["natural_key", "role", "technology"]
        ).reset_index(drop=True)
    activity_frame = (
        pd.concat([a for a in activities if len(a)], ignore_index=True)
        if any(len(a) for a in activities)
        else pd.DataFrame()
    )
    measured = _measured_of(sheets.get("measured"))
    return SurveyPlan(facilities, source_frame, control_frame, activity_frame, measured)


def _measured_of(sheet: SheetData | None) -> pd.DataFrame:
    columns = [
        "credit_code",
        "unit_id",
        "stack_id",
        "pollutant",
        "quantity",
        "unit",
        "method",
        "valid_hours",
        "sheet",
        "row_number",
    ]
    if sheet is None:
        return pd.DataFrame(columns=columns)
    frame = sheet.frame
    return pd.DataFrame(
        {
            "credit_code": frame["credit_code"],
            "unit_id": _get(frame, "unit_id"),
            "stack_id": _get(frame, "stack_id"),
            "pollutant": frame["pollutant"],
            "quantity": frame["emission"].astype(float),
            "unit": _get(frame, "emission_unit"),
            "method": _get(frame, "method"),
            "valid_hours": _get(frame, "valid_hours", np.nan).astype(float),
            "sheet": sheet.name,
            "row_number": frame["_row"],
        }
    )[columns]
