"""Reference computations of a synthetic inventory's totals, for benchmarks and tests.

Three ways to get the same totals by pollutant x sector x county (t/yr) without the core:

- :func:`numpy_floor`: the bare arithmetic on pre-joined float arrays (effective activity,
  conversion to tonnes, factor, kept fraction after control) summed with ``np.bincount``: what
  the hardware allows.
- :func:`duckdb_totals`: one SQL query over the normalised activity, factor, conversion,
  control and measured tables (joins, multiplication, grouping; no units, no provenance).
- :func:`naive_pint_totals`: what a user might write, a pint Quantity per row.

The factor each row gets is worked out from the catalogue (:func:`resolved_factors`), not by
the core's matching, so agreement with the core is a real check. :func:`normalise` and
:func:`prejoin` build the inputs (pandas merges; not part of what is timed).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from inventory.resources import factors_path
from inventory.synthetic.frames import SyntheticInventory
from inventory.synthetic.library import resolved_factors
from inventory.units import conversion_factor, normalise_unit_text, parse_unit, ureg

__all__ = [
    "Normalised",
    "Prejoined",
    "duckdb_connection",
    "duckdb_totals",
    "naive_pint_totals",
    "normalise",
    "numpy_floor",
    "prejoin",
    "sector_of",
    "totals_frame",
]

_EFFECTIVE_UNIT = {"mobile": "km", "nonroad": "kWh"}


@lru_cache(maxsize=1)
def _sectors() -> dict[str, str]:
    """Sector of every classification code, inherited from the parent when blank."""
    with factors_path("classification.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    by_code = {row["code"]: row for row in rows}
    result: dict[str, str] = {}
    for code in by_code:
        node: str | None = code
        while node and not by_code[node]["sector"]:
            node = by_code[node]["parent_code"] or None
        result[code] = by_code[node]["sector"] if node else "other"
    return result


def sector_of(class_code: str) -> str:
    """The planner's sector of a classification code (factors/classification.csv)."""
    return _sectors().get(class_code, "other")


@dataclass
class Normalised:
    """Integer-keyed tables of one inventory: what DuckDB joins and the floor pre-joins.

    ``labels`` name the codes: pollutants, sectors, counties.
    """

    activity: pd.DataFrame
    factor: pd.DataFrame
    conversion: pd.DataFrame
    control: pd.DataFrame
    measured: pd.DataFrame
    pollutants: list[str]
    sectors: list[str]
    counties: list[str]
    unit_names: list[str]
    factor_unit_names: list[str]


