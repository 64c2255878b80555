#!/usr/bin/env python3
"""Generate the SYNTHETIC Tongliao sample inventory (survey workbooks for 2024 and 2025).

    python scripts/make_sample.py                      # rewrites inventory/sample/
    python scripts/make_sample.py --scale 10 --out /tmp/big --seed 7

The same seed and scale give byte-identical workbooks. `--scale` multiplies the number of
generic point sources (boiler houses, industrial boiler users, institutions, coating and
printing works, filling stations); fleet, non-road and area rows are keyed by county and class
and do not grow. Assumptions behind every magnitude: docs/sample-data.md.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from samplegen.area import build_area, change_area
from samplegen.bad import write_bad
from samplegen.evolve import evolve_to_2025
from samplegen.fleet import build_fleet, renew_fleet
from samplegen.model import Facility
from samplegen.nonroad import build_nonroad, renew_nonroad
from samplegen.points import build_facilities
from samplegen.workbooks import write_year

DEFAULT_SEED = 20241122  # the date of the Tongliao action plan
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "inventory" / "sample"


@dataclass
class SurveyYear:
    """Everything the sample says about one survey year."""

    year: int
    facilities: list[Facility]
    fleet: list[dict[str, Any]]
    nonroad: list[dict[str, Any]]
    area: list[dict[str, Any]]


def generate(seed: int = DEFAULT_SEED, scale: float = 1.0) -> dict[int, SurveyYear]:
    """The sample's data for 2024 and 2025 (no files written)."""
    rng = np.random.default_rng(seed)
    facilities = build_facilities(rng, scale)
    fleet, nonroad, area = build_fleet(rng), build_nonroad(rng), build_area(rng)
    later = np.random.default_rng(seed + 1)
    return {
        2024: SurveyYear(2024, facilities, fleet, nonroad, area),
        2025: SurveyYear(
            2025,
            evolve_to_2025(facilities, later),
            renew_fleet(fleet, later),
            renew_nonroad(nonroad, later),
            change_area(area, later),
        ),
    }


def write_sample(out: Path, seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Path]:
    """Generate and write every workbook under `out`; return the paths written."""
    paths: list[Path] = []
    for survey in generate(seed, scale).values():
        paths += write_year(
            out, survey.year, survey.facilities, survey.fleet, survey.nonroad, survey.area
        )
    paths.append(write_bad(out))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the number of point sources"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default inventory/sample)"
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    paths = write_sample(args.out, args.seed, args.scale)
    print(f"wrote {len(paths)} workbooks under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
