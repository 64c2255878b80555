"""Air-pollutant source emission inventory builder.

The package reads survey workbooks into a living source list (``inventory.ingest``), keeps it in
a database with append-only history (``inventory.db``), computes annual inventories with a pure,
unit-safe calculation core (``inventory.calc``) and writes reports (``inventory.report``).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("inventory")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

POLLUTANTS: tuple[str, ...] = ("SO2", "NOx", "CO", "PM10", "PM2.5", "BC", "OC", "VOCs", "NH3")
"""The nine pollutants of the inventory; NOx is counted as NO2."""

HEADLINE_POLLUTANTS: tuple[str, ...] = ("NOx", "VOCs")

SOURCE_KINDS: tuple[str, ...] = ("point", "mobile", "nonroad", "area")

__all__ = ["HEADLINE_POLLUTANTS", "POLLUTANTS", "SOURCE_KINDS", "__version__"]
