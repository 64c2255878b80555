"""Import survey workbooks: the documented Python API behind ``inventory import``.

One import is one transaction and one batch. A workbook with any error writes nothing (unless
``partial``: then the good rows are written and the rejected ones listed); ``dry_run`` validates
everything, including the steps that need the store, inside a transaction that is rolled back.
Loading a file whose SHA-256 is already recorded is a no-op that says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import getpass
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select

from inventory.db.models import ActivityRecord, ImportBatch, Source, SourceVersion
from inventory.ingest.convert import SheetData
from inventory.ingest.crosscheck import check_cross_sheet, facility_lookup
from inventory.ingest.guard import ImportLimits
from inventory.ingest.persist import PersistCounts, persist_plan
from inventory.ingest.plan import SurveyPlan, build_plan
from inventory.ingest.problems import ProblemLog
from inventory.ingest.state import known_class_codes, load_regions, load_state
from inventory.ingest.workbook import ParsedWorkbook, file_sha256, parse_workbook

__all__ = ["ImportResult", "import_workbook", "resolve_year"]

Progress = Callable[[str], None]


@dataclass
class ImportResult:
    """The outcome of one import.

    status: ``loaded``, ``partial`` (good rows written, others rejected), ``rejected`` (errors,
    nothing written), ``dry_run`` (validated, nothing written) or ``already_loaded``.
    problems: the problem table (every severity). rows_*: data rows taken, skipped (totals,
    notes), rejected (with an error).
    """

    path: Path
    sha256: str
    status: str
    year: int | None = None
    batch_id: int | None = None
    sheets: list[str] = field(default_factory=list)
    rows_taken: int = 0
    rows_skipped: int = 0
    rows_rejected: int = 0
    counts: PersistCounts = field(default_factory=PersistCounts)
    problems: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def errors(self) -> pd.DataFrame:
        """The problems of severity error."""
        if not len(self.problems):
            return self.problems
        return self.problems[self.problems["severity"] == "error"].reset_index(drop=True)

    @property
    def written(self) -> bool:
        """Whether the import wrote anything to the store."""
        return self.status in ("loaded", "partial")


def resolve_year(parsed: ParsedWorkbook, year: int | None, log: ProblemLog) -> int | None:
    """The survey year: the one the file states, else ``year``; conflicts are errors."""
    found = parsed.years_found
    if len(found) > 1:
        where = "; ".join(f"{y} ({w})" for y, w in sorted(found.items()))
        log.add("year.conflict", f"The file names more than one year: {where}.",
                hint="Keep one survey year per workbook.")  # fmt: skip
        return None
    if found:
        ((stated, where),) = found.items()
        if year is not None and year != stated:
            log.add(
                "year.conflict",
                f"The file says {stated} ({where}) but --year {year} was given.",
                hint="Leave out --year, or correct the file.",
            )
            return None
        return stated
    if year is None:
        log.add(
            "year.missing",
            "The survey year is not in the file (no 年份 column, no year in the title).",
            hint="Give --year YYYY, or add a title such as 2025年... above the header.",
        )
        return None
    return year


def _already_loaded(engine: Engine, sha256: str) -> ImportBatch | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(ImportBatch.id, ImportBatch.year, ImportBatch.created_at)
            .where(ImportBatch.sha256 == sha256, ImportBatch.status == "committed")
            .order_by(ImportBatch.id)
        ).first()
    return row  # type: ignore[return-value]


def import_workbook(
    engine: Engine,
    path: str | Path,
    *,
    year: int | None = None,
    user: str | None = None,
    dry_run: bool = False,
    partial: bool = False,
    limits: ImportLimits | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and load one survey workbook (.xlsx/.xls/.ods or a folder of .csv files).

    Returns an :class:`ImportResult`; file-level refusals raise
    :class:`inventory.errors.WorkbookRefused`. Nothing is written when the result's status is
    ``rejected``, ``dry_run`` or ``already_loaded``.
    """
    with _cycle_collector_paused():
        return _import_workbook(
            engine, Path(path), year=year, user=user, dry_run=dry_run, partial=partial,
            limits=limits, progress=progress,
        )  # fmt: skip


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of one import.

    The read allocates millions of cell objects that all live to the end of the import; with
    the collector on, every few thousand allocations traverse the young ones again and two full
    collections traverse all of them (0.3 s of an import of 10^5 rows, measured with
    ``gc.callbacks``). Reference counting still frees everything that is not in a cycle; the
    few cycles pandas makes are collected once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import_workbook(
    engine: Engine,
    path: Path,
    *,
    year: int | None,
    user: str | None,
    dry_run: bool,
    partial: bool,
    limits: ImportLimits | None,
    progress: Progress | None,
) -> ImportResult:
    note = progress or (lambda _stage: None)
    digest = None
    if path.exists():
        digest = file_sha256(path)
        earlier = _already_loaded(engine, digest)
        if earlier is not None:
            log = ProblemLog(path.name)
            log.add(
                "file.already_loaded",
                f"This file was loaded before as batch {earlier.id} (year {earlier.year}); nothing to do.",
                hint="To correct a loaded year, load the corrected workbook (a new file).",
            )
            return ImportResult(path, digest, "already_loaded", earlier.year, earlier.id,
                                problems=log.frame())  # fmt: skip
    with engine.connect() as conn:
        regions = load_regions(conn)
        state = load_state(conn)
        classes = known_class_codes(conn)
    parsed = parse_workbook(path, regions=regions, limits=limits, sha256=digest,
                            progress=lambda name: note(f"reading {name}"))  # fmt: skip
    log = parsed.log if parsed.log is not None else ProblemLog(path.name)
    note("checking")
    survey_year = resolve_year(parsed, year, log)
    if survey_year is not None:
        check_cross_sheet(parsed.sheets, state, survey_year, log)
    frames = [s.frame for s in parsed.sheets.values()]
    rejected = sum(int(f["_rejected"].sum()) for f in frames)
    taken = sum(len(f) for f in frames) - rejected
    skipped = sum(s.skipped for s in parsed.sheets.values())
    result = ImportResult(
        path, parsed.sha256, "rejected", survey_year, sheets=parsed.sheet_names,
        rows_taken=taken, rows_skipped=skipped, rows_rejected=rejected,
    )  # fmt: skip
    blocking = log.has_errors() and (not partial or survey_year is None or _file_level_errors(log))
    if blocking:
        result.rows_taken = 0
        result.problems = log.frame()
        return result
    assert survey_year is not None
    accepted = {k: _accepted(s) for k, s in parsed.sheets.items()}
    plan = build_plan(accepted, facility_lookup(accepted, state))
    note("writing")
    with engine.connect() as conn, conn.begin() as transaction:
        batch_id = conn.execute(
            insert(ImportBatch).returning(ImportBatch.id),
            {
                "file_name": path.name,
                "sha256": parsed.sha256,
                "sheets": "; ".join(parsed.sheet_names),
                "year": survey_year,
                "created_at": dt.datetime.now(dt.UTC),
                "user": user or _os_user(),
                "rows_taken": taken,
                "rows_skipped": skipped,
                "rows_rejected": rejected,
                "mode": "partial" if partial else "full",
                "status": "committed",
            },
        ).scalar_one()
        errors_before = len(log.errors())
        counts = persist_plan(conn, plan, batch_id=batch_id, year=survey_year,
                              known_classes=classes, log=log)  # fmt: skip
        _warn_not_reported(conn, plan, survey_year, log)
        found_late = len(log.errors()) - errors_before  # rows that clash once keys are resolved
        if found_late and not partial:
            transaction.rollback()
            result.rows_taken = 0
            result.problems = log.frame()
            return result
        result.rows_rejected += found_late
        if dry_run:
            transaction.rollback()
        else:
            transaction.commit()
    result.counts = counts
    result.problems = log.frame()
    if dry_run:
        result.status = "dry_run"
    else:
        result.status = "partial" if rejected or found_late else "loaded"
        result.batch_id = batch_id
    return result


