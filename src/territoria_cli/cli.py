"""The ``territoria`` command: for each command, options in, one library call, one view out.

The shared options are declared in :mod:`territoria_cli.options`, the
libraries (``filters``, ``search``, ``stats``, ``formats``, ``store``) do the
work and :mod:`territoria_cli.views` prints the result for a terminal, a pipe
or a script. What only some commands need is imported inside them: Rich
(inside the terminal views), the search engine, the export formats, the
statistics, TinyDB (inside ``import``). A piped ``territoria list`` never loads
Rich, and ``--help`` loads neither Rich nor TinyDB.

Exit codes: 0 success (a search or filter with no result included: the message
goes to standard error); 1 an error that is not the command line's fault
(unknown id, unusable store, unwritable output); 2 a usage error (unknown
level, category, kind, option value, empty query); 130 interrupted by Ctrl-C.
The library's errors and their codes are in :mod:`territoria_cli.errors`.
"""

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from territoria_cli import __version__, formats, store, views
from territoria_cli.errors import FAILURE, UsageError, exit_code
from territoria_cli.filters import FilterValues
from territoria_cli.formats import EXPORT_FORMATS, GROUP_FIELDS, HEADERS, TABLE_FORMATS
from territoria_cli.formats.columns import DEFAULT_COLUMNS
from territoria_cli.model import BY_FIELDS, json_text
from territoria_cli.options import (
    LANG_ENV_VAR,
    DbOption,
    JsonOption,
    LangOption,
    LimitOption,
    ReverseOption,
    SortOption,
    completing,
    with_filters,
)
from territoria_cli.search import SYNONYMS_ENV_VAR
from territoria_cli.store import DEFAULT_MAX_FILE_MB, MAX_FILE_ENV_VAR, STORE_ENV_VAR

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from territoria_cli.catalogue import Catalogue

PROGRAM = "territoria"


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


class _TerritoriaGroup(TyperGroup):
    """Turns every known failure into one line on stderr and its exit code.

    Done here rather than in :func:`main` so that tests driving the app with
    Typer's ``CliRunner`` see exactly what users see.
    """

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
                views.error(f"unexpected {type(error).__name__}: {error} (run '{PROGRAM} --debug …' to see the traceback)")
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
        try:
            # Not standalone: Typer returns the exit code (130 for Ctrl-C) and raises Click's errors to us.
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()
        except (_StdoutClosed, BrokenPipeError):
            _silence_stdout()
            code = 0
        except typer.Abort:
            code = FAILURE
        except Exception as error:
            if not _is_click_error(error):
                raise
            context = getattr(error, "ctx", None)  # usage errors carry the command they are about
            hint = f" (see '{context.command_path} --help')" if context is not None else ""
            views.error(f"{error.format_message()}{hint}")  # type: ignore[attr-defined]
            code = error.exit_code  # type: ignore[attr-defined]
        if not standalone_mode:
            return code
        sys.exit(code or 0)


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


# ---------------------------------------------------------------- the application

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
  {STORE_ENV_VAR + "=PATH":<26}store file to read (as --db)
  {LANG_ENV_VAR + "=fr|en":<26}language of labels (as --lang)
  {views.FORCE_TTY_ENV_VAR + "=1":<26}draw tables even into a pipe
  {MAX_FILE_ENV_VAR + "=MB":<26}largest store or file to import read
  {"":<26}(default {DEFAULT_MAX_FILE_MB})
  {"NO_COLOR=1":<26}no colours

\b
Exit codes: 0 success (no result included), 1 error, 2 usage error,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM)."""

app = typer.Typer(
    name=PROGRAM,
    cls=_TerritoriaGroup,
    help="Query, count and reuse the palmarès of the Prix TERRITORIA.",
    epilog=ROOT_EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
    # Plain "territoria" prints the help (see _root), rather than Click's "missing command" error.
    invoke_without_command=True,
    # Plain Click help: Rich is not imported to print --help or a usage error.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        print(f"{PROGRAM} {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of errors.")] = False,
) -> None:
    """Query, count and reuse the palmarès of the Prix TERRITORIA.

    The data is French; labels are French by default, English with --lang en.
    """
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


@app.command(
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
    from territoria_cli.filters import select

    awards = select(_catalogue(db).awards(), filters, sort=sort, reverse=reverse, limit=limit)
    views.awards(awards, views.Output(lang, as_json))


@app.command(
    "search",
    epilog=f"""\
Examples:

\b
  {PROGRAM} search reboisement
  {PROGRAM} search velo            (finds "Récup'vélos", not "développement")
  {PROGRAM} search aide aux personnes âgées
  {PROGRAM} search '"moustique tigre"'
  {PROGRAM} search vélo OR bicyclette --level or --json

