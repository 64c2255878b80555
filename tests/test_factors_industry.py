"""Iron and steel, non-ferrous smelting and composting rows of the shipped library, worked by hand.

Each test runs the shipped factor tables through the calculation (no controls) and compares with
figures computed here from the published EMEP/EEA 2023 values (2.C.1 Tier 2, 2.C.5, 2.C.6,
2.C.7.a and 2.C.7.c Tier 1, 5.B.1 Tier 2), and checks the class codes of non-ferrous smelters.
"""

from __future__ import annotations

import pandas as pd
import pytest
from shipped_library import activity, reason, run, tonnes

from inventory.classification import assign_class_codes


def test_basic_oxygen_furnace_takes_its_tier_2_rows(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "02020301", "output", 1000, "t", product="钢")])
    # EMEP 2.C.1 Table 3-14: NOx 10 g/t, CO 3.5 kg/t, PM10 32 g/t, PM2.5 28 g/t x 1000 t
    assert tonnes(result, 1, "NOx") == pytest.approx(0.01)
    assert tonnes(result, 1, "CO") == pytest.approx(3.5)
    assert tonnes(result, 1, "PM10") == pytest.approx(0.032)
    # PM2.5 wins over the Tier 1 steel row at 020203 (140 g/t would give 0.14 t)
    assert tonnes(result, 1, "PM2.5") == pytest.approx(0.028)
    # BC = 0.36 % x 28 g/t = 0.1008 g/t x 1000 t = 100.8 g
    assert tonnes(result, 1, "BC") == pytest.approx(0.0001008)
    # the BOF table prints no SOx: still a gap
    assert reason(result, 1, "SO2") == "no_factor"


def test_sinter_and_blast_furnace_particulates(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(1, "02020101", "output", 1000, "t", product="烧结矿"),
            activity(2, "02020201", "output", 1000, "t", product="生铁"),
        ],
    )
    # 2.C.1 Table 3-2 sinter: PM10 100, PM2.5 80 g/t; BC 0.17 % x 80 = 0.136 g/t
    assert tonnes(result, 1, "PM10") == pytest.approx(0.1)
    assert tonnes(result, 1, "PM2.5") == pytest.approx(0.08)
    assert tonnes(result, 1, "BC") == pytest.approx(0.000136)
    # the strand's combustion NOx stays 1.A.2.a Table 3-9: 558 g/t
    assert tonnes(result, 1, "NOx") == pytest.approx(0.558)
    # 2.C.1 Table 3-8 blast furnace: PM10 40, PM2.5 25 g/t; BC 2.4 % x 25 = 0.6 g/t
    assert tonnes(result, 2, "PM10") == pytest.approx(0.04)
    assert tonnes(result, 2, "PM2.5") == pytest.approx(0.025)
    assert tonnes(result, 2, "BC") == pytest.approx(0.0006)
    assert tonnes(result, 2, "SO2") == pytest.approx(0.038)


def test_non_ferrous_smelters_per_metal(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(1, "02040302", "output", 1000, "t", product="电解铜"),
            activity(2, "02040303", "output", 1000, "t", product="粗铅"),
            activity(3, "02040304", "output", 1000, "t", product="电解锌"),
            activity(4, "02040301", "output", 100, "t", product="锡"),
        ],
    )
    # copper 2.C.7.a Tier 1: SO2 3000, PM2.5 190 g/t; BC 0.1 % x 190 = 0.19 g/t
    assert tonnes(result, 1, "SO2") == pytest.approx(3.0)
    assert tonnes(result, 1, "PM2.5") == pytest.approx(0.19)
    assert tonnes(result, 1, "BC") == pytest.approx(0.00019)
    # lead 2.C.5 Tier 1: SO2 2050, PM10 5 g/t; zinc 2.C.6 Tier 1: SO2 1350, PM10 13 g/t
    assert tonnes(result, 2, "SO2") == pytest.approx(2.05)
    assert tonnes(result, 2, "PM10") == pytest.approx(0.005)
    assert tonnes(result, 3, "SO2") == pytest.approx(1.35)
    assert tonnes(result, 3, "PM10") == pytest.approx(0.013)
    # other metals 2.C.7.c Tier 1: SO2 26 kg/t x 100 t; its TSP has no PM10 split
    assert tonnes(result, 4, "SO2") == pytest.approx(2.6)
    assert reason(result, 4, "PM10") == "no_factor"
    assert reason(result, 1, "NOx") == "no_factor"


def test_non_ferrous_smelters_are_classed_by_process_and_metal() -> None:
    frame = pd.DataFrame(
        {
            "kind": ["point"] * 5,
            "process": ["有色金属冶炼", "有色金属冶炼", "铅冶炼", "锌冶炼", "有色金属冶炼"],
            "product": ["电解铜", "粗铅", None, None, "锡"],
        }
    )
    assert assign_class_codes(frame).tolist() == [
        "02040302",
        "02040303",
        "02040303",
        "02040304",
        "02040301",
    ]


def test_composting_co(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "09020301", "output", 1000, "t")])
    # 5.B.1 Table 3-2 CO 0.56 kg/t and Table 3-1 NH3 0.24 kg/t x 1000 t
    assert tonnes(result, 1, "CO") == pytest.approx(0.56)
    assert tonnes(result, 1, "NH3") == pytest.approx(0.24)
