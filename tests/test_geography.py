"""The official geography shipped with territoria: régions, départements, and links to communes and EPCI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from territoria_cli import geography
from territoria_cli.model import Laureate

#: The library's messages are read here in English, the language of the source strings.
pytestmark = pytest.mark.usefixtures("english_messages")

BUILD_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_geography.py"


def test_the_reference_has_every_region_and_departement():
    assert len(geography.regions()) == 18 and len(geography.departements()) == 101
    assert {"Bretagne", "Corse", "Mayotte", "Île-de-France"} <= {region.name for region in geography.regions()}
    region_codes = {region.code for region in geography.regions()}
    assert all(departement.region in region_codes for departement in geography.departements())
    assert sum(r.population for r in geography.regions()) == sum(d.population for d in geography.departements())


def test_the_reference_records_the_pinned_package_it_was_built_from():
    script = BUILD_SCRIPT.read_text(encoding="utf-8")
    source = geography.source()
    assert re.search(rf'^VERSION = "{re.escape(source["version"])}"$', script, re.M)
    assert re.search(rf'^INTEGRITY = "{re.escape(source["integrity"])}"$', script, re.M)
    assert source["package"] == "@etalab/decoupage-administratif"
    assert (source["cog"], source["population"]) == (2026, 2023)


@pytest.mark.parametrize(
    ("typed", "name"),
    [("bretagne", "Bretagne"), ("ILE DE FRANCE", "Île-de-France"), ("île-de-france", "Île-de-France"),
     ("bourg", "Bourgogne-Franche-Comté"), ("53", "Bretagne"), ("provence", "Provence-Alpes-Côte d'Azur")],
)
def test_a_region_as_users_type_it(typed, name):
    assert geography.find_region(typed).name == name


@pytest.mark.parametrize(
    ("typed", "message"),
    [("bretonne", 'unknown region "bretonne"; did you mean "Bretagne"?'),
     ("n", 'ambiguous region "n": it could be "Normandie", "Nouvelle-Aquitaine"$'),
     ("azur", "^Provence"),  # a word of the name is enough
     ("atlantide", "unknown region \"atlantide\"; 'territoria values region' lists them$")],
)
def test_an_unknown_region_says_what_was_meant(typed, message):
    if typed == "azur":
        assert re.match(message, geography.find_region(typed).name)
        return
    with pytest.raises(geography.UnknownPlace, match=message):
        geography.find_region(typed)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("2a", "2A"), ("2B", "2B"), ("9", "09"), ("09", "09"), ("971", "971"), ("ariege", "09"), ("Côtes-d'Armor", "22")],
)
def test_a_departement_as_users_type_it(typed, code):
    assert geography.find_departement(typed).code == code


@pytest.mark.parametrize(
    ("typed", "message"),
    [("20", r'unknown département "20"; did you mean 2A \(Corse-du-Sud\), 2B \(Haute-Corse\)\?'),
     ("99", 'unknown département "99"; expected a code such as 06, 2A, 75 or 971'),
     ("haute-s", 'ambiguous département "haute-s": it could be "Haute-Saône", "Haute-Savoie"$'),
     ("morbian", 'unknown département "morbian"; did you mean "Morbihan"')],
)
def test_an_unknown_departement_says_what_was_meant(typed, message):
    with pytest.raises(geography.UnknownPlace, match=message):
        geography.find_departement(typed)


def test_region_of_a_departement():
    assert geography.region_of("2A").name == "Corse"
    assert geography.region_of("971").name == "Guadeloupe"
    assert geography.region_of("99") is None


@pytest.mark.parametrize(
    ("kind", "name", "department", "code"),
    [
        ("commune", "Saverdun", "09", "09282"),
        ("commune", "garges les gonesse", "95", "95268"),
        ("arrondissement", "Paris 9e arrondissement", "75", "75109"),
        ("epci", "Angers Loire Métropole", "49", "244900015"),
        ("epci", "Communauté d'agglomération du Grand Dax", "40", "244000675"),
        ("departement", "Département de la Mayenne", "53", "53"),
        ("region", "Région Hauts-de-France", None, "32"),
    ],
)
def test_a_body_is_linked_by_name_and_departement(kind, name, department, code):
    assert geography.link(kind, name, department).code == code


@pytest.mark.parametrize(
    ("kind", "name", "department"),
    [("commune", "Saverdun", "31"), ("commune", "Le Lamentin", "971"), ("commune", "Testville", "06"),
     ("departement", "Département de la Mayenne", "72")],
)
def test_no_link_when_name_and_departement_do_not_match_one_body(kind, name, department):
    assert geography.link(kind, name, department) is None


def test_the_reference_files_are_small_and_load_only_when_asked():
    assert geography.REFERENCE_PATH.stat().st_size < 10_000
    assert geography.BODIES_PATH.stat().st_size < 600_000
    code = (
        "import sys, json; from territoria_cli import geography; geography.find_region('bretagne');"
        "print(json.dumps([m for m in ('gzip', 'difflib') if m in sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def body(name="Saverdun", kind="commune", department="09", region="Occitanie", code=None, population=None):
    return Laureate(name, kind, department, region, code, population)


def test_an_imported_body_gets_its_code_and_population_from_name_and_departement():
    bodies, notes = geography.checked_bodies([body(department="9", region="occitanie")])
    saverdun = geography.body_by_code("09282")
    assert bodies == (body(code="09282", population=saverdun.population),) and notes == []


def test_a_body_with_a_code_gets_the_population_of_that_code():
    paris = geography.body_by_code("75056")
    bodies, _ = geography.checked_bodies([body("Ville de Paris", department="75", region="Île-de-France", code="75056")])
    assert bodies[0].population == paris.population and bodies[0].name == "Ville de Paris"


def test_a_body_given_code_and_population_is_kept_as_given():
    given = body(code="09282", population=5000)
    assert geography.checked_bodies([given]) == ((given,), [])


def test_a_body_the_reference_cannot_link_is_kept_and_reported():
    bodies, notes = geography.checked_bodies([body(), body("Testville", department="06", region="Provence-Alpes-Côte d'Azur")])
    assert bodies[1].code is None and bodies[1].population is None
    assert notes == [
        'laureates[2] "Testville": code and population left empty '
        "(no single commune of that name in département 06 in the reference)"
    ]


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (body(department="99"), r'laureates\[1\]\.department: unknown département "99"'),
        (body(department="ariege"), r'laureates\[1\]\.department: "ariege" is not a département code; did you mean 09 \(Ariège\)\?'),
        (body(region="Occitania"), r'laureates\[1\]\.region: unknown region "Occitania"; did you mean "Occitanie"\?'),
        (body(region="Bretagne"), r'laureates\[1\]\.region "Bretagne" is not the région of département 09 \(Ariège\), which is Occitanie'),
        (body("Région Bretonne", "region", None, "Bretonne"), r'unknown region "Bretonne"; did you mean "Bretagne"\?'),
    ],
)
def test_an_unknown_or_inconsistent_place_is_refused_with_a_suggestion(wrong, message):
    with pytest.raises(geography.UnknownPlace, match=message):
        geography.checked_bodies([wrong])