French as people type it: accents, case, plurals, elisions (l'eau) and stop
words don't matter; synonyms count (aînés finds seniors); a word in no award
is corrected to the closest words that are. Awards matching every word come
first, then those matching some ("2 mots sur 3"); quotes keep a phrase
together; OR gives alternatives. Piped, each hit is one line:
{", ".join(views.SEARCH_COLUMNS)}, snippet, matched/total words, separated by
tabs, best first, with the matched words of the snippet between
{views.SEARCH_HIGHLIGHT} and {views.SEARCH_HIGHLIGHT}. Synonyms: a file in the Solr format with
--synonyms or {SYNONYMS_ENV_VAR}. No match: a message and suggestions on
stderr, exit code 0.""",
)
@with_filters
def search_awards(
    filters: FilterValues,
    terms: Annotated[list[str], typer.Argument(metavar="TERMS...", help='Words or "quoted phrases" to find.')],
    limit: LimitOption = None,
    as_json: JsonOption = False,
    synonyms: Annotated[
        list[Path] | None,
        typer.Option(
            "--synonyms",
            metavar="FILE",
            help=f"More synonyms, in the Solr format (repeatable; also {SYNONYMS_ENV_VAR}).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Find awards by what they are about: words of their title, summary, laureate or category."""
    from territoria_cli.search import search_store

    found = search_store(
        store.resolve_store_path(db), terms, filters, limit=limit, synonym_files=synonyms or (), progress=_progress_bar
    )
    views.hits(found, terms, views.Output(lang, as_json))


@app.command(
    "similar",
    epilog=f"""\
Examples:

\b
  {PROGRAM} similar 2017-allauch-journees-de-reboisement
  {PROGRAM} similar 2017-belfort --limit 3      (a unique beginning of an id is enough)
  {PROGRAM} similar 2017-belfort --kind commune --json

The initiatives closest to one: those sharing its most telling words, by
BM25 over the analysed text. Piped, each award is one line:
{", ".join(views.SEARCH_COLUMNS)}, shared words, separated by tabs, closest
first. An unknown id is an error (exit code 1) that suggests close ids.""",
)
@with_filters
def similar(
    filters: FilterValues,
    award_id: Annotated[str, typer.Argument(metavar="ID", help="The award's id, as printed by list and search.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N awards.")] = 10,
    as_json: JsonOption = False,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Find the initiatives closest to one award: new leads on the same subject."""
    from territoria_cli.search import similar_store

    result = similar_store(store.resolve_store_path(db), award_id, filters, limit=limit, progress=_progress_bar)
    views.similar(result, views.Output(lang, as_json))


@app.command(
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
def show(
    award_id: Annotated[str, typer.Argument(metavar="ID", help="The award's id, as printed by list and search.")],
    as_json: JsonOption = False,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Show one award in full: bodies, département, region and summary."""
    award = _catalogue(db).find(award_id)
    views.award(award, views.Output(lang, as_json))


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="File to write; '-' or none: standard output.", show_default=False
    ),
]


@app.command(
    "stats",
    epilog=f"""\
Examples:

\b
  {PROGRAM} stats
  {PROGRAM} stats --region Occitanie
  {PROGRAM} stats --by department
  {PROGRAM} stats --by region --by level --output regions.xlsx
  {PROGRAM} stats --level or --hide-empty
  {PROGRAM} stats --json | jq .by_level

--by counts the awards by {", ".join(BY_FIELDS)}; two --by give a
cross-table (a row per value of the first, a column per value of the
second). An award counts once under each of its values: a joint dossier of
a commune and an EPCI counts under both kinds. Collectivités by kind count
each body once, as the organisers' communiqué does. Régions and
départements that won nothing are listed with 0 after the others (within
--region and --department); --hide-empty leaves them out.

--format ({", ".join(TABLE_FORMATS)}) or the extension of --output writes
the tables to a file (xlsx: a sheet and a bar chart per table; CSV holds one
table, so it needs --by). Piped, one figure per line, tab-separated, the
section first: "awards", "bodies", "level", "category" (total then one count
per level), "kind" (collectivités, then awards), "region", "department" (its
code) and "repeat" (laureates with several awards); with --by, one line per
row of the table.""",
)
@with_filters
def stats(
    filters: FilterValues,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="FIELD",
            help=f"Count awards by {', '.join(BY_FIELDS)}; repeat for a cross-table.",
            autocompletion=completing(BY_FIELDS),
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"Write the tables as {', '.join(TABLE_FORMATS)} (default: from the --output extension).",
            autocompletion=completing(TABLE_FORMATS),
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    hide_empty: Annotated[
        bool, typer.Option("--hide-empty", help="Leave out the régions and départements that won nothing.")
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Count awards by level, category, kind of body, région, département, or any field with --by."""
    from territoria_cli.filters import build_filters
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
            raise UsageError(f"--json contradicts --format {chosen}")
    store_path = store.resolve_store_path(db)
    catalogue = _catalogue(db)
    document: object
    if fields:
        awards = catalogue.awards()
        counts = palmares_counts(awards, build_filters(awards, **filters), fields, hide_empty=hide_empty)
        tables, document = [counts_table(counts, lang)], counts_document(counts)
    else:
        if any(filters.values()):
            awards = catalogue.awards()
            figures = palmares_stats(awards, build_filters(awards, **filters), hide_empty=hide_empty)
        else:  # the whole store's figures, which the catalogue keeps
            figures = catalogue.stats(hide_empty=hide_empty)
        tables, document = overview_tables(figures, lang), figures.to_document()
    if chosen is not None:
        data = json_text(document) if chosen == "json" else formats.write_tables(chosen, tables, lang)
        views.exported(
            data,
            output,
            f"{len(tables)} table{'s' * (len(tables) != 1)}",
            formats.FORMATS[chosen],
            protected=(store_path, store.packaged_store_path()),
        )
    elif fields:
        views.counts(tables[0], document, views.Output(lang, as_json))
    else:
        views.stats(figures, views.Output(lang, as_json))


@app.command(
    "export",
    epilog=f"""\
Examples:

\b
  {PROGRAM} export --category "Lien social" --format md --output lien-social.md
  {PROGRAM} export --level or --columns id,laureate,region --output or.csv
  {PROGRAM} export --excel --output palmares.csv
  {PROGRAM} export --group-by category --title "Prix TERRITORIA 2017" --output palmares.docx
  {PROGRAM} export --group-by region --output palmares.xlsx
  {PROGRAM} export --format json --columns id,level,department | jq .

Formats: {", ".join(EXPORT_FORMATS)}; without --format, the extension of
--output chooses, else CSV, and a --format that contradicts the extension is
an error. --output - (or no --output) writes to standard output; a binary
format (xlsx, docx) is not drawn on a terminal.

CSV follows RFC 4180 in UTF-8 with a header row of labels (--lang), or of
field names with --header keys; --excel adds a BOM and uses ";" for
spreadsheets in French locales. Cells starting with = + - @, a tab or a
carriage return get a leading ' so that spreadsheets do not run them as
formulas; --raw-formulas writes them as they are. In xlsx every cell is text
or a number, never a formula, and codes such as 09 and 2A stay text.

docx, html and md with --group-by are reports: a title, then per group a
heading and a short table (--columns, default level, laureate and title),
then each award with its facts and its summary in paragraphs. md without
--group-by is a table to paste. xlsx with --group-by has a sheet per group.
--columns all exports every column; in JSON --columns picks the keys
(without it: whole award documents, which import reads back).
A file is written atomically (never half a file); a FIFO, a device or
/dev/stdout is written in place, as the shell's > would. The store being
read is never overwritten.""",
)
@with_filters
def export(
    filters: FilterValues,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{', '.join(EXPORT_FORMATS)} (default: from the --output extension, else {EXPORT_FORMATS[0]}).",
            autocompletion=completing(EXPORT_FORMATS),
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            metavar="LIST",
            help=f"Comma-separated columns, in order, or 'all' (CSV and md default: {','.join(DEFAULT_COLUMNS)}).",
            show_default=False,
        ),
    ] = None,
    excel: Annotated[bool, typer.Option("--excel", help="CSV for Excel in French locales: BOM and ';'.")] = False,
    raw_formulas: Annotated[
        bool, typer.Option("--raw-formulas", help="Do not neutralise cells a spreadsheet would run as formulas.")
    ] = False,
    header: Annotated[
        str | None,
        typer.Option(
            "--header",
            metavar="KIND",
            help="CSV header row: labels (for people, the default) or keys (field names, for scripts).",
            autocompletion=completing(HEADERS),
            show_default=False,
        ),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            metavar="FIELD",
            help=f"md, docx, html, xlsx: a section (a sheet) per {', '.join(GROUP_FIELDS)}.",
            autocompletion=completing(GROUP_FIELDS),
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help="md, docx, html: the report's title.", show_default=False),
    ] = None,
    sort: SortOption = "level",
    db: DbOption = None,
    lang: LangOption = "fr",
) -> None:
    """Write the awards as CSV, Markdown, JSON, Excel, Word or HTML, to a file or standard output."""
    from territoria_cli.filters import select
    from territoria_cli.formats.columns import parse_columns

    chosen = formats.format_for(format, output)
    options = {"excel": excel, "raw_formulas": raw_formulas, "header": header, "group_by": group_by, "title": title}
    formats.check_options(chosen, options)
    views.check_can_write(formats.FORMATS[chosen], output)
    selected = parse_columns(columns) if columns else None
    store_path = store.resolve_store_path(db)
    awards = select(_catalogue(db).awards(), filters, sort=sort)
    data = formats.write(chosen, awards, selected, lang, **options)
    views.exported(
        data,
        output,
        f"{len(awards)} award{'s' * (len(awards) != 1)}",
        formats.FORMATS[chosen],
        protected=(store_path, store.packaged_store_path()),
    )


@app.command(
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

    target = store.resolve_store_path(db)
    report = store.import_awards(target, store.read_import_file(file), replace=replace)
    views.imported(target, report)