def normalise(inventory: SyntheticInventory) -> Normalised:
    """The inventory as integer-coded tables (effective activity, resolved factors...)."""
    activities = inventory.activities
    templates = inventory.templates
    resolved = resolved_factors(templates)
    pollutants = sorted(resolved["pollutant"].unique())
    pollutant_code = {name: code for code, name in enumerate(pollutants)}
    sectors = sorted({sector_of(t.class_code) for t in templates})
    sector_code = {name: code for code, name in enumerate(sectors)}
    counties = list(inventory.counties)
    county_code = {name: code for code, name in enumerate(counties)}

    kind = activities["kind"].to_numpy(dtype=object)
    multiplier = np.ones(len(activities))
    mobile = kind == "mobile"
    nonroad = kind == "nonroad"
    multiplier[mobile] = activities["km_per_vehicle"].to_numpy()[mobile]
    multiplier[nonroad] = (
        activities["power_kw"] * activities["hours"] * activities["load_factor"]
    ).to_numpy()[nonroad]
    effective_unit = activities["unit"].to_numpy(dtype=object).copy()
    effective_unit[mobile] = _EFFECTIVE_UNIT["mobile"]
    effective_unit[nonroad] = _EFFECTIVE_UNIT["nonroad"]
    unit_codes, unit_names = pd.factorize(effective_unit)
    factor_units = sorted(resolved["factor_unit"].unique())
    conversion = pd.DataFrame(
        [
            {"unit_id": u, "factor_unit_id": f, "to_t": _to_tonnes(unit, factor_unit)}
            for u, unit in enumerate(unit_names)
            for f, factor_unit in enumerate(factor_units)
            if _compatible(unit, factor_unit)
        ]
    )
    sulfur = activities["sulfur_pct"].to_numpy()
    ash = activities["ash_pct"].to_numpy()
    voc = activities["voc_content_pct"].to_numpy()
    mass_balance = np.where(~np.isnan(sulfur) | ~np.isnan(voc), 1, 0)
    class_code = activities["class_code"].to_numpy(dtype=object)
    region = inventory.sources["region_code"].to_numpy(dtype=object)
    activity = pd.DataFrame(
        {
            "activity_id": activities["activity_id"].to_numpy(),
            "source_id": activities["source_id"].to_numpy(),
            "template": inventory.template_index,
            "variant": mass_balance,
            "quantity": activities["quantity"].to_numpy() * multiplier,
            "unit_id": unit_codes.astype(np.int64),
            "sulfur_pct": np.nan_to_num(sulfur),
            "ash_pct": np.nan_to_num(ash),
            "voc_pct": np.nan_to_num(voc),
            "sector_id": np.array([sector_code[sector_of(c)] for c in class_code]),
            "county_id": np.array([county_code[r] for r in region]),
        }
    )
    factor = _factor_variants(resolved, pollutant_code, factor_units)
    control = _control_devices(inventory, pollutant_code)
    measured = inventory.measured
    tonnes = np.array([conversion_factor(u, "t") for u in measured["unit"]])
    measured_table = pd.DataFrame(
        {
            "source_id": measured["source_id"].to_numpy(),
            "pollutant_id": measured["pollutant"].map(pollutant_code).to_numpy(),
            "quantity_t": measured["quantity"].to_numpy() * tonnes
            if len(measured)
            else np.empty(0),
        }
    )
    return Normalised(
        activity,
        factor,
        conversion,
        control,
        measured_table,
        pollutants,
        sectors,
        counties,
        [str(name) for name in unit_names],
        factor_units,
    )


def _to_tonnes(unit: str, factor_unit: str) -> float:
    """Tonnes of emission per unit of effective activity per unit of factor."""
    return float((parse_unit(unit) * parse_unit(factor_unit)).to("t").magnitude)


def _compatible(unit: str, factor_unit: str) -> bool:
    return bool((parse_unit(unit) * parse_unit(factor_unit)).check("[mass]"))


def _per_unit_fraction(factor_unit: str) -> float:
    """How many ``factor_unit`` (a mass ratio such as kg/t) make a ratio of 1."""
    return 1.0 / float(parse_unit(factor_unit).to("dimensionless").magnitude)


def _factor_variants(
    resolved: pd.DataFrame, pollutant_code: dict[str, int], factor_units: list[str]
) -> pd.DataFrame:
    """Factor rows per (template, variant, pollutant): variant 1 uses the mass balance."""
    plain = resolved.assign(variant=0, k_sulfur=0.0, k_ash=0.0, k_voc=0.0)
    balance = resolved[resolved["mass_balance"] != ""].copy()
    uses = (balance[["k_sulfur", "k_ash", "k_voc"]] > 0).any(axis=1)
    balance.loc[uses, "value"] = 0.0
    balance["k_voc"] = np.where(
        balance["k_voc"] > 0,
        balance["k_voc"] * balance["factor_unit"].map(_per_unit_fraction),
        0.0,
    )
    balance["variant"] = 1
    table = pd.concat([plain, balance], ignore_index=True)
    unit_code = {name: code for code, name in enumerate(factor_units)}
    return pd.DataFrame(
        {
            "template": table["template"].to_numpy(dtype=np.int64),
            "variant": table["variant"].to_numpy(dtype=np.int64),
            "pollutant_id": table["pollutant"].map(pollutant_code).to_numpy(dtype=np.int64),
            "value": table["value"].to_numpy(dtype=np.float64),
            "k_sulfur": table["k_sulfur"].to_numpy(dtype=np.float64),
            "k_ash": table["k_ash"].to_numpy(dtype=np.float64),
            "k_voc": table["k_voc"].to_numpy(dtype=np.float64),
            "factor_unit_id": table["factor_unit"].map(unit_code).to_numpy(dtype=np.int64),
        }
    )


