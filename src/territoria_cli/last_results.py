"""The numbers of the last list or search a person saw, so that ``show 2`` means the second row.

A terminal ``list``, ``search`` or ``similar`` numbers its rows (the ``#``
column) and writes their ids, in order, to ``last-results.json`` in the
user's cache folder (:func:`territoria_cli.catalogue.cache_path`:
``~/.cache/territoria`` on Linux, one per user, shared by all of that user's
terminals, as a shell's history file is). ``show``, ``similar`` and
``export --id`` read it back.
Piped output shows no numbers and remembers nothing: a script never changes
what ``show 2`` means for the person at the keyboard.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

FILE_NAME = "last-results.json"


def results_file() -> Path | None:
    """Where the last numbered rows are kept: the user's cache folder, beside the catalogue and the search index;
    None when there is no cache folder."""
    from territoria_cli.catalogue import cache_path

    return cache_path(FILE_NAME)


def remember(ids: Sequence[str]) -> None:
    """Keep the ids of the rows just shown, numbered from 1; an unwritable cache only loses the numbers.

    Replaced whole (another terminal never reads half a list), not synced to
    the disk: a power cut loses only the numbers, and a terminal list stays quick.
    """
    from territoria_cli.files import atomic_write_bytes

    path = results_file()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, json.dumps({"ids": list(ids)}, ensure_ascii=False).encode("utf-8"), durable=False)
    except Exception:  # an OutputError or an OSError: the command has done its work, only the numbers are lost
        pass


def recall() -> list[str]:
    """The ids of the last numbered rows, first row first; empty when there are none (or they are unreadable)."""
    path = results_file()
    if path is None:
        return []
    try:
        ids = json.loads(path.read_text(encoding="utf-8"))["ids"]
    except Exception:
        return []
    return [award_id for award_id in ids if isinstance(award_id, str)] if isinstance(ids, list) else []
