"""Awards as text other tools read: CSV, Markdown, JSON and plain tab-separated rows.

Every function returns a ``str``; writing it (atomically) is the caller's job.
Cells are the same in every format (:func:`cell_value`), in the reader's
language: level labels ("Or"/"Gold"), "oui"/"non" or "yes"/"no", empty for a
missing value. Two columns are worth knowing:

* ``laureates`` holds the JSON text of the list of bodies, so that a CSV
  export with every column imports back (``territoria import``) unchanged;
* ``kind``, ``department`` and ``region`` describe the bodies for readers:
  each distinct value once, in the order of the bodies, joined by " ; "
  (a joint dossier gives "Commune ; EPCI"). Import ignores them.

Hostile text is harmless: CSV cells a spreadsheet would run as a formula are
neutralised by default (OWASP "CSV injection": a leading ``'`` before ``=``,
``+``, ``-``, ``@``, tab or carriage return; import removes it again), and
Markdown cells escape ``\\`` and ``|`` and turn line breaks into ``<br>``, so a
table keeps its shape whatever the text.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence

from territoria_cli.model import AWARD_FIELDS, FIELD_LABELS, KIND_LABELS, LEVEL_LABELS, Award, Lang, json_text
from territoria_cli.search import UsageError
from territoria_cli.text import quoted

EXPORT_FORMATS = ("csv", "md", "json")
DEFAULT_COLUMNS = ("id", "level", "category", "laureate", "title")
#: Columns the exports know: the award's fields, then facts about its bodies.
COLUMNS: tuple[str, ...] = AWARD_FIELDS + ("kind", "department", "region")
#: What joins the values of several bodies in one cell.
BODY_SEPARATOR = " ; "
#: Cell starts that make a spreadsheet evaluate the cell (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_YES_NO: dict[Lang, tuple[str, str]] = {"fr": ("oui", "non"), "en": ("yes", "no")}


def parse_columns(spec: str) -> tuple[str, ...]:
    """The columns of ``--columns id,title``: names of :data:`COLUMNS`, any case, in the order given."""
    names = [name.strip().lower() for name in spec.split(",") if name.strip()]
    if not names:
        raise UsageError(f"no columns in {quoted(spec)}; choose among: {', '.join(COLUMNS)}")
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise UsageError(f"unknown column(s) {', '.join(map(repr, unknown))}; choose among: {', '.join(COLUMNS)}")
    return tuple(dict.fromkeys(names))


def cell_value(award: Award, column: str, lang: Lang = "fr") -> str:
    """The text of one cell (see the module docstring for the rules)."""
    if column == "level":
        return LEVEL_LABELS[lang][award.level]
    if column == "laureates":
        return json.dumps([body.to_document() for body in award.laureates], ensure_ascii=False)
    if column == "kind":
        return _distinct(KIND_LABELS[lang][body.kind] for body in award.laureates)
    if column == "department":
        return _distinct(body.department for body in award.laureates if body.department is not None)
    if column == "region":
        return _distinct(body.region for body in award.laureates)
    if column not in AWARD_FIELDS:
        raise UsageError(f"unknown column {column!r}; choose among: {', '.join(COLUMNS)}")
    value = getattr(award, column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _YES_NO[lang][0 if value else 1]
    return str(value)


def row(award: Award, columns: Sequence[str], lang: Lang = "fr") -> list[str]:
    """The cells of one award, in the order of ``columns``."""
    return [cell_value(award, column, lang) for column in columns]


def _distinct(values: Iterable[str]) -> str:
    return BODY_SEPARATOR.join(dict.fromkeys(values))


def header(columns: Sequence[str], lang: Lang = "fr") -> list[str]:
    """The reader's labels of ``columns``: "Catégorie" in French, "Category" in English."""
    return [FIELD_LABELS[lang][column] for column in columns]


# --------------------------------------------------------------------------- CSV


def neutralise_formula(cell: str) -> str:
    """``'=1+1`` for ``=1+1``: the spreadsheet shows the text instead of running it."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def to_csv(
    awards: Iterable[Award],
    columns: Sequence[str],
    lang: Lang = "fr",
    *,
    excel: bool = False,
    neutralise_formulas: bool = True,
) -> str:
    """RFC 4180 CSV (CRLF line ends, quotes where needed) with a header of labels.

    ``excel=True`` writes what Excel opens right in French locales: a UTF-8
    byte order mark (else it guesses a legacy encoding) and ";" between cells
    (the list separator where "," is the decimal mark). Write the result with
    ``newline=""`` so the CRLFs stay as they are.
    """
    import csv  # only CSV exports pay for it, not every start-up

    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(header(columns, lang))
    for award in awards:
        cells = row(award, columns, lang)
        writer.writerow([neutralise_formula(cell) for cell in cells] if neutralise_formulas else cells)
    return buffer.getvalue()


# --------------------------------------------------------------------------- Markdown

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
    lines.extend(_markdown_row(row) for row in rows)
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
    the store as it is). ``title`` becomes a "# title" heading.
    """
    if group_by not in (None, "category"):
        raise UsageError(f"cannot group by {quoted(group_by)}; only by: category")
    head = header(columns, lang)
    parts = [f"# {_heading(title)}\n"] if title else []
    if group_by is None:
        parts.append(markdown_table((row(award, columns, lang) for award in awards), head))
    else:
        groups: dict[str, list[Award]] = {}
        for award in awards:
            groups.setdefault(award.category, []).append(award)
        for category, members in groups.items():
            parts.append(f"## {_heading(category)}\n")
            parts.append(markdown_table((row(award, columns, lang) for award in members), head))
    return "\n".join(parts)


def _heading(text: str) -> str:
    """A heading on one line that shows its text literally (no closing "#", no HTML)."""
    escaped = _escaped(" ".join(text.split()), _HEADING_SPECIAL)
    return escaped[:-1] + "\\#" if escaped.endswith("#") else escaped


# --------------------------------------------------------------------------- JSON and plain rows


def to_json(awards: Iterable[Award]) -> str:
    """The award documents as stored: what ``territoria import`` reads back."""
    return json_text([award.to_document() for award in awards])


_PLAIN_SPACE = re.compile(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def plain_rows(rows: Iterable[Sequence[str]]) -> str:
    """Tab-separated lines for pipes (``cut -f``, ``sort``); tabs and line breaks in cells become spaces."""
    return "".join("\t".join(_PLAIN_SPACE.sub(" ", cell) for cell in row) + "\n" for row in rows)
