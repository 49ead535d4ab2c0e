"""What each command prints: for a person at a terminal (Rich) and for a pipe (plain rows), side by side.

One section per command. Its first function is what the command calls: it
picks JSON (``--json``), the terminal view or the plain view. Terminal views
build Rich renderables without printing, so tests can draw them on a
recording console; :func:`display` is the one place that prints one.

Rich is imported inside the terminal views only: a pipe, ``--json`` and
``--help`` never pay for it (a test checks what a piped ``list`` imports).
Data strings always go through :func:`data_text`: a title containing
``[bold]`` is shown as typed, never read as Rich markup, and one holding
escape sequences (``\x1b[2J``, ``\x1b]0;title\x07``) has them shown, never
obeyed: :func:`visible` is the one place where text from the data is made
safe for a terminal, for the tables and panels here and for the messages
(errors, notices, suggestions) of :func:`notice` and :func:`error`. Piped
output is data for programs and stays as stored.

Plain views follow the GitHub CLI's convention: one tab-separated line per
record, no header, no colours, nothing cut; messages for the person at the
keyboard ("No award matches") go to standard error, never into the data.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from territoria_cli.errors import UsageError
from territoria_cli.formats.columns import DEFAULT_COLUMNS, cell_value, row
from territoria_cli.i18n import _, ngettext, translations
from territoria_cli.model import (
    FIELD_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    LEVELS,
    Award,
    AwardFacts,
    Lang,
    Laureate,
    Level,
    json_text,
)

if TYPE_CHECKING:
    from rich.console import Group, RenderableType
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from territoria_cli.formats import Format
    from territoria_cli.search import Found, Hit, SimilarResult
    from territoria_cli.stats import Stats
    from territoria_cli.stats import Table as CountTable
    from territoria_cli.store import ImportReport

#: Like GitHub CLI's GH_FORCE_TTY: draw tables even when stdout is a pipe (``| less -R``).
FORCE_TTY_ENV_VAR = "TERRITORIA_FORCE_TTY"

#: Medal colours: gold, silver, bronze, from the 256-colour palette, whose colours terminal themes leave
#: alone (they remap the 16 basic ones). Each has a contrast of at least 3.3:1 (WCAG's level for bold
#: text) on a black and on a white background: yellow and bright white vanished on light themes.
#: tests/test_views.py reads them back from a real terminal (tmux) on both backgrounds.
LEVEL_STYLES: dict[Level, str] = {"or": "bold color(136)", "argent": "bold color(244)", "bronze": "bold color(166)"}
MEDAL = "●"
HIGHLIGHT_STYLE = "bold black on yellow"
BAR = "█"
#: The longest bar of a counts table, when the terminal has room for it; with less room than the
#: minimum, a table has no bars (names and counts first).
BAR_WIDTH, BAR_MIN_WIDTH = 30, 8

#: Words of the terminal views that are not field labels (those live in the model; the titles of stats in stats).
WORDS: dict[Lang, dict[str, str]] = {
    "fr": {
        "rank": "#",
        "award": "Prix",
        "value": "Valeur",
        "vintage": "population municipale {population}, INSEE (COG {cog})",
    },
    "en": {
        "rank": "#",
        "award": "Award",
        "value": "Value",
        "vintage": "{population} municipal population, INSEE (COG {cog})",
    },
}


class Output(NamedTuple):
    """How the reader wants the result: labels in ``lang``; JSON for scripts with ``as_json``."""

    lang: Lang = "fr"
    as_json: bool = False


# ---------------------------------------------------------------- text from the data on a terminal

#: What a terminal would obey instead of showing: the C0 controls but tab and
#: line feed (ESC starts every escape sequence, BEL ends OSC titles), DEL, the
#: C1 controls (0x9b is CSI and 0x9d OSC on their own), and the bidirectional
#: overrides and isolates that reorder what is shown ("Trojan Source").
@functools.cache
def _unsafe() -> re.Pattern[str]:
    """Compiled on first use (about 0.3 ms, more for the first pattern of a process): piped rows never need it."""
    return re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Unicode's pictures of the C0 controls start here ("␛" for ESC); DEL has its own.
_CONTROL_PICTURES = 0x2400
_DELETE_PICTURE = "\u2421"


def visible(text: str) -> str:
    """``text`` with its control characters shown instead of obeyed.

    ESC becomes "␛" and BEL "␇" (Unicode's control pictures, one column wide
    like the character they stand for would be expected to be), DEL "␡", and
    C1 and bidirectional controls their escape ("\\x9b", "\\u202e"); Windows
    line ends become line feeds. Text without any is returned as it is.
    """
    unsafe = _unsafe()
    if unsafe.search(text) is None:
        return text
    return unsafe.sub(_picture, text.replace("\r\n", "\n"))


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return _DELETE_PICTURE
    return match.group().encode("unicode_escape").decode("ascii")


def data_text(value: str, style: str | None = None, **options: str) -> Text:
    """A Rich ``Text`` of a string from the data: shown literally, never as markup or escape sequences."""
    from rich.text import Text

    return Text(visible(value), style=style or "", **options)  # type: ignore[arg-type]


# ---------------------------------------------------------------- writing


def _stdout_is_terminal_device() -> bool:
    try:
        return sys.stdout.isatty()
    except (ValueError, AttributeError):
        return False


def _tty_forced() -> bool:
    return os.environ.get(FORCE_TTY_ENV_VAR, "") not in ("", "0")


def for_people() -> bool:
    """Rich tables for a terminal (or when forced), plain rows for pipes and files."""
    return _tty_forced() or _stdout_is_terminal_device()


def configure_stdout() -> None:
    """Piped output is UTF-8 whatever the locale says; a terminal that cannot show "é" gets "?", not an error."""
    if not _stdout_is_terminal_device():
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    else:
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]


def write(text: str) -> None:
    sys.stdout.write(text)


def write_exact(text: str) -> None:
    """Write as UTF-8 bytes, so that CSV's CRLF line ends survive a text stream's newline translation."""
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        write(text)
        return
    sys.stdout.flush()
    binary.write(text.encode("utf-8"))


def write_bytes(data: bytes) -> None:
    """A binary file (xlsx, docx) to standard output, for a pipe or a redirection."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)


