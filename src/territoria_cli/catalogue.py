"""The store as commands read it: a validated copy in the user cache, so that a command pays for its answer.

The TinyDB file stays the store and the source of truth. Reading it means
parsing all of its JSON and validating every award, which at 100,000 awards
(150 MB) costs seconds on every start, whatever the command asks for. The
catalogue is what territoria derives from the store once, after it changed,
and reads instead:

- the awards, already validated, as :mod:`marshal` chunks of
  :data:`CHUNK_AWARDS` awards: all of them load several times faster than the
  JSON parses and validates (no validation left to do), and one chunk loads in
  a millisecond;
- the ids in stored order with the chunk of each, so that ``show ID`` reads
  the ids and one chunk, not the store;
- parts that a command computes from the whole store the first time it needs
  them and keeps beside the rest (the statistics of the whole store).

The search engine keeps its full-text index apart (:mod:`territoria_cli.search`)
but under the same rule (:meth:`Identity.of_store`): building it costs ten
times what the catalogue costs, and only a search needs it. The catalogue
fingerprints each chunk (:meth:`Catalogue.chunk_digests`), so that after a
change the index re-indexes only the chunks that differ.

Where and when
--------------
The files live in the user's cache folder (:func:`user_cache_dir`) under ``catalogue``,
never beside the store (which may be read-only, shared or inside the
installed package), named after the store's resolved path. The awards are
keyed to the store's bytes (their :func:`fingerprint`), and a small file
says which bytes the store's identity had: its resolved path, device, inode,
size and modification time in nanoseconds, read with one ``stat``. A warm
start compares the identity; when it differs the store is read and
fingerprinted, and the same bytes (``touch``, ``cp -p``, ``git checkout``)
only re-key the catalogue (``show`` 0.37-0.45 s at 100,000 awards), while other
bytes, a damaged file or another :data:`FORMAT` mean "rebuild" (1.8-2.1 s). The
rebuild writes nothing if the store's identity moved while it was read.
Every file is written atomically (a reader sees the old one or the new one),
without ``fsync``: a file that a crash left cut short or zeroed fails its
checks, is removed and rebuilt.
When the cache cannot be written (read-only home, no cache folder), the
command reads the store as before: slower, never wrong.

Small stores are read directly: below :data:`DIRECT_READ_BYTES` parsing the
JSON is cheaper than opening the cache; the 38 awards of the packaged
palmarès are 60 kB.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from territoria_cli import store as store_file
from territoria_cli.model import Award, AwardFacts, Facts, Laureate
from territoria_cli.store import bulk_allocation

if TYPE_CHECKING:  # annotations only: building these aliases costs 0.15 ms at every start
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from territoria_cli.filters import Filters, FilterValues
    from territoria_cli.stats import Stats

    #: ``progress(fraction)`` reporter handed to a rebuild, from 0.0 to 1.0.
    Progress = Callable[[float], None]
    #: What a command passes to show a rebuild to the person waiting: given how
    #: much there is to do and what (:data:`READING` the store's bytes, or
    #: :data:`INDEXING` awards), a context manager yielding a :data:`Progress`.
    ProgressFactory = Callable[[int, str], AbstractContextManager[Progress]]

#: Below this size (bytes) a store is parsed directly, never cached. Measured
#: on the loaded 2-core machine, imports included, when the cache folder was
#: found with platformdirs and named with hashlib (9 ms of imports, no longer
#: paid on Linux): reading every award took 11 ms from a 150 kB store and
#: 23 ms from 1.2 MB directly, against 20 and 23 ms through the cache, while
#: ``show`` and ``stats``, which read a fraction of the cache, gained from
#: about 300 kB. The packaged palmarès is 60 kB.
DIRECT_READ_BYTES = 512 * 1024
#: Awards per marshal chunk: ``show`` loads one. Measured at 100,000 awards, loading one chunk /
#: all of them: 512 awards 1.23 / 216 ms, 256 awards 0.55 / 204 ms, 128 awards 0.31 / 236 ms.
CHUNK_AWARDS = 256
#: Bump when the layout of the files changes: older files are then rebuilt.
FORMAT = 5
#: What a rebuild tells its :data:`ProgressFactory`: reading the store (an amount in bytes)
#: or indexing it for search (an amount in awards).
READING, INDEXING = "reading", "indexing"
#: An award or its facts, as :func:`_records_of` makes them from plain rows.
Record = TypeVar("Record", bound=AwardFacts)


class Identity(NamedTuple):
    """What tells one state of a store file from another, read with one ``stat``."""

    path: str
    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str, status: os.stat_result) -> Identity:
        return cls(path, status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)

    @classmethod
    def of_store(cls, store: Path) -> Identity | None:
        """The identity of the store file now; ``None`` if it cannot be stat'ed."""
        try:
            resolved = os.path.realpath(store)
            return cls.of(resolved, os.stat(resolved))
        except (OSError, ValueError):
            return None


