"""Derive OC factor rows from the shipped PM2.5 rows with US EPA SPECIATE profile shares.

README rule "OC from a profile share": OC = (POC split of PM2_5 of a SPECIATE PM2.5 profile that
matches the source type) x the PM2.5 factor of the same row; the OC row copies every selector,
the unit and the basis of its PM2.5 row and is written on the line after it (derived = yes,
confidence low). OC is carbon (POC), not organic matter.

The profiles, their shares, their sources and which PM2.5 rows each applies to are data:
``factors/speciation/oc_profiles.csv``. Rows generated earlier (key prefix ``spec:``) are
dropped and rebuilt, so the script is idempotent: ``python scripts/derive_oc_rows.py``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

FACTORS = Path(__file__).resolve().parents[1] / "factors"
PROFILES = FACTORS / "speciation" / "oc_profiles.csv"
PREFIX = "spec:"
GSPRO = (
    "github CMASCenter/Speciation-Tool outputs/gspro.AE6.CMAQ.2022Feb02.txt (commit 5c0a877), "
    "POC split of PM2_5"
)
NAMES = (
    "US EPA SPECIATE PM2.5 profile {code} '{name}' (profile name as in github "
    "CMASCenter/Speciation-Tool import_data/speciate5.1_exports/export_profiles.txt, commit aa403dc)"
)

Row = dict[str, str]


def _set(cell: str) -> frozenset[str]:
    return frozenset(part for part in cell.split("|") if part)


@dataclass(frozen=True)
class Rule:
    """One line of oc_profiles.csv: a profile and the PM2.5 rows it applies to."""

    code: str
    name: str
    share: float
    table: str
    fuel: str
    class_prefixes: tuple[str, ...]
    vehicle_classes: frozenset[str]
    except_vehicle_classes: frozenset[str]

    def applies(self, table: str, row: Row) -> bool:
        """Whether this profile applies to ``row``, a PM2.5 row of ``table``."""
        vehicle = row["vehicle_class"]
        return (
            table == self.table
            and row["fuel"] == self.fuel
            and (not self.class_prefixes or row["class_code"].startswith(self.class_prefixes))
            and (not self.vehicle_classes or vehicle in self.vehicle_classes)
            and vehicle not in self.except_vehicle_classes
        )


def read_rules(path: Path = PROFILES) -> list[Rule]:
    """The profile rules of ``path``, in file order (first match wins)."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return [
        Rule(
            code=r["profile_code"],
            name=r["profile_name"],
            share=float(r["poc_share"]),
            table=r["table"],
            fuel=r["fuel"],
            class_prefixes=tuple(sorted(_set(r["class_prefixes"]))),
            vehicle_classes=_set(r["vehicle_classes"]),
            except_vehicle_classes=_set(r["except_vehicle_classes"]),
        )
        for r in rows
    ]


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def oc_row(rule: Rule, pm: Row) -> Row:
    """The OC row derived from one PM2.5 row with ``rule``'s profile (same selectors, unit,
    basis)."""
    code, name, share = rule.code, rule.name, rule.share
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


def derive(path: Path, rules: list[Rule]) -> int:
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
        rule = next((r for r in rules if r.applies(table, row)), None)
        if rule is not None:
            out.append(_line(oc_row(rule, row), header))
            added += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return added


def main() -> None:
    """Regenerate the OC rows of the combustion and mobile tables."""
    rules = read_rules()
    for name in sorted({rule.table for rule in rules}):
        print(name, derive(FACTORS / "emission_factors" / f"{name}.csv", rules))


if __name__ == "__main__":
    main()
