"""Shell completion, run by bash, zsh and fish themselves.

Each shell is driven the way it completes a command line: bash calls the
completion function with ``COMP_WORDS``/``COMP_CWORD`` set and inserts
``COMPREPLY``; fish answers ``complete --do-complete``; zsh's completion
system only runs inside its line editor, so zsh is typed into for real in
tmux and the screen is read back. The tests need bash, zsh, fish and tmux;
without one they are skipped, except under CI (``CI`` set), where a missing
shell is a failure (``.ci/run`` installs them).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from tmux_terminal import Terminal, need

from territoria_cli.completion import matches

SRC = Path(__file__).resolve().parents[1] / "src"
QUALITE = "Qualité de vie"


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a ``territoria`` that runs this checkout, for the shells' PATH."""
    folder = tmp_path_factory.mktemp("bin")
    launcher = folder / "territoria"
    launcher.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m territoria_cli "$@"\n')
    launcher.chmod(0o755)
    return folder


@pytest.fixture(scope="module")
def shell_env(bin_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(SRC),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(home / ".cache")),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
    }


def script(shell: str, shell_env: dict[str, str], tmp_path: Path) -> Path:
    """The completion script as a user gets it, written to a file the shell sources."""
    result = subprocess.run(
        ["territoria", "completion", shell], capture_output=True, text=True, env=shell_env, check=True
    )
    path = tmp_path / f"territoria.{shell}"
    path.write_text(result.stdout)
    return path


# ---------------------------------------------------------------- bash


