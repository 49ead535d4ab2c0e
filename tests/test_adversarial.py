"""The attacks of issue 12, run against the real command in subprocesses, each bounded in time.

Signals land at chosen moments of start-up (an import hook sends them while a
given module is being imported) and at random moments; writes are killed
midway; FIFOs stand in for endless inputs; every command runs under a
pseudo-terminal over a store whose text holds escape sequences. Nothing here
writes to a real device: FIFOs and files live in tmp_path.
"""

from __future__ import annotations

import json
import os
import pty
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import award_document

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals, FIFOs and pseudo-terminals")

TIMEOUT = 20  # seconds; any single run taking longer is a hang


def territoria(*args: str, env: dict[str, str] | None = None, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "territoria_cli", *args],
        capture_output=True, text=True, timeout=TIMEOUT, env=env, **options,  # type: ignore[call-overload]
    )  # fmt: skip


# --------------------------------------------------------------------------- signals during start-up

#: Run the command with a signal sent to itself while ``MODULE`` is being imported.
SIGNAL_DURING_IMPORT = """
import importlib.abc, os, runpy, signal, sys
module, signum = sys.argv[1], int(sys.argv[2])
class SendSignal(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == module:
            os.kill(os.getpid(), signum)
        return None
sys.meta_path.insert(0, SendSignal())
sys.argv = ["territoria", *sys.argv[3:]]
runpy.run_module("territoria_cli", run_name="__main__", alter_sys=True)
"""

#: Modules that start-up imports after the entry point's first line, the command's own imports last.
START_UP_MODULES = ["gc", "typer", "territoria_cli.cli", "territoria_cli.options", "territoria_cli.store", "json"]


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("module", START_UP_MODULES)
def test_a_signal_while_start_up_imports_exits_quietly(module: str, signum: int, code: int) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SIGNAL_DURING_IMPORT, module, str(int(signum)), "list"],
        capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert (run.returncode, run.stderr) == (code, "")


