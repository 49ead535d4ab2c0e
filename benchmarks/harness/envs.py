"""Virtual environments the benchmark builds for itself.

Two venvs live in the cache folder: one with territoria installed from the
repository (reinstalled on every run so the current code is measured), and a
separate one with sqlite-utils, which must never become a territoria
dependency. The Typer baselines run with the territoria venv's interpreter, so
both sides use the same Python and the same Typer version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/territoria-bench`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "territoria-bench"


@dataclass(frozen=True)
class Venv:
    """A virtual environment directory and the paths the benchmark needs."""

    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def script(self, name: str) -> Path:
        """Console script installed in this venv, e.g. ``territoria``."""
        return self.root / "bin" / name

    def ensure(self) -> Venv:
        """Create the venv (with pip) unless it already exists."""
        if not self.python.exists():
            venv.create(self.root, with_pip=True, clear=True)
        return self

    def pip_install(self, *args: str) -> None:
        """Run ``pip install`` quietly; output is shown only if it fails."""
        command = [str(self.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(f"pip install failed in {self.root}")

    def versions(self, *dists: str) -> dict[str, str]:
        """Installed versions of ``dists`` in this venv ("-" when missing)."""
        code = (
            "import importlib.metadata as m, json, sys\n"
            "def v(d):\n"
            "    try: return m.version(d)\n"
            "    except m.PackageNotFoundError: return '-'\n"
            "print(json.dumps({d: v(d) for d in sys.argv[1:]}))"
        )
        out = subprocess.run([str(self.python), "-c", code, *dists], capture_output=True, text=True, check=True).stdout
        return dict(json.loads(out))

    def python_version(self) -> str:
        return subprocess.run(
            [str(self.python), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()


def territoria_venv(cache: Path, repo: Path) -> Venv:
    """Venv with territoria freshly (re)installed from ``repo``.

    pip always rebuilds and reinstalls a project given as a local directory
    (even when its version number did not change), while already satisfied
    dependencies are kept, so one plain ``pip install`` measures current code.
    """
    env = Venv(cache / "venv-territoria").ensure()
    env.pip_install(str(repo))
    return env


def sqlite_utils_venv(cache: Path) -> Venv:
    """Separate venv holding only sqlite-utils (installed once, then reused)."""
    env = Venv(cache / "venv-sqlite-utils").ensure()
    if not env.script("sqlite-utils").exists():
        env.pip_install("sqlite-utils")
    return env
