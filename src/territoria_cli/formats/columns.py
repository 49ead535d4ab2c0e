"""The cells every format shares: which columns there are, and the text of each cell.

Cells are the same in every format (CSV, Markdown, piped rows, ``show``), in
the reader's language: level labels ("Or"/"Gold"), "oui"/"non" or
"yes"/"no", empty for a missing value. Two columns are worth knowing:

* ``laureates`` holds the JSON text of the list of bodies, so that a CSV
  export with every column imports back (``territoria import``) unchanged;
* ``kind``, ``department`` and ``region`` describe the bodies for readers:
  each distinct value once, in the order of the bodies, joined by " ; "
  (a joint dossier gives "Commune ; EPCI"). ``code`` and ``population``
  give one value per body, in the order of the bodies, joined the same way
  ("49007 ; 244900015"; empty for a body without one), the population as a
  plain integer. Import ignores these five.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from territoria_cli.errors import UsageError
from territoria_cli.i18n import _
from territoria_cli.model import AWARD_FIELDS, FIELD_LABELS, KIND_LABELS, LEVEL_LABELS, AwardFacts, Lang
from territoria_cli.text import quoted

DEFAULT_COLUMNS = ("id", "level", "category", "laureate", "title")
#: Columns the exports know: the award's fields, then facts about its bodies.
COLUMNS: tuple[str, ...] = AWARD_FIELDS + ("kind", "department", "region", "code", "population")
#: What joins the values of several bodies in one cell.
BODY_SEPARATOR = " ; "
#: How a true and a false value read in each language (CSV import reads them back).
YES_NO: dict[Lang, tuple[str, str]] = {"fr": ("oui", "non"), "en": ("yes", "no")}


#: What ``--columns`` takes for every column, in the order of :data:`COLUMNS`.
ALL_COLUMNS = "all"


def parse_columns(spec: str) -> tuple[str, ...]:
    """The columns of ``--columns id,title``: names of :data:`COLUMNS`, any case, in the order given; "all" for all."""
    names = [name.strip().lower() for name in spec.split(",") if name.strip()]
    if names == [ALL_COLUMNS]:
        return COLUMNS
    if not names:
        raise UsageError(
            _("no columns in {value}; choose among: {columns} (or {all})").format(
                value=quoted(spec), columns=", ".join(COLUMNS), all=ALL_COLUMNS
            )
        )
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise UsageError(
            _("unknown column(s) {names}; choose among: {columns} (or {all})").format(
                names=", ".join(map(quoted, unknown)), columns=", ".join(COLUMNS), all=ALL_COLUMNS
            )
        )
    return tuple(dict.fromkeys(names))


def cell_value(award: AwardFacts, column: str, lang: Lang = "fr") -> str:
    """The text of one cell (see the module docstring for the rules).

    Facts (:class:`territoria_cli.model.Facts`) give every column but the
    summary, its title, the budget and the excellence, which need the award.
    """
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
    if column in ("code", "population"):
        return _per_body([getattr(body, column) for body in award.laureates])
    if column not in AWARD_FIELDS:
        raise UsageError(
            _("unknown column(s) {names}; choose among: {columns} (or {all})").format(
                names=quoted(column), columns=", ".join(COLUMNS), all=ALL_COLUMNS
            )
        )
    value = getattr(award, column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    return str(value)


def row(award: AwardFacts, columns: Sequence[str], lang: Lang = "fr") -> list[str]:
    """The cells of one award, in the order of ``columns``."""
    return [cell_value(award, column, lang) for column in columns]


def _per_body(values: Sequence[object]) -> str:
    """One value per body, so that the n-th is the n-th body's; empty when no body has one."""
    if all(value is None for value in values):
        return ""
    return BODY_SEPARATOR.join("" if value is None else str(value) for value in values)


def _distinct(values: Iterable[str]) -> str:
    return BODY_SEPARATOR.join(dict.fromkeys(values))


def header(columns: Sequence[str], lang: Lang = "fr") -> list[str]:
    """The reader's labels of ``columns``: "Catégorie" in French, "Category" in English."""
    return [FIELD_LABELS[lang][column] for column in columns]
