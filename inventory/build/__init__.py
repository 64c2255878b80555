"""The annual build: the source list of year Y through the calc core into a stored run.

``build_inventory(engine, year)`` does it all. A scenario reads the inputs with
``read_inputs``, changes the frames of the :class:`BuildInputs` and stores them with
``compute_and_store``.
"""

from inventory.build.inputs import ACTIVITY_COLUMNS, BuildInputs, read_inputs
from inventory.build.persist import bulk_insert, store_run
from inventory.build.run import (
    BuildReport,
    ComputedRun,
    build_inventory,
    compute_and_store,
    compute_run,
    input_fingerprint,
    summary_by_kind,
)

__all__ = [
    "ACTIVITY_COLUMNS",
    "BuildInputs",
    "BuildReport",
    "ComputedRun",
    "build_inventory",
    "bulk_insert",
    "compute_and_store",
    "compute_run",
    "input_fingerprint",
    "read_inputs",
    "store_run",
    "summary_by_kind",
]
