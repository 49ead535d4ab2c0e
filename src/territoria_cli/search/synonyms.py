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
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from territoria_cli.errors import UsageError
from territoria_cli.i18n import _
from territoria_cli.search import SYNONYMS_ENV_VAR
from territoria_cli.search.analysis import terms_with_offsets
from territoria_cli.text import quoted

#: The vocabulary shipped with territoria.
PACKAGED = Path(__file__).with_name("synonyms.txt")

_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


class SynonymError(UsageError):
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
            raise SynonymError(_("{origin}, line {number}: more than one '=>' in {line}").format(origin=origin, number=number, line=quoted(line)))
        entries = [_entries(side) for side in sides]
        if not all(entries) or (len(entries) == 1 and len(entries[0]) < 2):
            raise SynonymError(
                _("{origin}, line {number}: expected 'a, b, c' or 'a, b => c', got {line}").format(
                    origin=origin, number=number, line=quoted(line)
                )
            )
        rules.append(Rule(entries[0], entries[-1]))
    return rules


def _entries(side: str) -> tuple[str, ...]:
    parts = (part.replace("\\,", ",").strip() for part in _UNESCAPED_COMMA.split(side))
    return tuple(part for part in parts if part)


Entry = tuple[tuple[str, ...], tuple[int, ...]]
"""An analysed entry: its terms, and their word positions (a stop word inside leaves a gap)."""


class Synonyms:
    """The analysed rules: ``entries`` (terms, word positions, spelling) and, per source entry's terms,
    the rules (lists of entry numbers) it is a source of.

    Rules are kept as lists of numbers rather than every pair of synonyms:
    the packaged file's equivalence groups would make thousands of pairs,
    and this form, cached with marshal, loads in a fraction of a millisecond.
    """

    def __init__(
        self,
        entries: list[tuple[tuple[str, ...], tuple[int, ...], str]],
        sources: dict[tuple[str, ...], list[int]],
        rules: list[list[int]],
    ) -> None:
        self.entries = entries
        self.sources = sources
        self.rules = rules
        #: The longest source entry, in terms: matching never looks further.
        self.longest = max(map(len, sources), default=0)

    @classmethod
    def from_rules(cls, rules: Iterable[Rule]) -> Synonyms:
        """Analyse every entry of ``rules`` (about 1,000 calls to the analyzer for the packaged file)."""
        entries: list[tuple[tuple[str, ...], tuple[int, ...], str]] = []
        numbers: dict[str, int] = {}
        sources: dict[tuple[str, ...], list[int]] = {}
        targets: list[list[int]] = []

        def number(entry: str) -> int:
            if entry not in numbers:
                numbers[entry] = len(entries)
                entries.append((*terms_with_offsets(entry), entry))
            return numbers[entry]

        for rule in rules:
            targets.append([number(entry) for entry in rule.targets])
            for source in rule.sources:
                key = entries[number(source)][0]
                if key:
                    sources.setdefault(key, []).append(len(targets) - 1)
        return cls(entries, sources, targets)

    def lookup(self, terms: Sequence[str]) -> dict[Entry, str]:
        """What the analysed entry ``terms`` also finds, with each one's spelling (empty when in no rule)."""
        key = tuple(terms)
        found: dict[Entry, str] = {}
        for rule in self.sources.get(key, ()):
            for entry in self.rules[rule]:
                target, offsets, written = self.entries[entry]
                if target and target != key:
                    found.setdefault((target, offsets), written)
        return found

    def to_plain(self) -> tuple[Any, ...]:
        return (self.entries, self.sources, self.rules)


def synonym_files(extra_files: Sequence[Path] = (), environment: Mapping[str, str] | None = None) -> list[Path]:
    """The packaged file, then those of ``$TERRITORIA_SYNONYMS``, then ``extra_files`` (``--synonyms``)."""
    environ = os.environ if environment is None else environment
    files = [PACKAGED]
    files += [Path(name) for name in environ.get(SYNONYMS_ENV_VAR, "").split(os.pathsep) if name.strip()]
    return files + list(extra_files)


def load(files: Sequence[Path], cache_folder: Path | None = None) -> Synonyms:
    """The synonyms of ``files``, analysed, from ``cache_folder`` when the files have not changed.

    Analysing the packaged file takes about 10 ms, two thirds of a search's
    budget; the analysed form (a marshal dump) loads in a fraction of a
    millisecond. The cache is keyed by each file's path, size and
    modification time, and never needed: an unreadable or unwritable cache
    only costs those milliseconds.
    """
    import marshal

    from territoria_cli.catalogue import digest

    try:
        identity = [(str(path.resolve()), *_signature(path)) for path in files]
    except OSError as error:
        raise SynonymError(
            _("cannot read synonym file {file}: {reason}").format(file=quoted(str(error.filename)), reason=error.strerror)
        ) from None
    cache_file = cache_folder / f"synonyms-{digest(repr([CACHE_FORMAT, identity]))}.marshal" if cache_folder else None
    if cache_file is not None:
        try:
            return Synonyms(*marshal.loads(cache_file.read_bytes()))
        except Exception:  # noqa: BLE001 - absent, damaged or from another version: analyse again
            pass
    rules: list[Rule] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else _("not UTF-8 text")
            raise SynonymError(_("cannot read synonym file {file}: {reason}").format(file=quoted(str(path)), reason=reason)) from None
        rules += parse_rules(text, str(path))
    synonyms = Synonyms.from_rules(rules)
    if cache_file is not None:
        from territoria_cli.files import OutputError, atomic_write_bytes

        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(cache_file, marshal.dumps(synonyms.to_plain()))
        except (OSError, OutputError):
            pass
    return synonyms


#: Bump when the analysis or the cached layout changes.
CACHE_FORMAT = 2


def _signature(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns
