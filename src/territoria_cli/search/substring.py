"""Today's search engine: folded words, substring matching, ranking, snippets and suggestions.

Everything here compares *folded* text (see :mod:`territoria_cli.text`), so
that accents and case never matter to the user. Callers use
:func:`territoria_cli.search.search_store`, which owns the index; this module
is the engine behind it.

Search semantics
----------------
* A query is a list of clauses, all of which must match (AND). A clause is a
  term (one word) or a phrase (consecutive words). Each item of ``terms`` is a
  term; an item containing spaces (the shell kept a quoted phrase together) or
  text between double quotes is a phrase; an unbalanced quote runs to the end.
  A term made of several words once folded (``récup'vélos``, ``saint-sulpice``)
  is a phrase of those words.
* A term matches a whole word or the beginning of a word: ``velo`` matches
  "vélo" and "Récup'vélos" but not "développement". In a phrase every word but
  the last must be whole, the last may be a beginning ("moustique tig").
* Searched fields and their weights: title 16, summary title 8, laureate (the
  award's laureate and its bodies' names) 4, category 2, summary 1. The score
  adds, for each clause, the weights of the fields it occurs in; the weights
  are powers of two, so a title hit always outranks any hits elsewhere. The
  number of occurrences n then adds n / (n + 1) (less than one field weight)
  to order otherwise equal hits. Ties go to the higher level, then the id.
* Any string is a valid query: words are the runs of Unicode word characters
  of the folded text, everything else separates them, nothing is ever read as
  a regular expression. A query without any word raises :class:`UsageError`.

Speed
-----
Each award's text is folded and reduced to its words *once*, into a
:class:`SearchIndex`: per award one string of the five fields, each written as
" word word word" and separated by newlines. A term then matches where
``" " + term`` occurs, and a phrase where ``" w1 w2 … wn"`` does, which Python
tests with fast substring search; no regular expression runs over the store.

Folding a 10,000-award store costs about 0.45 s, so
:func:`territoria_cli.search.search_store` gets its index from
:meth:`SearchIndex.for_store`.
``for_store`` keeps the index (a marshal dump of plain lists of strings: it
loads in a few milliseconds and, unlike pickle, needs no import) in
``platformdirs.user_cache_dir("territoria")``, never beside the store, which
may be read-only or inside the installed package. The cache file is keyed by
the store's resolved path and checked against its size and mtime_ns and the
awards' ids; any difference rebuilds it. An unwritable or damaged cache is
ignored silently. Small stores (fewer than :data:`CACHE_MIN_AWARDS` awards) are
indexed in memory: building is then cheaper than importing platformdirs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from territoria_cli.errors import UsageError
from territoria_cli.filters import NO_FILTERS, Filters, level_rank
from territoria_cli.i18n import _
from territoria_cli.model import Award
from territoria_cli.text import fold, fold_with_offsets, folded_length, quoted

# --------------------------------------------------------------------------- queries

#: Searched fields, from the most telling to the least, with their weights.
SEARCH_FIELDS: tuple[str, ...] = ("title", "summary_title", "laureate", "category", "summary")
FIELD_WEIGHTS: dict[str, int] = {"title": 16, "summary_title": 8, "laureate": 4, "category": 2, "summary": 1}

_WORD = re.compile(r"\w+")


class Query(NamedTuple):
    """A parsed search: every clause must match; a clause is a tuple of folded words.

    A one-word clause is a term, a longer one a phrase.
    """

    clauses: tuple[tuple[str, ...], ...]

    def __str__(self) -> str:
        return " ".join(clause[0] if len(clause) == 1 else '"' + " ".join(clause) + '"' for clause in self.clauses)


def parse_query(terms: Sequence[str]) -> Query:
    """Read the search terms; see the module docstring for the rules.

    Raises :class:`UsageError` when no term holds a word (``territoria search
    "*"``): an empty search is a mistake, not a request for everything.
    """
    clauses: list[tuple[str, ...]] = []
    for term in terms:
        folded = fold(term)  # typographic quotes (« », “ ”) fold to '"'
        pieces = folded.split('"')
        for position, piece in enumerate(pieces):
            in_quotes = position % 2 == 1
            if in_quotes or (len(pieces) == 1 and len(piece.split()) > 1):
                clauses.append(tuple(_WORD.findall(piece)))
            else:
                clauses.extend(tuple(_WORD.findall(word)) for word in piece.split())
    unique = tuple(dict.fromkeys(clause for clause in clauses if clause))
    if not unique:
        shown = " ".join(terms)
        raise UsageError(_("nothing to search for in {query}: give at least one word").format(query=quoted(shown)))
    return Query(unique)


# --------------------------------------------------------------------------- index

#: Below this many awards, :meth:`SearchIndex.for_store` indexes in memory.
#: Measured: building takes 2 ms for the 38 awards, 14 ms for 300, while using
#: the cache costs about 5 ms (importing platformdirs and hashlib, reading).
CACHE_MIN_AWARDS = 150
# Bump when the layout of the index changes, so that old cache files are rebuilt.
_INDEX_FORMAT = 2
_FIELD_SEPARATOR = "\n"


class _WordsTable(dict[int, str]):
    """A ``str.translate`` table folding each character and blanking non-word ones.

    It gives the words ``_WORD.findall(fold(text))`` would (a word character
    is what ``\\w`` matches: alphanumeric or "_"), in one pass instead of two:
    indexing 10,000 awards takes 0.45 s instead of 0.65 s.
    """

    def __missing__(self, codepoint: int) -> str:
        words = "".join(char if char.isalnum() or char == "_" else " " for char in fold(chr(codepoint)))
        self[codepoint] = words
        return words


_WORDS_TABLE = _WordsTable()


def _field_words(text: str) -> str:
    """A field as the index holds it: " w1 w2 …", its folded words after one space each."""
    return " " + " ".join(text.translate(_WORDS_TABLE).split())


def _laureate_text(award: Award) -> str:
    names = dict.fromkeys((award.laureate, *(body.name for body in award.laureates)))
    return "\n".join(names)


def _field_texts(award: Award) -> tuple[str, str, str, str, str]:
    """The original text of each of :data:`SEARCH_FIELDS`, in that order."""
    return (award.title, award.summary_title, _laureate_text(award), award.category, award.summary)


def _document(award: Award) -> str:
    return _FIELD_SEPARATOR.join(_field_words(text) for text in _field_texts(award))


class SearchIndex:
    """The folded words of each award, computed once and reusable across queries.

    ``documents[i]`` belongs to the award whose id is ``ids[i]``.
    """

    def __init__(self, ids: list[str], documents: list[str], vocabulary: list[str] | None = None) -> None:
        self.ids = ids
        self.documents = documents
        self._vocabulary = vocabulary
        #: Where to save the index again once its vocabulary is known (a cached index).
        self._cache: tuple[Path, tuple] | None = None

    @classmethod
    def build(cls, awards: Sequence[Award]) -> SearchIndex:
        return cls([award.id for award in awards], [_document(award) for award in awards])

    @classmethod
    def for_store(cls, path: Path, awards: Sequence[Award], *, min_cached: int = CACHE_MIN_AWARDS) -> SearchIndex:
        """The index of the store at ``path`` holding ``awards``, from the user cache if fresh.

        Call it right after :func:`territoria_cli.store.load_awards` on the
        same path. Never fails because of the cache: without a usable cache
        folder the index is built in memory.
        """
        if len(awards) < min_cached:
            return cls.build(awards)
        try:
            resolved = path.resolve()
            status = resolved.stat()
        except OSError:
            return cls.build(awards)
        key = (_INDEX_FORMAT, str(resolved), status.st_size, status.st_mtime_ns)
        cache_file = _cache_file(resolved)
        if cache_file is None:
            return cls.build(awards)
        index = _read_cache(cache_file, key, awards)
        if index is None:
            index = cls.build(awards)
            _write_cache(cache_file, key, index)
        index._cache = (cache_file, key)
        return index

    def documents_for(self, awards: Sequence[Award]) -> list[str]:
        """The documents of ``awards``, in their order (folding any award the index lacks)."""
        if len(awards) == len(self.ids) and all(a.id == i for a, i in zip(awards, self.ids, strict=True)):
            return self.documents
        position = {award_id: number for number, award_id in enumerate(self.ids)}
        return [
            self.documents[position[award.id]] if award.id in position else _document(award) for award in awards
        ]

    @property
    def vocabulary(self) -> list[str]:
        """Every distinct folded word of the store, sorted (for suggestions).

        Computed on first use (0.16 s on 10,000 awards), only by a search that
        found nothing, then saved with the cached index; the first search after
        the store changed, which builds the index, does not pay for it.
        """
        if self._vocabulary is None:
            self._vocabulary = sorted(set(" ".join(self.documents).split()))
            if self._cache is not None:
                _write_cache(*self._cache, self)
        return self._vocabulary


def index_cache_dir() -> Path:
    """Where search indexes are cached: the user's cache folder, per OS conventions."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("territoria"))


