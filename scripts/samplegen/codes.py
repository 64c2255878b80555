"""Identifier codes and places: credit codes (GB 32100-2015), regions, industry codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "CREDIT_ALPHABET",
    "INDUSTRY",
    "REGIONS",
    "Region",
    "credit_check_char",
    "make_credit_code",
    "org_check_char",
]

# GB 32100-2015: 31 characters (no I, O, S, V, Z); weight of position i is 3^i mod 31.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]
# GB 11714-1997 organisation code (positions 9-17 of the credit code): weights of the 8-char body.
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def _org_value(char: str) -> int:
    """Value of an organisation-code character: digits as such, letters A=10 ... Z=35."""
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_check_char(body: str) -> str:
    """Check character (GB 11714-1997) of an 8-character organisation-code body."""
    remainder = 11 - sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def credit_check_char(first17: str) -> str:
    """Check character (GB 32100-2015) of the first 17 characters of a credit code."""
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def make_credit_code(region_code: str, serial: int) -> str:
    """A synthetic, checksummed 18-character credit code for an enterprise in `region_code`.

    Registration authority 9 (market regulation), type 1 (enterprise), the region code, and an
    organisation code whose body starts with "XY" (no real organisation code is known to use
    that prefix; the sample's codes are made up) followed by a six-digit serial.
    """
    body = f"XY{serial:06d}"
    first17 = f"91{region_code}{body}{org_check_char(body)}"
    return first17 + credit_check_char(first17)


@dataclass(frozen=True)
class Region:
    """A county-level unit: code, name, an approximate centre (decimal degrees) and a radius
    (degrees) inside which the sample places its enterprises, and a share of the city's people."""

    code: str
    name: str
    lon: float
    lat: float
    radius: float
    population_share: float

    def place(self, rng: np.random.Generator) -> tuple[float, float]:
        """A random point (lon, lat), rounded to 1e-5 degrees, within the unit's small disc."""
        angle = rng.uniform(0, 2 * np.pi)
        distance = self.radius * np.sqrt(rng.uniform(0, 1))
        return (
            round(self.lon + distance * np.cos(angle), 5),
            round(self.lat + distance * np.sin(angle), 5),
        )


# Centres are the approximate seats (town centres) read off a map; radii keep points well inside
# each unit. Population shares are an assumption (rounded; see docs/sample-data.md).
REGIONS: tuple[Region, ...] = (
    Region("150502", "科尔沁区", 122.28, 43.64, 0.05, 0.30),
    Region("150521", "科尔沁左翼中旗", 123.31, 44.13, 0.08, 0.16),
    Region("150522", "科尔沁左翼后旗", 122.36, 42.95, 0.08, 0.12),
    Region("150523", "开鲁县", 121.32, 43.60, 0.08, 0.12),
    Region("150524", "库伦旗", 121.77, 42.73, 0.05, 0.05),
    Region("150525", "奈曼旗", 120.66, 42.86, 0.08, 0.12),
    Region("150526", "扎鲁特旗", 120.91, 44.56, 0.08, 0.08),
    Region("150581", "霍林郭勒市", 119.66, 45.53, 0.04, 0.03),
    Region("150571", "通辽经济技术开发区", 122.13, 43.57, 0.03, 0.02),
)

# GB/T 4754-2017 four-digit industry classes used by the sample.
INDUSTRY: dict[str, str] = {
    "4411": "火力发电",
    "4412": "热电联产",
    "4430": "热力生产和供应",
    "3011": "水泥制造",
    "3140": "铁合金冶炼",
    "3216": "铝冶炼",
    "2521": "炼焦",
    "1391": "淀粉及淀粉制品制造",
    "1495": "食品及饲料添加剂制造",
    "2614": "有机化学原料制造",
    "2710": "化学药品原料药制造",
    "1351": "牲畜屠宰",
    "1440": "乳制品制造",
    "1511": "酒精制造",
    "1329": "其他饲料加工",
    "3021": "水泥制品制造",
    "3311": "金属结构制造",
    "3670": "汽车零部件及配件制造",
    "2110": "木质家具制造",
    "2319": "包装装潢及其他印刷",
    "2231": "纸和纸板容器制造",
    "5941": "油气仓储",
    "5265": "机动车燃油零售",
    "8411": "综合医院",
    "6110": "旅游饭店",
}
