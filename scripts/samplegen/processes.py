"""Industrial processes of the sample: cement, ferroalloy, aluminium, coking, corn deep
processing, chemicals (a fixed set, not scaled). Assumptions: docs/sample-data.md."""

from __future__ import annotations

from datetime import date

from .boilers import _big_cfb, _gas_boiler
from .model import Facility, Kiln, Tank, VocUse
from .registry import Registry, _region_index, _year, make_facility

__all__ = ["industry_processes"]


def industry_processes(reg: Registry) -> list[Facility]:
    """Cement, ferroalloy, aluminium, coking, corn deep processing, chemicals (fixed set)."""
    rng, out = reg.rng, []
    ri = _region_index

    # Cement clinker: 0.13 t coal per t clinker, kiln gas 17.7 Nm3 per kg coal (assumptions).
    for region, clinker in (("150525", 150.0), ("150521", 75.0)):
        fac = make_facility(reg, ri(region), "水泥有限公司", "3011", 7200, _year(rng, 2006, 2012))
        out_10kt = clinker * rng.uniform(0.9, 1.0)
        fac.kilns.append(
            Kiln(
                unit_id="1#窑",
                process="水泥熟料",
                product="熟料",
                output_10kt=round(out_10kt, 2),
                fuel="燃煤",
                fuel_use=round(out_10kt * 0.13, 2),
                fuel_unit="万吨",
                denox="SNCR",
                dust="袋式除尘",
                operating_rate=round(rng.uniform(95, 99), 1),
                stack_id="DA001",
                stack_height_m=105.0,
                commissioned=fac.start_date,
                cems_mg_m3={
                    "SO2": round(rng.uniform(30, 60), 1),
                    "NOx": round(rng.uniform(250, 320), 1),
                },
                flue_gas_per_unit_fuel=17.7,
            )
        )
        out.append(fac)

    # Ferroalloy in submerged-arc furnaces; coke as reductant (0.5 t per t alloy, assumption).
    for region, product, output in (("150525", "硅铁", 6.0), ("150522", "硅锰合金", 5.0)):
        fac = make_facility(reg, ri(region), "铁合金有限公司", "3140", 7800, _year(rng, 2008, 2014))
        for k in range(2):
            out_10kt = output / 2 * rng.uniform(0.9, 1.05)
            fac.kilns.append(
                Kiln(
                    unit_id=f"{k + 1}#矿热炉",
                    process="铁合金",
                    product=product,
                    output_10kt=round(out_10kt, 2),
                    fuel="焦炭",
                    fuel_use=round(out_10kt * 0.5, 2),
                    fuel_unit="万吨",
                    dust="袋式除尘",
                    operating_rate=round(rng.uniform(92, 98), 1),
                    stack_id=f"DA00{k + 1}",
                    stack_height_m=35.0,
                    commissioned=fac.start_date,
                )
            )
        out.append(fac)

    # Primary aluminium at Holingol: 13 500 kWh per t (assumption), electricity in 万千瓦时.
    for output in (90.0, 45.0):
        fac = make_facility(reg, ri("150581"), "铝业有限公司", "3216", 8760, _year(rng, 2008, 2015))
        for k in range(2):
            out_10kt = output / 2 * rng.uniform(0.95, 1.02)
            fac.kilns.append(
                Kiln(
                    unit_id=f"{k + 1}#电解系列",
                    process="电解铝",
                    product="原铝",
                    output_10kt=round(out_10kt, 2),
                    fuel="电",
                    fuel_use=round(out_10kt * 1e4 * 13500 / 1e4),
                    fuel_unit="万千瓦时",
                    desulf="石灰石-石膏湿法",
                    dust="袋式除尘",
                    operating_rate=round(rng.uniform(96, 99.5), 1),
                    stack_id=f"DA00{k + 1}",
                    stack_height_m=60.0,
                    commissioned=fac.start_date,
                )
            )
        out.append(fac)

    # Coking at Jarud: oven heating 200 m3 coke-oven gas per t coke; flue 5.5 Nm3/m3 (assumption).
    fac = make_facility(reg, ri("150526"), "焦化有限公司", "2521", 8400, date(2011, 9, 1))
    for k in range(2):
        coke = 45.0 * rng.uniform(0.92, 1.02)
        fac.kilns.append(
            Kiln(
                unit_id=f"{k + 1}#焦炉",
                process="焦化",
                product="焦炭",
                output_10kt=round(coke, 2),
                fuel="焦炉煤气",
                fuel_use=round(coke * 200, 0),
                fuel_unit="万立方米",
                desulf="半干法脱硫",
                denox="SCR",
                dust="袋式除尘",
                operating_rate=round(rng.uniform(95, 99), 1),
                stack_id=f"DA00{k + 1}",
                stack_height_m=60.0,
                commissioned=fac.start_date,
                cems_mg_m3={
                    "SO2": round(rng.uniform(20, 40), 1),
                    "NOx": round(rng.uniform(120, 160), 1),
                },
                flue_gas_per_unit_fuel=5.5,
            )
        )
    gas_boiler = _gas_boiler(rng, "1#锅炉", "DA003", 35, 8000, fac.start_date)
    gas_boiler.fuel = "焦炉煤气"
    gas_boiler.fuel_use = round(gas_boiler.fuel_use * 2.1, 1)  # COG has ~17 MJ/m3 vs 35.6
    fac.boilers.append(gas_boiler)
    out.append(fac)

    # Corn deep processing: products in 万吨, steam from large coal CFB boilers.
    corn = [
        (
            "150571",
            "生物科技有限公司",
            "1495",
            [("玉米淀粉", 60.0), ("赖氨酸", 30.0)],
            [220, 220, 220],
            True,
        ),
        ("150571", "玉米开发有限公司", "1391", [("玉米淀粉", 50.0)], [130, 130], True),
        ("150502", "淀粉有限公司", "1391", [("玉米淀粉", 30.0)], [75, 75], False),
        ("150523", "生物能源有限公司", "1511", [("燃料乙醇", 30.0)], [90, 90], False),
    ]
    for region, trade, industry, products, boilers, cems in corn:
        fac = make_facility(reg, ri(region), trade, industry, 8000, _year(rng, 2006, 2014))
        for k, (product, output) in enumerate(products):
            fac.kilns.append(
                Kiln(
                    unit_id=f"YM-{k + 1}",
                    process="玉米深加工",
                    product=product,
                    output_10kt=round(output * rng.uniform(0.9, 1.0), 2),
                    dust="袋式除尘",
                    stack_id=f"DA01{k}",
                    stack_height_m=30.0,
                    commissioned=fac.start_date,
                )
            )
        for k, tph in enumerate(boilers):
            fac.boilers.append(_big_cfb(rng, k, tph, 8000, fac.start_date, cems))
        out.append(fac)

    # Coal-to-ethylene-glycol plant in the zone, and a pharmaceutical chemical plant.
    fac = make_facility(reg, ri("150571"), "化工有限公司", "2614", 8000, date(2013, 10, 1))
    fac.kilns.append(
        Kiln(
            unit_id="HG-1",
            process="化工",
            product="乙二醇",
            output_10kt=round(20 * rng.uniform(0.9, 1.0), 2),
            stack_id="DA010",
            stack_height_m=40.0,
            commissioned=fac.start_date,
        )
    )
    for k in range(2):
        fac.boilers.append(_big_cfb(rng, k, 260, 8000, fac.start_date, True))
    fac.tanks.append(Tank("甲醇", "内浮顶", 5000, 2, 18000, 16000, "底部装载", "活性炭吸附", 90.0))
    fac.manual_measured["VOCs"] = ("HG-1", round(rng.uniform(70, 95), 1))
    out.append(fac)

    fac = make_facility(reg, ri("150502"), "药业有限公司", "2710", 7200, date(2009, 5, 1))
    fac.kilns.append(
        Kiln(
            "HG-1",
            "化工",
            "原料药",
            round(0.3 * rng.uniform(0.9, 1.1), 3),
            "DA010",
            25.0,
            fac.start_date,
        )
    )
    fac.voc_uses += [
        VocUse(
            "合成车间",
            "清洗剂",
            "溶剂型",
            round(rng.uniform(200, 320)),
            100.0,
            70.0,
            "吸附浓缩+催化燃烧",
            85.0,
        ),
        VocUse(
            "精制车间",
            "稀释剂",
            "溶剂型",
            round(rng.uniform(60, 120)),
            100.0,
            70.0,
            "吸附浓缩+催化燃烧",
            85.0,
        ),
    ]
    fac.boilers.append(_gas_boiler(rng, "1#锅炉", "DA001", 10, 7200, fac.start_date))
    fac.manual_measured["VOCs"] = ("HG-1", round(rng.uniform(25, 40), 1))
    out.append(fac)
    return out