def _cache_file(store: Path) -> Path | None:
    import hashlib

    try:
        folder = index_cache_dir()
    except Exception:  # platformdirs could not tell: no cache, as documented
        return None
    digest = hashlib.sha256(os.fsencode(store)).hexdigest()[:32]
    return folder / f"search-index-{digest}.marshal"


def _read_cache(cache_file: Path, key: tuple, awards: Sequence[Award]) -> SearchIndex | None:
    import marshal

    try:
        content = marshal.loads(cache_file.read_bytes())
        stored_key, ids, documents, vocabulary = content
    except Exception:  # absent, unreadable, truncated or from another version: rebuild
        return None
    if tuple(stored_key) != key or not all(isinstance(part, list) for part in (ids, documents)):
        return None
    if vocabulary is not None and not isinstance(vocabulary, list):
        return None
    if len(ids) != len(awards) or len(documents) != len(ids) or any(a.id != i for a, i in zip(awards, ids, strict=True)):
        return None
    return SearchIndex(ids, documents, vocabulary)


def _write_cache(cache_file: Path, key: tuple, index: SearchIndex) -> None:
    """Write the cache atomically, so a concurrent reader never sees half of it."""
    import marshal

    from territoria_cli.errors import OutputError
    from territoria_cli.files import atomic_write_bytes

    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(cache_file, marshal.dumps((list(key), index.ids, index.documents, index._vocabulary)))
    except (OSError, OutputError):
        pass  # an unwritable cache only costs speed


