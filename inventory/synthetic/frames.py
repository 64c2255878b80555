"""Synthetic inventories of any size, from a seed, as the calculation core's input frames.

:func:`generate` draws sources of the four kinds from the template catalogue until the
inventory has about ``n_rows`` source x pollutant rows: point units grouped into facilities
(coal units with sulfur and ash for mass balance, some measured by CEMS), solvent lines with VOC
content, fleet segments by county x class x fuel x standard, machinery by county x machine x
stage and area activity by county x category. Units are mixed as survey sheets mix them (t, 万吨,
kg, m3, 万立方米, 万Nm3, 头, 万头...); controls are drawn as whole trains with operating rates.
The frames follow the contract of :func:`inventory.calc.compute_emissions`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.synthetic.catalogue import COUNTIES, Template, build_templates
from inventory.synthetic.library import factor_frames
from inventory.units import conversion_factor

__all__ = ["SyntheticInventory", "draw_quantities", "generate"]

_KIND_SHARE = {"point": 0.45, "mobile": 0.25, "nonroad": 0.1, "area": 0.2}
_MEASURED_POLLUTANTS = ("SO2", "NOx", "PM10")


@dataclass
class SyntheticInventory:
    """A generated inventory: the core's five input frames plus what the references need.

    ``sources``: source_id, kind, class_code, region_code, sector, facility (index or -1),
    unit_id, natural_key. ``template_index``: the template of each activity (aligned with
    ``activities``). ``counties``: every region code used (Tongliao's first, then synthetic
    codes for provincial-size inventories).
    """

    seed: int
    templates: list[Template]
    activities: pd.DataFrame
    factors: pd.DataFrame
    efficiencies: pd.DataFrame
    controls: pd.DataFrame
    measured: pd.DataFrame
    sources: pd.DataFrame
    template_index: np.ndarray
    counties: list[str]
    expected_rows: int

    @property
    def n_rows(self) -> int:
        """Source x pollutant rows the core should produce (estimates plus measured)."""
        return self.expected_rows


def _rows_per_activity(template: Template) -> int:
    return len(template.factors) + len(template.wildcard_factors)


def _county_pool(
    n_fleet: int, n_machines: int, n_area: int, templates: list[Template]
) -> list[str]:
    """Tongliao's counties, plus synthetic six-digit codes when segments would not be unique."""
    per_county = {
        kind: sum(1 for t in templates if t.kind == kind) for kind in ("mobile", "nonroad", "area")
    }
    needed = max(
        n_fleet / per_county["mobile"],
        n_machines / per_county["nonroad"],
        n_area / per_county["area"],
    )
    n_counties = max(len(COUNTIES), math.ceil(1.25 * needed))
    extra = [f"99{index:04d}" for index in range(n_counties - len(COUNTIES))]
    return [*COUNTIES, *extra]


def _split_kinds(n_rows: int, templates: list[Template]) -> dict[str, int]:
    """Activities per kind so that the rows come to about ``n_rows`` in the kind shares."""
    counts = {}
    for kind, share in _KIND_SHARE.items():
        members = [t for t in templates if t.kind == kind]
        weights = np.array([t.weight for t in members])
        rows = np.array([_rows_per_activity(t) for t in members])
        mean_rows = float((weights * rows).sum() / weights.sum())
        counts[kind] = max(1, round(n_rows * share / mean_rows))
    return counts


