"""Real Excel workbooks, through XlsxWriter (chosen by measurement: see pyproject.toml).

A workbook is a list of :class:`Sheet`: a header row (bold, frozen, with an
autofilter), rows of text and numbers, column widths from the content, long
texts wrapped, and optionally a native bar chart of the sheet's counts.

Safety: every text goes through ``write_string``, never ``write``: a cell
``=HYPERLINK(...)`` stays text (nothing is ever a formula), a département
``09`` or ``2A`` stays text instead of becoming the number 9, and a URL is
not turned into a link. Control characters (which show nothing, and which
Excel alone would decode) are dropped, as in the documents. Only integers are written as numbers (years, counts), so that
they sort and sum. XlsxWriter is imported here only, when a workbook is
asked for.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from territoria_cli.formats.columns import cell_value, header
from territoria_cli.formats.report import document_text, group_awards
from territoria_cli.model import Award, Lang

if TYPE_CHECKING:
    from territoria_cli.stats import Table

#: The columns of a workbook without ``--columns``: what a spreadsheet user sorts and filters on, and the summary.
XLSX_COLUMNS: tuple[str, ...] = (
    "id", "year", "level", "category", "sponsor", "laureate", "kind", "department", "region", "title", "summary",
)
#: Columns whose text is long: a wide column whatever the content.
WIDE_COLUMNS = frozenset({"summary", "laureates", "budget"})
WIDE_WIDTH = 80
#: Points per line of 11-point text, and Excel's highest row.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409
MAX_WIDTH = 50
#: Excel's limits for a sheet name: 31 characters, none of []:*?/\ .
_SHEET_NAME_LENGTH = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
SHEET_WORDS: dict[Lang, str] = {"fr": "Prix", "en": "Awards"}


class Chart(NamedTuple):
    """A bar chart of the sheet: labels from column 0, one series per value column."""

    title: str
    value_columns: tuple[int, ...]
    #: Parts of one whole (a total by level) stack; other series stand side by side.
    stacked: bool = False
    #: Fill colour per series ("#D4A017"); none: the spreadsheet's own.
    colours: tuple[str, ...] = ()


class Sheet(NamedTuple):
    name: str
    head: Sequence[str]
    rows: Sequence[Sequence[str | int]]
    wide: frozenset[int] = frozenset()
    chart: Chart | None = None


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes; sheet names are made valid and unique here."""
    import xlsxwriter  # type: ignore[import-untyped]  # no stubs; the calls are checked by tests

    buffer = io.BytesIO()
    # The three "strings_to_*" conversions are off anyway with write_string; said twice for the reader.
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#EEEEEE", "bottom": 1})
    # Every cell wraps: a text longer than its column (capped at MAX_WIDTH) shows whole instead of being cut.
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    used: set[str] = set()
    for sheet in sheets:
        name = _sheet_name(sheet.name, used)
        worksheet = workbook.add_worksheet(name)
        for column, label in enumerate(sheet.head):
            worksheet.write_string(0, column, label, bold)
        widths = [_width(sheet, column) for column in range(len(sheet.head))]
        for number, cells in enumerate(sheet.rows, 1):
            lines = max((_lines(value, width) for value, width in zip(cells, widths, strict=True)), default=1)
            if lines > 1:  # neither Excel nor LibreOffice grows a row to its wrapped text on opening
                worksheet.set_row(number, min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT))
            for column, value in enumerate(cells):
                if isinstance(value, int):
                    worksheet.write_number(number, column, value, wrap)
                else:
                    worksheet.write_string(number, column, value, wrap)
        # Printed: A4 landscape, one page wide, the header row on every page.
        worksheet.set_paper(9)
        worksheet.set_landscape()
        worksheet.fit_to_pages(1, 0)
        worksheet.repeat_rows(0)
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, max(len(sheet.rows), 1), max(len(sheet.head) - 1, 0))
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, width)
        if sheet.chart is not None and sheet.rows:
            _add_chart(workbook, worksheet, name, sheet)
    workbook.close()
    return buffer.getvalue()


