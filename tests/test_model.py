"""The data contract: what a valid award document is, and how users name levels and kinds."""

from __future__ import annotations

import json

import pytest
from conftest import award_document

from territoria_cli.model import AWARD_FIELDS, Award, InvalidAward, json_text, parse_kind, parse_level

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.mark.parametrize(
    ("typed", "level"),
    [("or", "or"), ("OR", "or"), ("d'Or", "or"), ("d’or", "or"), ("gold", "or"), ("Argent", "argent"),
     ("silver", "argent"), ("BRONZE", "bronze"), (" bronze ", "bronze")],
)
def test_levels_as_users_type_them(typed, level):
    assert parse_level(typed) == level


@pytest.mark.parametrize(("typed", "kind"), [("Département", "departement"), ("EPCI", "epci"), ("région", "region")])
def test_kinds_as_users_type_them(typed, kind):
    assert parse_kind(typed) == kind


def test_an_unknown_level_lists_the_valid_ones():
    with pytest.raises(ValueError, match='unknown level "platine"; valid levels: or, argent, bronze'):
        parse_level("platine")


def test_a_valid_document_round_trips():
    document = award_document()
    award = Award.from_document(document)
    assert award.to_document() == document
    assert list(award.to_document()) == list(AWARD_FIELDS)


def test_a_store_written_before_codes_and_populations_reads_them_as_null():
    body = {"name": "Saverdun", "kind": "commune", "department": "09", "region": "Occitanie"}
    award = Award.from_document(award_document(laureates=[body]))
    assert award.laureates[0].code is None and award.laureates[0].population is None
    assert award.to_document()["laureates"] == [{**body, "code": None, "population": None}]


@pytest.mark.parametrize(
    ("kind", "department", "code"),
    [("commune", "09", "09282"), ("commune", "2A", "2A004"), ("commune", "971", "97115"),
     ("arrondissement", "75", "75109"), ("epci", "49", "244900015"), ("departement", "2A", "2A"),
     ("departement", "971", "971"), ("region", None, "32")],
)
def test_codes_of_each_kind_are_accepted(kind, department, code):
    body = {"name": "X", "kind": kind, "department": department, "region": "R", "code": code, "population": 4808}
    assert Award.from_document(award_document(laureates=[body])).laureates[0].code == code


def _body(**changes):
    return [{"name": "Saverdun", "kind": "commune", "department": "09", "region": "Occitanie", **changes}]


#: Documents that break one rule each, with what the message says (test_store.py reads them in big stores too).
BROKEN_DOCUMENTS = [
    ({"laureates": _body(code="9282")}, r'laureates\[1\]\.code "9282" is not an INSEE commune code'),
    ({"laureates": _body(code=9282)}, r'laureates\[1\]\.code "9282" is not an INSEE commune code'),
    ({"laureates": _body(code="31555")}, r'laureates\[1\]\.code "31555" is not in département 09'),
    ({"laureates": _body(kind="epci", code="24490001")}, r'laureates\[1\]\.code "24490001" is not a SIREN'),
    ({"laureates": _body(kind="departement", code="31")}, r'laureates\[1\]\.code "31" is not in département 09'),
    ({"laureates": _body(population=-1)}, r"laureates\[1\]\.population must be a non-negative integer or null"),
    ({"laureates": _body(population="4808")}, r"laureates\[1\]\.population must be a non-negative integer"),
    ({"laureates": _body(population=True)}, r"laureates\[1\]\.population must be a non-negative integer"),
    ({"level": "gold"}, 'level "gold" is not one of or, argent, bronze'),
    ({"year": "2017"}, 'field "year" must be an integer, got a string'),
    ({"year": True}, 'field "year" must be an integer, got a boolean'),
    ({"excellence": "non"}, 'field "excellence" must be a boolean, got a string'),
    ({"title": "   "}, 'field "title" must not be empty'),
    ({"laureates": []}, 'field "laureates" must be a non-empty list of bodies'),
    ({"laureates": ["Paris"]}, r"laureates\[1\] must be an object, got a string"),
    ({"laureates": [{"name": "Paris", "kind": "ville", "department": "75", "region": "Île-de-France"}]},
     r'laureates\[1\]\.kind "ville" is not one of'),
    ({"laureates": [{"name": "Paris", "kind": "commune", "department": None, "region": "Île-de-France"}]},
     r"laureates\[1\]\.department must be a département code"),
    ({"laureates": [{"name": "Occitanie", "kind": "region", "department": "31", "region": "Occitanie"}]},
     r"laureates\[1\]\.department must be null for a région"),
    ({"laureates": [{"name": "Paris", "kind": "commune", "department": "75", "region": "IDF", "pop": 2}]},
     r"laureates\[1\] has unknown field\(s\): pop"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN_DOCUMENTS)
def test_a_broken_document_is_refused_with_what_is_wrong(change, message):
    with pytest.raises(InvalidAward, match=message):
        Award.from_document(award_document(**change))


def test_missing_and_unknown_fields_are_named():
    document = award_document()
    del document["summary"]
    with pytest.raises(InvalidAward, match="missing field\\(s\\): summary"):
        Award.from_document(document)
    with pytest.raises(InvalidAward, match="unknown field\\(s\\): votes"):
        Award.from_document(award_document(votes=3))
    with pytest.raises(InvalidAward, match="expected an object, got a list"):
        Award.from_document([])


def test_json_text_keeps_accents_readable_and_parses_back():
    document = award_document()
    text = json_text(document)
    assert "récolte" in text and text.endswith("}\n")
    assert json.loads(text) == document


def test_facts_are_the_fields_of_an_award_that_filters_read_in_its_order():
    from territoria_cli.model import Award, Facts

    assert Facts._fields[0] == "position"
    assert Facts._fields[1:] == tuple(field for field in Award._fields if field not in ("summary_title", "summary", "excellence", "budget"))
    assert all(Facts.__annotations__[field] == Award.__annotations__[field] for field in Facts._fields[1:])
