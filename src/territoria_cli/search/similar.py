"""``territoria similar``: the awards closest to one, by more-like-this over the analysed text."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from territoria_cli.model import Award
from territoria_cli.search import analysis
from territoria_cli.search.engine import SYNONYM_WEIGHT, Concept, Engine, Variant, filter_unindexed
from territoria_cli.search.index import FIELD_WEIGHTS, field_texts

if TYPE_CHECKING:
    from territoria_cli.filters import Filters


class SimilarHit(NamedTuple):
    award: Award
    score: float
    #: The words the award shares with the source, most telling first.
    shared: tuple[str, ...]


class SimilarResult(NamedTuple):
    source: Award
    hits: list[SimilarHit]


#: Terms of the source award that make up a "similar" query: the most telling ones.
SIMILAR_TERMS = 25
#: Shorter stems are grammar more than subject ("son", "nom"), as Lucene's ``minWordLen`` says.
SIMILAR_MIN_LENGTH = 4
#: A term must weigh this much in the source (field weight per occurrence: twice in the summary, or once in a
#: title): Lucene's ``minTermFreq`` of 2, so that a word said once in passing does not make awards "similar".
SIMILAR_MIN_WEIGHT = 2.0
#: Terms in a larger share of the awards than this are too common to tell subjects apart.
SIMILAR_MAX_SHARE = 0.2


def run_similar(engine: Engine, award_id: str, filters: Filters | None = None, limit: int | None = 10) -> SimilarResult:
    """The awards closest to ``award_id``: a query of its most telling stems, weighted by field and tf-idf.

    Like Lucene's more-like-this: the source's terms are scored by frequency
    in the source (field-weighted) times rarity in the store, the best ones
    are searched with BM25 (with their synonyms, at the synonym weight: a
    source saying "seniors" finds "personnes âgées"), and the source itself
    is left out. Words in more than a fifth of the awards say little about a
    subject and are not used.
    """
    import math

    address = engine.address_of(award_id)
    if address is None:
        raise KeyError(award_id)
    source = engine.award(address)
    frequency: dict[str, float] = {}
    for field, text in field_texts(source).items():
        for stem in analysis.stems(text):
            frequency[stem] = frequency.get(stem, 0.0) + FIELD_WEIGHTS[field]
    documents = max(1, engine.searcher.num_docs)
    most_common = max(2, int(documents * SIMILAR_MAX_SHARE))
    weights = {
        stem: weight * math.log(1 + documents / engine.stem_frequency(stem))
        for stem, weight in frequency.items()
        if weight >= SIMILAR_MIN_WEIGHT
        and len(stem) >= SIMILAR_MIN_LENGTH
        and not stem.isdigit()
        and 1 < engine.stem_frequency(stem) <= most_common
    }
    chosen = sorted(weights, key=lambda stem: (-weights[stem], stem))[:SIMILAR_TERMS]
    if not chosen:
        return SimilarResult(source, [])
    concepts = []
    for stem in chosen:
        weight = weights[stem] / weights[chosen[0]]
        synonyms = engine.synonyms.lookup((stem,))
        variants = [Variant((stem,), weight)]
        variants += [Variant(terms, weight * SYNONYM_WEIGHT, offsets) for terms, offsets in synonyms]
        concepts.append(Concept(stem, 1, tuple(variants)))
    restriction = engine.filter_query(filters)
    scores: dict[tuple[int, int], float] = {}
    shared: dict[tuple[int, int], list[str]] = {}
    for concept in concepts:
        for hit, score in engine.matches(engine.concept_query(concept), restriction).items():
            if hit != address:
                scores[hit] = scores.get(hit, 0.0) + score
                shared.setdefault(hit, []).append(concept.label)
    order = engine.order_of(list(scores))
    ranked = filter_unindexed(engine, sorted(scores, key=lambda hit: (-round(scores[hit], 9), order[hit])), filters)
    shown = ranked if limit is None else ranked[:limit]
    spelling = _spellings(source)
    awards = engine.awards(shown)
    return SimilarResult(
        source,
        [SimilarHit(awards[hit], scores[hit], tuple(spelling.get(s, s) for s in shared[hit])) for hit in shown],
    )


def _spellings(award: Award) -> dict[str, str]:
    """For each stem of the award, its most frequent spelling there (lower case): "numer" → "numérique"."""
    import re
    from collections import Counter

    counts: Counter[tuple[str, str]] = Counter()
    for text in field_texts(award).values():
        for word in re.findall(r"[^\W_]+", text):
            terms = analysis.stems(word)
            if terms:
                counts[(terms[0], word.lower())] += 1
    best: dict[str, str] = {}
    for (stem, word), _ in counts.most_common():
        best.setdefault(stem, word)
    return best
