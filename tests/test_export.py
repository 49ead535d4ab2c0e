"""Exports read back by real parsers: csv for CSV, markdown-it-py for Markdown, Award.from_document for JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from markdown_it import MarkdownIt

from territoria_cli.export import (
    COLUMNS,
    DEFAULT_COLUMNS,
    cell_value,
    parse_columns,
    plain_rows,
    to_csv,
    to_json,
    to_markdown,
)
from territoria_cli.model import Award
from territoria_cli.search import UsageError


def read_csv(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


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


@pytest.fixture
def hostile(make_award) -> Award:
    return make_award(
        id="2099-hostile",
        title="=HYPERLINK(\"http://x\")",
        laureate="+33 Ville | Agglo",
        summary="Première ligne | avec barre\nseconde ligne\r\n\\ fin <b>gras</b>",
        budget="-10 €",
        sponsor="@moi",
    )


# --------------------------------------------------------------------------- cells and columns


def test_cells_in_the_readers_language(real_awards):
    angers = next(a for a in real_awards if a.excellence)
    assert cell_value(angers, "level") == "Or"
    assert cell_value(angers, "level", "en") == "Gold"
    assert cell_value(angers, "excellence") == "oui"
    assert cell_value(angers, "excellence", "en") == "yes"
    assert cell_value(angers, "kind") == "Commune ; EPCI"
    assert cell_value(angers, "department") == "49"
    assert cell_value(angers, "region") == "Pays de la Loire"
    assert json.loads(cell_value(angers, "laureates")) == [body.to_document() for body in angers.laureates]
    region = next(a for a in real_awards if a.laureates[0].kind == "region")
    assert cell_value(region, "department") == ""
    assert cell_value(region, "budget") != ""
    assert cell_value(next(a for a in real_awards if a.budget is None), "budget") == ""


def test_parse_columns():
    assert parse_columns("id,title") == ("id", "title")
    assert parse_columns(" Title , ID,title,") == ("title", "id")
    with pytest.raises(UsageError, match="unknown column.*'price'.*choose among: id, year"):
        parse_columns("id,price")
    with pytest.raises(UsageError, match="no columns"):
        parse_columns(" , ")


# --------------------------------------------------------------------------- CSV


def test_csv_reads_back_with_french_labels(real_awards):
    text = to_csv(real_awards, DEFAULT_COLUMNS)
    assert "\r\n" in text and not text.startswith("\ufeff")
    rows = read_csv(text)
    assert rows[0] == ["Identifiant", "Niveau", "Catégorie", "Lauréat", "Titre"]
    assert len(rows) == 39
    assert rows[1] == [
        "2017-albi-agriculture-et-alimentation-de-proximite",
        "Or",
        "Aménagement / Urbanisme",
        "Albi",
        "Démarche pour une agriculture et une alimentation de proximité",
    ]


def test_csv_header_in_english(real_awards):
    rows = read_csv(to_csv(real_awards[:1], ("id", "level", "category", "kind"), "en"))
    first = real_awards[0]
    assert rows == [["ID", "Level", "Category", "Kind of body"], [first.id, "Gold", first.category, "Municipality"]]


def test_excel_variant_has_bom_and_semicolons(real_awards):
    text = to_csv(real_awards, ("id", "summary"), excel=True)
    assert text.startswith("\ufeffIdentifiant;Résumé\r\n")
    rows = read_csv(text.removeprefix("\ufeff"), ";")
    assert [row[1] for row in rows[1:]] == [award.summary for award in real_awards]  # multi-line cells intact


def test_formula_cells_are_neutralised_by_default(hostile):
    columns = ("title", "laureate", "budget", "sponsor", "summary")
    (header, row) = read_csv(to_csv([hostile], columns))
    assert row == ["'=HYPERLINK(\"http://x\")", "'+33 Ville | Agglo", "'-10 €", "'@moi", hostile.summary]
    (header, raw) = read_csv(to_csv([hostile], columns, neutralise_formulas=False))
    assert raw == [hostile.title, hostile.laureate, hostile.budget, hostile.sponsor, hostile.summary]


def test_every_column_exports(real_awards):
    rows = read_csv(to_csv(real_awards, COLUMNS, "en"))
    assert len(rows[0]) == len(COLUMNS) and all(len(row) == len(COLUMNS) for row in rows)


# --------------------------------------------------------------------------- Markdown


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


# --------------------------------------------------------------------------- JSON and plain rows


def test_json_round_trips_through_the_model(real_awards):
    documents = json.loads(to_json(real_awards))
    assert [Award.from_document(document) for document in documents] == real_awards
    assert "Récup'vélos" in to_json(real_awards)  # UTF-8, not \\u escapes


def test_plain_rows_are_one_line_per_row():
    text = plain_rows([["a\tb", "c\nd\r\ne"], ["x", ""]])
    assert text == "a b\tc d  e\nx\t\n"
    assert [line.split("\t") for line in text.splitlines()] == [["a b", "c d  e"], ["x", ""]]
