"""Each QA check catches its seeded problem (pure frames, numbers by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from inventory.qa import CATALOGUE, FINDING_COLUMNS, QAConfig, run_checks


def _row(
    source_id,
    pollutant,
    e,
    *,
    activity_id=None,
    a=None,
    unit="t",
    kind="point",
    sector="power_heat",
    county="150502",
    cls="0101",
    carried=False,
):
    return {
        "source_id": source_id,
        "pollutant": pollutant,
        "emissions_t": e,
        "activity_id": activity_id,
        "activity_value": a,
        "activity_unit": unit,
        "kind": kind,
        "sector": sector,
        "county": county,
        "region_code": county,
        "class_code": cls,
        "source": f"S{source_id}",
        "carried_forward": carried,
    }


def _sources(rows):
    frame = pd.DataFrame(rows)[["source_id", "kind", "sector", "source"]]
    return frame.drop_duplicates("source_id").reset_index(drop=True)


def _codes(findings):
    return set(zip(findings["code"], findings["source_id"], findings["pollutant"], strict=True))


def test_clean_inventory_has_no_findings() -> None:
    rows = [
        _row(1, "NOx", 5.0, activity_id=10, a=1000),
        _row(1, "PM10", 1, activity_id=10, a=1000),
        _row(1, "PM2.5", 0.6, activity_id=10, a=1000),
        _row(1, "BC", 0.1, activity_id=10, a=1000),
        _row(1, "OC", 0.2, activity_id=10, a=1000),
    ]
    frame = pd.DataFrame(rows)
    findings = run_checks(frame, _sources(rows))
    assert list(findings.columns) == FINDING_COLUMNS
    assert findings.empty


def test_species_and_headline_checks() -> None:
    rows = [
        _row(1, "NOx", 5.0, activity_id=10, a=1000),
        _row(1, "PM10", 1.0, activity_id=10, a=1000),
        _row(1, "PM2.5", 1.5, activity_id=10, a=1000),  # PM2.5 > PM10
        _row(2, "NOx", 2.0, activity_id=20, a=10),
        _row(2, "PM10", 2.0, activity_id=20, a=10),
        _row(2, "PM2.5", 1.0, activity_id=20, a=10),
        _row(2, "BC", 0.7, activity_id=20, a=10),
        _row(2, "OC", 0.4, activity_id=20, a=10),  # BC + OC 1.1 > PM2.5 1.0
        _row(3, "NOx", 1.0, activity_id=30, a=5, kind="mobile", sector="onroad", cls="0301"),
        _row(4, "SO2", 1.0, activity_id=40, a=5, sector="industrial_combustion", cls="0102"),
    ]
    findings = run_checks(pd.DataFrame(rows), _sources(rows))
    codes = _codes(findings)
    assert ("pm25_gt_pm10", 1, "PM2.5") in codes
    assert ("bc_oc_gt_pm25", 2, "PM2.5") in codes
    assert ("headline_missing", 3, "VOCs") in codes  # trucks without VOCs
    assert ("headline_missing", 4, "NOx") in codes  # a boiler without NOx
    assert ("headline_missing", 1, "VOCs") not in codes  # power plants: NOx only
    value = findings.loc[findings["code"] == "bc_oc_gt_pm25", "value"].iloc[0]
    assert value == pytest.approx(0.1)
    assert list(findings["severity"].unique()) == ["error"]


def test_gaps_activity_and_carried() -> None:
    rows = [_row(1, "NOx", 5.0, activity_id=10, a=1000)]
    sources = pd.concat(
        [
            _sources(rows),
            pd.DataFrame(
                [{"source_id": 2, "kind": "point", "sector": "power_heat", "source": "S2"}]
            ),
        ],
        ignore_index=True,
    )
    gaps = pd.DataFrame(
        [
            {"source_id": 1, "pollutant": "SO2", "reason": "no_factor", "message": "none"},
            {"source_id": 1, "pollutant": "CO", "reason": "no_parameter", "message": "x"},
            {"source_id": 2, "pollutant": None, "reason": "no_activity", "message": "none"},
            {"source_id": 4, "pollutant": "NH3", "reason": "no_factor", "message": "none"},
            {"source_id": 4, "pollutant": "SO2", "reason": "no_factor", "message": "none"},
            {"source_id": 4, "pollutant": "BC", "reason": "no_factor", "message": "none"},
        ]
    )
    activities = pd.DataFrame(
        [
            {"source_id": 1, "quantity": 1000.0, "carried": True, "activity_year": 2023},
            {"source_id": 3, "quantity": 0.0, "carried": False, "activity_year": 2024},
        ]
    )
    findings = run_checks(pd.DataFrame(rows), sources, gaps, activities)
    codes = _codes(findings)
    assert ("no_factor", 1, "SO2") in codes
    assert ("calc_gap", 1, "CO") in codes
    assert ("no_activity", 2, None) in codes
    assert ("carried_forward", 1, None) in codes
    assert ("zero_activity", 3, None) in codes
    assert ("headline_missing", 2, "NOx") not in codes  # already reported as no_activity
    several = findings[(findings["code"] == "no_factor") & (findings["source_id"] == 4)]
    assert len(several) == 1  # one finding per source lists every pollutant it lacks
    assert several["value"].iloc[0] == 3 and several["pollutant"].iloc[0] is None
    assert "SO2, BC, NH3" in several["message"].iloc[0]
    carried = findings[findings["code"] == "carried_forward"].iloc[0]
    assert "2023" in carried["message"]
    assert findings.iloc[0]["severity"] == "error"  # errors first


def test_year_over_year_checks_and_threshold() -> None:
    previous = [
        _row(1, "NOx", 10.0, activity_id=10, a=1000),
        _row(2, "NOx", 4.0, activity_id=20, a=100, county="150521"),
        _row(3, "NOx", 3.0, activity_id=30, a=50, county="150521"),
    ]
    current = [
        _row(1, "NOx", 13.0, activity_id=11, a=1300),  # +30 %
        _row(2, "NOx", 4.0, activity_id=21, a=120, county="150521"),  # new activity, same result
        _row(3, "NOx", 3.0, activity_id=30, a=50, county="150521", carried=True),  # carried: ok
    ]
    findings = run_checks(pd.DataFrame(current), _sources(current), previous=pd.DataFrame(previous))
    codes = _codes(findings)
    assert ("source_change", 1, "NOx") in codes
    assert ("unchanged_result", 2, None) in codes
    assert ("unchanged_result", 3, None) not in codes
    county = findings[findings["code"] == "county_change"]
    assert list(county["subject"]) == ["150502"]  # 150521 did not change
    assert county["value"].iloc[0] == pytest.approx(0.3)
    assert "sector_change" not in set(findings["code"])  # 17 -> 20 t is +17.6 %: below 20 %
    loose = run_checks(
        pd.DataFrame(current),
        _sources(current),
        previous=pd.DataFrame(previous),
        config=QAConfig(change_threshold=0.5),
    )
    assert "source_change" not in set(loose["code"])


def test_intensity_outlier() -> None:
    rows = [_row(i, "NOx", 10.0, activity_id=i, a=1000) for i in range(1, 6)]
    rows.append(_row(6, "NOx", 1000.0, activity_id=6, a=1000))  # 100 x its peers' intensity
    findings = run_checks(pd.DataFrame(rows), _sources(rows))
    outliers = findings[findings["code"] == "intensity_outlier"]
    assert list(outliers["source_id"]) == [6]
    assert outliers["value"].iloc[0] == pytest.approx(100.0)
    few = run_checks(pd.DataFrame(rows[-3:]), _sources(rows[-3:]))
    assert "intensity_outlier" not in set(few["code"])  # fewer than 4 peers: no verdict


def test_catalogue_is_documented() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "qa.md").read_text(encoding="utf-8")
    for code, check in CATALOGUE.items():
        assert f"`{code}`" in text, code
        assert check.severity in ("error", "warning")
