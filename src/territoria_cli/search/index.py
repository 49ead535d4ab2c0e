"""The search index: a tantivy index of the store, kept in the user's cache folder.

Layout (one document per award):

* searched fields, analysed in French (:mod:`.analysis`): ``title``,
  ``summary_title``, ``laureate`` (the laureate and its bodies' names),
  ``category``, ``summary``; their terms are also the vocabulary of stems
  (for plurals and derived forms);
* ``words``: the five fields folded but neither stemmed nor stripped of stop
  words: the vocabulary that typos are corrected against;
* ``document``: the award's fields (a marshal dump of plain tuples: ten times
  faster to write than JSON), so a search reads only its hits;
* ``position`` (order in the store), a fast field, and ``chunk`` (the
  catalogue chunk it came from: :data:`territoria_cli.catalogue.CHUNK_AWARDS`
  awards), indexed so that a chunk's documents can be deleted;
* filter fields, untokenised and fast, so that filters, sorting and counts can
  be answered from the index (:data:`FILTER_FIELDS`): ``id``, ``level``,
  ``category_name``, ``sponsor``, ``year``, ``kind``, ``department``,
  ``region`` (one value per body), and ``laureate_name`` (each name as the
  laureate filter compares it, :func:`territoria_cli.filters.compact_name`).

Where: ``platformdirs.user_cache_dir("territoria")/search/``, never beside the
store (which may be read-only, shared, or inside the installed package). An
index directory is named after the store's identity (the catalogue's rule,
:meth:`territoria_cli.catalogue.Identity.of_store`: resolved path, device,
inode, size, modification time; and the index format), so a changed store
gets a new index and the old one is deleted. Beside tantivy's files, a
directory keeps the catalogue chunks' fingerprints and the tie order (rank by
level, then id, per position: kept outside the documents because one new
award moves the rank of others). A changed big store does not rebuild from
scratch: the older index's files are hard-linked into the new directory and
only the chunks whose fingerprint changed are indexed again (French analysis
costs about 0.2 ms of CPU per award, 20 s at 100,000 awards).
A directory is built under a temporary name and
renamed into place when complete: two first searches at the same time each
build, one rename wins, the other uses the winner's; a reader never sees half
an index. When the cache cannot be written, the index is built in memory.
Measured at 38 awards: opening a cached index costs 0.5 ms, building one 20-60 ms.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from territoria_cli import __version__
from territoria_cli.catalogue import CHUNK_AWARDS
from territoria_cli.filters import compact_name
from territoria_cli.model import LEVELS, Award, Laureate
from territoria_cli.search.analysis import FOLDED, FRENCH, analyzers

if TYPE_CHECKING:
    from array import array

    import tantivy

    from territoria_cli.catalogue import Catalogue, Progress, ProgressFactory

#: Searched fields and the weight of a match in each: a title match counts most.
FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "summary_title": 2.0,
    "laureate": 2.0,
    "category": 1.5,
    "summary": 1.0,
}
SEARCHED_FIELDS: tuple[str, ...] = tuple(FIELD_WEIGHTS)
#: The index field answering each filter of :data:`territoria_cli.filters.FILTERS`, by filter name.
FILTER_FIELDS: dict[str, str] = {
    "levels": "level",
    "categories": "category_name",
    "laureate": "laureate_name",
    "kinds": "kind",
    "departments": "department",
    "regions": "region",
    "years": "year",
    "sponsors": "sponsor",
}
#: Bump when the schema or the analysis changes: old cached indexes are then rebuilt.
INDEX_FORMAT = 5
#: The file of an index directory that holds its :class:`_State`.
_STATE_FILE = "territoria-state"
_RAW_FOLDED = "territoria_raw_folded"
_WRITER_HEAP = 64_000_000
_STALE_BUILD_SECONDS = 3600


def _schema() -> tantivy.Schema:
    import tantivy

    builder = tantivy.SchemaBuilder()
    for name in SEARCHED_FIELDS:
        builder.add_text_field(name, tokenizer_name=FRENCH)
    builder.add_text_field("words", tokenizer_name=FOLDED, index_option="basic")
    builder.add_bytes_field("document", stored=True)
    builder.add_unsigned_field("position", fast=True)
    builder.add_unsigned_field("chunk", indexed=True)
    for name in ("id", "level", "category_name", "sponsor", "kind", "department", "region"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_text_field("laureate_name", tokenizer_name=_RAW_FOLDED, index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    return builder.build()


def _register(index: tantivy.Index) -> None:
    import tantivy

    for name, analyzer in analyzers().items():
        index.register_tokenizer(name, analyzer)
    raw_folded = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(tantivy.Filter.lowercase())
    index.register_tokenizer(_RAW_FOLDED, raw_folded.filter(tantivy.Filter.ascii_fold()).build())


def laureate_text(award: Award) -> str:
    """The laureate and the names of its bodies, once each."""
    return "\n".join(dict.fromkeys((award.laureate, *(body.name for body in award.laureates))))


def field_texts(award: Award) -> dict[str, str]:
    """The text of each searched field of ``award``."""
    return {
        "title": award.title,
        "summary_title": award.summary_title,
        "laureate": laureate_text(award),
        "category": award.category,
        "summary": award.summary,
    }


def encode_award(award: Award) -> bytes:
    """The award as the index stores it: its fields as plain tuples, dumped with marshal."""
    import marshal

    return marshal.dumps((*award[:6], tuple(tuple(body) for body in award.laureates), *award[7:]))


def decode_award(data: bytes) -> Award:
    """The award :func:`encode_award` stored (trusted: the index is derived from a validated store)."""
    import marshal

    fields = marshal.loads(data)
    return Award._make((*fields[:6], tuple(map(Laureate._make, fields[6])), *fields[7:]))


class Indexed:
    """An open index and the tie order of its awards: ``tie_ranks[position]`` ranks by level, then id.

    A plain class: a NamedTuple costs 0.2 ms to define, at every search.
    """

    __slots__ = ("handle", "tie_ranks")

    def __init__(self, handle: tantivy.Index, tie_ranks: Sequence[int]) -> None:
        self.handle = handle
        self.tie_ranks = tie_ranks


def tie_ranks(levels: Sequence[int], ids: Sequence[str]) -> array[int]:
    """The rank of each position when the awards are ordered by level, then id (the order of equal scores).

    Two sorts keyed by C methods, the second stable, rather than one keyed
    by a lambda building a tuple per award: at 100,000 awards 0.28 s before.
    """
    from array import array

    order = sorted(range(len(ids)), key=ids.__getitem__)
    order.sort(key=levels.__getitem__)
    ranks = array("I", bytes(4 * len(ids)))
    for rank, position in enumerate(order):
        ranks[position] = rank
    return ranks


def _add(
    writer: tantivy.IndexWriter, numbered: Iterable[tuple[int, Award]], levels: bytearray, report: Progress, total: int
) -> None:
    """Add the awards at their stored positions, noting each one's level rank; ``report`` sees the fraction done."""
    import tantivy

    level_rank = {level: rank for rank, level in enumerate(LEVELS)}
    step = max(1, total // 50)
    for count, (position, award) in enumerate(numbered, 1):
        texts = field_texts(award)
        document = tantivy.Document(
            **texts,
            words="\n".join(texts.values()),
            document=encode_award(award),
            id=award.id,
            level=award.level,
            category_name=award.category,
            year=award.year,
            laureate_name=[compact_name(name) for name in (award.laureate, *(body.name for body in award.laureates))],
        )
        if award.sponsor:
            document.add_text("sponsor", award.sponsor)
        document.add_unsigned("position", position)
        document.add_unsigned("chunk", position // CHUNK_AWARDS)
        for body in award.laureates:
            document.add_text("kind", body.kind)
            document.add_text("region", body.region)
            if body.department:
                document.add_text("department", body.department)
        writer.add_document(document)
        levels[position] = level_rank[award.level]
        if count % step == 0:
            report(0.9 * count / total)


def _writer(index: tantivy.Index, count: int) -> tantivy.IndexWriter:
    # One indexing thread for a handful of awards (one segment); else tantivy's choice (one per core).
    return index.writer(_WRITER_HEAP, 1 if count < 1000 else 0)


def _finish(writer: tantivy.IndexWriter) -> None:
    writer.commit()
    writer.wait_merging_threads()


def build_in_memory(awards: Sequence[Award]) -> Indexed:
    """An index of ``awards`` that lives in memory only."""
    import tantivy

    index = tantivy.Index(_schema())
    _register(index)
    levels = bytearray(len(awards))
    writer = _writer(index, len(awards))
    _add(writer, enumerate(awards), levels, _ignore, len(awards))
    _finish(writer)
    index.reload()
    return Indexed(index, tie_ranks(levels, [award.id for award in awards]))


def _ignore(fraction: float) -> None:
    """No one to tell."""


def cache_root() -> Path | None:
    """Where indexes are kept, in territoria's cache folder; None when there is none."""
    from territoria_cli.catalogue import cache_path

    return cache_path("search")


def _format_key() -> str:
    """What the index's bytes depend on besides the store: an index of another key is never reused."""
    import tantivy

    from territoria_cli import catalogue

    # Its format, tantivy's version (another on-disk format), territoria's and the records' fields (the
    # stored award tuples), and the catalogue's chunks (an update re-indexes whole chunks).
    return ":".join(
        map(
            str,
            (
                INDEX_FORMAT,
                getattr(tantivy, "__version__", ""),
                __version__,
                Award._fields,
                Laureate._fields,
                catalogue.FORMAT,
                CHUNK_AWARDS,
            ),
        )
    )


def _identity(store: Path) -> tuple[str, str, str] | None:
    """(store part, version part) of the index directory name and the format key; None if no ``stat``."""
    from territoria_cli.catalogue import Identity, digest

    identity = Identity.of_store(store)  # the catalogue's: one rule for what "the store changed" means
    if identity is None:
        return None
    key = _format_key()
    return digest(identity.path), digest(":".join(map(str, (key, *identity)))), key


class _State:
    """What an index directory keeps beside tantivy's files (:data:`_STATE_FILE`); a plain class, as :class:`Indexed`."""

    __slots__ = ("key", "digests", "levels", "ranks")

    def __init__(self, key: str, digests: tuple[str, ...] | None, levels: bytes, ranks: bytes) -> None:
        #: :func:`_format_key` of the index.
        self.key = key
        #: The catalogue's chunk fingerprints the index holds (None: built from a store read directly).
        self.digests = digests
        #: The level rank of the award at each position.
        self.levels = levels
        #: :func:`tie_ranks`, as the bytes of an ``array("I")``.
        self.ranks = ranks

    @classmethod
    def read(cls, folder: Path) -> _State:
        import marshal

        state = cls(*marshal.loads((folder / _STATE_FILE).read_bytes()))
        if len(state.ranks) != 4 * len(state.levels):
            raise ValueError("damaged index state")
        return state

    def write(self, folder: Path) -> None:
        import marshal

        (folder / _STATE_FILE).write_bytes(marshal.dumps((self.key, self.digests, self.levels, self.ranks)))

    def opened(self, index: tantivy.Index) -> Indexed:
        # A memoryview reads the ranks in place (importing the array module costs 0.3 ms at every search).
        return Indexed(index, memoryview(self.ranks).cast("I"))


def open_index(
    store: Path,
    open_catalogue: Callable[[], Catalogue],
    *,
    use_cache: bool = True,
    progress: ProgressFactory | None = None,
) -> Indexed:
    """The index of the store at ``store``: the cached one if fresh, else built (and cached if possible).

    ``open_catalogue()`` is called only to build, so a warm search never reads
    the store. When the store changed, an older index of the same store is
    brought up to date by re-indexing only the catalogue chunks whose content
    changed (a big store; a small one is indexed again, which takes
    milliseconds); else every award is indexed. ``progress`` shows a build
    that lasts on a terminal.
    """
    import tantivy

    identity = _identity(store) if use_cache else None
    if identity is None:
        return build_in_memory(open_catalogue().awards())
    root = cache_root()
    if root is None:
        return build_in_memory(open_catalogue().awards())
    store_part, version_part, key = identity
    final = root / f"index-{store_part}-{version_part}"
    if final.is_dir():
        try:
            # No analyzer to register for reading: queries are built from analysed terms (0.1 ms less).
            return _State.read(final).opened(tantivy.Index.open(str(final)))
        except Exception:  # noqa: BLE001 - damaged (disk full, manual edit): build it again below
            _remove(final)
    catalogue = open_catalogue()
    try:
        root.mkdir(parents=True, exist_ok=True)
        building = Path(_temporary_directory(root))
        _build(building, catalogue, _reusable(root, store_part, key, catalogue), key, progress)
        try:
            os.rename(building, final)
        except OSError:  # another process renamed its build first: use that one
            _remove(building)
        _remove_stale(root, store_part, keep=final.name)
        return _State.read(final).opened(tantivy.Index.open(str(final)))
    except Exception:  # noqa: BLE001 - unwritable or full cache folder: an unwritable cache only costs speed
        return build_in_memory(catalogue.awards())


def _reusable(root: Path, store_part: str, key: str, catalogue: Catalogue) -> tuple[Path, _State] | None:
    """An older index of the same store and format, built from the catalogue's chunks, to bring up to date."""
    if catalogue.chunk_digests() is None:
        return None
    for entry in root.iterdir():
        if entry.name.startswith(f"index-{store_part}-"):
            try:
                state = _State.read(entry)
            except Exception:  # noqa: BLE001 - unreadable: not a base
                continue
            if state.key == key and state.digests is not None:
                return entry, state
    return None


def _build(
    folder: Path, catalogue: Catalogue, base: tuple[Path, _State] | None, key: str, progress: ProgressFactory | None
) -> None:
    """Write the index of ``catalogue`` into ``folder``: ``base`` updated (linked, never changed), or from scratch.

    An update deletes the documents of the chunks whose fingerprint changed
    (or that are gone) and indexes those chunks again; tantivy's files are
    written once and never modified, so the base's are hard-linked, not copied.
    """
    import tantivy

    from territoria_cli.catalogue import INDEXING

    digests = catalogue.chunk_digests()
    ids = catalogue.ids()
    if base is not None and digests is not None:
        base_folder, state = base
        for entry in base_folder.iterdir():
            if entry.is_file() and not entry.name.startswith(".tantivy-") and entry.name != _STATE_FILE:
                os.link(entry, folder / entry.name)
        old = state.digests or ()
        changed = [
            number for number, fingerprint in enumerate(digests) if number >= len(old) or old[number] != fingerprint
        ]
        gone = range(len(digests), len(old))
        if not changed and not gone:  # the same awards (the store was touched, or written back as it was)
            _State(key, digests, state.levels, state.ranks).write(folder)
            return
        levels = bytearray(state.levels[: len(ids)].ljust(len(ids), b"\0"))
        index = tantivy.Index.open(str(folder))
    else:
        changed, gone, levels = list(range(len(digests))) if digests is not None else [], range(0), bytearray(len(ids))
        index = tantivy.Index(_schema(), path=str(folder))
    _register(index)
    if digests is None:
        numbered: Iterable[tuple[int, Award]] = enumerate(catalogue.awards())
        count = len(ids)
    else:
        numbered = (
            (number * CHUNK_AWARDS + offset, award)
            for number in changed
            for offset, award in enumerate(catalogue.chunk_awards(number))
        )
        count = sum(min(CHUNK_AWARDS, len(ids) - number * CHUNK_AWARDS) for number in changed)
    reporting = progress(count, INDEXING) if progress is not None and count else nullcontext(_ignore)
    with reporting as report:
        writer = _writer(index, count)
        schema = index.schema
        for number in (*changed, *gone):  # by query: tantivy-py's delete by term reads a Python int as i64
            writer.delete_documents_by_query(tantivy.Query.term_query(schema, "chunk", number))
        _add(writer, numbered, levels, report, max(count, 1))
        _finish(writer)
        report(1.0)
    del writer, index  # release the writer's lock file before the directory is renamed
    _State(key, digests, bytes(levels), tie_ranks(levels, ids).tobytes()).write(folder)


def _temporary_directory(root: Path) -> str:
    import tempfile

    return tempfile.mkdtemp(prefix=".building-", dir=root)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _remove_stale(root: Path, store_part: str, keep: str) -> None:
    """Delete older indexes of the same store, and builds that died more than an hour ago."""
    now = time.time()
    for entry in root.iterdir():
        name = entry.name
        if name.startswith(f"index-{store_part}-") and name != keep:
            _remove(entry)
        elif name.startswith(".building-"):
            try:
                if now - entry.stat().st_mtime > _STALE_BUILD_SECONDS:
                    _remove(entry)
            except OSError:
                pass
