"""Fuzz the survey import at scale: ``python scripts/fuzz_import.py --cases 500``.

Each case mutates a small valid seed workbook (tests/workbook_fuzz.py: wrong types, NaN/inf,
extreme numbers, blank/duplicate/odd-Unicode/merged headers, unknown/renamed/copied/removed
sheets, long strings, formulas, dates as text, hostile strings, blank and duplicated rows,
deleted columns, formatting far below the data), imports it into one SQLite store and checks
the invariants (clean result or structured error; no partial write; one batch per write; no
orphans). Prints the counts by outcome and by mutation; a failing case is kept under --keep
with the traceback, and the exit code is non-zero when any case failed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from workbook_fuzz import (
    MUTATIONS,
    apply_mutations,
    known_rule_codes,
    make_seeds,
    run_import_case,
)

from inventory.db.session import make_engine
from inventory.store import initialise


def main() -> int:
    """Run the cases; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="How many cases to run.")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (cases are reproducible).")
    parser.add_argument(
        "--keep", type=Path, default=Path("fuzz-failures"), help="Where failing cases go."
    )
    parser.add_argument("--max-mutations", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="fuzz-import-"))
    seeds = make_seeds(work / "seeds")
    url = f"sqlite:///{work / 'fuzz.db'}"
    initialise(url)
    engine = make_engine(url)
    rules = known_rule_codes()
    outcomes: Counter[str] = Counter()
    by_mutation: dict[str, Counter[str]] = {name: Counter() for name in MUTATIONS}
    failures = 0
    started = time.monotonic()
    for case in range(1, args.cases + 1):
        seed = rng.choice(seeds)
        mutations = [
            (rng.choice(sorted(MUTATIONS)), rng.randrange(2**16))
            for _ in range(rng.randint(1, args.max_mutations))
        ]
        partial = rng.random() < 0.3
        path = work / f"case-{case}.xlsx"
        try:
            applied = apply_mutations(seed, mutations, path)
            outcome = run_import_case(engine, path, rules, partial=partial).outcome
        except Exception:  # a crash or a broken invariant: keep the case to reproduce it
            outcome = "FAILED"
            failures += 1
            args.keep.mkdir(parents=True, exist_ok=True)
            kept = args.keep / f"case-{args.seed}-{case}.xlsx"
            if path.exists():
                shutil.copy(path, kept)
            kept.with_suffix(".txt").write_text(
                f"seed workbook: {seed.name}\nmutations: {mutations}\npartial: {partial}\n\n"
                + traceback.format_exc(),
                encoding="utf-8",
            )
            applied = [name for name, _ in mutations]
        outcomes[outcome] += 1
        for name, _ in mutations:
            by_mutation[name][outcome] += 1
        path.unlink(missing_ok=True)
        if case % 25 == 0:
            print(f"{case} cases, {time.monotonic() - started:.0f} s: {dict(outcomes)}", flush=True)
        del applied
    engine.dispose()
    shutil.rmtree(work, ignore_errors=True)
    print(f"\n{args.cases} cases in {time.monotonic() - started:.0f} s (seed {args.seed})")
    for outcome, count in outcomes.most_common():
        print(f"  {outcome:<28} {count}")
    print("\nby mutation:")
    for name, counts in sorted(by_mutation.items()):
        print(f"  {name:<20} {dict(counts)}")
    if failures:
        print(f"\n{failures} FAILED cases kept under {args.keep}/", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
