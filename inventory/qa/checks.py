"""QA checks on the results of a run (frames in, a findings frame out; no database).

Every finding has a stable ``code`` from :mod:`inventory.qa.catalogue`, its severity, the source
and pollutant it concerns (when one), a ``subject`` (natural key, sector or county), a ``value``
(the number the check looked at) and a sentence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory import POLLUTANTS
from inventory.qa.catalogue import CATALOGUE, EXPECTED_HEADLINE, FINDING_COLUMNS

__all__ = ["QAConfig", "run_checks"]

ENV_CHANGE_THRESHOLD = "INVENTORY_QA_CHANGE_THRESHOLD"


@dataclass(frozen=True)
class QAConfig:
    """Thresholds of the checks.

    ``change_threshold``: relative change (fraction) vs the previous year that is flagged.
    ``outlier_factor``: how many times above or below the peers' median intensity is flagged.
    ``min_peers``: the fewest rows of a class x pollutant x unit for the intensity check.
    ``tolerance``: relative slack of the PM2.5 <= PM10 and BC + OC <= PM2.5 checks.
    """

    change_threshold: float = 0.2
    outlier_factor: float = 10.0
    min_peers: int = 4
    tolerance: float = 1e-9

    @classmethod
    def from_environment(cls) -> QAConfig:
        """Defaults, with ``INVENTORY_QA_CHANGE_THRESHOLD`` (a fraction) when set."""
        text = os.environ.get(ENV_CHANGE_THRESHOLD)
        if not text:
            return cls()
        from inventory.errors import ConfigError

        try:
            value = float(text)
        except ValueError as exc:
            raise ConfigError(
                f"{ENV_CHANGE_THRESHOLD}={text!r} is not a number.",
                "Give a fraction such as 0.2 for 20 %.",
            ) from exc
        return cls(change_threshold=value)


def _findings(code: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Findings of one code from rows holding source_id, pollutant, subject, value, message."""
    out = pd.DataFrame(index=range(len(rows)))
    for column in ("source_id", "pollutant", "subject", "value", "message"):
        out[column] = rows[column].to_numpy() if column in rows else None
    out.insert(0, "severity", CATALOGUE[code].severity)
    out.insert(0, "code", code)
    return out[FINDING_COLUMNS]


_PER_SOURCE_GAPS = {
    "no_factor": "No emission factor for {}; not estimated.",
    "no_ncv": (
        "No net calorific value (低位发热量) for the fuel, so the per-GJ factors of {} cannot be "
        "applied; not estimated."
    ),
}
"""Gap reasons reported as one finding per source listing its pollutants (message template)."""


def _no_factor_findings(
    gaps: pd.DataFrame, names: pd.Series, code: str = "no_factor"
) -> pd.DataFrame:
    """One ``no_factor`` (or ``no_ncv``) finding per source, naming every pollutant it lacks
    in canonical order (``pollutant`` is set when only one is missing; ``value`` = how many).

    Set-based: each source's missing pollutants become a bit mask, and the text is built once
    per distinct mask (a few dozen), not once per source (10^5 at 10^6 result rows).
    """
    gaps = gaps.drop_duplicates(["source_id", "pollutant"])
    present = {str(p) for p in pd.unique(gaps["pollutant"].astype(str))}
    vocabulary = [p for p in POLLUTANTS if p in present] + sorted(present - set(POLLUTANTS))
    if len(vocabulary) > 62:  # more than a mask holds: never with the build's pollutants
        raise ValueError(f"{len(vocabulary)} distinct gap pollutants; at most 62 supported")
    rank = pd.Categorical(gaps["pollutant"].astype(str), categories=vocabulary).codes
    bits = np.left_shift(np.int64(1), rank.astype("int64"))
    masks = pd.Series(bits).groupby(gaps["source_id"].to_numpy(), sort=True).sum()
    distinct, inverse = np.unique(masks.to_numpy(), return_inverse=True)
    members = [[p for i, p in enumerate(vocabulary) if int(mask) >> i & 1] for mask in distinct]
    single = np.array([m[0] if len(m) == 1 else None for m in members], dtype=object)
    texts = np.array([_PER_SOURCE_GAPS[code].format(", ".join(m)) for m in members], dtype=object)
    counts = np.array([len(m) for m in members], dtype="float64")
    ids = masks.index
    frame = pd.DataFrame(
        {
            "source_id": ids.to_numpy(),
            "pollutant": single[inverse],
            "subject": names.reindex(ids).to_numpy(dtype=object),
            "value": counts[inverse],
            "message": texts[inverse],
        }
    )
    return _findings(code, frame)


