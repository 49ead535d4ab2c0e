"""The views: Rich ones drawn on a recording console of fixed width (no terminal needed), and their plain twins."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from tmux_terminal import Terminal

from territoria_cli import views
from territoria_cli.model import FIELD_LABELS, KIND_LABELS, LEVEL_LABELS, LEVELS
from territoria_cli.search import search_awards
from territoria_cli.stats import compute_stats

WIDTH = 120


def draw(renderable, width: int = WIDTH) -> str:
    """The text a person would see, without colours."""
    console = Console(record=True, width=width, force_terminal=True, color_system="truecolor", file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def styled(renderable, width: int = WIDTH) -> str:
    console = Console(width=width, force_terminal=True, color_system="truecolor", file=io.StringIO())
    console.print(renderable)
    return console.file.getvalue()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_medals_carry_the_level_label_and_colour(lang):
    for level in LEVELS:
        label = views.medal(level, lang)
        assert label.plain == f"{views.MEDAL} {LEVEL_LABELS[lang][level]}"
        assert str(label.style) == views.LEVEL_STYLES[level]


# --------------------------------------------------------------------------- colours, read back from a real terminal

SRC = Path(__file__).resolve().parents[1] / "src"
#: The 16 basic colours of xterm, which themes remap: the palette must not rely on them.
XTERM_BASIC = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
               (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]  # fmt: skip
BACKGROUNDS = {"black": (0, 0, 0), "white": (255, 255, 255)}


def xterm_rgb(index: int) -> tuple[int, int, int]:
    """The colour of a 256-colour index, as xterm defines the cube and the grey ramp."""
    if index < 16:
        return XTERM_BASIC[index]
    if index >= 232:
        grey = 8 + 10 * (index - 232)
        return (grey, grey, grey)
    steps = (0, 95, 135, 175, 215, 255)
    index -= 16
    return (steps[index // 36], steps[index // 6 % 6], steps[index % 6])


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def foreground_of(screen: str, label: str) -> tuple[int, int, int]:
    """The foreground colour a terminal was told to draw ``label`` in (``capture-pane -e`` keeps the codes)."""
    codes = re.search(r"((?:\x1b\[[0-9;]*m)+)" + re.escape(label), screen)
    assert codes, f"{label!r} has no colour on the screen"
    parameters = ";".join(re.findall(r"\x1b\[([0-9;]*)m", codes.group(1))).split(";")
    if "38" in parameters:
        at = parameters.index("38")
        if parameters[at + 1] == "5":
            return xterm_rgb(int(parameters[at + 2]))
        return tuple(int(part) for part in parameters[at + 2 : at + 5])  # type: ignore[return-value]
    basic = [int(part) for part in parameters if part.isdigit() and (30 <= int(part) <= 37 or 90 <= int(part) <= 97)]
    assert basic, f"{label!r}: no foreground colour in {parameters}"
    return XTERM_BASIC[basic[-1] - 30 if basic[-1] < 90 else basic[-1] - 90 + 8]


@pytest.mark.parametrize("background", list(BACKGROUNDS))
def test_the_medals_are_readable_on_a_dark_and_on_a_light_terminal(background, tmp_path):
    """Run the real command in tmux on each background and read back the colours the terminal got.

    Silver used to be bright white: invisible on a light theme. Each medal needs a contrast of 3:1,
    WCAG's minimum for bold text, with the background.
    """
    env = {
        "PATH": os.environ["PATH"], "PYTHONPATH": str(SRC), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path),
        "TERM": "xterm-256color", "LANG": "C.UTF-8",
    }  # fmt: skip
    command = [sys.executable, "-m", "territoria_cli", "list", "--laureate", "saverdun", "--laureate", "belfort", "--laureate", "marseille"]
    terminal = Terminal(command, env, width=160, style=f"bg={background}")
    try:
        screen = terminal.wait_for("3 prix", escapes=True)
    finally:
        terminal.close()
    for level in LEVELS:
        label = f"{views.MEDAL} {LEVEL_LABELS['fr'][level]}"
        assert contrast(foreground_of(screen, label), BACKGROUNDS[background]) >= 3.0, (level, background)


def test_awards_table_shows_labels_every_award_and_whole_ids(real_awards):
    gold = [award for award in real_awards if award.level == "or"]
    text = draw(views.awards_table(gold, "fr"), width=160)
    for field in ("level", "category", "laureate", "title"):
        assert FIELD_LABELS["fr"][field] in text
    assert text.count("● Or") == 22
    assert "22 prix" in text
    assert all(award.id in text for award in gold)
    narrow = draw(views.awards_table(gold, "fr"), width=70)
    assert not [line for line in narrow.splitlines() if "2017-" in line and "…" in line]  # ids fold, never cut


def test_awards_table_in_english(real_awards):
    text = draw(views.awards_table(real_awards[:3], "en"))
    assert FIELD_LABELS["en"]["laureate"] in text and "3 awards" in text


def test_data_is_never_read_as_markup(make_award):
    award = make_award(title="[red]Balise[/red] et [link=x]lien[/link]", laureate="[b]Ville[/b]")
    text = draw(views.awards_table([award], "fr"))
    assert "[red]Balise[/red]" in text and "[b]Ville[/b]" in text


def test_search_hits_highlight_the_matches_with_a_style(real_awards):
    hits = search_awards(real_awards, ["feux"]).hits
    table = views.hits_table(hits, "fr")
    text = draw(table)
    assert "#" in text and hits[0].award.title in text and hits[0].award.id in text
    snippet = views.snippet(hits[0].snippet)
    highlighted = [snippet.plain[span.start : span.end] for span in snippet.spans if span.style == views.HIGHLIGHT_STYLE]
    assert highlighted and all(part.lower() == "feux" for part in highlighted)


def test_snippet_segments_become_styled_text():
    text = views.snippet((("avant ", False), ("vélos", True), (" après", False)))
    assert text.plain == "avant vélos après"
    assert [(span.start, span.end, span.style) for span in text.spans] == [(6, 11, views.HIGHLIGHT_STYLE)]


def test_award_view_shows_facts_bodies_and_the_whole_summary(real_awards):
    award = next(award for award in real_awards if len(award.laureates) > 1)
    text = draw(views.award_panel(award, "fr"), width=200)
    assert award.title in text and award.id in text
    for body in award.laureates:
        assert body.name in text and body.region in text and KIND_LABELS["fr"][body.kind] in text
    words = " ".join(text.replace("│", " ").split())
    assert " ".join(award.summary.split()) in words


def test_award_view_has_no_colour_style_leaking_into_the_summary(real_awards):
    award = real_awards[0]
    summary = views.award_panel(award, "fr").renderable.renderables[-1]
    assert isinstance(summary, Text)
    assert not summary.style
    assert [summary.plain[span.start : span.end] for span in summary.spans] == [award.summary_title]


def test_stats_view_has_bars_and_the_communique_figures(real_awards):
    text = draw(views.stats_tables(compute_stats(real_awards), "fr"))
    assert "38 prix · 31 collectivités" in text
    assert "Par niveau" in text and "Par catégorie" in text and "Par type de collectivité" in text
    commune_line = next(line for line in text.splitlines() if line.strip().startswith("Commune"))
    assert commune_line.split()[1:3] == ["22", "29"]  # 22 communes won 29 awards (Angers' joint one included)
    assert "Un prix conjoint compte pour chacun de ses types." in text
    gold_line = next(line for line in text.splitlines() if "● Or" in line)
    assert "22" in gold_line and views.BAR * views.BAR_WIDTH in gold_line
    assert "Lauréats primés plusieurs fois" in text
    english = draw(views.stats_tables(compute_stats(real_awards), "en"))
    assert "38 awards · 31 public bodies" in english and "● Gold" in english


def test_stats_terminal_piped_and_files_give_the_same_sections_and_rows(real_awards):
    """One description of the overview: each table's title on the terminal and in Markdown, its rows piped."""
    from markdown_it import MarkdownIt

    from territoria_cli.formats import write_tables
    from territoria_cli.stats import overview_tables

    figures = compute_stats(real_awards)
    tables = overview_tables(figures, "fr")
    terminal = draw(views.stats_tables(figures, "fr"))
    tokens = MarkdownIt("commonmark").enable("table").parse(write_tables("md", tables, "fr"))
    headings = [tokens[n + 1].content for n, token in enumerate(tokens) if token.type == "heading_open"]
    assert headings == [table.title for table in tables]
    assert all(table.title in terminal for table in tables)
    piped = list(views.stats_rows(figures, "fr"))
    sections = [row[0] for row in piped[2:]]
    assert sections == [table.name.removeprefix("by_") for table in tables for _ in table.rows]
    departments = [row for row in piped if row[0] == "department"]
    assert [row[1:] for row in departments] == [(code, str(count)) for code, count in figures.by_department.items()]
    assert "75 Paris" in terminal and ("department", "75", "5") in departments  # readers see names, scripts codes


