"""Stationary-combustion and process rows of the shipped library, worked by hand.

Each test runs the shipped factor tables through the calculation and compares with figures
computed here from the published values (T/CSES 144-2024 D.1, EMEP/EEA 2023 Tier 1, the NCV and
sulfur-retention parameter rows).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from shipped_library import activity, cell, run


def coal_unit(activity_id: int, **fields: Any) -> dict[str, Any]:
    """1000 t of coal burned by a 100 MW coal-fired power unit."""
    return activity(activity_id, "01010101", "fuel_use", 1000, "t", fuel="燃煤",
                    size_value=100.0, size_unit="MW", **fields)  # fmt: skip


def test_100_mw_coal_unit_nox_and_shipped_ncv(library: pd.DataFrame) -> None:
    result = run(library, [coal_unit(1)])
    # T/CSES D.1 note b, 100-300 MW band ([100, 300)): 8.19 g/kg x 1 000 000 kg = 8.19 t NOx;
    # the per-GJ EMEP NOx (0101) is less specific and does not apply
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(8.19)
    # EMEP 1.A.1.a SO2 820 g/GJ x 1000 t x 23.204 GJ/t (shipped ncv of 燃煤) = 19.02728 t
    assert cell(result, 1, "SO2")["emissions_t"] == pytest.approx(19.02728)
    # CO 8.7 g/GJ x 23 204 GJ = 0.2018748 t; VOCs 0.39 g/kg x 1e6 kg = 0.39 t
    assert cell(result, 1, "CO")["emissions_t"] == pytest.approx(0.2018748)
    assert cell(result, 1, "VOCs")["emissions_t"] == pytest.approx(0.39)
    assert not (result.gaps["reason"].astype(str) == "no_ncv").any()


def test_the_activity_ncv_wins_over_the_shipped_one(library: pd.DataFrame) -> None:
    result = run(library, [coal_unit(1, ncv_mj=14.0)])
    # 820 g/GJ x 1000 t x 14 GJ/t = 11.48 t; NOx stays per kg (8.19 t)
    assert cell(result, 1, "SO2")["emissions_t"] == pytest.approx(11.48)
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(8.19)


def test_sulfur_content_gives_mass_balance_so2(library: pd.DataFrame) -> None:
    result = run(library, [coal_unit(1, sulfur_pct=0.8)])
    # AP-42 38S of 40S: 1000 t x 0.8 % x 2 x (1 - 0.05) = 15.2 t SO2
    assert cell(result, 1, "SO2")["emissions_t"] == pytest.approx(15.2)


def test_industrial_oil_boiler(library: pd.DataFrame) -> None:
    result = run(
        library, [activity(1, "01020301", "fuel_use", 10, "t", fuel="燃料油", size_value=None)]
    )
    # EMEP 1.A.2 Table 3-4 liquid: NOx 513 g/GJ x 10 t x 40.19 GJ/t = 206 174.7 g
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.2061747)
    # SO2 47 g/GJ x 401.9 GJ = 18 889.3 g; VOCs MEE 2014 工业/燃料油 0.13 g/kg x 10 000 kg
    assert cell(result, 1, "SO2")["emissions_t"] == pytest.approx(0.0188893)
    assert cell(result, 1, "VOCs")["emissions_t"] == pytest.approx(0.0013)


def test_gas_power_unit_in_cubic_metres(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "01010102", "fuel_use", 1e6, "m3", fuel="天然气")])
    # ncv 389.31 GJ per 10^4 m3 = 38.931 MJ/m3; EMEP 1.A.1.a NOx 89 g/GJ x 38 931 GJ
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(3.464859)
    # VOCs MEE 2014 火力发电/天然气 0.088 g/m3 x 1e6 m3
    assert cell(result, 1, "VOCs")["emissions_t"] == pytest.approx(0.088)


def test_heat_only_gas_boiler_keeps_the_ap42_row(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "01010202", "fuel_use", 1e6, "m3", fuel="天然气")])
    # AP-42 1.4-1 1.60 g/m3 x 1e6 m3 = 1.6 t (longer class code than the EMEP 0101 row)
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(1.6)


def test_biomass_pellet_boiler(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "08020101", "fuel_use", 100, "t", fuel="生物质")])
    # ncv 11.6 GJ/t -> 1160 GJ; EMEP 1.A.2 Table 3-5: NOx 91, NH3 37, PM2.5 140 g/GJ
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.10556)
    assert cell(result, 1, "NH3")["emissions_t"] == pytest.approx(0.04292)
    assert cell(result, 1, "PM2.5")["emissions_t"] == pytest.approx(0.1624)
    # BC 28 % of PM2.5: 39.2 g/GJ x 1160 GJ
    assert cell(result, 1, "BC")["emissions_t"] == pytest.approx(0.045472)


def test_biomass_power_plant_takes_the_power_row(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "08020102", "fuel_use", 100, "t", fuel="秸秆")])
    # EMEP 1.A.1.a Table 3-8: NOx 81 g/GJ x 100 t x 11.6 GJ/t = 93 960 g
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.09396)


def test_process_rows(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(1, "02080101", "output", 1000, "t", product="平板玻璃"),
            activity(2, "02070101", "output", 1000, "t", product="玉米淀粉"),
            activity(3, "02060403", "output", 100, "t", product="炭黑"),
        ],
    )
    # flat glass PM10 120 g/t x 1000 t; food and drink VOCs 2 kg/t x 1000 t
    assert cell(result, 1, "PM10")["emissions_t"] == pytest.approx(0.12)
    assert cell(result, 2, "VOCs")["emissions_t"] == pytest.approx(2.0)
    # carbon black NOx 15 kg/t x 100 t; VOCs stay the MEE 2014 row 52 g/kg x 100 t
    assert cell(result, 3, "NOx")["emissions_t"] == pytest.approx(1.5)
    assert cell(result, 3, "VOCs")["emissions_t"] == pytest.approx(5.2)


def test_coke_oven_coal_and_sinter_output(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(1, "02050102", "fuel_use", 1000, "t", fuel="燃煤"),
            activity(2, "02050102", "output", 750, "t", product="焦炭"),
            activity(3, "02020101", "output", 1000, "t", product="烧结矿"),
        ],
    )
    # EMEP 1.A.1.c Table 5-2: NOx 820 g/t coal x 1000 t; BC 48 % x 1176 g/t x 1000 t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.82)
    assert cell(result, 1, "BC")["emissions_t"] == pytest.approx(0.56448)
    # the fugitive 1.B.1.b rows stay on the coke output: CO 460 g/t coke x 750 t
    assert cell(result, 2, "CO")["emissions_t"] == pytest.approx(0.345)
    # EMEP 1.A.2.a Table 3-9 sinter: NOx 558 g/t x 1000 t
    assert cell(result, 3, "NOx")["emissions_t"] == pytest.approx(0.558)


def test_fluidised_bed_industrial_boiler_takes_the_fbc_nox(library: pd.DataFrame) -> None:
    result = run(
        library,
        [
            activity(1, "01020102", "fuel_use", 100, "t", fuel="燃煤", ncv_mj=20.0),
            activity(2, "01020104", "fuel_use", 100, "t", fuel="燃煤", ncv_mj=20.0),
        ],
    )
    # 100 t x 20 GJ/t = 2000 GJ; FBC (1.A.1.a Table 3-17) NOx 82.5 g/GJ -> 0.165 t
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.165)
    # other firing: 1.A.2 Tier 1 solid fuels 173 g/GJ -> 0.346 t
    assert cell(result, 2, "NOx")["emissions_t"] == pytest.approx(0.346)


def test_electric_arc_furnace_steel(library: pd.DataFrame) -> None:
    result = run(library, [activity(1, "02020302", "output", 1000, "t", product="钢")])
    # EMEP 2.C.1 Table 3-19: NOx 130 g/t, CO 1.7 kg/t, PM2.5 21 g/t x 1000 t (the Tier 2 rows
    # win over the 2.C.1 Tier 1 steel rows at 020203: PM2.5 would be 140 g/t there)
    assert cell(result, 1, "NOx")["emissions_t"] == pytest.approx(0.13)
    assert cell(result, 1, "CO")["emissions_t"] == pytest.approx(1.7)
    assert cell(result, 1, "PM2.5")["emissions_t"] == pytest.approx(0.021)
