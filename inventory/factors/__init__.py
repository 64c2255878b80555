"""The factor library: shipped tables under ``factors/``, local factor sets, the active factors.

- :mod:`inventory.factors.tables` reads and checks factor tables (CSV, one per source family).
- :mod:`inventory.factors.sets` loads them into the store as versioned factor sets and returns
  the active factors and control efficiencies as frames in the calculation core's columns.
"""

from inventory.factors.sets import (
    FACTOR_COLUMNS,
    SHIPPED_SET_NAME,
    active_efficiencies,
    active_factors,
    add_local_factor_set,
    factor_set_rows,
    list_factor_sets,
    load_shipped_factor_set,
)
from inventory.factors.tables import (
    FactorTables,
    check_efficiency_table,
    check_factor_table,
    read_factor_file,
    read_shipped_tables,
)

__all__ = [
    "FACTOR_COLUMNS",
    "SHIPPED_SET_NAME",
    "FactorTables",
    "active_efficiencies",
    "active_factors",
    "add_local_factor_set",
    "check_efficiency_table",
    "check_factor_table",
    "factor_set_rows",
    "list_factor_sets",
    "load_shipped_factor_set",
    "read_factor_file",
    "read_shipped_tables",
]
