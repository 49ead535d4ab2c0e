"""Text from the data that tries to be something else: Markdown links and images, CSV marks, escape sequences (issue 12)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from territoria_cli import views
from territoria_cli.formats import markdown
from territoria_cli.formats.columns import COLUMNS
from territoria_cli.formats.csv import to_csv
from territoria_cli.formats.markdown import to_markdown
from territoria_cli.model import Award
from territoria_cli.store import read_import_file

MakeAward = Callable[..., Award]

HOSTILE_MARKDOWN = {
    "link": "[cliquez ici](http://evil.example/login)",
    "image": "![](http://tracker.example/pixel.png)",
    "emphasis": "*très* __important__ ~~barré~~",
}


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN.values(), ids=HOSTILE_MARKDOWN.keys())
def test_markdown_shows_link_image_and_emphasis_syntax_from_the_data_as_typed(make_award: MakeAward, text: str) -> None:
    award = make_award(title=text, category=text, summary=text)
    table = to_markdown([award], ("id", "title", "category"), title=text)
    report = markdown.write([award], None, group_by="category", title=text)
    shown = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    # The table: a heading and cells. The report: its title, the group, cells, the section, its facts (the
    # one emphasis, which the report itself adds) and the summary.
    for document, copies, own_emphasis in ((table, 3, 0), (report, 6, 1)):
        html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(document)
        for tag in ("<a ", "<img", "<strong>", "<s>", "<del>"):
            assert tag not in html
        assert html.count("<em>") == own_emphasis
        assert html.count(shown) >= copies  # each place renders the text itself


CSV_TEXTS = ["'=already", "''=twice", "'hello", "'", "=SUM(A1)", "-1", "@x", "\tindent", "plain"]


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "excel"])
def test_csv_round_trip_is_exact_for_text_starting_with_the_text_mark(
    make_award: MakeAward, tmp_path: Path, excel: bool
) -> None:
    awards = [make_award(id=f"2099-x-{number}", title=text, summary_title=text) for number, text in enumerate(CSV_TEXTS)]
    source = tmp_path / "export.csv"
    source.write_text(to_csv(awards, COLUMNS, excel=excel), encoding="utf-8", newline="")
    assert [document["title"] for document in read_import_file(source)] == CSV_TEXTS
    assert [document["summary_title"] for document in read_import_file(source)] == CSV_TEXTS


def test_csv_round_trip_keeps_a_cell_over_128_kib(make_award: MakeAward, tmp_path: Path) -> None:
    import csv

    summary = "Un très long résumé. " * 20_000  # 420,000 characters
    source = tmp_path / "long.csv"
    source.write_text(to_csv([make_award(summary=summary)], COLUMNS), encoding="utf-8", newline="")
    limit = csv.field_size_limit()
    assert read_import_file(source)[0]["summary"] == summary
    assert csv.field_size_limit() == limit  # the module-wide setting is put back


ESCAPES = {
    "CSI colour": "\x1b[31mrouge\x1b[0m",
    "OSC title": "\x1b]0;TITLE\x07",
    "clear screen": "\x1b[2J",
    "8-bit CSI": "\x9b2J",
    "bidi override": "abc\u202edef",
}


@pytest.mark.parametrize("text", ESCAPES.values(), ids=ESCAPES.keys())
def test_visible_shows_control_characters_instead_of_passing_them(text: str) -> None:
    shown = views.visible(text)
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in shown)
    assert "\u202e" not in shown
    assert shown.replace("␛", "").replace("␇", "")  # something visible is left
    assert views.visible("Récup'vélos\n\tsuite") == "Récup'vélos\n\tsuite"  # ordinary text is untouched


def test_every_terminal_view_draws_data_escapes_as_pictures(make_award: MakeAward) -> None:
    from rich.console import Console

    from territoria_cli.stats import compute_stats

    evil = "\x1b]0;pwned\x07\x1b[2J"
    award = make_award(title=evil, laureate=evil, category=evil, summary=evil, sponsor=evil)
    console = Console(width=120, force_terminal=True, color_system="truecolor", record=False)
    for renderable in (
        views.awards_table([award], "fr"),
        views.award_panel(award, "fr"),
        views.stats_tables(compute_stats([award]), "fr"),
    ):
        with console.capture() as captured:
            console.print(renderable)
        drawn = captured.get()
        assert "\x07" not in drawn and "\x1b]" not in drawn and "\x1b[2J" not in drawn
        assert "␛]0;pwned␇␛[2J" in drawn
