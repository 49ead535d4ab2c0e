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

Help texts are English source strings marked with ``N_`` for the catalogue;
the command line translates them and fills in their ``{placeholders}`` when
the help is shown (see :func:`territoria_cli.i18n.translate_help`).
"""

import functools
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from territoria_cli import store
from territoria_cli.filters import FILTERS, SORT_KEYS, Filter
from territoria_cli.i18n import LANG_ENV_VAR, N_
from territoria_cli.model import Lang
from territoria_cli.store import STORE_ENV_VAR

if TYPE_CHECKING:
    from territoria_cli.catalogue import Catalogue

# ---------------------------------------------------------------- completion

# Completion callbacks return every candidate: territoria's shell classes
# (territoria_cli.completion) keep those that match what was typed, accents
# and case aside.


def completing(values: Sequence[str]) -> Callable[[], list[str]]:
    """A completion callback offering fixed ``values``."""
    return lambda: list(values)


def _from_store(ctx: typer.Context, read: "Callable[[Catalogue], list[str]]") -> list[str]:
    """What ``read`` gets from the store named so far on the command line; nothing if it cannot be read."""
    try:
        from territoria_cli.catalogue import Catalogue

        return read(Catalogue.open(store.resolve_store_path(ctx.params.get("db"))))
    except Exception:  # a completion must never print a traceback into the shell
        return []


def completing_values(field: str) -> Callable[[typer.Context], list[str]]:
    """A completion callback offering what ``territoria values FIELD`` lists, the most frequent first."""

    def complete(ctx: typer.Context) -> list[str]:
        return _from_store(ctx, lambda catalogue: [value for value, _count in catalogue.values(field)])

    return complete


def completing_ids(ctx: typer.Context) -> list[str]:
    """A completion callback offering the ids of the store."""
    return _from_store(ctx, lambda catalogue: catalogue.ids())


# ---------------------------------------------------------------- store, language, output

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar=STORE_ENV_VAR,
        metavar="PATH",
        help=N_("Store file to read (default: the palmarès shipped with territoria)."),
        show_default=False,
    ),
]
LangOption = Annotated[
    Lang,
    typer.Option("--lang", envvar=LANG_ENV_VAR, case_sensitive=False, help=N_("Language of messages, help and labels.")),
]
JsonOption = Annotated[bool, typer.Option("--json", help=N_("Print JSON for scripts instead of a table."))]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, metavar="N", help=N_("Show at most N awards."), show_default=False)
]
SortOption = Annotated[
    str,
    typer.Option(
        "--sort",
        metavar="KEY",
        help=N_("Order by {sort_keys} (any unique beginning); by level, gold comes first."),
        autocompletion=completing(SORT_KEYS),
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", help=N_("Reverse the order."))]


def format_option(formats: Sequence[str], help: str) -> Any:
    """The ``--format``/``-f`` option of a command that writes ``formats``: ``Annotated[str | None, format_option(…)]``.

    One declaration for ``stats`` and ``export``; each gives its formats (to
    complete) and its help, which cannot be one: without ``--format`` or
    ``--output``, export writes CSV while stats draws its tables.
    """
    return typer.Option(
        "--format", "-f", metavar="FORMAT", help=help, autocompletion=completing(formats), show_default=False
    )


# ---------------------------------------------------------------- filters


def _filter_parameter(entry: Filter) -> inspect.Parameter:
    """The keyword parameter Typer reads as the option of one filter."""
    option = typer.Option(
        *entry.flags,
        metavar=entry.metavar,
        help=entry.help,
        autocompletion=completing_values(entry.values) if entry.values else None,
        show_default=False,
    )
    value_type = list[entry.item] if entry.repeatable else entry.item  # type: ignore[name-defined]
    return inspect.Parameter(
        entry.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[value_type | None, option]
    )


@functools.cache
def _filter_parameters() -> tuple[inspect.Parameter, ...]:
    """The filters' parameters, built once for every command that takes them (each costs typing's machinery)."""
    return tuple(_filter_parameter(entry) for entry in FILTERS)


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

    @functools.wraps(command)
    def run(**values: Any) -> None:
        typed = {entry.name: values.pop(entry.name) for entry in FILTERS}
        command(filters=typed, **values)

    run.__signature__ = signature.replace(parameters=[*_filter_parameters(), *own])  # type: ignore[attr-defined]
    return run
