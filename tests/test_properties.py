"""Property tests (hypothesis): hostile text never breaks an export or a search.

Exports: for any award text (any Unicode, "|", quotes, line breaks, formula
starts) the CSV read back with the csv module gives the same cells, but for
the neutralising "'", and the Markdown parses into a table of the right shape.
Search: any query string either is refused as empty (UsageError) or searches
without raising.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from territoria_cli.errors import UsageError
from territoria_cli.model import KINDS, LEVELS, Award

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that break naive CSV, Markdown or regex handling, mixed into any Unicode.
HOSTILE = "|\"'\\\n\r\t=+-@;,*[](){}<>`_#&!?^$.~"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

any_text = st.text(alphabet=st.one_of(st.sampled_from(HOSTILE), st.characters(codec="utf-8")), max_size=60)
# Required text fields must hold something besides white space.
some_text = st.builds(lambda head, tail: head + tail, st.characters(categories=("L", "N", "P", "S")), any_text)
formula_text = st.builds(lambda start, tail: start + tail, st.sampled_from(FORMULA_STARTS), any_text)
cell_text = st.one_of(some_text, formula_text.filter(str.strip))


#: Départements and their régions, as the reference has them.
PLACES = [("06", "Provence-Alpes-Côte d'Azur"), ("2A", "Corse"), ("971", "Guadeloupe")]


@st.composite
def award_documents(draw: st.DrawFn, number: int = 0) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    # Places must exist (import checks them against the official geography); names and the rest are hostile text.
    places = [draw(st.sampled_from(PLACES)) for _ in range(draw(st.integers(min_value=1, max_value=2)))]
    bodies = [
        {
            "name": draw(cell_text),
            "kind": kind,
            "department": None if kind == "region" else department,
            "region": region,
            "code": None,
            "population": draw(st.none() | st.integers(min_value=0, max_value=10**8)),
        }
        for department, region in places
    ]
    return {
        "id": f"2099-{number}-{draw(st.text(alphabet='abc-é|;', min_size=1, max_size=8))}",
        "year": draw(st.integers(min_value=1990, max_value=2100)),
        "level": draw(st.sampled_from(LEVELS)),
        "category": draw(cell_text),
        "sponsor": draw(st.none() | cell_text),
        "laureate": draw(cell_text),
        "laureates": bodies,
        "title": draw(cell_text),
        "summary_title": draw(cell_text),
        "summary": draw(cell_text),
        "excellence": draw(st.booleans()),
        "budget": draw(st.none() | cell_text),
    }


@st.composite
def award_lists(draw: st.DrawFn) -> list[Award]:
    count = draw(st.integers(min_value=1, max_value=4))
    return [Award.from_document(draw(award_documents(number))) for number in range(count)]


# --------------------------------------------------------------------------- search

search = pytest.importorskip("territoria_cli.search")


def run_search(awards: list[Award] | None, terms: list[str]) -> None:
    """Search like ``territoria search`` (the packaged store when ``awards`` is None); only a query without
    a word to search for may be refused."""
    from territoria_cli.search.analysis import stems
    from territoria_cli.store import packaged_store_path

    try:
        found = (
            search.search_store(packaged_store_path(), terms) if awards is None else search.search_awards(awards, terms)
        )
    except UsageError:
        # Words are what Python's Unicode tables call letters and digits (the tokenizer's tables may be newer:
        # a character assigned since then is not a word to territoria, and a query of only those is refused).
        words = re.findall(r"[^\W_]+", " ".join(terms))
        assert not [word for word in words if stems(word)], "a query with a word to search for was refused"
        return
    for hit in found.hits:
        assert awards is None or hit.award in awards
        # Snippets are computed lazily: force them, they are part of "never raises".
        assert all(isinstance(text, str) and isinstance(marked, bool) for text, marked in hit.snippet)
        assert 1 <= hit.matched_words <= hit.total_words


@SETTINGS
@given(terms=st.lists(any_text, min_size=1, max_size=4))
def test_any_query_on_the_palmares_searches_or_is_refused_as_empty(terms: list[str]) -> None:
    run_search(None, terms)


@SETTINGS
@given(awards=award_lists(), data=st.data())
def test_any_query_on_hostile_awards_searches_or_is_refused_as_empty(awards: list[Award], data: st.DataObject) -> None:
    # Half the time the query is a piece of an award's own text, so that hits
    # (and their snippets and highlights) are exercised, not only misses.
    source = data.draw(st.sampled_from([award.summary for award in awards] + [awards[0].title]))
    start = data.draw(st.integers(min_value=0, max_value=len(source)))
    piece = source[start : start + data.draw(st.integers(min_value=0, max_value=20))]
    terms = data.draw(st.one_of(st.just([piece]), st.lists(any_text, min_size=1, max_size=3)))
    run_search(awards, terms)


@SETTINGS
@given(word=st.from_regex(r"[a-z]{3,12}", fullmatch=True), awards=award_lists())
def test_a_word_standing_in_a_summary_is_found(word: str, awards: list[Award]) -> None:
    from territoria_cli.search.analysis import stems

    assume(stems(word))  # a stop word ("les", "pour") is never searched for
    first = awards[0]
    planted = Award.from_document(first.to_document() | {"summary": f"{first.summary} {word} fin"})
    hits = search.search_awards([planted, *awards[1:]], [word]).hits
    assert planted.id in [hit.award.id for hit in hits]


# --------------------------------------------------------------------------- exports

ALL_COLUMNS = ("id", "level", "category", "laureate", "title", "summary", "sponsor", "budget", "excellence", "kind", "region")


def export_module() -> Any:
    """The export functions, from the modules of each format."""
    from types import SimpleNamespace

    from territoria_cli.formats import columns, csv, json, markdown

    return SimpleNamespace(
        COLUMNS=columns.COLUMNS,
        cell_value=columns.cell_value,
        header=columns.header,
        to_csv=csv.to_csv,
        to_markdown=markdown.to_markdown,
        write_markdown=markdown.write,
        markdown_cell=markdown.markdown_cell,
        to_json=json.to_json,
    )


def neutralised(cell: str) -> str:
    """What the export promises for a cell: a leading "'" before a formula start, or before a "'" (docs/data.md)."""
    return "'" + cell if cell.startswith((*FORMULA_STARTS, "'")) else cell


def read_csv(text: str, delimiter: str) -> list[list[str]]:
    # newline="" keeps "\r" inside quoted cells, as the csv module requires.
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


@SETTINGS
@given(awards=award_lists(), excel=st.booleans(), lang=st.sampled_from(["fr", "en"]))
def test_csv_export_reads_back_cell_for_cell(awards: list[Award], excel: bool, lang: str) -> None:
    export = export_module()
    columns = tuple(column for column in ALL_COLUMNS if column in export.COLUMNS)
    text = export.to_csv(awards, columns, lang, excel=excel)
    if excel:
        assert text.startswith("\ufeff")
        text = text[1:]
    rows = read_csv(text, ";" if excel else ",")
    assert len(rows) == len(awards) + 1
    for award, row in zip(awards, rows[1:], strict=True):
        assert row == [neutralised(export.cell_value(award, column, lang)) for column in columns]
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row)


@SETTINGS
@given(awards=award_lists())
def test_csv_export_without_neutralising_keeps_cells_exactly(awards: list[Award]) -> None:
    export = export_module()
    columns = tuple(column for column in ALL_COLUMNS if column in export.COLUMNS)
    rows = read_csv(export.to_csv(awards, columns, "fr", raw_formulas=True), ",")
    for award, row in zip(awards, rows[1:], strict=True):
        assert row == [export.cell_value(award, column, "fr") for column in columns]


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Each table of the Markdown as rows of cell sources, as markdown-it-py splits them.

    Counting cells is not enough: GFM drops the cells of a row beyond the
    header's, so an unescaped "|" would go unseen; the sources must match.
    """
    from markdown_it import MarkdownIt

    tables: list[list[list[str]]] = []
    in_cell = False
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type in ("th_open", "td_open"):
            in_cell = True
            tables[-1][-1].append("")
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "inline" and in_cell:
            tables[-1][-1][-1] = token.content
    return tables


