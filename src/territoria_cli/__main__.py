"""The ``territoria`` command, and ``python -m territoria_cli``.

Python's cyclic garbage collector is switched off here, before Typer, Rich
and the library are imported: a command lives a fraction of a second, its
data (JSON documents, tables) holds no reference cycles for the collector to
find, and the collector's passes over the freshly imported modules cost
about 5 ms of a 60 ms start-up (measured). Only the command does this:
importing ``territoria_cli`` as a library leaves the collector alone.
"""

import gc

gc.disable()

from territoria_cli.cli import main  # noqa: E402  (after the collector is off, on purpose)

if __name__ == "__main__":
    main()
