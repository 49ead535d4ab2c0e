"""Writing files so that a reader never sees half of one.

Exports and the store share one rule: the new content goes to a temporary file
in the target's folder, is flushed to the disk, and only then takes the
target's name in one ``os.replace``. A crash, a full disk or Ctrl-C at any
moment leaves either the old file or the new one, never a truncated mix, and
no temporary file behind. The temporary file must live in the same folder
because a rename is atomic only within one file system.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from territoria_cli.errors import OutputError
from territoria_cli.i18n import N_, _


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` encoded, all at once; see :func:`atomic_write_bytes`."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as error:
        raise OutputError(
            _("{path}: the text cannot be written in {encoding} ({reason})").format(path=path, encoding=encoding, reason=error.reason)
        ) from None
    atomic_write_bytes(path, data)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once, or leave it as it was.

    A symbolic link is followed, so the file it points to is replaced and the
    link survives. An existing file keeps its permission bits; a new one gets
    the usual ``0o666`` minus the umask, as if the shell had created it,
    rather than the private ``0o600`` of temporary files.

    Raises :class:`OutputError` when the folder does not exist, the path is a
    folder, or the file or folder cannot be written.
    """
    import tempfile  # only writing commands pay for it (tempfile pulls in random, shutil)

    target = Path(os.path.realpath(path))
    folder = target.parent
    _check_writable(Path(path), target, folder)
    mode = _mode_for(target)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(_explain(Path(path), folder, error)) from None
    try:
        with open(handle, "wb") as temp_file:
            temp_file.write(data)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException as error:
        # BaseException on purpose: Ctrl-C during the write must not leave
        # ".name.xxxx.tmp" files in the user's folder.
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise OutputError(_explain(Path(path), folder, error)) from None
        raise
    _sync_folder(folder)


def _check_writable(path: Path, target: Path, folder: Path) -> None:
    """Catch the common mistakes before creating anything, with plain words."""
    if not folder.exists():
        raise OutputError(_("{path}: the folder {folder} does not exist").format(path=path, folder=folder))
    if not folder.is_dir():
        raise OutputError(_("{path}: {folder} is not a folder").format(path=path, folder=folder))
    if target.is_dir():
        raise OutputError(_("{path}: is a folder; give a file name").format(path=path))
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
