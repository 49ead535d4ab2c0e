"""The ``territoria`` command: Typer options in, library calls, output out.

Each command parses its options, asks the library (store, search, stats,
export) and hands the result to ``render`` when a person reads a terminal, or
writes plain tab-separated rows or JSON when a program reads a pipe (the
GitHub CLI convention). What costs start-up time and only some commands
need is imported inside the branch that needs it: Rich (only ``render``
imports it) when a person reads a terminal, TinyDB when a store is read,
``stats`` for the stats command. A piped ``territoria list`` never loads Rich,
and ``--help`` loads neither Rich nor TinyDB.

Exit codes: 0 success (a search or filter with no result included: the message
goes to standard error); 1 an error that is not the command line's fault
(unknown id, unusable store, unwritable output); 2 a usage error (unknown
level, category, kind, option value, empty query); 130 interrupted by Ctrl-C.
"""

import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer
from typer._click.core import Context as ClickContext  # Typer 0.28 ships its own Click
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer.core import TyperGroup

from territoria_cli import __version__
from territoria_cli.export import (
    DEFAULT_COLUMNS,
    EXPORT_FORMATS,
    parse_columns,
    plain_rows,
    row,
    to_csv,
    to_json,
    to_markdown,
)
from territoria_cli.files import OutputError, atomic_write_text
from territoria_cli.model import FIELD_LABELS, KIND_LABELS, KINDS, LEVEL_LABELS, LEVELS, Award, Lang, json_text
from territoria_cli.search import (
    SORT_KEYS,
    Filters,
    Hit,
    SearchIndex,
    UsageError,
    build_filters,
    filter_awards,
    parse_query,
    resolve_choice,
    search,
    sort_awards,
    suggest,
    suggest_ids,
)
from territoria_cli.store import (
    STORE_ENV_VAR,
    StoreError,
    import_awards,
    load_awards,
    read_documents,
    read_import_file,
    resolve_store_path,
)
from territoria_cli.text import fold, quoted

if TYPE_CHECKING:
    from territoria_cli.stats import Stats

PROGRAM = "territoria"
LANG_ENV_VAR = "TERRITORIA_LANG"
#: Like GitHub CLI's GH_FORCE_TTY: draw tables even when stdout is a pipe (``| less -R``).
FORCE_TTY_ENV_VAR = "TERRITORIA_FORCE_TTY"

USAGE_ERROR = 2
FAILURE = 1
INTERRUPTED = 130


class _Failure(Exception):
    """An error that is not a usage error: one line on stderr, exit code 1."""


class _StdoutClosed(Exception):
    """The reader of our output went away (``| head -1``): not an error.

    Typer's own handler turns a ``BrokenPipeError`` into exit code 1, so the
    command layer re-raises it as this before Typer sees it.
    """


# ---------------------------------------------------------------- the application


class _TerritoriaGroup(TyperGroup):
    """Click group that turns every known failure into one line on stderr.

    Errors are handled here rather than in :func:`main` so that tests driving
    the app through Typer's ``CliRunner`` see exactly what users see.

    The commands live in :data:`commands` and become Click commands only when
    used (Click's "lazily loading subcommands" pattern): building all six with
    their options costs about 2.5 ms, a tenth of what territoria adds to
    Typer's own start-up, for five commands a run never uses.
    """

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return [info.name for info in commands.registered_commands if info.name]

    def get_command(self, ctx: ClickContext, name: str) -> Any:
        if name not in self.commands:
            info = next((info for info in commands.registered_commands if info.name == name), None)
            if info is None:
                return None
            self.commands[name] = typer.main.get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=None
            )
        return self.commands[name]

    def resolve_command(self, ctx: ClickContext, args: list[str]) -> Any:
        if args and self.get_command(ctx, args[0]) is None:
            # An unknown name: Typer's "did you mean" looks among the built commands.
            for name in self.list_commands(ctx):
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _StdoutClosed() from None
        except (ClickException, typer.Exit, typer.Abort, _StdoutClosed):
            raise
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            code, message = _explain(error)
            _error(message)
            raise typer.Exit(code or FAILURE) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()
        except NoArgsIsHelpError as error:
            # Plain "territoria": the help is what was asked for, not an error.
            typer.echo(error.ctx.get_help())
            code = 0
        except ClickException as error:
            context = getattr(error, "ctx", None)  # usage errors carry the command they are about
            hint = f" (see '{context.command_path} --help')" if context is not None else ""
            _error(f"{error.format_message()}{hint}")
            code = error.exit_code
        except (_StdoutClosed, BrokenPipeError):
            _silence_stdout()
            code = 0
        except KeyboardInterrupt:
            code = INTERRUPTED
        except typer.Abort:
            code = FAILURE
        if not standalone_mode:
            return code
        sys.exit(code or 0)


