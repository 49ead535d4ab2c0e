"""French text folding shared by every place that compares user input with data.

Users type ``velo``, ``ECOLE`` or ``departement``; the data says "Récup'vélos",
"école", "département". Comparing folded forms makes accents, case and the
ligatures of French spelling irrelevant, with one definition for the whole tool.
"""

from __future__ import annotations

import re

# Letters that Unicode does not decompose but a French reader treats as two,
# and typographic apostrophes and quotes that fold to the ASCII ones users type.
_SPECIAL = {
    "œ": "oe", "æ": "ae", "ß": "ss",
    "’": "'", "‘": "'", "ʼ": "'",
    "«": '"', "»": '"', "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
}  # fmt: skip


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that computes each character's folding once.

    ``str.translate`` looks characters up in C; only a character never seen
    before reaches ``__missing__``. On French text this is several times faster
    than normalising whole strings, which matters on a 10,000-award store.
    """

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint).lower()
        folded = char if char.isascii() else _SPECIAL.get(char)
        if folded is None:
            import unicodedata  # reached once per distinct character: ASCII-only runs never load it

            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        self[codepoint] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents: "Élancourt" becomes "elancourt"."""
    return text.translate(_TABLE)


def quoted(value: str, limit: int = 60) -> str:
    """``value`` as a message shows a value or what a user typed: in double quotes, cut if it is a pasted page.

    One style everywhere, double quotes, because a name such as "Provence-Alpes-Côte
    d'Azur" holds an apostrophe and can then be pasted into a shell as it is shown.
    """
    return '"' + (value if len(value) <= limit else value[:limit] + "…") + '"'


_NOT_LETTERS = re.compile(r"[^a-z0-9]+")
_SAINT = re.compile(r"\b(s)ain(te?)\b")


def name_key(name: str) -> str:
    """``name`` reduced to its words: "Onet le Chateau" and "Onet-le-Château" both become "onet le chateau".

    Folded (accents, case), hyphens, apostrophes and other marks between words
    made one space, "Saint"/"Sainte" written "St"/"Ste", so that people may type
    a name as the press kit, a map or their keyboard spells it ("Saint-Denis",
    "St Denis", "st-denis").
    """
    return _NOT_LETTERS.sub(" ", _SAINT.sub(r"\1\2", fold(name))).strip()