def _gap_findings(gaps: pd.DataFrame, names: pd.Series) -> list[pd.DataFrame]:
    if gaps.empty:
        return []
    gaps = gaps.drop_duplicates(["source_id", "pollutant", "reason"]).copy()
    gaps["subject"] = gaps["source_id"].map(names)
    gaps["value"] = np.nan
    out = []
    for reason, group in gaps.groupby("reason", sort=True):
        if reason in _PER_SOURCE_GAPS:
            out.append(_no_factor_findings(group, names, str(reason)))
            continue
        code = "no_activity" if reason == "no_activity" else "calc_gap"
        group = group.copy()
        if code == "calc_gap":
            group["message"] = f"{reason}: " + group["message"].astype(str)
        out.append(_findings(code, group))
    return out


def _pivot(results: pd.DataFrame) -> pd.DataFrame:
    return results.pivot_table(
        index="source_id", columns="pollutant", values="emissions_t", aggfunc="sum"
    )


def _species_findings(results: pd.DataFrame, names: pd.Series, tol: float) -> list[pd.DataFrame]:
    wide = _pivot(results)
    out = []
    if {"PM2.5", "PM10"} <= set(wide.columns):
        bad = wide[wide["PM2.5"] > wide["PM10"] * (1 + tol) + tol]
        rows = pd.DataFrame({"source_id": bad.index, "pollutant": "PM2.5"})
        rows["subject"] = rows["source_id"].map(names)
        rows["value"] = (bad["PM2.5"] - bad["PM10"]).to_numpy()
        rows["message"] = [
            f"PM2.5 {p25:.6g} t > PM10 {p10:.6g} t."
            for p25, p10 in zip(bad["PM2.5"], bad["PM10"], strict=True)
        ]
        out.append(_findings("pm25_gt_pm10", rows))
    if {"BC", "OC", "PM2.5"} <= set(wide.columns):
        carbon = wide["BC"].fillna(0) + wide["OC"].fillna(0)
        bad_mask = wide["PM2.5"].notna() & (carbon > wide["PM2.5"] * (1 + tol) + tol)
        bad = wide[bad_mask]
        rows = pd.DataFrame({"source_id": bad.index, "pollutant": "PM2.5"})
        rows["subject"] = rows["source_id"].map(names)
        rows["value"] = (carbon[bad_mask] - bad["PM2.5"]).to_numpy()
        rows["message"] = [
            f"BC + OC {c:.6g} t > PM2.5 {p:.6g} t."
            for c, p in zip(carbon[bad_mask], bad["PM2.5"], strict=True)
        ]
        out.append(_findings("bc_oc_gt_pm25", rows))
    return out


def _headline_findings(
    results: pd.DataFrame, sources: pd.DataFrame, gaps: pd.DataFrame
) -> pd.DataFrame:
    # Set-based (merges over the distinct kind x sector pairs), not a loop over sources: at
    # 10^6 result rows a Python loop here cost more than the calculation itself.
    columns = ["source_id", "pollutant", "subject", "value", "message"]
    no_activity = (
        gaps.loc[gaps["reason"] == "no_activity", "source_id"]
        if len(gaps)
        else pd.Series([], dtype="int64")
    )
    candidates = sources.loc[
        ~sources["source_id"].isin(no_activity), ["source_id", "kind", "sector", "source"]
    ]
    candidates = candidates.reset_index(drop=True).assign(order=np.arange(len(candidates)))
    combos = candidates[["kind", "sector"]].drop_duplicates()
    pairs = [
        (kind, sector, pollutant)
        for kind, sector in combos.itertuples(index=False)
        for pollutant in sorted(
            set(EXPECTED_HEADLINE.get(f"kind:{kind}", ()))
            | set(EXPECTED_HEADLINE.get(f"sector:{sector}", ()))
        )
    ]
    expected = pd.DataFrame(pairs, columns=["kind", "sector", "pollutant"], dtype=object)
    wanted = candidates.merge(expected, on=["kind", "sector"], how="inner")
    present = pd.DataFrame(
        {
            "source_id": results["source_id"].to_numpy(),
            "pollutant": results["pollutant"].astype(str).to_numpy(dtype=object),
        }
    ).drop_duplicates()
    wanted = wanted.merge(present.assign(hit=True), on=["source_id", "pollutant"], how="left")
    missing = wanted[wanted["hit"].isna()].sort_values(["order", "pollutant"], kind="stable")
    frame = pd.DataFrame(
        {
            "source_id": missing["source_id"].to_numpy(),
            "pollutant": missing["pollutant"].to_numpy(dtype=object),
            "subject": missing["source"].to_numpy(dtype=object),
            "value": np.full(len(missing), np.nan),
            "message": (
                "No "
                + missing["pollutant"].astype(str)
                + " estimate for this "
                + missing["kind"].astype(str)
                + " source (sector "
                + missing["sector"].astype(str)
                + ")."
            ).to_numpy(dtype=object),
        },
        columns=columns,
    )
    return _findings("headline_missing", frame)


