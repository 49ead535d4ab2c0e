"""Workbooks read back by openpyxl (cells, styles, sheets) and by the zip's own XML (charts, which openpyxl drops)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from territoria_cli.filters import sort_awards
from territoria_cli.formats.xlsx import Chart, Sheet, award_sheets, to_xlsx, write_tables
from territoria_cli.stats import compute_stats, count_by, counts_table, overview_tables

COLUMNS = ("id", "year", "level", "category", "laureate", "department", "region", "title", "summary")


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_a_sheet_of_awards_with_frozen_bold_filtered_header(real_awards):
    awards = sort_awards(real_awards)
    book = read(to_xlsx(award_sheets(awards, COLUMNS, "fr")))
    (sheet,) = book.worksheets
    assert sheet.title == "Prix"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Identifiant", "Année", "Niveau", "Catégorie", "Lauréat", "Département", "Région", "Titre", "Résumé")
    assert len(rows) == 39
    assert rows[1][:7] == (awards[0].id, 2017, "Or", "Aménagement / Urbanisme", "Albi", "81", "Occitanie")
    assert [row[8] for row in rows[1:]] == [award.summary for award in awards]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I39"
    assert sheet["I2"].alignment.wrap_text and sheet["A2"].alignment.vertical == "top"
    assert sheet.row_dimensions[2].height >= 15 * 6  # the summary's lines show whole
    assert sheet.row_dimensions[1].height is None
    width = {letter: sheet.column_dimensions[letter].width for letter in "ABCI"}
    assert width["I"] > width["A"] > width["C"] and width["B"] < 10


def test_codes_stay_text_and_formulas_stay_text(make_award):
    ariege = make_award(id="a", laureates=[{"name": "Foix", "kind": "commune", "department": "09", "region": "Occitanie"}])
    corse = make_award(
        id="=HYPERLINK(\"http://evil\",\"x\")",
        title="+SUM(1,2)",
        laureate="@cmd",
        summary="-2+3\x07 fin",
        laureates=[{"name": "Ajaccio", "kind": "commune", "department": "2A", "region": "Corse"}],
    )
    book = read(to_xlsx(award_sheets([ariege, corse], ("id", "department", "title", "laureate", "summary"), "fr")))
    sheet = book.active
    assert sheet["B2"].value == "09" and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "2A" and sheet["B3"].data_type == "s"
    for cell in sheet[3]:
        assert cell.data_type == "s", cell.coordinate  # "f" would be a formula
    assert sheet["A3"].value == corse.id and sheet["C3"].value == "+SUM(1,2)"
    assert sheet["E3"].value == "-2+3 fin"  # the control character, invisible anyway, is dropped


def test_one_sheet_per_group_with_valid_unique_names(real_awards):
    awards = sort_awards(real_awards)
    book = read(to_xlsx(award_sheets(awards, ("id", "title"), "fr", "category")))
    categories = list(dict.fromkeys(award.category for award in awards))
    assert len(book.sheetnames) == len(categories) == 18
    assert book.sheetnames[0] == "Aménagement - Urbanisme"  # "/" is not allowed in a sheet name
    assert sum(sheet.max_row - 1 for sheet in book.worksheets) == 38
    names = to_xlsx([Sheet("x" * 40, ["a"], []), Sheet("x" * 40, ["a"], []), Sheet("a:b?", ["a"], [])])
    assert read(names).sheetnames == ["x" * 31, "x" * 27 + " (2)", "a-b-"]


def charts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(name).decode() for name in sorted(archive.namelist()) if name.startswith("xl/charts/chart")]


def test_stats_tables_get_a_native_bar_chart_each(real_awards):
    tables = overview_tables(compute_stats(real_awards), "fr") + [counts_table(count_by(real_awards, ("region", "level")), "fr")]
    data = write_tables(tables)
    book = read(data)
    assert book.sheetnames == [
        "Par niveau", "Par catégorie", "Par type de collectivité", "Par région (prix)", "Par département (prix)",
        "Lauréats primés plusieurs fois", "Par région × niveau",
    ]
    assert list(book["Par niveau"].iter_rows(values_only=True)) == [("Niveau", "Nombre"), ("Or", 22), ("Argent", 6), ("Bronze", 10)]
    found = charts(data)
    assert len(found) == 7 and all("<c:barChart>" in chart for chart in found)
    assert '<c:grouping val="stacked"/>' in found[1]  # gold, silver, bronze stacked per category
    assert 'val="D4A017"' in found[1]  # in medal colours
    assert '<c:grouping val="clustered"/>' in found[2]  # bodies and awards by kind side by side, not added up
    assert "'Par niveau'!$A$2:$A$4" in found[0] and "'Par niveau'!$B$2:$B$4" in found[0]


@pytest.mark.parametrize("rows", [[], [["x", 1]]])
def test_empty_or_tiny_sheets_are_valid(rows):
    book = read(to_xlsx([Sheet("S", ["a", "b"], rows, chart=Chart("t", (1,)))]))
    assert book.active.max_row == 1 + len(rows)


def test_population_of_one_body_is_a_number_of_two_is_text(real_awards):
    single = next(award for award in real_awards if len(award.laureates) == 1 and award.laureates[0].population)
    joint = next(award for award in real_awards if len(award.laureates) == 2)
    sheet = read(to_xlsx(award_sheets([single, joint], ("id", "population", "code"), "fr"))).active
    assert sheet["B2"].value == single.laureates[0].population and sheet["B2"].data_type == "n"
    assert sheet["B3"].data_type == "s" and " ; " in sheet["B3"].value
    assert sheet["C2"].data_type == "s"  # an official code stays text: "09122" keeps its zero
