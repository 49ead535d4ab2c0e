"""JSON: the award documents as stored, which ``territoria import`` reads back, or the columns a script asks for.

Without ``--columns``, whole documents in the one layout of the store,
``--json`` and exports (:func:`territoria_cli.model.json_text`). With
``--columns``, one object per award holding those keys only, in that order,
with JSON values rather than the readers' labels: ``"level": "or"``,
``"year": 2017``, ``"excellence": true``, ``null`` when missing; the body
columns ``kind``, ``department`` and ``region`` are lists of distinct
values (a joint dossier has two bodies), ``code`` and ``population`` lists
of one value per body. Reading JSON is the store's job
(:func:`territoria_cli.store.read_import_file`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from territoria_cli.model import Award, Lang, json_text

#: The columns that describe the bodies, as lists (see the module docstring).
_BODY_COLUMNS = {
    "kind": lambda award: list(dict.fromkeys(body.kind for body in award.laureates)),
    "department": lambda award: list(dict.fromkeys(b.department for b in award.laureates if b.department is not None)),
    "region": lambda award: list(dict.fromkeys(body.region for body in award.laureates)),
    "code": lambda award: [body.code for body in award.laureates],
    "population": lambda award: [body.population for body in award.laureates],
}


def to_json(awards: Iterable[Award]) -> str:
    """The award documents as stored: what ``territoria import`` reads back."""
    return json_text([award.to_document() for award in awards])


def json_object(award: Award, columns: Sequence[str]) -> dict[str, Any]:
    """The keys ``columns`` of ``award``, with JSON values."""
    document = award.to_document()
    return {
        column: _BODY_COLUMNS[column](award) if column in _BODY_COLUMNS else document[column]
        for column in columns
    }


def write(awards: Iterable[Award], columns: Sequence[str] | None, lang: Lang = "fr") -> str:
    """The registry's entry point: whole documents, or the keys of ``columns``; labels' language does not apply."""
    if columns is None:
        return to_json(awards)
    return json_text([json_object(award, columns) for award in awards])
