"""Markdown: a GitHub table of the awards to paste, or with ``--group-by`` a report document.

The table (:func:`to_markdown`) is for pasting into a README, an issue or a
wiki page. The report (:func:`to_markdown_report`, laid out from
:mod:`territoria_cli.formats.report` like the Word and HTML ones) is for
``pandoc report.md -o report.docx``: a heading and short table per group, then
each award as a section whose summary paragraphs are real Markdown paragraphs
(in a table cell they were ``<br>``, which pandoc drops, and the summaries ran
together in Word).

Hostile text is harmless: cells escape ``\\`` and ``|`` and turn line breaks
into ``<br>``; cells, headings and paragraphs escape emphasis, links and
images (``[x](http://…)`` and ``![](http://tracker)`` from the data are shown
as typed), code, HTML, entities, and in running text what would start a
heading, list or quote; headings stay on one line; so the document keeps its
shape and shows the text as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from territoria_cli.formats.columns import DEFAULT_COLUMNS, header, row
from territoria_cli.model import Award, Lang

if TYPE_CHECKING:
    from territoria_cli.formats.report import Report
    from territoria_cli.stats import Table

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # CommonMark's line endings
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
#: What would make text turn into HTML, a code span, an escape, a link or an
#: image (brackets), or emphasis and strikethrough, anywhere in Markdown.
_INLINE_SPECIAL = {
    "\\": "\\\\", "`": "\\`", "<": "&lt;",
    "[": "\\[", "]": "\\]", "*": "\\*", "_": "\\_", "~": "\\~",
}  # fmt: skip
#: In a table cell "|" would also end the cell; in running text, escaping it keeps a line from starting a table.
_TEXT_SPECIAL = str.maketrans({**_INLINE_SPECIAL, "|": "\\|"})
#: What makes a line a heading, a quote, a list item or a setext underline.
_BLOCK_START = re.compile(r"^(#|>|-|\+|=)|^(\d{1,9})([.)])")


def _escaped(text: str, table: dict[int, str]) -> str:
    return _ENTITY_LIKE.sub("&amp;", text).translate(table)


def markdown_cell(text: str) -> str:
    """``text`` as one GitHub table cell that renders as the text itself.

    "|" would end the cell and a line break the row; a backslash is doubled so
    that it cannot escape what follows; "<", "&" before an entity name and "`"
    are escaped so that no text becomes HTML, an entity or a code span.
    """
    lines = [line.strip() for line in _LINE_BREAK.split(_escaped(text, _TEXT_SPECIAL))]
    return "<br>".join(lines).strip()


def markdown_table(rows: Iterable[Sequence[str]], head: Sequence[str]) -> str:
    """A GitHub-flavoured Markdown table; cells are escaped here."""
    lines = [_markdown_row(head), "| " + " | ".join("---" for _ in head) + " |"]
    lines.extend(_markdown_row(cells) for cells in rows)
    return "\n".join(lines) + "\n"


def _markdown_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(markdown_cell(cell) for cell in cells) + " |"


def markdown_text(line: str) -> str:
    """One line of text that renders as itself inside a Markdown paragraph or heading."""
    escaped = _escaped(line.strip(), _TEXT_SPECIAL)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped)


def _heading(text: str) -> str:
    """A heading on one line that shows its text literally (a final "#" would close the heading and vanish)."""
    escaped = markdown_text(" ".join(text.split()))
    return escaped[:-1] + "\\#" if escaped.endswith("#") else escaped


def _paragraph(text: str) -> str:
    # A backslash at the end of a line is CommonMark's hard line break.
    return "\\\n".join(markdown_text(line) for line in text.split("\n"))


def to_markdown(
    awards: Iterable[Award],
    columns: Sequence[str],
    lang: Lang = "fr",
    *,
    title: str | None = None,
) -> str:
    """One table; ``title`` becomes a "# title" heading above it."""
    parts = [f"# {_heading(title)}\n"] if title else []
    parts.append(markdown_table((row(award, columns, lang) for award in awards), header(columns, lang)))
    return "\n".join(parts)


def to_markdown_report(report: Report) -> str:
    """The report document: title, then per group its heading, short table and award sections."""
    hashes = "#" * report.section_level
    parts = [f"# {_heading(report.title)}\n"]
    for group in report.groups:
        if group.heading is not None:
            parts.append(f"## {_heading(group.heading)}\n")
        parts.append(markdown_table(group.rows, report.head))
        for section in group.sections:
            parts.append(f"{hashes} {_heading(section.title)}\n")
            parts.append(f"*{markdown_text(section.facts)}*\n")
            parts.extend(_paragraph(text) + "\n" for text in section.paragraphs)
    return "\n".join(parts)


def write(
    awards: Sequence[Award],
    columns: Sequence[str] | None,
    lang: Lang = "fr",
    *,
    group_by: str | None = None,
    title: str | None = None,
) -> str:
    """The registry's entry point: the table, or the report when grouped (see the module docstring)."""
    if group_by is None:
        return to_markdown(awards, columns or DEFAULT_COLUMNS, lang, title=title)
    from territoria_cli.formats.report import build_report, report_columns  # only reports pay for it

    report = build_report(awards, lang, columns=report_columns(columns), group_by=group_by, title=title)
    return to_markdown_report(report)


def write_tables(tables: Sequence[Table], lang: Lang = "fr") -> str:
    """``stats --format md``: each table under a "## title" heading, its note below it."""
    parts = []
    for table in tables:
        parts.append(f"## {_heading(table.title)}\n")
        parts.append(markdown_table(([str(cell) for cell in cells] for cells in table.rows), table.head))
        if table.note:
            parts.append(_paragraph(table.note) + "\n")
    return "\n".join(parts)
