"""CSV both ways: the export read back by the csv module, and the import's decoding rules."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import award_document

from territoria_cli import files
from territoria_cli.errors import UsageError
from territoria_cli.formats.columns import COLUMNS, DEFAULT_COLUMNS
from territoria_cli.formats.csv import to_csv, write
from territoria_cli.model import AWARD_FIELDS, FIELD_LABELS
from territoria_cli.store import StoreError, import_awards, load_awards, packaged_store_path, read_import_file

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")


def read_csv(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


# --------------------------------------------------------------------------- writing


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
    (header, raw) = read_csv(to_csv([hostile], columns, raw_formulas=True))
    assert raw == [hostile.title, hostile.laureate, hostile.budget, hostile.sponsor, hostile.summary]


def test_every_column_exports(real_awards):
    rows = read_csv(to_csv(real_awards, COLUMNS, "en"))
    assert len(rows[0]) == len(COLUMNS) and all(len(row) == len(COLUMNS) for row in rows)


# --------------------------------------------------------------------------- reading (import)

CSV_FIELDS_HEADER = ",".join(AWARD_FIELDS)


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def csv_cells(document: dict[str, Any]) -> list[str]:
    """A document as CSV cells by the documented encodings."""
    cells = []
    for name in AWARD_FIELDS:
        value = document[name]
        if name == "laureates":
            cells.append(json.dumps(value, ensure_ascii=False))
        elif value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        else:
            cells.append(str(value))
    return cells


def test_import_csv_with_field_names(tmp_path: Path) -> None:
    documents = [award_document("2099-a"), award_document("2099-b", budget="12 000 €", sponsor=None, excellence=True)]
    source = tmp_path / "import.csv"
    source.write_text(csv_text([list(AWARD_FIELDS)] + [csv_cells(d) for d in documents]), encoding="utf-8")
    assert read_import_file(source) == documents
    store = tmp_path / "store.json"
    assert import_awards(store, read_import_file(source)).added == ["2099-a", "2099-b"]
    assert [award.to_document() for award in load_awards(store)] == documents


@pytest.mark.parametrize("lang", FIELD_LABELS)
def test_import_csv_excel_style_with_labels_semicolons_and_bom(tmp_path: Path, lang: str) -> None:
    documents = [award_document("2099-a", summary="Ligne 1\r\nLigne 2 ; « citée »")]
    header = [FIELD_LABELS[lang][name] for name in AWARD_FIELDS]
    source = tmp_path / "import.csv"
    source.write_bytes(("\ufeff" + csv_text([header] + [csv_cells(d) for d in documents], delimiter=";")).encode())
    assert read_import_file(source) == documents


def test_import_csv_decodes_labels_and_removes_the_formula_prefix(tmp_path: Path) -> None:
    cells = csv_cells(award_document("2099-a", title="-40 % de déchets", summary="=SUM(A1)"))
    fields = dict(zip(AWARD_FIELDS, cells, strict=True))
    fields.update(level="Gold", excellence="oui", title="'-40 % de déchets", summary="'=SUM(A1)", laureate="'Testville")
    fields.update(summary_title="'Jardins'=partage")
    source = tmp_path / "import.csv"
    source.write_text(csv_text([list(AWARD_FIELDS), list(fields.values())]), encoding="utf-8")
    [document] = read_import_file(source)
    assert document["level"] == "or"
    assert document["excellence"] is True
    assert document["title"] == "-40 % de déchets"
    assert document["summary"] == "=SUM(A1)"
    assert document["laureate"] == "'Testville"  # only the export's neutralising prefix is removed
    assert document["summary_title"] == "'Jardins'=partage"


def test_import_csv_ignores_the_body_columns_of_an_export(tmp_path: Path) -> None:
    header = list(AWARD_FIELDS) + ["kind", "Département", "Region"]
    row = csv_cells(award_document("2099-a")) + ["commune", "06", "Provence-Alpes-Côte d'Azur"]
    source = tmp_path / "import.csv"
    source.write_text(csv_text([header, row]), encoding="utf-8")
    assert read_import_file(source) == [award_document("2099-a")]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"year": "deux mille"}, 'row 2 (line 5) (2099-b): year "deux mille" is not a whole number'),
        ({"excellence": "peut-être"}, 'row 2 (line 5) (2099-b): excellence "peut-être" is not true or false'),
        ({"level": "platine"}, 'row 2 (line 5) (2099-b): unknown level "platine"; valid levels: or, argent, bronze'),
        ({"laureates": "Testville (commune)"}, "row 2 (line 5) (2099-b): laureates must be the JSON text of a list"),
        ({"title": ""}, 'row 2 (line 5) (2099-b): field "title" must be a string, got null'),
    ],
)
def test_a_bad_csv_row_is_named_by_row_line_and_id(tmp_path: Path, change: dict[str, str], message: str) -> None:
    good = csv_cells(award_document("2099-a"))
    bad = [change.get(name, cell) for name, cell in zip(AWARD_FIELDS, csv_cells(award_document("2099-b")), strict=True)]
    source = tmp_path / "import.csv"
    source.write_text(csv_text([list(AWARD_FIELDS), good, bad]), encoding="utf-8")
    with pytest.raises(StoreError) as raised:
        read_import_file(source)
    assert str(raised.value).startswith(f"{source}: {message}")
    assert str(raised.value).endswith("nothing was imported")


def test_csv_line_numbers_count_line_breaks_inside_cells(tmp_path: Path) -> None:
    first = csv_cells(award_document("2099-a", summary="un\ndeux\ntrois"))
    bad = csv_cells(award_document("2099-b", level="platine"))
    source = tmp_path / "import.csv"
    source.write_text(csv_text([list(AWARD_FIELDS), first, bad]), encoding="utf-8")
    with pytest.raises(StoreError, match=r"row 2 \(line 5\) \(2099-b\)"):
        read_import_file(source)


@pytest.mark.parametrize(
    "text, message",
    [
        ("id,title,colour\n", 'unknown column "colour" in the header; expected the field names id, year'),
        ("id,title\n", "missing column(s) year, level, category"),
        (CSV_FIELDS_HEADER + ",ID\n", 'column "ID" appears twice'),
        (CSV_FIELDS_HEADER + "\n", "no awards to import"),
        (CSV_FIELDS_HEADER + "\n2099-a,2099\n", "row 1 (line 2): 2 cells, but the header names 12 columns"),
        (CSV_FIELDS_HEADER + '\n"2099-a,2099\n', "not valid CSV"),
    ],
)
def test_a_malformed_csv_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    source = tmp_path / "import.csv"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(StoreError) as raised:
        read_import_file(source)
    assert str(raised.value).startswith(f"{source}: ")
    assert message in str(raised.value)


def test_csv_column_names_and_labels_are_unambiguous() -> None:
    """Every name or label a header may use means one column only."""
    meanings: dict[str, set[str]] = {}
    from territoria_cli.text import fold

    for labels in FIELD_LABELS.values():
        for name, label in labels.items():
            meanings.setdefault(fold(name), set()).add(name)
            meanings.setdefault(fold(label), set()).add(name)
    assert {text: names for text, names in meanings.items() if len(names) > 1} == {}


# --------------------------------------------------------------------------- both ways


@pytest.mark.parametrize("lang", FIELD_LABELS)
@pytest.mark.parametrize("excel", [False, True], ids=["csv", "excel-csv"])
def test_a_full_csv_export_of_the_palmares_imports_back_unchanged(tmp_path: Path, lang: str, excel: bool) -> None:
    palmares = load_awards(packaged_store_path())
    source = tmp_path / "export.csv"
    files.atomic_write_text(source, to_csv(palmares, COLUMNS, lang, excel=excel))
    store = tmp_path / "copy.json"
    report = import_awards(store, read_import_file(source))
    assert report.added == [award.id for award in palmares]
    assert load_awards(store) == palmares


def test_header_of_keys_for_scripts_imports_back(tmp_path: Path, real_awards) -> None:
    text = write(real_awards, COLUMNS, "en", header="keys")
    rows = read_csv(text)
    assert rows[0] == list(COLUMNS) and rows[1][2] == "Gold"  # keys in the header, labels in the cells
    source = tmp_path / "keys.csv"
    source.write_text(text, encoding="utf-8", newline="")
    store = tmp_path / "store.json"
    import_awards(store, read_import_file(source))
    assert load_awards(store) == real_awards
    with pytest.raises(UsageError, match='unknown header "names"; valid values: "labels", "keys"'):
        write(real_awards, None, header="names")
