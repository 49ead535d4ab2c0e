"""Markdown exports read back by a real parser (markdown-it-py)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from territoria_cli.errors import UsageError
from territoria_cli.formats.columns import DEFAULT_COLUMNS
from territoria_cli.formats.markdown import to_markdown

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


def test_group_by_category_gives_a_section_and_a_table_per_category(real_awards):
    text = to_markdown(real_awards, ("id", "level", "laureate"), group_by="category", title="Palmarès 2017")
    tokens = parse_markdown(text)
    headings = [(token.tag, tokens[n + 1].content) for n, token in enumerate(tokens) if token.type == "heading_open"]
    categories = list(dict.fromkeys(award.category for award in real_awards))
    assert headings == [("h1", "Palmarès 2017")] + [("h2", category) for category in categories]
    sequence = [token.type for token in tokens if token.type in ("heading_open", "table_open")]
    assert sequence == ["heading_open"] + ["heading_open", "table_open"] * len(categories)
    per_category = tables(text)
    assert [len(table) - 1 for table in per_category] == [
        sum(award.category == category for award in real_awards) for category in categories
    ]


def test_group_by_only_knows_category(real_awards):
    with pytest.raises(UsageError, match="only by: category"):
        to_markdown(real_awards, DEFAULT_COLUMNS, group_by="region")


def test_markdown_headings_stay_headings(make_award):
    award = make_award(category="Lien | social\nsur deux lignes #")
    text = to_markdown([award], ("id",), group_by="category", title="Rapport <b>x</b>")
    headings = [token for token in parse_markdown(text) if token.type == "inline" and token.map and token.map[0] < 3]
    assert [token.content for token in headings][:2] == ["Rapport &lt;b>x&lt;/b>", "Lien | social sur deux lignes \\#"]
    assert len(tables(text)) == 1