def test_counts_by_level_show_medals_and_bars_in_level_colours(real_awards):
    from territoria_cli.stats import count_by, counts_table

    by_level = counts_table(count_by(real_awards, ["level"]), "fr")
    assert "● Or" in draw(views.counts_table(by_level, "fr"))
    crossed = views.counts_table(counts_table(count_by(real_awards, ["region", "level"]), "fr"), "fr").build(120)
    cells = list(crossed.columns[-1].cells)
    first_bar = cells[0]  # Île-de-France: 6 gold, 1 silver, 7 bronze, the largest total
    assert len(first_bar.plain) == views.BAR_WIDTH
    assert [str(span.style) for span in first_bar.spans] == [views.LEVEL_STYLES[level] for level in LEVELS]


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120])
def test_counts_tables_fit_the_terminal_without_cutting_names_or_bars(real_awards, width):
    """Bars shorten to the room left (none below the minimum), and names wrap whole: nothing ends in "…"."""
    from territoria_cli.stats import count_by, counts_table

    crossed = counts_table(count_by(real_awards, ["region", "level"]), "fr")
    crossed_text = draw(views.counts_table(crossed, "fr"), width)
    text = crossed_text + draw(views.stats_tables(compute_stats(real_awards), "fr"), width)
    lines = text.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    assert "…" not in text
    bars = [len(line.strip().split()[-1]) for line in lines if line.rstrip().endswith(views.BAR)]
    assert bars and all(length <= views.BAR_WIDTH for length in bars)
    crossed_bars = [line for line in crossed_text.splitlines() if line.rstrip().endswith(views.BAR)]
    assert bool(crossed_bars) == (width >= 80)  # no room for bars at 40 and 60 columns: names and counts first
    assert all(name.split()[0][:5] in crossed_text for name, *_ in crossed.rows)  # every row is there, named


