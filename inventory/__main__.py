"""``python -m inventory ...``: the same command line as the ``inventory`` script."""

from inventory.cli import main

main(prog_name="inventory")
