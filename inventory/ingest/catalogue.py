"""Read the living source list back: import batches, the list as it stood in a year, and the
history of one source (every version and the batch that made it)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from inventory.db.models import ControlDevice, ImportBatch, Source, SourceVersion
from inventory.errors import NotFound
from inventory.ingest.state import source_versions

__all__ = ["list_batches", "source_history", "source_list"]

LIST_COLUMNS = [
    "source_id", "natural_key", "kind", "region_code", "class_code", "name", "unit_id",
    "unit_type", "fuel", "firing", "process", "product", "material", "solvent_type",
    "vehicle_class", "standard", "machine", "stage", "category", "capacity_tph", "capacity_mw",
    "power_kw", "controls", "valid_from", "valid_to", "batch_id",
]  # fmt: skip


def list_batches(engine: Engine) -> pd.DataFrame:
    """Every import batch, oldest first (id, time, file, SHA-256 prefix, year, user, rows)."""
    with engine.connect() as conn:
        rows = conn.execute(select(ImportBatch.__table__).order_by(ImportBatch.id)).all()
    return pd.DataFrame(
        [
            {
                "id": b.id,
                "created_at": b.created_at,
                "file_name": b.file_name,
                "sha256": b.sha256[:12],
                "sheets": b.sheets,
                "year": b.year,
                "user": b.user,
                "rows_taken": b.rows_taken,
                "rows_skipped": b.rows_skipped,
                "rows_rejected": b.rows_rejected,
                "mode": b.mode,
                "status": b.status,
            }
            for b in rows
        ],
        columns=[
            "id", "created_at", "file_name", "sha256", "sheets", "year", "user", "rows_taken",
            "rows_skipped", "rows_rejected", "mode", "status",
        ],
    )  # fmt: skip


def _controls_text(engine: Engine, version_ids: list[int]) -> pd.Series:
    if not version_ids:
        return pd.Series(dtype=object)
    with engine.connect() as conn:
        frame = pd.DataFrame(
            conn.execute(
                select(ControlDevice.source_version_id, ControlDevice.technology).where(
                    ControlDevice.source_version_id.in_(version_ids)
                )
            ).all(),
            columns=["version_id", "technology"],
        )
    return frame.groupby("version_id")["technology"].agg(lambda s: "+".join(sorted(s)))


def source_list(engine: Engine, year: int | None = None, kind: str | None = None) -> pd.DataFrame:
    """The sources as they stood in ``year`` (every source with a version in force during that
    year, its latest such version), or as they stand now when ``year`` is None."""
    with engine.connect() as conn:
        versions = source_versions(conn, [kind] if kind else None)
    if not len(versions):
        return pd.DataFrame(columns=LIST_COLUMNS)
    valid_from = pd.to_datetime(versions["valid_from"])
    valid_to = pd.to_datetime(versions["valid_to"])
    real = valid_to.isna() | (valid_to > valid_from)
    if year is None:
        alive = real & valid_to.isna()
    else:
        start, end = pd.Timestamp(dt.date(year, 1, 1)), pd.Timestamp(dt.date(year + 1, 1, 1))
        alive = real & (valid_from < end) & (valid_to.isna() | (valid_to > start))
    chosen = versions[alive].sort_values(["source_id", "valid_from", "id"])
    chosen = chosen.drop_duplicates("source_id", keep="last")
    chosen = chosen.assign(controls=chosen["id"].map(_controls_text(engine, chosen["id"].tolist())))
    return chosen[LIST_COLUMNS].sort_values(["kind", "natural_key"]).reset_index(drop=True)


def source_history(engine: Engine, key: str) -> pd.DataFrame:
    """Every version of the source with natural key ``key`` and the batch (file) that made it."""
    with engine.connect() as conn:
        source_id = conn.scalar(select(Source.id).where(Source.natural_key == key))
        if source_id is None:
            close = conn.scalars(
                select(Source.natural_key).where(Source.natural_key.contains(key)).limit(5)
            ).all()
            hint = (
                ("Did you mean " + " or ".join(close) + "?")
                if close
                else ("List keys with `inventory sources`.")
            )
            raise NotFound("source", key, hint)
        rows = conn.execute(
            select(
                SourceVersion.id.label("version_id"),
                SourceVersion.valid_from,
                SourceVersion.valid_to,
                SourceVersion.batch_id,
                ImportBatch.file_name,
                ImportBatch.year.label("survey_year"),
                SourceVersion.class_code,
                SourceVersion.unit_type,
                SourceVersion.fuel,
                SourceVersion.firing,
                SourceVersion.process,
                SourceVersion.material,
                SourceVersion.solvent_type,
                SourceVersion.standard,
                SourceVersion.stage,
                SourceVersion.category,
                SourceVersion.capacity_tph,
                SourceVersion.capacity_mw,
                SourceVersion.decommissioned,
            )
            .join(ImportBatch, ImportBatch.id == SourceVersion.batch_id)
            .where(SourceVersion.source_id == source_id)
            .order_by(SourceVersion.valid_from, SourceVersion.id)
        ).all()
    frame = pd.DataFrame(rows, columns=list(rows[0]._fields) if rows else None)
    frame.insert(
        1, "controls", frame["version_id"].map(_controls_text(engine, frame["version_id"].tolist()))
    )
    superseded = frame["valid_to"].notna() & (frame["valid_to"] == frame["valid_from"])
    frame["note"] = superseded.map({True: "superseded by a correction", False: ""})
    return frame.dropna(axis=1, how="all")
