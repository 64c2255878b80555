"""Quality assurance of a run: a catalogue of checks with stable codes, and the checks."""

from inventory.qa.catalogue import CATALOGUE, EXPECTED_HEADLINE, FINDING_COLUMNS, QACheck, check
from inventory.qa.checks import QAConfig, run_checks
from inventory.qa.store import load_findings

__all__ = [
    "CATALOGUE",
    "EXPECTED_HEADLINE",
    "FINDING_COLUMNS",
    "QACheck",
    "QAConfig",
    "check",
    "load_findings",
    "run_checks",
]
