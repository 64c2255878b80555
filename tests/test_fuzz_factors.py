"""Fuzzing local factor files: every CSV loads as a set or fails with an InventoryError, and a
failed load leaves the factor tables as they were."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_fill import naughty_strings
from sqlalchemy import Engine, func, select

from inventory.db.models import ControlEfficiency, Factor, FactorSet
from inventory.db.session import make_engine, session_scope
from inventory.errors import InventoryError
from inventory.factors.sets import add_local_factor_set
from inventory.resources import factors_path
from inventory.store import initialise


def _seed_rows() -> tuple[list[str], list[list[str]]]:
    text = factors_path("emission_factors/fixed_combustion.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines[:6]))))
    header, body = rows[0], rows[1:]
    return header, [[*r[:1], *r[1:]] for r in body]


HEADER, ROWS = _seed_rows()


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("factors") / "template.db"
    initialise(f"sqlite:///{path}")
    return path


@pytest.fixture
def engine(template: Path, tmp_path: Path) -> Iterator[Engine]:
    shutil.copy(template, tmp_path / "f.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'f.db'}")
    yield engine
    engine.dispose()


def _counts(engine: Engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (FactorSet, Factor, ControlEfficiency)
        )


def _load(engine: Engine, path: Path) -> str:
    before = _counts(engine)
    try:
        with session_scope(engine) as session:
            _, added = add_local_factor_set(session, path, "fuzz")
    except InventoryError as exc:
        assert str(exc).strip()
        assert _counts(engine) == before, "a refused factor file left rows behind"
        return f"error:{type(exc).__name__}"
    after = _counts(engine)
    if added:
        assert after[0] == before[0] + 1
    return "loaded" if added else "already_loaded"


def test_the_seed_factor_file_loads(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "local.csv"
    path.write_text(_csv(HEADER, ROWS), encoding="utf-8")
    assert _load(engine, path) == "loaded"


cell_values = (
    st.sampled_from(["", "-1", "1e309", "nan", "inf", "abc", "0", "1,5", "１２", "kg/ton", "furlongs",
                     "kg/t/t", "10^999 kg", "g/kWh", "%", "99999999999999999999", "国Ⅵ", "NOx",
                     "PM2.5", "x" * 5000, "0101", "99", "uncontrolled", "parameter", "yes", "\x00"])
    | st.sampled_from(naughty_strings())
    | st.text(max_size=20)
)  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(ROWS) - 1), st.integers(0, len(HEADER) - 1), cell_values),
        min_size=1,
        max_size=4,
    ),
    header_edit=st.sampled_from(
        ["none", "unknown_column", "drop_column", "duplicate_column", "rename"]
    ),
    column=st.integers(0, len(HEADER) - 1),
)
def test_mutated_factor_files(
    engine: Engine, tmp_path: Path, edits: list[tuple[int, int, str]], header_edit: str, column: int
) -> None:
    header = list(HEADER)
    rows = [list(r) for r in ROWS]
    for row, col, value in edits:
        rows[row][col] = value
    if header_edit == "unknown_column":
        header.append("colour")
        rows = [[*r, "blue"] for r in rows]
    elif header_edit == "drop_column":
        del header[column]
        rows = [r[:column] + r[column + 1 :] for r in rows]
    elif header_edit == "duplicate_column":
        header[column] = header[(column + 1) % len(header)]
    elif header_edit == "rename":
        header[column] = header[column].upper() + "\u200b"
    path = tmp_path / "local.csv"
    path.write_text(_csv(header, rows), encoding="utf-8")
    _load(engine, path)


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"\n\n",
        ",".join(HEADER).encode(),
        _csv(HEADER, ROWS).encode("gbk", errors="replace"),
        b"\xff\xfe" + _csv(HEADER, ROWS).encode("utf-16-le"),
        _csv(HEADER, ROWS).replace(",", ";").encode(),
        b'factor_key,value\n"unclosed,1\n',
        b"PK\x03\x04 not really a zip",
        bytes(range(256)),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "gbk",
        "utf16",
        "semicolons",
        "unclosed-quote",
        "zip-bytes",
        "binary",
    ],
)
def test_unreadable_factor_files(engine: Engine, tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "local.csv"
    path.write_bytes(payload)
    _load(engine, path)
