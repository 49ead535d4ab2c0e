"""Writing files so that nothing is lost: whole files for regular files, streams for the rest.

A regular file (an export, the store, the search cache) is replaced all at
once: the new content goes to a temporary file in the target's folder, is
flushed to the disk, and only then takes the target's name in one
``os.replace``. A crash, a full disk or Ctrl-C at any moment leaves either the
old file or the new one, never a truncated mix. The temporary file must live
in the same folder because a rename is atomic only within one file system.

Its name says whose it is (``.NAME.territoria-PID-RANDOM.tmp``): a process
killed by ``kill -9`` cannot clean up, so every later write to the same folder
removes the temporary files of processes that no longer run (or that are
older than :data:`STALE_AFTER_SECONDS`), and a dead write never outlives the
next one.

Anything else the user names as an output is written the way ``cat > x``
would, never replaced: a FIFO or a character device (``/dev/null``, a
terminal) is opened and written in place, and ``/dev/stdout``, ``/dev/stderr``
and ``/dev/fd/N`` (what the shell's ``>(…)`` gives) write to the descriptor
this process already holds, so ``>> log`` keeps what the log had. Renaming
over them would destroy a device node for the whole system, or replace the
file behind ``/dev/stdout`` instead of appending to it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from territoria_cli.errors import OutputError
from territoria_cli.i18n import N_, _

#: What marks a temporary file as territoria's, and the process that created it.
TEMP_MARK = "territoria"
_TEMP_NAME = re.compile(rf"^\..+\.{TEMP_MARK}-(\d+)-[^.]+\.tmp$")
#: A temporary file untouched for this long is abandoned even if its process id is in use again.
STALE_AFTER_SECONDS = 3600.0
#: Paths naming a descriptor this process already holds (Linux and the BSDs spell them so).
_DESCRIPTOR_PATH = re.compile(r"^/(?:dev/(?:fd/(?P<fd>\d+)|(?P<std>stdout|stderr))|proc/self/fd/(?P<proc>\d+))$")
_STANDARD_DESCRIPTORS = {"stdout": 1, "stderr": 2}


def printable_path(path: Path | str) -> str:
    """The path as text any terminal can show: undecodable bytes appear as ``\\xff``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def check_encodable(path: Path) -> None:
    """Refuse a file name that is not valid text in the file system's encoding.

    Such a name (``$'\\xff.json'``) can be created, but not printed in a
    message or stored as text; refusing it before anything is written beats
    writing the file and failing to say so.
    """
    try:
        str(path).encode(sys.getfilesystemencoding())
    except UnicodeEncodeError:
        raise OutputError(
            _("{path}: the file name is not valid {encoding} text; choose another name").format(
                path=printable_path(path), encoding=sys.getfilesystemencoding()
            )
        ) from None