def _control_devices(inventory: SyntheticInventory, pollutant_code: dict[str, int]) -> pd.DataFrame:
    """One row per device and pollutant it removes: effective efficiency (eta x rate x capture)."""
    controls = inventory.controls
    efficiencies = inventory.efficiencies[["technology", "pollutant", "efficiency"]]
    expanded = controls.rename(columns={"pollutant": "only", "efficiency": "given"}).merge(
        efficiencies, on="technology", how="inner"
    )
    expanded = expanded[expanded["only"].isna() | (expanded["only"] == expanded["pollutant"])]
    eta = expanded["given"].fillna(expanded["efficiency"])
    effective = eta * expanded["operating_rate"].fillna(1.0) * expanded["capture"].fillna(1.0)
    return pd.DataFrame(
        {
            "source_id": expanded["source_id"].to_numpy(dtype=np.int64),
            "pollutant_id": expanded["pollutant"].map(pollutant_code).to_numpy(dtype=np.int64),
            "efficiency": effective.to_numpy(dtype=np.float64),
        }
    )


@dataclass
class Prejoined:
    """Float arrays, one element per result row, and the integer group of each row."""

    quantity: np.ndarray
    to_t: np.ndarray
    factor: np.ndarray
    kept: np.ndarray
    group: np.ndarray
    n_groups: int
    unit: np.ndarray  # effective-activity unit text (for the naive approach)
    factor_unit: np.ndarray
    factor_value: np.ndarray


def prejoin(normalised: Normalised) -> Prejoined:
    """Join the normalised tables into per-row arrays (measured rows replace estimates)."""
    n = normalised
    rows = n.activity.merge(n.factor, on=["template", "variant"], how="inner")
    rows = rows.merge(n.conversion, on=["unit_id", "factor_unit_id"], how="left")
    kept = (
        n.control.assign(log_kept=np.log1p(-n.control["efficiency"]))
        .groupby(["source_id", "pollutant_id"], as_index=False)["log_kept"]
        .sum()
    )
    rows = rows.merge(kept, on=["source_id", "pollutant_id"], how="left")
    rows = rows.merge(
        n.measured[["source_id", "pollutant_id"]].assign(replaced=True),
        on=["source_id", "pollutant_id"],
        how="left",
    )
    rows = rows[rows["replaced"].isna()]
    factor = (
        rows["value"]
        + rows["k_sulfur"] * rows["sulfur_pct"]
        + rows["k_ash"] * rows["ash_pct"]
        + rows["k_voc"] * rows["voc_pct"]
    )
    location = n.activity.set_index("source_id")[["sector_id", "county_id"]]
    measured = n.measured.join(location, on="source_id")
    n_sc = len(n.sectors) * len(n.counties)

    def groups(frame: pd.DataFrame) -> np.ndarray:
        codes: np.ndarray = (
            frame["pollutant_id"].to_numpy() * n_sc
            + frame["sector_id"].to_numpy() * len(n.counties)
            + frame["county_id"].to_numpy()
        ).astype(np.int64)
        return codes

    units = np.asarray(n.unit_names, dtype=object)
    factor_units = np.asarray(n.factor_unit_names, dtype=object)
    m = len(measured)
    return Prejoined(
        quantity=np.r_[rows["quantity"].to_numpy(), measured["quantity_t"].to_numpy()],
        to_t=np.r_[rows["to_t"].to_numpy(), np.ones(m)],
        factor=np.r_[factor.to_numpy(), np.ones(m)],
        kept=np.r_[np.exp(rows["log_kept"].fillna(0.0).to_numpy()), np.ones(m)],
        group=np.r_[groups(rows), groups(measured)],
        n_groups=len(n.pollutants) * n_sc,
        unit=np.r_[units[rows["unit_id"].to_numpy()], np.full(m, "t", dtype=object)],
        factor_unit=np.r_[
            factor_units[rows["factor_unit_id"].to_numpy()], np.full(m, "", dtype=object)
        ],
        factor_value=np.r_[factor.to_numpy(), np.ones(m)],
    )


