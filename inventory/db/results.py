"""Runs (annual builds and scenarios), their emission results with provenance, and QA findings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inventory.db.base import Base

__all__ = ["EmissionResult", "QAFinding", "Run"]


class Run(Base):
    """One build of an inventory: a base year or a scenario on top of a base run."""

    __tablename__ = "run"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    label: Mapped[str | None] = mapped_column(String(200))
    scenario: Mapped[str | None] = mapped_column(String(200))  # None for a base run
    scenario_file: Mapped[str | None] = mapped_column(Text)  # a copy of the scenario YAML
    base_run_id: Mapped[int | None] = mapped_column(ForeignKey("run.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str | None] = mapped_column(String(100))
    package_version: Mapped[str] = mapped_column(String(40))
    factor_set_version: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    carry_forward: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="complete")
    n_sources: Mapped[int] = mapped_column(Integer, default=0)
    n_results: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)


class EmissionResult(Base):
    """Emissions of one source and pollutant in one run (t/yr), with everything behind them."""

    __tablename__ = "emission_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    source_version_id: Mapped[int | None] = mapped_column(ForeignKey("source_version.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity_record.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    kind: Mapped[str] = mapped_column(String(10))
    class_code: Mapped[str | None] = mapped_column(String(16))
    sector: Mapped[str | None] = mapped_column(String(40))
    region_code: Mapped[str | None] = mapped_column(String(6))
    pollutant: Mapped[str] = mapped_column(String(20))
    emissions_t: Mapped[float] = mapped_column(Float)
    uncontrolled_t: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(20))  # measured | mass_balance | emission_factor
    replaced_method: Mapped[str | None] = mapped_column(String(20))
    factor_id: Mapped[int | None] = mapped_column(ForeignKey("factor.id"))
    factor_value: Mapped[float | None] = mapped_column(Float)
    factor_unit: Mapped[str | None] = mapped_column(String(60))
    factor_source: Mapped[str | None] = mapped_column(Text)
    activity_value: Mapped[float | None] = mapped_column(Float)
    activity_unit: Mapped[str | None] = mapped_column(String(40))
    control_technology: Mapped[str | None] = mapped_column(String(200))
    control_efficiency: Mapped[float | None] = mapped_column(Float)  # effective, fraction
    carried_forward: Mapped[bool] = mapped_column(Boolean, default=False)
    measure: Mapped[str | None] = mapped_column(String(200))  # scenario measure that changed it


class QAFinding(Base):
    """A quality-assurance finding of a run (stable ``code``, ``severity`` error or warning)."""

    __tablename__ = "qa_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    pollutant: Mapped[str | None] = mapped_column(String(20))
    subject: Mapped[str | None] = mapped_column(String(300))
    value: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text)
