"""The French catalogue: in step with the code, compiled, chosen by --lang or TERRITORIA_LANG."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from territoria_cli import i18n

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "catalogue.py"


def catalogue_script():
    spec = importlib.util.spec_from_file_location("catalogue", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_of_the_code_is_translated_and_the_mo_is_the_compiled_po():
    """What ``python3 scripts/catalogue.py check`` says: nothing missing, stale, untranslated or uncompiled."""
    pytest.importorskip("babel")
    script = catalogue_script()
    assert script.problems(script.read_catalogue(), script.code_messages()) == []


def test_the_catalogue_has_messages_and_french_plural_rules():
    pytest.importorskip("babel")
    script = catalogue_script()
    catalogue = script.read_catalogue()
    assert len(catalogue) > 50
    assert catalogue.plural_forms == "nplurals=2; plural=(n > 1);"


def test_the_check_finds_a_message_missing_from_the_catalogue():
    pytest.importorskip("babel")
    script = catalogue_script()
    template = script.code_messages()
    template.add("A message nobody translated yet")
    assert "not in the catalogue: 'A message nobody translated yet'" in script.problems(script.read_catalogue(), template)


def test_the_check_finds_a_help_text_not_marked_for_the_catalogue():
    """A help text without ``N_()`` escapes the extractor; the check reads the help pages themselves."""
    pytest.importorskip("babel")
    import typer

    script = catalogue_script()
    app = typer.Typer()

    @app.command()
    def count(limit: int = typer.Option(1, help="An option help nobody marked.")) -> None:
        """Count things."""

    @app.command()
    def other() -> None:
        """Another command, so that Typer makes a group."""

    shown = script.shown_help_messages(app)
    assert {"An option help nobody marked.", "Count things."} <= shown
    found = script.problems(script.read_catalogue(), script.code_messages(), shown)
    assert "shown in a help page but not marked N_() for the catalogue: 'An option help nobody marked.'" in found


def test_every_help_page_is_in_french_by_default():
    """No English help paragraph in any command's French help (one was: --population's)."""
    import re

    from typer.testing import CliRunner

    from territoria_cli.cli import app

    pytest.importorskip("babel")
    script = catalogue_script()
    translated = {message.id: message.string for message in script.read_catalogue() if message.id and message.string}
    # Every help text but those whose French is the English ("Options"); unmarked ones included.
    english = [message for message in script.shown_help_messages() if translated.get(message) != message]
    for command in ["", "list", "search", "similar", "show", "stats", "values", "export", "import", "completion"]:
        result = CliRunner().invoke(app, [*command.split(), "--help"], env={"COLUMNS": "100", "TERRITORIA_LANG": ""})
        assert result.exit_code == 0, result.output
        page = re.sub(r"\s+", " ", result.stdout)
        assert "Utilisation : territoria" in page
        longest_fixed_part = {message: max(re.split(r"{[^{}]*}", re.sub(r"\s+", " ", message)), key=len).strip() for message in english}
        left = [message for message, part in longest_fixed_part.items() if part in page]
        assert left == [], (command, left)
    population = CliRunner().invoke(app, ["list", "--help"], env={"COLUMNS": "100", "TERRITORIA_LANG": ""}).stdout
    assert "Garder les collectivités de MIN à MAX habitants" in re.sub(r"\s+", " ", population)


@pytest.mark.parametrize(
    ("args", "environ", "expected"),
    [
        ([], {}, "fr"),
        (["list"], {"TERRITORIA_LANG": "en"}, "en"),
        (["list"], {"TERRITORIA_LANG": "EN"}, "en"),
        (["list", "--lang", "en"], {}, "en"),
        (["list", "--lang=en"], {}, "en"),
        (["list", "--lang", "fr"], {"TERRITORIA_LANG": "en"}, "fr"),
        (["list", "--help", "--lang", "en"], {}, "en"),
        (["search", "--", "--lang", "en"], {}, "fr"),
        (["list", "--lang", "de"], {}, "fr"),
        (["list", "--lang"], {"TERRITORIA_LANG": "en"}, "en"),
    ],
)
def test_the_language_is_read_from_the_raw_command_line_then_the_environment(args, environ, expected):
    assert i18n.language_from(args, environ) == expected


def test_messages_follow_the_language():
    try:
        i18n.set_language("fr")
        assert i18n.ngettext("{count} award", "{count} awards", 2).format(count=2) == "2 prix"
        i18n.set_language("en")
        assert i18n.ngettext("{count} award", "{count} awards", 2).format(count=2) == "2 awards"
        assert i18n.ngettext("{count} award", "{count} awards", 1).format(count=1) == "1 award"
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


CATALOGUE_READS = """
import sys
read = []
sys.addaudithook(lambda event, args: read.append(str(args[0])) if event == "open" and str(args[0]).endswith(".mo") else None)
from territoria_cli.__main__ import main
sys.argv = ["territoria", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nREAD " + repr([path.rsplit("/", 1)[-1] for path in read]))
"""


def catalogue_reads(*args: str, **env: str) -> list[str]:
    """The catalogue files a real ``territoria ARGS`` process opens (an audit hook sees every open)."""
    import ast
    import os
    import subprocess
    import sys

    environment = {key: value for key, value in os.environ.items() if not key.startswith("TERRITORIA_")} | env
    result = subprocess.run([sys.executable, "-c", CATALOGUE_READS, *args], capture_output=True, text=True, env=environment)
    return ast.literal_eval(result.stderr.rsplit("READ ", 1)[1])


def test_the_catalogue_is_read_only_when_a_message_is_shown():
    """Start-up: a piped list prints no message, so it does not even open the catalogue."""
    assert catalogue_reads("list", "--level", "or") == []
    assert catalogue_reads("list", "--level", "platine") == ["territoria.mo"]
    assert catalogue_reads("list", "--level", "platine", TERRITORIA_LANG="en") == []  # English is the source
