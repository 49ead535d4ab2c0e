"""JSON: the award documents as stored, which ``territoria import`` reads back.

One layout for the store, ``--json`` and exports (:func:`territoria_cli.model.json_text`);
reading JSON is the store's own job (:func:`territoria_cli.store.read_import_file`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from territoria_cli.model import Award, Lang, json_text


def to_json(awards: Iterable[Award]) -> str:
    """The award documents as stored: what ``territoria import`` reads back."""
    return json_text([award.to_document() for award in awards])


def write(awards: Iterable[Award], columns: Sequence[str], lang: Lang = "fr") -> str:
    """The registry's entry point: whole documents, so columns and language do not apply."""
    return to_json(awards)
