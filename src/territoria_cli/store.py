"""Where the palmarès is stored, reading it safely, and importing into it (merging under a lock).

The store is a TinyDB database (a JSON file whose table ``awards`` holds one
document per award). Reading never writes: the file is opened read-only, so
that a packaged or shared store keeps its bytes, and a missing file is
reported, not created.

Reading parses the file with :mod:`json` directly, which is exactly what
TinyDB's ``JSONStorage.read`` does, without importing TinyDB: the package
costs 1.6 ms per start (measured), and every command reads the store while
the terminal start-up target leaves about 10 ms for all of territoria.

Importing goes through TinyDB (its tables assign document ids and merge),
plugged with the two extension points its docs offer, because TinyDB itself
promises none of what an import needs:

- no atomicity: ``JSONStorage.write`` seeks to 0, overwrites and truncates the
  file in place, so a crash or Ctrl-C mid-write leaves a damaged store; the
  maintainer's advice is to write a temporary file and rename it
  (msiemens/tinydb#6, #144: "TinyDB offers no ACID guarantees"). Hence
  :class:`_AtomicJSONStorage`, a storage that replaces the file atomically,
  behind a caching middleware that writes once, when the import is complete;
- no concurrency: the docs' "Why not use TinyDB" section rules out access from
  several processes, and the tracker shows what happens without a lock
  (#305, #529, #537: interleaved seeks, duplicated or lost content). Hence a
  ``filelock`` lock on ``<store>.lock`` around the whole import, which
  re-reads the store under it;
- its default ``access_mode="r+"`` creates a missing file even to read it
  (#136): reads here never create anything.

Readers take no lock: the rename means they see the old store or the new one,
never a mix.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import stat  # already loaded by os: free
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from territoria_cli.errors import OutputError, StoreError
from territoria_cli.i18n import N_, _, ngettext
from territoria_cli.model import Award, InvalidAward, json_text
from territoria_cli.text import quoted

#: Environment variable naming the store when ``--db`` is not given.
STORE_ENV_VAR = "TERRITORIA_DB"
#: The TinyDB table holding the awards.
AWARDS_TABLE = "awards"


def packaged_store_path() -> Path:
    """The palmarès shipped with territoria.

    An installed package carries its copy in ``territoria_cli/data``; a source
    checkout run without installing reads the repository's ``data/awards.json``.
    """
    installed = Path(__file__).parent / "data" / "awards.json"
    if installed.exists():
        return installed
    return Path(__file__).resolve().parents[2] / "data" / "awards.json"


def resolve_store_path(explicit: Path | None = None) -> Path:
    """The store to use: ``--db`` first, then ``$TERRITORIA_DB``, then the packaged one."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(STORE_ENV_VAR)
    if from_env:
        return Path(from_env)
    return packaged_store_path()


def read_documents(path: Path) -> dict[str, object]:
    """The raw award documents of the store, keyed by TinyDB document id.

    Parses the file with :mod:`json`, read-only and in UTF-8 (what TinyDB's
    ``JSONStorage`` would do, without importing TinyDB), and checks the shape
    TinyDB itself would silently accept or crash on (an empty file, a list at
    the top, a missing table, a document id that is not a number).
    """
    return _read_content(path)[AWARDS_TABLE]


def load_awards(
    path: Path, progress: Callable[[float], None] | None = None, *, raw: bytes | None = None
) -> list[Award]:
    """Read and validate every award of the store, in stored order.

    Raises :class:`StoreError` naming the file and the first document at fault.
    ``progress`` is told the fraction done: reading and parsing are the first
    half (:mod:`json` parses in one call), validating the rest up to 0.8.
    ``raw`` is the file's bytes when the caller read them already
    (:func:`read_store_bytes`; the catalogue fingerprints them first).
    """
    with bulk_allocation():
        if raw is None:
            raw = _read_bytes(path, "store")
        if len(raw) >= FAST_PARSE_BYTES:
            checked = _decoded_awards(raw)
            if checked is not None:
                if progress is not None:
                    progress(0.8)
                return checked
        table = _read_content(path, raw)[AWARDS_TABLE]
        if progress is not None:
            progress(0.5)
        return [award for _, award in _validated_store(path, table, progress)]


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a store is turned into objects.

    Parsing and validating allocate millions of containers; the collector
    would scan them again and again although JSON data holds no cycles to
    find. Measured on 100,000 awards: 2.2 s with it, 0.95 s without. The
    previous state is restored, so a program using the library keeps its own
    setting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_store_bytes(path: Path) -> bytes:
    """The store file's bytes, read as :func:`load_awards` reads them (a regular file, not too big), or a StoreError."""
    return _read_bytes(path, "store")


