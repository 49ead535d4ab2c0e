"""The search behind ``territoria search``: one call, :func:`search_store`, which owns its index.

Callers give a store, the terms as typed and the filters; they get the hits,
best first, and, when nothing matched, words that do occur ("did you mean").
How the store is indexed and where the index is cached is this package's
business: today's engine is :mod:`territoria_cli.search.substring`.

Library users may also call the engine on awards they hold::

    from territoria_cli.search import parse_query, search

    hits = search(awards, parse_query(["velo"]))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from territoria_cli.filters import NO_FILTERS, Filters, FilterValues, build_filters
from territoria_cli.search.substring import Hit, Query, SearchIndex, make_snippet, parse_query, search, suggest

__all__ = ["Found", "Hit", "Query", "SearchIndex", "make_snippet", "parse_query", "search", "search_store", "suggest"]


class Found:
    """What a search found: ``hits``, best first, and :meth:`suggestions` for when there are none."""

    def __init__(self, hits: list[Hit], suggestions: Callable[[], list[str]]) -> None:
        self.hits = hits
        self._suggestions = suggestions

    def suggestions(self) -> list[str]:
        """Words of the store close to the query's unknown words; computed only when asked (it costs)."""
        return self._suggestions()


def search_store(
    store: Path,
    terms: Sequence[str],
    filters: FilterValues | Filters = NO_FILTERS,
    *,
    limit: int | None = None,
) -> Found:
    """Search the store at ``store`` for ``terms`` as typed (words and "quoted phrases").

    ``filters`` is what the user typed for them (see
    :func:`territoria_cli.filters.build_filters`) or a :class:`Filters`.
    Raises :class:`territoria_cli.errors.UsageError` for a query without a word
    (before reading the store) or a bad filter, and
    :class:`territoria_cli.errors.StoreError` for an unusable store.
    """
    from territoria_cli.store import load_awards

    query = parse_query(terms)
    awards = load_awards(store)
    if not isinstance(filters, Filters):
        filters = build_filters(awards, **filters)
    index = SearchIndex.for_store(store, awards)
    hits = search(awards, query, filters, index=index)[:limit]
    return Found(hits, lambda: suggest(awards, query, index=index))
