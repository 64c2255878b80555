"""The living source list: import batches, facilities, sources, their versions and activity.

History is append-only. A change of attributes makes a new ``SourceVersion`` valid from the survey
year (the previous version's ``valid_to`` is set to that date); a closure sets ``valid_to``;
a corrected workbook's records supersede earlier ones for the same source and year (the earlier
rows stay, marked ``superseded_by_batch_id``). Every row says which batch made it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.db.base import Base

__all__ = [
    "ActivityRecord",
    "ControlDevice",
    "Facility",
    "FacilityVersion",
    "ImportBatch",
    "MeasuredEmission",
    "Source",
    "SourceVersion",
]


class ImportBatch(Base):
    """One load of one survey workbook (or CSV folder): the audit record of an import."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    sheets: Mapped[str] = mapped_column(Text)  # sheet names, separated by "; "
    year: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(100))
    rows_taken: Mapped[int] = mapped_column(Integer, default=0)
    rows_skipped: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    mode: Mapped[str] = mapped_column(String(20), default="full")  # full | partial
    status: Mapped[str] = mapped_column(String(20), default="committed")
    note: Mapped[str | None] = mapped_column(Text)


class Facility(Base):
    """An enterprise, identified by its 18-character unified social credit code."""

    __tablename__ = "facility"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    created_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))

    versions: Mapped[list[FacilityVersion]] = relationship(
        back_populates="facility", order_by="FacilityVersion.valid_from"
    )


class FacilityVersion(Base):
    """The attributes of a facility over one validity period."""

    __tablename__ = "facility_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # exclusive; None = still valid
    name: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    industry_code: Mapped[str | None] = mapped_column(String(10))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    operating_hours: Mapped[float | None] = mapped_column(Float)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(20))

    facility: Mapped[Facility] = relationship(back_populates="versions")


class Source(Base):
    """A source of one of the four kinds, by its natural key.

    Natural keys: point ``credit_code/unit_id``; mobile ``region/class/fuel/standard``;
    nonroad ``region/machine/fuel/stage``; area ``region/category``.
    """

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # point|mobile|nonroad|area
    natural_key: Mapped[str] = mapped_column(String(300), unique=True)
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"), index=True)
    created_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))

    versions: Mapped[list[SourceVersion]] = relationship(
        back_populates="source", order_by="SourceVersion.valid_from"
    )


class SourceVersion(Base):
    """The attributes of a source over one validity period (a new control is a new version)."""

    __tablename__ = "source_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # exclusive; None = still valid
    # no index on region_code / class_code: no query selects versions by them, and each
    # imported row paid for both (revision 0002)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    class_code: Mapped[str | None] = mapped_column(ForeignKey("source_class.code"))
    sheet: Mapped[str | None] = mapped_column(String(50))
    name: Mapped[str | None] = mapped_column(String(300))
    unit_id: Mapped[str | None] = mapped_column(String(100))
    unit_type: Mapped[str | None] = mapped_column(String(50))
    fuel: Mapped[str | None] = mapped_column(String(50))
    firing: Mapped[str | None] = mapped_column(String(50))
    process: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(100))
    material: Mapped[str | None] = mapped_column(String(100))
    solvent_type: Mapped[str | None] = mapped_column(String(50))
    vehicle_class: Mapped[str | None] = mapped_column(String(50))
    standard: Mapped[str | None] = mapped_column(String(20))
    machine: Mapped[str | None] = mapped_column(String(50))
    stage: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(100))
    capacity_tph: Mapped[float | None] = mapped_column(Float)
    capacity_mw: Mapped[float | None] = mapped_column(Float)
    power_kw: Mapped[float | None] = mapped_column(Float)
    load_factor: Mapped[float | None] = mapped_column(Float)
    low_nox: Mapped[bool | None] = mapped_column(Boolean)
    tank_type: Mapped[str | None] = mapped_column(String(50))
    volume_m3: Mapped[float | None] = mapped_column(Float)
    tank_count: Mapped[int | None] = mapped_column(Integer)
    loading_mode: Mapped[str | None] = mapped_column(String(50))
    stack_id: Mapped[str | None] = mapped_column(String(100))
    stack_height_m: Mapped[float | None] = mapped_column(Float)
    commissioned: Mapped[date | None] = mapped_column(Date)
    decommissioned: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="versions")
    controls: Mapped[list[ControlDevice]] = relationship(back_populates="source_version")


class ControlDevice(Base):
    """A control device (or measure) of a source version, for one or all pollutants.

    ``efficiency`` (fraction) overrides the control table when given; ``operating_rate``
    (fraction, 投运率) multiplies it; ``capture`` is the collection efficiency for VOCs.
    """

    __tablename__ = "control_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_version_id: Mapped[int] = mapped_column(ForeignKey("source_version.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # desulf | denox | dust | voc | low_nox | vapour
    technology: Mapped[str] = mapped_column(String(100))
    pollutant: Mapped[str | None] = mapped_column(String(20))
    efficiency: Mapped[float | None] = mapped_column(Float)
    operating_rate: Mapped[float | None] = mapped_column(Float)
    capture: Mapped[float | None] = mapped_column(Float)

    source_version: Mapped[SourceVersion] = relationship(back_populates="controls")


class ActivityRecord(Base):
    """The activity of a source in one year: a quantity with its unit, plus method parameters.

    ``activity_type`` names what is counted (fuel_use, output, material_use, throughput,
    loading, population, machine_count, fuel_use_nonroad, area_activity). Parameters that only
    some methods need are typed columns (sulfur and ash for coal mass balance, VOC content for
    solvent mass balance, km per vehicle, power, hours and load for non-road).
    """

    __tablename__ = "activity_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    activity_type: Mapped[str] = mapped_column(String(40))
    fuel: Mapped[str | None] = mapped_column(String(50))
    product: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    hours: Mapped[float | None] = mapped_column(Float)
    sulfur_pct: Mapped[float | None] = mapped_column(Float)
    ash_pct: Mapped[float | None] = mapped_column(Float)
    voc_content_pct: Mapped[float | None] = mapped_column(Float)
    km_per_vehicle: Mapped[float | None] = mapped_column(Float)
    power_kw: Mapped[float | None] = mapped_column(Float)
    load_factor: Mapped[float | None] = mapped_column(Float)
    # net calorific value of the fuel: MJ/kg (solid, liquid) or MJ/m3 (gas); for g/GJ factors
    ncv_mj: Mapped[float | None] = mapped_column(Float)
    sheet: Mapped[str | None] = mapped_column(String(50))
    row_number: Mapped[int | None] = mapped_column(Integer)
    superseded_by_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    note: Mapped[str | None] = mapped_column(Text)


class MeasuredEmission(Base):
    """An annual emission mass measured at a source (CEMS or manual monitoring)."""

    __tablename__ = "measured_emission"
    __table_args__ = (UniqueConstraint("source_id", "year", "pollutant", "batch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    pollutant: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(20))  # cems | manual
    valid_hours: Mapped[float | None] = mapped_column(Float)
    superseded_by_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