def test_stacked_bars_add_up_to_the_bar_of_their_total():
    for counts in ({"or": 2, "argent": 0, "bronze": 2}, {"or": 1, "argent": 1, "bronze": 1}, {"or": 5}):
        total = sum(counts.values())
        assert len(views.level_bar(counts, 9).plain) == len(views.bar(total, 9).plain)


def test_stats_view_of_nothing_does_not_fail():
    text = draw(views.stats_tables(compute_stats([]), "fr"))
    assert "0 prix" in text


def test_bars_scale_to_the_largest_and_never_hide_a_count():
    assert views.bar(22, 22).plain == views.BAR * views.BAR_WIDTH
    assert views.bar(1, 1000).plain == views.BAR
    assert views.bar(0, 10).plain == ""
    stacked = views.level_bar({"or": 2, "argent": 0, "bronze": 1}, 3)
    assert len(stacked.plain) == views.BAR_WIDTH
    assert {span.style for span in stacked.spans} == {views.LEVEL_STYLES["or"], views.LEVEL_STYLES["bronze"]}


def test_colours_are_emitted_for_a_terminal(real_awards):
    assert "\x1b[" in styled(views.awards_table(real_awards[:1], "fr"))


def test_display_respects_no_color(monkeypatch, capsys, real_awards):
    monkeypatch.setenv("NO_COLOR", "1")
    views.display(views.awards_table(real_awards[:2], "fr"), force_terminal=True)
    output = capsys.readouterr().out
    assert "● Or" in output
    assert "\x1b[33" not in output and "\x1b[38" not in output  # no foreground colour


