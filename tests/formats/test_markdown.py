"""Markdown exports read back by a real parser (markdown-it-py)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from territoria_cli.errors import UsageError
from territoria_cli.formats.columns import DEFAULT_COLUMNS
from territoria_cli.formats.markdown import markdown_text, to_markdown, write

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")


def parse_markdown(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def tables(text: str) -> list[list[list[str]]]:
    """Each table as rows of cell texts (inline content as markdown-it-py renders it)."""
    found: list[list[list[str]]] = []
    row: list[str] = []
    cell_open = False
    for token in parse_markdown(text):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            cell_open = True
            row.append("")
        elif token.type == "inline" and cell_open:
            row[-1] = MarkdownIt("commonmark").renderInline(token.content)
        elif token.type in ("th_close", "td_close"):
            cell_open = False
        elif token.type == "tr_close":
            found[-1].append(row)
    return found


def test_markdown_is_one_table_with_a_row_per_award(real_awards):
    (table,) = tables(to_markdown(real_awards, DEFAULT_COLUMNS))
    assert table[0] == ["Identifiant", "Niveau", "Catégorie", "Lauréat", "Titre"]
    assert len(table) == 39 and all(len(row) == 5 for row in table)
    assert table[1][:2] == ["2017-albi-agriculture-et-alimentation-de-proximite", "Or"]


def test_markdown_cell_with_bar_and_line_breaks_stays_one_cell(hostile):
    text = to_markdown([hostile], ("id", "summary", "laureate"), "en")
    (table,) = tables(text)
    assert table[0] == ["ID", "Summary", "Laureate"]
    assert table[1] == [
        "2099-hostile",
        "Première ligne | avec barre<br>seconde ligne<br>\\ fin &lt;b&gt;gras&lt;/b&gt;",
        "+33 Ville | Agglo",
    ]
    assert not any(token.type.startswith("html") for token in parse_markdown(text))


def test_group_by_category_gives_a_report_with_a_section_and_a_table_per_category(real_awards):
    text = write(real_awards, ("id", "level", "laureate"), group_by="category", title="Palmarès 2017")
    tokens = parse_markdown(text)
    sequence = [
        (token.tag, tokens[n + 1].content if token.type == "heading_open" else "")
        for n, token in enumerate(tokens)
        if token.type in ("heading_open", "table_open")
    ]
    expected = [("h1", "Palmarès 2017")]
    for category in dict.fromkeys(award.category for award in real_awards):
        members = [award for award in real_awards if award.category == category]
        expected += [("h2", category), ("table", "")] + [("h3", markdown_text(award.title)) for award in members]
    assert sequence == expected
    assert tables(text)[0][0] == ["Identifiant", "Niveau", "Lauréat"]


def test_without_group_by_markdown_stays_a_table_to_paste(real_awards):
    text = write(real_awards, None, title="Palmarès")
    assert [token.type for token in parse_markdown(text)].count("table_open") == 1
    assert tables(text)[0][0] == ["Identifiant", "Niveau", "Catégorie", "Lauréat", "Titre"]


def test_group_by_names_the_fields_it_knows(real_awards):
    with pytest.raises(UsageError, match='cannot group by "sponsor"; choose among: category, level, region'):
        write(real_awards, DEFAULT_COLUMNS, group_by="sponsor")


def test_markdown_headings_stay_headings(make_award):
    award = make_award(category="Lien | social\nsur deux lignes #")
    text = write([award], ("id",), group_by="category", title="Rapport <b>x</b>")
    tokens = parse_markdown(text)
    headings = [tokens[n + 1] for n, token in enumerate(tokens) if token.type == "heading_open"]
    assert [token.content for token in headings][:2] == ["Rapport &lt;b>x&lt;/b>", "Lien \\| social sur deux lignes \\#"]
    assert [token.children[0].content for token in headings][:2] == ["Rapport <b>x</b>", "Lien | social sur deux lignes #"]
    assert len(tables(text)) == 1
