"""The search behind ``territoria search`` and ``territoria similar``: French full text on a tantivy index.

Entry points (each opens, or builds, the store's index itself; callers never
handle an index):

* :func:`search_store` — the awards matching what the user typed, best first,
  with what to tell the user (corrections, "did you mean");
* :func:`similar_store` — the awards closest to one award, with the words they share;
* :func:`search_awards` — the same search over awards a Python user holds (an
  index built in memory, nothing cached).

A warm search reads only the index (kept in the user's cache folder, keyed to
the store's identity, see :mod:`.index`), never the store, unless a filter
must be checked against the store's names (``--category``, ``--region``,
``--sponsor``). The parts: :mod:`.analysis` (the one French analyzer, query
parsing), :mod:`.synonyms` (Solr-format synonym files), :mod:`.index` (the
schema, building and caching), :mod:`.engine` (query meaning, ranking,
corrections, snippets), :mod:`.similar` (more-like-this).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from territoria_cli.filters import NO_FILTERS, Filters, FilterValues, build_filters, read_filters
from territoria_cli.i18n import _
from territoria_cli.model import Award

if TYPE_CHECKING:
    from territoria_cli.catalogue import Catalogue, ProgressFactory
    from territoria_cli.search.engine import Found, Hit, QueryError, make_snippet
    from territoria_cli.search.similar import SimilarHit, SimilarResult
    from territoria_cli.search.synonyms import SynonymError, Synonyms

__all__ = [
    "Found",
    "Hit",
    "QueryError",
    "SimilarHit",
    "SimilarResult",
    "SynonymError",
    "make_snippet",
    "search_awards",
    "search_store",
    "similar_store",
]

#: Names re-exported from the modules that define them, loaded on first use (PEP 562): the command
#: line imports this package for ``SYNONYMS_ENV_VAR`` (its help) without loading the engine.
_EXPORTS = {
    "Found": "engine",
    "Hit": "engine",
    "QueryError": "engine",
    "SimilarHit": "similar",
    "SimilarResult": "similar",
    "make_snippet": "engine",
    "SynonymError": "synonyms",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'territoria_cli.search' has no attribute {name!r}")
    return getattr(importlib.import_module(f"territoria_cli.search.{module}"), name)


#: How many hits ``territoria search`` shows unless told otherwise (``--limit``, ``--all``): the best
#: ones, as a search engine's first page. The answer to a query is its best hits, so a search costs
#: what they cost, not what the store holds (a common word in 100,000 awards matches thousands).
DEFAULT_LIMIT = 20

#: Environment variable naming more synonym files (``os.pathsep``-separated), read by :mod:`.synonyms`.
SYNONYMS_ENV_VAR = "TERRITORIA_SYNONYMS"


def _synonyms(synonym_files: Sequence[Path], use_cache: bool) -> Synonyms:
    from territoria_cli.search import synonyms
    from territoria_cli.search.index import cache_root

    return synonyms.load(synonyms.synonym_files(synonym_files), cache_root() if use_cache else None)


def _filters(catalogue: Callable[[], Catalogue], filters: FilterValues | Filters) -> Filters:
    """The filters read; the store's names, when a filter needs them, come from the catalogue (not the awards)."""
    if isinstance(filters, Filters):
        return filters
    given = {name: value for name, value in filters.items() if value not in (None, (), [])}
    if not given:
        return NO_FILTERS
    return read_filters(lambda field: catalogue().names(field), **given)


def search_store(
    store: Path,
    terms: Sequence[str],
    filters: FilterValues | Filters = NO_FILTERS,
    *,
    limit: int | None = None,
    synonym_files: Sequence[Path] = (),
    use_cache: bool = True,
    progress: ProgressFactory | None = None,
) -> Found:
    """Search the store at ``store`` for ``terms`` as typed (words, "quoted phrases", ``OR``).

    ``filters`` is what the user typed for them (see
    :func:`territoria_cli.filters.build_filters`) or a :class:`Filters`;
    ``synonym_files`` adds the user's synonym files to the packaged one and
    ``$TERRITORIA_SYNONYMS``. Raises :class:`UsageError` (:class:`QueryError`,
    :class:`SynonymError`) for a query with nothing to search, a bad synonym
    file or a bad filter, before reading the store; and
    :class:`territoria_cli.errors.StoreError` for an unusable store.
    ``progress`` shows a rebuild of what the search derives from the store
    (the catalogue, the index) to the person waiting.
    """
    from territoria_cli.search import analysis
    from territoria_cli.search.engine import Engine, QueryError, run_search

    text = " ".join(terms)
    if not analysis.parse(text):
        raise QueryError(_("nothing to search for in {query}: give at least one word").format(query=_shown(text)))
    synonyms = _synonyms(synonym_files, use_cache)
    engine = Engine.for_store(store, synonyms, use_cache=use_cache, progress=progress)
    return run_search(engine, text, _filters(lambda: _catalogue(store, progress), filters), limit)


def search_awards(
    awards: Sequence[Award],
    terms: Sequence[str],
    filters: FilterValues | Filters = NO_FILTERS,
    *,
    limit: int | None = None,
    synonym_files: Sequence[Path] = (),
) -> Found:
    """:func:`search_store` over ``awards`` held in memory (indexed for this call only)."""
    from territoria_cli.search.engine import Engine, run_search
    from territoria_cli.search.index import build_in_memory

    if not isinstance(filters, Filters):
        filters = build_filters(awards, **filters)
    engine = Engine(build_in_memory(awards), _synonyms(synonym_files, use_cache=False))
    return run_search(engine, " ".join(terms), filters, limit)


def similar_store(
    store: Path,
    award_id: str,
    filters: FilterValues | Filters = NO_FILTERS,
    *,
    limit: int | None = 10,
    use_cache: bool = True,
    progress: ProgressFactory | None = None,
) -> SimilarResult:
    """The awards of the store closest to ``award_id`` (a unique beginning of an id is enough).

    Raises :class:`territoria_cli.errors.Failure` for an unknown or ambiguous id, as ``show`` does.
    """
    from territoria_cli.catalogue import Catalogue
    from territoria_cli.search.engine import Engine
    from territoria_cli.search.similar import run_similar

    catalogue = Catalogue.open(store, progress=progress)
    source = catalogue.find(award_id)
    filters = _filters(lambda: catalogue, filters)
    engine = Engine.for_store(
        store, _synonyms((), use_cache), use_cache=use_cache, catalogue=catalogue, progress=progress
    )
    return run_similar(engine, source.id, filters, limit)


def _catalogue(store: Path, progress: ProgressFactory | None) -> Catalogue:
    from territoria_cli.catalogue import Catalogue

    return Catalogue.open(store, progress=progress)


def _shown(text: str) -> str:
    from territoria_cli.text import quoted

    return quoted(text)
