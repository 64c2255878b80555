"""Reference data: regions, the four-level source classification, factor sets and factors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inventory.db.base import Base

__all__ = ["ControlEfficiency", "Factor", "FactorSet", "Region", "SourceClass"]


class Region(Base):
    """An administrative unit by its six-digit code (GB/T 2260; zones from the NBS table)."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))  # city | county | zone
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    source: Mapped[str | None] = mapped_column(Text)


class SourceClass(Base):
    """A node of the national four-level source classification.

    Codes are two digits per level (``01`` > ``0101`` > ``010101`` > ``01010101``); ``sector`` is
    the planner's grouping, inherited downward when blank in the data file.
    """

    __tablename__ = "source_class"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("source_class.code"))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(Text)


class FactorSet(Base):
    """A versioned collection of factors: the shipped library or a user's local table."""

    __tablename__ = "factor_set"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))  # shipped | local
    priority: Mapped[int] = mapped_column(Integer, default=0)  # higher wins
    checksum: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Factor(Base):
    """One emission factor (or method parameter) with the published source it came from.

    Selector columns left blank match anything; the most specific row wins.
    """

    __tablename__ = "factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    factor_set_id: Mapped[int] = mapped_column(
        ForeignKey("factor_set.id", ondelete="CASCADE"), index=True
    )
    factor_key: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(100))
    class_code: Mapped[str] = mapped_column(String(16), index=True)
    pollutant: Mapped[str] = mapped_column(String(20))
    fuel: Mapped[str | None] = mapped_column(String(50))
    technology: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(100))
    vehicle_class: Mapped[str | None] = mapped_column(String(50))
    standard: Mapped[str | None] = mapped_column(String(20))
    # what the activity counts (output, fuel_use, material_use...); None = any activity
    activity_type: Mapped[str | None] = mapped_column(String(40))
    size_min: Mapped[float | None] = mapped_column(Float)
    size_max: Mapped[float | None] = mapped_column(Float)
    size_unit: Mapped[str | None] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(60))
    basis: Mapped[str] = mapped_column(String(20))  # uncontrolled | controlled | parameter
    derived: Mapped[bool] = mapped_column(Boolean, default=False)
    source_document: Mapped[str] = mapped_column(Text)
    table_or_page: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class ControlEfficiency(Base):
    """Average removal efficiency of a control technology for one pollutant (fraction 0-1)."""

    __tablename__ = "control_efficiency"
    __table_args__ = (UniqueConstraint("factor_set_id", "technology", "pollutant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    factor_set_id: Mapped[int] = mapped_column(
        ForeignKey("factor_set.id", ondelete="CASCADE"), index=True
    )
    technology: Mapped[str] = mapped_column(String(100))
    pollutant: Mapped[str] = mapped_column(String(20))
    efficiency: Mapped[float] = mapped_column(Float)
    # removal: share of the pollutant reaching the device that it removes; capture: share of
    # generated VOCs that reaches a device at all (enclosures, hoods)
    kind: Mapped[str] = mapped_column(String(20), default="removal", server_default="removal")
    source_document: Mapped[str] = mapped_column(Text)
    table_or_page: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
