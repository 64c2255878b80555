"""Put a synthetic inventory into an initialised store, fast, through the driver's bulk path.

One import batch holds it all: facilities and their versions for point sources, sources with
their natural keys, one version each (valid from 1 January of the year), control devices,
activity records, measured emissions, synthetic counties beyond Tongliao's when the inventory
is provincial-size, and the synthetic factor library as two factor sets (a base set and a
higher-priority local one). The shipped factor sets are deactivated, so that a build uses
exactly the library the references use. Rows go in with SQLite ``executemany`` or PostgreSQL
``COPY`` on the raw DBAPI connection (the ORM would send one INSERT per row).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from inventory.synthetic.catalogue import SYNTHETIC_SOURCE
from inventory.synthetic.frames import SyntheticInventory
from inventory.units import conversion_factor

__all__ = ["credit_codes", "write_database", "write_rows"]

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_ROLE = {
    "石灰石-石膏湿法": "desulf",
    "半干法脱硫": "desulf",
    "SCR": "denox",
    "SNCR": "denox",
    "低氮燃烧": "low_nox",
    "袋式除尘": "dust",
    "静电除尘": "dust",
    "活性炭吸附": "voc",
    "RTO": "voc",
    "油气回收": "vapour",
}


def credit_codes(numbers: np.ndarray, regions: Sequence[str]) -> list[str]:
    """Valid 18-character unified social credit codes (GB 32100-2015 check character).

    ``91`` (enterprise) + the six-digit region + a nine-character serial from ``numbers``.
    """
    codes = []
    for number, region in zip(numbers, regions, strict=True):
        serial = ""
        value = int(number)
        for _ in range(9):
            value, digit = divmod(value, 31)
            serial = _CREDIT_ALPHABET[digit] + serial
        first17 = f"91{region}{serial}"
        values = np.array([_CREDIT_ALPHABET.index(c) for c in first17])
        check = (31 - int((values * _CREDIT_WEIGHTS).sum()) % 31) % 31
        codes.append(first17 + _CREDIT_ALPHABET[check])
    return codes


def write_rows(
    raw: Any, dialect: str, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows into ``table`` on a DBAPI connection (executemany or text COPY)."""
    names = ", ".join(f'"{column}"' for column in columns)  # "user" is a reserved word
    cursor = raw.cursor()
    if dialect == "postgresql":
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    cursor.close()


def _none(values: Any) -> list[Any]:
    """A column as Python values with None for NaN / NA (what the drivers expect)."""
    series = pd.Series(values).astype(object)
    values_list: list[Any] = series.where(series.notna(), None).tolist()
    return values_list


