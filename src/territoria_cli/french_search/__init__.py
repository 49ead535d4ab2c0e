"""French full-text search over the awards, on a tantivy index kept in the user's cache.

Entry points (each opens, or builds, the store's index itself):

* :func:`search_store` — the awards matching what the user typed, best first;
* :func:`similar_store` — the awards closest to one award.

Both read only the index when it is fresh: a warm search never loads the store.
See :mod:`.analysis` (French analysis), :mod:`.synonyms` (synonym files),
:mod:`.index` (the index and its cache) and :mod:`.engine` (queries, ranking).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from territoria_cli.french_search.engine import (
    Engine,
    Hit,
    QueryError,
    SearchResult,
    SimilarHit,
    SimilarResult,
    make_snippet,
    run_search,
    run_similar,
)
from territoria_cli.french_search.synonyms import SynonymError

__all__ = [
    "Hit",
    "QueryError",
    "SearchResult",
    "SimilarHit",
    "SimilarResult",
    "SynonymError",
    "make_snippet",
    "search_store",
    "similar_store",
]


def _engine(store: Path, synonym_files: Sequence[Path], use_cache: bool) -> Engine:
    from territoria_cli.french_search import synonyms
    from territoria_cli.french_search.index import cache_root

    try:
        folder = cache_root() if use_cache else None
    except Exception:  # noqa: BLE001 - platformdirs could not tell: no cache, as documented
        folder = None
    files = synonyms.synonym_files(synonym_files)
    return Engine.for_store(store, synonyms.load(files, folder), use_cache=use_cache)


def search_store(
    store: Path,
    terms: Sequence[str],
    *,
    filters: Any = None,
    limit: int | None = None,
    synonym_files: Sequence[Path] = (),
    use_cache: bool = True,
) -> SearchResult:
    """Search the store at ``store`` for ``terms`` (the words as typed, joined by spaces).

    ``filters`` is a resolved :class:`Filters` (or None); ``synonym_files`` adds
    the user's synonym files to the packaged ones and ``$TERRITORIA_SYNONYMS``.
    Raises :class:`QueryError` when the terms hold nothing to search for, and
    :class:`SynonymError` when a synonym file is unreadable or malformed.
    """
    return run_search(_engine(store, synonym_files, use_cache), " ".join(terms), filters, limit)


def similar_store(
    store: Path, award_id: str, *, filters: Any = None, limit: int | None = 10, use_cache: bool = True
) -> SimilarResult:
    """The awards of the store closest to the award ``award_id``; raises KeyError for an unknown id."""
    return run_similar(_engine(store, (), use_cache), award_id, filters, limit)