def _explain(error: Exception) -> tuple[int | None, str]:
    """Exit code and message for a library error; ``None`` for a bug."""
    if isinstance(error, UsageError):
        return USAGE_ERROR, str(error)
    if isinstance(error, (StoreError, OutputError, _Failure)):
        return FAILURE, str(error)
    return None, f"unexpected {type(error).__name__}: {error} (run '{PROGRAM} --debug …' to see the traceback)"


def _error(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)


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


ROOT_EPILOG = f"""\
Examples:

\b
  {PROGRAM} list --level or
  {PROGRAM} search reboisement
  {PROGRAM} show 2017-albi-agriculture-et-alimentation-de-proximite
  {PROGRAM} stats --region Occitanie
  {PROGRAM} export --category "Lien social" --format md --output lien-social.md

When standard output is not a terminal, tables become plain tab-separated
rows without header (for grep, cut, sort, spreadsheets); --json gives
structured output.

\b
Environment:
  {STORE_ENV_VAR + "=PATH":<24}store file to read (as --db)
  {LANG_ENV_VAR + "=fr|en":<24}language of labels (as --lang)
  {FORCE_TTY_ENV_VAR + "=1":<24}draw tables even into a pipe
  {"NO_COLOR=1":<24}no colours

\b
Exit codes: 0 success (no result included), 1 error, 2 usage error,
130 interrupted."""

app = typer.Typer(
    name=PROGRAM,
    cls=_TerritoriaGroup,
    help="Query, count and reuse the palmarès of the Prix TERRITORIA.",
    epilog=ROOT_EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    # Plain Click help: Rich is not imported to print --help or a usage error.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
#: The commands of ``app``, registered apart so that only the one invoked is built (see the group).
commands = typer.Typer()


def _print_version(value: bool) -> None:
    if value:
        print(f"{PROGRAM} {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of errors.")] = False,
) -> None:
    """Query, count and reuse the palmarès of the Prix TERRITORIA.

    The data is French; labels are French by default, English with --lang en.
    """


def main() -> None:
    """Console-script entry point (``territoria``) and ``python -m territoria_cli``."""
    if not _stdout_is_terminal_device():
        # Piped output and exports are UTF-8 whatever the locale says.
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    else:
        # A terminal whose locale cannot show "é" gets "?" in its place, not an error.
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    typer.main.get_command(app).main(prog_name=PROGRAM)


# ---------------------------------------------------------------- shared options


# Completion callbacks return every candidate: Typer 0.28 itself keeps those
# that start with what was typed (case- and accent-sensitively).


def _completing(values: Sequence[str]) -> Callable[[], list[str]]:
    """A completion callback offering fixed ``values``."""
    return lambda: list(values)


def _stored_values(ctx: typer.Context, read: Callable[[dict[str, Any]], Iterable[Any]]) -> list[str]:
    """Completion from the store named so far on the command line; never fails."""
    try:
        documents = read_documents(resolve_store_path(ctx.params.get("db")))
    except Exception:  # a completion must never print a traceback into the shell
        return []
    values: dict[str, None] = {}
    for document in documents.values():
        if isinstance(document, dict):
            values.update(dict.fromkeys(value for value in read(document) if isinstance(value, str)))
    return list(values)


def _complete_categories(ctx: typer.Context) -> list[str]:
    return _stored_values(ctx, lambda document: [document.get("category")])


def _complete_regions(ctx: typer.Context) -> list[str]:
    return _stored_values(
        ctx, lambda document: [body.get("region") for body in document.get("laureates") or () if isinstance(body, dict)]
    )


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
        autocompletion=_completing(SORT_KEYS),
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]