def numpy_floor(pre: Prejoined) -> np.ndarray:
    """Totals per group (t/yr): the bare arithmetic and one bincount."""
    return np.bincount(
        pre.group, weights=pre.quantity * pre.to_t * pre.factor * pre.kept, minlength=pre.n_groups
    )


_SQL = """
WITH kept AS (
    SELECT source_id, pollutant_id, exp(sum(ln(1 - efficiency))) AS kept
    FROM control GROUP BY source_id, pollutant_id
),
estimated AS (
    SELECT a.source_id, f.pollutant_id, a.sector_id, a.county_id,
           a.quantity * c.to_t
           * (f.value + f.k_sulfur * a.sulfur_pct + f.k_ash * a.ash_pct + f.k_voc * a.voc_pct)
           * coalesce(k.kept, 1.0) AS emissions_t
    FROM activity a
    JOIN factor f ON f.template = a.template AND f.variant = a.variant
    JOIN conversion c ON c.unit_id = a.unit_id AND c.factor_unit_id = f.factor_unit_id
    LEFT JOIN kept k ON k.source_id = a.source_id AND k.pollutant_id = f.pollutant_id
    ANTI JOIN measured m ON m.source_id = a.source_id AND m.pollutant_id = f.pollutant_id
),
observed AS (
    SELECT m.source_id, m.pollutant_id, a.sector_id, a.county_id, m.quantity_t AS emissions_t
    FROM measured m JOIN activity a ON a.source_id = m.source_id
)
SELECT pollutant_id, sector_id, county_id, sum(emissions_t) AS emissions_t
FROM (SELECT * FROM estimated UNION ALL SELECT * FROM observed)
GROUP BY pollutant_id, sector_id, county_id
"""


def duckdb_connection(normalised: Normalised, threads: int | None = None) -> Any:
    """An in-memory DuckDB database holding the normalised tables (as native tables)."""
    import duckdb

    connection = duckdb.connect(":memory:")
    if threads is not None:
        connection.execute(f"SET threads = {int(threads)}")
    for name in ("activity", "factor", "conversion", "control", "measured"):
        frame = getattr(normalised, name)
        connection.register(f"{name}_frame", frame)
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
        connection.unregister(f"{name}_frame")
    return connection


def duckdb_totals(connection: Any) -> pd.DataFrame:
    """Totals by pollutant_id, sector_id, county_id (t/yr) from one SQL query."""
    frame: pd.DataFrame = connection.execute(_SQL).df()
    return frame


def naive_pint_totals(pre: Prejoined, limit: int) -> tuple[dict[int, float], int]:
    """Totals of the first ``limit`` rows computed with a pint Quantity per row.

    Returns (totals by group, rows done). This is the approach the core avoids.
    """
    done = min(limit, len(pre.quantity))
    totals: dict[int, float] = {}
    for i in range(done):
        # Parsed per row, as a user would write it; aliases only so that 万吨 etc. read.
        activity = float(pre.quantity[i]) * ureg(normalise_unit_text(str(pre.unit[i])))
        if pre.factor_unit[i]:
            factor = float(pre.factor_value[i]) * ureg(normalise_unit_text(str(pre.factor_unit[i])))
            emission = (activity * factor * float(pre.kept[i])).to("t").magnitude
        else:
            emission = activity.to("t").magnitude
        group = int(pre.group[i])
        totals[group] = totals.get(group, 0.0) + float(emission)
    return totals, done


def totals_frame(values: np.ndarray, normalised: Normalised) -> pd.DataFrame:
    """Group totals as a frame: pollutant, sector, county (region code), emissions_t."""
    n_c = len(normalised.counties)
    n_s = len(normalised.sectors)
    group = np.flatnonzero(values)
    return pd.DataFrame(
        {
            "pollutant": np.asarray(normalised.pollutants, dtype=object)[group // (n_s * n_c)],
            "sector": np.asarray(normalised.sectors, dtype=object)[(group // n_c) % n_s],
            "county": np.asarray(normalised.counties, dtype=object)[group % n_c],
            "emissions_t": values[group],
        }
    )