def _lines(value: str | int, width: float) -> int:
    """Lines a wrapped cell takes in a column ``width`` characters wide (an estimate: fonts are proportional)."""
    return sum(max(1, math.ceil(len(line) / width)) for line in str(value).split("\n"))


def _width(sheet: Sheet, column: int) -> float:
    if column in sheet.wide:
        return WIDE_WIDTH
    longest = max((len(str(cells[column])) for cells in [sheet.head, *sheet.rows]), default=0)
    return min(longest + 2, MAX_WIDTH)


def _add_chart(workbook, worksheet, name: str, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    assert sheet.chart is not None
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"} if sheet.chart.stacked else {"type": "bar"})
    last = len(sheet.rows)
    for position, column in enumerate(sheet.chart.value_columns):
        series = {
            "name": [name, 0, column],
            "categories": [name, 1, 0, last, 0],
            "values": [name, 1, column, last, column],
            "gap": 50,
        }
        if position < len(sheet.chart.colours):
            series["fill"] = {"color": sheet.chart.colours[position]}
        chart.add_series(series)
    chart.set_y_axis({"reverse": True})  # first row at the top, as in the table
    chart.set_legend({"position": "bottom"} if len(sheet.chart.value_columns) > 1 else {"none": True})
    chart.set_title({"name": sheet.chart.title, "name_font": {"size": 12}})
    chart.set_size({"width": 520, "height": max(220, 20 * last + 90)})
    worksheet.insert_chart(1, len(sheet.head) + 1, chart)


def _sheet_name(wanted: str, used: set[str]) -> str:
    """A valid, unique sheet name close to ``wanted`` ("Aménagement / Urbanisme" -> "Aménagement - Urbanisme")."""
    base = _NOT_IN_SHEET_NAME.sub("-", wanted).strip("' ") or "-"
    name, number = base[:_SHEET_NAME_LENGTH], 1
    while name.lower() in used:
        number += 1
        suffix = f" ({number})"
        name = base[: _SHEET_NAME_LENGTH - len(suffix)] + suffix
    used.add(name.lower())
    return name


def award_sheets(awards: Sequence[Award], columns: Sequence[str], lang: Lang, group_by: str | None = None) -> list[Sheet]:
    """One sheet of awards, or one per group (named after it) with ``group_by``."""
    wide = frozenset(position for position, column in enumerate(columns) if column in WIDE_COLUMNS)
    head = header(columns, lang)
    return [
        Sheet(
            name=SHEET_WORDS[lang] if name is None else name,
            head=head,
            rows=[[_cell(award, column, lang) for column in columns] for award in members],
            wide=wide,
        )
        for name, members in group_awards(awards, group_by, lang).items()
    ]


def _cell(award: Award, column: str, lang: Lang) -> str | int:
    """Years, and the population of a single body, as numbers (they sort and sum); everything else as text."""
    if column == "year":
        return award.year
    if column == "population" and len(award.laureates) == 1 and award.laureates[0].population is not None:
        return award.laureates[0].population
    return document_text(cell_value(award, column, lang))


def write(
    awards: Sequence[Award], columns: Sequence[str] | None, lang: Lang = "fr", *, group_by: str | None = None
) -> bytes:
    """The registry's entry point: one sheet, or one per group."""
    return to_xlsx(award_sheets(awards, columns or XLSX_COLUMNS, lang, group_by))


def write_tables(tables: Sequence[Table], lang: Lang = "fr") -> bytes:
    """``stats --format xlsx``: a sheet per table, each with its native bar chart (stacked for a cross-table)."""
    return to_xlsx([_counts_sheet(table) for table in tables])


def _counts_sheet(table: Table) -> Sheet:
    chart = Chart(table.title, table.chart_columns, stacked=table.stacked, colours=table.colours)
    return Sheet(table.title, table.head, table.rows, chart=chart)
