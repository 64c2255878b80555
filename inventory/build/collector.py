"""Pause Python's cyclic garbage collector around bulk row traffic with the driver."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block; restore its state afterwards.

    Fetching or sending 10^6 rows allocates 10^6 tuples, and every 700 allocations the
    collector runs; its older generations scan every live object of the build again and again
    (~12 % of a 10^6-row insert). Rows are tuples of scalars without reference cycles, so
    reference counting frees them all the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
