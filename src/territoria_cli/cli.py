"""The ``territoria`` command: for each command, options in, one library call, one view out.

The shared options are declared in :mod:`territoria_cli.options`, the
libraries (``filters``, ``search``, ``stats``, ``formats``, ``store``) do the
work and :mod:`territoria_cli.views` prints the result for a terminal, a pipe
or a script. What only some commands need is imported inside them: Rich
(inside the terminal views), the search engine, the export formats, the
statistics, TinyDB (inside ``import``). A piped ``territoria list`` never loads
Rich, and ``--help`` loads neither Rich nor TinyDB.

Every message, help text and usage error is in the reader's language
(:mod:`territoria_cli.i18n`): French unless ``--lang en`` or
``TERRITORIA_LANG=en``. Help texts are declared as English source strings
and translated when shown, since the language is only known once the
command line is read.

Exit codes: 0 success (a search or filter with no result included: the message
goes to standard error); 1 an error that is not the command line's fault
(unknown id, unusable store, unwritable output); 2 a usage error (unknown
level, category, kind, option value, empty query); 130 interrupted by Ctrl-C.
The library's errors and their codes are in :mod:`territoria_cli.errors`.
"""

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from territoria_cli import __version__, formats, i18n, store, views
from territoria_cli.errors import FAILURE, UsageError, exit_code
from territoria_cli.filters import SORT_KEYS, FilterValues
from territoria_cli.formats import EXPORT_FORMATS, GROUP_FIELDS, HEADERS, TABLE_FORMATS
from territoria_cli.formats.columns import DEFAULT_COLUMNS
from territoria_cli.i18n import N_, _
from territoria_cli.model import BY_FIELDS, KINDS, LEVELS, json_text
from territoria_cli.options import (
    DbOption,
    JsonOption,
    LangOption,
    LimitOption,
    ReverseOption,
    SortOption,
    completing,
    completing_ids,
    format_option,
    with_filters,
)
from territoria_cli.search import DEFAULT_LIMIT as SEARCH_LIMIT
from territoria_cli.search import SYNONYMS_ENV_VAR
from territoria_cli.store import DEFAULT_MAX_FILE_MB
from territoria_cli.values import FIELDS as VALUE_FIELDS

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from territoria_cli.catalogue import Catalogue

PROGRAM = "territoria"
#: Set by a shell that asks for completions (see :mod:`territoria_cli.completion`).
COMPLETE_VAR = "_TERRITORIA_COMPLETE"
#: A flag of the whole program that may be typed anywhere on the line (``show x --debug``), as gh's.
DEBUG_FLAG = "--debug"


# ---------------------------------------------------------------- errors as users see them


class _StdoutClosed(Exception):
    """The reader of our output went away (``| head -1``): not an error.

    Typer turns a ``BrokenPipeError`` into exit code 1, so the group
    re-raises it as this before Typer sees it.
    """


def _is_click_error(error: BaseException) -> bool:
    """Whether ``error`` is one of Click's usage errors (bad option, missing argument, no such command).

    Typer 0.28 carries its own Click and re-exports only ``BadParameter`` of its
    exceptions (fastapi/typer#1867 asked for the others and was closed), so
    they are recognised by what each of them has: an exit code and a message.
    """
    return isinstance(getattr(error, "exit_code", None), int) and callable(getattr(error, "format_message", None))


