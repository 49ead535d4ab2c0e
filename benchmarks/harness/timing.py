"""Run one command end to end and measure wall time and peak memory.

Each measurement is a fresh process: start-up (interpreter, imports, store
loading) is exactly what users wait for, so nothing is kept warm in-process.
The child is reaped with ``os.wait4``, which returns that child's own
``ru_maxrss``; ``getrusage(RUSAGE_CHILDREN)`` would instead report the maximum
over every child the harness ever ran. That figure still includes the
harness's own peak: Python starts children with ``vfork``, and ``exec``
carries the peak RSS of the memory it replaces (the harness's) into the
child's. So the harness keeps itself small: it reads each output to the end
but keeps only its tail (for error messages), and builds big stores in a
child process.
"""

from __future__ import annotations

import fcntl
import os
import statistics
import struct
import subprocess
import tempfile
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TERMINAL_ROWS, TERMINAL_COLUMNS = 40, 120
"""Pseudo-terminal size: fixed so Rich lays tables out identically each run."""


OUTPUT_TAIL = 4096
"""Bytes of a child's output kept, for the message when it fails."""


@dataclass(frozen=True)
class Run:
    """Outcome of one process: wall seconds, peak RSS (KiB) and the tail of its output."""

    seconds: float
    max_rss_kib: int
    output: bytes


def _drain(read: Callable[[int], bytes]) -> bytes:
    """Read until EOF, keeping only the last :data:`OUTPUT_TAIL` bytes."""
    tail = b""
    while chunk := read(65536):
        tail = (tail + chunk)[-OUTPUT_TAIL:]
    return tail


@dataclass(frozen=True)
class Command:
    """A command line plus the label printed for it in reports.

    ``env`` overrides the runner's environment for this command only, so that
    one A/B pair can compare the same command on two stores.
    """

    label: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)

    def environment(self, base: Mapping[str, str]) -> dict[str, str]:
        return {**base, **self.env}


class CommandFailed(RuntimeError):
    """A benchmarked command exited non-zero: its timings would be meaningless."""


def _reap(
    process: subprocess.Popen[bytes], command: Command, started: float, output: bytes, diagnostics: Callable[[], bytes]
) -> Run:
    """Wait for ``process`` with ``wait4`` and turn it into a :class:`Run`.

    ``diagnostics`` is only called when the command failed, to show why.
    """
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        detail = diagnostics().decode(errors="replace")[-2000:]
        raise CommandFailed(f"{command.label} exited {process.returncode}: {' '.join(command.argv)}\n{detail}")
    return Run(seconds, usage.ru_maxrss, output)


def run_piped(command: Command, env: Mapping[str, str], cwd: Path) -> Run:
    """Run with stdout on a pipe (as in ``territoria ... | less``).

    stderr goes to a temporary file rather than a second pipe, so reading
    stdout to EOF can never deadlock on a full stderr pipe.
    """
    with tempfile.TemporaryFile() as errors:

        def stderr_or_stdout() -> bytes:
            errors.seek(0)
            return errors.read() or output

        started = time.perf_counter()
        process = subprocess.Popen(
            command.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=command.environment(env),
            cwd=cwd,
        )
        assert process.stdout is not None
        output = _drain(process.stdout.read)
        process.stdout.close()
        return _reap(process, command, started, output, stderr_or_stdout)


def run_pty(command: Command, env: Mapping[str, str], cwd: Path) -> Run:
    """Run attached to a fresh pseudo-terminal and read it until EOF.

    stdin, stdout and stderr are the pty's slave side, so ``isatty()`` is true
    and Rich renders colours and box drawing as in an interactive shell. The
    elapsed time includes draining everything the program wrote.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", TERMINAL_ROWS, TERMINAL_COLUMNS, 0, 0))
    output = b""
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            command.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=command.environment(env),
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        slave = -1
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every slave descriptor is closed.
                break
            if not chunk:
                break
            output = (output + chunk)[-OUTPUT_TAIL:]
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    return _reap(process, command, started, output, lambda: output)


Runner = Callable[[Command, Mapping[str, str], Path], Run]


@dataclass(frozen=True)
class Samples:
    """Wall times (seconds) and peak RSS (KiB) of repeated runs of a command."""

    seconds: list[float]
    max_rss_kib: list[int]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def peak_mib(self) -> float:
        return max(self.max_rss_kib) / 1024


def sample(runner: Runner, command: Command, env: Mapping[str, str], cwd: Path, repeats: int) -> Samples:
    """One discarded warm-up (fills the page cache), then ``repeats`` runs."""
    runner(command, env, cwd)
    runs = [runner(command, env, cwd) for _ in range(repeats)]
    return Samples([r.seconds for r in runs], [r.max_rss_kib for r in runs])


def sample_pairs(
    runner: Runner, subject: Command, baseline: Command, env: Mapping[str, str], cwd: Path, pairs: int
) -> tuple[Samples, Samples]:
    """Interleave subject and baseline runs so both see the same machine state.

    After one discarded warm-up of each, runs alternate in ABBA order (the
    order flips every pair), so neither side systematically benefits from
    running right after the other, and slow drifts (thermal, noisy
    neighbours) hit both sides equally.
    """
    runner(subject, env, cwd)
    runner(baseline, env, cwd)
    a: list[Run] = []
    b: list[Run] = []
    for index in range(pairs):
        if index % 2 == 0:
            a.append(runner(subject, env, cwd))
            b.append(runner(baseline, env, cwd))
        else:
            b.append(runner(baseline, env, cwd))
            a.append(runner(subject, env, cwd))
    return (
        Samples([r.seconds for r in a], [r.max_rss_kib for r in a]),
        Samples([r.seconds for r in b], [r.max_rss_kib for r in b]),
    )