def _keyword(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _repeatable(
    name: str, *flags: str, metavar: str, help: str, item: type = str, complete: Callable[..., list[str]] | None = None
) -> inspect.Parameter:
    """A filter option that may be given several times: an award matching any of the values passes."""
    option = typer.Option(
        *flags,
        metavar=metavar,
        help=f"{help} Repeat the option to accept several.",
        autocompletion=complete,
        show_default=False,
    )
    return _keyword(name, Annotated[list[item] | None, option])  # type: ignore[valid-type]


_FILTER_PARAMETERS = (
    _repeatable(
        "levels",
        "--level",
        "-l",
        metavar="LEVEL",
        help=f"Keep this level: {', '.join(LEVELS)} (any case; d'or, gold… too).",
        complete=_completing(LEVELS),
    ),
    _repeatable(
        "categories",
        "--category",
        "-c",
        metavar="NAME",
        help="Keep this category; accents and case ignored, a unique prefix is enough.",
        complete=_complete_categories,
    ),
    _keyword(
        "laureate",
        Annotated[
            str | None,
            typer.Option("--laureate", metavar="TEXT", help="Keep laureates whose name contains TEXT.", show_default=False),
        ],
    ),
    _repeatable(
        "kinds", "--kind", metavar="KIND", help=f"Keep awards to this kind of body: {', '.join(KINDS)}.", complete=_completing(KINDS)
    ),
    _repeatable("departments", "--department", metavar="CODE", help="Keep bodies of this département (06, 2A, 971…)."),
    _repeatable(
        "regions", "--region", metavar="NAME", help="Keep bodies of this region (prefix enough).", complete=_complete_regions
    ),
    _repeatable("years", "--year", metavar="YEAR", help="Keep this edition.", item=int),
)

_STORE_PARAMETERS = (_keyword("db", DbOption), _keyword("lang", LangOption, "fr"))


# NamedTuples rather than frozen dataclasses: the same immutable records, but
# creating the class costs 0.08 ms instead of 0.6 ms, on every start.


class FilterOptions(NamedTuple):
    """The filter options as typed; the store's names are needed to resolve them."""

    levels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    laureate: str | None = None
    kinds: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @classmethod
    def from_options(cls, laureate: str | None, **repeated: list[Any] | None) -> "FilterOptions":
        return cls(laureate=laureate, **{name: tuple(values or ()) for name, values in repeated.items()})

    def resolve(self, awards: Sequence[Award]) -> Filters:
        """Check every value against the store; raises the library's UsageError."""
        return build_filters(awards, **self._asdict())


class StoreOptions(NamedTuple):
    """Which store to read and in which language to label what it holds."""

    db: Path | None
    lang: Lang

    @property
    def path(self) -> Path:
        return resolve_store_path(self.db)

    def load(self) -> list[Award]:
        return load_awards(self.path)

    def select(self, filters: FilterOptions) -> list[Award]:
        """The store's awards that pass the filters, in stored order."""
        awards = self.load()
        return filter_awards(awards, filters.resolve(awards))


def _options_as(
    target: str, parameters: Sequence[inspect.Parameter], bundle: Callable[..., Any], *, first: bool
) -> Callable:
    """Decorator: declare ``parameters`` on a command and hand it one ``bundle`` object as ``target``.

    Options shared by several commands are written once here instead of in
    every command's parameter list; Typer reads the rewritten signature. They
    are listed ``first`` in the help, or after the command's own options.
    """
    names = [parameter.name for parameter in parameters]

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command)
        # Typer passes everything by keyword, so the order is free: it is the help's order.
        own = [
            parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY)
            for parameter in signature.parameters.values()
            if parameter.name != target
        ]

        @functools.wraps(command)
        def run(**values: Any) -> None:
            bundled = bundle(**{name: values.pop(name) for name in names})
            command(**{target: bundled}, **values)

        run.__signature__ = signature.replace(parameters=[*parameters, *own] if first else [*own, *parameters])  # type: ignore[attr-defined]
        return run

    return decorate


with_filters = _options_as("filters", _FILTER_PARAMETERS, FilterOptions.from_options, first=True)
reads_store = _options_as("store", _STORE_PARAMETERS, StoreOptions, first=False)


# ---------------------------------------------------------------- output


def _stdout_is_terminal_device() -> bool:
    try:
        return sys.stdout.isatty()
    except (ValueError, AttributeError):
        return False


def _tty_forced() -> bool:
    return os.environ.get(FORCE_TTY_ENV_VAR, "") not in ("", "0")


def _for_people() -> bool:
    """Rich tables for a terminal, plain rows for pipes and files."""
    return _tty_forced() or _stdout_is_terminal_device()


