"""scripts/bench.py runs end to end at a tiny size and writes every figure under its stable name.

Only the shape of the figures is checked, never their speed.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sizes_parse_from_scientific_notation():
    bench = _bench_module()
    assert bench.parse_sizes("1e4,1e3, 2e3") == [1000, 2000, 10000]


def test_tiny_run_writes_every_stable_name(tmp_path: Path):
    bench = _bench_module()
    out = tmp_path / "bench.json"
    sections = "core,build,import,memory"
    if os.environ.get(bench.PG_ENV):
        sections += ",postgres"
    code = bench.main(
        [
            "--sizes",
            "100,1000",
            "--repeat",
            "1",
            "--naive-rows",
            "40",
            "--sections",
            sections,
            "--import-max",
            "100",
            "--json",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    names = [
        "core_vs_floor",
        "core_vs_duckdb",
        "build_sqlite_vs_floor",
        "import_vs_calamine",
        "peak_rss_mb",
        "scaling_10x",
        "naive_vs_core",
    ]
    if "postgres" in sections:
        names.append("build_postgres_vs_floor")
    for name in names:
        assert isinstance(figures[name], float) and figures[name] > 0, name
        assert name in figures["sizes"], name
        assert name in figures["met"], name
    assert figures["sizes"]["core_vs_floor"] == 1000
    assert figures["sizes"]["import_vs_calamine"] == 100
    assert figures["sizes"]["scaling_10x"] == 1000
    sections_timed = {t["section"] for t in figures["timings"]}
    assert sections_timed == {"core", "build", "import"}
    assert all(t["seconds"] > 0 for t in figures["timings"])


@pytest.mark.postgres
def test_postgres_build_schema_is_dropped():
    bench = _bench_module()
    base = os.environ.get(bench.PG_ENV)
    if not base:
        pytest.skip(f"needs {bench.PG_ENV}")
    with bench.postgres_schema(base) as url:
        schema = url.rsplit("%3D", 1)[1]
    engine = create_engine(base)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT count(*) FROM information_schema.schemata WHERE schema_name = :s"),
            {"s": schema},
        ).scalar_one()
    engine.dispose()
    assert found == 0
