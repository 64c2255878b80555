"""The kinds of source a synthetic inventory is drawn from, and their synthetic factor library.

A :class:`Template` is one level-4 calculation unit (classification code x fuel x technology x
vehicle class x standard x size band) with the units its activity is reported in, its typical
size, the pollutants it has factors for, the control trains it may carry and whether it can be
computed by mass balance or measured. The factor values are **synthetic** (seeded multiples of a
round per-family profile): they exist so that benchmarks and tests exercise factor matching,
unit conversion, controls and method choice at any size. They are not published values and
never leave the benchmark; the shipped library lives in ``factors/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "COUNTIES",
    "EFFICIENCIES",
    "SYNTHETIC_SOURCE",
    "Template",
    "build_templates",
]

SYNTHETIC_SOURCE = "synthetic benchmark value (inventory.synthetic); not a published factor"

COUNTIES: tuple[str, ...] = (
    "150502",
    "150521",
    "150522",
    "150523",
    "150524",
    "150525",
    "150526",
    "150581",
    "150571",
)
"""County-level units of Tongliao (factors/regions.csv) that synthetic sources lie in."""

EFFICIENCIES: tuple[tuple[str, str, float], ...] = (
    ("石灰石-石膏湿法", "SO2", 0.90),
    ("石灰石-石膏湿法", "PM10", 0.50),
    ("石灰石-石膏湿法", "PM2.5", 0.40),
    ("石灰石-石膏湿法", "BC", 0.40),
    ("石灰石-石膏湿法", "OC", 0.40),
    ("半干法脱硫", "SO2", 0.75),
    ("SCR", "NOx", 0.75),
    ("SNCR", "NOx", 0.40),
    ("低氮燃烧", "NOx", 0.30),
    ("袋式除尘", "PM10", 0.97),
    ("袋式除尘", "PM2.5", 0.93),
    ("袋式除尘", "BC", 0.90),
    ("袋式除尘", "OC", 0.90),
    ("静电除尘", "PM10", 0.94),
    ("静电除尘", "PM2.5", 0.85),
    ("静电除尘", "BC", 0.80),
    ("静电除尘", "OC", 0.80),
    ("活性炭吸附", "VOCs", 0.50),
    ("RTO", "VOCs", 0.95),
    ("油气回收", "VOCs", 0.85),
)
"""Synthetic control efficiencies (technology, pollutant, fraction)."""

# Round per-family factor profiles (value per pollutant, in the template's factor unit). The
# synthetic library multiplies each by a seeded number in [0.5, 2).
_COAL = {"SO2": 15.0, "NOx": 4.0, "CO": 2.0, "PM10": 5.0, "PM2.5": 2.5, "VOCs": 0.2, "NH3": 0.02}
_COAL_WILDCARD = {"BC": 0.1, "OC": 0.05}  # given at the level-2 code: exercises prefix matching
_GAS = {"SO2": 0.2, "NOx": 18.0, "CO": 3.0, "PM10": 1.2, "PM2.5": 1.2, "VOCs": 0.8}
_OIL = {"SO2": 19.0, "NOx": 5.0, "CO": 0.6, "PM10": 1.0, "PM2.5": 0.8, "BC": 0.1, "VOCs": 0.1}
_BIOMASS = {"SO2": 0.2, "NOx": 1.0, "CO": 40.0, "PM10": 6.0, "PM2.5": 5.0, "BC": 0.5, "OC": 2.0}
_PROCESS = {"SO2": 0.5, "NOx": 1.5, "CO": 1.0, "PM10": 2.0, "PM2.5": 1.0, "VOCs": 0.3}
_SOLVENT = {"VOCs": 500.0}
_STORAGE = {"VOCs": 0.3}
_ONROAD = {
    "NOx": 0.5,
    "CO": 2.0,
    "PM10": 0.03,
    "PM2.5": 0.03,
    "BC": 0.01,
    "OC": 0.005,
    "VOCs": 0.2,
}
_ONROAD_WILDCARD = {"NH3": 0.02}  # one NH3 factor per fuel at the level-2 code (0301)
_NONROAD = {"NOx": 8.0, "CO": 4.0, "PM10": 0.6, "PM2.5": 0.55, "BC": 0.3, "OC": 0.1, "VOCs": 1.0}
_LIVESTOCK = {"NH3": 10.0}
_FERTILISER = {"NH3": 150.0}
_RESIDENTIAL_COAL = {
    "SO2": 10.0,
    "NOx": 1.5,
    "CO": 80.0,
    "PM10": 5.0,
    "PM2.5": 4.0,
    "BC": 1.0,
    "OC": 2.0,
    "VOCs": 4.0,
    "NH3": 0.05,
}
_STRAW = {"SO2": 0.5, "NOx": 3.0, "CO": 60.0, "PM10": 10.0, "PM2.5": 9.0, "BC": 0.7, "OC": 3.5}

_MASS = (("t", 0.6), ("万吨", 0.2), ("吨", 0.15), ("kg", 0.05))
_GAS_VOLUME = (("万立方米", 0.5), ("m3", 0.2), ("万Nm3", 0.2), ("立方米", 0.1))
_COAL_TRAINS = (
    (("石灰石-石膏湿法", None), ("SCR", None), ("袋式除尘", None)),
    (("半干法脱硫", None), ("SNCR", None), ("静电除尘", None)),
    (("静电除尘", None),),
    (),
)


@dataclass(frozen=True)
class Template:
    """One level-4 calculation unit a synthetic source can be (see the module docstring).

    ``units`` are (unit, probability) pairs for the reported activity; ``median`` is the typical
    activity in the first unit (or vehicles / machines for fleets); ``factors`` maps pollutant
    to the synthetic factor value in ``factor_unit`` (``wildcard_factors`` are stored at the
    level-2 code with only the fuel selector). ``size_band`` is (min, max, unit) of a capacity
    class. ``trains`` are control trains ((technology, pollutant or None), ...).
    """

    name: str
    kind: str
    class_code: str
    activity_type: str
    factor_unit: str
    units: tuple[tuple[str, float], ...]
    median: float
    factors: dict[str, float]
    weight: float = 1.0
    fuel: str | None = None
    technology: str | None = None
    product: str | None = None
    vehicle_class: str | None = None
    standard: str | None = None
    size_band: tuple[float, float, str] | None = None
    wildcard_factors: dict[str, float] = field(default_factory=dict)
    trains: tuple[tuple[tuple[str, str | None], ...], ...] = ((),)
    mass_balance: str | None = None  # "coal" (sulfur, ash) | "voc" (VOC content) | None
    measured_share: float = 0.0


def _coal(
    name: str,
    code: str,
    technology: str,
    median: float,
    measured_share: float,
    weight: float = 1.0,
    size_band: tuple[float, float, str] | None = None,
) -> Template:
    """A coal-fired combustion unit (mass balance possible, full control trains)."""
    return Template(
        name,
        "point",
        code,
        "fuel_use",
        "g/kg",
        _MASS,
        median,
        _COAL,
        weight=weight,
        fuel="燃煤",
        technology=technology,
        size_band=size_band,
        wildcard_factors=_COAL_WILDCARD,
        trains=_COAL_TRAINS,
        mass_balance="coal",
        measured_share=measured_share,
    )


def _point_templates() -> list[Template]:
    templates = [
        _coal("power coal <300 MW", "01010101", "煤粉炉", 4e5, 0.5, 0.5, (0.0, 300.0, "MW")),
        _coal("power coal >=300 MW", "01010101", "煤粉炉", 1.5e6, 0.8, 0.3, (300.0, 1e4, "MW")),
        _coal("heat coal", "01010201", "层燃炉", 8e4, 0.3),
    ]
    for code, firing in (("01020101", "煤粉炉"), ("01020102", "流化床炉"), ("01020103", "层燃炉")):
        templates.append(_coal(f"industrial coal boiler {firing}", code, firing, 2e4, 0.1))
    templates += [
        Template(
            "gas boiler",
            "point",
            "01020201",
            "fuel_use",
            "kg/10^4 m3",
            _GAS_VOLUME,
            300.0,
            _GAS,
            fuel="天然气",
            technology="燃气",
            trains=((("低氮燃烧", None),), ()),
        ),
        Template(
            "oil boiler",
            "point",
            "01020301",
            "fuel_use",
            "kg/t",
            _MASS,
            800.0,
            _OIL,
            fuel="燃料油",
            technology="燃油",
            weight=0.5,
        ),
        Template(
            "biomass boiler",
            "point",
            "08020101",
            "fuel_use",
            "g/kg",
            _MASS,
            5000.0,
            _BIOMASS,
            fuel="生物质",
            trains=((("袋式除尘", None),), ()),
        ),
    ]
    for name, code, product, median in (
        ("cement clinker", "02010101", "熟料", 1e6),
        ("ferrosilicon", "02030101", "硅铁", 5e4),
        ("primary aluminium", "02040101", "电解铝", 2e5),
        ("coking", "02050101", "焦炭", 5e5),
        ("corn starch", "02070101", "玉米淀粉", 2e5),
        ("other chemicals", "02060501", "化工产品", 3e4),
    ):
        templates.append(
            Template(
                name,
                "point",
                code,
                "output",
                "kg/t",
                _MASS[:3],
                median,
                _PROCESS,
                product=product,
                trains=((("袋式除尘", None), ("SNCR", None)), (("静电除尘", None),), ()),
                measured_share=0.2,
            )
        )
    for name, code in (("industrial coating", "04010101"), ("printing ink", "04030101")):
        templates.append(
            Template(
                name,
                "point",
                code,
                "material_use",
                "kg/t",
                (("t", 0.6), ("kg", 0.3), ("吨", 0.1)),
                50.0,
                _SOLVENT,
                trains=((("活性炭吸附", "VOCs"),), (("RTO", "VOCs"),), ()),
                mass_balance="voc",
            )
        )
    templates.append(
        Template(
            "oil depot",
            "point",
            "07010101",
            "throughput",
            "kg/t",
            _MASS[:3],
            5e4,
            _STORAGE,
            fuel="汽油",
            trains=((("油气回收", "VOCs"),), ()),
        )
    )
    return templates


_VEHICLES = (
    ("03010101", "微型载客汽车", ("汽油",)),
    ("03010102", "小型载客汽车", ("汽油", "柴油")),
    ("03010103", "中型载客汽车", ("汽油", "柴油")),
    ("03010104", "大型载客汽车", ("柴油",)),
    ("03010105", "公交车", ("柴油",)),
    ("03010106", "出租车", ("汽油",)),
    ("03010201", "微型载货汽车", ("汽油",)),
    ("03010202", "轻型载货汽车", ("汽油", "柴油")),
    ("03010203", "中型载货汽车", ("柴油",)),
    ("03010204", "重型载货汽车", ("柴油",)),
    ("03010301", "摩托车", ("汽油",)),
    ("03010401", "低速货车", ("柴油",)),
)
_MACHINES = (
    ("03020101", "挖掘机"),
    ("03020102", "装载机"),
    ("03020103", "推土机"),
    ("03020105", "叉车"),
    ("03020201", "拖拉机"),
    ("03020202", "联合收割机"),
)
_LIVESTOCK_CODES = (
    ("05020101", "肉牛"),
    ("05020102", "奶牛"),
    ("05020103", "生猪"),
    ("05020104", "羊"),
    ("05020105", "蛋鸡"),
)


def _fleet_templates() -> list[Template]:
    templates = []
    for code, vehicle_class, fuels in _VEHICLES:
        for fuel in fuels:
            for level in range(7):
                standard = f"国{level}"
                scale = 1.0 / (1.0 + level)  # newer standards emit less
                templates.append(
                    Template(
                        f"{vehicle_class} {fuel} {standard}",
                        "mobile",
                        code,
                        "population",
                        "g/km",
                        (("辆", 1.0),),
                        800.0,
                        {p: v * scale for p, v in _ONROAD.items()},
                        weight=0.1,
                        fuel=fuel,
                        vehicle_class=vehicle_class,
                        standard=standard,
                        wildcard_factors=_ONROAD_WILDCARD,
                    )
                )
    for code, machine in _MACHINES:
        for level in range(5):
            templates.append(
                Template(
                    f"{machine} {level}",
                    "nonroad",
                    code,
                    "machine_count",
                    "g/kWh",
                    (("台", 1.0),),
                    60.0,
                    {p: v / (1.0 + 0.5 * level) for p, v in _NONROAD.items()},
                    weight=0.15,
                    fuel="柴油",
                    vehicle_class=machine,
                    standard=f"国{level}",
                )
            )
    return templates


def _area_templates() -> list[Template]:
    templates = [
        Template(
            "residential coal",
            "area",
            "01030101",
            "area_activity",
            "g/kg",
            _MASS[:3],
            3e4,
            _RESIDENTIAL_COAL,
            fuel="燃煤",
        ),
        Template(
            "straw burning maize",
            "area",
            "08030101",
            "area_activity",
            "g/kg",
            _MASS[:3],
            2e4,
            _STRAW,
        ),
        Template(
            "urea application",
            "area",
            "05010101",
            "area_activity",
            "kg/t",
            _MASS[:3],
            1e4,
            _FERTILISER,
        ),
        Template(
            "architectural coatings",
            "area",
            "04020101",
            "area_activity",
            "kg/t",
            _MASS[:3],
            2e3,
            _SOLVENT,
        ),
        Template(
            "filling stations petrol",
            "area",
            "07030101",
            "area_activity",
            "kg/t",
            _MASS[:3],
            5e4,
            {"VOCs": 2.5},
            fuel="汽油",
        ),
    ]
    for code, animal in _LIVESTOCK_CODES:
        templates.append(
            Template(
                f"livestock {animal}",
                "area",
                code,
                "area_activity",
                "kg/head",
                (("头", 0.8), ("万头", 0.2)),
                5e4,
                _LIVESTOCK,
                weight=0.3,
            )
        )
    return templates


def build_templates(seed: int) -> list[Template]:
    """Every template, with factor values scaled by a seeded number in [0.5, 2) each."""
    rng = np.random.default_rng(seed)
    templates = _point_templates() + _fleet_templates() + _area_templates()
    scaled = []
    for template in templates:
        factors = {
            p: round(v * float(rng.uniform(0.5, 2.0)), 6) for p, v in template.factors.items()
        }
        scaled.append(_replace_factors(template, factors))
    return scaled


def _replace_factors(template: Template, factors: dict[str, float]) -> Template:
    from dataclasses import replace

    return replace(template, factors=factors)
