"""Searching the index: what a query means, how hits are ranked, corrections and snippets.

A query is read into *concepts* (:func:`_concepts`): one per word the user
typed, one per quoted phrase, one per synonym entry of several words
("personnes âgées"), words joined by ``OR`` sharing one. Each concept has
*variants*, the terms that satisfy it, each with a weight:

======================================  ======
the word's stem (and its plural twin)     1.0
a correction of a word in no award        1.0
a synonym (:mod:`.synonyms`)              0.4
a derived form of the same root           0.5
======================================  ======

An award's score is tantivy's BM25 of every variant in every field, times the
field's weight (:data:`.index.FIELD_WEIGHTS`) and the variant's weight. Awards
are ranked by how many of the query's words they match (all words first), then
by score, then by level and id (a stable order for equal scores).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from territoria_cli.errors import UsageError
from territoria_cli.i18n import _
from territoria_cli.model import Award
from territoria_cli.search import analysis
from territoria_cli.search.analysis import Clause, Word
from territoria_cli.search.index import FIELD_WEIGHTS, FILTER_FIELDS, SEARCHED_FIELDS, Indexed, decode_award, open_index
from territoria_cli.search.synonyms import Synonyms

if TYPE_CHECKING:
    import tantivy

    from territoria_cli.catalogue import Catalogue, ProgressFactory
    from territoria_cli.filters import Filters

SYNONYM_WEIGHT = 0.4
#: Weight of the bonus for finding loose query words next to each other, as typed.
PROXIMITY_WEIGHT = 2.0
#: How many other words may come between them for that bonus.
PROXIMITY_SLOP = 3
DERIVED_WEIGHT = 0.5
#: Corrections proposed per unknown word (the closest, most frequent first).
CORRECTIONS_PER_WORD = 3
#: Shortest typed word that may be completed to longer words of the awards ("lycé" → "lycées").
MIN_PREFIX_LENGTH = 3
#: Longest word that is worth correcting: longer ones are pasted noise.
MAX_CORRECTED_LENGTH = 30
SNIPPET_LENGTH = 180
_SNIPPET_LEAD = 60
_ELLIPSIS = "…"


class QueryError(UsageError):
    """The query holds nothing to search for; the message says why."""


class Variant(NamedTuple):
    """Terms that satisfy a concept (several terms: a phrase, in order) and the weight of a match."""

    terms: tuple[str, ...]
    weight: float
    offsets: tuple[int, ...] = ()


class Concept(NamedTuple):
    """What must be found for one unit of the query, and how many typed words it stands for.

    ``fallback``: for a synonym entry of several words found in the query, the
    concepts of its words one by one, searched instead when the entry (and its
    synonyms) occur in no award ("vélo en libre-service" then finds "vélo").
    """

    label: str
    words: int
    variants: tuple[Variant, ...]
    fallback: tuple[Concept, ...] = ()


class Hit(NamedTuple):
    """One award found: its score, which query words it matched, and what to highlight."""

    award: Award
    score: float
    matched: tuple[str, ...]
    matched_words: int
    total_words: int
    highlight: frozenset[str]
    #: The terms the user typed (or their corrections): the excerpt starts near the first of them.
    anchors: frozenset[str]

    @property
    def snippet(self) -> tuple[tuple[str, bool], ...]:
        """An excerpt of the summary around the first word typed, every matched word (synonyms too) marked True."""
        return make_snippet(self.award.summary, self.highlight, self.anchors)


class Found(NamedTuple):
    """The hits, best first, and what the user should be told about the query."""

    hits: list[Hit]
    #: The concepts searched, as labels ("reboisement", "personnes âgées").
    searched: tuple[str, ...]
    #: Words in no award, and the words of the awards searched instead ("reboisemnt" → ("reboisement",)).
    corrections: dict[str, tuple[str, ...]]
    #: "Did you mean" words, when nothing was found.
    suggestions: tuple[str, ...]
    #: How many awards matched at least one concept (before ``limit``).
    total: int


# ---------------------------------------------------------------- the searcher


class Engine:
    """An open index and what queries need from it (vocabulary look-ups are cached per process)."""

    def __init__(self, indexed: Indexed, synonyms: Synonyms) -> None:
        import tantivy

        self._tantivy = tantivy
        self.index = indexed.handle
        self.tie_ranks = indexed.tie_ranks
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.synonyms = synonyms

    @classmethod
    def for_store(
        cls,
        store: Path,
        synonyms: Synonyms,
        *,
        use_cache: bool = True,
        catalogue: Catalogue | None = None,
        progress: ProgressFactory | None = None,
    ) -> Engine:
        """The engine over the store's index; ``catalogue`` (if the caller opened it) spares opening it again."""

        def open_catalogue() -> Catalogue:
            from territoria_cli.catalogue import Catalogue

            return catalogue if catalogue is not None else Catalogue.open(store, progress=progress)

        return cls(open_index(store, open_catalogue, use_cache=use_cache, progress=progress), synonyms)

    # ------------------------------------------------------------ vocabulary

    def stem_frequency(self, stem: str) -> int:
        """In how many awards the stem occurs (at most: an award may have it in several fields)."""
        return max(self.searcher.doc_freq(field, stem) for field in SEARCHED_FIELDS)

    def stems_with_prefix(self, prefix: str) -> list[str]:
        found = (term for field in SEARCHED_FIELDS for term, _ in self.searcher.terms_with_prefix(field, prefix))
        return list(dict.fromkeys(found))

    def words_with_prefix(self, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
        return list(self.searcher.terms_with_prefix("words", prefix, limit=limit))

    @cached_property
    def vocabulary(self) -> list[tuple[str, int]]:
        """Every folded word of the awards with its document frequency (for typos only)."""
        return self.words_with_prefix("")

    # ------------------------------------------------------------ queries

    def _term(self, field: str, variant: Variant) -> tantivy.Query:
        query_type = self._tantivy.Query
        if len(variant.terms) == 1:
            return query_type.term_query(self.schema, field, variant.terms[0])
        words: list[str | tuple[int, str]] = (
            list(zip(variant.offsets, variant.terms, strict=True)) if variant.offsets else list(variant.terms)
        )
        return query_type.phrase_query(self.schema, field, words)

    def concept_query(self, concept: Concept, fields: Sequence[str] = SEARCHED_FIELDS) -> tantivy.Query:
        query_type = self._tantivy.Query
        should = self._tantivy.Occur.Should
        parts = [
            (should, query_type.boost_query(self._term(field, variant), FIELD_WEIGHTS[field] * variant.weight))
            for variant in concept.variants
            for field in fields
        ]
        return query_type.boolean_query(parts)

    def matches(self, query: tantivy.Query, restriction: tantivy.Query | None) -> dict[tuple[int, int], float]:
        """Every award ``query`` matches (within ``restriction``), with its score, keyed by address."""
        if restriction is not None:
            occur = self._tantivy.Occur
            query = self._tantivy.Query.boolean_query([(occur.Must, query), (occur.Must, restriction)])
        limit = max(1, self.searcher.num_docs)
        result = self.searcher.search(query, limit, count=False)
        return {(address.segment_ord, address.doc): score for score, address in result.hits}

    def award(self, address: tuple[int, int]) -> Award:
        stored = self.searcher.doc(self._tantivy.DocAddress(*address)).get_first("document")
        assert isinstance(stored, bytes), "every indexed award stores its document"
        return decode_award(stored)

    def awards(self, addresses: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Award]:
        """The awards at ``addresses``, read in index order: neighbours share a compressed block (twice as fast)."""
        return {address: self.award(address) for address in sorted(addresses)}

    def order_of(self, addresses: Sequence[tuple[int, int]]) -> dict[tuple[int, int], int]:
        """The tie order (level, then id) of each address: its stored position's rank."""
        doc_address = self._tantivy.DocAddress
        positions = self.searcher.fast_field_values("position", [doc_address(*address) for address in addresses])
        ranks = self.tie_ranks
        return {address: ranks[int(position or 0)] for address, position in zip(addresses, positions, strict=True)}

    def address_of(self, award_id: str) -> tuple[int, int] | None:
        query = self._tantivy.Query.term_query(self.schema, "id", award_id)
        hits = self.searcher.search(query, 1, count=False).hits
        return (hits[0][1].segment_ord, hits[0][1].doc) if hits else None

    def filter_query(self, filters: Filters | None) -> tantivy.Query | None:
        """The filters (values already read) as one query on the index's filter fields; None when there are none.

        Filters with a field in the index (:data:`.index.FILTER_FIELDS`) are
        answered there; a filter added to :data:`territoria_cli.filters.FILTERS`
        without one is checked on the awards found instead (:func:`filter_unindexed`):
        slower on a big store, never wrong.
        """
        if filters is None or not filters.active:
            return None
        query_type, occur = self._tantivy.Query, self._tantivy.Occur
        musts = []
        for entry, value in filters.given:
            field = FILTER_FIELDS.get(entry.name)
            if field is None:
                continue
            if entry.name == "laureate":  # any of the parts typed, inside a compacted name
                parts = [".*" + "".join(_REGEX_ESCAPES.get(char, char) for char in part) + ".*" for part in sorted(value)]
                either = [(occur.Should, query_type.regex_query(self.schema, field, pattern)) for pattern in parts]
                musts.append((occur.Must, query_type.boolean_query(either)))
            elif entry.name == "years":
                years = [(occur.Should, query_type.term_query(self.schema, field, year)) for year in sorted(value)]
                musts.append((occur.Must, query_type.boolean_query(years)))
            else:
                musts.append((occur.Must, query_type.term_set_query(self.schema, field, sorted(value))))
        return query_type.boolean_query(musts) if musts else None


#: Characters with a meaning in tantivy's (Rust) regular expressions, escaped one by one.
_REGEX_ESCAPES = {char: "\\" + char for char in '\\.+*?()|[]{}^$#&-~"'}


def filter_unindexed(
    engine: Engine, addresses: list[tuple[int, int]], filters: Filters | None
) -> list[tuple[int, int]]:
    """``addresses`` kept by the filters the index has no field for (none today), checked on the awards."""
    if filters is None:
        return addresses
    checks = [(entry, value) for entry, value in filters.given if entry.name not in FILTER_FIELDS]
    if not checks:
        return addresses
    awards = engine.awards(addresses)
    return [address for address in addresses if all(entry.matches(awards[address], value) for entry, value in checks)]


# ---------------------------------------------------------------- reading the query


def _concepts(engine: Engine, clauses: list[Clause]) -> tuple[list[Concept], dict[str, tuple[str, ...]]]:
    """The concepts of the parsed query, and the corrections made to unknown words."""
    corrections: dict[str, tuple[str, ...]] = {}
    groups: list[list[Concept]] = []
    position = 0
    while position < len(clauses):
        clause = clauses[position]
        if clause.phrase:
            concept, taken = _phrase(engine, clause.words), 1
        else:
            concept, taken = _synonym_span(engine, clauses, position)
            if concept is None:
                concept, taken = _word(engine, clause.words[0], corrections), 1
        if concept is not None:
            if clause.alternative and groups:
                groups[-1].append(concept)
            else:
                groups.append([concept])
        position += taken
    concepts = [group[0] if len(group) == 1 else _either(group) for group in groups]
    return concepts, corrections


def _either(group: list[Concept]) -> Concept:
    """Concepts joined by OR: one concept satisfied by any of them."""
    variants = tuple(variant for concept in group for variant in concept.variants)
    return Concept(" OR ".join(concept.label for concept in group), max(c.words for c in group), variants)


def _phrase(engine: Engine, words: tuple[Word, ...]) -> Concept | None:
    kept = [(offset, word.stem) for offset, word in enumerate(words) if word.stem]
    if not kept:
        return None
    label = " ".join(word.typed for word in words)
    if len(kept) == 1:
        return Concept(label, 1, _stem_variants(engine, kept[0][1]))
    offsets, terms = zip(*kept, strict=True)
    return Concept(f'"{label}"', len(kept), (Variant(tuple(terms), 1.0, tuple(offsets)),))


def _synonym_span(engine: Engine, clauses: list[Clause], start: int) -> tuple[Concept | None, int]:
    """The longest synonym entry that the loose words from ``start`` spell, as one concept."""
    synonyms = engine.synonyms
    if not synonyms.longest or clauses[start].words[0].stem is None:
        return None, 1
    span: list[Word] = []
    end = start
    while end < len(clauses) and not clauses[end].phrase and (end == start or not clauses[end].alternative):
        span.append(clauses[end].words[0])
        end += 1
    content = [(number, word) for number, word in enumerate(span) if word.stem]
    for length in range(min(synonyms.longest, len(content)), 0, -1):
        terms = tuple(word.stem for _, word in content[:length])
        alternatives = synonyms.lookup(terms)  # type: ignore[arg-type]
        if not alternatives:
            continue
        taken = content[length - 1][0] + 1
        typed = " ".join(word.typed for word in span[:taken])
        if length == 1:
            own = _stem_variants(engine, terms[0])  # type: ignore[arg-type]
        else:
            offsets = tuple(number for number, _ in content[:length])
            own = (Variant(terms, 1.0, offsets),)  # type: ignore[arg-type]
        others = tuple(Variant(terms, SYNONYM_WEIGHT, offsets) for terms, offsets in alternatives)
        fallback: tuple[Concept, ...] = ()
        if length > 1:
            fallback = tuple(
                concept for _, word in content[:length] if (concept := _word(engine, word, {})) is not None
            )
        return Concept(typed, length, own + others, fallback), taken
    return None, 1


def _stem_variants(engine: Engine, stem: str) -> tuple[Variant, ...]:
    """The stem, its plural twin, and its derived forms present in the awards."""
    variants = [Variant((stem,), 1.0)]
    variants += [Variant((twin,), 1.0) for twin in analysis.plural_variants(stem) if engine.stem_frequency(twin)]
    seen = {variant.terms[0] for variant in variants}
    for root in analysis.derived_roots(stem):
        for candidate in engine.stems_with_prefix(root):
            if candidate not in seen and analysis.is_derived(root, candidate):
                seen.add(candidate)
                variants.append(Variant((candidate,), DERIVED_WEIGHT))
    return tuple(variants)


def _word(engine: Engine, word: Word, corrections: dict[str, tuple[str, ...]]) -> Concept | None:
    if word.stem is None:
        return None
    variants = _stem_variants(engine, word.stem)
    if any(engine.stem_frequency(variant.terms[0]) for variant in variants):
        return Concept(word.typed, 1, variants)
    replacements = _corrections(engine, word.folded)
    if not replacements:
        return Concept(word.typed, 1, variants)
    corrections[word.typed] = replacements
    corrected: list[Variant] = []
    for replacement in replacements:
        for stem in analysis.stems(replacement):
            corrected.extend(_stem_variants(engine, stem))
    return Concept(word.typed, 1, tuple(dict.fromkeys(corrected)))


def _corrections(engine: Engine, folded: str) -> tuple[str, ...]:
    """Words of the awards the user probably meant by ``folded``, a word in no award.

    First the words it begins ("lyce" → "lycees"), as the search always
    allowed; else the words within an edit distance that grows with the
    word's length (none up to 3 letters, 1 up to 6, then 2: Elasticsearch's
    "AUTO:4,7" fuzziness; three-letter words like "AND" are too easily a
    different word), the most frequent first.
    """
    if len(folded) > MAX_CORRECTED_LENGTH:
        return ()
    if len(folded) >= MIN_PREFIX_LENGTH:
        longer = [(word, count) for word, count in engine.words_with_prefix(folded) if word != folded]
        if longer:
            longer.sort(key=lambda pair: (-pair[1], pair[0]))
            return tuple(word for word, _ in longer[:CORRECTIONS_PER_WORD])
    allowed = 0 if len(folded) <= 3 else 1 if len(folded) <= 6 else 2
    if not allowed:
        return ()
    close = [
        (distance, -count, word)
        for word, count in engine.vocabulary
        if abs(len(word) - len(folded)) <= allowed and (distance := edit_distance(folded, word, allowed)) <= allowed
    ]
    close.sort()
    return tuple(word for _, _, word in close[:CORRECTIONS_PER_WORD])


def edit_distance(first: str, second: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps cost 1), or ``limit + 1`` once it must exceed ``limit``."""
    previous_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for i, char in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, 1):
            cost = 0 if char == other else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


# ---------------------------------------------------------------- search


def run_search(engine: Engine, text: str, filters: Filters | None = None, limit: int | None = None) -> Found:
    """Search ``text`` (what the user typed); raises :class:`QueryError` when it holds nothing to search."""
    clauses = analysis.parse(text)
    if not clauses:
        raise QueryError(_("nothing to search for: give at least one word"))
    concepts, corrections = _concepts(engine, clauses)
    if not concepts:
        common = ", ".join(dict.fromkeys(word.typed for clause in clauses for word in clause.words))
        raise QueryError(_("only common words ({words}): give at least one word that says what to find").format(words=common))
    restriction = engine.filter_query(filters)
    scores: dict[tuple[int, int], float] = {}
    matched: dict[tuple[int, int], list[int]] = {}
    concepts, found = _searched(engine, concepts, restriction)
    for number, hits_of_concept in enumerate(found):
        for address, score in hits_of_concept.items():
            scores[address] = scores.get(address, 0.0) + score
            matched.setdefault(address, []).append(number)
    for address, score in _proximity(engine, clauses, restriction).items():
        if address in scores:
            scores[address] += score
    total_words = sum(concept.words for concept in concepts)
    words_of = {address: sum(concepts[n].words for n in numbers) for address, numbers in matched.items()}
    order = engine.order_of(list(scores))
    ranked = sorted(scores, key=lambda address: (-words_of[address], -round(scores[address], 9), order[address]))
    ranked = filter_unindexed(engine, ranked, filters)
    shown = ranked if limit is None else ranked[:limit]
    awards = engine.awards(shown)
    # Hits share a few combinations of matched concepts: describe each combination once (thousands of hits at scale).
    described: dict[tuple[int, ...], tuple[tuple[str, ...], frozenset[str], frozenset[str]]] = {}
    for numbers in {tuple(matched[address]) for address in shown}:
        variants = [variant for n in numbers for variant in concepts[n].variants]
        described[numbers] = (
            tuple(concepts[n].label for n in numbers),
            frozenset(term for variant in variants for term in variant.terms),
            frozenset(term for variant in variants if variant.weight == 1.0 for term in variant.terms),
        )
    hits = []
    for address in shown:
        labels, highlight, anchors = described[tuple(matched[address])]
        hits.append(Hit(awards[address], scores[address], labels, words_of[address], total_words, highlight, anchors))
    suggestions = () if hits else _did_you_mean(engine, clauses)
    labels = tuple(concept.label for concept in concepts)
    return Found(hits, labels, corrections, suggestions, len(ranked))


def _searched(
    engine: Engine, concepts: list[Concept], restriction: tantivy.Query | None
) -> tuple[list[Concept], list[dict[tuple[int, int], float]]]:
    """Each concept with the awards it matches; a synonym entry found nowhere is replaced by its words."""
    kept: list[Concept] = []
    found: list[dict[tuple[int, int], float]] = []
    for concept in concepts:
        hits = engine.matches(engine.concept_query(concept), restriction)
        if hits or not concept.fallback:
            kept.append(concept)
            found.append(hits)
            continue
        for word in concept.fallback:
            kept.append(word)
            found.append(engine.matches(engine.concept_query(word), restriction))
    return kept, found


def _proximity(
    engine: Engine, clauses: list[Clause], restriction: tantivy.Query | None
) -> dict[tuple[int, int], float]:
    """A bonus for the awards where the loose words typed appear close together, in order."""
    loose = [(offset, clause.words[0].stem) for offset, clause in enumerate(clauses) if not clause.phrase]
    kept = [(offset, stem) for offset, stem in loose if stem]
    if len(kept) < 2 or len(kept) != len([c for c in clauses if not c.phrase and c.words[0].stem]):
        return {}
    offsets, terms = zip(*kept, strict=True)
    variant = Variant(tuple(terms), PROXIMITY_WEIGHT, tuple(offsets))
    query_type, should = engine._tantivy.Query, engine._tantivy.Occur.Should
    parts = [
        (
            should,
            query_type.boost_query(
                query_type.phrase_query(engine.schema, field, list(zip(offsets, terms, strict=True)), PROXIMITY_SLOP),
                FIELD_WEIGHTS[field] * variant.weight,
            ),
        )
        for field in SEARCHED_FIELDS
    ]
    return engine.matches(query_type.boolean_query(parts), restriction)


def _did_you_mean(engine: Engine, clauses: list[Clause]) -> tuple[str, ...]:
    """Words of the awards close to the query's unknown words (looser than corrections), when nothing was found.

    Words that do occur are not "corrected": then it is the filters that kept nothing.
    """
    import difflib

    vocabulary = [word for word, _ in engine.vocabulary]
    found: list[str] = []
    for clause in clauses:
        for word in clause.words:
            if word.stem and len(word.folded) <= MAX_CORRECTED_LENGTH and not engine.stem_frequency(word.stem):
                found += difflib.get_close_matches(word.folded, vocabulary, n=3, cutoff=0.7)
    return tuple(dict.fromkeys(found))[:5]


# ---------------------------------------------------------------- snippets


def make_snippet(
    text: str, highlight: frozenset[str], anchors: frozenset[str] | None = None, length: int = SNIPPET_LENGTH
) -> tuple[tuple[str, bool], ...]:
    """An excerpt of ``text`` around its first word whose stem is in ``anchors`` (default: ``highlight``).

    Words whose stem is in ``highlight`` are marked True; when no anchor
    occurs, the excerpt is the beginning of the text (the award matched by
    another field, or by a synonym only).

    Words are the tokenizer's (runs of letters and digits), each analysed as
    the index analyses it, so "vélos" is marked for the query "velo" and
    "seniors" for "aînés". What is found is remembered per set of terms for
    the process (:func:`_marker`): the hits of one search share most of their
    words, so a text costs a split on spaces and a few set operations, not an
    analysis (at 100,000 awards, the 7,953 snippets of ``search reboisement``:
    0.3 s instead of 1.1 s). The excerpt is cut at spaces, with "…" where text
    was left out.
    """
    pieces = set(text.split())
    spans = sorted(_marker(highlight).spans(text, pieces))
    anchored = spans if anchors is None or anchors == highlight else _marker(anchors).spans(text, pieces)
    first = min(anchored, default=(0, 0))
    start = max(0, min(first[0] - _SNIPPET_LEAD, len(text) - length))
    end = min(len(text), start + length)
    if start > 0:
        space = text.find(" ", start, first[0])
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", first[1], end)
        end = space if space > start else end
    segments: list[tuple[str, bool]] = [(_ELLIPSIS, False)] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        segments += [(text[cursor:span_start], False), (text[span_start:span_end], True)]
        cursor = span_end
    segments.append((text[cursor:end], False))
    if end < len(text):
        segments.append((_ELLIPSIS, False))
    tidy: list[tuple[str, bool]] = []
    for piece, marked in segments:
        if "  " in piece or not piece.isprintable():  # else no space to tidy (spaces other than " " are unprintable)
            piece = re.sub(r"\s+", " ", piece)
        if piece and tidy and tidy[-1][1] == marked:
            tidy[-1] = (tidy[-1][0] + piece, marked)
        elif piece or marked:
            tidy.append((piece, marked))
    return tuple(tidy)


#: The analysed terms of each word met in a snippet so far (a process sees a bounded vocabulary).
_WORD_TERMS: dict[str, frozenset[str]] = {}


def _word_terms(word: str) -> frozenset[str]:
    terms = _WORD_TERMS.get(word)
    if terms is None:
        terms = _WORD_TERMS[word] = frozenset(analysis.analyzers()[analysis.FRENCH].analyze(word))
    return terms


class _Marker:
    """Finds the words of a text whose analysed terms are among ``terms``, remembering each piece it has seen.

    A piece is a run of text between spaces ("l’école," is one): pieces are
    cheap to cut (``str.split``), and a piece's marked words, once found,
    hold wherever the piece recurs.
    """

    def __init__(self, terms: frozenset[str]) -> None:
        self.terms = terms
        #: Marked pieces, with the spans of their marked words inside the piece.
        self.marked: dict[str, tuple[tuple[int, int], ...]] = {}
        self.unmarked: set[str] = set()

    def spans(self, text: str, pieces: set[str]) -> list[tuple[int, int]]:
        """The spans of the marked words in ``text``, whose pieces (``set(text.split())``) are ``pieces``."""
        for piece in pieces.difference(self.unmarked).difference(self.marked):
            inside = tuple(
                (word.start(), word.end())
                for word in analysis.TYPED_WORD.finditer(piece)
                if not _word_terms(word.group()).isdisjoint(self.terms)
            )
            if inside:
                self.marked[piece] = inside
            else:
                self.unmarked.add(piece)
        found = []
        for piece in pieces.intersection(self.marked):
            inside = self.marked[piece]
            start = text.find(piece)
            while start >= 0:
                end = start + len(piece)
                if (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace()):
                    found += [(start + word_start, start + word_end) for word_start, word_end in inside]
                start = text.find(piece, end)
        return found


@lru_cache(maxsize=8)
def _marker(terms: frozenset[str]) -> _Marker:
    """The marker of ``terms``; a few are kept (each remembers the pieces of every text it has seen)."""
    return _Marker(terms)
