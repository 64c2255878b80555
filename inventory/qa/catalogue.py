"""The QA catalogue: every check with its stable code, severity and meaning.

Codes never change meaning once released; docs/qa.md lists the same table for users.
"""

from __future__ import annotations

from dataclasses import dataclass

from inventory import HEADLINE_POLLUTANTS

__all__ = ["CATALOGUE", "EXPECTED_HEADLINE", "FINDING_COLUMNS", "QACheck", "check"]


@dataclass(frozen=True)
class QACheck:
    """One check: ``code`` (stable), ``severity`` (``error`` or ``warning``) and what it means."""

    code: str
    severity: str
    title: str
    meaning: str


CATALOGUE: dict[str, QACheck] = {
    item.code: item
    for item in [
        QACheck(
            "no_activity",
            "error",
            "Operating source without activity",
            "The source operates in the year but has no activity record (and no measured "
            "emissions) for it, so nothing could be estimated. Load the year's survey or build "
            "with --carry-forward.",
        ),
        QACheck(
            "no_factor",
            "warning",
            "No emission factor",
            "No factor in the active factor sets matches the source for these pollutants; they "
            "are missing for the source (a gap, never a silent zero). One finding per source "
            "lists them all; value = how many.",
        ),
        QACheck(
            "no_ncv",
            "warning",
            "No calorific value",
            "The source burns a fuel counted in t or m3 whose factors are per GJ, and neither "
            "the survey (低位发热量) nor the factor library gives its net calorific value; those "
            "pollutants are missing (a gap). One finding per source lists them; value = how many.",
        ),
        QACheck(
            "calc_gap",
            "warning",
            "Not estimated",
            "The calculation core could not estimate this source and pollutant for another "
            "reason (given in the message, e.g. a missing method parameter).",
        ),
        QACheck(
            "carried_forward",
            "warning",
            "Activity carried forward",
            "The source had no activity for the year; its latest earlier year's activity was "
            "used (build --carry-forward).",
        ),
        QACheck(
            "headline_missing",
            "error",
            "Headline pollutant missing",
            "A source of a kind or sector that emits NOx or VOCs has no estimate for it.",
        ),
        QACheck(
            "pm25_gt_pm10",
            "error",
            "PM2.5 above PM10",
            "PM2.5 is a part of PM10, so PM2.5 > PM10 for a source is impossible.",
        ),
        QACheck(
            "bc_oc_gt_pm25",
            "error",
            "BC + OC above PM2.5",
            "Black and organic carbon are parts of PM2.5, so BC + OC > PM2.5 is impossible.",
        ),
        QACheck(
            "source_change",
            "warning",
            "Large change of a source",
            "A source's emissions of a pollutant changed by more than the threshold (20 % by "
            "default) from the previous year's run; value = relative change.",
        ),
        QACheck(
            "sector_change",
            "warning",
            "Large change of a sector",
            "A sector's emissions of a pollutant changed by more than the threshold from the "
            "previous year's run; value = relative change.",
        ),
        QACheck(
            "county_change",
            "warning",
            "Large change of a county",
            "A county's emissions of a pollutant changed by more than the threshold from the "
            "previous year's run; value = relative change.",
        ),
        QACheck(
            "unchanged_result",
            "warning",
            "Identical to last year despite new activity",
            "The source has new activity records for the year, yet every pollutant's emissions "
            "equal last year's to the last digit: a copied survey or stale measured data?",
        ),
        QACheck(
            "zero_activity",
            "warning",
            "Operating source with zero activity",
            "The source operates in the year but its activity is zero.",
        ),
        QACheck(
            "intensity_outlier",
            "warning",
            "Emission intensity far from peers",
            "Emissions per unit activity differ from the median of the same class, pollutant "
            "and activity unit by more than a factor (10 by default); value = ratio to median.",
        ),
    ]
}
"""Every check by code."""

EXPECTED_HEADLINE: dict[str, tuple[str, ...]] = {
    "kind:mobile": HEADLINE_POLLUTANTS,
    "kind:nonroad": HEADLINE_POLLUTANTS,
    "sector:power_heat": ("NOx",),
    "sector:industrial_combustion": ("NOx",),
    "sector:onroad": HEADLINE_POLLUTANTS,
    "sector:nonroad": HEADLINE_POLLUTANTS,
    "sector:solvent": ("VOCs",),
    "sector:storage_transport": ("VOCs",),
    "sector:biomass_burning": HEADLINE_POLLUTANTS,
}
"""Which headline pollutants a source must have, by its kind or its sector (union of both)."""

FINDING_COLUMNS = ["code", "severity", "source_id", "pollutant", "subject", "value", "message"]
"""Columns of a findings frame (and of the ``qa_finding`` table, without ids)."""


def check(code: str) -> QACheck:
    """The catalogue entry of ``code`` (KeyError for an unknown code: a bug)."""
    return CATALOGUE[code]
