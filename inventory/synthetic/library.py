"""The synthetic factor library of a generated inventory, and how each template resolves in it.

:func:`factor_frames` writes the factor and efficiency tables in the calculation core's format:
one specific row per template and pollutant (level-4 code, every selector the template has, its
size band), a few wildcard rows at level-2 codes (BC and OC of coal combustion, NH3 of on-road
fuels) that only prefix matching reaches, a local row of higher priority that overrides a
shipped one, and the mass-balance parameter rows of coal. :func:`resolved_factors` says, by
construction and independently of the core, which value each template gets for each pollutant,
and the mass-balance coefficients: this is what the references multiply.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.synthetic.catalogue import EFFICIENCIES, SYNTHETIC_SOURCE, Template

__all__ = ["COAL_PARAMETERS", "LOCAL_OVERRIDES", "factor_frames", "resolved_factors"]

COAL_PARAMETERS: dict[str, float] = {
    "sulfur_retention": 0.15,
    "ash_retention": 0.3,
    "pm10_fraction_of_ash": 0.4,
    "pm25_fraction_of_ash": 0.15,
    "bc_fraction_of_pm25": 0.05,
    "oc_fraction_of_pm25": 0.03,
}
"""Synthetic coal mass-balance parameters (fractions), stored at class ``01`` for 燃煤."""

LOCAL_OVERRIDES: dict[tuple[str, str], float] = {("cement clinker", "NOx"): 0.8}
"""(template, pollutant) -> multiple of the shipped value carried by a priority-10 local row."""

_LOCAL_PRIORITY = 10


def _wildcard_key(template: Template, pollutant: str) -> tuple[str, str | None, str]:
    return (template.class_code[:4], template.fuel, pollutant)


def factor_frames(templates: list[Template], seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The factor table and the control-efficiency table of the synthetic library."""
    rows: list[dict[str, object]] = []

    def add(**row: object) -> None:
        base: dict[str, object] = {
            "factor_id": len(rows) + 1,
            "priority": 0,
            "fuel": None,
            "technology": None,
            "product": None,
            "vehicle_class": None,
            "standard": None,
            "size_min": np.nan,
            "size_max": np.nan,
            "size_unit": None,
            "basis": "uncontrolled",
            "source": f"{SYNTHETIC_SOURCE}, seed {seed}",
        }
        base.update(row)
        rows.append(base)

    wildcards: dict[tuple[str, str | None, str], tuple[float, str]] = {}
    for template in templates:
        band = template.size_band or (np.nan, np.nan, None)
        selectors = {
            "fuel": template.fuel,
            "technology": template.technology,
            "product": template.product,
            "vehicle_class": template.vehicle_class,
            "standard": template.standard,
            "size_min": band[0],
            "size_max": band[1],
            "size_unit": band[2],
        }
        for pollutant, value in template.factors.items():
            add(
                class_code=template.class_code,
                pollutant=pollutant,
                value=value,
                unit=template.factor_unit,
                **selectors,
            )
            multiple = LOCAL_OVERRIDES.get((template.name, pollutant))
            if multiple is not None:
                add(
                    class_code=template.class_code,
                    pollutant=pollutant,
                    value=round(value * multiple, 6),
                    unit=template.factor_unit,
                    priority=_LOCAL_PRIORITY,
                    **selectors,
                )
        for pollutant, value in template.wildcard_factors.items():
            wildcards.setdefault(_wildcard_key(template, pollutant), (value, template.factor_unit))
    for (code, fuel, pollutant), (value, unit) in wildcards.items():
        add(class_code=code, pollutant=pollutant, value=value, unit=unit, fuel=fuel)
    for name, value in COAL_PARAMETERS.items():
        add(
            class_code="01",
            pollutant=None,
            fuel="燃煤",
            product=name,
            value=value,
            unit="",
            basis="parameter",
        )
    factors = pd.DataFrame(rows)
    efficiencies = pd.DataFrame(
        [
            {"technology": t, "pollutant": p, "efficiency": e, "source": SYNTHETIC_SOURCE}
            for t, p, e in EFFICIENCIES
        ]
    )
    return factors, efficiencies


def resolved_factors(templates: list[Template]) -> pd.DataFrame:
    """The factor each template gets for each pollutant, worked out from the catalogue alone.

    Columns: template (index), pollutant, value (in factor_unit), factor_unit, and the mass-balance
    coefficients used when the activity carries the parameter: k_sulfur (factor units per % S),
    k_ash (per % ash), k_voc (fraction of the material per % VOC content). A mass-balance row
    has value 0 and its coefficient instead.
    """
    p = COAL_PARAMETERS
    fly_ash = 10.0 * (1.0 - p["ash_retention"])  # g/kg per % ash
    coal_mb = {
        "SO2": ("k_sulfur", 20.0 * (1.0 - p["sulfur_retention"])),
        "PM10": ("k_ash", fly_ash * p["pm10_fraction_of_ash"]),
        "PM2.5": ("k_ash", fly_ash * p["pm25_fraction_of_ash"]),
        "BC": ("k_ash", fly_ash * p["pm25_fraction_of_ash"] * p["bc_fraction_of_pm25"]),
        "OC": ("k_ash", fly_ash * p["pm25_fraction_of_ash"] * p["oc_fraction_of_pm25"]),
    }
    records = []
    wildcards: dict[tuple[str, str | None, str], float] = {}
    for template in templates:
        for pollutant, value in template.wildcard_factors.items():
            wildcards.setdefault(_wildcard_key(template, pollutant), value)
    for index, template in enumerate(templates):
        values = dict(template.factors)
        for pollutant in template.wildcard_factors:
            values[pollutant] = wildcards[_wildcard_key(template, pollutant)]
        for pollutant, value in values.items():
            multiple = LOCAL_OVERRIDES.get((template.name, pollutant))
            if multiple is not None:
                value = round(value * multiple, 6)
            record = {
                "template": index,
                "pollutant": pollutant,
                "value": value,
                "factor_unit": template.factor_unit,
                "k_sulfur": 0.0,
                "k_ash": 0.0,
                "k_voc": 0.0,
                "mass_balance": template.mass_balance or "",
            }
            if template.mass_balance == "coal" and pollutant in coal_mb:
                name, coefficient = coal_mb[pollutant]
                record[name] = coefficient
            if template.mass_balance == "voc" and pollutant == "VOCs":
                record["k_voc"] = 0.01
            records.append(record)
    return pd.DataFrame(records)
