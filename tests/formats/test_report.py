"""Documents read back by real parsers: python-docx for Word, html.parser for HTML, markdown-it-py for Markdown.

Each test checks what a reader of the document sees: the title, a heading
per group, the short table, then each award's heading, facts line and
summary paragraphs, in order; hostile text shown as typed.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from territoria_cli.errors import UsageError
from territoria_cli.filters import sort_awards
from territoria_cli.formats.docx import to_docx
from territoria_cli.formats.html import to_html
from territoria_cli.formats.markdown import markdown_text, to_markdown_report
from territoria_cli.formats.report import REPORT_COLUMNS, build_report, paragraphs


@pytest.fixture(scope="module")
def palmares(real_awards):
    return sort_awards(real_awards)


@pytest.fixture
def hostile(make_award):
    return make_award(
        id="2099-hostile",
        title="<script>alert(1)</script> **gras** #",
        laureate="Ville & <b>Agglo</b> | [lien](http://x)",
        category="# Catégorie *étoilée*",
        summary="- pas une liste\n1. ni une autre\n\n> ni une citation &amp; `code`\x0b\n\n=== ni un titre",
    )


#: The library's messages are read here in English, the language of the source strings.
pytestmark = pytest.mark.usefixtures("english_messages")


def expected_order(awards, group_by):
    """(group heading, [award titles]) in the order the report must follow."""
    from territoria_cli.formats.report import group_awards

    return [(heading, [award.title for award in members]) for heading, members in group_awards(awards, group_by, "fr").items()]


# --------------------------------------------------------------------------- the model


def test_summary_paragraphs_are_the_press_kit_paragraphs(real_awards):
    allauch = next(award for award in real_awards if award.id == "2017-allauch-journees-de-reboisement")
    found = paragraphs(allauch.summary)
    assert len(found) == 5
    assert found[0].startswith("La commune, dont les 4 000 hectares")
    assert found[-1] == "Budget total annuel : 560 K€ par an."
    assert paragraphs("a\r\nb\n \nc\x00") == ("a\nb", "c")


def test_groups_follow_the_field_and_hold_every_award_once(palmares):
    for field in ("category", "level", "region", "department", "kind", "year"):
        report = build_report(palmares, group_by=field)
        assert sum(len(group.sections) for group in report.groups) == 38
        assert len({group.heading for group in report.groups}) == len(report.groups)
    levels = build_report(palmares[::-1], group_by="level")
    assert [group.heading for group in levels.groups] == ["Or", "Argent", "Bronze"]
    departments = [group.heading for group in build_report(palmares, group_by="department").groups]
    assert departments[:3] == ["06", "09", "11"] and departments[-1] == "Non renseigné"  # the Région's award
    kinds = [group.heading for group in build_report(palmares, group_by="kind").groups]
    assert "Commune ; EPCI" in kinds  # Angers' joint dossier is one award, in one group
    with pytest.raises(UsageError, match='cannot group by "sponsor"; choose among: category, level'):
        build_report(palmares, group_by="sponsor")


def test_facts_line_and_default_title(palmares):
    report = build_report(palmares, group_by="category")
    assert report.title == "Palmarès du Prix TERRITORIA 2017"
    albi = report.groups[0].sections[0]
    assert albi.facts == "Or · Aménagement / Urbanisme · Albi (Commune, 81, Occitanie) · 2017 · Parrain : Fimbacte"
    english = build_report(palmares, "en", title="Ideas")
    assert english.title == "Ideas" and english.head == ("Level", "Laureate", "Title")
    assert english.groups[0].sections[0].facts.startswith("Gold · Aménagement / Urbanisme · Albi (Municipality, 81")


# --------------------------------------------------------------------------- Word


def read_docx(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def test_word_document_has_headings_tables_and_real_paragraphs(palmares):
    document = read_docx(to_docx(build_report(palmares, group_by="category"), REPORT_COLUMNS))
    blocks = [(p.style.name, p.text) for p in document.paragraphs]
    assert blocks[0] == ("Title", "Palmarès du Prix TERRITORIA 2017")
    headings = [(style, text) for style, text in blocks if style.startswith("Heading")]
    expected = []
    for category, titles in expected_order(palmares, "category"):
        expected.append(("Heading 1", category))
        expected.extend(("Heading 2", title) for title in titles)
    assert headings == expected
    assert len(document.tables) == 18
    first = document.tables[0]
    assert [cell.text for cell in first.rows[0].cells] == ["Niveau", "Lauréat", "Titre"]
    assert [cell.text for cell in first.rows[1].cells] == ["Or", "Albi", palmares[0].title]
    assert all(run.bold for run in first.rows[0].cells[0].paragraphs[0].runs)
    # Allauch's summary: five paragraphs after its heading and facts line, not one run-on block
    texts = [text for _, text in blocks]
    start = texts.index("Les journées de reboisement")
    assert texts[start + 1].startswith("Or · TERRITORIA / Ecomaires · Allauch (Commune, 13")
    assert texts[start + 2].startswith("La commune, dont les 4 000 hectares")
    assert texts[start + 6] == "Budget total annuel : 560 K€ par an."
    widths = [cell.width for cell in first.rows[0].cells]
    assert widths[2] > widths[1] > widths[0]  # titles get the room, levels little


def test_word_document_holds_hostile_text_as_typed(hostile):
    document = read_docx(to_docx(build_report([hostile], group_by="category"), REPORT_COLUMNS))
    texts = [p.text for p in document.paragraphs]
    assert "# Catégorie *étoilée*" in texts and hostile.title in texts
    assert texts[-3:] == ["- pas une liste\n1. ni une autre", "> ni une citation &amp; `code`", "=== ni un titre"]
    assert document.tables[0].rows[1].cells[1].text == hostile.laureate


# --------------------------------------------------------------------------- HTML


class Outline(HTMLParser):
    """Headings, paragraphs and cells in document order, plus anything that would load another file."""

    BLOCKS = {"h1", "h2", "h3", "p", "th", "td", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.external: list[tuple[str, list]] = []
        self.scripts = 0
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._open = tag
            self.blocks.append((tag, ""))
        if tag == "br" and self._open:
            self.blocks[-1] = (self._open, self.blocks[-1][1] + "\n")
        if tag == "script":
            self.scripts += 1
        if tag in {"link", "img", "iframe", "object"} or any(name in {"src", "href"} for name, _ in attrs):
            self.external.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == self._open:
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.blocks[-1] = (self._open, self.blocks[-1][1] + data)


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    parser.close()
    return parser


def test_html_page_is_self_contained_and_in_order(palmares):
    text = to_html(build_report(palmares, group_by="region"))
    page = outline(text)
    assert page.external == [] and page.scripts == 0
    assert "<style>" in text and "@media print" in text
    headings = [(tag, content) for tag, content in page.blocks if tag in {"h1", "h2", "h3"}]
    expected = [("h1", "Palmarès du Prix TERRITORIA 2017")]
    for region, titles in expected_order(palmares, "region"):
        expected.append(("h2", region))
        expected.extend(("h3", title) for title in titles)
    assert headings == expected
    texts = [content for _, content in page.blocks]
    start = page.blocks.index(("h3", "Les journées de reboisement"))
    assert texts[start + 2].startswith("La commune, dont les 4 000 hectares")
    assert texts[start + 6] == "Budget total annuel : 560 K€ par an."


def test_html_without_groups_puts_awards_right_under_the_title(palmares):
    page = outline(to_html(build_report(palmares[:2])))
    assert [tag for tag, _ in page.blocks if tag.startswith("h")] == ["h1", "h2", "h2"]


def test_html_escapes_everything(hostile):
    page = outline(to_html(build_report([hostile], group_by="category")))
    assert page.scripts == 0 and page.external == []
    assert ("h3", hostile.title) in page.blocks
    assert ("h2", "# Catégorie *étoilée*") in page.blocks
    assert ("td", hostile.laureate) in page.blocks
    assert ("p", "> ni une citation &amp; `code`") in page.blocks  # the control character is gone


# --------------------------------------------------------------------------- Markdown document


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """(tag, rendered inline text) of headings and paragraphs, as a Markdown reader sees them."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    blocks = []
    for number, token in enumerate(tokens):
        if token.type in ("heading_open", "paragraph_open") and not token.hidden:
            inline = tokens[number + 1]
            blocks.append((token.tag, "".join(_plain(child) for child in inline.children or [])))
    return blocks


