"""The numbers of the last list or search a person saw, so that ``show 2`` means the second row.

A terminal ``list``, ``search`` or ``similar`` numbers its rows (the ``#``
column) and writes their ids, in order, to ``last-results.json`` in the
user's cache folder (:func:`territoria_cli.catalogue.user_cache_dir`:
``~/.cache/territoria`` on Linux, one per user, shared by all of that user's
terminals, as a shell's history file is). ``show``, ``similar`` and
``export --id`` read it back.
Piped output shows no numbers and remembers nothing: a script never changes
what ``show 2`` means for the person at the keyboard.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

FILE_NAME = "last-results.json"


def results_file() -> Path:
    """Where the last numbered rows are kept: the user's cache folder, beside the catalogue and the search index."""
    from territoria_cli.catalogue import user_cache_dir

    return user_cache_dir() / FILE_NAME


def remember(ids: Sequence[str]) -> None:
    """Keep the ids of the rows just shown, numbered from 1; an unwritable cache only loses the numbers."""
    try:
        path = results_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{FILE_NAME}.{os.getpid()}")
        partial.write_text(json.dumps({"ids": list(ids)}, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)  # atomic: another terminal never reads half a list
    except Exception:
        pass


def recall() -> list[str]:
    """The ids of the last numbered rows, first row first; empty when there are none (or they are unreadable)."""
    try:
        ids = json.loads(results_file().read_text(encoding="utf-8"))["ids"]
    except Exception:
        return []
    return [award_id for award_id in ids if isinstance(award_id, str)] if isinstance(ids, list) else []
