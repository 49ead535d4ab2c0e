"""files.atomic_write_text: a file is replaced whole or not at all, and leaves nothing behind."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from territoria_cli import files
from territoria_cli.files import OutputError, atomic_write_text, write_output

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")

running_as_root = hasattr(os, "geteuid") and os.geteuid() == 0


def names_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_writes_a_new_file_in_utf8(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    atomic_write_text(target, "Île-de-France ; œuvre\r\n")
    assert target.read_bytes() == "Île-de-France ; œuvre\r\n".encode()
    assert names_in(tmp_path) == ["export.csv"]


def test_replaces_an_existing_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "export.md"
    target.write_text("old content that is longer than the new one\n", encoding="utf-8")
    atomic_write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert names_in(tmp_path) == ["export.md"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_keeps_the_permission_bits_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "shared.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    atomic_write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_new_file_gets_the_umask_default_not_the_private_temporary_mode(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "new.csv", "x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_follows_a_symbolic_link_and_keeps_it(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_a_failing_replace_keeps_the_old_file_and_removes_the_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(b"old bytes")

    def disk_full(source: str, destination: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "replace", disk_full)
    with pytest.raises(OutputError) as raised:
        atomic_write_text(target, "new content")
    assert str(raised.value) == f"{target}: cannot write the file: no space left on the device"
    assert "Errno" not in str(raised.value)
    assert target.read_bytes() == b"old bytes"
    assert names_in(tmp_path) == ["export.csv"]


def test_ctrl_c_during_the_write_keeps_the_old_file_and_removes_the_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(b"old bytes")

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new content")
    assert target.read_bytes() == b"old bytes"
    assert names_in(tmp_path) == ["export.csv"]


def test_a_folder_that_does_not_exist_is_a_clear_error_and_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "export.csv"
    with pytest.raises(OutputError, match=r"the folder .*missing does not exist"):
        atomic_write_text(target, "x")
    assert names_in(tmp_path) == []


def test_a_folder_as_target_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        atomic_write_text(tmp_path, "x")


def test_a_file_in_place_of_the_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is not a folder"):
        atomic_write_text(tmp_path / "plain" / "export.csv", "x")


def test_a_folder_refusing_new_files_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated, so that the test also holds when run as root (root ignores modes): creating a file there fails.
    real_open = os.open

    def refused(path: str, flags: int, *args: object) -> int:
        if str(path).startswith(str(tmp_path)) and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(OutputError) as raised:
        atomic_write_text(tmp_path / "export.csv", "x")
    assert str(raised.value) == f"{tmp_path / 'export.csv'}: cannot write the file: permission denied"
    assert names_in(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or running_as_root, reason="needs POSIX modes that apply to this user")
def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            atomic_write_text(folder / "export.csv", "x")
        assert names_in(folder) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(os.name != "posix" or running_as_root, reason="needs POSIX modes that apply to this user")
def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "frozen.csv"
    target.write_bytes(b"keep me")
    target.chmod(0o444)
    with pytest.raises(OutputError, match="the file is read-only"):
        atomic_write_text(target, "x")
    assert target.read_bytes() == b"keep me"


def test_text_the_encoding_cannot_hold_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot be written in ascii"):
        atomic_write_text(tmp_path / "export.csv", "Élancourt", encoding="ascii")
    assert names_in(tmp_path) == []


# --------------------------------------------------------------------------- outputs that are not regular files (issue 12)


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/fd are POSIX")
def test_an_existing_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output(fifo, "a,b\r\nÉ,1\r\n")
    reader.join(timeout=10)
    assert received == ["a,b\r\nÉ,1\r\n".encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert names_in(tmp_path) == ["export.csv"]


@pytest.mark.skipif(not running_as_root, reason="creating a device node needs root")
def test_a_character_device_is_written_into_and_survives(tmp_path: Path) -> None:
    # A private copy of /dev/null in tmp_path: the real one is never a test target.
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    write_output(device, "x" * 10_000)
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert names_in(tmp_path) == ["null"]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/fd are POSIX")
def test_a_descriptor_path_appends_to_the_open_file_as_the_shell_would(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("old\n", encoding="utf-8")
    descriptor = os.open(log, os.O_WRONLY | os.O_APPEND)  # what `>> log.txt` gives the command
    try:
        write_output(Path(f"/dev/fd/{descriptor}"), "new\n")
    finally:
        os.close(descriptor)
    assert log.read_text(encoding="utf-8") == "old\nnew\n"
    assert names_in(tmp_path) == ["log.txt"]


def test_dev_stdout_is_descriptor_1_and_never_resolved_to_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[tuple[int, bytes]] = []
    monkeypatch.setattr(files.os, "write", lambda fd, data: written.append((fd, bytes(data))) or len(data))
    monkeypatch.setattr(files.os, "fstat", lambda fd: os.stat("."))
    write_output(Path("/dev/stdout"), "a\n")
    write_output(Path("/proc/self/fd/2"), "b\n")
    assert written == [(1, b"a\n"), (2, b"b\n")]


def test_a_descriptor_that_is_not_open_is_a_clear_error() -> None:
    with pytest.raises(OutputError, match="no such open file descriptor"):
        write_output(Path("/dev/fd/987"), "x")


def test_the_store_being_read_is_never_overwritten(tmp_path: Path) -> None:
    store = tmp_path / "mine.json"
    store.write_bytes(b"the store")
    link = tmp_path / "link.json"
    link.symlink_to(store)
    for target in (store, link):
        with pytest.raises(OutputError, match="which an export never overwrites"):
            write_output(target, "export", protected=[store])
    assert store.read_bytes() == b"the store"


def test_a_file_name_that_is_not_text_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    name = tmp_path / os.fsdecode(b"\xff.json")
    with pytest.raises(OutputError, match=r"\\xff\.json: the file name is not valid"):
        atomic_write_text(name, "x")
    assert names_in(tmp_path) == []


def _temporary_file(folder: Path, pid: int, age_seconds: float = 0) -> Path:
    path = folder / f".store.json.territoria-{pid}-{int(age_seconds)}x.tmp"
    path.write_bytes(b"half a store")
    when = time.time() - age_seconds
    os.utime(path, (when, when))
    return path


def test_a_write_sweeps_the_temporary_files_of_dead_processes_only(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = _temporary_file(tmp_path, dead.pid)
    in_progress = _temporary_file(tmp_path, os.getppid())  # a live process's write
    forgotten = _temporary_file(tmp_path, os.getppid(), age_seconds=files.STALE_AFTER_SECONDS + 60)
    unrelated = tmp_path / ".notes.tmp"
    unrelated.write_text("mine", encoding="utf-8")
    atomic_write_text(tmp_path / "export.csv", "x")
    assert not abandoned.exists() and not forgotten.exists()
    assert in_progress.exists() and unrelated.exists()
