"""The errors territoria reports to its user, and the exit code of each.

The library raises these; the command line (``cli``) prints their message as
one line on standard error and exits with :data:`EXIT_CODES`. They live in a
module of their own so that any module can raise them without importing
another module's job.
"""

from __future__ import annotations


class UsageError(ValueError):
    """The user asked for something that cannot be: the message says what is valid (exit code 2)."""


class StoreError(Exception):
    """The store or a file to import cannot be used; the message names the file and what is wrong (exit code 1)."""


class OutputError(Exception):
    """An output file cannot be written; the message says which and why (exit code 1)."""


class Failure(Exception):
    """Anything else the user must know about, such as an unknown id (exit code 1)."""


USAGE_ERROR = 2
FAILURE = 1
INTERRUPTED = 130

#: The exit code of each error the library reports; anything else is a bug.
EXIT_CODES: dict[type[Exception], int] = {
    UsageError: USAGE_ERROR,
    StoreError: FAILURE,
    OutputError: FAILURE,
    Failure: FAILURE,
}


def exit_code(error: BaseException) -> int | None:
    """The exit code for a reported error, ``None`` for an unexpected one (a bug)."""
    return next((code for kind, code in EXIT_CODES.items() if isinstance(error, kind)), None)