class Catalogue:
    """The awards of one store, read from the cache when the store is big.

    Get one with :meth:`open`; every method answers for the store as it was
    when it was opened.
    """

    def __init__(self, store: Path, awards: list[Award] | None, cached: _CachedStore | None) -> None:
        self.store = store
        self._awards = awards
        self._cached = cached

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, store: Path, *, progress: ProgressFactory | None = None) -> Catalogue:
        """The catalogue of ``store``: from the cache if it matches the store, else rebuilt.

        Raises :class:`territoria_cli.store.StoreError` when the store cannot
        be read or holds an invalid award (as :func:`load_awards` does); the
        cache itself never makes this fail.
        """
        identity = Identity.of_store(store)
        if identity is None or identity.size < DIRECT_READ_BYTES or not os.path.isfile(identity.path):
            return cls(store, store_file.load_awards(store), None)
        base = _cache_base(identity.path)
        if base is not None:
            cached = _CachedStore.read(base, identity)
            if cached is not None:
                return cls(store, None, cached)
        return cls._rebuild(store, identity, base, progress)

    @classmethod
    def _rebuild(
        cls, store: Path, identity: Identity, base: Path | None, progress: ProgressFactory | None
    ) -> Catalogue:
        """Read the store; re-key the catalogue if its bytes did not change, else validate and save it anew.

        A store whose identity changed but whose bytes did not (``touch``,
        ``cp -p``, ``git checkout``, a sync tool) keeps its catalogue: reading
        and fingerprinting 155 MB costs about 0.3 s, parsing and validating
        them again 2 s, writing the catalogue 1 s more (100,000 awards).
        Nothing is saved when the store's identity moved while it was read:
        the bytes read are then no state that a later command could check.
        """
        reporting = progress(identity.size, READING) if progress is not None else nullcontext(_ignore_progress)
        with reporting as report:
            report(0.0)
            raw = store_file.read_store_bytes(store)
            report(0.1)
            if base is None or Identity.of_store(store) != identity:  # nothing to re-key, nothing to save
                return cls(store, store_file.load_awards(store, report, raw=raw), None)
            if _CachedStore.saved_size(base) == len(raw):  # maybe the same bytes: look before parsing
                content = fingerprint(raw)
                cached = _CachedStore.read(base, identity, content)
                if cached is not None:
                    return cls(store, None, cached)
                awards = store_file.load_awards(store, report, raw=raw)
            else:  # other bytes for sure: fingerprint them while they are parsed
                with _fingerprinting(raw) as fingerprinted:
                    awards = store_file.load_awards(store, report, raw=raw)
                content = fingerprinted()
            del raw  # 155 MB at 100,000 awards, no longer needed while the catalogue is written
            cached = None
            if Identity.of_store(store) == identity:
                cached = _CachedStore.write(base, identity, content, awards, report)
            report(1.0)
        return cls(store, awards, cached)

    @staticmethod
    def save(store: Path, awards: list[Award], raw: bytes) -> None:
        """Save the catalogue of a store just written with ``raw``, holding ``awards`` (validated, in stored order).

        What ``import`` calls once the store is replaced, so that the next
        command finds the catalogue ready. Nothing is saved for a small store,
        nor when the store's bytes are no longer ``raw`` (checked by size and
        identity before and after fingerprinting).
        """
        identity = Identity.of_store(store)
        if identity is None or identity.size != len(raw) or identity.size < DIRECT_READ_BYTES:
            return
        base = _cache_base(identity.path)
        content = fingerprint(raw)
        if base is not None and Identity.of_store(store) == identity:
            _CachedStore.write(base, identity, content, awards, _ignore_progress)

    # ------------------------------------------------------------------ reading

    def awards(self) -> list[Award]:
        """Every award, in stored order."""
        if self._awards is None:
            assert self._cached is not None
            try:
                self._awards = self._cached.all_awards()
            except _Damaged:
                self._awards = self._read_store_instead()
        return self._awards

    def _read_store_instead(self) -> list[Award]:
        """The awards read from the store, the cached files being damaged: they are removed, the next command rebuilds them."""
        if self._cached is not None:
            self._cached.discard()
            self._cached = None
        return store_file.load_awards(self.store)

    def ids(self) -> list[str]:
        """Every award's id, in stored order (without loading the awards from the cache)."""
        if self._awards is not None:
            return [award.id for award in self._awards]
        assert self._cached is not None
        try:
            return self._cached.id_list()
        except _Damaged:
            return [award.id for award in self.awards()]

    def chunk_digests(self) -> tuple[str, ...] | None:
        """A fingerprint of each chunk of :data:`CHUNK_AWARDS` awards, in stored order; ``None`` if not cached.

        Equal fingerprints mean equal awards at the same positions: the search
        index re-indexes only the chunks whose fingerprint changed.
        """
        return None if self._cached is None else self._cached.digests

    def chunk_awards(self, number: int) -> list[Award]:
        """The awards of chunk ``number`` (positions ``number * CHUNK_AWARDS`` onwards), loading that chunk only."""
        if self._awards is None and self._cached is not None and 0 <= number < len(self._cached.chunk_ends):
            try:
                return _awards_of(self._cached.chunk(number), {})
            except (_Damaged, TypeError, ValueError, IndexError):
                self._awards = self._read_store_instead()
        return self.awards()[number * CHUNK_AWARDS : (number + 1) * CHUNK_AWARDS]

    def award(self, award_id: str) -> Award | None:
        """The award with exactly this id, or ``None``."""
        if self._awards is not None:
            return next((award for award in self._awards if award.id == award_id), None)
        assert self._cached is not None
        try:
            return self._cached.award(award_id)
        except _Damaged:
            self._awards = self._read_store_instead()
            return self.award(award_id)

    def find(self, wanted: str) -> Award:
        """The award a reference designates, as :func:`territoria_cli.filters.find_award` reads it.

        An id or the only id it begins is answered from the cache; a part of an
        id, a row number, or an error (listing candidates, suggesting close ids)
        reads all the awards.
        """
        from territoria_cli.filters import find_award
        from territoria_cli.text import fold

        if wanted.strip().isdigit():  # a row number of the last list: its id is known only there
            return find_award(self.awards(), wanted)
        found = self.award(wanted)
        if found is None:
            prefix = fold(wanted.strip())
            starting = [award_id for award_id in self.ids() if prefix and fold(award_id).startswith(prefix)]
            found = self.award(starting[0]) if len(starting) == 1 else None
        return found if found is not None else find_award(self.awards(), wanted)

    def stats(self, *, hide_empty: bool = False) -> Stats:
        """What ``stats`` shows for the whole store (:func:`territoria_cli.stats.palmares_stats`, no filter).

        Kept in the cache by the first command that needs them: at 100,000
        awards computing them takes about 0.4 s (after 0.4 s loading the
        awards), reading them back under 1 ms.
        """
        from territoria_cli.filters import NO_FILTERS
        from territoria_cli.stats import Stats, palmares_stats

        def compute() -> Stats:
            return palmares_stats(self.facts(), NO_FILTERS, hide_empty=hide_empty)

        saved = self._kept(f"stats-{'hide-empty' if hide_empty else 'all-places'}", lambda: tuple(compute()))
        try:
            return Stats._make(saved)
        except TypeError:  # another layout
            return compute()

    def values(self, field: str) -> list[tuple[str, int]]:
        """What ``values FIELD`` lists for the whole store (:func:`territoria_cli.values.accepted_values`).

        Kept in the cache as :meth:`stats` is: shell completion asks for them
        at every Tab (at 100,000 awards 0.7 s to compute, under 1 ms to read back).
        """
        from territoria_cli.values import accepted_values

        return self._kept(f"values-{field}", lambda: accepted_values(self.facts(), field))

    def facts(self) -> Sequence[AwardFacts]:
        """What filters, sorting and counts read of every award, in stored order.

        From the cache, :class:`Facts` kept there by the first command that
        needs them: at 100,000 awards they load in about 0.1 s and 60 MiB,
        whole awards in 0.5 s and 250 MiB (the summaries are most of a store's
        bytes). Without a cache, or once the awards are loaded, the awards.
        """
        facts = self._facts()
        return self.awards() if facts is None else facts

    def _facts(self) -> list[Facts] | None:
        if self._awards is not None or self._cached is None:
            return None
        rows = self._kept("facts", lambda: _fact_rows(self.awards()))
        if self._awards is not None:  # the facts were just taken from them
            return None
        with bulk_allocation():
            return _records_of(Facts._make, rows, 1 + _BODIES_AT, {})  # after the position

    def select(
        self, filters: FilterValues, *, sort: str | None = None, reverse: bool = False, limit: int | None = None
    ) -> tuple[list[Award], int]:
        """:func:`territoria_cli.filters.select` over the whole store: the awards kept, cut to ``limit``, and how many were kept.

        :meth:`select_facts`, then only the awards returned are read whole.
        """
        kept, count = self.select_facts(filters, sort=sort, reverse=reverse, limit=limit)
        awards = [award for award in kept if isinstance(award, Award)]  # no facts kept: the awards themselves
        return (awards if len(awards) == len(kept) else self._at([fact for fact in kept if isinstance(fact, Facts)])), count

    def select_facts(
        self, filters: FilterValues, *, sort: str | None = None, reverse: bool = False, limit: int | None = None
    ) -> tuple[list[AwardFacts], int]:
        """Filter and sort :meth:`facts`: what a table or plain rows show, no award read whole; and how many were kept."""
        from territoria_cli.filters import select

        kept = select(self.facts(), self.filters(filters), sort=sort, reverse=reverse)
        return kept[:limit], len(kept)

    def filters(self, typed: FilterValues) -> Filters:
        """The filters as the user typed them, names read against those this store holds (:meth:`names`)."""
        from territoria_cli.filters import read_filters

        return read_filters(self.names, **typed)

    def _at(self, kept: Sequence[Facts]) -> list[Award]:
        """The whole awards of ``kept``, in that order, each chunk read once."""
        wanted: dict[int, list[int]] = {}
        for fact in kept:
            wanted.setdefault(fact.position // CHUNK_AWARDS, []).append(fact.position)
        found: dict[int, Award] = {}
        bodies: dict[Any, tuple[Laureate, ...]] = {}
        with bulk_allocation():
            for number, positions in wanted.items():
                rows = self._chunk_rows(number)
                if rows is None:
                    awards = self.awards()
                    return [awards[fact.position] for fact in kept]
                start = number * CHUNK_AWARDS
                chosen = [rows[position - start] for position in positions]
                found.update(zip(positions, _awards_of(chosen, bodies), strict=True))
        return [found[fact.position] for fact in kept]

    def _chunk_rows(self, number: int) -> list[Any] | None:
        """The plain rows of chunk ``number``; ``None`` if the cache cannot give them (the store is read instead)."""
        assert self._cached is not None
        try:
            return self._cached.chunk(number)
        except _Damaged:
            return None

    def names(self, field: str) -> list[str]:
        """The names the store holds for ``field`` (:func:`territoria_cli.values.stored_names`), from :meth:`values`."""
        return [name for name, count in self.values(field) if count]

    def _kept(self, part: str, compute: Callable[[], Any]) -> Any:
        """What ``compute`` derives from the whole store (plain data), saved beside the catalogue the first time."""
        if self._cached is None:
            return compute()
        saved = self._cached.read_part(part)
        if saved is not None:
            return saved
        value = compute()
        if self._cached is not None:  # computing may have found the cache damaged and let it go
            self._cached.write_part(part, value)
        return value


def _ignore_progress(fraction: float) -> None:
    """No one to show the progress to."""


# --------------------------------------------------------------------------- the files


def user_cache_dir() -> Path:
    """territoria's folder in the user's cache folder, per OS conventions (platformdirs' answer).

    On Linux the XDG rule is applied here, as platformdirs applies it
    (``$XDG_CACHE_HOME`` when it is an absolute path, else ``~/.cache``; a
    test checks both agree): importing platformdirs costs 4 ms, a twentieth
    of a command's start-up. The catalogue and the search index live in it.
    """
    if sys.platform == "linux":
        configured = os.environ.get("XDG_CACHE_HOME", "")
        base = Path(configured) if os.path.isabs(configured) else Path(os.path.expanduser("~/.cache"))
        return base / "territoria"
    import platformdirs

    return Path(platformdirs.user_cache_dir("territoria"))


def fingerprint(raw: bytes) -> tuple[int, str]:
    """What tells the store's bytes from any other bytes: their length and SHA-256.

    The catalogue is keyed to it, and to the store's identity only through a
    small file saying which fingerprint that identity had. SHA-256 rather than
    :func:`digest`: an edit that keeps the size must never pass for no edit,
    and with the CPU's SHA instructions it is no slower (155 MB: SHA-256
    0.155 s, SHA-1 0.159 s, BLAKE2b 0.196 s, crc32 and adler32 together 0.2 s;
    hashlib is imported only here, after the store changed).
    """
    import hashlib

    return len(raw), hashlib.sha256(raw).hexdigest()


@contextmanager
def _fingerprinting(raw: bytes) -> Iterator[Callable[[], tuple[int, str]]]:
    """:func:`fingerprint` ``raw`` in a thread meanwhile; the block gets a function that waits for the result.

    hashlib lets go of the interpreter's lock while it hashes a big buffer,
    so on a second core the 0.15 s of SHA-256 over 155 MB hide behind the
    parse (measured at 100,000 awards, loaded 2-core machine: the result was
    waited for under 1 ms after the parse).
    """
    import threading

    result: list[tuple[int, str]] = []
    worker = threading.Thread(target=lambda: result.append(fingerprint(raw)), name="territoria-fingerprint")
    worker.start()

    def wait() -> tuple[int, str]:
        worker.join()
        return result[0] if result else fingerprint(raw)  # the thread died (no memory?): once more, here

    try:
        yield wait
    finally:
        worker.join()  # never leave it running behind an error: the error is reported, then the process ends


def digest(text: str | bytes) -> str:
    """A short fingerprint of ``text`` for cache file names (64 bits from zlib: hashlib costs 3 ms to import)."""
    import zlib

    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def cache_path(name: str) -> Path | None:
    """``name`` (a folder or a file) in territoria's cache folder; None when platformdirs cannot tell where that is.

    The one answer for every cache (catalogue, search index, synonyms, last results): with
    None, each works without its cache rather than fail the command.
    """
    try:
        return user_cache_dir() / name
    except Exception:  # whatever platformdirs raises, there is no cache
        return None


def _cache_base(resolved: str) -> Path | None:
    """The catalogue files of the store at ``resolved`` share this path, plus a suffix."""
    folder = cache_path("catalogue")
    return None if folder is None else folder / digest(resolved)


def _fact_rows(awards: Sequence[Award]) -> list[tuple[Any, ...]]:
    """Every award's :class:`Facts` as marshal stores them: its position, then the first fields of its chunk row.

    Facts are an award's first fields (a test ties the two lists), so they
    share the chunk rows' plain tuples and their recurring values, which
    marshal writes once and loads once.
    """
    return [(position, *row[:_FACT_FIELDS]) for position, row in enumerate(_chunk_rows(awards))]


#: How many of an award's fields, from the first, are its facts.
_FACT_FIELDS = len(Facts._fields) - 1
#: Where a chunk row holds the award's bodies (plain tuples, made :class:`Laureate` when loaded).
_BODIES_AT = Award._fields.index("laureates")


def _chunk_rows(awards: Sequence[Award]) -> list[tuple[Any, ...]]:
    """Awards as marshal stores them: plain tuples (marshal refuses NamedTuples).

    A value that recurs from award to award (level, category, sponsor,
    laureate, budget, the list of bodies) is made one object, which marshal
    then writes once and loads once per chunk. Titles and summaries are
    written as they are: they rarely recur in a real palmarès. The bodies of
    an award are turned into plain tuples once per distinct list of bodies.

    The chunk's bytes, hence its digest, must depend on the awards' values
    alone, whichever parser read the store (msgspec for a big store, json for
    an import): marshal refers back to an object it wrote already and marks
    interned strings, so the model gives levels and kinds as the same
    (interned) objects on both paths (``model._CANONICAL``). Else a search
    after an import into 100,000 awards re-indexed most chunks (11.8 s).
    """
    shared: dict[Any, Any] = {}
    one = shared.setdefault
    plain_bodies: dict[tuple[Laureate, ...], tuple[tuple[Any, ...], ...]] = {}
    rows = []
    for award_id, year, level, category, sponsor, laureate, laureates, title, summary_title, summary, excellence, budget in awards:
        bodies = plain_bodies.get(laureates)
        if bodies is None:
            bodies = plain_bodies[laureates] = tuple(map(tuple, laureates))
        rows.append(
            (
                award_id,
                year,
                one(level, level),
                one(category, category),
                one(sponsor, sponsor),
                one(laureate, laureate),
                bodies,
                title,
                summary_title,
                summary,
                excellence,
                one(budget, budget),
            )
        )
    return rows


def _awards_of(rows: Sequence[Sequence[Any]], bodies: dict[Any, tuple[Laureate, ...]]) -> list[Award]:
    """The awards of a chunk; ``bodies`` keeps the laureates already made, from chunk to chunk."""
    return _records_of(Award._make, rows, _BODIES_AT, bodies)


def _records_of(
    make: Callable[[tuple[Any, ...]], Record], rows: Iterable[Sequence[Any]], at: int, bodies: dict[Any, tuple[Laureate, ...]]
) -> list[Record]:
    """``make`` of each row, its plain bodies (at ``at``) made :class:`Laureate`, each distinct list of them once."""
    records: list[Record] = []
    for fields in rows:
        plain = fields[at]
        laureates = bodies.get(plain)
        if laureates is None:
            laureates = bodies[plain] = tuple(Laureate._make(body) for body in plain)
        records.append(make((*fields[:at], laureates, *fields[at + 1 :])))
    return records


class _CachedStore:
    """The ``.awards`` file of a catalogue, a header then the award chunks, and its ``.identity`` file.

    Layout: 8 bytes giving the header's length, the header (marshal of
    ``(FORMAT, content, id_hashes, ids_length, chunk_ends, digests)``), the
    ids, then the chunks, each a marshal of a list of plain award tuples,
    chunk ``n`` ending ``chunk_ends[n]`` bytes after the ids; ``content`` is
    the :func:`fingerprint` of the store's bytes the awards were read from;
    ``digests[n]`` is the :func:`digest` of chunk ``n``'s bytes (equal bytes
    load equal awards). The ids are one text (a marshal of ``ids_length``
    bytes), each between newlines, read only to list them or match a part of
    one. An exact id is found through ``id_hashes``: the CRC-32 of each id,
    4 bytes per award in stored order, one substring search away (then the
    award's chunk confirms the id). At 100,000 awards the header is 0.4 MB
    instead of 5 MB with the ids in it, and ``show ID`` reads it and one
    chunk: 4 ms instead of 11 ms.

    The ``.identity`` file, a marshal of ``(FORMAT, identity, content)``, says
    which store identity had those bytes: a warm start reads it and the
    header, and a store whose bytes did not change is re-keyed by rewriting
    it alone (a few hundred bytes, against 119 MB for the awards).
    """

    def __init__(
        self,
        base: Path,
        content: tuple[int, str],
        id_hashes: bytes,
        ids_length: int,
        chunk_ends: list[int],
        digests: tuple[str, ...],
        ids_start: int,
        handle: Any = None,
        ids: str | None = None,
    ) -> None:
        self.base = base
        #: The file as opened when its header was checked: a rebuild by another
        #: process replaces the file, not what this handle reads.
        self.handle = handle
        #: The :func:`fingerprint` of the store's bytes: the parts are keyed to it, so they survive a ``touch``.
        self.content = content
        self.id_hashes = id_hashes
        self.ids_length = ids_length
        self.chunk_ends = chunk_ends
        self.digests = digests
        self.ids_start = ids_start
        #: Where the chunks begin in the file: after the header and the ids.
        self.body_start = ids_start + ids_length
        self._ids = ids

    @property
    def file(self) -> Path:
        return self.base.with_suffix(".awards")

    @classmethod
    def read(cls, base: Path, identity: Identity, content: tuple[int, str] | None = None) -> _CachedStore | None:
        """The cached awards of this identity, or ``None`` (absent, stale or damaged).

        Given the ``content`` fingerprint of the store's bytes now, awards
        cached from the same bytes are taken whatever identity they were saved
        under, and the ``.identity`` file is rewritten for this identity.
        """
        import marshal

        expected = content
        if expected is None:
            try:
                stored_format, stored_identity, expected = marshal.loads(base.with_suffix(".identity").read_bytes())
                if stored_format != FORMAT or tuple(stored_identity) != identity:
                    return None
            except Exception:  # absent, truncated, another layout: rebuild
                return None
        try:
            handle = open(base.with_suffix(".awards"), "rb")  # noqa: SIM115 (kept open to read chunks)
        except OSError:
            return None
        try:
            length = int.from_bytes(handle.read(8), "little")
            stored_format, stored_content, id_hashes, ids_length, chunk_ends, digests = marshal.loads(handle.read(length))
            valid = (
                stored_format == FORMAT
                and tuple(stored_content) == tuple(expected)
                and isinstance(id_hashes, bytes)
                and isinstance(ids_length, int)
                and isinstance(chunk_ends, list)
                and isinstance(digests, tuple)
                and len(digests) == len(chunk_ends)
                # A file cut short (a crash before the cache reached the disk: it is written without fsync) is no catalogue.
                and os.fstat(handle.fileno()).st_size == 8 + length + ids_length + (chunk_ends[-1] if chunk_ends else 0)
            )
        except Exception:  # truncated, another layout: rebuild
            valid = False
        if not valid:
            handle.close()
            return None
        cached = cls(base, tuple(stored_content), id_hashes, ids_length, chunk_ends, digests, 8 + length, handle)
        if content is not None:
            cached._save_identity(identity)
        return cached

    @staticmethod
    def saved_size(base: Path) -> int | None:
        """The size of the store's bytes that the saved catalogue was read from, if its ``.identity`` file says it."""
        import marshal

        try:
            stored_format, _identity, (size, _sha) = marshal.loads(base.with_suffix(".identity").read_bytes())
        except Exception:  # absent, damaged: no hint
            return None
        return size if stored_format == FORMAT and isinstance(size, int) else None

    def _save_identity(self, identity: Identity) -> bool:
        """Record that the store at ``identity`` holds the bytes these awards were read from; whether it was saved."""
        import marshal

        from territoria_cli.files import OutputError, atomic_write_bytes

        try:
            atomic_write_bytes(
                self.base.with_suffix(".identity"), marshal.dumps((FORMAT, tuple(identity), self.content)), durable=False
            )
        except (OSError, OutputError):
            return False  # the next command re-keys again: slower, never wrong
        return True

    @classmethod
    def write(
        cls, base: Path, identity: Identity, content: tuple[int, str], awards: list[Award], report: Progress
    ) -> _CachedStore | None:
        """Save ``awards``, read from bytes of fingerprint ``content``, as the catalogue of ``identity``.

        ``None`` if the cache cannot be written. The files are derived data,
        written without ``fsync`` (0.35 s of 1.2 s at 100,000 awards): one cut
        short by a crash fails :meth:`read`'s checks and is rebuilt.
        """
        import marshal

        from territoria_cli.files import OutputError, atomic_write_bytes

        chunks = []
        ends = []
        digests = []
        total = 0
        for start in range(0, len(awards), CHUNK_AWARDS):
            chunk = marshal.dumps(_chunk_rows(awards[start : start + CHUNK_AWARDS]))
            total += len(chunk)
            chunks.append(chunk)
            ends.append(total)
            digests.append(digest(chunk))
            report(0.8 + 0.15 * start / max(len(awards), 1))
        ids = "".join(f"\n{award.id}" for award in awards) + "\n"
        ids_data = marshal.dumps(ids)
        id_hashes = _id_hashes(award.id for award in awards)
        header = marshal.dumps((FORMAT, content, id_hashes, len(ids_data), ends, tuple(digests)))
        try:
            base.parent.mkdir(parents=True, exist_ok=True)
            _remove_older(base)
            atomic_write_bytes(
                base.with_suffix(".awards"), [len(header).to_bytes(8, "little"), header, ids_data, *chunks], durable=False
            )
        except (OSError, OutputError):
            return None  # an unwritable cache only costs speed
        cached = cls(base, content, id_hashes, len(ids_data), ends, tuple(digests), 8 + len(header), ids=ids)
        return cached if cached._save_identity(identity) else None

    def discard(self) -> None:
        """Remove the files found damaged, so that the next command rebuilds them rather than trip over them again."""
        if self.handle is not None:
            self.handle.close()
        for suffix in (".identity", ".awards"):
            with contextlib.suppress(OSError):
                self.base.with_suffix(suffix).unlink()

    def _chunks(self, numbers: Sequence[int]) -> list[list[Any]]:
        """Chunks by number; :class:`_Damaged` if the file does not hold them."""
        import marshal

        loaded = []
        try:
            for number in numbers:
                start = self.chunk_ends[number - 1] if number else 0
                self.handle.seek(self.body_start + start)
                loaded.append(marshal.loads(self.handle.read(self.chunk_ends[number] - start)))
        except Exception:
            raise _Damaged() from None
        return loaded

    def chunk(self, number: int) -> list[Any]:
        """The rows of chunk ``number``; :class:`_Damaged` if the file does not hold it."""
        if not 0 <= number < len(self.chunk_ends):
            raise _Damaged()
        return self._chunks([number])[0]

    def all_awards(self) -> list[Award]:
        with bulk_allocation():
            bodies: dict[Any, tuple[Laureate, ...]] = {}
            try:
                awards = [
                    award for chunk in self._chunks(range(len(self.chunk_ends))) for award in _awards_of(chunk, bodies)
                ]
            except (TypeError, ValueError, IndexError):
                raise _Damaged() from None
        if len(awards) != len(self.id_hashes) // 4:
            raise _Damaged()
        return awards

    def ids(self) -> str:
        """The ids, each between newlines (read from the file the first time)."""
        if self._ids is None:
            import marshal

            try:
                self.handle.seek(self.ids_start)
                ids = marshal.loads(self.handle.read(self.ids_length))
            except Exception:
                raise _Damaged() from None
            if not isinstance(ids, str) or ids.count("\n") - 1 != len(self.id_hashes) // 4:
                raise _Damaged()
            self._ids = ids
        return self._ids

    def id_list(self) -> list[str]:
        ids = self.ids()
        return ids[1:-1].split("\n") if len(ids) > 1 else []

    def award(self, award_id: str) -> Award | None:
        wanted = _id_hashes([award_id])
        found = self.id_hashes.find(wanted)
        while found >= 0:
            if found % 4 == 0:  # a hash of its own, not the end of one and the start of the next
                position = found // 4
                try:
                    row = self._chunks([position // CHUNK_AWARDS])[0][position % CHUNK_AWARDS]
                    if row[0] == award_id:
                        return _awards_of([row], {})[0]
                except (TypeError, ValueError, IndexError):
                    raise _Damaged() from None
            found = self.id_hashes.find(wanted, found + 1)
        return None

    # ------------------------------------------------------------------ parts

    def _part_file(self, name: str) -> Path:
        return self.base.with_name(f"{self.base.name}.{name}")

    def read_part(self, name: str) -> Any:
        """A part saved by :meth:`write_part` for this identity, or ``None``."""
        import marshal

        try:
            stored_format, stored_content, value = marshal.loads(self._part_file(name).read_bytes())
        except Exception:
            return None
        if stored_format != FORMAT or tuple(stored_content) != self.content:
            return None
        return value

    def write_part(self, name: str, value: Any) -> None:
        import marshal

        from territoria_cli.files import OutputError, atomic_write_bytes

        try:
            atomic_write_bytes(self._part_file(name), marshal.dumps((FORMAT, self.content, value)), durable=False)
        except (OSError, OutputError, ValueError):
            pass  # not saved: computed again next time


def _id_hashes(ids: Iterable[str]) -> bytes:
    """The CRC-32 of each id, 4 little-endian bytes each: what finds an exact id without reading the ids."""
    import zlib

    return b"".join(zlib.crc32(award_id.encode("utf-8", "surrogateescape")).to_bytes(4, "little") for award_id in ids)


def _remove_older(base: Path) -> None:
    """Delete the parts that older states of this store left."""
    for path in base.parent.glob(base.name + ".*"):
        if path.suffix not in (".awards", ".identity"):  # replaced atomically by the writes that follow
            path.unlink(missing_ok=True)


class _Damaged(Exception):
    """The cached awards cannot be read back: the store is read instead."""