def notice(message: str) -> None:
    """Information for the person at the keyboard, kept out of piped data; data in it is made :func:`visible`."""
    print(visible(message), file=sys.stderr)


def error(message: str) -> None:
    """An error as one line on standard error; data quoted in it is made :func:`visible`."""
    print(_("Error: {message}").format(message=visible(message)), file=sys.stderr)


def display(renderable: RenderableType, *, force_terminal: bool | None = None) -> None:
    """Print a Rich renderable; draws even into a pipe when ``TERRITORIA_FORCE_TTY`` (or ``force_terminal``) says so.

    Colour follows Rich's detection, so ``NO_COLOR`` and ``TERM=dumb`` are
    respected; nothing here forces a colour system.
    """
    from rich.console import Console

    forced = _tty_forced() if force_terminal is None else force_terminal
    Console(force_terminal=True if forced else None, highlight=False).print(renderable)


@functools.cache
def _plain_space() -> re.Pattern[str]:
    """Compiled on first use: a table on a terminal never needs it."""
    return re.compile(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def plain_rows(rows: Iterable[Sequence[str]]) -> str:
    """Tab-separated lines for pipes (``cut -f``, ``sort``); tabs and line breaks in cells become spaces."""
    space = _plain_space()
    return "".join("\t".join(space.sub(" ", cell) for cell in cells) + "\n" for cells in rows)


# ---------------------------------------------------------------- shared pieces of the terminal views


def count_of_awards(count: int, lang: Lang, total: int | None = None) -> str:
    """ "2 prix", "1 award"; "6 sur 22 prix" when a limit cut a longer list of ``total``."""
    messages = translations(lang)
    if total is not None and total > count:
        message = messages.ngettext("{count} of {total} award", "{count} of {total} awards", total)
        return message.format(count=grouped(count, lang), total=grouped(total, lang))
    return messages.ngettext("{count} award", "{count} awards", count).format(count=grouped(count, lang))


def count_of_bodies(count: int, lang: Lang) -> str:
    """ "1 collectivité", "31 collectivités"."""
    return translations(lang).ngettext("{count} public body", "{count} public bodies", count).format(count=count)


def medal_text(level: Level, lang: Lang) -> str:
    return f"{MEDAL} {LEVEL_LABELS[lang][level]}"


def medal(level: Level, lang: Lang) -> Text:
    """The level as a coloured medal label: "● Or"."""
    from rich.text import Text

    return Text(medal_text(level, lang), style=LEVEL_STYLES[level])


def _table(title: str | None = None, caption: str | None = None) -> Table:
    from rich import box
    from rich.table import Table

    return Table(title=title, caption=caption, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold", header_style="bold")


def _award_cell(award: AwardFacts, *lines: Text | str) -> Text:
    """The title in bold, then ``lines`` (laureate, category, snippet), with the id, dim, on a line of its own.

    The table gives this column at least the width of the longest id, and an id
    has no space to break at, so it stays whole on one line: it can be copied
    into ``territoria show``. (``fold`` only matters on a terminal narrower than an id.)
    """
    from rich.text import Text

    text = Text(overflow="fold")
    text.append(visible(award.title), style="bold")
    for line in lines:
        text.append("\n")
        if isinstance(line, str):
            text.append(visible(line))
        else:
            text.append_text(line)
    return text


#: Below this many columns a name column of a wide table is too narrow to read: names move under the title.
NAME_COLUMN_MIN_WIDTH = 14
#: Room a column of a table takes besides its content: a space on each side and the rule before it
#: (measured on Rich's SIMPLE_HEAD box); the table's last edge takes one more.
COLUMN_MARGIN = 3

#: How a table of awards is laid out, from the widest: names in columns of their own; names under the
#: title; the level too under the title (an 80-column terminal and a 67-character id).
Layout = Literal["wide", "compact", "narrow"]


class _FittedTable:
    """A table laid out for the width it is drawn at, so that ids are never broken.

    Other columns give way first: ``build(layout)`` makes the table for the
    widest layout that fits with a column as wide as the longest id; an id
    has no space to break at, so it then stays whole on one line and can be
    copied into ``territoria show``.
    """

    def __init__(self, build: Callable[[Layout, int], Table], needs: dict[Layout, int]) -> None:
        self.build = build
        self.needs = needs

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Table]:
        fitting = [layout for layout, width in self.needs.items() if options.max_width >= width]
        yield self.build(fitting[0] if fitting else "narrow", options.max_width)


def _needs(rank: int, level: int, id_width: int, name_columns: int) -> dict[Layout, int]:
    """The width each layout needs: the rank, the level, the name columns, then the award column."""

    def width(*contents: int) -> int:
        return sum(contents) + COLUMN_MARGIN * len(contents) + 1

    return {
        "wide": width(rank, level, *[NAME_COLUMN_MIN_WIDTH] * name_columns, id_width),
        "compact": width(rank, level, id_width),
        "narrow": width(rank, id_width),
    }


def _awards_grid(
    awards_shown: Sequence[AwardFacts], lang: Lang, caption: str, name_columns: Sequence[str]
) -> tuple[Callable[[Layout, int, Callable[[Table, Layout], None], str], Table], dict[Layout, int]]:
    """What the list and search tables share: the ``#`` column, the level column, then name columns or not."""
    rank = len(str(len(awards_shown)))
    level = max((len(medal_text(award.level, lang)) for award in awards_shown), default=0)
    id_width = max((len(award.id) for award in awards_shown), default=0)

    needs = _needs(rank, level, id_width, len(name_columns))
    naturals = [
        max([len(FIELD_LABELS[lang][field]), *(len(getattr(award, field)) for award in awards_shown)]) for field in name_columns
    ]

    def build(layout: Layout, width: int, add_rows: Callable[[Table, Layout], None], wide_header: str) -> Table:
        from rich.cells import cell_len

        labels = FIELD_LABELS[lang]
        table = _table(caption=caption)
        rank_header, award_header = WORDS[lang]["rank"], wide_header if layout == "wide" else WORDS[lang]["award"]
        # Every column gets its width from us: Rich then skips measuring every cell of the table (the
        # largest cost of drawing it), and the widths are those its measure would give.
        table.add_column(rank_header, justify="right", no_wrap=True, width=max(rank, cell_len(rank_header)))
        if layout != "narrow":
            table.add_column(labels["level"], no_wrap=True, width=max(level, cell_len(labels["level"])))
        if layout == "wide":
            # Long names wrap within their share, so that the id's column is never narrowed to fit them.
            shares = _shares(width - needs["compact"] - COLUMN_MARGIN * len(name_columns), naturals)
            for field, share in zip(name_columns, shares, strict=True):
                table.add_column(labels[field], width=share, overflow="fold")
        table.add_column(award_header, min_width=id_width)
        add_rows(table, layout)
        award_column = table.columns[-1]
        room = width - sum(column.width or 0 for column in table.columns) - COLUMN_MARGIN * len(table.columns) - 1
        if room >= id_width:  # else no layout fits: Rich lets the id overflow the terminal, whole
            natural = max([cell_len(award_header), *(_longest_line(cell) for cell in award_column.cells)])
            award_column.width = min(natural, room)
        return table

    return build, needs


def _longest_line(cell: Any) -> int:
    """The width of a cell's longest line, as Rich measures a ``Text`` (the widest it draws unwrapped)."""
    from rich.cells import cell_len

    return max((cell_len(line) for line in (cell.plain if hasattr(cell, "plain") else str(cell)).splitlines()), default=0)


def _shares(room: int, naturals: Sequence[int]) -> list[int]:
    """Widths for name columns sharing ``room``: a narrow column keeps its width, the others split the rest."""
    shares = [0] * len(naturals)
    left = len(naturals)
    for position in sorted(range(len(naturals)), key=lambda at: naturals[at]):
        shares[position] = min(naturals[position], room // left)
        room -= shares[position]
        left -= 1
    return shares


def _row_start(rank: int, award: AwardFacts, lang: Lang, layout: Layout) -> list[Text | str]:
    """The rank (a ``Text``: a ``str`` cell goes through Rich's markup and emoji parsers, twice) and the medal."""
    from rich.text import Text

    number = Text(str(rank))
    return [number] if layout == "narrow" else [number, medal(award.level, lang)]


def _title_lines(award: AwardFacts, lang: Lang, layout: Layout, names: str) -> list[Text | str]:
    """What goes under the title: in the narrow layout the medal and the names, in the compact one the names."""
    if layout == "wide":
        return []
    if layout == "compact":
        return [names]
    line = medal(award.level, lang)
    line.append(f" · {visible(names)}", style="")
    return [line]


# ---------------------------------------------------------------- list


def awards(selected: Sequence[AwardFacts], out: Output, *, total: int | None = None) -> None:
    """``list``: a numbered table (its numbers kept for ``show N``), or one row per award.

    What they show are facts (:class:`territoria_cli.model.Facts`): a big
    store's summaries stay unread. ``--json`` prints whole documents
    (:func:`awards_json`). ``total`` is the number of awards before
    ``--limit`` cut the list: the caption says "6 sur 22 prix".
    """
    if not selected:
        notice(_("No award matches these filters."))
    elif for_people():
        display(awards_table(selected, out.lang, total=total))
        _remember(selected)
    else:
        write(plain_rows(award_rows(selected, out.lang)))


def awards_json(selected: Sequence[Award]) -> None:
    """``list --json``: the awards' whole documents."""
    from territoria_cli.formats.json import to_json

    write(to_json(selected))


def _remember(shown: Iterable[AwardFacts]) -> None:
    from territoria_cli.last_results import remember

    remember([award.id for award in shown])


def awards_table(selected: Sequence[AwardFacts], lang: Lang, *, total: int | None = None) -> _FittedTable:
    """Numbered rows: level, category, laureate and title, with the id under the title for ``show``."""

    grid, needs = _awards_grid(selected, lang, count_of_awards(len(selected), lang, total), ("category", "laureate"))

    def add_rows(table: Table, layout: Layout) -> None:
        for rank, award in enumerate(selected, 1):
            names = [data_text(award.category), data_text(award.laureate)] if layout == "wide" else []
            under = _title_lines(award, lang, layout, f"{award.laureate} · {award.category}")
            table.add_row(*_row_start(rank, award, lang, layout), *names, _award_cell(award, *under, data_text(award.id, "dim")))

    return _FittedTable(lambda layout, width: grid(layout, width, add_rows, FIELD_LABELS[lang]["title"]), needs)


def award_rows(selected: Iterable[AwardFacts], lang: Lang) -> Iterable[list[str]]:
    """Piped: the default columns (id, level, category, laureate, title) of each award."""
    return (row(award, DEFAULT_COLUMNS, lang) for award in selected)


# ---------------------------------------------------------------- search

#: What a piped search prints per hit, before the snippet; and what surrounds a match in it.
SEARCH_COLUMNS = ("id", "level", "laureate", "title")
SEARCH_HIGHLIGHT = "**"


def hits(found: Found, terms: Sequence[str], out: Output) -> None:
    """``search``: JSON hits, a ranked table (its numbers kept for ``show N``), or one row per hit.

    Corrections and, when nothing matched, suggestions go to standard error;
    when the limit cut the hits, the table's caption says how many there
    were, or piped and in JSON a line on standard error.
    """
    from territoria_cli.text import quoted

    for typed, replacements in found.corrections.items():
        notice(_("Results for {words} ({typed} is in no award).").format(words=", ".join(replacements), typed=quoted(typed)))
    if found.total > len(found.hits) and (out.as_json or not for_people()):  # a table's caption says it
        notice(
            ngettext(
                "The best {count} of {total} award found (--limit N or --all for more).",
                "The best {count} of {total} awards found (--limit N or --all for more).",
                found.total,
            ).format(count=grouped(len(found.hits), out.lang), total=grouped(found.total, out.lang))
        )
    if out.as_json:
        write(json_text([hit_document(hit) for hit in found.hits]))
    elif not found.hits:
        notice(_("No award matches {query}.").format(query=quoted(" ".join(terms))))
        if found.suggestions:
            notice(_("Did you mean: {words}?").format(words=", ".join(found.suggestions)))
    elif for_people():
        display(hits_table(found.hits, out.lang, total=found.total))
        _remember(hit.award for hit in found.hits)
    else:
        write(plain_rows(hit_row(hit, out.lang) for hit in found.hits))


def words_matched(hit: Hit, lang: Lang) -> str:
    """ "3 mots sur 4": how many of the query's words the hit matched."""
    message = translations(lang).ngettext("{matched} word of {total}", "{matched} words of {total}", hit.matched_words)
    return message.format(matched=hit.matched_words, total=hit.total_words)


def hit_document(hit: Hit) -> dict[str, Any]:
    """``search --json``: the award's fields, then its score, the query words it matched and its snippet.

    ``snippet`` is the excerpt as plain text and ``highlights`` the
    ``[start, end)`` character ranges of the matched words in it.
    """
    text, highlights, cursor = [], [], 0
    for part, matched in hit.snippet:
        if matched:
            highlights.append([cursor, cursor + len(part)])
        text.append(part)
        cursor += len(part)
    return {
        **hit.award.to_document(),
        "score": round(hit.score, 4),
        "matched": list(hit.matched),
        "matched_words": hit.matched_words,
        "query_words": hit.total_words,
        "snippet": "".join(text),
        "highlights": highlights,
    }


def hits_table(found: Sequence[Hit], lang: Lang, *, total: int | None = None) -> _FittedTable:
    """Search results, best first, numbered: the title, the id, the summary snippet and, for several words, how many matched."""
    from rich.text import Text

    shown = [hit.award for hit in found]
    grid, needs = _awards_grid(shown, lang, count_of_awards(len(found), lang, total), ("laureate",))

    def add_rows(table: Table, layout: Layout) -> None:
        for rank, hit in enumerate(found, 1):
            award = hit.award
            names = [data_text(award.laureate)] if layout == "wide" else []
            under = _title_lines(award, lang, layout, award.laureate)
            matched = [Text(words_matched(hit, lang), style="dim")] if hit.total_words > 1 else []
            cell = _award_cell(award, *under, data_text(award.id, "dim"), snippet(hit.snippet), *matched)
            table.add_row(*_row_start(rank, award, lang, layout), *names, cell)

    return _FittedTable(lambda layout, width: grid(layout, width, add_rows, WORDS[lang]["award"]), needs)


def snippet(segments: Iterable[tuple[str, bool]]) -> Text:
    """A search snippet with its matched words highlighted."""
    from rich.text import Text

    text = Text()
    for part, matched in segments:
        text.append(visible(part), style=HIGHLIGHT_STYLE if matched else None)
    return text


def hit_row(hit: Hit, lang: Lang) -> list[str]:
    """Piped: id, level, laureate, title, the snippet with its matches between ``**``, then "matched/total" words."""
    marked = "".join(
        f"{SEARCH_HIGHLIGHT}{text}{SEARCH_HIGHLIGHT}" if matched else text for text, matched in hit.snippet
    )
    return [*row(hit.award, SEARCH_COLUMNS, lang), marked, f"{hit.matched_words}/{hit.total_words}"]


# ---------------------------------------------------------------- similar


def similar(result: SimilarResult, out: Output) -> None:
    """``similar``: JSON hits, a numbered table (its numbers kept for ``show N``), or one row per award.

    Piped: id, level, laureate, title, shared words.
    """
    if out.as_json:
        write(json_text([{**hit.award.to_document(), "score": round(hit.score, 4), "shared": list(hit.shared)}
                         for hit in result.hits]))  # fmt: skip
    elif not result.hits:
        notice(_("No award is close to {id}.").format(id=result.source.id))
    elif for_people():
        display(similar_table(result, out.lang))
        _remember(hit.award for hit in result.hits)
    else:
        write(plain_rows([*row(hit.award, SEARCH_COLUMNS, out.lang), ", ".join(hit.shared)] for hit in result.hits))


def similar_table(result: SimilarResult, lang: Lang) -> Group:
    """The closest awards, best first, numbered, each with the words it shares with the source, under a heading."""
    from rich.console import Group

    shown = [hit.award for hit in result.hits]
    grid, needs = _awards_grid(shown, lang, count_of_awards(len(shown), lang), ("laureate",))
    shares = translations(lang).gettext("Shared: {words}")

    def add_rows(table: Table, layout: Layout) -> None:
        for rank, hit in enumerate(result.hits, 1):
            award = hit.award
            names = [data_text(award.laureate)] if layout == "wide" else []
            under = _title_lines(award, lang, layout, award.laureate)
            shared = data_text(shares.format(words=", ".join(hit.shared)), "dim")
            cell = _award_cell(award, *under, data_text(award.id, "dim"), shared)
            table.add_row(*_row_start(rank, award, lang, layout), *names, cell)

    heading = data_text(translations(lang).gettext("Close to {id}").format(id=result.source.id), "bold")
    return Group(heading, _FittedTable(lambda layout, width: grid(layout, width, add_rows, WORDS[lang]["award"]), needs))


# ---------------------------------------------------------------- show

#: The facts of ``show``: before the lines of the bodies, then after them; the summary follows.
SHOW_FIELDS_BEFORE_BODIES = ("id", "title", "summary_title", "level", "category", "sponsor", "year", "laureate")
SHOW_FIELDS_AFTER_BODIES = ("excellence", "budget")


#: What separates two awards shown piped (``show A B``): a line of its own, as grep's between groups.
AWARD_SEPARATOR = "--\n"


def award(shown: Sequence[Award], out: Output) -> None:
    """``show``: the JSON document (a list for several), panels, or ``Label: value`` lines then the summary."""
    if out.as_json:
        documents = [one.to_document() for one in shown]
        write(json_text(documents[0] if len(documents) == 1 else documents))
    elif for_people():
        from rich.console import Group

        display(Group(*(award_panel(one, out.lang) for one in shown)))
    else:
        write(AWARD_SEPARATOR.join(award_text(one, out.lang) for one in shown))


def award_panel(shown: Award, lang: Lang) -> Panel:
    """One award in full: its facts, its bodies, then the whole summary."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    labels = FIELD_LABELS[lang]
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row(labels["level"], medal(shown.level, lang))
    for field in ("category", "sponsor", "year", "laureate", "excellence", "budget"):
        facts.add_row(labels[field], data_text(cell_value(shown, field, lang) or "—"))

    vintage = population_vintage(shown, lang)
    bodies = _table(caption=f"{labels['population']}: {vintage}" if vintage else None)
    for field in ("laureates", "kind", "department", "region", "code"):
        bodies.add_column(labels[field])
    bodies.add_column(labels["population"], justify="right")
    for body in shown.laureates:
        bodies.add_row(
            data_text(body.name),
            data_text(KIND_LABELS[lang][body.kind]),
            data_text(body.department or "—"),
            data_text(body.region),
            data_text(body.code or "—"),
            Text(_inhabitants(body.population, lang)),
        )

    summary = Text("\n" if vintage else "")  # the caption under the bodies takes the blank line: give it back
    summary.append(visible(shown.summary_title), style="bold")
    summary.append("\n\n")
    summary.append(visible(shown.summary))
    return Panel(
        Group(facts, bodies, summary),
        title=data_text(shown.title, style="bold"),
        subtitle=data_text(shown.id, style="dim"),
        box=box.ROUNDED,
        padding=(1, 2),
    )


def award_text(shown: Award, lang: Lang) -> str:
    """Piped: ``Label: value`` lines (one per body), a blank line, then the summary."""
    labels = FIELD_LABELS[lang]

    def field_lines(fields: Sequence[str]) -> list[str]:
        return [f"{labels[field]}: {value}" for field, value in zip(fields, row(shown, fields, lang), strict=True)]

    def body_line(body: Laureate) -> str:
        facts = [KIND_LABELS[lang][body.kind], body.department, body.region, body.code]
        if body.population is not None:
            facts.append(f"{labels['population'].lower()} {body.population}")
        return f"{labels['laureates']}: {body.name} ({', '.join(filter(None, facts))})"

    bodies = [body_line(body) for body in shown.laureates]
    vintage = population_vintage(shown, lang)
    if vintage:
        bodies.append(f"{labels['population']}: {vintage}")
    lines = [*field_lines(SHOW_FIELDS_BEFORE_BODIES), *bodies, *field_lines(SHOW_FIELDS_AFTER_BODIES)]
    return "\n".join(lines) + "\n\n" + shown.summary.rstrip() + "\n"


def population_vintage(shown: Award, lang: Lang) -> str | None:
    """Which populations ``show`` gives ("population municipale 2023, INSEE (COG 2026)"); None if it gives none.

    Read from the reference only when a body has a population.
    """
    if all(body.population is None for body in shown.laureates):
        return None
    from territoria_cli import geography

    source = geography.source()
    return WORDS[lang]["vintage"].format(population=source["population"], cog=source["cog"])


def _inhabitants(population: int | None, lang: Lang) -> str:
    """ "4 808" in French (a no-break space between thousands), "4,808" in English; "—" when unknown."""
    return "—" if population is None else grouped(population, lang)


def grouped(number: int, lang: Lang) -> str:
    """ "7 953" in French (a no-break space between thousands), "7,953" in English."""
    text = f"{number:,}"
    return text.replace(",", "\u00a0") if lang == "fr" else text


# ---------------------------------------------------------------- stats


def stats(figures: Stats, out: Output) -> None:
    """``stats``: one JSON object, tables with bars, or one figure per line."""
    if out.as_json:
        write(json_text(figures.to_document()))
    elif for_people():
        display(stats_tables(figures, out.lang))
    else:
        write(plain_rows(stats_rows(figures, out.lang)))


def stats_tables(figures: Stats, lang: Lang) -> Group:
    """The figures of the palmarès as tables with bars, under a headline of the two counts of the communiqué."""
    from rich.console import Group
    from rich.text import Text

    from territoria_cli.stats import overview_tables

    headline = Text(f"{count_of_awards(figures.awards, lang)} · {count_of_bodies(figures.bodies, lang)}", style="bold")
    parts: list[RenderableType] = [headline]
    for table in overview_tables(figures, lang):
        parts.append(counts_table(table, lang))
        if table.note:
            parts.append(Text(""))  # the note is the table's caption: a line after it
    return Group(*parts)


def stats_rows(figures: Stats, lang: Lang) -> Iterable[Sequence[str]]:
    """Piped: the section first ("awards", "level", "category"…), then the names (codes for départements) and counts."""
    from territoria_cli.stats import overview_tables

    yield "awards", str(figures.awards)
    yield "bodies", str(figures.bodies)
    for table in overview_tables(figures, lang):
        section = table.name.removeprefix("by_")
        names = table.codes or [str(cells[0]) for cells in table.rows]
        for name, cells in zip(names, table.rows, strict=True):
            yield section, name, *(str(cell) for cell in cells[1:])


def counts(table: CountTable, document: object, out: Output) -> None:
    """``stats --by``: the JSON rows, a table with bars, or one tab-separated line per row."""
    if out.as_json:
        write(json_text(document))
    elif for_people():
        display(counts_table(table, out.lang))
    else:
        write(plain_rows([str(cell) for cell in cells] for cells in table.rows))


def counts_table(table: CountTable, lang: Lang) -> _FittedCounts:
    """A table of counts with a bar of each row's first count (its total in a cross-table).

    Levels are shown as medals: a row of a level has its medal and a bar of
    its colour; columns of levels are in their colours, and the bar is
    stacked from them. The bars take the room the names and counts leave, up
    to :data:`BAR_WIDTH`: on a narrow terminal they shorten rather than being
    cut, and names wrap only when even short bars leave them too little room.
    """
    return _FittedCounts(table, lang)


class _FittedCounts:
    """A counts table drawn for the width it gets (see :func:`counts_table`)."""

    def __init__(self, table: CountTable, lang: Lang) -> None:
        self.table = table
        self.lang = lang

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Table]:
        yield self.build(options.max_width)

    def build(self, width: int) -> Table:
        """The table for ``width`` columns: counts and bars get their widths from us, names what is left."""
        from rich.cells import cell_len

        table, lang = self.table, self.lang
        view = _table(title=table.title, caption=table.note)
        view.caption_justify = "left"
        column_styles = dict(zip(table.chart_columns, (LEVEL_STYLES[level] for level in table.column_levels), strict=False))
        firsts = [
            medal(table.row_levels[position], lang) if table.row_levels else data_text(str(cells[0]))
            for position, cells in enumerate(table.rows)
        ]
        naturals = [
            max([cell_len(label), *(cell_len(str(cells[position])) for cells in table.rows)])
            for position, label in enumerate(table.head)
        ]
        naturals[0] = max([cell_len(table.head[0]), *(first.cell_len for first in firsts)])
        largest = max((int(cells[table.labels]) for cells in table.rows), default=0)
        room = width - sum(naturals) - COLUMN_MARGIN * (len(table.head) + 1) - 1
        # No bars when too narrow (the counts say it all), nor when every count is 0.
        bar_width = min(BAR_WIDTH, room) if room >= BAR_MIN_WIDTH and largest > 0 else 0
        for position, label in enumerate(table.head):
            counted = position >= table.labels
            view.add_column(
                label,
                justify="right" if counted else "left",
                style=column_styles.get(position),
                width=naturals[position] if counted else None,  # names wrap if they must; counts never
                overflow="fold",  # a name longer than its column wraps whole, never cut with "…"
            )
        if bar_width:
            view.add_column("", width=bar_width, no_wrap=True)
        for position, cells in enumerate(table.rows):
            level = table.row_levels[position] if table.row_levels else None
            if table.column_levels:
                per_level = {counted: int(cells[column]) for counted, column in zip(table.column_levels, table.chart_columns, strict=True)}
                shown = level_bar(per_level, largest, bar_width)
            else:
                shown = bar(int(cells[table.labels]), largest, LEVEL_STYLES[level] if level else "cyan", bar_width)
            view.add_row(firsts[position], *(data_text(str(cell)) for cell in cells[1:]), *([shown] if bar_width else []))
        return view


def bar(count: int, largest: int, style: str = "cyan", width: int = BAR_WIDTH) -> Text:
    """A horizontal bar scaled so that ``largest`` fills ``width``; any non-zero count shows."""
    from rich.text import Text

    return Text(BAR * _bar_length(count, largest, width), style=style)


def level_bar(counts: dict[Level, int], largest: int, width: int = BAR_WIDTH) -> Text:
    """A bar stacked by level, each part in its medal colour, as long as :func:`bar` of their total.

    Each part ends where the running total's bar would end, so the parts add
    up to the total's length (rounding each part alone made a row of 4 one
    block shorter than a row of 4 unstacked).
    """
    from rich.text import Text

    text, drawn, running = Text(), 0, 0
    total = sum(counts.get(level, 0) for level in LEVELS)
    length = _bar_length(total, largest, width)
    for level in LEVELS:
        running += counts.get(level, 0)
        end = round(running / total * length) if total else 0
        text.append(BAR * (end - drawn), style=LEVEL_STYLES[level])
        drawn = end
    return text


def _bar_length(count: int, largest: int, width: int = BAR_WIDTH) -> int:
    if count <= 0 or largest <= 0:
        return 0
    return max(1, round(count / largest * width))


# ---------------------------------------------------------------- values


def value_counts(field: str, counts: Sequence[tuple[str, int]], out: Output) -> None:
    """``values``: a JSON list of {value, count}, a table with bars, or one ``value<TAB>count`` line each."""
    if out.as_json:
        import json

        write(json.dumps([{"value": value, "count": count} for value, count in counts], ensure_ascii=False, indent=2) + "\n")
    elif not counts:
        notice(_("No award matches these filters."))
    elif for_people():
        display(value_counts_table(field, counts, out.lang))
    else:
        write(plain_rows((value, str(count)) for value, count in counts))


def value_counts_table(field: str, counts: Sequence[tuple[str, int]], lang: Lang) -> _FittedCounts:
    from territoria_cli.stats import WORDS as STATS_WORDS
    from territoria_cli.stats import Table as CountTable

    return counts_table(CountTable(field, "", (FIELD_LABELS[lang][field], STATS_WORDS[lang]["count"]), tuple(counts)), lang)


# ---------------------------------------------------------------- export and import


def check_can_write(chosen: Format, output: Path | None) -> None:
    """Refuse to draw a binary file on a terminal (checked before any work: the fix is to name a file)."""
    from territoria_cli.formats import output_is_stdout

    if chosen.binary and output_is_stdout(output) and _stdout_is_terminal_device():
        raise UsageError(
            _("{format} is a binary file and standard output is a terminal; give --output FILE.{format} or redirect (> file.{format})").format(
                format=chosen.name
            )
        )


def exported(
    data: str | bytes, output: Path | None, what: str, chosen: Format, *, protected: Sequence[Path] = ()
) -> None:
    """``export`` and ``stats --format``: the data to standard output as it is, or to ``output``.

    ``output`` is replaced atomically if it is a file, written in place if it
    is a FIFO, a device or ``/dev/stdout`` (see :mod:`territoria_cli.files`);
    ``protected`` files (the store read) are never overwritten. ``what`` says
    what was written ("38 awards", "1 table") in the notice.
    """
    from territoria_cli.formats import output_is_stdout

    check_can_write(chosen, output)
    if output_is_stdout(output):
        if isinstance(data, bytes):
            write_bytes(data)
        else:
            # On a terminal a person reads the export: its control characters are shown, not obeyed.
            write_exact(visible(data) if _stdout_is_terminal_device() else data)
        return
    assert output is not None
    from territoria_cli.files import write_output

    write_output(output, data, protected=protected)
    notice(_("Exported {what} to {file} ({format}).").format(what=what, file=visible(str(output)), format=chosen.name))


def imported(target: Path, report: ImportReport) -> None:
    """``import``: one line saying what changed in the store, then the bodies left without code or population."""
    print(
        visible(
            _("{store}: {added} added, {replaced} replaced, {unchanged} unchanged.").format(
                store=target, added=len(report.added), replaced=len(report.replaced), unchanged=len(report.unchanged)
            )
        )
    )
    for line in report.incomplete:
        print(visible(_("Note: {line}").format(line=line)))
