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
* ``position`` (order in the store) and ``order`` (rank by level, then id: the
  tie order), fast fields;
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
gets a new index and the old one is deleted. A directory is built under a temporary name and
renamed into place when complete: two first searches at the same time each
build, one rename wins, the other uses the winner's; a reader never sees half
an index. When the cache cannot be written, the index is built in memory.
Measured at 38 awards: opening a cached index costs 0.5 ms, building one 20-60 ms.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from territoria_cli import __version__
from territoria_cli.filters import compact_name
from territoria_cli.model import LEVELS, Award, Laureate
from territoria_cli.search.analysis import FOLDED, FRENCH, analyzers

if TYPE_CHECKING:
    import tantivy

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
INDEX_FORMAT = 4
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
    builder.add_unsigned_field("order", fast=True)
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


def _fill(index: tantivy.Index, awards: Sequence[Award]) -> None:
    import tantivy

    level_rank = {level: rank for rank, level in enumerate(LEVELS)}
    ranked = sorted(range(len(awards)), key=lambda n: (level_rank[awards[n].level], awards[n].id))
    order = {number: rank for rank, number in enumerate(ranked)}
    writer = index.writer(_WRITER_HEAP, 1 if len(awards) < 1000 else 0)
    for position, award in enumerate(awards):
        texts = field_texts(award)
        everything = "\n".join(texts.values())
        document = tantivy.Document(
            **texts,
            words=everything,
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
        document.add_unsigned("order", order[position])
        for body in award.laureates:
            document.add_text("kind", body.kind)
            document.add_text("region", body.region)
            if body.department:
                document.add_text("department", body.department)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()


def build_in_memory(awards: Sequence[Award]) -> tantivy.Index:
    """An index of ``awards`` that lives in memory only."""
    import tantivy

    index = tantivy.Index(_schema())
    _register(index)
    _fill(index, awards)
    return index


def cache_root() -> Path:
    """Where indexes are kept: territoria's folder in the user's cache folder."""
    from territoria_cli.catalogue import user_cache_dir

    return user_cache_dir() / "search"


def _identity(store: Path) -> tuple[str, str] | None:
    """(store part, version part) of the index directory name; None if the store cannot be stat'ed."""
    from territoria_cli.catalogue import Identity

    identity = Identity.of_store(store)  # the catalogue's: one rule for what "the store changed" means
    if identity is None:
        return None
    resolved = identity.path
    import tantivy

    # Besides the store, the key holds what the index's bytes depend on: its format, tantivy's version
    # (another on-disk format) and territoria's and the records' fields (the stored award tuples).
    version = ":".join(
        map(
            str,
            (
                INDEX_FORMAT,
                getattr(tantivy, "__version__", ""),
                __version__,
                Award._fields,
                Laureate._fields,
                *identity,
            ),
        )
    )
    from territoria_cli.catalogue import digest

    return digest(str(resolved)), digest(version)


def open_index(store: Path, load_awards: Callable[[], Sequence[Award]], *, use_cache: bool = True) -> tantivy.Index:
    """The index of the store at ``store``: the cached one if fresh, else built (and cached if possible).

    ``load_awards()`` is called only to build, so a warm search never reads the store.
    """
    import tantivy

    identity = _identity(store) if use_cache else None
    if identity is None:
        return build_in_memory(load_awards())
    try:
        root = cache_root()
    except Exception:  # noqa: BLE001 - platformdirs could not tell: no cache, as documented
        return build_in_memory(load_awards())
    final = root / f"index-{identity[0]}-{identity[1]}"
    if final.is_dir():
        try:
            index = tantivy.Index.open(str(final))
            _register(index)
            return index
        except Exception:  # noqa: BLE001 - damaged (disk full, manual edit): build it again below
            _remove(final)
    awards = load_awards()
    try:
        root.mkdir(parents=True, exist_ok=True)
        building = Path(_temporary_directory(root))
        index = tantivy.Index(_schema(), path=str(building))
        _register(index)
        _fill(index, awards)
        del index  # release the writer's lock file before the rename
        try:
            os.rename(building, final)
        except OSError:  # another process renamed its build first: use that one
            _remove(building)
        _remove_stale(root, identity[0], keep=final.name)
        index = tantivy.Index.open(str(final))
        _register(index)
        return index
    except Exception:  # noqa: BLE001 - unwritable or full cache folder: an unwritable cache only costs speed
        return build_in_memory(awards)


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
