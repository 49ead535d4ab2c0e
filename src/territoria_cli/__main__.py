"""The ``territoria`` command, and ``python -m territoria_cli``.

Signals come first, before any import: Python's own Ctrl-C handler raises
``KeyboardInterrupt`` wherever the interpreter happens to be, and while Typer,
Rich and the library are still being imported (the first 50 ms or so) that is
in the middle of some module, which prints a traceback. Until the command
starts there is nothing to clean up, so Ctrl-C and SIGTERM simply end the
process with the shell's code (130, 143). While the command runs they raise
(``KeyboardInterrupt``, ``SystemExit(143)``) so that temporary files are
removed and locks released on the way out; once it has finished, or when the
signal lands in a finaliser (``__del__``) that would swallow the exception and
print "Exception ignored", they end the process at once again.

Python's cyclic garbage collector is switched off next, before Typer, Rich
and the library are imported: a command lives a fraction of a second, its
data (JSON documents, tables) holds no reference cycles for the collector to
find, and the collector's passes over the freshly imported modules cost
about 5 ms of a 60 ms start-up (measured). Only the command does this:
importing ``territoria_cli`` as a library leaves the collector and the
signals alone.

On the way out, every object is moved to the collector's permanent
generation (``gc.freeze``). The interpreter's shutdown runs a full
collection whether the collector is on or not, and with Typer, Click, Rich
and tantivy loaded that pass over tens of thousands of objects cost 12-14 ms
of a 90 ms ``show`` (measured: 88.8 → 76.3 ms, a bare two-command Typer app
77-79 ms). Shutdown still flushes the streams, runs ``atexit`` handlers and
releases every module; only cycles are left to the operating system, which
frees the whole process a moment later.
"""

# The interpreter's own C module, loaded before any Python code runs: the
# public ``signal`` module wraps it with enums, and importing ``enum`` takes
# 4 ms during which Ctrl-C would still print a traceback.
import _signal  # type: ignore[import-not-found]  # no stub for the C module
import os


def _exit_at_once(signum: int, frame: "FrameType | None") -> None:
    """Nothing to clean up: end with the shell's code for the signal, without a traceback."""
    os._exit(128 + signum)


_signal.signal(_signal.SIGINT, _exit_at_once)
_signal.signal(_signal.SIGTERM, _exit_at_once)

import gc  # noqa: E402  (after the signal handlers, on purpose)
import signal  # noqa: E402
import sys  # noqa: E402
from types import FrameType  # noqa: E402

gc.disable()

from territoria_cli.cli import main as run_command  # noqa: E402  (after the collector is off, on purpose)
from territoria_cli.errors import INTERRUPTED  # noqa: E402


def main() -> None:
    """Console-script entry point: run the command with cleaning signal handlers, then exit."""
    signal.signal(signal.SIGINT, _unwind)
    signal.signal(signal.SIGTERM, _unwind)
    try:
        run_command()
        code: str | int | None = 0
    except SystemExit as exit_:
        code = exit_.code
    except KeyboardInterrupt:
        code = INTERRUPTED
    signal.signal(signal.SIGINT, _exit_at_once)
    signal.signal(signal.SIGTERM, _exit_at_once)
    gc.freeze()  # the shutdown's full collection then has nothing to walk (see above)
    sys.exit(code)


def _unwind(signum: int, frame: FrameType | None) -> None:
    """While the command runs: raise, so that ``finally`` blocks clean up."""
    if frame is None or frame.f_code is main.__code__ or _in_finaliser(frame):
        _exit_at_once(signum, frame)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)


def _in_finaliser(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


if __name__ == "__main__":
    main()
