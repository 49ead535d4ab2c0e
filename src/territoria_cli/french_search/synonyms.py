"""Synonyms in the Solr / Elasticsearch format: the packaged vocabulary, plus the user's files.

Format (as Solr's ``SynonymGraphFilter`` and Elasticsearch's ``synonym`` filter
read it, "solr" flavour): one rule per line; ``#`` starts a comment;
``a, b, c`` makes the entries equivalent; ``a, b => c, d`` lets a and b also
find c and d, one way. An entry may be several words ("personnes âgées"); a
comma inside an entry is written ``\\,``.

Entries are analysed with the search analyzer, so a rule matches whatever
spelling, inflection or accent the user types, and rules apply at query time
only: editing a file changes the next search, with no index to rebuild.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from territoria_cli.french_search.analysis import terms_with_offsets

#: The vocabulary shipped with territoria.
PACKAGED = Path(__file__).with_name("synonyms.txt")
#: Environment variable naming more synonym files (``os.pathsep``-separated).
ENVIRONMENT_VARIABLE = "TERRITORIA_SYNONYMS"

_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


class SynonymError(ValueError):
    """A synonym file cannot be read or holds a line that is not a rule; the message says where."""


class Rule(NamedTuple):
    """One line: ``sources`` find ``targets`` (for an equivalence rule the two are the same entries)."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]


def parse_rules(text: str, origin: str = "<text>") -> list[Rule]:
    """The rules of a synonym file's text; raises :class:`SynonymError` naming ``origin`` and the line."""
    rules: list[Rule] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        sides = line.split("=>")
        if len(sides) > 2:
            raise SynonymError(f"{origin}, line {number}: more than one '=>' in {line!r}")
        entries = [_entries(side) for side in sides]
        if not all(entries) or (len(entries) == 1 and len(entries[0]) < 2):
            raise SynonymError(f"{origin}, line {number}: expected 'a, b, c' or 'a, b => c', got {line!r}")
        rules.append(Rule(entries[0], entries[-1]))
    return rules


def _entries(side: str) -> tuple[str, ...]:
    parts = (part.replace("\\,", ",").strip() for part in _UNESCAPED_COMMA.split(side))
    return tuple(part for part in parts if part)


Entry = tuple[tuple[str, ...], tuple[int, ...]]
"""An analysed entry: its terms, and their word positions (a stop word inside leaves a gap)."""


class Synonyms:
    """What each analysed entry also finds: ``alternatives[terms]`` maps each other entry to its spelling."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.alternatives: dict[tuple[str, ...], dict[Entry, str]] = {}
        for rule in rules:
            targets = [(terms_with_offsets(entry), entry) for entry in rule.targets]
            for source in rule.sources:
                key, _ = terms_with_offsets(source)
                if not key:
                    continue
                found = self.alternatives.setdefault(key, {})
                for target, written in targets:
                    if target[0] and target[0] != key:
                        found.setdefault(target, written)
        #: The longest entry, in terms: matching never looks further.
        self.longest = max(map(len, self.alternatives), default=0)

    def lookup(self, terms: Sequence[str]) -> dict[Entry, str]:
        """What the analysed entry ``terms`` also finds (empty when it is in no rule)."""
        return self.alternatives.get(tuple(terms), {})


def load(extra_files: Sequence[Path] = (), *, environment: dict[str, str] | None = None) -> Synonyms:
    """The packaged rules, then those of ``$TERRITORIA_SYNONYMS``, then ``extra_files`` (``--synonyms``)."""
    environ = os.environ if environment is None else environment
    files = [PACKAGED]
    files += [Path(name) for name in environ.get(ENVIRONMENT_VARIABLE, "").split(os.pathsep) if name.strip()]
    files += list(extra_files)
    rules: list[Rule] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else "not UTF-8 text"
            raise SynonymError(f"cannot read synonym file {str(path)!r}: {reason}") from None
        rules += parse_rules(text, str(path))
    return Synonyms(rules)
