"""French text folding shared by every place that compares user input with data.

Users type ``velo``, ``ECOLE`` or ``departement``; the data says "Récup'vélos",
"école", "département". Comparing folded forms makes accents, case and the
ligatures of French spelling irrelevant, with one definition for the whole tool.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose but a French reader treats as two,
# and typographic apostrophes and quotes that fold to the ASCII ones users type.
_SPECIAL = {"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "‘": "'", "ʼ": "'", "«": '"', "»": '"'}


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that computes each character's folding once.

    ``str.translate`` looks characters up in C; only a character never seen
    before reaches ``__missing__``. On French text this is several times faster
    than normalising whole strings, which matters on a 10,000-award store.
    """

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint).lower()
        folded = _SPECIAL.get(char)
        if folded is None:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        self[codepoint] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents: "Élancourt" becomes "elancourt"."""
    return text.translate(_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and map each folded character back to its original index.

    Matching happens on folded text; highlighting must happen on the original.
    Folding may change lengths ("œ" becomes "oe"), hence the explicit map.
    """
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char)
        pieces.append(piece)
        offsets.extend([index] * len(piece))
    return "".join(pieces), offsets
