"""Query stored runs: list them, total them by any keys, and explain the change between two."""

from inventory.results.diff import (
    DIFF_COLUMNS,
    PART_COLUMNS,
    add_activity_keys,
    decompose,
    diff_runs,
    summarise_diff,
)
from inventory.results.frame import KEYS, RESULT_COLUMNS, add_keys, load_results, parse_keys
from inventory.results.runs import (
    RUN_COLUMNS,
    list_runs,
    newest_base_run,
    previous_year_run,
    resolve_run,
)
from inventory.results.totals import add_names, run_totals, totals

__all__ = [
    "DIFF_COLUMNS",
    "KEYS",
    "PART_COLUMNS",
    "RESULT_COLUMNS",
    "RUN_COLUMNS",
    "add_activity_keys",
    "add_keys",
    "add_names",
    "decompose",
    "diff_runs",
    "list_runs",
    "load_results",
    "newest_base_run",
    "parse_keys",
    "previous_year_run",
    "resolve_run",
    "run_totals",
    "summarise_diff",
    "totals",
]
