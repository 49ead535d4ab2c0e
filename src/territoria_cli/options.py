"""The options several commands share, declared once: store, language, output, sorting and the filters.

Store, language and output options are ``Annotated`` aliases that each
command lists in its own signature, so the signature a reader and a type
checker see is the one Typer reads.

The filters are many and grow (``--sponsor`` was added by one entry in
:data:`territoria_cli.filters.FILTERS`), so they are declared by one stacking
decorator, :func:`with_filters`, from that table: the command's signature
gains one keyword option per filter and the command receives what was typed
as one ``filters`` mapping. It is the one place where territoria tells Typer
more than a plain signature says; it uses only ``inspect`` and
``typer.Option``.
"""

import functools
import inspect
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from territoria_cli.filters import FILTERS, SORT_KEYS, Filter
from territoria_cli.model import Lang
from territoria_cli.store import STORE_ENV_VAR, read_documents, resolve_store_path

LANG_ENV_VAR = "TERRITORIA_LANG"


# ---------------------------------------------------------------- completion

# Completion callbacks return every candidate: Typer 0.28 itself keeps those
# that start with what was typed (case- and accent-sensitively).


def completing(values: Sequence[str]) -> Callable[[], list[str]]:
    """A completion callback offering fixed ``values``."""
    return lambda: list(values)


def _completing_stored(read: Callable[[dict[str, Any]], Iterable[Any]]) -> Callable[[typer.Context], list[str]]:
    """A completion callback offering the values ``read`` finds in each document of the store named so far."""

    def complete(ctx: typer.Context) -> list[str]:
        try:
            documents = read_documents(resolve_store_path(ctx.params.get("db")))
        except Exception:  # a completion must never print a traceback into the shell
            return []
        values: dict[str, None] = {}
        for document in documents.values():
            if isinstance(document, dict):
                values.update(dict.fromkeys(value for value in read(document) if isinstance(value, str)))
        return list(values)

    return complete


# ---------------------------------------------------------------- store, language, output

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar=STORE_ENV_VAR,
        metavar="PATH",
        help="Store file to read (default: the palmarès shipped with territoria).",
        show_default=False,
    ),
]
LangOption = Annotated[
    Lang,
    typer.Option("--lang", envvar=LANG_ENV_VAR, case_sensitive=False, help="Language of labels and level names."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N awards.", show_default=False)
]
SortOption = Annotated[
    str,
    typer.Option(
        "--sort",
        metavar="KEY",
        help=f"Order by {', '.join(SORT_KEYS)} (any unique beginning); by level, gold comes first.",
        autocompletion=completing(SORT_KEYS),
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]


# ---------------------------------------------------------------- filters


def _filter_parameter(entry: Filter) -> inspect.Parameter:
    """The keyword parameter Typer reads as the option of one filter."""
    completion = entry.completion
    option = typer.Option(
        *entry.flags,
        metavar=entry.metavar,
        help=f"{entry.help} Repeat the option to accept several." if entry.repeatable else entry.help,
        autocompletion=(
            None if completion is None else _completing_stored(completion) if callable(completion) else completing(completion)
        ),
        show_default=False,
    )
    value_type = list[entry.item] if entry.repeatable else entry.item  # type: ignore[name-defined]
    return inspect.Parameter(
        entry.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[value_type | None, option]
    )


def with_filters(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` the options of every filter, listed first in its help, and call it with ``filters``.

    ``filters`` maps each filter's name to what was typed (a list, a value or
    ``None``), ready for :func:`territoria_cli.filters.build_filters`.
    """
    signature = inspect.signature(command)
    own = [
        parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for parameter in signature.parameters.values()
        if parameter.name != "filters"
    ]
    filter_parameters = [_filter_parameter(entry) for entry in FILTERS]

    @functools.wraps(command)
    def run(**values: Any) -> None:
        typed = {entry.name: values.pop(entry.name) for entry in FILTERS}
        command(filters=typed, **values)

    run.__signature__ = signature.replace(parameters=[*filter_parameters, *own])  # type: ignore[attr-defined]
    return run