def write_output(path: Path, text: str | bytes, *, encoding: str = "utf-8", protected: Iterable[Path] = ()) -> None:
    """Write ``text`` (or the bytes of a binary format) where the user asked with ``--output``.

    A regular file (or a new name) is replaced atomically
    (:func:`atomic_write_bytes`); a FIFO, a character device or a descriptor
    path is streamed into (see the module docstring). ``protected`` are files
    that must not be overwritten, such as the store the text was read from.
    """
    check_encodable(path)
    data = text if isinstance(text, bytes) else _encoded(path, text, encoding)
    descriptor = _named_descriptor(path)
    if descriptor is not None:
        _write_descriptor(path, descriptor, data)
        return
    _refuse_protected(path, protected)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is None or stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        atomic_write_bytes(path, data)
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        _write_in_place(path, data)
    else:
        raise OutputError(
            _("{path}: is a {kind}; territoria writes files, FIFOs and character devices only").format(path=path, kind=_kind(mode))
        )


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` encoded, all at once; see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, _encoded(path, text, encoding))


def atomic_write_bytes(path: Path, data: bytes | Sequence[bytes], *, durable: bool = True) -> None:
    """Replace the regular file ``path`` with ``data`` (bytes, or parts written one after the other) all at once, or leave it as it was.

    A symbolic link is followed, so the file it points to is replaced and the
    link survives. An existing file keeps its permission bits; a new one gets
    the usual ``0o666`` minus the umask, as if the shell had created it,
    rather than the private ``0o600`` of temporary files. Temporary files
    abandoned in the folder by killed processes are removed first.

    ``durable`` (the default) waits for the bytes to reach the disk before the
    rename, so that a power cut leaves the old file or the new one. Files whose
    loss costs nothing pass ``False`` (still all or nothing for the other
    processes): the catalogue, derived data whose readers check it (at 100,000
    awards its ``fsync`` took 0.35 s of the first command after a change), and
    the last results a terminal ``list`` numbers (the two syncs took 1.3 to 6 ms
    of its 0.2 s).

    Raises :class:`OutputError` when the folder does not exist, the path is a
    folder or not a regular file, or the file or folder cannot be written.
    """
    check_encodable(path)
    target = Path(os.path.realpath(path))
    folder = target.parent
    _check_writable(Path(path), target, folder)
    mode = _mode_for(target)
    sweep_stale_temporary_files(folder)
    try:
        handle, temp_name = _new_temporary_file(folder, target.name)
    except OSError as error:
        raise OutputError(_explain(Path(path), folder, error)) from None
    try:
        with open(handle, "wb") as temp_file:
            if isinstance(data, bytes):
                temp_file.write(data)
            else:  # parts: no joined copy of a 119 MB catalogue (0.07 s)
                temp_file.writelines(data)
            if durable:
                temp_file.flush()
                os.fsync(temp_file.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException as error:
        # BaseException on purpose: Ctrl-C or SIGTERM during the write must
        # not leave ".name.territoria-….tmp" files in the user's folder.
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise OutputError(_explain(Path(path), folder, error)) from None
        raise
    if durable:
        _sync_folder(folder)


#: How a temporary file is created: a new file only (never an existing one, nor through a link), binary on Windows.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _new_temporary_file(folder: Path, name: str) -> tuple[int, str]:
    """A new private file in ``folder`` named as :func:`sweep_stale_temporary_files` knows them; its descriptor and path.

    What ``tempfile.mkstemp`` does, without importing :mod:`tempfile`
    (2 ms at start-up, with :mod:`random`: a terminal ``list`` writes its
    last results through here).
    """
    while True:
        temp_name = os.path.join(folder, f".{name}.{TEMP_MARK}-{os.getpid()}-{time.time_ns():x}.tmp")
        try:
            return os.open(temp_name, _NEW_FILE, 0o600), temp_name
        except FileExistsError:
            continue  # the same nanosecond in this process: another name


def sweep_stale_temporary_files(folder: Path) -> list[str]:
    """Remove the temporary files that killed territoria processes left in ``folder``; returns their names.

    Only names this module creates are considered, and only when their
    process is gone (or they are untouched for :data:`STALE_AFTER_SECONDS`):
    a write in progress in another process keeps its file.
    """
    removed = []
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = _TEMP_NAME.match(entry.name)
            if match is None or int(match.group(1)) == os.getpid():
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode):
                    continue
                if _process_is_running(int(match.group(1))) and now - info.st_mtime < STALE_AFTER_SECONDS:
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(entry.name)
    return removed


def _process_is_running(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate it on Windows: rely on the age alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or an absurd number): leave it to the age rule
    return True


def _encoded(path: Path, text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        raise OutputError(
            _("{path}: the text cannot be written in {encoding} ({reason})").format(path=path, encoding=encoding, reason=error.reason)
        ) from None


def _named_descriptor(path: Path) -> int | None:
    """The descriptor number of ``/dev/stdout``, ``/dev/fd/3``… as typed; ``None`` for other paths."""
    match = _DESCRIPTOR_PATH.match(os.path.normpath(str(path)))
    if match is None:
        return None
    if match["std"]:
        return _STANDARD_DESCRIPTORS[match["std"]]
    return int(match["fd"] or match["proc"])


def _write_descriptor(path: Path, descriptor: int, data: bytes) -> None:
    """Write into a descriptor already open, at its position, as the shell would."""
    if descriptor == 1:
        sys.stdout.flush()
    try:
        os.fstat(descriptor)
    except (OSError, OverflowError):
        raise OutputError(_("{path}: no such open file descriptor ({descriptor})").format(path=path, descriptor=descriptor)) from None
    try:
        _write_all(descriptor, data)
    except OSError as error:
        raise OutputError(_explain_stream(path, error)) from None


def _write_in_place(path: Path, data: bytes) -> None:
    """Open a FIFO or a device for writing, as ``cat > path`` does, and write ``data`` into it.

    No ``O_CREAT``: if the node disappears between the check and the open,
    nothing is created in its place.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise OutputError(_explain_stream(path, error)) from None
    try:
        opened = os.fstat(descriptor).st_mode
        if not (stat.S_ISFIFO(opened) or stat.S_ISCHR(opened)):
            raise OutputError(_("{path}: changed while it was being opened; nothing was written").format(path=path))
        _write_all(descriptor, data)
    except OSError as error:
        raise OutputError(_explain_stream(path, error)) from None
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _refuse_protected(path: Path, protected: Iterable[Path]) -> None:
    """Refuse to replace a file that must survive: the store being read, the packaged palmarès."""
    for keep in protected:
        same = os.path.realpath(path) == os.path.realpath(keep)
        if not same:
            with contextlib.suppress(OSError):
                same = os.path.samefile(path, keep)
        if same:
            raise OutputError(
                _("{path}: is the store {store}, which an export never overwrites; choose another file").format(path=path, store=keep)
            )


def _kind(mode: int) -> str:
    if stat.S_ISSOCK(mode):
        return _("socket")
    if stat.S_ISBLK(mode):
        return _("block device (a disk)")
    return _("special file")


def _check_writable(path: Path, target: Path, folder: Path) -> None:
    """Catch the common mistakes before creating anything, with plain words."""
    if not folder.exists():
        raise OutputError(_("{path}: the folder {folder} does not exist").format(path=path, folder=folder))
    if not folder.is_dir():
        raise OutputError(_("{path}: {folder} is not a folder").format(path=path, folder=folder))
    if target.is_dir():
        raise OutputError(_("{path}: is a folder; give a file name").format(path=path))
    if target.exists() and not target.is_file():
        mode = target.stat().st_mode
        kind = _("FIFO") if stat.S_ISFIFO(mode) else _("character device") if stat.S_ISCHR(mode) else _kind(mode)
        raise OutputError(_("{path}: is a {kind}, not a regular file; nothing was written").format(path=path, kind=kind))
    # Replacing needs only a writable folder, but a file the user made
    # read-only should stay as it is, as it would for a shell redirection.
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(_("{path}: the file is read-only").format(path=path))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(_("{path}: cannot write in the folder {folder} (permission denied)").format(path=path, folder=folder))


def _mode_for(target: Path) -> int:
    """Permission bits for the new file: the old file's, or the umask's default."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        pass
    # The umask can only be read by setting it; it is put back at once (a
    # thread creating a file in between would see 0o022: fine for this CLI).
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; POSIX only, best effort.

    The file is already in place when this runs, so a file system that cannot
    sync a folder (or Windows, which cannot open one) is not an error.
    """
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


_REASONS = {
    errno.ENOENT: N_("the folder {folder} does not exist"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EISDIR: N_("is a folder; give a file name"),
    errno.ENOTDIR: N_("{folder} is not a folder"),
    errno.ENOSPC: N_("no space left on the device"),
    errno.EROFS: N_("the file system is read-only"),
}


def _explain(path: Path, folder: Path, error: OSError) -> str:
    """An ``OSError`` as one sentence, without "[Errno 13]" noise."""
    reason = _REASONS.get(error.errno or 0)
    if error.errno == errno.ENOENT and folder.is_dir():
        reason = _("no file can be created in {folder}")
    elif reason is None:
        # The system's own words: braces in them must not be read as placeholders.
        reason = (error.strerror or str(error)).lower().replace("{", "{{").replace("}", "}}")
    else:
        reason = _(reason)
    return _("{path}: cannot write the file: {reason}").format(path=path, reason=reason.format(folder=folder))


def _explain_stream(path: Path, error: OSError) -> str:
    """Why a FIFO, a device or a descriptor refused the output."""
    if error.errno == errno.EPIPE:
        return _("{path}: the reader closed it before the end; the output is incomplete").format(path=path)
    known = _REASONS.get(error.errno or 0)
    reason = _(known) if known else (error.strerror or str(error)).lower().replace("{", "{{").replace("}", "}}")
    return _("{path}: cannot write: {reason}").format(path=path, reason=reason.format(folder=Path(path).parent))
