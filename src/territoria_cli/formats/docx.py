"""The report as a Word document, through python-docx.

Headings use Word's own heading styles (Title, Heading 1-2), so the
navigation pane and a table of contents work; each summary paragraph is a
real Word paragraph, which is what pasting the Markdown report into pandoc
lost. The short tables get column widths from their content (a level is
narrow, a title wide) instead of Word's equal split, which cut words in two,
and their header row repeats on every page. python-docx is imported here
only, when a Word file is asked for.

Speed: python-docx's ``add_paragraph`` and ``add_heading`` look the style up
by name and search the whole body for the place to insert, so a report of
1,000 awards took 9 s. Paragraphs are therefore added before the section
properties directly, with style ids looked up once (1,000 awards: see
pyproject.toml for the figures).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from territoria_cli.formats.report import Report, build_report, report_columns
from territoria_cli.model import Award, Lang

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

#: Relative widths of the short-table columns by field (a column not listed weighs 3).
WIDTH_OF_COLUMN: dict[str, int] = {
    "level": 2, "year": 2, "department": 2, "excellence": 2,
    "kind": 3, "region": 3, "category": 4, "sponsor": 3, "laureate": 4, "budget": 4,
    "id": 6, "title": 8, "summary_title": 8, "laureates": 8, "summary": 12,
}


def to_docx(report: Report, columns: Sequence[str]) -> bytes:
    """The .docx file's bytes; ``columns`` are the field names behind ``report.head`` (for widths)."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm
    from docx.text.paragraph import Paragraph

    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)  # A4: the paper of French offices
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Cm(2)
    usable = page.page_width - page.left_margin - page.right_margin
    document.core_properties.title = report.title
    document.core_properties.language = report.lang
    style_ids = {name: document.styles[name].style_id for name in ("Title", "Heading 1", "Heading 2")}
    end_of_body = document.element.body.sectPr

    def paragraph(style: str | None = None) -> Paragraph:
        element = OxmlElement("w:p")
        end_of_body.addprevious(element)
        if style is not None:
            element.style = style_ids[style]
        return Paragraph(element, document)

    paragraph("Title").add_run(report.title)
    weights = [WIDTH_OF_COLUMN.get(column, 3) for column in columns]
    widths = [int(usable * weight / sum(weights)) for weight in weights]
    award_heading = f"Heading {report.section_level - 1}"
    for group in report.groups:
        if group.heading is not None:
            paragraph("Heading 1").add_run(group.heading)
        table = document.add_table(rows=1, cols=len(report.head))
        table.style = "Table Grid"
        table.autofit = False
        header_row = table.rows[0]
        repeat = OxmlElement("w:tblHeader")  # python-docx has no API for "repeat as header row"
        repeat.set(qn("w:val"), "true")
        header_row._tr.get_or_add_trPr().append(repeat)
        for cell, label in zip(header_row.cells, report.head, strict=True):
            cell.paragraphs[0].add_run(label).bold = True
        for cells in group.rows:
            for cell, text in zip(table.add_row().cells, cells, strict=True):
                cell.text = text
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = width
        for section in group.sections:
            paragraph(award_heading).add_run(section.title)
            paragraph().add_run(section.facts).italic = True
            for text in section.paragraphs:
                first, *others = text.split("\n")
                block = paragraph()
                run = block.add_run(first)
                for line in others:  # a line break inside a paragraph stays one
                    run.add_break()
                    run = block.add_run(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write(
    awards: Sequence[Award],
    columns: Sequence[str] | None,
    lang: Lang = "fr",
    *,
    group_by: str | None = None,
    title: str | None = None,
) -> bytes:
    """The registry's entry point: ``columns`` are those of each group's short table."""
    shown = report_columns(columns)
    return to_docx(build_report(awards, lang, columns=shown, group_by=group_by, title=title), shown)
