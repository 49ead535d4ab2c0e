"""What a person sees at a terminal: the only module that imports Rich.

The command layer imports this module only when standard output is a
terminal (or ``TERRITORIA_FORCE_TTY`` asks for it), so pipes, ``--json`` and
``--help`` never pay for Rich. Functions here build renderables without
printing, so tests can draw them on a recording console of a fixed width;
:func:`display` is the one place that creates a console.

Data strings always go through ``Text``: a title containing ``[bold]`` must
be shown as typed, never read as Rich markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from territoria_cli.export import cell_value
from territoria_cli.model import FIELD_LABELS, KIND_LABELS, LEVEL_LABELS, LEVELS, Award, Lang, Level

if TYPE_CHECKING:
    from territoria_cli.search import Hit
    from territoria_cli.stats import Stats

#: Medal colours: gold, silver, bronze. Named colours degrade to 16-colour terminals.
LEVEL_STYLES: dict[Level, str] = {"or": "bold yellow", "argent": "bold bright_white", "bronze": "bold dark_orange"}
MEDAL = "●"
HIGHLIGHT_STYLE = "bold black on yellow"
BAR = "█"
BAR_WIDTH = 30

#: Words of the terminal views that are not field labels (those live in the model).
WORDS: dict[Lang, dict[str, str]] = {
    "fr": {
        "rank": "#",
        "award": "Prix",
        "one_award": "prix",
        "awards": "prix",
        "one_body": "collectivité",
        "bodies": "collectivités",
        "count": "Nombre",
        "total": "Total",
        "by_level": "Par niveau",
        "by_category": "Par catégorie",
        "by_kind": "Collectivités par type",
        "by_region": "Par région (prix)",
        "repeat": "Lauréats primés plusieurs fois",
    },
    "en": {
        "rank": "#",
        "award": "Award",
        "one_award": "award",
        "awards": "awards",
        "one_body": "public body",
        "bodies": "public bodies",
        "count": "Count",
        "total": "Total",
        "by_level": "By level",
        "by_category": "By category",
        "by_kind": "Public bodies by kind",
        "by_region": "By region (awards)",
        "repeat": "Laureates with several awards",
    },
}


def display(renderable: RenderableType, *, force_terminal: bool = False) -> None:
    """Print to standard output; ``force_terminal`` draws even into a pipe.

    Colour follows Rich's detection, so ``NO_COLOR`` and ``TERM=dumb`` are
    respected; nothing here forces a colour system.
    """
    console = Console(force_terminal=True if force_terminal else None, highlight=False)
    console.print(renderable)


def count_of_awards(count: int, lang: Lang) -> str:
    """ "1 award", "2 awards"; French "prix" is the same in both."""
    return f"{count} {WORDS[lang]['one_award' if count == 1 else 'awards']}"


def count_of_bodies(count: int, lang: Lang) -> str:
    """ "1 collectivité", "31 collectivités"."""
    return f"{count} {WORDS[lang]['one_body' if count == 1 else 'bodies']}"


def medal(level: Level, lang: Lang) -> Text:
    """The level as a coloured medal label: "● Or"."""
    return Text(f"{MEDAL} {LEVEL_LABELS[lang][level]}", style=LEVEL_STYLES[level])


def awards_table(awards: Sequence[Award], lang: Lang) -> Table:
    """Level, category, laureate and title, with the id under the title for ``show``."""
    labels = FIELD_LABELS[lang]
    table = _table(caption=count_of_awards(len(awards), lang))
    table.add_column(labels["level"], no_wrap=True)
    table.add_column(labels["category"], ratio=2)
    table.add_column(labels["laureate"], ratio=2)
    table.add_column(labels["title"], ratio=5)
    for award in awards:
        table.add_row(medal(award.level, lang), Text(award.category), Text(award.laureate), _title_and_id(award))
    return table


def _title_and_id(award: Award) -> Text:
    # "fold": an id wider than the column wraps instead of ending in "…", so it can be copied whole.
    text = Text(overflow="fold")
    text.append(award.title, style="bold")
    text.append("\n")
    text.append(award.id, style="dim")
    return text


def snippet(segments: Iterable[tuple[str, bool]]) -> Text:
    """A search snippet with its matched words highlighted."""
    text = Text()
    for part, matched in segments:
        text.append(part, style=HIGHLIGHT_STYLE if matched else None)
    return text


def hits_table(hits: Sequence[Hit], lang: Lang) -> Table:
    """Search results, best first: the title, the id and the summary snippet."""
    labels = FIELD_LABELS[lang]
    table = _table(caption=count_of_awards(len(hits), lang))
    table.add_column(WORDS[lang]["rank"], justify="right", no_wrap=True)
    table.add_column(labels["level"], no_wrap=True)
    table.add_column(labels["laureate"], ratio=1)
    table.add_column(WORDS[lang]["award"], ratio=4)
    for rank, hit in enumerate(hits, 1):
        award = _title_and_id(hit.award)
        award.append("\n")
        award.append_text(snippet(hit.snippet))
        table.add_row(str(rank), medal(hit.award.level, lang), Text(hit.award.laureate), award)
    return table


def award_view(award: Award, lang: Lang) -> Panel:
    """One award in full: its facts, its bodies, then the whole summary."""
    labels = FIELD_LABELS[lang]
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row(labels["level"], medal(award.level, lang))
    for field in ("category", "sponsor", "year", "laureate", "excellence", "budget"):
        facts.add_row(labels[field], Text(cell_value(award, field, lang) or "—"))

    bodies = _table()
    for field in ("laureates", "kind", "department", "region"):
        bodies.add_column(labels[field])
    for body in award.laureates:
        bodies.add_row(Text(body.name), Text(KIND_LABELS[lang][body.kind]), Text(body.department or "—"), Text(body.region))

    summary = Text()
    summary.append(award.summary_title, style="bold")
    summary.append("\n\n")
    summary.append(award.summary)
    return Panel(
        Group(facts, bodies, summary),
        title=Text(award.title, style="bold"),
        subtitle=Text(award.id, style="dim"),
        box=box.ROUNDED,
        padding=(1, 2),
    )


def stats_view(stats: Stats, lang: Lang) -> Group:
    """The figures of the palmarès as tables with bars."""
    words = WORDS[lang]
    headline = Text(f"{count_of_awards(stats.awards, lang)} · {count_of_bodies(stats.bodies, lang)}", style="bold")

    levels = _count_table(words["by_level"], FIELD_LABELS[lang]["level"], lang)
    largest = max(stats.by_level.values(), default=0)
    for level, count in stats.by_level.items():
        levels.add_row(medal(level, lang), str(count), bar(count, largest, LEVEL_STYLES[level]))

    categories = _table(title=words["by_category"])
    categories.add_column(FIELD_LABELS[lang]["category"])
    categories.add_column(words["total"], justify="right")
    for level in LEVELS:
        categories.add_column(LEVEL_LABELS[lang][level], justify="right", style=LEVEL_STYLES[level])
    categories.add_column("")
    largest = max((sum(counts.values()) for counts in stats.by_category.values()), default=0)
    for category, counts in stats.by_category.items():
        per_level = [counts.get(level, 0) for level in LEVELS]
        categories.add_row(Text(category), str(sum(per_level)), *map(str, per_level), level_bar(counts, largest))

    kinds = _count_table(words["by_kind"], FIELD_LABELS[lang]["kind"], lang)
    _add_counts(kinds, ((KIND_LABELS[lang][kind], count) for kind, count in stats.by_kind.items()))
    regions = _count_table(words["by_region"], FIELD_LABELS[lang]["region"], lang)
    _add_counts(regions, stats.by_region.items())

    parts: list[RenderableType] = [headline, levels, categories, kinds, regions]
    if stats.repeat_laureates:
        repeats = _count_table(words["repeat"], FIELD_LABELS[lang]["laureate"], lang)
        _add_counts(repeats, stats.repeat_laureates)
        parts.append(repeats)
    return Group(*parts)


def bar(count: int, largest: int, style: str = "cyan") -> Text:
    """A horizontal bar scaled so that ``largest`` fills :data:`BAR_WIDTH`; any non-zero count shows."""
    return Text(BAR * _bar_length(count, largest), style=style)


def level_bar(counts: dict[Level, int], largest: int) -> Text:
    """A bar stacked by level, each part in its medal colour."""
    text = Text()
    for level in LEVELS:
        text.append(BAR * _bar_length(counts.get(level, 0), largest), style=LEVEL_STYLES[level])
    return text


def _bar_length(count: int, largest: int) -> int:
    if count <= 0 or largest <= 0:
        return 0
    return max(1, round(count / largest * BAR_WIDTH))


def _table(title: str | None = None, caption: str | None = None) -> Table:
    return Table(title=title, caption=caption, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold", header_style="bold")


def _count_table(title: str, label: str, lang: Lang) -> Table:
    table = _table(title=title)
    table.add_column(label)
    table.add_column(WORDS[lang]["count"], justify="right")
    table.add_column("")
    return table


def _add_counts(table: Table, counts: Iterable[tuple[str, int]]) -> None:
    rows = list(counts)
    largest = max((count for _, count in rows), default=0)
    for name, count in rows:
        table.add_row(Text(name), str(count), bar(count, largest))
