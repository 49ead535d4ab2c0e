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
    assert formats.format_for("j", Path("x.txt")) == "json"  # a unique beginning
    assert formats.format_for(None, Path("report.md")) == "md"
    assert formats.format_for(None, Path("report.MARKDOWN")) == "md"
    assert formats.format_for(None, Path("report.htm")) == "html"
    assert formats.format_for(None, Path("report.xlsx")) == "xlsx"
    assert formats.format_for(None, Path("report.docx")) == "docx"
    assert formats.format_for(None, Path("report.txt")) == "csv"
    assert formats.format_for(None, Path("-")) == "csv"
    assert formats.format_for("xlsx", Path("-")) == "xlsx"
    assert formats.format_for(None, None) == "csv"
    with pytest.raises(UsageError, match='unknown format "odt"'):
        formats.format_for("odt", None)


def test_a_format_contradicting_the_extension_is_refused():
    with pytest.raises(UsageError, match=r"--format csv contradicts --output x.xlsx \(a .xlsx file is xlsx\)"):
        formats.format_for("csv", Path("x.xlsx"))
    assert formats.format_for("csv", Path("x.CSV")) == "csv"
    with pytest.raises(UsageError, match="docx is not offered here; choose among: csv, md, json, xlsx"):
        formats.format_for(None, Path("x.docx"), formats.TABLE_FORMATS)


def test_an_option_of_another_format_is_refused_not_ignored(real_awards):
    with pytest.raises(UsageError, match="--excel applies to --format csv only, not md"):
        formats.write("md", real_awards, DEFAULT_COLUMNS, excel=True)
    with pytest.raises(UsageError, match="--title applies to --format md or docx or html only, not json"):
        formats.write("json", real_awards, DEFAULT_COLUMNS, title="Palmarès")
    formats.write("csv", real_awards, DEFAULT_COLUMNS, excel=False, title=None)  # not given: fine


@pytest.mark.parametrize("name", formats.FORMATS)
def test_every_registered_format_is_offered_and_written_by_export(name, tmp_path):
    runner = CliRunner()
    assert name in runner.invoke(app, ["export", "--help"]).stdout
    target = tmp_path / f"gold.{name}"
    result = runner.invoke(app, ["export", "--level", "or", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Exporté dans {target} ({name}) : 22 prix." in result.stderr
    written = formats.write(name, _gold())
    if isinstance(written, str):
        assert target.read_bytes() == written.encode("utf-8")
    else:  # xlsx and docx hold their creation time: compare what a reader sees
        assert formats.FORMATS[name].binary and target.read_bytes()[:2] == written[:2] == b"PK"
        assert _readable(target) == _readable_bytes(written)


def _readable(path: Path) -> list[str]:
    return _readable_bytes(path.read_bytes())


def _readable_bytes(data: bytes) -> list[str]:
    """Every text of a workbook or Word document, in order, read by openpyxl or python-docx."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        is_workbook = "xl/workbook.xml" in archive.namelist()
    if is_workbook:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data))
        return [str(cell) for sheet in book.worksheets for cells in sheet.iter_rows(values_only=True) for cell in cells]
    from docx import Document

    return [paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs]


def _gold():
    from territoria_cli.filters import select
    from territoria_cli.store import load_awards, packaged_store_path

    return select(load_awards(packaged_store_path()), {"levels": ["or"]}, sort="level")