def _write(text: str) -> None:
    sys.stdout.write(text)


def _write_exact(text: str) -> None:
    """Write as UTF-8 bytes, so that CSV's CRLF line ends survive a text stream's newline translation."""
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        _write(text)
        return
    sys.stdout.flush()
    binary.write(text.encode("utf-8"))


def _display(build: Callable[[Any], Any]) -> None:
    """Draw what ``build(render)`` returns; Rich is imported only here."""
    from territoria_cli import render

    render.display(build(render), force_terminal=_tty_forced())


def _notice(message: str) -> None:
    """Information for the person at the keyboard, kept out of piped data."""
    print(message, file=sys.stderr)


# ---------------------------------------------------------------- commands


@commands.command(
    "list",
    epilog=f"""\
Examples:

\b
  {PROGRAM} list --level or
  {PROGRAM} list --category lien --kind commune
  {PROGRAM} list --region occitanie --sort title --limit 5
  {PROGRAM} list --level argent --json | jq '.[].laureate'

Piped, each award is one line: {", ".join(DEFAULT_COLUMNS)},
separated by tabs. No match: a message on stderr, exit code 0.""",
)
@with_filters
@reads_store
def list_awards(
    store: StoreOptions,
    filters: FilterOptions,
    sort: SortOption = "level",
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the awards, filtered and sorted."""
    awards = sort_awards(store.select(filters), resolve_choice(sort, SORT_KEYS, "sort key"), reverse=reverse)[:limit]
    if as_json:
        _write(to_json(awards))
        return
    if not awards:
        _notice("No award matches these filters.")
    elif _for_people():
        _display(lambda render: render.awards_table(awards, store.lang))
    else:
        _write(plain_rows(row(award, DEFAULT_COLUMNS, store.lang) for award in awards))


#: What a piped search prints per hit, before the snippet; and what surrounds a match in it.
SEARCH_COLUMNS = ("id", "level", "laureate", "title")
SEARCH_HIGHLIGHT = "**"


@commands.command(
    "search",
    epilog=f"""\
Examples:

\b
  {PROGRAM} search reboisement
  {PROGRAM} search velo            (finds "Récup'vélos", not "développement")
  {PROGRAM} search '"moustique tigre"'
  {PROGRAM} search ecole --level or --json

Every term must match, as a whole word or the beginning of one; accents and
case are ignored; quotes keep a phrase together. Piped, each hit is one line:
{", ".join(SEARCH_COLUMNS)}, snippet, separated by tabs, best first, with the
matched words of the snippet between {SEARCH_HIGHLIGHT} and {SEARCH_HIGHLIGHT}. No match: a message and
suggestions on stderr, exit code 0.""",
)
@with_filters
@reads_store
def search_awards(
    store: StoreOptions,
    filters: FilterOptions,
    terms: Annotated[list[str], typer.Argument(metavar="TERMS...", help="Words or \"quoted phrases\" to find.")],
    limit: LimitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find awards by words in their title, summary, laureate or category."""
    query = parse_query(terms)
    awards = store.load()
    index = SearchIndex.for_store(store.path, awards)
    hits = search(awards, query, filters.resolve(awards), index=index)[:limit]
    if as_json:
        _write(to_json([hit.award for hit in hits]))
        return
    if not hits:
        _notice(f"No award matches {quoted(' '.join(terms))}.")
        close = suggest(awards, query, index=index)
        if close:
            _notice(f"Did you mean: {', '.join(close)}?")
    elif _for_people():
        _display(lambda render: render.hits_table(hits, store.lang))
    else:
        _write(plain_rows(_hit_cells(hit, store.lang) for hit in hits))


def _hit_cells(hit: Hit, lang: Lang) -> list[str]:
    snippet = "".join(f"{SEARCH_HIGHLIGHT}{text}{SEARCH_HIGHLIGHT}" if matched else text for text, matched in hit.snippet)
    return [*row(hit.award, SEARCH_COLUMNS, lang), snippet]


@commands.command(
    "show",
    epilog=f"""\
Examples:

\b
  {PROGRAM} show 2017-albi-agriculture-et-alimentation-de-proximite
  {PROGRAM} show 2017-allauch         (a unique beginning of an id is enough)
  {PROGRAM} show 2017-allauch --json

Piped, the award is printed as "Label: value" lines, a blank line, then the
summary. An unknown id is an error (exit code 1) that suggests close ids.""",
)
@reads_store
def show(
    store: StoreOptions,
    award_id: Annotated[str, typer.Argument(metavar="ID", help="The award's id, as printed by list and search.")],
    as_json: JsonOption = False,
) -> None:
    """Show one award in full: bodies, département, region and summary."""
    award = _find_award(store.load(), award_id)
    if as_json:
        _write(json_text(award.to_document()))
    elif _for_people():
        _display(lambda render: render.award_view(award, store.lang))
    else:
        _write(_award_text(award, store.lang))


def _find_award(awards: Sequence[Award], wanted: str) -> Award:
    """The award with this id, or the only one whose id starts with it."""
    for award in awards:
        if award.id == wanted:
            return award
    prefix = fold(wanted.strip())
    starting = [award for award in awards if prefix and fold(award.id).startswith(prefix)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        shown = ", ".join(award.id for award in starting[:5]) + (", …" if len(starting) > 5 else "")
        raise _Failure(f"{len(starting)} awards have an id starting with {quoted(wanted)}: {shown}")
    close = suggest_ids(awards, wanted)
    hint = f"; did you mean: {', '.join(close)}?" if close else f"; '{PROGRAM} list' shows the ids"
    raise _Failure(f"no award with id {quoted(wanted)}{hint}")


#: Fields of ``show``'s plain output around the lines of the bodies, then the summary.
SHOW_FIELDS_BEFORE_BODIES = ("id", "title", "summary_title", "level", "category", "sponsor", "year", "laureate")
SHOW_FIELDS_AFTER_BODIES = ("excellence", "budget")


def _award_text(award: Award, lang: Lang) -> str:
    """``Label: value`` lines (one per body), a blank line, then the summary."""
    labels = FIELD_LABELS[lang]

    def field_lines(fields: Sequence[str]) -> list[str]:
        return [f"{labels[field]}: {value}" for field, value in zip(fields, row(award, fields, lang), strict=True)]

    bodies = [
        f"{labels['laureates']}: {body.name} ({', '.join(filter(None, [KIND_LABELS[lang][body.kind], body.department, body.region]))})"
        for body in award.laureates
    ]
    lines = [*field_lines(SHOW_FIELDS_BEFORE_BODIES), *bodies, *field_lines(SHOW_FIELDS_AFTER_BODIES)]
    return "\n".join(lines) + "\n\n" + award.summary.rstrip() + "\n"


@commands.command(
    "stats",
    epilog=f"""\
Examples:

\b
  {PROGRAM} stats
  {PROGRAM} stats --region Occitanie
  {PROGRAM} stats --json | jq .by_level

Piped, one figure per line, tab-separated, the section first:
"awards", "bodies", "level", "category" (total then one count per level),
"kind", "region" and "repeat" (laureates with several awards).""",
)
@with_filters
@reads_store
def stats(store: StoreOptions, filters: FilterOptions, as_json: JsonOption = False) -> None:
    """Count awards by level, category, kind of body and region."""
    from territoria_cli.stats import compute_stats

    figures = compute_stats(store.select(filters))
    if as_json:
        _write(json_text(figures.to_document()))
    elif _for_people():
        _display(lambda render: render.stats_view(figures, store.lang))
    else:
        _write(plain_rows(_stats_rows(figures, store.lang)))


def _stats_rows(figures: "Stats", lang: Lang) -> Iterable[Sequence[str]]:
    yield "awards", str(figures.awards)
    yield "bodies", str(figures.bodies)
    for level, count in figures.by_level.items():
        yield "level", LEVEL_LABELS[lang][level], str(count)
    for category, per_level in figures.by_category.items():
        yield "category", category, str(sum(per_level.values())), *(str(per_level.get(level, 0)) for level in LEVELS)
    for kind, count in figures.by_kind.items():
        yield "kind", KIND_LABELS[lang][kind], str(count)
    for region, count in figures.by_region.items():
        yield "region", region, str(count)
    for laureate, count in figures.repeat_laureates:
        yield "repeat", laureate, str(count)


@commands.command(
    "export",
    epilog=f"""\
Examples:

\b
  {PROGRAM} export --category "Lien social" --format md --output lien-social.md
  {PROGRAM} export --level or --columns id,laureate,region --output or.csv
  {PROGRAM} export --excel --output palmares.csv
  {PROGRAM} export --format md --group-by category --title "Prix TERRITORIA 2017"

CSV follows RFC 4180 in UTF-8 with a header row of labels (--lang); --excel
adds a BOM and uses ";" for spreadsheets in French locales. Cells starting
with = + - @, a tab or a carriage return get a leading ' so that spreadsheets
do not run them as formulas; --raw-formulas writes them as they are. Without
--format, the extension of --output chooses (.csv, .md, .json), else CSV.
The file is written atomically: never half a file.""",
)
@with_filters
@reads_store
def export(
    store: StoreOptions,
    filters: FilterOptions,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{', '.join(EXPORT_FORMATS)} (default: from the --output extension, else {EXPORT_FORMATS[0]}).",
            autocompletion=_completing(EXPORT_FORMATS),
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="File to write (default: standard output).", show_default=False),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            metavar="LIST",
            help=f"Comma-separated columns, in order (default: {','.join(DEFAULT_COLUMNS)}).",
            show_default=False,
        ),
    ] = None,
    excel: Annotated[bool, typer.Option("--excel", help="CSV for Excel in French locales: BOM and ';'.")] = False,
    raw_formulas: Annotated[
        bool, typer.Option("--raw-formulas", help="Do not neutralise cells a spreadsheet would run as formulas.")
    ] = False,
    group_by: Annotated[
        str | None,
        typer.Option("--group-by", metavar="FIELD", help="Markdown only: one section per category.", show_default=False),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="Markdown only: heading of the report.", show_default=False)
    ] = None,
    sort: SortOption = "level",
) -> None:
    """Write the awards as CSV, Markdown or JSON, to a file or standard output."""
    chosen = _export_format(format, output)
    _check_export_options(chosen, excel=excel, raw_formulas=raw_formulas, group_by=group_by, title=title)
    selected = parse_columns(columns) if columns else DEFAULT_COLUMNS
    awards = sort_awards(store.select(filters), resolve_choice(sort, SORT_KEYS, "sort key"))
    if chosen == "csv":
        text = to_csv(awards, selected, store.lang, excel=excel, neutralise_formulas=not raw_formulas)
    elif chosen == "md":
        text = to_markdown(awards, selected, store.lang, group_by=group_by and group_by.lower(), title=title)
    else:
        text = to_json(awards)
    if output is None:
        _write_exact(text)
        return
    atomic_write_text(output, text)
    _notice(f"Exported {len(awards)} award{'s' * (len(awards) != 1)} to {output} ({chosen}).")