def test_ctrl_c_while_an_import_command_loads_tinydb_cleans_up(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps([award_document("2099-a")]), encoding="utf-8")
    store = tmp_path / "store.json"
    run = subprocess.run(
        [sys.executable, "-c", SIGNAL_DURING_IMPORT, "tinydb", str(int(signal.SIGINT)), "import", str(source), "--db", str(store)],
        capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert (run.returncode, run.stderr) == (130, "")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.json"]  # no store, lock or temporary file


#: Where the code territoria runs lives: its package and its dependencies.
OUR_CODE = ("territoria_cli", "/typer/", "/rich/", "/tinydb/", "/filelock/", "/platformdirs/")


def _frames(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines() if line.strip().startswith("File ")]


def test_ctrl_c_at_random_moments_of_start_up_never_prints_a_traceback_from_territoria() -> None:
    """Uniform delays over the first 0.3 s.

    Before ``territoria_cli.__main__`` runs, the interpreter's own start-up
    (site and the .pth files of site-packages, runpy and the standard modules
    they import) has Python's default handler, which no code of ours can
    replace: a traceback there is counted, not failed. Not one frame may come
    from territoria or its dependencies.
    """
    rng = random.Random(12)
    outcomes: dict[str, int] = {}
    for _ in range(20):
        process = subprocess.Popen(
            [sys.executable, "-m", "territoria_cli", "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        time.sleep(rng.uniform(0, 0.3))
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=TIMEOUT)
        frames = _frames(stderr)
        assert not any(package in frame for frame in frames for package in OUR_CODE), stderr
        assert "Exception ignored" not in stderr
        kind = "interpreter start-up traceback" if frames else f"exit {process.returncode}"
        outcomes[kind] = outcomes.get(kind, 0) + 1
    assert set(outcomes) <= {"interpreter start-up traceback", "exit 0", "exit 130", "exit -2"}, outcomes
    print(f"20 interrupted runs of list: {outcomes}")


# --------------------------------------------------------------------------- writes killed midway

#: Run the command with ``os.fsync`` replaced by a signal to itself: the store's temporary file is written, not renamed.
KILLED_DURING_WRITE = """
import os, runpy, signal, sys
signum = int(sys.argv[1])
os.fsync = lambda fd: os.kill(os.getpid(), signum)
sys.argv = ["territoria", *sys.argv[2:]]
runpy.run_module("territoria_cli", run_name="__main__", alter_sys=True)
"""


def _import_killed(tmp_path: Path, signum: int) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "in.json"
    source.write_text(json.dumps([award_document("2099-new")]), encoding="utf-8")
    args = [str(int(signum)), "import", str(source), "--db", str(tmp_path / "store.json")]
    return subprocess.run([sys.executable, "-c", KILLED_DURING_WRITE, *args], capture_output=True, text=True, timeout=TIMEOUT)


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_write_interrupted_by_a_signal_keeps_the_store_and_leaves_nothing(
    tmp_path: Path, signum: int, code: int
) -> None:
    store = tmp_path / "store.json"
    store.write_text(json.dumps({"awards": {"1": award_document("2099-old")}}), encoding="utf-8")
    before = store.read_bytes()
    run = _import_killed(tmp_path, signum)
    assert (run.returncode, run.stderr) == (code, "")
    assert store.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.json", "store.json"]


def test_the_temporary_file_of_a_killed_write_does_not_outlive_the_next_write(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    store.write_text(json.dumps({"awards": {"1": award_document("2099-old")}}), encoding="utf-8")
    run = _import_killed(tmp_path, signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL
    left = [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
    assert len(left) == 1 and ".territoria-" in left[0]  # kill -9 leaves it; it says whose it is
    export = territoria("export", "--db", str(store), "--output", str(tmp_path / "out.csv"))
    assert export.returncode == 0, export.stderr
    assert not [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
    assert json.loads(store.read_text(encoding="utf-8"))["awards"]["1"]["id"] == "2099-old"
    # The killed import's lock file goes with the next import, which holds the lock, then removes it.
    again = territoria("import", str(tmp_path / "in.json"), "--db", str(store))
    assert again.returncode == 0, again.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.json", "out.csv", "store.json"]


# --------------------------------------------------------------------------- inputs and outputs that are not files


def test_a_fifo_as_store_is_an_immediate_error_for_every_reading_command(tmp_path: Path) -> None:
    fifo = tmp_path / "store.json"
    os.mkfifo(fifo)
    source = tmp_path / "in.json"
    source.write_text(json.dumps([award_document()]), encoding="utf-8")
    for args in (["list"], ["stats"], ["search", "x"], ["show", "x"], ["export"], ["import", str(source)]):
        run = territoria(*args, "--db", str(fifo))  # a hang fails by TIMEOUT
        assert run.returncode == 1 and "est un FIFO" in run.stderr, (args, run.stderr)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.json", "store.json"]  # no lock beside it


def _limit_memory() -> None:
    import resource

    # 1 GiB of address space: a command reading an endless device fails instead of exhausting the machine.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_as_store_is_refused_before_reading_a_byte(device: str) -> None:
    started = time.monotonic()
    run = territoria("list", "--db", device, preexec_fn=_limit_memory)
    assert (run.returncode, run.stderr) == (
        1, f"Erreur : {device} : est un périphérique, pas une base ; territoria ne lit que des fichiers ordinaires\n"
    )
    assert time.monotonic() - started < 5


def test_export_into_a_fifo_streams_and_keeps_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        run = territoria("export", "--output", str(fifo), "--columns", "id")
        received, _ = reader.communicate(timeout=TIMEOUT)
    finally:
        reader.kill()  # a reader left waiting on the FIFO (had the export replaced it) would outlive the test
        reader.wait()
    assert run.returncode == 0, run.stderr
    assert len(received.decode().splitlines()) == 39  # header and 38 awards
    assert [path.name for path in tmp_path.iterdir()] == ["out.csv"] and fifo.is_fifo()


def test_export_to_dev_stdout_appends_as_the_shell_would(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("old\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as appended:
        subprocess.run(
            [sys.executable, "-m", "territoria_cli", "export", "-o", "/dev/stdout", "--columns", "id", "--level", "argent"],
            stdout=appended, stderr=subprocess.DEVNULL, timeout=TIMEOUT, check=True,
        )  # fmt: skip
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "old" and lines[1] == "Identifiant" and len(lines) == 8


def test_export_over_the_store_it_reads_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "mine.json"
    store.write_text(json.dumps({"awards": {"1": award_document()}}), encoding="utf-8")
    before = store.read_bytes()
    run = territoria("export", "--format", "json", "--db", str(store), "-o", str(store))
    assert run.returncode == 1 and "qu'un export n'écrase jamais" in run.stderr
    assert store.read_bytes() == before


# --------------------------------------------------------------------------- escape sequences under a terminal

#: Sequences a terminal obeys: retitle the window, clear the screen, ask for a reply, the 8-bit CSI, a bell.
EVIL = "\x1b]0;PWNED\x07\x1b[2J\x1b[6n\x9b31m\x07"


def _under_terminal(args: Sequence[str], env: dict[str, str]) -> bytes:
    """Everything the command writes to a pseudo-terminal (stdout and stderr both)."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "territoria_cli", *args], stdin=secondary, stdout=secondary, stderr=secondary, env=env
    )
    os.close(secondary)
    received = b""
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(primary, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                received += chunk
            elif process.poll() is not None:
                break
    finally:
        os.close(primary)
        process.wait(timeout=TIMEOUT)
    return received


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    documents = [
        award_document(
            f"2099-evil{EVIL}-{number}",
            title=f"Titre {EVIL} jardins",
            laureate=f"Ville{EVIL}",
            category=f"Catégorie{EVIL}",
            summary=f"Résumé jardins {EVIL} fin.",
            sponsor=EVIL,
        )
        for number in (1, 2)
    ]
    store = folder / "store.json"
    store.write_text(json.dumps({"awards": {"1": documents[0], "2": documents[1]}}, ensure_ascii=False), encoding="utf-8")
    conflict = folder / "conflict.json"
    conflict.write_text(json.dumps([{**documents[0], "title": "Autre"}], ensure_ascii=False), encoding="utf-8")
    bad_field = folder / "bad.json"
    bad_field.write_text(json.dumps([{**documents[0], "level": EVIL}], ensure_ascii=False), encoding="utf-8")
    fresh = folder / "fresh.json"
    unknown_body = {"name": f"Hameau{EVIL}", "kind": "commune", "department": "06", "region": "Provence-Alpes-Côte d'Azur"}
    fresh.write_text(
        json.dumps([{**documents[0], "id": f"2099-fresh{EVIL}", "laureates": [unknown_body]}], ensure_ascii=False),
        encoding="utf-8",
    )
    return {"store": store, "conflict": conflict, "bad": bad_field, "fresh": fresh, "new_store": folder / "new.json"}


COMMANDS = {
    "list": ["list"],
    "search": ["search", "jardins"],
    "search suggestions": ["search", "jardinz"],
    "show": ["show", "2099-evil\x1b]0;PWNED\x07\x1b[2J\x1b[6n\x9b31m\x07-1"],
    "show ambiguous id": ["show", "2099-evil"],
    "show unknown id": ["show", "2099-evik"],
    "stats": ["stats"],
    "stats by category": ["stats", "--by", "category", "--by", "laureate"],
    "import with notes": ["import", "{fresh}", "--db", "{new_store}"],
    "export csv": ["export"],
    "export md": ["export", "--format", "md", "--group-by", "category"],
    "import conflict": ["import", "{conflict}"],
    "import field error": ["import", "{bad}"],
    "list filter error": ["list", "--category", EVIL],
}


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_no_escape_sequence_from_the_data_reaches_the_terminal(hostile: dict[str, Path], args: list[str]) -> None:
    # TERM=dumb: Rich draws without styles, so that any ESC byte at all would come from the data.
    env = {**os.environ, "TERM": "dumb", "COLUMNS": "150", "TERRITORIA_DB": str(hostile["store"])}
    env.pop("NO_COLOR", None)
    shown = _under_terminal([arg.format(**hostile) for arg in args], env)
    assert shown, "the command printed nothing"
    assert b"\x1b" not in shown and b"\x07" not in shown and "\x9b".encode() not in shown, shown[:400]
