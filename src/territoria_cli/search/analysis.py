"""French analysis: one analyzer for the awards' text and for what users type.

The analyzer is tantivy's own chain (Rust, no per-word Python):

1. ``simple`` tokenizer: words are runs of letters and digits, so apostrophes
   (straight or typographic) and hyphens break words: "l’école" gives "l",
   "école"; "bien-être" gives "bien", "être";
2. ``lowercase``, then the Snowball French stop-word list (published with the
   Snowball stemmer: le, la, les, des, aux, dans, pour, à…) before folding, since
   the list is spelt with accents;
3. ``ascii_fold`` (Lucene's table): accents and ligatures go, "œ" is "oe", "æ" "ae";
4. the elided articles and pronouns (l, d, qu, j, n, s, c, m, t, jusqu, lorsqu,
   puisqu, quoiqu), once folded, as stop words: "l'eau" searches "eau";
5. the Snowball French stemmer: "seniors" and "senior" are "senior".

Two things a stemmer leaves apart are joined at query time, against the words
really present in the index (:func:`plural_variants`, :func:`derived_roots`):
Snowball keeps the "s" after a vowel ("vélos" stays "velos", "vélo" is "velo"),
and derived words keep their suffix ("culturel" / "cultur", "sportif" / "sport").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import tantivy

#: Name under which the index knows the analyzer of the searched fields.
FRENCH = "territoria_fr"
#: Name of the analyzer without stop words or stemming: the words as written, folded (typos, prefixes).
FOLDED = "territoria_folded"

#: Elided words, folded: what remains of "l'", "d'", "qu'", "jusqu'"… once the apostrophe breaks the word.
ELISIONS = ("l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu")

#: Derivational suffixes, as they end Snowball French stems: a stem and the same
#: root plus one of these are forms of one family ("cultur", "culturel"; "sport",
#: "sportif"; "benevol", "benevolat"; "handicap", "handicape"). Written from French
#: morphology (adjective, agent, action and quality suffixes), not from any query.
DERIVATIONAL_SUFFIXES = (
    "e", "el", "ell", "al", "if", "iv", "iqu", "ist", "ism", "ien", "eur", "at", "ation",
    "ion", "ment", "ag", "it", "ier", "air", "ain", "is", "ur",
)  # fmt: skip
#: A root shorter than this is too ambiguous to carry derived forms ("art", "eau").
MIN_ROOT_LENGTH = 4


@cache
def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """The two analyzers, built once per process (about 0.1 ms)."""
    import tantivy

    def folded() -> tantivy.TextAnalyzerBuilder:
        return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())

    french = (
        folded()
        .filter(tantivy.Filter.stopword("french"))
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.custom_stopword(list(ELISIONS)))
        .filter(tantivy.Filter.stemmer("french"))
        .build()
    )
    return {FRENCH: french, FOLDED: folded().filter(tantivy.Filter.ascii_fold()).build()}


def stems(text: str) -> list[str]:
    """The analysed terms of ``text`` (stop words dropped, stemmed), as the index holds them."""
    return analyzers()[FRENCH].analyze(text)


def folded_words(text: str) -> list[str]:
    """The words of ``text``, lower-case and without accents, stop words kept."""
    return analyzers()[FOLDED].analyze(text)


def terms_with_offsets(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The analysed terms of ``text`` and their word positions (stop words leave gaps, as in the index)."""
    kept = [(offset, word.stem) for offset, word in enumerate(_words(text)) if word.stem]
    return tuple(stem for _, stem in kept), tuple(offset for offset, _ in kept)  # type: ignore[misc]


def plural_variants(stem: str) -> tuple[str, ...]:
    """Other spellings of the same word that Snowball leaves apart: with or without a final s or x."""
    if stem.endswith(("s", "x")) and len(stem) > 3:
        return (stem[:-1],)
    return (stem + "s", stem + "x")


def derived_roots(stem: str) -> tuple[str, ...]:
    """Roots the stem may derive from: itself, and itself less a derivational suffix."""
    roots = [stem] if len(stem) >= MIN_ROOT_LENGTH else []
    roots += [stem[: -len(suffix)] for suffix in DERIVATIONAL_SUFFIXES if stem.endswith(suffix)]
    return tuple(dict.fromkeys(root for root in roots if len(root) >= MIN_ROOT_LENGTH))


def is_derived(root: str, candidate: str) -> bool:
    """Whether ``candidate`` is ``root`` or ``root`` plus one derivational suffix (plural s allowed)."""
    if not candidate.startswith(root):
        return False
    suffix = candidate[len(root) :]
    if suffix.endswith(("s", "x")) and suffix[:-1] in _SUFFIX_SET:
        suffix = suffix[:-1]
    return suffix in _SUFFIX_SET


_SUFFIX_SET = frozenset(("", *DERIVATIONAL_SUFFIXES))


# ---------------------------------------------------------------- queries as typed


class Word(NamedTuple):
    """One word the user typed: as typed (for messages), folded, and its stem (None for a stop word)."""

    typed: str
    folded: str
    stem: str | None


class Clause(NamedTuple):
    """A run of words to find: a quoted phrase (all its words in order) or loose words."""

    words: tuple[Word, ...]
    phrase: bool
    #: True when the user wrote OR before this clause: it is an alternative of the previous one.
    alternative: bool = False


_QUOTES = str.maketrans({"«": '"', "»": '"', "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'})
#: Words as the tokenizer sees them, keeping the typed spelling (letters, digits, and elided apostrophes).
TYPED_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: A query longer than this is pasted text, not a search: only its beginning is read.
MAX_QUERY_CHARACTERS = 1000
#: At most this many words are searched (a pasted page would make hundreds of clauses).
MAX_QUERY_WORDS = 32


def parse(text: str) -> list[Clause]:
    """Read a query: double-quoted parts are phrases, ``OR`` joins alternatives, the rest are words.

    Nothing is ever an operator but ``OR`` (upper case, between words) and
    quotes: ``title:x``, ``*``, ``AND(`` or a regular expression are words and
    punctuation like any other, so every string is a valid query.
    """
    text = text[:MAX_QUERY_CHARACTERS].translate(_QUOTES)
    clauses: list[Clause] = []
    pending_or = False
    count = 0
    for position, part in enumerate(text.split('"')):
        if position % 2 == 1:
            words = tuple(_words(part))
            if words:
                clauses.append(Clause(words, phrase=True, alternative=pending_or and bool(clauses)))
                pending_or = False
            continue
        for token in part.split():
            if token == "OR" and clauses:  # an operator only after a word: leading, "OR" is a word
                pending_or = True
                continue
            for word in _words(token):
                clauses.append(Clause((word,), phrase=False, alternative=pending_or and bool(clauses)))
                pending_or = False
    if pending_or:  # nothing came after it: "OR" was the query's last word, not an operator
        clauses.extend(Clause((word,), phrase=False, alternative=False) for word in _words("OR"))
    trimmed: list[Clause] = []
    for clause in clauses:
        if count >= MAX_QUERY_WORDS:
            break
        trimmed.append(clause)
        count += len(clause.words)
    return trimmed


def _words(text: str) -> Iterator[Word]:
    for match in TYPED_WORD.finditer(text):
        typed = match.group()
        folded = folded_words(typed)
        if not folded:
            continue
        analysed = stems(typed)
        yield Word(typed, folded[0], analysed[0] if analysed else None)
