"""Brick kilns and coking VOCs of the shipped library (2026-12 gap work), worked by hand.

Each test runs the shipped factor tables through the calculation (no controls) and compares with
figures computed here from the published values: the German IIR 2015 'all ceramics' factors
(NFR 2.A.6, kg/t product) for 砖瓦, and the Chinese coking-industry VOCs factor (3.065 g/kg coke,
uncontrolled) for 炼焦.
"""

from __future__ import annotations

import pandas as pd
import pytest
from shipped_library import activity, reason, run, tonnes

from inventory.classification import assign_class_codes


def test_brick_kiln_takes_the_german_ceramics_factors(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "02090301", "output", 1000, "t", product="砖")])
    # German IIR 2015, 2.A.6 all ceramics (kg/t): NOx 0.177, SO2 0.10, NH3 0.004,
    # PM10 0.08, PM2.5 0.05 x 1000 t
    assert tonnes(result, 1, "NOx") == pytest.approx(0.177)
    assert tonnes(result, 1, "SO2") == pytest.approx(0.1)
    assert tonnes(result, 1, "NH3") == pytest.approx(0.004)
    assert tonnes(result, 1, "PM10") == pytest.approx(0.08)
    assert tonnes(result, 1, "PM2.5") == pytest.approx(0.05)
    # the page's NMVOC (0.008 kg/t) is not mapped to VOCs and no CO is printed
    assert reason(result, 1, "VOCs") == "no_factor"
    assert reason(result, 1, "CO") == "no_factor"


def test_brick_kiln_factor_is_per_tonne_in_any_mass_unit(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "02090301", "output", 2.5, "万吨")])
    # 2.5 万吨 = 25 000 t x 0.177 kg/t = 4425 kg
    assert tonnes(result, 1, "NOx") == pytest.approx(4.425)


def test_brick_kilns_are_classed_as_020903() -> None:
    # 砖瓦 is the canonical process (砖瓦窑 and 烧结砖 are its vocabulary aliases)
    frame = pd.DataFrame({"kind": ["point"], "process": ["砖瓦"]})
    assert assign_class_codes(frame).tolist() == ["02090301"]


def test_coke_plant_vocs_per_tonne_of_coke(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(1, "02050101", "output", 1000, "t", product="焦炭"),
            activity(2, "02050102", "output", 20, "万吨", product="焦炭"),
        ],
    )
    # 3.065 g/kg x 1000 t = 3.065 t; 20 万吨 = 200 000 t x 3.065 g/kg = 613 t
    assert tonnes(result, 1, "VOCs") == pytest.approx(3.065)
    assert tonnes(result, 2, "VOCs") == pytest.approx(613.0)
    # the fugitive EMEP 1.B.1.b rows still apply beside it: CO 460 g/t x 1000 t
    assert tonnes(result, 1, "CO") == pytest.approx(0.46)


def test_coke_plant_vocs_do_not_attach_to_its_coal(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "02050101", "fuel_use", 1000, "t", fuel="燃煤")])
    # the coal charged takes the under-firing rows (1.A.1.c Table 5-2: NOx 820 g/t) ...
    assert tonnes(result, 1, "NOx") == pytest.approx(0.82)
    # ... but not the per-t-coke VOCs row (activity_type output), so no double count
    assert reason(result, 1, "VOCs") == "no_factor"
