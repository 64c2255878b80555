"""Synthetic inventories of any size, from a seed: for benchmarks, scale tests and examples.

Everything here is **synthetic**: the factor values are seeded multiples of round profiles,
not published values (see :mod:`inventory.synthetic.catalogue`). ``generate`` gives the
calculation core's input frames; ``references`` computes the same totals three other ways; the
database and workbook writers put the same inventory into a store or a survey workbook.
"""

from inventory.synthetic.frames import SyntheticInventory, generate

__all__ = ["SyntheticInventory", "generate"]