def test_display_without_a_terminal_draws_plain_text(capsys, real_awards):
    views.display(views.awards_table(real_awards[:2], "fr"))
    assert "\x1b[" not in capsys.readouterr().out


def test_counts_agree_with_their_number():
    assert [views.count_of_awards(n, "en") for n in (0, 1, 2)] == ["0 awards", "1 award", "2 awards"]
    assert [views.count_of_awards(n, "fr") for n in (1, 22)] == ["1 prix", "22 prix"]
    assert [views.count_of_bodies(n, "fr") for n in (1, 31)] == ["1 collectivité", "31 collectivités"]
    assert views.count_of_bodies(1, "en") == "1 public body"


# --------------------------------------------------------------------------- plain views, for pipes


def test_plain_rows_are_one_line_per_row():
    text = views.plain_rows([["a\tb", "c\nd\r\ne"], ["x", ""]])
    assert text == "a b\tc d  e\nx\t\n"
    assert [line.split("\t") for line in text.splitlines()] == [["a b", "c d  e"], ["x", ""]]


def test_award_rows_give_the_default_columns(real_awards):
    (first,) = views.award_rows(real_awards[:1], "en")
    award = real_awards[0]
    assert first == [award.id, LEVEL_LABELS["en"][award.level], award.category, award.laureate, award.title]


def test_hit_rows_mark_the_matched_words(real_awards):
    hit = search_awards(real_awards, ["feux"]).hits[0]
    cells = views.hit_row(hit, "fr")
    assert cells[:2] == [hit.award.id, LEVEL_LABELS["fr"][hit.award.level]]
    assert "**feux**" in cells[4].lower() and cells[5] == "1/1" and len(cells) == 6


def test_several_word_hits_say_how_many_words_matched(real_awards):
    hits = search_awards(real_awards, ["feux", "zèbre", "collines"]).hits
    assert hits[0].award.id == "2017-allauch-journees-de-reboisement"
    assert views.words_matched(hits[0], "fr") == "2 mots sur 3"
    assert views.words_matched(hits[0], "en") == "2 words of 3"
    assert "2 mots sur 3" in draw(views.hits_table(hits, "fr"))
    document = views.hit_document(hits[0])
    assert (document["matched"], document["matched_words"], document["query_words"]) == (["feux", "collines"], 2, 3)
    assert all(document["snippet"][start:end].lower() in {"feux", "collines"} for start, end in document["highlights"])


def test_award_text_has_one_line_per_body_then_the_summary(real_awards):
    award = next(award for award in real_awards if len(award.laureates) > 1)
    head, summary = views.award_text(award, "fr").split("\n\n", 1)
    body_lines = [line for line in head.splitlines() if line.startswith(f"{FIELD_LABELS['fr']['laureates']}: ")]
    assert len(body_lines) == len(award.laureates)
    assert summary == award.summary.rstrip() + "\n"


def test_stats_rows_say_their_section_first(real_awards):
    rows = list(views.stats_rows(compute_stats(real_awards), "fr"))
    assert rows[:2] == [("awards", "38"), ("bodies", "31")]
    assert ("level", "Or", "22") in rows
    assert all(row[0] in {"awards", "bodies", "level", "category", "kind", "region", "department", "repeat"} for row in rows)


def test_counts_of_awards_group_thousands_as_each_language_writes_them():
    assert views.count_of_awards(20, "fr", total=7953) == "20 sur 7\u00a0953 prix"
    assert views.count_of_awards(20, "en", total=7953) == "20 of 7,953 awards"
    assert views.count_of_awards(58143, "fr") == "58\u00a0143 prix"
    assert views.count_of_awards(3, "en") == "3 awards"


def test_the_indexing_bar_groups_thousands_in_the_reader_language(monkeypatch):
    from territoria_cli import i18n, progress
    from territoria_cli.catalogue import INDEXING

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    for lang, expected in (("fr", "Indexation de 100\u00a0000 prix pour la recherche"), ("en", "Indexing 100,000 awards for search")):
        monkeypatch.setattr(i18n, "_language", lang)  # restored after the test
        assert progress.on_terminal(100_000, INDEXING).description == expected
