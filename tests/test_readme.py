"""The README's examples are run as a user would run them, so they cannot drift.

Each ```console block holds one ``$ command`` line and the output it must
print. Commands run in a shell (pipes included) with the installed
``territoria`` first on the PATH, a 120-column terminal without colours for
the commands that are not piped, and standard error shown as a user sees it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLE = re.compile(r"```console\n\$ (?P<command>[^\n]+)\n(?P<output>.*?)```", re.DOTALL)
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def readme_examples() -> list[tuple[str, str]]:
    return [(match["command"], match["output"]) for match in EXAMPLE.finditer(README.read_text(encoding="utf-8"))]


def command_folder(tmp_path: Path) -> Path:
    """A folder whose ``territoria`` is this interpreter's: the installed script, or the module."""
    installed = Path(sys.executable).parent / "territoria"
    folder = tmp_path / "bin"
    folder.mkdir()
    if installed.exists():
        (folder / "territoria").symlink_to(installed)
    else:
        shim = folder / "territoria"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m territoria_cli "$@"\n')
        shim.chmod(0o755)
    return folder


def run_example(command: str, tmp_path: Path) -> str:
    """What a user sees when typing ``command``, without colours or trailing spaces."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TERRITORIA_")}
    env.update(PATH=f"{command_folder(tmp_path)}{os.pathsep}{env.get('PATH', '')}", COLUMNS="120", NO_COLOR="1")
    if "|" not in command:
        env["TERRITORIA_FORCE_TTY"] = "1"
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        ["bash", "-c", f"{{ {command} ; }} 2>&1"], env=env, cwd=work, capture_output=True, text=True, timeout=60
    )
    lines = ANSI_ESCAPE.sub("", result.stdout).splitlines()
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def test_the_readme_has_examples_of_every_command():
    commands = " ".join(command for command, _ in readme_examples())
    for name in ("list", "search", "show", "stats", "export"):
        assert f"territoria {name}" in commands


def test_the_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "pip install . && territoria list --level or" in text
    assert "pip install '.[test]' && pytest" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in ci


@pytest.mark.parametrize(("command", "expected"), readme_examples(), ids=[c for c, _ in readme_examples()])
def test_readme_example_prints_what_the_readme_shows(command, expected, tmp_path):
    assert run_example(command, tmp_path) == expected
