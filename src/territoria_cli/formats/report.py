"""The report every document format shares: one model, several writers.

A report is what a journalist or an officer hands in: a title; for each group
(a category, a level, a région…) a heading and a short table (level,
laureate, title); then each award as its own section: its title, one line of
facts (level, category, laureate and bodies, year, sponsor), and its summary
as real paragraphs. The Markdown, Word and HTML writers only lay this model
out, so the three documents say the same thing in the same order.

Grouping puts each award in exactly one group, keyed by the same cell text as
the exports (:func:`territoria_cli.formats.columns.cell_value`): a joint dossier of a
commune and an EPCI is in the group "Commune ; EPCI", so the groups add up to
the awards. Levels, years and départements come in their natural order (gold
first, oldest year first, by code); categories, régions and kinds in the
order of their first award, which ``--sort`` decides (by default the
palmarès order).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from territoria_cli.errors import UsageError
from territoria_cli.formats import GROUP_FIELDS
from territoria_cli.formats.columns import cell_value, header
from territoria_cli.i18n import _
from territoria_cli.model import FIELD_LABELS, LEVELS, Award, Lang
from territoria_cli.text import quoted

#: The short table of each group, unless ``--columns`` says otherwise.
REPORT_COLUMNS: tuple[str, ...] = ("level", "laureate", "title")

WORDS: dict[Lang, dict[str, str]] = {
    "fr": {"title": "Palmarès du Prix TERRITORIA", "no_value": "Non renseigné", "colon": " : "},
    "en": {"title": "Prix TERRITORIA awards", "no_value": "Not given", "colon": ": "},
}

#: Characters XML 1.0 (Word, HTML) cannot hold: C0 controls but tab and line ends.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_END = re.compile(r"\r\n|\r")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


class Section(NamedTuple):
    """One award in full."""

    id: str
    title: str
    facts: str
    paragraphs: tuple[str, ...]


class Group(NamedTuple):
    """A heading (``None`` when the report is not grouped), its short table, its awards' sections."""

    heading: str | None
    rows: tuple[tuple[str, ...], ...]
    sections: tuple[Section, ...]


class Report(NamedTuple):
    title: str
    lang: Lang
    head: tuple[str, ...]
    groups: tuple[Group, ...]

    @property
    def section_level(self) -> int:
        """Heading level of an award: 3 under group headings, 2 right under the title."""
        return 3 if any(group.heading is not None for group in self.groups) else 2


def report_columns(columns: Sequence[str] | None) -> Sequence[str]:
    """The short table's columns: those of ``--columns``, else level, laureate and title."""
    return columns or REPORT_COLUMNS


def document_text(text: str) -> str:
    """``text`` without the control characters a Word or HTML file cannot hold (they show nothing anyway)."""
    return _NOT_XML.sub("", text)


def paragraphs(summary: str) -> tuple[str, ...]:
    """The summary's paragraphs (the press kit separates them by a blank line); a single line break stays inside."""
    parts = (part.strip() for part in _PARAGRAPH_BREAK.split(_LINE_END.sub("\n", document_text(summary))))
    return tuple(part for part in parts if part)


def facts_line(award: Award, lang: Lang) -> str:
    """ "Or · Lien social · Cluny (Commune, 71, Bourgogne-Franche-Comté) · 2017 · Parrain : La Poste"."""
    where = ", ".join(value for value in (cell_value(award, field, lang) for field in ("kind", "department", "region")) if value)
    parts = [cell_value(award, "level", lang), award.category, f"{award.laureate} ({where})", str(award.year)]
    labels, colon = FIELD_LABELS[lang], WORDS[lang]["colon"]
    if award.sponsor:
        parts.append(f"{labels['sponsor']}{colon}{award.sponsor}")
    if award.excellence:
        parts.append(labels["excellence"])
    return document_text(" · ".join(parts))


def group_awards(awards: Iterable[Award], field: str | None, lang: Lang) -> dict[str | None, list[Award]]:
    """Awards by the cell text of ``field`` (``None``: one group of all), groups in the order the module describes."""
    if field is None:
        return {None: list(awards)}
    field = field.lower()
    if field not in GROUP_FIELDS:
        raise UsageError(_("cannot group by {value}; choose among: {fields}").format(value=quoted(field), fields=", ".join(GROUP_FIELDS)))
    groups: dict[str | None, list[Award]] = {}
    for award in awards:
        groups.setdefault(cell_value(award, field, lang) or WORDS[lang]["no_value"], []).append(award)
    order = _GROUP_ORDER.get(field)
    if order is not None:
        groups = dict(sorted(groups.items(), key=lambda item: order(item[1][0])))
    return groups


_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_GROUP_ORDER: dict[str, Callable[[Award], tuple]] = {
    "level": lambda award: (_LEVEL_RANK[award.level],),
    "year": lambda award: (award.year,),
    # A Région's award has no département: its group comes last.
    "department": lambda award: (cell_value(award, "department") == "", cell_value(award, "department")),
}


def build_report(
    awards: Sequence[Award],
    lang: Lang = "fr",
    *,
    columns: Sequence[str] = REPORT_COLUMNS,
    group_by: str | None = None,
    title: str | None = None,
) -> Report:
    """The report of ``awards`` (already filtered and sorted); ``title`` defaults to the palmarès and its years."""
    groups = tuple(
        Group(
            heading=document_text(heading) if heading is not None else None,
            rows=tuple(tuple(document_text(cell_value(award, column, lang)) for column in columns) for award in members),
            sections=tuple(_section(award, lang) for award in members),
        )
        for heading, members in group_awards(awards, group_by, lang).items()
    )
    return Report(
        title=document_text(title) if title else _default_title(awards, lang),
        lang=lang,
        head=tuple(header(columns, lang)),
        groups=groups,
    )


def _section(award: Award, lang: Lang) -> Section:
    return Section(award.id, document_text(award.title), facts_line(award, lang), paragraphs(award.summary))


def _default_title(awards: Sequence[Award], lang: Lang) -> str:
    years = sorted({award.year for award in awards})
    if not years:
        return WORDS[lang]["title"]
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return f"{WORDS[lang]['title']} {span}"