# --------------------------------------------------------------------------- search

SNIPPET_LENGTH = 180
_SNIPPET_LEAD = 60
_ELLIPSIS = "…"


def _needle(clause: tuple[str, ...]) -> str:
    return " " + " ".join(clause)


class Hit(NamedTuple):
    """One award found, with what to show for it.

    ``snippet`` is an excerpt of the summary split into segments, True marking
    text to highlight. It is computed when read, so a search with thousands
    of hits costs nothing for the snippets nobody displays.

    Filters, Query and Hit are NamedTuples, like the model's records: frozen
    dataclasses cost about a millisecond each to define, at every start-up.
    """

    award: Award
    score: float
    matched_fields: tuple[str, ...]
    query: Query

    @property
    def snippet(self) -> tuple[tuple[str, bool], ...]:
        return make_snippet(self.award.summary, self.query)


def search(
    awards: Sequence[Award],
    query: Query,
    filters: Filters = NO_FILTERS,
    *,
    index: SearchIndex | None = None,
) -> list[Hit]:
    """The awards matching every clause of ``query`` and the filters, best first."""
    if index is None:
        index = SearchIndex.build(awards)
    documents = index.documents_for(awards)
    candidates: Sequence[int] = range(len(awards))
    if filters.active:
        candidates = [number for number in candidates if filters.matches(awards[number])]
    needles = [_needle(clause) for clause in query.clauses]
    for needle in needles:
        candidates = [number for number in candidates if needle in documents[number]]
        if not candidates:
            return []
    hits = [_hit(awards[number], documents[number], needles, query) for number in candidates]
    hits.sort(key=lambda hit: (-hit.score, level_rank(hit.award), hit.award.id))
    return hits


def _hit(award: Award, document: str, needles: list[str], query: Query) -> Hit:
    field_texts = document.split(_FIELD_SEPARATOR)
    score = 0.0
    occurrences = 0
    matched: set[str] = set()
    for needle in needles:
        for name, text in zip(SEARCH_FIELDS, field_texts, strict=True):
            count = text.count(needle)
            if count:
                score += FIELD_WEIGHTS[name]
                occurrences += count
                matched.add(name)
    score += occurrences / (occurrences + 1)
    return Hit(award, score, tuple(name for name in SEARCH_FIELDS if name in matched), query)


@lru_cache(maxsize=8)
def _highlight_pattern(query: Query) -> re.Pattern[str]:
    """Where the clauses occur in folded (not word-reduced) text, whole words included."""
    alternatives = []
    for clause in sorted(query.clauses, key=lambda words: -sum(map(len, words))):
        whole = [re.escape(word) + r"(?!\w)" for word in clause[:-1]]
        alternatives.append(r"(?<!\w)" + r"\W+".join([*whole, re.escape(clause[-1]) + r"\w*"]))
    return re.compile("|".join(alternatives))