def write_database(inventory: SyntheticInventory, engine: Engine, year: int) -> None:
    """Load ``inventory`` as the year-``year`` survey into an initialised, empty store."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        raw: Any = connection.connection.dbapi_connection
        _write_all(raw, dialect, inventory, year)
    if dialect == "postgresql":
        with engine.begin() as connection:
            for table in (
                "import_batch",
                "facility",
                "facility_version",
                "source",
                "source_version",
                "control_device",
                "activity_record",
                "measured_emission",
                "factor_set",
                "factor",
                "control_efficiency",
            ):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )


def _write_all(raw: Any, dialect: str, inventory: SyntheticInventory, year: int) -> None:
    now = datetime.now(UTC)
    start = date(year, 1, 1)
    write = _writer(raw, dialect)
    write(
        "import_batch",
        [
            "id",
            "file_name",
            "sha256",
            "sheets",
            "year",
            "created_at",
            "user",
            "rows_taken",
            "rows_skipped",
            "rows_rejected",
            "mode",
            "status",
        ],
        [
            [
                1,
                "synthetic",
                "0" * 64,
                "synthetic",
                year,
                now,
                "bench",
                len(inventory.activities),
                0,
                0,
                "full",
                "committed",
            ]
        ],
    )
    known = {row[0] for row in _fetch(raw, "SELECT code FROM region")}
    extra = [code for code in inventory.counties if code not in known]
    write(
        "region",
        ["code", "name", "level", "parent_code", "source"],
        [[c, f"合成县{c}", "county", "150500", SYNTHETIC_SOURCE] for c in extra],
    )
    sources = inventory.sources
    is_point = sources["kind"].to_numpy() == "point"
    facility = sources["facility"].to_numpy()[is_point]
    n_facilities = int(facility.max()) + 1 if len(facility) else 0
    first_unit = np.unique(facility, return_index=True)[1]
    facility_region = sources["region_code"].to_numpy()[is_point][first_unit]
    codes = credit_codes(np.arange(n_facilities) + 1000, list(facility_region))
    write(
        "facility",
        ["id", "credit_code", "created_batch_id"],
        [[i + 1, c, 1] for i, c in enumerate(codes)],
    )
    write(
        "facility_version",
        ["id", "facility_id", "batch_id", "valid_from", "name", "region_code"],
        [
            [i + 1, i + 1, 1, start, f"合成企业{i + 1}", facility_region[i]]
            for i in range(n_facilities)
        ],
    )
    natural_key = _natural_keys(inventory, codes)
    facility_id = np.where(sources["facility"].to_numpy() >= 0, sources["facility"] + 1, 0)
    source_ids = sources["source_id"].to_numpy()
    write(
        "source",
        ["id", "kind", "natural_key", "facility_id", "created_batch_id"],
        zip(
            source_ids.tolist(),
            sources["kind"].tolist(),
            natural_key,
            [int(f) if f else None for f in facility_id],
            [1] * len(sources),
            strict=True,
        ),
    )
    write("source_version", *_source_versions(inventory, start))
    write("control_device", *_control_devices(inventory))
    write("activity_record", *_activity_records(inventory, year))
    measured = inventory.measured
    write(
        "measured_emission",
        ["id", "source_id", "batch_id", "year", "pollutant", "quantity", "unit", "method"],
        zip(
            range(1, len(measured) + 1),
            measured["source_id"].tolist(),
            [1] * len(measured),
            [year] * len(measured),
            measured["pollutant"].tolist(),
            measured["quantity"].tolist(),
            measured["unit"].tolist(),
            measured["method"].tolist(),
            strict=True,
        ),
    )
    _write_library(raw, dialect, inventory, now)


def _writer(raw: Any, dialect: str) -> Any:
    def write(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        write_rows(raw, dialect, table, columns, rows)

    return write


def _fetch(raw: Any, sql: str) -> list[Any]:
    cursor = raw.cursor()
    cursor.execute(sql)
    rows: list[Any] = list(cursor.fetchall())
    cursor.close()
    return rows


def _scalar(raw: Any, sql: str) -> int:
    return int(_fetch(raw, sql)[0][0])


def _natural_keys(inventory: SyntheticInventory, credit: list[str]) -> list[str]:
    sources = inventory.sources
    activities = inventory.activities
    keys = []
    for kind, facility, unit_number, region, row in zip(
        sources["kind"],
        sources["facility"],
        sources["unit_number"],
        sources["region_code"],
        activities.itertuples(index=False),
        strict=True,
    ):
        if kind == "point":
            keys.append(f"{credit[facility]}/U{unit_number:03d}")
        elif kind in ("mobile", "nonroad"):
            keys.append(f"{region}/{row.vehicle_class}/{row.fuel}/{row.standard}")
        else:
            keys.append(f"{region}/{row.class_code}")
    return keys


def _source_versions(inventory: SyntheticInventory, start: date) -> tuple[list[str], Any]:
    sources = inventory.sources
    a = inventory.activities
    kind = a["kind"].to_numpy()
    mobile, nonroad, point = kind == "mobile", kind == "nonroad", kind == "point"
    # Capacity is stored in MW: a size given in 万千瓦 is converted once per unit.
    size = a["size_value"].to_numpy() * np.where(
        a["size_unit"].to_numpy() == "万千瓦", conversion_factor("万千瓦", "MW"), 1.0
    )
    columns = [
        "id", "source_id", "batch_id", "valid_from", "region_code", "class_code", "sheet",
        "unit_id", "fuel", "firing", "product", "vehicle_class", "standard", "machine", "stage",
        "capacity_mw", "power_kw", "load_factor",
    ]  # fmt: skip
    n = len(a)
    rows = zip(
        sources["source_id"].tolist(),
        sources["source_id"].tolist(),
        [1] * n,
        [start] * n,
        sources["region_code"].tolist(),
        a["class_code"].tolist(),
        np.where(point, "synthetic_point", kind).tolist(),
        [f"U{u:03d}" if p else None for u, p in zip(sources["unit_number"], point, strict=True)],
        _none(a["fuel"]),
        _none(np.where(point, a["technology"], None)),
        _none(a["product"]),
        _none(np.where(mobile, a["vehicle_class"], None)),
        _none(np.where(mobile, a["standard"], None)),
        _none(np.where(nonroad, a["vehicle_class"], None)),
        _none(np.where(nonroad, a["standard"], None)),
        _none(size),
        _none(a["power_kw"]),
        _none(a["load_factor"]),
        strict=True,
    )
    return columns, rows


def _control_devices(inventory: SyntheticInventory) -> tuple[list[str], Any]:
    c = inventory.controls
    columns = [
        "id", "source_version_id", "role", "technology", "pollutant", "efficiency",
        "operating_rate", "capture",
    ]  # fmt: skip
    rows = zip(
        range(1, len(c) + 1),
        c["source_id"].tolist(),  # one version per source, numbered like the source
        [_ROLE.get(t, "other") for t in c["technology"]],
        c["technology"].tolist(),
        _none(c["pollutant"]),
        _none(c["efficiency"]),
        _none(c["operating_rate"]),
        _none(c["capture"]),
        strict=True,
    )
    return columns, rows


def _activity_records(inventory: SyntheticInventory, year: int) -> tuple[list[str], Any]:
    a = inventory.activities
    columns = [
        "id", "source_id", "batch_id", "year", "activity_type", "fuel", "product", "quantity",
        "unit", "hours", "sulfur_pct", "ash_pct", "voc_content_pct", "km_per_vehicle",
        "power_kw", "load_factor", "row_number",
    ]  # fmt: skip
    n = len(a)
    rows = zip(
        a["activity_id"].tolist(),
        a["source_id"].tolist(),
        [1] * n,
        [year] * n,
        a["activity_type"].tolist(),
        _none(a["fuel"]),
        _none(a["product"]),
        a["quantity"].tolist(),
        a["unit"].tolist(),
        _none(a["hours"]),
        _none(a["sulfur_pct"]),
        _none(a["ash_pct"]),
        _none(a["voc_content_pct"]),
        _none(a["km_per_vehicle"]),
        _none(a["power_kw"]),
        _none(a["load_factor"]),
        list(range(2, n + 2)),
        strict=True,
    )
    return columns, rows


def _write_library(raw: Any, dialect: str, inventory: SyntheticInventory, now: datetime) -> None:
    """The synthetic factor sets (base and local) and efficiencies; shipped sets switched off."""
    cursor = raw.cursor()
    cursor.execute(
        "UPDATE factor_set SET active = " + ("false" if dialect == "postgresql" else "0")
    )
    cursor.close()
    last = _scalar(raw, "SELECT coalesce(max(id), 0) FROM factor_set")
    base_id, local_id = last + 1, last + 2
    write_rows(
        raw,
        dialect,
        "factor_set",
        ["id", "name", "version", "kind", "priority", "checksum", "description", "loaded_at", "active"],
        [
            [base_id, "synthetic", str(inventory.seed), "local", 50, "0" * 64, SYNTHETIC_SOURCE, now, True],
            [local_id, "synthetic-local", str(inventory.seed), "local", 60, "0" * 64, SYNTHETIC_SOURCE, now, True],
        ],
    )  # fmt: skip
    factors = inventory.factors
    first_id = _scalar(raw, "SELECT coalesce(max(id), 0) FROM factor")
    local = factors["priority"].to_numpy() > 0
    columns = [
        "id", "factor_set_id", "factor_key", "table_name", "class_code", "pollutant", "fuel",
        "technology", "product", "vehicle_class", "standard", "size_min", "size_max", "size_unit",
        "value", "unit", "basis", "derived", "source_document",
    ]  # fmt: skip
    rows = zip(
        (factors["factor_id"] + first_id).tolist(),
        np.where(local, local_id, base_id).tolist(),
        [f"synthetic-{i}" for i in factors["factor_id"]],
        ["synthetic"] * len(factors),
        factors["class_code"].tolist(),
        [p if isinstance(p, str) else "" for p in factors["pollutant"]],
        _none(factors["fuel"]),
        _none(factors["technology"]),
        _none(factors["product"]),
        _none(factors["vehicle_class"]),
        _none(factors["standard"]),
        _none(factors["size_min"]),
        _none(factors["size_max"]),
        _none(factors["size_unit"]),
        factors["value"].tolist(),
        factors["unit"].tolist(),
        factors["basis"].tolist(),
        [False] * len(factors),
        factors["source"].tolist(),
        strict=True,
    )
    write_rows(raw, dialect, "factor", columns, rows)
    e = inventory.efficiencies
    first = _scalar(raw, "SELECT coalesce(max(id), 0) FROM control_efficiency")
    write_rows(
        raw,
        dialect,
        "control_efficiency",
        ["id", "factor_set_id", "technology", "pollutant", "efficiency", "source_document"],
        [
            [first + i + 1, base_id, t, p, float(v), s]
            for i, (t, p, v, s) in enumerate(
                zip(e["technology"], e["pollutant"], e["efficiency"], e["source"], strict=True)
            )
        ],
    )
