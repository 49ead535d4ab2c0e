"""Markdown: a GitHub table of the awards, or a report with one section per category.

Hostile text is harmless: cells escape ``\\`` and ``|`` and turn line breaks
into ``<br>``, headings stay on one line, and nothing becomes HTML, an entity
or a code span, so a table keeps its shape whatever the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from territoria_cli.errors import UsageError
from territoria_cli.formats.columns import header, row
from territoria_cli.i18n import _
from territoria_cli.model import Award, Lang
from territoria_cli.text import quoted

#: What ``--group-by`` accepts.
GROUP_BY = ("category",)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # CommonMark's line endings
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
#: What would make text turn into HTML, a code span or an escape, anywhere in Markdown.
_INLINE_SPECIAL = {"\\": "\\\\", "`": "\\`", "<": "&lt;"}
#: In a table cell "|" would also end the cell.
_CELL_SPECIAL = str.maketrans({**_INLINE_SPECIAL, "|": "\\|"})
_HEADING_SPECIAL = str.maketrans(_INLINE_SPECIAL)


def _escaped(text: str, table: dict[int, str]) -> str:
    return _ENTITY_LIKE.sub("&amp;", text).translate(table)


def markdown_cell(text: str) -> str:
    """``text`` as one GitHub table cell that renders as the text itself.

    "|" would end the cell and a line break the row; a backslash is doubled so
    that it cannot escape what follows; "<", "&" before an entity name and "`"
    are escaped so that no text becomes HTML, an entity or a code span.
    """
    lines = [line.strip() for line in _LINE_BREAK.split(_escaped(text, _CELL_SPECIAL))]
    return "<br>".join(lines).strip()


def markdown_table(rows: Iterable[Sequence[str]], head: Sequence[str]) -> str:
    """A GitHub-flavoured Markdown table; cells are escaped here."""
    lines = [_markdown_row(head), "| " + " | ".join("---" for _ in head) + " |"]
    lines.extend(_markdown_row(cells) for cells in rows)
    return "\n".join(lines) + "\n"


def _markdown_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(markdown_cell(cell) for cell in cells) + " |"


def to_markdown(
    awards: Iterable[Award],
    columns: Sequence[str],
    lang: Lang = "fr",
    *,
    group_by: str | None = None,
    title: str | None = None,
) -> str:
    """One table, or with ``group_by="category"`` a report: a "## category" section and table per category.

    Categories come in the order of the awards given (the palmarès order for
    the store as it is). ``title`` becomes a "# title" heading. ``group_by``
    is read in any case.
    """
    grouping = group_by.lower() if group_by is not None else None
    if grouping is not None and grouping not in GROUP_BY:
        raise UsageError(_("cannot group by {value}; only by: {fields}").format(value=quoted(group_by or ""), fields=", ".join(GROUP_BY)))
    head = header(columns, lang)
    parts = [f"# {_heading(title)}\n"] if title else []
    if grouping is None:
        parts.append(markdown_table((row(award, columns, lang) for award in awards), head))
    else:
        groups: dict[str, list[Award]] = {}
        for award in awards:
            groups.setdefault(award.category, []).append(award)
        for category, members in groups.items():
            parts.append(f"## {_heading(category)}\n")
            parts.append(markdown_table((row(award, columns, lang) for award in members), head))
    return "\n".join(parts)


#: The registry's entry point (see :mod:`territoria_cli.formats`).
write = to_markdown


def _heading(text: str) -> str:
    """A heading on one line that shows its text literally (no closing "#", no HTML)."""
    escaped = _escaped(" ".join(text.split()), _HEADING_SPECIAL)
    return escaped[:-1] + "\\#" if escaped.endswith("#") else escaped