def bash_complete(words: list[str], shell_env: dict[str, str], tmp_path: Path) -> list[str]:
    """COMPREPLY after bash's completion function ran for ``words`` (the last one being completed)."""
    source = script("bash", shell_env, tmp_path)
    array = " ".join(shlex.quote(word) for word in words)
    program = (
        f"source {shlex.quote(str(source))}\n"
        f"COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}\n"
        f"_territoria_completion territoria {shlex.quote(words[-1])} {shlex.quote(words[-2])}\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run([need("bash"), "--norc", "--noprofile", "-c", program], capture_output=True, text=True, env=shell_env)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def bash_run(command_line: str, shell_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a completed command line as bash would after Enter."""
    return subprocess.run([need("bash"), "--norc", "--noprofile", "-c", command_line], capture_output=True, text=True, env=shell_env)


def test_bash_quotes_a_value_with_spaces_and_accents_and_the_line_then_runs(shell_env, tmp_path):
    (completed,) = bash_complete(["territoria", "list", "--category", "Qual"], shell_env, tmp_path)
    assert completed == r"Qualité\ de\ vie"
    result = bash_run(f"territoria list --category {completed}", shell_env)
    assert result.returncode == 0, result.stderr
    assert {row.split("\t")[2] for row in result.stdout.splitlines()} == {QUALITE}


def test_bash_inside_an_open_quote_inserts_the_value_as_it_is(shell_env, tmp_path):
    assert bash_complete(["territoria", "list", "--category", '"Qual'], shell_env, tmp_path) == [QUALITE]


def test_bash_forgives_accents_case_and_finds_a_word_inside(shell_env, tmp_path):
    assert bash_complete(["territoria", "list", "--category", "qualite"], shell_env, tmp_path) == [r"Qualité\ de\ vie"]
    assert bash_complete(["territoria", "list", "--category", "unicef"], shell_env, tmp_path) == [r"TERRITORIA\ /\ UNICEF"]
    assert bash_complete(["territoria", "list", "--region", "provence"], shell_env, tmp_path) == [
        r"Provence-Alpes-Côte\ d\'Azur"
    ]


def test_bash_completes_ids_from_any_part_of_them(shell_env, tmp_path):
    assert bash_complete(["territoria", "show", "saverd"], shell_env, tmp_path) == ["2017-saverdun-recup-velos-en-liberte"]
    assert bash_complete(["territoria", "export", "--id", "belfort"], shell_env, tmp_path) == ["2017-belfort-bancs-et-amenagements"]
    assert sorted(bash_complete(["territoria", "show", "albi"], shell_env, tmp_path)) == [
        "2017-albi-agriculture-et-alimentation-de-proximite",
        "2017-albi-s-engage-avec-ses-commercants",
    ]


def test_bash_completes_the_fields_of_values(shell_env, tmp_path):
    assert bash_complete(["territoria", "values", "reg"], shell_env, tmp_path) == ["region"]


def test_bash_completes_each_command_s_own_formats(shell_env, tmp_path):
    from territoria_cli.formats import EXPORT_FORMATS, TABLE_FORMATS

    assert sorted(bash_complete(["territoria", "stats", "--format", ""], shell_env, tmp_path)) == sorted(TABLE_FORMATS)
    assert sorted(bash_complete(["territoria", "export", "-f", ""], shell_env, tmp_path)) == sorted(EXPORT_FORMATS)
    assert set(TABLE_FORMATS) < set(EXPORT_FORMATS)  # the two lists differ: the test tells them apart


def test_bash_completes_commands_and_options_by_prefix(shell_env, tmp_path):
    assert bash_complete(["territoria", "st"], shell_env, tmp_path) == ["stats"]
    assert bash_complete(["territoria", "list", "--lev"], shell_env, tmp_path) == ["--level"]


def test_bash_leaves_file_names_to_bash(shell_env, tmp_path):
    """An empty COMPREPLY makes ``complete -o default`` fall back to file names."""
    assert bash_complete(["territoria", "import", "pal"], shell_env, tmp_path) == []


# ---------------------------------------------------------------- fish


def fish_complete(line: str, shell_env: dict[str, str], tmp_path: Path) -> list[str]:
    """What fish offers for ``line`` (``complete --do-complete``), without descriptions."""
    source = script("fish", shell_env, tmp_path)
    program = f"source {shlex.quote(str(source))}; complete --do-complete {shlex.quote(line)}"
    result = subprocess.run([need("fish"), "--no-config", "-c", program], capture_output=True, text=True, env=shell_env)
    assert result.returncode == 0, result.stderr
    return [row.split("\t")[0] for row in result.stdout.splitlines() if row]


def test_fish_offers_values_with_spaces_and_accents(shell_env, tmp_path):
    assert fish_complete("territoria list --category Qual", shell_env, tmp_path) == [QUALITE]
    assert fish_complete("territoria list --category unicef", shell_env, tmp_path) == ["TERRITORIA / UNICEF"]
    assert fish_complete("territoria list --lev", shell_env, tmp_path) == ["--level"]


def test_fish_offers_ids(shell_env, tmp_path):
    assert fish_complete("territoria show saverdun", shell_env, tmp_path) == ["2017-saverdun-recup-velos-en-liberte"]


# ---------------------------------------------------------------- zsh, typed into a real terminal


@pytest.fixture
def zsh(shell_env, tmp_path):
    source = script("zsh", shell_env, tmp_path)
    terminal = Terminal([need("zsh"), "-f"], shell_env)
    try:
        terminal.type(f"autoload -U compinit && compinit -u && source {shlex.quote(str(source))} && PS1='ready> '", "Enter")
        terminal.wait_for("ready> ")
        yield terminal
    finally:
        terminal.close()


@pytest.mark.parametrize(
    ("typed", "completed"),
    [
        ("territoria list --category Qual", r"territoria list --category Qualité\ de\ vie "),
        ("territoria list --category qualite", r"territoria list --category Qualité\ de\ vie "),
        ('territoria list --category "Qual', 'territoria list --category "Qualité de vie" '),
        ("territoria list --region provence", r"territoria list --region Provence-Alpes-Côte\ d\'Azur "),
        ("territoria show saverdun", "territoria show 2017-saverdun-recup-velos-en-liberte "),
    ],
)
def test_zsh_inserts_quoted_values(zsh, typed, completed):
    zsh.type(typed, "Tab")
    zsh.wait_for(completed.rstrip())


# ---------------------------------------------------------------- the matching rule


@pytest.mark.parametrize(
    ("value", "typed", "expected"),
    [
        (QUALITE, "", True),
        (QUALITE, "QUALITÉ", True),
        (QUALITE, "qualite de", True),
        (QUALITE, "vie", True),
        (QUALITE, "ie", False),
        ("TERRITORIA / UNICEF", "unicef", True),
        ("2017-saverdun-recup-velos-en-liberte", "saverdun", True),
        ("2017-saverdun-recup-velos-en-liberte", "verdun", False),
        ("Provence-Alpes-Côte d'Azur", "azur", True),
    ],
)
def test_a_candidate_matches_from_the_start_of_the_value_or_of_a_word(value, typed, expected):
    assert matches(value, typed) is expected