def expected_table(export: Any, awards: list[Award], columns: tuple[str, ...], lang: str) -> list[list[str]]:
    """The cells the exporter means to write, as a parser reads them back.

    The parser reads "\\|" as "|", and CommonMark replaces NUL with U+FFFD.
    """

    def source(text: str) -> str:
        return export.markdown_cell(text).replace("\\|", "|").replace("\0", "\ufffd")

    return [[source(label) for label in export.header(columns, lang)]] + [
        [source(export.cell_value(award, column, lang)) for column in columns] for award in awards
    ]


@SETTINGS
@given(awards=award_lists(), lang=st.sampled_from(["fr", "en"]))
def test_markdown_export_is_one_table_of_the_right_rows_and_cells(awards: list[Award], lang: str) -> None:
    export = export_module()
    columns = tuple(column for column in ALL_COLUMNS if column in export.COLUMNS)
    [table] = markdown_tables(export.to_markdown(awards, columns, lang))
    assert len(table) == len(awards) + 1
    assert all(len(row) == len(columns) for row in table)
    assert table == expected_table(export, awards, columns, lang)


@SETTINGS
@given(awards=award_lists())
def test_markdown_report_grouped_by_category_has_one_table_per_category(awards: list[Award]) -> None:
    from territoria_cli.formats.report import document_text

    export = export_module()
    columns = ("id", "title", "summary")
    text = export.write_markdown(awards, columns, "fr", group_by="category", title="Palmarès | test")
    groups: dict[str, list[Award]] = {}
    for award in awards:
        groups.setdefault(award.category, []).append(award)
    # Reports drop the control characters Word and HTML cannot hold; the Markdown report says the same.
    cleaned = [[award._replace(**{c: document_text(getattr(award, c)) for c in columns}) for award in members]
               for members in groups.values()]
    assert markdown_tables(text) == [expected_table(export, members, columns, "fr") for members in cleaned]


@SETTINGS
@given(line=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).filter(lambda text: text.strip()))
def test_markdown_text_renders_as_itself(line: str) -> None:
    from markdown_it import MarkdownIt

    from territoria_cli.formats.markdown import markdown_text

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown_text(line) + "\n")
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert "".join(child.content for child in tokens[1].children or []) == line.strip()


@SETTINGS
@given(awards=award_lists())
def test_json_export_gives_back_the_documents(awards: list[Award]) -> None:
    export = export_module()
    assert [Award.from_document(document) for document in json.loads(export.to_json(awards))] == awards


@SETTINGS
@given(awards=award_lists(), excel=st.booleans(), lang=st.sampled_from(["fr", "en"]))
def test_a_full_csv_export_imports_back_to_the_same_awards(
    tmp_path_factory: pytest.TempPathFactory, awards: list[Award], excel: bool, lang: str
) -> None:
    from territoria_cli.store import read_import_file

    export = export_module()
    # Every text, those starting with "'" included: the export adds a "'" before one, the import removes it.
    source = tmp_path_factory.mktemp("roundtrip") / "export.csv"
    source.write_text(export.to_csv(awards, tuple(export.COLUMNS), lang, excel=excel), encoding="utf-8", newline="")
    assert read_import_file(source) == [award.to_document() for award in awards]

