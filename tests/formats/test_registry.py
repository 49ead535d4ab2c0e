"""The formats registry: what ``export --format`` offers, how a format is chosen and which options it takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from territoria_cli import formats
from territoria_cli.cli import app
from territoria_cli.errors import UsageError
from territoria_cli.formats.columns import DEFAULT_COLUMNS

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")


def test_the_format_comes_from_the_option_then_the_extension_then_the_default():
    assert formats.format_for("MD", None) == "md"
    assert formats.format_for("j", Path("x.csv")) == "json"  # a unique beginning; the option wins
    assert formats.format_for(None, Path("report.md")) == "md"
    assert formats.format_for(None, Path("report.txt")) == "csv"
    assert formats.format_for(None, None) == "csv"
    with pytest.raises(UsageError, match='unknown format "xls"'):
        formats.format_for("xls", None)


def test_an_option_of_another_format_is_refused_not_ignored(real_awards):
    with pytest.raises(UsageError, match="--excel applies to --format csv only, not md"):
        formats.write("md", real_awards, DEFAULT_COLUMNS, excel=True)
    with pytest.raises(UsageError, match="--title applies to --format md only, not json"):
        formats.write("json", real_awards, DEFAULT_COLUMNS, title="Palmarès")
    formats.write("csv", real_awards, DEFAULT_COLUMNS, excel=False, title=None)  # not given: fine


@pytest.mark.parametrize("name", formats.FORMATS)
def test_every_registered_format_is_offered_and_written_by_export(name, tmp_path):
    runner = CliRunner()
    assert name in runner.invoke(app, ["export", "--help"]).stdout
    target = tmp_path / f"gold.{name}"
    result = runner.invoke(app, ["export", "--level", "or", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"22 prix exportés dans {target} ({name})." in result.stderr
    assert target.read_bytes() == formats.write(name, _gold(), DEFAULT_COLUMNS).encode("utf-8")


def _gold():
    from territoria_cli.filters import select
    from territoria_cli.store import load_awards, packaged_store_path

    return select(load_awards(packaged_store_path()), {"levels": ["or"]}, sort="level")