def _read_content(path: Path, raw: bytes | None = None) -> dict[str, Any]:
    """The whole TinyDB content of the store (every table), shape-checked; ``raw``: its bytes if already read."""
    if raw is None:
        raw = _read_bytes(path, "store")
    content = _parse_big_json(raw) if len(raw) >= FAST_PARSE_BYTES else None
    if content is None:
        text = _decoded(path, raw)
        if not text:
            raise StoreError(_("{path}: the file is empty, expected a TinyDB store with an {table} table").format(path=path, table=quoted(AWARDS_TABLE)))
        content = _parse_json(path, text)
        may_hold_surrogates = _may_hold_surrogates(text)
    else:
        may_hold_surrogates = re.search(_SURROGATE_ESCAPE.encode(), raw) is not None
    if not isinstance(content, dict) or not isinstance(content.get(AWARDS_TABLE), dict):
        raise StoreError(_("{path}: not a territoria store: expected an object with an {table} table").format(path=path, table=quoted(AWARDS_TABLE)))
    for doc_id in content[AWARDS_TABLE]:
        if not (doc_id.isascii() and doc_id.isdigit()):
            raise StoreError(
                _("{path}: not a territoria store: document id {doc_id} in the {table} table is not a number").format(
                    path=path, doc_id=quoted(doc_id), table=quoted(AWARDS_TABLE)
                )
            )
    if may_hold_surrogates:
        _refuse_lone_surrogates(path, ((f"document {doc_id}", document) for doc_id, document in content[AWARDS_TABLE].items()))
    return content


#: From this size (bytes) a store is parsed with msgspec (see :func:`_parse_big_json`): 16 MB, about 10,000 awards.
FAST_PARSE_BYTES = 16_000_000


def _decoded_awards(raw: bytes) -> list[Award] | None:
    """The awards of a big store, parsed and type-checked at once by msgspec; ``None`` if anything is not plainly right.

    :func:`territoria_cli.model.document_decoder` checks the JSON types while
    it parses, :func:`territoria_cli.model.awards_of_decoded` the other rules,
    and here the rules of the store (numeric document ids, distinct award
    ids). Anything refused is then read the general way, which names the
    fault. Measured at 100,000 awards: 0.8 s instead of 1.1 s
    (:func:`_parse_big_json` then :meth:`Award.from_document`), and the
    parsed documents cost 0.08 s to free instead of 0.1 s.
    """
    import msgspec

    from territoria_cli.model import awards_of_decoded, document_decoder

    try:
        table = document_decoder().decode(_without_bom(raw)).awards
    except (msgspec.DecodeError, ValueError, RecursionError):
        return None
    if not all(doc_id.isascii() and doc_id.isdigit() for doc_id in table):
        return None
    awards = awards_of_decoded(table.values())
    if awards is None or len({award.id for award in awards}) != len(awards):
        return None
    return awards


def _parse_big_json(raw: bytes) -> Any:
    """The JSON value of a big store's bytes, parsed by msgspec; ``None`` if msgspec refuses them.

    Measured at 100,000 awards (155 MB, loaded 2-core machine, collector
    off): msgspec parses the bytes in 0.61-0.66 s, where decoding them to text
    and :func:`json.loads` take 1.07-1.17 s, and no 155 MB text is held
    beside them. A valid store is read by :func:`_decoded_awards` first; this
    serves a big store it refused (to name the fault sooner) and imports into
    a big store, which TinyDB reads through :class:`_AtomicJSONStorage`. Importing
    msgspec costs 35-48 ms, hence only from :data:`FAST_PARSE_BYTES`, where
    the parse saves more than that; the packaged palmarès never loads it.

    For every document msgspec accepts, it builds what :func:`json.loads`
    builds (checked: duplicate keys, big integers, floats, escapes, control
    and line-separator characters, ``-0``); what it refuses (NaN, lone
    surrogates, invalid UTF-8, infinities, bad syntax, absurd nesting) is
    then parsed by :mod:`json`, so that the message, or the acceptance, is
    exactly the one :func:`_parse_json` gives.
    """
    import msgspec

    try:
        return msgspec.json.decode(_without_bom(raw))
    except (msgspec.DecodeError, ValueError, RecursionError):
        return None


