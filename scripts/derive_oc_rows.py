"""Derive OC factor rows from the shipped PM2.5 rows with US EPA SPECIATE profile shares.

README rule "OC from a profile share": OC = (POC split of PM2_5 of a SPECIATE PM2.5 profile that
matches the source type) x the PM2.5 factor of the same row; the OC row copies every selector,
the unit and the basis of its PM2.5 row and is written on the line after it (derived = yes,
confidence low). OC is carbon (POC), not organic matter.

Shares: the SPECIATE AE6 composite profiles' POC split factors as printed in the CMAQ AE6 GSPRO of
the EPA/CMAS Speciation Tool (github CMASCenter/Speciation-Tool, outputs/gspro.AE6.CMAQ.2022Feb02.txt,
commit 5c0a877); profile names from its SPECIATE 5.1 export (import_data/speciate5.1_exports/
export_profiles.txt, commit aa403dc). Rows generated earlier (key prefix ``spec:``) are dropped
and rebuilt, so the script is idempotent: ``python scripts/derive_oc_rows.py``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

FACTORS = Path(__file__).resolve().parents[1] / "factors" / "emission_factors"
PREFIX = "spec:"
GSPRO = (
    "github CMASCenter/Speciation-Tool outputs/gspro.AE6.CMAQ.2022Feb02.txt (commit 5c0a877), "
    "POC split of PM2_5"
)
NAMES = (
    "US EPA SPECIATE PM2.5 profile {code} '{name}' (profile name as in github "
    "CMASCenter/Speciation-Tool import_data/speciate5.1_exports/export_profiles.txt, commit aa403dc)"
)

# profile code -> (name, POC/PM2.5 split factor as printed in the GSPRO)
PROFILES: dict[str, tuple[str, float]] = {
    "91104": ("Bituminous Combustion - Composite", 0.026307),
    "91106": ("HDDV Exhaust - Composite", 0.175588),
    "91112": ("Natural Gas Combustion - Composite", 0.247),
    "91113": ("Nonroad Gasoline Exhaust - Composite", 0.475220),
    "91114": ("Wood Fired Boiler - Composite", 0.351117),
    "91115": ("Distillate Oil Combustion - Composite", 0.25),
    "91117": ("Residual Oil Combustion - Composite", 0.010),
    "91122": ("Onroad Gasoline Exhaust - Composite", 0.549259),
    "91162": ("LDDV Exhaust - Composite", 0.355258),
}

LIGHT_DIESEL = {"小型载客汽车", "中型载客汽车", "微型载货汽车", "轻型载货汽车"}
HEAVY_DIESEL = {"大型载客汽车", "公交车", "中型载货汽车", "重型载货汽车", "低速货车", "三轮汽车"}

Row = dict[str, str]


def _boiler(fuel: str, classes: tuple[str, ...]) -> Callable[[str, Row], bool]:
    return lambda table, r: (
        table == "fixed_combustion" and r["fuel"] == fuel and r["class_code"].startswith(classes)
    )


def _engine(kind: str, fuel: str, vehicle: Callable[[str], bool]) -> Callable[[str, Row], bool]:
    return lambda table, r: table == kind and r["fuel"] == fuel and vehicle(r["vehicle_class"])


# (profile, predicate on (table, PM2.5 row)); first match wins. Only same-fuel, same-source matches.
RULES: list[tuple[str, Callable[[str, Row], bool]]] = [
    ("91104", _boiler("燃煤", ("0101", "0102"))),  # coal power, heat and industrial boilers
    ("91117", _boiler("燃料油", ("0101", "0102"))),  # residual (fuel) oil boilers
    ("91115", _boiler("柴油", ("0101", "0102"))),  # distillate oil boilers
    ("91112", _boiler("天然气", ("0101", "0102", "010303"))),  # natural-gas boilers
    ("91114", _boiler("薪柴", ("0802",))),  # wood-fired boilers
    ("91114", _boiler("生物质", ("0802",))),  # generic solid biomass (pellets, wood chips)
    ("91106", _engine("onroad", "柴油", lambda vc: vc in HEAVY_DIESEL)),
    ("91162", _engine("onroad", "柴油", lambda vc: vc in LIGHT_DIESEL)),
    ("91122", _engine("onroad", "汽油", lambda vc: vc != "摩托车")),  # motorcycles excluded
    ("91106", _engine("nonroad", "柴油", lambda vc: True)),
    ("91113", _engine("nonroad", "汽油", lambda vc: True)),
]


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def oc_row(code: str, pm: Row) -> Row:
    """The OC row derived from one PM2.5 row with profile ``code`` (same selectors, unit, basis)."""
    name, share = PROFILES[code]
    value = share * float(pm["value"])
    row = dict(pm)
    row["factor_key"] = f"{PREFIX}{code}:{pm['factor_key'].removesuffix(':PM2.5')}:OC"
    row["pollutant"] = "OC"
    row["value"] = _fmt(value)
    row["derived"] = "yes"
    row["source_document"] = NAMES.format(code=code, name=name) + f"; PM2.5 row {pm['factor_key']}"
    row["table_or_page"] = f"{GSPRO}: {code} PM2_5 POC {share}; PM2.5: {pm['table_or_page']}"
    row["confidence"] = "low"
    row["note"] = (
        f"OC = {share} (POC share of PM2.5, SPECIATE {code} {name}) x PM2.5 {pm['value']} "
        f"{pm['unit']} = {_fmt(value)} {pm['unit']} (README rule: OC from a profile share); "
        "OC as carbon, not organic matter; a US composite profile applied to the Chinese PM2.5 "
        f"factor; {pm['basis']} like the PM2.5 row it derives from"
    )
    return row


def _line(row: Row, header: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([row[c] for c in header])
    return buffer.getvalue()


def derive(path: Path) -> int:
    """Rewrite one factor table with its OC rows after their PM2.5 rows; return the count."""
    table = path.stem
    out: list[str] = []
    header: list[str] | None = None
    added = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line:
            out.append(line)
            continue
        fields = next(csv.reader([line]))
        if header is None:
            header = fields
            out.append(line)
            continue
        row = dict(zip(header, fields, strict=True))
        if row["factor_key"].startswith(PREFIX):
            continue  # rebuilt below
        out.append(line)
        if row["pollutant"] != "PM2.5":
            continue
        code = next((c for c, match in RULES if match(table, row)), None)
        if code is not None:
            out.append(_line(oc_row(code, row), header))
            added += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return added


def main() -> None:
    """Regenerate the OC rows of the combustion and mobile tables."""
    for name in ("fixed_combustion", "onroad", "nonroad"):
        print(name, derive(FACTORS / f"{name}.csv"))


if __name__ == "__main__":
    main()
