"""Small fixture inventories written straight into a store with the ORM (no import needed).

Used by the build, results, diff, QA and report tests; numbers in those tests are worked out by
hand from the rows made here. (This module holds helpers only.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inventory.db.models import (
    ActivityRecord,
    ControlDevice,
    ControlEfficiency,
    EmissionResult,
    Facility,
    FacilityVersion,
    Factor,
    FactorSet,
    ImportBatch,
    MeasuredEmission,
    Run,
    Source,
    SourceVersion,
)
from inventory.db.session import make_engine, session_scope
from inventory.store import initialise

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def open_store(url: str) -> Engine:
    """Initialise the database at ``url`` and return an engine on it."""
    initialise(url)
    return make_engine(url)


def batch(session: Session, year: int, name: str = "survey.xlsx") -> int:
    """An import batch of ``year``; returns its id."""
    row = ImportBatch(
        file_name=f"{year}-{name}",
        sha256="0" * 64,
        sheets="锅炉",
        year=year,
        created_at=NOW,
        user="test",
    )
    session.add(row)
    session.flush()
    return row.id


def facility(session: Session, credit_code: str, name: str, region: str, batch_id: int) -> int:
    """A facility with one version valid from 2000; returns its id."""
    row = Facility(credit_code=credit_code, created_batch_id=batch_id)
    session.add(row)
    session.flush()
    session.add(
        FacilityVersion(
            facility_id=row.id,
            batch_id=batch_id,
            valid_from=date(2000, 1, 1),
            name=name,
            region_code=region,
        )
    )
    session.flush()
    return row.id


def source(
    session: Session,
    kind: str,
    natural_key: str,
    batch_id: int,
    *,
    facility_id: int | None = None,
    valid_from: date = date(2000, 1, 1),
    valid_to: date | None = None,
    controls: list[dict[str, Any]] | None = None,
    **attributes: Any,
) -> tuple[int, int]:
    """A source with one version (attributes: region_code, class_code, fuel, ...);
    returns (source id, version id)."""
    row = Source(
        kind=kind, natural_key=natural_key, facility_id=facility_id, created_batch_id=batch_id
    )
    session.add(row)
    session.flush()
    version_id = add_version(
        session,
        row.id,
        batch_id,
        valid_from=valid_from,
        valid_to=valid_to,
        controls=controls,
        **attributes,
    )
    return row.id, version_id


def add_version(
    session: Session,
    source_id: int,
    batch_id: int,
    *,
    valid_from: date,
    valid_to: date | None = None,
    controls: list[dict[str, Any]] | None = None,
    **attributes: Any,
) -> int:
    """A further version of a source; returns its id."""
    attributes.setdefault("region_code", "150502")
    version = SourceVersion(
        source_id=source_id,
        batch_id=batch_id,
        valid_from=valid_from,
        valid_to=valid_to,
        **attributes,
    )
    session.add(version)
    session.flush()
    for control in controls or []:
        session.add(ControlDevice(source_version_id=version.id, **{"role": "denox", **control}))
    session.flush()
    return version.id


def activity(
    session: Session,
    source_id: int,
    batch_id: int,
    year: int,
    quantity: float,
    unit: str,
    activity_type: str = "fuel_use",
    **extra: Any,
) -> int:
    """An activity record; returns its id."""
    row = ActivityRecord(
        source_id=source_id,
        batch_id=batch_id,
        year=year,
        activity_type=activity_type,
        quantity=quantity,
        unit=unit,
        **extra,
    )
    session.add(row)
    session.flush()
    return row.id


def measured(
    session: Session,
    source_id: int,
    batch_id: int,
    year: int,
    pollutant: str,
    quantity: float,
    unit: str = "t",
) -> None:
    """A measured annual emission (CEMS)."""
    session.add(
        MeasuredEmission(
            source_id=source_id,
            batch_id=batch_id,
            year=year,
            pollutant=pollutant,
            quantity=quantity,
            unit=unit,
            method="cems",
        )
    )
    session.flush()


def factor_set(session: Session, name: str = "test-factors", priority: int = 0) -> int:
    """An active factor set; returns its id."""
    row = FactorSet(
        name=name,
        version="1",
        kind="local",
        priority=priority,
        checksum="0" * 64,
        loaded_at=NOW,
        active=True,
    )
    session.add(row)
    session.flush()
    return row.id


def factor(
    session: Session,
    set_id: int,
    class_code: str,
    pollutant: str,
    value: float,
    unit: str,
    document: str = "Test handbook",
    page: str | None = "Table 1",
    basis: str = "uncontrolled",
    **selectors: Any,
) -> int:
    """A factor with its published source; returns its id."""
    row = Factor(
        factor_set_id=set_id,
        factor_key=f"{class_code}:{pollutant}:{selectors}",
        table_name="test",
        class_code=class_code,
        pollutant=pollutant,
        value=value,
        unit=unit,
        basis=basis,
        source_document=document,
        table_or_page=page,
        **selectors,
    )
    session.add(row)
    session.flush()
    return row.id


def efficiency(
    session: Session, set_id: int, technology: str, pollutant: str, value: float
) -> None:
    """A control efficiency of a technology (fraction)."""
    session.add(
        ControlEfficiency(
            factor_set_id=set_id,
            technology=technology,
            pollutant=pollutant,
            efficiency=value,
            source_document="Test handbook",
            table_or_page="Table 9",
        )
    )
    session.flush()


@dataclass
class ResultRow:
    """One result row to store in a hand-made run (t/yr)."""

    source_id: int
    pollutant: str
    emissions_t: float
    kind: str = "point"
    class_code: str | None = "0101"
    sector: str | None = "power_heat"
    region_code: str | None = "150502"
    method: str = "emission_factor"
    uncontrolled_t: float | None = None
    activity_id: int | None = None
    activity_value: float | None = None
    activity_unit: str | None = None
    factor_value: float | None = None
    factor_unit: str | None = None
    factor_source: str | None = None
    control_efficiency: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def run(
    session: Session,
    year: int,
    rows: list[ResultRow],
    *,
    scenario: str | None = None,
    label: str | None = None,
    created_at: datetime = NOW,
) -> int:
    """A stored run with the given result rows; returns its id."""
    row = Run(
        year=year,
        label=label,
        scenario=scenario,
        created_at=created_at,
        package_version="test",
        factor_set_version="test-factors 1",
        fingerprint="f" * 64,
        n_results=len(rows),
    )
    session.add(row)
    session.flush()
    for item in rows:
        session.add(
            EmissionResult(
                run_id=row.id,
                source_id=item.source_id,
                pollutant=item.pollutant,
                emissions_t=item.emissions_t,
                kind=item.kind,
                class_code=item.class_code,
                sector=item.sector,
                region_code=item.region_code,
                method=item.method,
                uncontrolled_t=item.uncontrolled_t,
                activity_id=item.activity_id,
                activity_value=item.activity_value,
                activity_unit=item.activity_unit,
                factor_value=item.factor_value,
                factor_unit=item.factor_unit,
                factor_source=item.factor_source,
                control_efficiency=item.control_efficiency,
                **item.extra,
            )
        )
    session.flush()
    return row.id


__all__ = [
    "NOW",
    "ResultRow",
    "activity",
    "add_version",
    "batch",
    "efficiency",
    "facility",
    "factor",
    "factor_set",
    "measured",
    "open_store",
    "run",
    "session_scope",
    "source",
]


@dataclass
class TwoYears:
    """Ids of the hand-made two-year inventory of :func:`seed_two_years`."""

    sources: dict[str, int]
    run_2024: int
    run_2025: int
    run_2025_old: int
    scenario_2025: int


def seed_two_years(engine: Engine) -> TwoYears:
    """Sources and stored runs for 2024 and 2025 (NOx in t/yr, hand-checkable):

    ======  =================================  ===============================  ================
    source  what                               2024                             2025
    ======  =================================  ===============================  ================
    S1      F1 power unit, coal (0101)         A 1000 t, U 10, c .5, E 5        A 1200, U 9.6, c .75, E 2.4
    S2      F2 boiler (0102), new in 2025      -                                A 300 t, E 3
    S3      F1 boiler (0102), closed           A 500 t, E 4                     -
    S4      F2 power unit (0101)               factor, A 600 t, E 6             measured 5
    S5      F2 gas boiler (0102), 150521       A 100 万立方米, U 2, E 2         A 1500000 立方米, U 3, E 3
    M1      heavy trucks 150502 (0301)         E 1.5 (VOCs 0.5)                 E 1.5 (VOCs 0.5)
    ======  =================================  ===============================  ================

    S1 also has PM10 1.0 / PM2.5 0.6 in 2024 and PM10 1.2 / PM2.5 0.72 in 2025.
    """
    with session_scope(engine) as s:
        b24, b25 = batch(s, 2024), batch(s, 2025)
        f1 = facility(s, "91150500MA0000001X", "通辽热电", "150502", b24)
        f2 = facility(s, "91150521MA0000002Y", "科左中旗供热", "150521", b24)
        ids = {}
        ids["S1"], _ = source(
            s,
            "point",
            "91150500MA0000001X/1#",
            b24,
            facility_id=f1,
            class_code="0101",
            region_code="150502",
            name="1#机组",
            fuel="燃煤",
        )
        ids["S2"], _ = source(
            s,
            "point",
            "91150521MA0000002Y/2#",
            b25,
            facility_id=f2,
            class_code="0102",
            region_code="150521",
            name="2#锅炉",
            valid_from=date(2025, 1, 1),
        )
        ids["S3"], _ = source(
            s,
            "point",
            "91150500MA0000001X/3#",
            b24,
            facility_id=f1,
            class_code="0102",
            region_code="150502",
            name="3#锅炉",
            valid_to=date(2025, 1, 1),
        )
        ids["S4"], _ = source(
            s,
            "point",
            "91150521MA0000002Y/4#",
            b24,
            facility_id=f2,
            class_code="0101",
            region_code="150521",
            name="4#机组",
        )
        ids["S5"], _ = source(
            s,
            "point",
            "91150521MA0000002Y/5#",
            b24,
            facility_id=f2,
            class_code="0102",
            region_code="150521",
            name="5#燃气锅炉",
            fuel="天然气",
        )
        ids["M1"], _ = source(
            s,
            "mobile",
            "150502/重型载货汽车/柴油/国5",
            b24,
            class_code="0301",
            region_code="150502",
            fuel="柴油",
            vehicle_class="重型载货汽车",
            standard="国5",
        )
        act = {
            "a24_1": activity(s, ids["S1"], b24, 2024, 1000, "t", fuel="燃煤"),
            "a25_1": activity(s, ids["S1"], b25, 2025, 1200, "t", fuel="燃煤"),
            "a25_2": activity(s, ids["S2"], b25, 2025, 300, "t", fuel="燃煤"),
            "a24_3": activity(s, ids["S3"], b24, 2024, 500, "t", fuel="燃煤"),
            "a24_4": activity(s, ids["S4"], b24, 2024, 600, "t", fuel="燃煤"),
            "a25_4": activity(s, ids["S4"], b25, 2025, 600, "t", fuel="燃煤"),
            "a24_5": activity(s, ids["S5"], b24, 2024, 100, "万立方米", fuel="天然气"),
            "a25_5": activity(s, ids["S5"], b25, 2025, 1_500_000, "立方米", fuel="天然气"),
            "a24_m": activity(
                s, ids["M1"], b24, 2024, 100, "辆", "population", fuel="柴油", km_per_vehicle=50_000
            ),
            "a25_m": activity(
                s, ids["M1"], b25, 2025, 100, "辆", "population", fuel="柴油", km_per_vehicle=50_000
            ),
        }

        def point(
            key: str,
            pollutant: str,
            e: float,
            u: float,
            a: float,
            unit: str,
            activity_key: str,
            c: float = 0.0,
            cls: str = "0101",
            sector: str = "power_heat",
            region: str = "150502",
        ) -> ResultRow:
            return ResultRow(
                ids[key],
                pollutant,
                e,
                "point",
                cls,
                sector,
                region,
                uncontrolled_t=u,
                activity_id=act[activity_key],
                activity_value=a,
                activity_unit=unit,
                factor_value=u / a * 1000,
                factor_unit="kg/t",
                factor_source="Test handbook, Table 1",
                control_efficiency=c,
            )

        def truck(pollutant: str, e: float, activity_key: str) -> ResultRow:
            return ResultRow(
                ids["M1"],
                pollutant,
                e,
                "mobile",
                "0301",
                "onroad",
                "150502",
                uncontrolled_t=e,
                activity_id=act[activity_key],
                activity_value=5_000_000,
                activity_unit="km",
                factor_value=e / 5,
                factor_unit="g/km",
                factor_source="MEE 2014 on-road guideline",
                control_efficiency=0.0,
            )

        rows_2024 = [
            point("S1", "NOx", 5, 10, 1000, "t", "a24_1", 0.5),
            point("S1", "PM10", 1.0, 1.0, 1000, "t", "a24_1"),
            point("S1", "PM2.5", 0.6, 0.6, 1000, "t", "a24_1"),
            point("S3", "NOx", 4, 4, 500, "t", "a24_3", cls="0102", sector="industrial_combustion"),
            point("S4", "NOx", 6, 6, 600, "t", "a24_4", region="150521"),
            point(
                "S5",
                "NOx",
                2,
                2,
                100,
                "万立方米",
                "a24_5",
                cls="0102",
                sector="industrial_combustion",
                region="150521",
            ),
            truck("NOx", 1.5, "a24_m"),
            truck("VOCs", 0.5, "a24_m"),
        ]
        rows_2025 = [
            point("S1", "NOx", 2.4, 9.6, 1200, "t", "a25_1", 0.75),
            point("S1", "PM10", 1.2, 1.2, 1200, "t", "a25_1"),
            point("S1", "PM2.5", 0.72, 0.72, 1200, "t", "a25_1"),
            point(
                "S2",
                "NOx",
                3,
                3,
                300,
                "t",
                "a25_2",
                cls="0102",
                sector="industrial_combustion",
                region="150521",
            ),
            ResultRow(
                ids["S4"],
                "NOx",
                5,
                "point",
                "0101",
                "power_heat",
                "150521",
                method="measured",
                extra={"replaced_method": "emission_factor"},
            ),
            point(
                "S5",
                "NOx",
                3,
                3,
                1_500_000,
                "立方米",
                "a25_5",
                cls="0102",
                sector="industrial_combustion",
                region="150521",
            ),
            truck("NOx", 1.5, "a25_m"),
            truck("VOCs", 0.5, "a25_m"),
        ]
        run_2024 = run(s, 2024, rows_2024, label="2024 base")
        run_2025_old = run(
            s,
            2025,
            [ResultRow(ids["S1"], "NOx", 99.0)],
            created_at=datetime(2025, 12, 1, tzinfo=UTC),
        )
        run_2025 = run(
            s, 2025, rows_2025, label="2025 base", created_at=datetime(2026, 1, 2, tzinfo=UTC)
        )
        scenario_2025 = run(
            s,
            2025,
            [ResultRow(ids["S1"], "NOx", 1.2)],
            scenario="plan",
            created_at=datetime(2026, 1, 3, tzinfo=UTC),
        )
    return TwoYears(ids, run_2024, run_2025, run_2025_old, scenario_2025)


def only_test_factors(engine: Engine) -> int:
    """Deactivate every shipped factor set and add an active test set; returns its id."""
    with session_scope(engine) as s:
        for row in s.query(FactorSet).all():
            row.active = False
        return factor_set(s)


@dataclass
class SmallCity:
    """Ids of :func:`seed_small_city`."""

    sources: dict[str, int]
    activities: dict[str, int]
    batches: dict[int, int]
    factors: dict[str, int]


def seed_small_city(engine: Engine) -> SmallCity:
    """A small city to build (factors: coal 10 kg/t NOx, 2 kg/t PM10, 1 kg/t PM2.5; trucks
    国5 5 g/km NOx, 0.2 g/km VOCs; SCR removes 70 % of NOx):

    - P1 power unit, 燃煤, SCR (table 0.7) until 2025, then SCR at 0.9 (a new version);
      2024: 1000 t (a superseded 9999 t record is ignored); 2025: 1200 t.
    - P2 power unit, 燃煤, 500 t in 2024 only (carried forward into 2025 on request).
    - P3 power unit, 燃煤, 800 t and CEMS NOx 4 t in 2024 only.
    - M1 heavy trucks 国5: 100 vehicles x 50 000 km in 2024 and 2025.
    - P4 industrial boiler (0102) burning 生物质: no factor -> gaps.
    - P5 closed at the start of 2024 (never built); P6 operating without any activity.
    """
    set_id = only_test_factors(engine)
    with session_scope(engine) as s:
        b24, b24fix, b25 = batch(s, 2024), batch(s, 2024, "fixed.xlsx"), batch(s, 2025)
        f1 = facility(s, "91150500MA0000001X", "通辽热电", "150502", b24)
        coal = {"fuel": "燃煤", "class_code": "0101", "region_code": "150502"}
        ids: dict[str, int] = {}
        ids["P1"], _ = source(
            s,
            "point",
            "91150500MA0000001X/1#",
            b24,
            facility_id=f1,
            name="1#机组",
            valid_to=date(2025, 1, 1),
            controls=[{"technology": "SCR", "pollutant": "NOx"}],
            **coal,
        )
        add_version(
            s,
            ids["P1"],
            b25,
            valid_from=date(2025, 1, 1),
            name="1#机组",
            controls=[{"technology": "SCR", "pollutant": "NOx", "efficiency": 0.9}],
            **coal,
        )
        ids["P2"], _ = source(
            s, "point", "91150500MA0000001X/2#", b24, facility_id=f1, name="2#机组", **coal
        )
        ids["P3"], _ = source(
            s, "point", "91150500MA0000001X/3#", b24, facility_id=f1, name="3#机组", **coal
        )
        ids["M1"], _ = source(
            s,
            "mobile",
            "150502/重型载货汽车/柴油/国5",
            b24,
            class_code="0301",
            region_code="150502",
            fuel="柴油",
            vehicle_class="重型载货汽车",
            standard="国5",
        )
        ids["P4"], _ = source(
            s,
            "point",
            "91150500MA0000001X/4#",
            b24,
            facility_id=f1,
            name="4#生物质锅炉",
            fuel="生物质",
            class_code="0102",
            region_code="150521",
        )
        ids["P5"], _ = source(
            s,
            "point",
            "91150500MA0000001X/5#",
            b24,
            facility_id=f1,
            valid_to=date(2024, 1, 1),
            **coal,
        )
        ids["P6"], _ = source(s, "point", "91150500MA0000001X/6#", b24, facility_id=f1, **coal)
        acts = {
            "old_p1": activity(s, ids["P1"], b24, 2024, 9999, "t", fuel="燃煤"),
            "p1_24": activity(s, ids["P1"], b24fix, 2024, 1000, "t", fuel="燃煤"),
            "p1_25": activity(s, ids["P1"], b25, 2025, 1200, "t", fuel="燃煤"),
            "p2_24": activity(s, ids["P2"], b24, 2024, 500, "t", fuel="燃煤"),
            "p3_24": activity(s, ids["P3"], b24, 2024, 800, "t", fuel="燃煤"),
            "m1_24": activity(
                s, ids["M1"], b24, 2024, 100, "辆", "population", km_per_vehicle=50_000
            ),
            "m1_25": activity(
                s, ids["M1"], b25, 2025, 100, "辆", "population", km_per_vehicle=50_000
            ),
            "p4_24": activity(s, ids["P4"], b24, 2024, 300, "t", fuel="生物质"),
            "p5_24": activity(s, ids["P5"], b24, 2024, 300, "t", fuel="燃煤"),
        }
        s.get(ActivityRecord, acts["old_p1"]).superseded_by_batch_id = b24fix
        measured(s, ids["P3"], b24, 2024, "NOx", 4.0)
        factors = {
            "nox": factor(
                s, set_id, "01", "NOx", 10, "kg/t", "Coal handbook", "Table 3", fuel="燃煤"
            ),
            "pm10": factor(s, set_id, "01", "PM10", 2, "kg/t", fuel="燃煤"),
            "pm25": factor(s, set_id, "01", "PM2.5", 1, "kg/t", fuel="燃煤"),
            "truck_nox": factor(
                s,
                set_id,
                "0301",
                "NOx",
                5,
                "g/km",
                "MEE 2014 on-road guideline",
                vehicle_class="重型载货汽车",
                standard="国5",
            ),
            "truck_voc": factor(
                s, set_id, "0301", "VOCs", 0.2, "g/km", vehicle_class="重型载货汽车", standard="国5"
            ),
        }
        efficiency(s, set_id, "SCR", "NOx", 0.7)
    return SmallCity(ids, acts, {2024: b24, 2025: b25}, factors)