def make_snippet(text: str, query: Query, length: int = SNIPPET_LENGTH) -> tuple[tuple[str, bool], ...]:
    """An excerpt of ``text`` around the first match, with every match marked.

    The excerpt starts a little before the first match (or at the start of the
    text when the query matched other fields), is cut at spaces with "…", and
    keeps the original spelling: matching happens on the folded text, then
    positions are mapped back.
    """
    folded, offsets = fold_with_offsets(text)
    matches = _highlight_pattern(query).finditer(folded)
    first_match = next(matches, None)
    first = _original_span(first_match, offsets, text) if first_match else (0, 0)
    window_start = max(0, min(first[0] - _SNIPPET_LEAD, len(text) - length))
    window_end = min(len(text), window_start + length)
    if window_start > 0:
        space = text.find(" ", window_start, first[0])
        window_start = space + 1 if space >= 0 else window_start
    if window_end < len(text):
        space = text.rfind(" ", first[1], window_end)
        window_end = space if space > window_start else window_end
    spans = [first] if first_match else []
    for match in matches:  # only those in the excerpt: a common word may occur a hundred times
        if offsets[match.start()] >= window_end:
            break
        spans.append(_original_span(match, offsets, text))
    segments: list[tuple[str, bool]] = []
    if window_start > 0:
        segments.append((_ELLIPSIS, False))
    cursor = window_start
    for start, end in spans:
        start, end = max(start, cursor), min(end, window_end)
        if start >= end:
            continue
        segments.append((text[cursor:start], False))
        segments.append((text[start:end], True))
        cursor = end
    segments.append((text[cursor:window_end], False))
    if window_end < len(text):
        segments.append((_ELLIPSIS, False))
    return _tidy(segments)


def _original_span(match: re.Match[str], offsets: Sequence[int], text: str) -> tuple[int, int]:
    """Where a match in the folded text lies in the original, trailing combining accents included."""
    start, end = offsets[match.start()], offsets[match.end() - 1] + 1
    while end < len(text) and not folded_length(text[end]):
        end += 1
    return start, end


def _tidy(segments: list[tuple[str, bool]]) -> tuple[tuple[str, bool], ...]:
    """One line of text: whitespace runs become one space; empty segments go, neighbours merge."""
    tidy: list[tuple[str, bool]] = []
    for text, highlighted in segments:
        text = re.sub(r"\s+", " ", text)
        if not text:
            continue
        if tidy and tidy[-1][1] == highlighted:
            text = tidy.pop()[0] + text
        tidy.append((text, highlighted))
    return tuple(tidy)


# --------------------------------------------------------------------------- suggestions

_SUGGESTABLE_LENGTH = 40  # longer "words" are pasted noise, not typos
_CORRECTED_WORDS = 10  # difflib takes milliseconds per word: a pasted page must not take minutes


def suggest(awards: Sequence[Award], query: Query, limit: int = 5, *, index: SearchIndex | None = None) -> list[str]:
    """Words close to the query's words that occur nowhere ("did you mean …").

    Only query words that begin no word of the store are corrected; the
    suggestions are spelt as in the data (accents included), so they read well
    and, folded, search exactly. Pass the search's ``index`` on big stores.
    """
    import difflib

    if index is None:
        index = SearchIndex.build(awards)
    vocabulary = index.vocabulary
    unknown = [
        word
        for word in dict.fromkeys(word for clause in query.clauses for word in clause)
        if len(word) <= _SUGGESTABLE_LENGTH and not _begins_a_word(vocabulary, word)
    ]
    suggestions: list[str] = []
    for word in unknown[:_CORRECTED_WORDS]:
        for close in difflib.get_close_matches(word, vocabulary, n=limit, cutoff=0.7):
            if close not in suggestions:
                suggestions.append(close)
    return [_spelling_in_data(word, awards, index) for word in suggestions[:limit]]


def _begins_a_word(vocabulary: list[str], word: str) -> bool:
    from bisect import bisect_left  # suggestions only: a search that finds something never needs it

    position = bisect_left(vocabulary, word)
    return position < len(vocabulary) and vocabulary[position].startswith(word)


def _spelling_in_data(word: str, awards: Sequence[Award], index: SearchIndex) -> str:
    """``word`` (folded) as first written in the awards: "velos" becomes "vélos"."""
    documents = index.documents_for(awards)
    in_document = re.compile(" " + re.escape(word) + r"(?=[ \n]|$)")
    whole_word = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
    for award, document in zip(awards, documents, strict=True):
        if " " + word not in document or not in_document.search(document):
            continue
        for text in _field_texts(award):
            folded, offsets = fold_with_offsets(text)
            match = whole_word.search(folded)
            if match:
                start, end = _original_span(match, offsets, text)
                return text[start:end]
    return word