def _file_level_errors(log: ProblemLog) -> bool:
    """Errors that no row rejection can cure (year, duplicate sheets, missing columns...)."""
    errors = log.errors()
    return bool(
        errors["row"].isna().any()
        | errors["rule"].str.startswith(("year.", "header.", "sheet.", "cell.")).any()
    )


def _accepted(sheet: SheetData) -> SheetData:
    rejected = sheet.frame["_rejected"].to_numpy(dtype=bool)
    # no rejected row (every loaded workbook without --partial): a renumbered view, no copy
    kept = sheet.frame[~rejected] if rejected.any() else sheet.frame
    frame = kept.reset_index(drop=True)
    return replace(sheet, frame=frame)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return "unknown"


def _warn_not_reported(conn: Connection, plan: SurveyPlan, year: int, log: ProblemLog) -> None:
    """Warn about sources of the kinds and regions in this workbook that were reported in an
    earlier year, are still alive, and are missing now (they are kept, not deleted).

    Only the regions the workbook covers count: a city's survey arrives one county workbook at a
    time, and the 开鲁县 workbook says nothing about the sources of 奈曼旗.
    """
    if not len(plan.sources):
        return
    # distinct values first: a set of 10^5 cells read one by one from a string column was slow
    kinds = sorted(set(plan.sources["kind"].unique().tolist()))
    region_column = plan.sources.get("region_code", pd.Series(dtype=object))
    regions = sorted(set(region_column.dropna().unique().tolist()))
    last_year = (
        select(Source.natural_key, func.max(ActivityRecord.year).label("last"))
        .join(ActivityRecord, ActivityRecord.source_id == Source.id)
        .where(Source.kind.in_(kinds), ActivityRecord.year < year)
        .group_by(Source.natural_key)
        .subquery()
    )
    alive = (
        select(Source.natural_key, last_year.c.last)
        .join(last_year, last_year.c.natural_key == Source.natural_key)
        .join(SourceVersion, SourceVersion.source_id == Source.id)
        .where((SourceVersion.valid_to.is_(None)) | (SourceVersion.valid_to > dt.date(year, 1, 1)))
        .where(SourceVersion.region_code.in_(regions))
        .distinct()
    )
    earlier = conn.execute(alive).all()
    reported = set(plan.sources["natural_key"].to_numpy(dtype=object)) if earlier else set()
    missing = [(key, last) for key, last in earlier if key not in reported]
    if missing:
        log.add_many(
            "source.not_reported",
            [
                f"{key} was reported for {last} but not in this workbook; it is kept."
                for key, last in missing
            ],
            sheet="",
            rows=[None] * len(missing),
            values=[key for key, _ in missing],
            hint="If it closed, report its closure date (停运日期 / 关停日期) so that it stops counting.",
        )