def _without_bom(raw: bytes) -> bytes | memoryview:
    """The bytes after the byte-order mark that ``utf-8-sig`` drops, if any, without a copy of 155 MB."""
    return memoryview(raw)[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


#: What is said of a missing file, of a folder and of a FIFO or device given as a file, for each kind of file read.
_NOT_A_FILE = {
    "store": (
        N_("{path}: no such store file"),
        N_("{path}: is a folder, not a store file"),
        N_("{path}: is {kind}, not a store file; territoria reads regular files only"),
    ),
    "import": (
        N_("{path}: no such file to import"),
        N_("{path}: is a folder, not a file to import"),
        N_("{path}: is {kind}, not a file to import; territoria reads regular files only"),
    ),
}


def _may_hold_surrogates(text: str) -> bool:
    """Whether the JSON text has a ``\\uD800``-``\\uDFFF`` escape: the only way a surrogate gets into parsed JSON.

    UTF-8 decoding refuses encoded surrogates, so a file without such an
    escape needs no further look; with one (an emoji written as a pair, say),
    the documents are searched for surrogates left alone. One regular
    expression, not two substring searches: at 100,000 awards (150 MB) 0.17 s
    instead of 0.5 s, on a first command after the store changed.
    """
    return re.search(_SURROGATE_ESCAPE, text) is not None


#: Patterns, compiled by ``re`` when first needed (its cache keeps them): about 0.3 ms of every start otherwise.
_SURROGATE_ESCAPE = r"\\u[dD]"


_LONE_SURROGATE = r"[\ud800-\udfff]"


def _refuse_lone_surrogates(path: Path, located: Iterable[tuple[str, Any]]) -> None:
    """A lone surrogate (``"\\ud800"``) is not text: nothing can print or encode it, so it is named as an error."""
    lone_surrogate = re.compile(_LONE_SURROGATE)
    for where, document in located:
        for field, value in _strings(document):
            match = lone_surrogate.search(value)
            if match:
                raise StoreError(
                    _("{path}: {where}{id}: {field} holds a lone surrogate ({escape}) at character {position}, which is not text; correct the file").format(
                        path=path,
                        where=where,
                        id=_id_label(document),
                        field=field,
                        escape=match.group().encode("unicode_escape").decode(),
                        position=match.start() + 1,
                    )
                )


def _strings(value: Any, name: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a JSON value with its place (``laureates[1].name``)."""
    if isinstance(value, str):
        yield name or _("the document"), value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, _("{name} (the key)").format(name=f"{name}.{key}".lstrip(".")))
            yield from _strings(item, f"{name}.{key}".lstrip("."))
    elif isinstance(value, list):
        for position, item in enumerate(value, 1):
            yield from _strings(item, f"{name}[{position}]")


def _canonical_ids(table: dict[str, Any]) -> dict[str, Any]:
    """The awards table with every document id in TinyDB's canonical form: "1", never "01".

    TinyDB turns each key into a number when it reads and back into text when
    it writes, so "1" and "01" would fold into one document and the other
    would be lost. A non-canonical id keeps its number when no other document
    has it, else takes the next free one: every document survives, in order.
    """
    if all(doc_id == str(int(doc_id)) for doc_id in table):
        return table
    taken = {int(doc_id) for doc_id in table if doc_id == str(int(doc_id))}
    next_free = max(int(doc_id) for doc_id in table) + 1
    renumbered = {}
    for doc_id, document in table.items():
        number = int(doc_id)
        if doc_id != str(number):
            if number in taken:
                number, next_free = next_free, next_free + 1
            taken.add(number)
        renumbered[str(number)] = document
    return renumbered


def _read_text(path: Path, what: str) -> str:
    """The file's text, UTF-8 (a byte-order mark is dropped), or a StoreError saying plainly why not."""
    return _decoded(path, _read_bytes(path, what))


def _decoded(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StoreError(_("{path}: not UTF-8 text (bad byte at offset {offset})").format(path=path, offset=error.start)) from None


def _read_bytes(path: Path, what: str) -> bytes:
    """The bytes of a regular file no larger than :func:`max_file_bytes`.

    Anything else is refused before a byte is read: a FIFO would block
    forever (and an import would hold the store's lock meanwhile), a device
    such as ``/dev/zero`` never ends, and a file of several gigabytes would
    take several times its size in memory before being found wrong. The file
    is opened without blocking and checked again once open, so that a FIFO put
    in its place meanwhile cannot block either.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise StoreError(_(_NOT_A_FILE[what][0]).format(path=path)) from None
    except OSError as error:
        raise StoreError(_("{path}: cannot be read ({reason})").format(path=path, reason=error.strerror or error)) from None
    _check_regular(path, info.st_mode, what)
    limit = max_file_bytes()
    _check_size(path, info.st_size, limit)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise StoreError(_("{path}: cannot be read ({reason})").format(path=path, reason=error.strerror or error)) from None
    with open(descriptor, "rb") as file:
        info = os.fstat(descriptor)
        _check_regular(path, info.st_mode, what)
        try:
            raw = file.read(info.st_size + 1)
            while len(raw) > info.st_size and len(raw) <= limit:  # it grew while being read
                more = file.read(1 << 20)
                if not more:
                    break
                raw += more
        except OSError as error:
            raise StoreError(_("{path}: cannot be read ({reason})").format(path=path, reason=error.strerror or error)) from None
    _check_size(path, len(raw), limit)
    return raw


def _check_regular(path: Path, mode: int, what: str) -> None:
    _missing, folder, special = _NOT_A_FILE[what]
    if stat.S_ISDIR(mode):
        raise StoreError(_(folder).format(path=path))
    if not stat.S_ISREG(mode):
        kind = _("a FIFO") if stat.S_ISFIFO(mode) else _("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else _("not a regular file")
        raise StoreError(_(special).format(path=path, kind=kind))


#: Environment variable that raises (or lowers) the size of the largest store or import file read, in megabytes.
MAX_FILE_ENV_VAR = "TERRITORIA_MAX_FILE_MB"
#: 256 MB: about 170,000 awards, well beyond the 100,000 the scale benchmark reads.
DEFAULT_MAX_FILE_MB = 256


def max_file_bytes() -> int:
    """The largest store or import file read, from :data:`MAX_FILE_ENV_VAR` or the default."""
    value = os.environ.get(MAX_FILE_ENV_VAR, "").strip()
    if not value:
        return DEFAULT_MAX_FILE_MB * 1_000_000
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0:
        raise StoreError(_("{variable}={value}: expected a size in megabytes, such as 1000").format(variable=MAX_FILE_ENV_VAR, value=quoted(value)))
    return int(megabytes * 1_000_000)


def _check_size(path: Path, size: int, limit: int) -> None:
    if size > limit:
        needed = -(-size // 1_000_000)
        raise StoreError(
            _("{path}: the file is {size}, more than the {limit} territoria reads; set {variable}={needed} (or more) to read it anyway").format(
                path=path, size=_megabytes(size), limit=_megabytes(limit), variable=MAX_FILE_ENV_VAR, needed=needed
            )
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.{1 if size < 10_000_000 else 0}f} MB"


def _parse_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise StoreError(
            _("{path}: not valid JSON (line {line}, column {column}: {reason})").format(
                path=path, line=error.lineno, column=error.colno, reason=error.msg
            )
        ) from None
    except (ValueError, RecursionError) as error:
        # json's other refusals: integers too long to convert, absurd nesting.
        raise StoreError(_("{path}: not a usable JSON file ({reason})").format(path=path, reason=error)) from None


def _validated_store(
    path: Path, table: dict[str, Any], progress: Callable[[float], None] | None = None
) -> list[tuple[str, Award]]:
    """Every stored award with its document id; the first bad one is an error."""
    awards: list[tuple[str, Award]] = []
    seen: set[str] = set()
    step = max(len(table) // 20, 1)
    for doc_id, document in table.items():
        if progress is not None and len(awards) % step == 0:
            progress(0.5 + 0.3 * len(awards) / len(table))
        try:
            award = Award.from_document(document)
        except InvalidAward as error:
            raise StoreError(
                _("{path}: document {doc_id}{id}: {problem}").format(path=path, doc_id=doc_id, id=_id_label(document), problem=error)
            ) from None
        if award.id in seen:
            raise StoreError(_("{path}: document {doc_id}: duplicate id {id}").format(path=path, doc_id=doc_id, id=quoted(award.id)))
        seen.add(award.id)
        awards.append((doc_id, award))
    return awards


def _id_label(document: Any) -> str:
    label = document.get("id") if isinstance(document, dict) else None
    return f" ({label})" if isinstance(label, str) and label.strip() else ""


# --------------------------------------------------------------------------- import

#: How long an import waits for another import of the same store to finish.
LOCK_TIMEOUT_SECONDS = 60.0


class ImportReport(NamedTuple):
    """What an import did, by award id, in the order of the imported file.

    ``incomplete`` lists the bodies whose official code or population could
    not be filled from the reference (one line each, saying which and why).
    """

    added: list[str]
    replaced: list[str]
    unchanged: list[str]
    incomplete: list[str]


def import_awards(store: Path, documents: Sequence[Any], *, replace: bool = False) -> ImportReport:
    """Add award documents to a user store, all of them or none.

    Every document is validated before the store is touched. Importing the
    same documents twice changes nothing (the file is not even rewritten); a
    different award under an id already stored is refused unless ``replace``.
    A missing store is created, in a folder that must exist. The packaged
    palmarès is never modified.

    Every body is checked against the official geography, and its missing
    code or population filled from it when it can be (see
    :func:`territoria_cli.geography.checked_bodies`).

    Raises :class:`StoreError` naming what is wrong; the store is then as it was.
    """
    from territoria_cli.files import OutputError, check_encodable

    try:
        check_encodable(store)
    except OutputError as error:
        raise StoreError(_("{problem}; nothing was imported").format(problem=error)) from None
    _refuse_packaged_store(store)
    incomplete: list[str] = []
    awards = _validated_import(
        ((_award_position(position), document) for position, document in enumerate(documents, 1)), incomplete=incomplete
    )
    target = Path(os.path.realpath(store))
    _check_store_target(store, target)
    from filelock import FileLock, Timeout

    lock = FileLock(str(target) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
    try:
        _acquire(store, lock, Timeout)
        return _merge_and_write(store, target, awards, replace=replace)._replace(incomplete=incomplete)
    finally:
        # The lock file is removed while still held, whatever happened (a
        # signal between the acquisition and this block included): an import
        # that waits on it and then locks the removed file sees that it is
        # gone and locks the new one instead (filelock checks the link count,
        # see pyproject.toml), so no ".lock" is left behind. An import killed
        # outright leaves its lock file to the next import, which removes it.
        if lock.is_locked:
            with contextlib.suppress(OSError):
                os.unlink(lock.lock_file)
            lock.release()


def _acquire(store: Path, lock: Any, timeout_error: type[Exception]) -> None:
    try:
        lock.acquire()
    except timeout_error:
        raise StoreError(
            _("{store}: another import has held the lock {lock} for {seconds} s; try again when it has finished").format(
                store=store, lock=lock.lock_file, seconds=f"{LOCK_TIMEOUT_SECONDS:.0f}"
            )
        ) from None
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise StoreError(_("{store}: cannot create the lock file {lock} ({reason})").format(store=store, lock=lock.lock_file, reason=reason)) from None


def _check_store_target(store: Path, target: Path) -> None:
    """Refuse, before the lock file is created, a store that could not be written anyway.

    The store must be a regular file, or a new name in a folder this user
    can write: ``--db /dev/null`` must not leave ``/dev/null.lock`` behind.
    """
    if not target.parent.is_dir():
        raise StoreError(_("{store}: the folder {folder} does not exist; create it first").format(store=store, folder=target.parent))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise StoreError(_("{path}: cannot be read ({reason})").format(path=store, reason=error.strerror or error)) from None
    if mode is not None:
        _check_regular(store, mode, "store")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise StoreError(
            _("{store}: cannot write in the folder {folder} (permission denied); nothing was imported").format(
                store=store, folder=target.parent
            )
        )


def _refuse_packaged_store(store: Path) -> None:
    packaged = packaged_store_path()
    same = Path(os.path.realpath(store)) == Path(os.path.realpath(packaged))
    if not same and store.exists() and packaged.exists():
        same = os.path.samefile(store, packaged)
    if same:
        raise StoreError(
            _(
                "{store}: this is the palmarès packaged with territoria, which is never modified; import into a store "
                "of your own: `territoria import FILE --db my-awards.json` creates one (or set {variable} to its path)"
            ).format(store=store, variable=STORE_ENV_VAR)
        )


def _merge_and_write(store: Path, target: Path, awards: list[Award], *, replace: bool) -> ImportReport:
    """The part under the lock: TinyDB re-reads the store, merges by id, and writes once if anything changed."""
    from tinydb import TinyDB

    database = TinyDB(str(target), storage=_write_once(_AtomicJSONStorage))
    table = database.table(AWARDS_TABLE)
    raw_table = {str(document.doc_id): document for document in table.all()}
    stored = {award.id: (int(doc_id), award) for doc_id, award in _validated_store(store, raw_table)}
    conflicts = [award.id for award in awards if award.id in stored and stored[award.id][1] != award]
    if conflicts and not replace:
        raise StoreError(
            ngettext(
                "{store}: {count} imported award differs from the award stored under the same id: {ids}; "
                "nothing was imported (re-run with --replace to overwrite it)",
                "{store}: {count} imported awards differ from the awards stored under the same ids: {ids}; "
                "nothing was imported (re-run with --replace to overwrite them)",
                len(conflicts),
            ).format(store=store, count=len(conflicts), ids=_shorten(conflicts))
        )
    report = ImportReport(added=[], replaced=[], unchanged=[], incomplete=[])
    for award in awards:
        if award.id not in stored:
            report.added.append(award.id)
        elif stored[award.id][1] != award:
            report.replaced.append(award.id)
        else:
            report.unchanged.append(award.id)
    by_id = {award.id: award for award in awards}
    if report.added:  # an empty insert would still rewrite the file
        table.insert_multiple(by_id[award_id].to_document() for award_id in report.added)
    for award_id in report.replaced:
        # Same fields on both sides, so TinyDB's merging update replaces the document in place.
        table.update(by_id[award_id].to_document(), doc_ids=[stored[award_id][0]])
    try:
        database.close()  # the one write, if any
    except OutputError as error:
        raise StoreError(_("{problem}; nothing was imported").format(problem=error)) from None
    storage: Any = database.storage  # the middleware hands unknown attributes over to the storage (TinyDB's docs)
    written = storage.written
    if written is not None:
        content, raw = written
        final = {award.id: award for _, award in stored.values()} | by_id
        _refresh_catalogue(target, [final[document["id"]] for document in content[AWARDS_TABLE].values()], raw)
    return report


def _refresh_catalogue(target: Path, awards: list[Award], raw: bytes) -> None:
    """Save the catalogue of the store just written, while the import still holds the lock: the next command reads it.

    The awards are known, validated, in stored order; otherwise the first
    command after an import of one award into 100,000 would parse and
    validate all of them again (2 s), where this costs the import about
    0.7 s of its 7 s. Never fails the import: a cache not saved is rebuilt
    by the next command.
    """
    from territoria_cli.catalogue import Catalogue

    with contextlib.suppress(Exception):
        Catalogue.save(target, awards, raw)


def _write_once(storage: type) -> Any:
    """TinyDB's caching middleware, holding every change until the database is closed.

    TinyDB writes the whole file on each table operation; an import makes
    several (inserts, then one update per replaced award), which must reach
    the disk together or not at all.
    """
    from tinydb.middlewares import CachingMiddleware

    middleware = CachingMiddleware(storage)
    middleware.WRITE_CACHE_SIZE = sys.maxsize
    return middleware


class _AtomicJSONStorage:
    """A TinyDB storage that reads like ``JSONStorage`` and replaces the file atomically.

    Implements TinyDB's ``Storage`` interface (read, write, close). The JSON is
    written as the packaged store is: UTF-8, accents as they are, indented.
    """

    def __init__(self, path: str) -> None:
        self._path = Path(path)
        #: What the last :meth:`write` wrote: the content and its bytes (the catalogue is refreshed from them).
        self.written: tuple[dict[str, Any], bytes] | None = None

    def read(self) -> dict[str, Any] | None:
        if not self._path.exists():
            return None
        content = _read_content(self._path)
        return {**content, AWARDS_TABLE: _canonical_ids(content[AWARDS_TABLE])}

    def write(self, data: dict[str, Any]) -> None:
        from territoria_cli.files import atomic_write_bytes

        raw = json_text(data).encode("utf-8")  # valid awards hold no lone surrogate: always encodable
        atomic_write_bytes(self._path, raw)
        self.written = (data, raw)

    def close(self) -> None:
        """Nothing stays open between reads and writes."""


def _validated_import(
    documents: Iterable[tuple[str, Any]], source: str = "", *, incomplete: list[str] | None = None
) -> list[Award]:
    """Validate every (position, document) before anything is written, geography included.

    ``source`` names the file in messages ("FILE: "), the positions say where
    in it (an award number, or a CSV row and line). Bodies get their missing
    code and population from the reference; those it cannot complete are
    appended to ``incomplete``, one line each.
    """
    from territoria_cli import geography  # import only: the reference is not read at start-up

    awards = []
    first_seen: dict[str, str] = {}
    for where, document in documents:
        try:
            award = Award.from_document(document)
            bodies, notes = geography.checked_bodies(award.laureates)
        except (InvalidAward, geography.UnknownPlace) as error:
            raise StoreError(
                _("{source}{where}{id}: {problem}; nothing was imported").format(
                    source=source, where=where, id=_id_label(document), problem=error
                )
            ) from None
        award = award._replace(laureates=bodies)
        if incomplete is not None:
            incomplete.extend(
                _("{source}{where}{id}: {problem}").format(source=source, where=where, id=_id_label(document), problem=note)
                for note in notes
            )
        if award.id in first_seen:
            raise StoreError(
                _("{source}{where}: id {id} is already used by {first}; nothing was imported").format(
                    source=source, where=where, id=quoted(award.id), first=first_seen[award.id]
                )
            )
        first_seen[award.id] = where
        awards.append(award)
    return awards


def _shorten(ids: list[str], shown: int = 5) -> str:
    listed = ", ".join(ids[:shown])
    return listed if len(ids) <= shown else _("{ids} and {count} more").format(ids=listed, count=len(ids) - shown)


def _award_position(position: int) -> str:
    """Where an award is in a JSON file to import, for messages: "award 3"."""
    return _("award {position}").format(position=position)


# --------------------------------------------------------------------------- import files


def read_import_file(path: Path) -> list[dict[str, Any]]:
    """The award documents of a file to import, validated, in file order.

    Two formats, told apart by the first character:

    - JSON: a list of award documents (as printed by ``--json`` or
      ``territoria export --format json``), or a whole territoria store.
    - CSV, comma or semicolon separated, UTF-8 with or without BOM (the Excel
      variant of the export has both), as ``export --format csv`` writes it:
      the decoding rules live beside the writer, in
      :func:`territoria_cli.formats.csv.read_documents`.

    Raises :class:`StoreError` naming the file and the award at fault (its
    position, CSV row and line, and id); nothing is half-read.
    """
    text = _read_text(path, "import")
    start = text.lstrip()[:1]
    if not start:
        raise StoreError(_("{path}: the file is empty; expected a JSON list of award documents or a CSV file").format(path=path))
    if start in "[{":
        located = _json_documents(path, text)
    else:
        from territoria_cli.formats import csv

        located = csv.read_documents(path, text)
    if not located:
        raise StoreError(_("{path}: no awards to import").format(path=path))
    return [award.to_document() for award in _validated_import(located, source=_("{path}: ").format(path=path))]


def _json_documents(path: Path, text: str) -> list[tuple[str, Any]]:
    content = _parse_json(path, text)
    if isinstance(content, dict) and isinstance(content.get(AWARDS_TABLE), dict):
        documents = list(content[AWARDS_TABLE].values())
    elif isinstance(content, list):
        documents = content
    else:
        raise StoreError(_("{path}: expected a JSON list of award documents (or a territoria store)").format(path=path))
    located = [(_award_position(position), document) for position, document in enumerate(documents, 1)]
    if _may_hold_surrogates(text):
        _refuse_lone_surrogates(path, located)
    return located