def _export_format(requested: str | None, output: Path | None) -> str:
    if requested:
        return resolve_choice(requested, EXPORT_FORMATS, "format")
    suffix = output.suffix.lstrip(".").lower() if output else ""
    return suffix if suffix in EXPORT_FORMATS else EXPORT_FORMATS[0]


#: The export options that make sense for one format only.
FORMAT_OF_OPTION = {"excel": "csv", "raw_formulas": "csv", "group_by": "md", "title": "md"}


def _check_export_options(chosen: str, **given: Any) -> None:
    """Refuse an option the chosen format would silently ignore."""
    for name, value in given.items():
        if value and FORMAT_OF_OPTION[name] != chosen:
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option} applies to --format {FORMAT_OF_OPTION[name]} only, not {chosen}")


@commands.command(
    "import",
    epilog=f"""\
Examples:

\b
  {PROGRAM} import palmares-2018.json --db my-awards.json
  {STORE_ENV_VAR}=my-awards.json {PROGRAM} import palmares-2018.csv --replace

FILE is a JSON list of award documents or a CSV with the same columns. The
whole file is checked first: one bad award and nothing is imported. Awards
already in the store with the same content are skipped; a different award
under an existing id is an error unless --replace. The packaged palmarès is
never modified: name a store with --db (it is created if absent).""",
)
def import_file(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="JSON or CSV file of awards.")],
    db: DbOption = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace awards whose id exists with other content.")] = False,
) -> None:
    """Add the awards of a JSON or CSV file to a store."""
    target = resolve_store_path(db)
    report = import_awards(target, read_import_file(file), replace=replace)
    counts = ", ".join(
        f"{len(ids)} {what}" for what, ids in (("added", report.added), ("replaced", report.replaced), ("unchanged", report.unchanged))
    )
    print(f"{target}: {counts}.")
