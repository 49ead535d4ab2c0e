"""files.atomic_write_text: a file is replaced whole or not at all, and leaves nothing behind."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from territoria_cli import files
from territoria_cli.files import OutputError, atomic_write_text

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
    # Simulated, so that the test also holds when run as root (root ignores modes).
    def refused(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
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