def _silence_stdout() -> None:
    """After a closed pipe, let the interpreter's last flush go to /dev/null.

    The recipe of the Python docs ("Note on SIGPIPE"); under a test runner
    stdout has no file descriptor and nothing needs silencing.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _global_options_in_place(args: list[str], commands: Sequence[str]) -> list[str]:
    """Options of the whole line read wherever they are typed, up to ``--``, as gh's.

    ``show nope --debug`` is read as ``--debug show nope`` (``--debug`` belongs
    to the program) and ``--lang en list`` as ``list --lang en`` (``--lang``
    belongs to every command). Before an unknown command, ``--lang`` has
    already done its work, choosing the language of the error, and is dropped.
    """
    end = args.index("--") if "--" in args else len(args)
    debug = [arg for arg in args[:end] if arg == DEBUG_FLAG]
    rest = [arg for position, arg in enumerate(args) if position >= end or arg != DEBUG_FLAG]
    before: list[str] = []
    lang: list[str] = []
    position = 0
    while position < len(rest) and rest[position].startswith("-") and rest[position] != "--":
        if rest[position] == i18n.LANG_OPTION:
            lang += rest[position : position + 2]
            position += 2
        else:
            (lang if rest[position].startswith(i18n.LANG_OPTION + "=") else before).append(rest[position])
            position += 1
    if position < len(rest) and rest[position] in commands:
        return [*debug, *before, rest[position], *lang, *rest[position + 1 :]]
    return [*debug, *before, *rest[position:]]


# ---------------------------------------------------------------- help in the reader's language


def _help_values() -> dict[str, str]:
    """What help texts quote from the code, filled in after translation: one message whatever the lists hold."""
    return {
        "program": PROGRAM,
        "levels": ", ".join(LEVELS),
        "kinds": ", ".join(KINDS),
        "sort_keys": ", ".join(SORT_KEYS),
        "formats": ", ".join(EXPORT_FORMATS),
        "default_format": EXPORT_FORMATS[0],
        "extensions": ", ".join("." + name for name in EXPORT_FORMATS),
        "columns": ", ".join(DEFAULT_COLUMNS),
        "default_columns": ",".join(DEFAULT_COLUMNS),
        "group_fields": ", ".join(GROUP_FIELDS),
        "by_fields": ", ".join(BY_FIELDS),
        "table_formats": ", ".join(TABLE_FORMATS),
        "fields": ", ".join(VALUE_FIELDS),
        "search_columns": ", ".join(views.SEARCH_COLUMNS),
        "highlight": views.SEARCH_HIGHLIGHT,
        "synonyms_variable": SYNONYMS_ENV_VAR,
        "search_limit": str(SEARCH_LIMIT),
        "max_file_mb": str(DEFAULT_MAX_FILE_MB),
    }


def _epilog(*paragraphs: str) -> str:
    """A help epilog from catalogue messages, one per paragraph; indented ones keep their lines (Click's ``\\b``)."""
    return "\n\n".join(f"\b\n{paragraph}" if paragraph.startswith("  ") else paragraph for paragraph in paragraphs)


class _Translated:
    """Help pages in the reader's language: the command's texts, Typer's headings and the usage line."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from territoria_cli.click_messages import install_typer_translations

        install_typer_translations()
        values = _help_values()
        i18n.translate_help(self, values, self.get_params(ctx))  # type: ignore[attr-defined]
        for command in getattr(self, "commands", {}).values():
            i18n.translate_help(command, values, command.params)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))


class _TerritoriaCommand(_Translated, TyperCommand):
    """A command whose help is translated when shown."""


class _TerritoriaGroup(_Translated, TyperGroup):
    """Chooses the language, then turns every known failure into one line on stderr and its exit code.

    Done here rather than in :func:`main` so that tests driving the app with
    Typer's ``CliRunner`` see exactly what users see.
    """

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(_COMMANDS)

    def get_command(self, ctx: typer.Context, name: str) -> Any:  # type: ignore[override]
        """The Click command ``name``, built the first time it is asked for (see :func:`command`)."""
        if name not in self.commands and name in _COMMANDS:
            self.add_command(typer.main.get_command(_COMMANDS[name]), name)
        return self.commands.get(name)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        if args and args[0] not in _COMMANDS:
            # An unknown name: Typer's "did you mean" looks among the commands built so far.
            self._build_all(ctx)
        return super().resolve_command(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._build_all(ctx)  # the help lists every command, and translates each one's summary
        super().format_help(ctx, formatter)

    def _build_all(self, ctx: Any) -> None:
        for name in _COMMANDS:
            self.get_command(ctx, name)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _StdoutClosed() from None
        except (typer.Exit, typer.Abort, _StdoutClosed):
            raise
        except Exception as error:
            if _is_click_error(error) or ctx.params.get("debug"):
                raise
            code = exit_code(error)
            if code is None:
                views.error(
                    _("unexpected {kind}: {error} (run '{program} --debug …' to see the traceback)").format(
                        kind=type(error).__name__, error=error, program=PROGRAM
                    )
                )
            else:
                views.error(str(error))
            raise typer.Exit(code or FAILURE) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        i18n.set_language(i18n.language_from(arguments, os.environ))
        if COMPLETE_VAR in os.environ:
            from territoria_cli import completion

            completion.register()
        try:
            # Not standalone: Typer returns the exit code (130 for Ctrl-C) and raises Click's errors to us.
            code = super().main(
                _global_options_in_place(arguments, list(_COMMANDS)),
                prog_name,
                complete_var or COMPLETE_VAR,
                standalone_mode=False,
                **extra,
            )
            sys.stdout.flush()
        except (_StdoutClosed, BrokenPipeError):
            _silence_stdout()
            code = 0
        except typer.Abort:
            code = FAILURE
        except Exception as error:
            if not _is_click_error(error):
                raise
            from territoria_cli.click_messages import usage_message

            context = getattr(error, "ctx", None)  # usage errors carry the command they are about
            hint = _(" (see '{command} --help')").format(command=context.command_path) if context is not None else ""
            views.error(f"{usage_message(error)}{hint}")
            code = error.exit_code  # type: ignore[attr-defined]
        if not standalone_mode:
            return code
        sys.exit(code or 0)


# ---------------------------------------------------------------- the application

app = typer.Typer(
    name=PROGRAM,
    cls=_TerritoriaGroup,
    help=N_("Query, count and reuse the palmarès of the Prix TERRITORIA."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            "  territoria list --level or\n"
            "  territoria search reboisement\n"
            "  territoria show saverdun\n"
            "  territoria stats --region Occitanie\n"
            '  territoria export --category "Lien social" --format md --output lien-social.md'
        ),
        N_(
            "When standard output is not a terminal, tables become plain tab-separated\n"
            "rows without header (for grep, cut, sort, spreadsheets); --json gives\n"
            "structured output."
        ),
        N_("Environment:"),
        N_(
            "  TERRITORIA_DB=PATH        store file to read (as --db)\n"
            "  TERRITORIA_LANG=fr|en     language of messages and labels (as --lang)\n"
            "  TERRITORIA_FORCE_TTY=1    draw tables even into a pipe\n"
            "  TERRITORIA_MAX_FILE_MB=MB largest store or file to import read (default {max_file_mb})\n"
            "  NO_COLOR=1                no colours"
        ),
        N_(
            "Exit codes: 0 success (no result included), 1 error, 2 usage error,\n"
            "130 interrupted (Ctrl-C), 143 terminated (SIGTERM)."
        ),
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    # Plain "territoria" prints the help (see _root), rather than Click's "missing command" error.
    invoke_without_command=True,
    # Shell completion is the "completion" command (as gh's), not Typer's --install-completion.
    add_completion=False,
    # Plain Click help: Rich is not imported to print --help or a usage error.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


#: The commands of ``app``, each a one-command Typer app of its own (see :func:`command`).
_COMMANDS: dict[str, typer.Typer] = {}


def command(name: str, **settings: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command of ``territoria`` as ``app.command`` would, to be built only when it is used.

    Typer turns every command registered on an app into a Click command at
    each start, reading its signature and building each option: 6.7 ms for
    these nine commands (measured, Python 3.11, Typer 0.28), a third of what
    territoria adds to a bare two-command Typer app, for eight commands a run
    never uses. So each command is a one-command Typer app of its own, which
    :class:`_TerritoriaGroup` turns into its Click command with the public
    ``typer.main.get_command`` when the command line names it (Click's
    "lazily loading subcommands" pattern); help, completion and "did you mean"
    still see them all.
    """

    def register(function: Callable[..., None]) -> Callable[..., None]:
        single = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
        single.command(name, **settings)(function)
        _COMMANDS[name] = single
        return function

    return register


def _print_version(value: bool) -> None:
    if value:
        print(f"{PROGRAM} {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", help=N_("Show the version and exit."), callback=_print_version, is_eager=True),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help=N_("Show the traceback of errors (anywhere on the line)."))] = False,
) -> None:
    """Query, count and reuse the palmarès of the Prix TERRITORIA."""
    if ctx.invoked_subcommand is None:
        print(ctx.get_help())
        raise typer.Exit()