def _change_findings(
    results: pd.DataFrame, previous: pd.DataFrame, threshold: float
) -> list[pd.DataFrame]:
    out = []
    for code, key in (
        ("source_change", "source_id"),
        ("sector_change", "sector"),
        ("county_change", "county"),
    ):
        now = results.groupby([key, "pollutant"], dropna=False)["emissions_t"].sum()
        before = previous.groupby([key, "pollutant"], dropna=False)["emissions_t"].sum()
        both = pd.concat([before.rename("from_t"), now.rename("to_t")], axis=1, join="inner")
        both = both[both["from_t"] > 0]
        relative = (both["to_t"] - both["from_t"]) / both["from_t"]
        mask = relative.abs() > threshold
        if not mask.any():
            continue
        flagged = both[mask].copy()
        flagged["value"] = relative[mask]
        flagged = flagged.reset_index()
        if key == "source_id":
            names = results.drop_duplicates("source_id").set_index("source_id")["source"]
            flagged["subject"] = flagged["source_id"].map(names)
        else:
            flagged["subject"] = flagged[key].astype(str)
            flagged["source_id"] = None
        flagged["message"] = [
            f"{p} {a:.6g} t -> {b:.6g} t ({v:+.0%}) vs the previous year's run."
            for p, a, b, v in zip(
                flagged["pollutant"],
                flagged["from_t"],
                flagged["to_t"],
                flagged["value"],
                strict=True,
            )
        ]
        out.append(_findings(code, flagged))
    return out