def generate(n_rows: int, seed: int = 0) -> SyntheticInventory:
    """A synthetic inventory of about ``n_rows`` source x pollutant rows, the same for a seed."""
    rng = np.random.default_rng(seed)
    templates = build_templates(seed)
    counts = _split_kinds(n_rows, templates)
    counties = _county_pool(counts["mobile"], counts["nonroad"], counts["area"], templates)

    chosen: list[np.ndarray] = []
    regions: list[np.ndarray] = []
    point_ids = [i for i, t in enumerate(templates) if t.kind == "point"]
    point_weights = np.array([templates[i].weight for i in point_ids])
    chosen.append(
        rng.choice(point_ids, size=counts["point"], p=point_weights / point_weights.sum())
    )
    regions.append(np.empty(0, dtype=object))  # point regions come from their facility below
    for kind in ("mobile", "nonroad", "area"):
        members = np.array([i for i, t in enumerate(templates) if t.kind == kind])
        # Each (template, county) is one segment with a unique natural key: draw without
        # replacement.
        combos = rng.choice(len(members) * len(counties), size=counts[kind], replace=False)
        chosen.append(members[combos % len(members)])
        regions.append(np.asarray(counties, dtype=object)[combos // len(members)])
    template_index = np.concatenate(chosen).astype(np.int64)
    n_activities = len(template_index)

    sources = _sources(rng, templates, template_index, counts["point"], regions, counties)
    activities = _activities(rng, templates, template_index)
    controls = _controls(rng, templates, template_index)
    measured = _measured(rng, templates, template_index)
    factors, efficiencies = factor_frames(templates, seed)
    expected = int(
        np.array([_rows_per_activity(t) for t in templates], dtype=np.int64)[template_index].sum()
    )
    assert len(activities) == n_activities
    return SyntheticInventory(
        seed=seed,
        templates=templates,
        activities=activities,
        factors=factors,
        efficiencies=efficiencies,
        controls=controls,
        measured=measured,
        sources=sources,
        template_index=template_index,
        counties=counties,
        expected_rows=expected,
    )


def _pick(templates: list[Template], template_index: np.ndarray, attribute: str) -> np.ndarray:
    values = np.array([getattr(t, attribute) for t in templates], dtype=object)
    picked: np.ndarray = values[template_index]
    return picked


def _sources(
    rng: np.random.Generator,
    templates: list[Template],
    template_index: np.ndarray,
    n_point: int,
    regions: list[np.ndarray],
    counties: list[str],
) -> pd.DataFrame:
    """One source per activity; point sources grouped 1-4 to a facility."""
    n = len(template_index)
    facility = np.full(n, -1, dtype=np.int64)
    units_per_facility = rng.integers(1, 5, size=n_point)
    facility_of_point = np.repeat(np.arange(n_point), units_per_facility)[:n_point]
    facility[:n_point] = facility_of_point
    n_facilities = int(facility_of_point.max()) + 1 if n_point else 0
    facility_region = np.asarray(counties, dtype=object)[
        rng.integers(0, len(counties), size=n_facilities)
    ]
    region = np.concatenate([facility_region[facility_of_point], *regions[1:]])
    unit_number = np.zeros(n, dtype=np.int64)
    if n_point:
        starts = np.r_[0, np.flatnonzero(np.diff(facility_of_point)) + 1]
        first = np.repeat(starts, np.diff(np.r_[starts, n_point]))
        unit_number[:n_point] = np.arange(n_point) - first + 1
    return pd.DataFrame(
        {
            "source_id": np.arange(1, n + 1, dtype=np.int64),
            "kind": _pick(templates, template_index, "kind"),
            "class_code": _pick(templates, template_index, "class_code"),
            "region_code": region,
            "facility": facility,
            "unit_number": unit_number,
        }
    )


def draw_quantities(
    rng: np.random.Generator, template: Template, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Quantities in a unit drawn from the template's mix, and that unit, for ``size`` rows."""
    base = template.median * rng.lognormal(0.0, 0.8, size=size)
    names = [unit for unit, _ in template.units]
    shares = np.array([share for _, share in template.units])
    picked = rng.choice(len(names), size=size, p=shares / shares.sum())
    per_base = np.array([conversion_factor(names[0], name) for name in names])
    return base * per_base[picked], np.asarray(names, dtype=object)[picked]


def _activities(
    rng: np.random.Generator, templates: list[Template], template_index: np.ndarray
) -> pd.DataFrame:
    n = len(template_index)
    quantity = np.empty(n)
    unit = np.empty(n, dtype=object)
    size_value = np.full(n, np.nan)
    size_unit = np.full(n, None, dtype=object)
    parameters = {
        name: np.full(n, np.nan)
        for name in (
            "sulfur_pct",
            "ash_pct",
            "voc_content_pct",
            "km_per_vehicle",
            "power_kw",
            "hours",
            "load_factor",
        )
    }
    for number, template in enumerate(templates):
        rows = np.flatnonzero(template_index == number)
        if not len(rows):
            continue
        quantity[rows], unit[rows] = draw_quantities(rng, template, len(rows))
        if template.kind == "mobile":
            quantity[rows] = np.maximum(1.0, np.round(quantity[rows]))
            parameters["km_per_vehicle"][rows] = rng.uniform(5e3, 3e4, len(rows))
        elif template.kind == "nonroad":
            quantity[rows] = np.maximum(1.0, np.round(quantity[rows]))
            parameters["power_kw"][rows] = rng.uniform(20.0, 200.0, len(rows))
            parameters["hours"][rows] = rng.uniform(300.0, 1500.0, len(rows))
            parameters["load_factor"][rows] = rng.uniform(0.3, 0.7, len(rows))
        if template.size_band is not None:
            low, high, band_unit = template.size_band
            # Clear of the band's edges, so inclusive and exclusive bounds agree.
            value = rng.uniform(max(low, 10.0) * 1.05, min(high, 1400.0) * 0.95, len(rows))
            in_wan_kw = rng.random(len(rows)) < 0.3  # 万千瓦 beside MW, as on real sheets
            size_value[rows] = np.where(in_wan_kw, value / 10.0, value)
            size_unit[rows] = np.where(in_wan_kw, "万千瓦", band_unit)
        if template.mass_balance == "coal":
            has = rows[rng.random(len(rows)) < 0.7]
            parameters["sulfur_pct"][has] = rng.uniform(0.3, 2.0, len(has))
            parameters["ash_pct"][has] = rng.uniform(8.0, 35.0, len(has))
        elif template.mass_balance == "voc":
            has = rows[rng.random(len(rows)) < 0.6]
            parameters["voc_content_pct"][has] = rng.uniform(20.0, 80.0, len(has))
    return pd.DataFrame(
        {
            "activity_id": np.arange(1, n + 1, dtype=np.int64),
            "source_id": np.arange(1, n + 1, dtype=np.int64),
            "kind": _pick(templates, template_index, "kind"),
            "class_code": _pick(templates, template_index, "class_code"),
            "activity_type": _pick(templates, template_index, "activity_type"),
            "quantity": quantity,
            "unit": unit,
            "fuel": _pick(templates, template_index, "fuel"),
            "technology": _pick(templates, template_index, "technology"),
            "product": _pick(templates, template_index, "product"),
            "vehicle_class": _pick(templates, template_index, "vehicle_class"),
            "standard": _pick(templates, template_index, "standard"),
            "size_value": size_value,
            "size_unit": size_unit,
            **parameters,
        }
    )


def _controls(
    rng: np.random.Generator, templates: list[Template], template_index: np.ndarray
) -> pd.DataFrame:
    """Control devices: one train per source drawn from its template's trains."""
    source_ids: list[np.ndarray] = []
    technologies: list[np.ndarray] = []
    pollutants: list[np.ndarray] = []
    for number, template in enumerate(templates):
        rows = np.flatnonzero(template_index == number)
        if not len(rows) or template.trains == ((),):
            continue
        train_of = rng.integers(0, len(template.trains), size=len(rows))
        for train_number, train in enumerate(template.trains):
            members = rows[train_of == train_number]
            for device_technology, device_pollutant in train:
                source_ids.append(members + 1)
                technologies.append(np.full(len(members), device_technology, dtype=object))
                pollutants.append(np.full(len(members), device_pollutant, dtype=object))
    source_id = np.concatenate(source_ids) if source_ids else np.empty(0, dtype=np.int64)
    technology = np.concatenate(technologies) if technologies else np.empty(0, dtype=object)
    pollutant = np.concatenate(pollutants) if pollutants else np.empty(0, dtype=object)
    n = len(source_id)
    operating_rate = rng.uniform(0.8, 1.0, n)
    operating_rate[rng.random(n) < 0.2] = np.nan  # not reported: taken as 1
    is_voc = pollutant == "VOCs"
    capture = np.where(is_voc, rng.uniform(0.4, 0.9, n), np.nan)
    order = np.argsort(source_id, kind="stable")
    return pd.DataFrame(
        {
            "source_id": source_id[order].astype(np.int64),
            "technology": technology[order],
            "pollutant": pollutant[order],
            "efficiency": np.full(n, np.nan),
            "operating_rate": operating_rate[order],
            "capture": capture[order],
        }
    )


def _measured(
    rng: np.random.Generator, templates: list[Template], template_index: np.ndarray
) -> pd.DataFrame:
    """Annual CEMS masses for a share of the large point units (t or kg)."""
    frames = []
    for number, template in enumerate(templates):
        if template.measured_share <= 0:
            continue
        rows = np.flatnonzero(template_index == number)
        rows = rows[rng.random(len(rows)) < template.measured_share]
        for pollutant in _MEASURED_POLLUTANTS:
            if pollutant not in template.factors or not len(rows):
                continue
            tonnes = rng.lognormal(math.log(200.0), 1.0, len(rows))
            in_kg = rng.random(len(rows)) < 0.2
            frames.append(
                pd.DataFrame(
                    {
                        "source_id": rows + 1,
                        "pollutant": pollutant,
                        "quantity": np.where(in_kg, tonnes * 1000.0, tonnes),
                        "unit": np.where(in_kg, "kg", "t"),
                        "method": "cems",
                    }
                )
            )
    if not frames:
        return pd.DataFrame(
            {
                "source_id": pd.Series(dtype=np.int64),
                "pollutant": pd.Series(dtype=object),
                "quantity": pd.Series(dtype=float),
                "unit": pd.Series(dtype=object),
                "method": pd.Series(dtype=object),
            }
        )
    measured = pd.concat(frames, ignore_index=True)
    measured["source_id"] = measured["source_id"].astype(np.int64)
    return measured.sort_values(["source_id", "pollutant"], kind="stable").reset_index(drop=True)