def _plain(token) -> str:
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return token.content


def test_markdown_report_has_sections_and_paragraphs(palmares):
    text = to_markdown_report(build_report(palmares, group_by="level"))
    blocks = markdown_blocks(text)
    headings = [block for block in blocks if block[0].startswith("h")]
    expected = [("h1", "Palmarès du Prix TERRITORIA 2017")]
    for level, titles in expected_order(palmares, "level"):
        expected.append(("h2", level))
        expected.extend(("h3", title) for title in titles)
    assert headings == expected
    texts = [content for _, content in blocks]
    start = texts.index("Les journées de reboisement")
    assert texts[start + 1].startswith("Or · TERRITORIA / Ecomaires · Allauch")
    assert texts[start + 2].startswith("La commune, dont les 4 000 hectares")
    assert texts[start + 6] == "Budget total annuel : 560 K€ par an."
    assert sum(token.type == "table_open" for token in MarkdownIt("commonmark").enable("table").parse(text)) == 3


def test_markdown_report_shows_hostile_text_as_typed(hostile):
    text = to_markdown_report(build_report([hostile], group_by="category"))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert not any(token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open", "html_block") for token in tokens)
    blocks = markdown_blocks(text)
    assert ("h3", hostile.title) in blocks and ("h2", "# Catégorie *étoilée*") in blocks
    assert blocks[-3:] == [("p", "- pas une liste\n1. ni une autre"), ("p", "> ni une citation &amp; `code`"), ("p", "=== ni un titre")]


@pytest.mark.parametrize("line", ["*a* _b_ [c](d) <e> `f` \\g ~~h~~ &amp; |i|", "# x", "12) y", "+ z", "> q", "---"])
def test_markdown_text_renders_as_itself(line):
    (block,) = markdown_blocks(markdown_text(line) + "\n")
    assert block == ("p", line)