def _unchanged_findings(results: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    def per_source(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.groupby(["source_id", "pollutant"])["emissions_t"].sum().unstack()

    now, before = per_source(results), per_source(previous)
    common = now.index.intersection(before.index)
    columns = now.columns.union(before.columns)
    now = now.reindex(index=common, columns=columns)
    before = before.reindex(index=common, columns=columns)
    same = ((now == before) | (now.isna() & before.isna())).all(axis=1) & (now.sum(axis=1) > 0)
    fresh = results[results["activity_id"].notna() & ~results["carried_forward"].astype(bool)]
    old_ids = set(previous["activity_id"].dropna())
    new_activity = set(fresh.loc[~fresh["activity_id"].isin(old_ids), "source_id"])
    flagged = [s for s in same[same].index if s in new_activity]
    names = results.drop_duplicates("source_id").set_index("source_id")["source"]
    frame = pd.DataFrame({"source_id": flagged, "pollutant": None})
    frame["subject"] = frame["source_id"].map(names)
    frame["value"] = [float(now.loc[s].sum()) for s in flagged]
    frame["message"] = "Every pollutant equals last year's run although the activity is new."
    return _findings("unchanged_result", frame)


def _activity_findings(activities: pd.DataFrame, names: pd.Series) -> list[pd.DataFrame]:
    out = []
    totals = activities.groupby("source_id")["quantity"].sum()
    zero = totals[totals == 0]
    frame = pd.DataFrame({"source_id": zero.index, "pollutant": None, "value": 0.0})
    frame["subject"] = frame["source_id"].map(names)
    frame["message"] = "The source operates but its activity for the year is zero."
    out.append(_findings("zero_activity", frame))
    if "carried" in activities:
        carried = activities[activities["carried"].astype(bool)].drop_duplicates("source_id")
        frame = pd.DataFrame({"source_id": carried["source_id"].to_numpy(), "pollutant": None})
        frame["subject"] = frame["source_id"].map(names)
        frame["value"] = (
            carried["activity_year"].to_numpy(float) if "activity_year" in carried else np.nan
        )
        frame["message"] = [
            f"No activity for the year; {int(y)}'s activity was carried forward."
            if pd.notna(y)
            else "No activity for the year; an earlier year's activity was carried forward."
            for y in frame["value"]
        ]
        out.append(_findings("carried_forward", frame))
    return out


def _intensity_findings(results: pd.DataFrame, config: QAConfig) -> pd.DataFrame:
    with_activity = results[results["activity_value"].notna()].drop_duplicates(
        ["source_id", "activity_id"]
    )
    units = with_activity.groupby("source_id")["activity_unit"].nunique()
    single = units[units == 1].index
    activity = (
        with_activity[with_activity["source_id"].isin(single)]
        .groupby("source_id")
        .agg(activity=("activity_value", "sum"), unit=("activity_unit", "first"))
    )
    per_source = (
        results.groupby(["source_id", "pollutant"])
        .agg(emissions=("emissions_t", "sum"), class_code=("class_code", "first"))
        .reset_index()
        .merge(activity, left_on="source_id", right_index=True)
    )
    per_source = per_source[(per_source["activity"] > 0) & (per_source["emissions"] > 0)]
    per_source["intensity"] = per_source["emissions"] / per_source["activity"]
    groups = per_source.groupby(["class_code", "pollutant", "unit"], dropna=False)["intensity"]
    per_source["peers"] = groups.transform("size")
    per_source["median"] = groups.transform("median")
    per_source["ratio"] = per_source["intensity"] / per_source["median"]
    flagged = per_source[
        (per_source["peers"] >= config.min_peers)
        & (
            (per_source["ratio"] > config.outlier_factor)
            | (per_source["ratio"] < 1 / config.outlier_factor)
        )
    ].copy()
    names = results.drop_duplicates("source_id").set_index("source_id")["source"]
    flagged["subject"] = flagged["source_id"].map(names)
    flagged["value"] = flagged["ratio"]
    flagged["message"] = [
        f"{p} {i:.4g} t per {u} is {r:.3g} x the median of {n} peers in class {c}."
        for p, i, u, r, n, c in zip(
            flagged["pollutant"],
            flagged["intensity"],
            flagged["unit"],
            flagged["ratio"],
            flagged["peers"],
            flagged["class_code"],
            strict=True,
        )
    ]
    return _findings("intensity_outlier", flagged)


def run_checks(
    results: pd.DataFrame,
    sources: pd.DataFrame,
    gaps: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
    previous: pd.DataFrame | None = None,
    config: QAConfig | None = None,
) -> pd.DataFrame:
    """Run every check of the catalogue; returns findings (columns ``FINDING_COLUMNS``).

    ``results``: result rows with ``source_id``, ``pollutant``, ``emissions_t`` (t/yr),
    ``activity_id``, ``activity_value``, ``activity_unit``, ``class_code``, ``sector``,
    ``county``, ``source`` and ``carried_forward``. ``sources``: the operating sources
    (``source_id``, ``kind``, ``sector``, ``source``). ``gaps``: source x pollutant rows that
    could not be estimated (``reason`` ``no_activity``, ``no_factor`` or another, ``message``).
    ``activities``: the activity input (``source_id``, ``quantity``, optional ``carried`` and
    ``activity_year``). ``previous``: the previous year's result rows, for the change checks.
    """
    config = config or QAConfig()
    gaps = (
        gaps
        if gaps is not None
        else pd.DataFrame(columns=["source_id", "pollutant", "reason", "message"])
    )
    names = sources.drop_duplicates("source_id").set_index("source_id")["source"]
    parts = [*_gap_findings(gaps, names)]
    if activities is not None and len(activities):
        parts.extend(_activity_findings(activities, names))
    parts.append(_headline_findings(results, sources, gaps))
    if len(results):
        parts.extend(_species_findings(results, names, config.tolerance))
        parts.append(_intensity_findings(results, config))
        if previous is not None and len(previous):
            parts.extend(_change_findings(results, previous, config.change_threshold))
            parts.append(_unchanged_findings(results, previous))
    parts = [part for part in parts if len(part)]
    if not parts:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    findings = pd.concat(parts, ignore_index=True)
    findings["value"] = pd.to_numeric(findings["value"], errors="coerce").astype("float64")
    for column in ("pollutant", "subject", "source_id"):
        values = findings[column].astype(object)
        findings[column] = values.where(values.notna(), None)
    order = {"error": 0, "warning": 1}
    return findings.sort_values(
        ["severity", "code"],
        key=lambda s: s.map(order) if s.name == "severity" else s,
        kind="stable",
    ).reset_index(drop=True)
