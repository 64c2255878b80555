"""Rules across rows and sheets, and against the store: facilities named by unit rows exist,
measured emissions name a known unit, closure after start, coordinates inside the region, no
duplicated sources, and the action plan's ban on new small coal boilers (a warning).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from inventory.ingest.codes import region_bounds
from inventory.ingest.coerce import per_unique
from inventory.ingest.convert import SheetData
from inventory.ingest.layouts import read_data_csv
from inventory.ingest.plan import POINT_SHEETS, natural_keys
from inventory.ingest.problems import ProblemLog
from inventory.resources import factors_path

__all__ = ["StoreState", "check_cross_sheet", "facility_lookup"]

COAL_FUELS = ("燃煤", "煤矸石")
TPH_PER_MW = 1 / 0.7  # 1 蒸吨/小时 = 0.7 MW (factors/units.txt, GB 13271-2014 convention)


@dataclass
class StoreState:
    """What the store already holds that an import must check against.

    facilities: columns credit_code, facility_id, name, region_code, industry_code, end_date.
    units: point sources: natural_key, source_id, credit_code, unit_id, stack_id.
    known_keys: natural keys of every source in the store. earlier_years: survey years loaded.
    """

    facilities: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=[
                "credit_code",
                "facility_id",
                "name",
                "region_code",
                "industry_code",
                "end_date",
            ]
        )
    )
    units: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["natural_key", "source_id", "credit_code", "unit_id", "stack_id"]
        )
    )
    known_keys: frozenset[str] = frozenset()
    earlier_years: frozenset[int] = frozenset()


def facility_lookup(sheets: dict[str, SheetData], state: StoreState) -> pd.DataFrame:
    """Every enterprise known to this import (workbook rows over the store), by credit code."""
    columns = ["name", "region_code", "industry_code", "end_date"]
    stored = state.facilities.set_index("credit_code")[columns] if len(state.facilities) else None
    parts = []
    if "facilities" in sheets:
        frame = sheets["facilities"].frame
        frame = frame[~frame["_rejected"] & frame["credit_code"].notna()]
        own = pd.DataFrame(
            {c: frame[c] if c in frame.columns else None for c in columns}
        ).set_index(frame["credit_code"].to_numpy())
        parts.append(own[~own.index.duplicated()])
    if stored is not None:
        parts.append(stored)
    if not parts:
        return pd.DataFrame(columns=columns)
    table = pd.concat(parts)
    return table[~table.index.duplicated(keep="first")]


def _flag(
    log: ProblemLog,
    sheet: SheetData,
    mask: pd.Series,
    rule: str,
    message: str | pd.Series,
    column: str = "",
    hint: str | pd.Series = "",
) -> None:
    if not mask.any():
        return
    frame = sheet.frame
    binding = sheet.bindings.get(column)
    where = mask[mask].index
    log.add_many(
        rule,
        message[where] if isinstance(message, pd.Series) else message,
        sheet=sheet.name,
        rows=frame.loc[where, "_row"],
        column=binding.letter if binding else "",
        header=binding.raw_header if binding else "",
        values=frame.loc[where, column] if column in frame.columns else [""] * len(where),
        hint=hint[where] if isinstance(hint, pd.Series) else hint,
    )
    if log.severity(rule) == "error":
        frame.loc[where, "_rejected"] = True


def check_cross_sheet(
    sheets: dict[str, SheetData], state: StoreState, year: int, log: ProblemLog
) -> None:
    """Apply every cross-row and cross-sheet rule; problems go to ``log``, rows get rejected."""
    # A sheet whose credit-code column is missing was already reported (header.missing) and
    # blocks the import; leave it out here rather than fail on the absent column.
    sheets = {
        key: sheet
        for key, sheet in sheets.items()
        if key not in (*POINT_SHEETS, "measured", "facilities") or "credit_code" in sheet.frame
    }
    lookup = facility_lookup(sheets, state)
    for key in (*POINT_SHEETS, "measured"):
        if key not in sheets:
            continue
        sheet = sheets[key]
        codes = sheet.frame.get("credit_code")
        if codes is None:
            continue
        unknown = codes.notna() & ~codes.isin(lookup.index)
        _flag(
            log, sheet, unknown, "xsheet.unknown_facility",
            "The enterprise is neither in the 企业基本信息 sheet nor in the database.",
            "credit_code",
            "Add the enterprise to the 企业基本信息 sheet (or check the code).",
        )  # fmt: skip
    _check_dates(sheets, log)
    _check_coordinates(sheets, log)
    _check_duplicates(sheets, log)
    _check_measured_units(sheets, state, log)
    _check_small_coal_boilers(sheets, state, lookup, year, log)


def _check_dates(sheets: dict[str, SheetData], log: ProblemLog) -> None:
    for key, start, end in (
        ("facilities", "start_date", "end_date"),
        ("boilers", "commissioned", "decommissioned"),
        ("processes", "commissioned", "decommissioned"),
    ):
        sheet = sheets.get(key)
        if sheet is None or start not in sheet.frame or end not in sheet.frame:
            continue
        frame = sheet.frame
        both = frame[start].notna() & frame[end].notna()
        before = pd.Series(False, index=frame.index)
        before[both] = frame.loc[both, end] < frame.loc[both, start]
        _flag(
            log, sheet, before, "date.end_before_start",
            "The closure date is before the start date.", end,
            frame[start].map(lambda d: f"The start date is {d}."),
        )  # fmt: skip


def _check_coordinates(sheets: dict[str, SheetData], log: ProblemLog) -> None:
    sheet = sheets.get("facilities")
    if sheet is None or "lon" not in sheet.frame or "lat" not in sheet.frame:
        return
    frame = sheet.frame
    bounds = region_bounds()
    region = frame.get("region_code", pd.Series(None, index=frame.index))
    boxes = region.map(lambda c: bounds.get(c) if isinstance(c, str) else None)
    has = boxes.notna() & frame["lon"].notna() & frame["lat"].notna()
    if not has.any():
        return
    lon_min = boxes[has].map(lambda b: b.lon_min).astype(float)
    lon_max = boxes[has].map(lambda b: b.lon_max).astype(float)
    lat_min = boxes[has].map(lambda b: b.lat_min).astype(float)
    lat_max = boxes[has].map(lambda b: b.lat_max).astype(float)
    lon, lat = frame.loc[has, "lon"], frame.loc[has, "lat"]
    inside = lon.between(lon_min, lon_max) & lat.between(lat_min, lat_max)
    swapped = ~inside & lat.between(lon_min, lon_max) & lon.between(lat_min, lat_max)
    outside = ~inside & ~swapped
    full = pd.Series(False, index=frame.index)
    _flag(
        log,
        sheet,
        full.mask(swapped.reindex(frame.index, fill_value=False), True),
        "coord.swapped",
        "Longitude and latitude look swapped.",
        "lon",
        "Put the longitude (东经, about 119-124 here) in 中心经度 and the latitude in 中心纬度.",
    )
    hint = (
        boxes[has]
        .map(
            lambda b: (
                f"The region lies within {b.lon_min}-{b.lon_max}°E, {b.lat_min}-{b.lat_max}°N."
            )
        )
        .reindex(frame.index, fill_value="")
    )
    _flag(
        log,
        sheet,
        full.mask(outside.reindex(frame.index, fill_value=False), True),
        "coord.out_of_region",
        "The coordinates lie outside the enterprise's region.",
        "lon",
        hint,
    )


_DUPLICATE_KEYS = {
    "facilities": ["credit_code"],
    "boilers": ["credit_code", "unit_id", "fuel"],
    "processes": ["credit_code", "unit_id", "product", "fuel"],
    "voc_materials": ["credit_code", "unit_id", "material"],
    "tanks": ["credit_code", "unit_id", "material"],
    "measured": ["credit_code", "unit_id", "stack_id", "pollutant"],
    "vehicles": ["region_code", "vehicle_class", "fuel", "standard"],
    "nonroad": ["region_code", "machine", "fuel", "stage"],
    "area": ["region_code", "category"],
}


def _check_duplicates(sheets: dict[str, SheetData], log: ProblemLog) -> None:
    for key, columns in _DUPLICATE_KEYS.items():
        sheet = sheets.get(key)
        if sheet is None:
            continue
        frame = sheet.frame
        present = [c for c in columns if c in frame.columns]
        if not present or frame[present].isna().all(axis=1).all():
            continue
        keyed = frame[present].astype(object).where(frame[present].notna(), "")
        repeated = keyed.duplicated(keep="first") & frame[present].notna().any(axis=1)
        if not repeated.any():
            continue  # the usual case: no group-by, no hint text for 10^5 rows
        first_row = frame.groupby([keyed[c] for c in present], sort=False)["_row"].transform(
            "first"
        )
        hints = pd.Series("", index=frame.index, dtype=object)
        hints[repeated.to_numpy()] = per_unique(
            first_row[repeated.to_numpy()], lambda r: f"See row {r}; merge the two rows."
        )
        _flag(
            log, sheet, repeated, "value.duplicate_row",
            "This row repeats an earlier row of the same source (" + ", ".join(present) + ").",
            present[0], hints,
        )  # fmt: skip


def _check_measured_units(sheets: dict[str, SheetData], state: StoreState, log: ProblemLog) -> None:
    sheet = sheets.get("measured")
    if sheet is None:
        return
    frame = sheet.frame
    units: set[tuple[str, str]] = set()
    stacks: set[tuple[str, str]] = set()
    for key in ("boilers", "processes"):
        other = sheets.get(key)
        if other is None:
            continue
        f = other.frame
        units |= set(
            zip(
                f["credit_code"].astype(str),
                f.get("unit_id", pd.Series(dtype=object)).astype(str),
                strict=False,
            )
        )
        if "stack_id" in f:
            stacks |= set(
                zip(f["credit_code"].astype(str), f["stack_id"].astype(str), strict=False)
            )
    if len(state.units):
        units |= set(
            zip(
                state.units["credit_code"].astype(str),
                state.units["unit_id"].astype(str),
                strict=True,
            )
        )
        stacks |= set(
            zip(
                state.units["credit_code"].astype(str),
                state.units["stack_id"].astype(str),
                strict=True,
            )
        )
    code = frame["credit_code"].astype(str)
    unit = frame.get("unit_id", pd.Series(None, index=frame.index))
    stack = frame.get("stack_id", pd.Series(None, index=frame.index))
    by_unit = pd.Series(
        [(c, str(u)) in units for c, u in zip(code, unit, strict=True)], index=frame.index
    )
    by_stack = pd.Series(
        [(c, str(s)) in stacks for c, s in zip(code, stack, strict=True)], index=frame.index
    )
    named = unit.notna() | stack.notna()
    unknown = (
        named
        & frame["credit_code"].notna()
        & ~(by_unit & unit.notna())
        & ~(by_stack & stack.notna())
    )
    _flag(
        log, sheet, unknown, "xsheet.unknown_unit",
        "The unit (or stack) is neither on the 锅炉 / 炉窑与工艺 sheets nor in the database.",
        "unit_id" if "unit_id" in frame else "stack_id",
        "Use the 锅炉编号 / 设备编号 (or 排放口编号) of the unit as written on its own sheet.",
    )  # fmt: skip


@lru_cache(maxsize=1)
def _coal_limits() -> list[dict[str, str]]:
    return read_data_csv(factors_path("layouts", "coal_boiler_limits.csv"))


def _check_small_coal_boilers(
    sheets: dict[str, SheetData],
    state: StoreState,
    lookup: pd.DataFrame,
    year: int,
    log: ProblemLog,
) -> None:
    sheet = sheets.get("boilers")
    if sheet is None or "fuel" not in sheet.frame:
        return
    frame = sheet.frame
    coal = frame["fuel"].isin(COAL_FUELS)
    if not coal.any():
        return
    tph = frame.get("capacity_tph", pd.Series(np.nan, index=frame.index)).astype(float)
    mw = frame.get("capacity_mw", pd.Series(np.nan, index=frame.index)).astype(float)
    tph = tph.where(tph.notna(), mw * TPH_PER_MW)
    region = (
        frame["credit_code"].map(lookup["region_code"])
        if len(lookup)
        else pd.Series(None, index=frame.index)
    )
    commissioned = frame.get("commissioned", pd.Series(None, index=frame.index))
    commissioned_year = pd.Series(
        per_unique(commissioned, lambda d: d.year, fill=np.nan), index=frame.index, dtype=float
    )
    keys = natural_keys("boilers", frame)
    first_seen = ~keys.isin(state.known_keys) & bool(state.earlier_years)
    limits = _coal_limits()
    specific = {r["region_code"]: r for r in limits if r["region_code"] != "*"}
    default = next((r for r in limits if r["region_code"] == "*"), None)
    # the rule of each distinct region (a blank region takes the default), gathered by code
    codes, regions = pd.factorize(region.to_numpy(dtype=object), use_na_sentinel=True)
    rules = [specific.get(c, default) for c in regions] + [default]
    picked = np.asarray(codes)

    def _of_rule(read: Any, missing: Any, dtype: Any) -> pd.Series:
        table = np.asarray([missing if r is None else read(r) for r in rules], dtype=dtype)
        return pd.Series(table[picked], index=frame.index)

    has_rule = _of_rule(lambda r: True, False, bool)
    limit = _of_rule(lambda r: float(r["limit_tph"]), np.nan, float)
    inclusive = _of_rule(lambda r: r["comparison"] == "le", False, bool)
    from_year = _of_rule(lambda r: int(r["from_year"]), np.nan, float)
    small = (tph <= limit).where(inclusive.astype(bool), tph < limit)
    new = (commissioned_year >= from_year) | (
        commissioned_year.isna() & first_seen & (year >= from_year)
    )
    warn = (
        coal
        & has_rule
        & tph.notna()
        & small.fillna(False).astype(bool)
        & new.fillna(False).astype(bool)
    )
    message = pd.Series(
        per_unique(
            limit,
            lambda v: f"A new coal boiler of this size is not allowed here (limit {v:g} t/h).",
        ),
        index=frame.index,
        dtype=object,
    )
    message = message.where(
        ~inclusive.astype(bool),
        pd.Series(
            per_unique(
                limit, lambda v: f"A new coal boiler of {v:g} t/h or less is not allowed here."
            ),
            index=frame.index,
            dtype=object,
        ),
    )
    _flag(
        log, sheet, warn, "policy.small_coal_boiler", message,
        "capacity_tph" if "capacity_tph" in frame else "fuel",
        "Action plan measure 7: no new coal boilers <= 35 t/h in 科尔沁区 and the development zone, < 10 t/h elsewhere.",
    )  # fmt: skip
