"""Plain-text reporting: machine facts, result tables and import profiles.

Output is plain aligned text (no Rich) so that the harness stays stdlib-only
and its report can be pasted verbatim into the README.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (falls back to platform data)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_revision(repo: Path) -> str:
    """Short commit of ``repo`` plus "+dirty" when the tree has changes."""

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "no commit"
    return commit + ("+dirty" if git("status", "--porcelain") else "")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Align columns: first column left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [cell.ljust(widths[0]) if index == 0 else cell.rjust(widths[index]) for index, cell in enumerate(cells)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def verdict(value: float, limit: float) -> str:
    return "PASS" if value <= limit else "FAIL"


@dataclass(frozen=True)
class ImportProfile:
    """Parsed ``-X importtime`` output of one process."""

    self_us: dict[str, int]
    """Self time per imported module, in microseconds."""

    @classmethod
    def parse(cls, stderr: str) -> ImportProfile:
        pattern = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s?( *)(\S+)")
        found = {m.group(4): int(m.group(1)) for m in map(pattern.match, stderr.splitlines()) if m}
        return cls(found)

    @property
    def total_ms(self) -> float:
        return sum(self.self_us.values()) / 1000

    def by_package(self) -> Counter[str]:
        """Self time (µs) summed per top-level package."""
        totals: Counter[str] = Counter()
        for module, micros in self.self_us.items():
            totals[module.split(".")[0]] += micros
        return totals


def import_profile(argv: Sequence[str], env: dict[str, str], cwd: Path) -> ImportProfile:
    """Run ``argv`` once with ``PYTHONPROFILEIMPORTTIME`` and parse stderr.

    The environment variable (rather than ``-X importtime``) also works for
    console scripts, whose interpreter line we do not control.
    """
    done = subprocess.run(
        list(argv),
        env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    return ImportProfile.parse(done.stderr)


def describe_imports(subject: ImportProfile, baseline: ImportProfile, top: int) -> str:
    """Where import time goes, and which packages the baseline does not need."""
    packages = subject.by_package()
    extra = sorted(set(packages) - set(baseline.by_package()))
    lines = [
        f"modules imported: {len(subject.self_us)} "
        f"(bare Typer app: {len(baseline.self_us)}); "
        f"import self-time total {subject.total_ms:.1f} ms "
        f"(bare Typer app: {baseline.total_ms:.1f} ms; -X importtime inflates both)",
        f"top-level packages not imported by the bare Typer app: {', '.join(extra) or '-'}",
        table(
            ["package (self time, summed)", "ms", "modules"],
            [
                [name, f"{micros / 1000:.1f}", str(sum(1 for m in subject.self_us if m.split(".")[0] == name))]
                for name, micros in packages.most_common(top)
            ],
        ),
    ]
    return "\n".join(lines)


def load_line(when: str) -> str:
    """Load average: other work on the machine inflates wall-clock medians."""
    one, five, fifteen = os.getloadavg()
    return f"load average {when}: {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min, {os.cpu_count()} cores)"


def machine_lines(python_version: str, versions: dict[str, str]) -> list[str]:
    """Facts that make two benchmark reports comparable."""
    return [
        f"CPU: {cpu_model()}, {os.cpu_count()} cores",
        f"Python: {python_version} ({platform.system()} {platform.release()})",
        "versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()),
    ]