def main() -> None:
    """Console-script entry point (``territoria``) and ``python -m territoria_cli``."""
    views.configure_stdout()
    app(prog_name=PROGRAM)


# ---------------------------------------------------------------- commands


def _catalogue(db: Path | None) -> "Catalogue":
    """The store named by ``--db`` (or the environment, or the packaged one) as commands read it.

    A rebuild that takes longer than a second shows a progress bar on a terminal.
    """
    from territoria_cli.catalogue import Catalogue

    return Catalogue.open(store.resolve_store_path(db), progress=_progress_bar)


def _progress_bar(amount: int, task: str) -> "AbstractContextManager[Callable[[float], None]]":
    """The progress bar of a rebuild; its module is imported only when a rebuild happens."""
    from territoria_cli.progress import on_terminal

    return on_terminal(amount, task)


@command(
    "list",
    cls=_TerritoriaCommand,
    help=N_("List the awards, filtered and sorted."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            "  territoria list --level or\n"
            "  territoria list --category lien --kind commune\n"
            "  territoria list --laureate saverdun --laureate belfort\n"
            "  territoria list --region occitanie --sort title --limit 5\n"
            "  territoria list --level argent --json | jq '.[].laureate'"
        ),
        N_(
            "In a terminal, rows are numbered: 'territoria show 2' shows the second.\n"
            "Piped, each award is one line: {columns}, separated by tabs.\n"
            "No match: a message on stderr, exit code 0."
        ),
    ),
)
@with_filters
def list_awards(
    filters: FilterValues,
    sort: SortOption = "level",
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """List the awards, filtered and sorted."""
    catalogue = _catalogue(db)
    if as_json:  # whole documents
        views.awards_json(catalogue.select(filters, sort=sort, reverse=reverse, limit=limit)[0])
    else:  # a table or rows show facts only: a big store's summaries stay unread
        shown, kept = catalogue.select_facts(filters, sort=sort, reverse=reverse, limit=limit)
        views.awards(shown, views.Output(lang, as_json), total=kept)


@command(
    "search",
    cls=_TerritoriaCommand,
    help=N_("Find awards by what they are about: words of their title, summary, laureate or category."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            "  territoria search reboisement\n"
            "  territoria search velo            (finds \"Récup'vélos\", not \"développement\")\n"
            "  territoria search aide aux personnes âgées\n"
            "  territoria search '\"moustique tigre\"'\n"
            "  territoria search vélo OR bicyclette --level or --json"
        ),
        N_(
            "French as people type it: accents, case, plurals, elisions (l'eau) and stop\n"
            "words don't matter; synonyms count (aînés finds seniors); a word in no award\n"
            "is corrected to the closest words that are. Awards matching every word come\n"
            "first, then those matching some (\"2 mots sur 3\"); quotes keep a phrase\n"
            "together; OR gives alternatives. In a terminal, hits are numbered for\n"
            "'territoria show N'. Piped, each hit is one line: {search_columns}, snippet,\n"
            "matched/total words, separated by tabs, best first, with the matched words of\n"
            "the snippet between {highlight} and {highlight}. Synonyms: a file in the Solr\n"
            "format with --synonyms or {synonyms_variable}. No match: a message and\n"
            "suggestions on stderr, exit code 0."
        ),
        N_(
            "Only the best {search_limit} awards are shown unless --limit or --all says\n"
            "otherwise; when there were more, a line on stderr says how many."
        ),
    ),
)
@with_filters
def search_awards(
    filters: FilterValues,
    terms: Annotated[list[str], typer.Argument(metavar="TERMS...", help=N_('Words or "quoted phrases" to find.'))],
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", min=1, metavar="N", help=N_("Show the best N awards (default {search_limit})."), show_default=False
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help=N_("Show every award found, not only the best ones."))] = False,
    as_json: JsonOption = False,
    synonyms: Annotated[
        list[Path] | None,
        typer.Option(
            "--synonyms",
            metavar="FILE",
            help=N_("More synonyms, in the Solr format (repeatable; also {synonyms_variable})."),
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Find awards by what they are about: words of their title, summary, laureate or category."""
    from territoria_cli.search import search_store

    if every and limit is not None:
        raise UsageError(_("--all contradicts --limit {limit}").format(limit=limit))
    shown = None if every else limit or SEARCH_LIMIT
    found = search_store(
        store.resolve_store_path(db), terms, filters, limit=shown, synonym_files=synonyms or (), progress=_progress_bar
    )
    views.hits(found, terms, views.Output(lang, as_json))


ReferenceArguments = Annotated[
    list[str],
    typer.Argument(
        metavar="ID...",
        help=N_("An id, a part only one id has (saverdun), or the # of a row of the last list or search."),
        autocompletion=completing_ids,
        show_default=False,
    ),
]


@command(
    "similar",
    cls=_TerritoriaCommand,
    help=N_("Find the initiatives closest to one award: new leads on the same subject."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            "  territoria similar 2017-allauch-journees-de-reboisement\n"
            "  territoria similar belfort --limit 3      (a part of an id that only one id has)\n"
            "  territoria similar 2 --kind commune --json  (row 2 of the last list or search)"
        ),
        N_(
            "The initiatives closest to one: those sharing its most telling words, by\n"
            "BM25 over the analysed text. ID is what show takes: an id, a part of one, or\n"
            "a row number of the last list or search. Piped, each award is one line:\n"
            "{search_columns}, shared words, separated by tabs, closest first. An unknown\n"
            "id is an error (exit code 1) that suggests close ids."
        ),
    ),
)
@with_filters
def similar(
    filters: FilterValues,
    award_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=N_("An id, a part only one id has (saverdun), or the # of a row of the last list or search."),
            autocompletion=completing_ids,
        ),
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N", help=N_("Show at most N awards."))] = 10,
    as_json: JsonOption = False,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Find the initiatives closest to one award: new leads on the same subject."""
    from territoria_cli.search import similar_store

    result = similar_store(store.resolve_store_path(db), award_id, filters, limit=limit, progress=_progress_bar)
    views.similar(result, views.Output(lang, as_json))


@command(
    "show",
    cls=_TerritoriaCommand,
    help=N_("Show awards in full: bodies, département, region and summary."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            "  territoria show 2017-albi-agriculture-et-alimentation-de-proximite\n"
            "  territoria show saverdun          (a part of an id that only one id has)\n"
            "  territoria show 1 3               (rows 1 and 3 of the last list or search)\n"
            "  territoria show allauch --json"
        ),
        N_(
            "Row numbers are those of the last list or search shown in a terminal,\n"
            "kept per user in the cache folder (~/.cache/territoria on Linux).\n"
            'Piped, each award is printed as "Label: value" lines, a blank line, then\n'
            "the summary; awards are separated by a line holding only \"--\". With --json,\n"
            "one object for one id, a list for several. An unknown or ambiguous id is an\n"
            "error (exit code 1) that names the closest ids."
        ),
    ),
)
def show(
    references: ReferenceArguments,
    as_json: JsonOption = False,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Show awards in full: bodies, département, region and summary."""
    from territoria_cli.filters import each_once

    catalogue = _catalogue(db)
    views.award(each_once(map(catalogue.find, references)), views.Output(lang, as_json))


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help=N_("File to write; '-' or none: standard output."), show_default=False
    ),
]


@command(
    "stats",
    cls=_TerritoriaCommand,
    help=N_("Count awards by level, category, kind of body, région, département, or any field with --by."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            "  territoria stats\n"
            "  territoria stats --region Occitanie\n"
            "  territoria stats --by department\n"
            "  territoria stats --by region --by level --output regions.xlsx\n"
            "  territoria stats --level or --hide-empty\n"
            "  territoria stats --json | jq .by_level"
        ),
        N_(
            "--by counts the awards by {by_fields}; two --by give a\n"
            "cross-table (a row per value of the first, a column per value of the\n"
            "second). An award counts once under each of its values: a joint dossier of\n"
            "a commune and an EPCI counts under both kinds. Collectivités by kind count\n"
            "each body once, as the organisers' communiqué does. Régions and\n"
            "départements that won nothing are listed with 0 after the others (within\n"
            "--region and --department); --hide-empty leaves them out."
        ),
        N_(
            "--format ({table_formats}) or the extension of --output writes\n"
            "the tables to a file (xlsx: a sheet and a bar chart per table; CSV holds one\n"
            "table, so it needs --by). Piped, one figure per line, tab-separated, the\n"
            'section first: "awards", "bodies", "level", "category" (total then one count\n'
            'per level), "kind" (collectivités, then awards), "region", "department" (its\n'
            'code) and "repeat" (laureates with several awards); with --by, one line per\n'
            "row of the table."
        ),
    ),
)
@with_filters
def stats(
    filters: FilterValues,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="FIELD",
            help=N_("Count awards by {by_fields}; repeat for a cross-table."),
            autocompletion=completing(BY_FIELDS),
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str | None,
        format_option(TABLE_FORMATS, N_("Write the tables as {table_formats} (default: from the --output extension).")),
    ] = None,
    output: OutputOption = None,
    hide_empty: Annotated[
        bool, typer.Option("--hide-empty", help=N_("Leave out the régions and départements that won nothing."))
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Count awards by level, category, kind of body, région, département, or any field with --by."""
    from territoria_cli.stats import (
        counts_document,
        counts_table,
        overview_tables,
        palmares_counts,
        palmares_stats,
        parse_by,
    )

    fields = parse_by(by or ())
    chosen = None
    if format or output is not None:
        chosen = formats.format_for(format, output, TABLE_FORMATS)
        if as_json and chosen != "json":
            raise UsageError(_("--json contradicts --format {format}").format(format=chosen))
    catalogue = _catalogue(db)
    document: object
    if fields:
        counts = palmares_counts(catalogue.facts(), catalogue.filters(filters), fields, hide_empty=hide_empty)
        tables, document = [counts_table(counts, lang)], counts_document(counts)
    else:
        if any(filters.values()):
            figures = palmares_stats(catalogue.facts(), catalogue.filters(filters), hide_empty=hide_empty)
        else:  # the whole store's figures, which the catalogue keeps
            figures = catalogue.stats(hide_empty=hide_empty)
        tables, document = overview_tables(figures, lang), figures.to_document()
    if chosen is not None:
        data = json_text(document) if chosen == "json" else formats.write_tables(chosen, tables, lang)
        views.exported(
            data,
            output,
            i18n.ngettext("{count} table", "{count} tables", len(tables)).format(count=len(tables)),
            formats.FORMATS[chosen],
            protected=(catalogue.store, store.packaged_store_path()),
        )
    elif fields:
        views.counts(tables[0], document, views.Output(lang, as_json))
    else:
        views.stats(figures, views.Output(lang, as_json))


@command(
    "values",
    cls=_TerritoriaCommand,
    help=N_("List the values a filter accepts, with how many awards each keeps."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            "  territoria values category\n"
            "  territoria values region --level or\n"
            "  territoria values sponsor --json"
        ),
        N_(
            "FIELD is one of {fields}. Each value is shown with the number of\n"
            "awards the matching filter keeps (filters apply); shell completion offers\n"
            "the same values. Piped, one line per value: value, count, separated by a tab."
        ),
    ),
)
@with_filters
def values(
    filters: FilterValues,
    field: Annotated[
        str,
        typer.Argument(metavar="FIELD", help=N_("What to list: {fields}."), autocompletion=completing(tuple(VALUE_FIELDS))),
    ],
    as_json: JsonOption = False,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """List the values a filter accepts, with how many awards each keeps."""
    from territoria_cli.filters import resolve_choice, select
    from territoria_cli.values import accepted_values

    chosen = resolve_choice(field, VALUE_FIELDS, "field")
    catalogue = _catalogue(db)
    if any(filters.values()):
        counts = accepted_values(select(catalogue.facts(), catalogue.filters(filters)), chosen)
    else:  # the whole store's values, which the catalogue keeps
        counts = catalogue.values(chosen)
    views.value_counts(chosen, counts, views.Output(lang, as_json))


@command(
    "export",
    cls=_TerritoriaCommand,
    help=N_("Write the awards as CSV, Markdown, JSON, Excel, Word or HTML, to a file or standard output."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            '  territoria export --category "Lien social" --format md --output lien-social.md\n'
            "  territoria export --level or --columns id,laureate,region --output or.csv\n"
            "  territoria export --id saverdun --id belfort --format markdown\n"
            "  territoria export --excel --output palmares.csv\n"
            '  territoria export --group-by category --title "Prix TERRITORIA 2017" --output palmares.docx\n'
            "  territoria export --group-by region --output palmares.xlsx\n"
            "  territoria export --format json --columns id,level,department | jq ."
        ),
        N_(
            "Formats: {formats}; without --format, the extension of\n"
            "--output chooses, else CSV, and a --format that contradicts the extension is\n"
            "an error (--format takes the extensions too: markdown, htm). --output - (or no\n"
            "--output) writes to standard output; a binary format (xlsx, docx) is not drawn\n"
            "on a terminal."
        ),
        N_(
            "--id takes what show takes (an id, a part of one, a row number of the last\n"
            "list or search) and exports that shortlist in the order given; filters still\n"
            "apply."
        ),
        N_(
            "CSV follows RFC 4180 in UTF-8 with a header row of labels (--lang), or of\n"
            "field names with --header keys; --excel adds a BOM and uses \";\" for\n"
            "spreadsheets in French locales. Cells starting with = + - @, a tab or a\n"
            "carriage return get a leading ' so that spreadsheets do not run them as\n"
            "formulas; --raw-formulas writes them as they are. In xlsx every cell is text\n"
            "or a number, never a formula, and codes such as 09 and 2A stay text."
        ),
        N_(
            "docx, html and md with --group-by are reports: a title, then per group a\n"
            "heading and a short table (--columns, default level, laureate and title),\n"
            "then each award with its facts and its summary in paragraphs. md without\n"
            "--group-by is a table to paste. xlsx with --group-by has a sheet per group.\n"
            "--columns all exports every column; in JSON --columns picks the keys\n"
            "(without it: whole award documents, which import reads back)."
        ),
        N_(
            "A file is written atomically (never half a file); a FIFO, a device or\n"
            "/dev/stdout is written in place, as the shell's > would. The store being\n"
            "read is never overwritten."
        ),
    ),
)
@with_filters
def export(
    filters: FilterValues,
    references: Annotated[
        list[str] | None,
        typer.Option(
            "--id",
            metavar="ID",
            help=N_("Export this award (id, part of one, or row number). Repeat for a shortlist."),
            autocompletion=completing_ids,
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str | None,
        format_option(EXPORT_FORMATS, N_("{formats} (default: from the --output extension, else {default_format}).")),
    ] = None,
    output: OutputOption = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            metavar="LIST",
            help=N_("Comma-separated columns, in order, or 'all' (CSV and md default: {default_columns})."),
            show_default=False,
        ),
    ] = None,
    excel: Annotated[bool, typer.Option("--excel", help=N_("CSV for Excel in French locales: BOM and ';'."))] = False,
    raw_formulas: Annotated[
        bool, typer.Option("--raw-formulas", help=N_("Do not neutralise cells a spreadsheet would run as formulas."))
    ] = False,
    header: Annotated[
        str | None,
        typer.Option(
            "--header",
            metavar="KIND",
            help=N_("CSV header row: labels (for people, the default) or keys (field names, for scripts)."),
            autocompletion=completing(HEADERS),
            show_default=False,
        ),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            metavar="FIELD",
            help=N_("md, docx, html, xlsx: a section (a sheet) per {group_fields}."),
            autocompletion=completing(GROUP_FIELDS),
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help=N_("md, docx, html: the report's title."), show_default=False),
    ] = None,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            metavar="KEY",
            help=N_("Order by {sort_keys} (default: level, or the order of --id)."),
            autocompletion=completing(SORT_KEYS),
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Write the awards as CSV, Markdown, JSON, Excel, Word or HTML, to a file or standard output."""
    from territoria_cli.filters import each_once, select
    from territoria_cli.formats.columns import parse_columns

    chosen = formats.format_for(format, output)
    options = {"excel": excel, "raw_formulas": raw_formulas, "header": header, "group_by": group_by, "title": title}
    formats.check_options(chosen, options)
    views.check_can_write(formats.FORMATS[chosen], output)
    selected = parse_columns(columns) if columns else None
    catalogue = _catalogue(db)
    if references:  # a shortlist: read those awards only (as show does), and all of them only to read filters
        shortlist = each_once(map(catalogue.find, references))
        if any(filters.values()):
            kept = catalogue.filters(filters)
            shortlist = [award for award in shortlist if kept.matches(award)]
        awards = select(shortlist, sort=sort)
    else:
        awards, _count = catalogue.select(filters, sort=sort or "level")
    data = formats.write(chosen, awards, selected, lang, **options)
    views.exported(
        data,
        output,
        views.count_of_awards(len(awards), lang),
        formats.FORMATS[chosen],
        protected=(catalogue.store, store.packaged_store_path()),
    )


@command(
    "import",
    cls=_TerritoriaCommand,
    help=N_("Add the awards of a JSON or CSV file to a store."),
    epilog=_epilog(
        N_("Examples:"),
        N_(
            "  territoria import palmares-2018.json --db my-awards.json\n"
            "  TERRITORIA_DB=my-awards.json territoria import palmares-2018.csv --replace"
        ),
        N_(
            "FILE is a JSON list of award documents or a CSV with the same columns. The\n"
            "whole file is checked first: one bad award and nothing is imported. Awards\n"
            "already in the store with the same content are skipped; a different award\n"
            "under an existing id is an error unless --replace. The packaged palmarès is\n"
            "never modified: name a store with --db (it is created if absent)."
        ),
    ),
)
def import_file(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=N_("JSON or CSV file of awards."))],
    db: DbOption = None,
    replace: Annotated[bool, typer.Option("--replace", help=N_("Replace awards whose id exists with other content."))] = False,
    lang: LangOption = "fr",
) -> None:
    """Add the awards of a JSON or CSV file to a store."""
    target = store.resolve_store_path(db)
    report = store.import_awards(target, store.read_import_file(file), replace=replace)
    views.imported(target, report)


@command(
    "completion",
    cls=_TerritoriaCommand,
    help=N_("Print the script that makes your shell complete territoria's commands, options and values."),
    epilog=_epilog(
        N_("Install it once:"),
        N_(
            '  bash:  echo \'eval "$(territoria completion bash)"\' >> ~/.bashrc\n'
            '  zsh:   territoria completion zsh > "${{fpath[1]}}/_territoria"   (then restart zsh)\n'
            "  fish:  territoria completion fish > ~/.config/fish/completions/territoria.fish"
        ),
        N_(
            "Values with spaces or accents are quoted for the shell; what you type matches\n"
            "any word of a value, accents and case aside (qualite, unicef, saverdun). Ids\n"
            "complete after show and export --id."
        ),
    ),
)
def completion_script(
    shell: Annotated[
        str, typer.Argument(metavar="SHELL", help=N_("bash, zsh or fish."), autocompletion=completing(("bash", "zsh", "fish")))
    ],
    lang: LangOption = "fr",
) -> None:
    """Print the completion script of bash, zsh or fish."""
    from territoria_cli import completion

    if shell not in completion.SHELLS:
        raise UsageError(
            _("unknown shell {shell}; valid shells: {shells}").format(shell=shell, shells=", ".join(completion.SHELLS))
        )
    views.write(completion.script(shell, PROGRAM, COMPLETE_VAR))
