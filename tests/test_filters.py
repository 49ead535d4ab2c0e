"""Filters, sorting and ids as users meet them: one Filters record read from what was typed."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from territoria_cli.cli import app
from territoria_cli.errors import Failure, UsageError
from territoria_cli.filters import (
    FILTERS,
    SORT_KEYS,
    build_filters,
    filter_awards,
    find_award,
    population_range,
    resolve_choice,
    select,
    sort_awards,
    suggest_ids,
)

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")

# --------------------------------------------------------------------------- filters


def test_category_resolution(real_awards):
    categories = [award.category for award in real_awards]
    assert resolve_choice("lien", categories, "category") == "Lien social"
    assert resolve_choice("AMENAGEMENT", categories, "category") == "Aménagement / Urbanisme"
    with pytest.raises(UsageError, match='ambiguous category "c"') as ambiguous:
        resolve_choice("c", categories, "category")
    assert "Civisme / Citoyenneté" in str(ambiguous.value) and "Communication" in str(ambiguous.value)
    with pytest.raises(UsageError, match='unknown category "sport"') as unknown:
        resolve_choice("sport", categories, "category")
    assert str(unknown.value) == 'unknown category "sport"; \'territoria values category\' lists them'


@pytest.mark.parametrize(
    ("typed", "category"),
    [
        ("unicef", "TERRITORIA / UNICEF"),
        ("ecomaires", "TERRITORIA / Ecomaires"),
        ("energetique", "Transition énergétique"),
        ("transition num", "Transition numérique"),
        ("qualite de vie", "Qualité de vie"),
        ("QUALITÉ-DE-VIE", "Qualité de vie"),
        ("pilotage evaluation", "Pilotage / Evaluation"),
    ],
)
def test_a_category_is_found_by_any_of_its_words(real_awards, typed, category):
    assert resolve_choice(typed, [award.category for award in real_awards], "category") == category


def test_an_ambiguous_or_unknown_name_answers_with_the_closest_few(real_awards):
    categories = [award.category for award in real_awards]
    with pytest.raises(UsageError) as ambiguous:
        resolve_choice("transition", categories, "category")
    assert str(ambiguous.value) == 'ambiguous category "transition": it could be "Transition énergétique", "Transition numérique"'
    with pytest.raises(UsageError) as misspelt:
        resolve_choice("comunication", categories, "category")
    assert str(misspelt.value) == 'unknown category "comunication"; did you mean "Communication"?'
    regions = [body.region for award in real_awards for body in award.laureates]
    with pytest.raises(UsageError) as region:
        resolve_choice("provance", regions, "region")
    assert str(region.value) == 'unknown region "provance"; did you mean "Provence-Alpes-Côte d\'Azur"?'
    many = [f"Région {number}" for number in range(30)]
    with pytest.raises(UsageError) as closest:
        resolve_choice("region", many, "region")
    assert str(closest.value).count('"') == 2 * (1 + 5) and str(closest.value).endswith(", …")  # the value, then five


def test_a_short_list_of_choices_is_shown_whole():
    with pytest.raises(UsageError) as unknown:
        resolve_choice("colour", ["level", "title"], "sort key")
    assert str(unknown.value) == 'unknown sort key "colour"; valid values: "level", "title"'


@pytest.mark.parametrize(
    ("typed", "laureate"),
    [
        ("Onet le Chateau", "Onet-le-Château"),
        ("Garges lès Gonesse", "Garges-lès-Gonesse"),
        ("garges-les-gonesse", "Garges-lès-Gonesse"),
        ("ELANCOURT", "Élancourt"),
    ],
)
def test_laureate_names_compare_without_accents_case_hyphens_or_spaces(real_awards, typed, laureate):
    kept = select(real_awards, {"laureate": [typed]})
    assert kept and {award.laureate for award in kept} == {laureate}


def test_saint_and_st_are_the_same_word(make_award):
    awards = [make_award(id="a", laureate="Saint-Étienne"), make_award(id="b", laureate="Sainte-Anne"), make_award(id="c", laureate="Saintes")]
    assert [award.id for award in select(awards, {"laureate": ["St Etienne"]})] == ["a"]
    assert [award.id for award in select(awards, {"laureate": ["ste-anne"]})] == ["b"]
    assert [award.id for award in select(awards, {"laureate": ["saint etienne"]})] == ["a"]


def test_a_repeated_laureate_filter_keeps_either(real_awards):
    kept = select(real_awards, {"laureate": ["saverdun", "belfort"]})
    assert sorted(award.laureate for award in kept) == ["Belfort", "Saverdun"]


def test_exact_choice_wins_over_longer_ones():
    assert resolve_choice("culture", ["Culture / Patrimoine", "Culture"], "category") == "Culture"


@pytest.mark.parametrize("typed", ["or", "OR", "Or", "d'or", "d’Or", "gold", "GOLD"])
def test_level_aliases(real_awards, typed):
    filters = build_filters(real_awards, levels=[typed])
    assert filters.value("levels") == {"or"}
    assert len(filter_awards(real_awards, filters)) == 22


def test_unknown_level_and_kind_are_usage_errors(real_awards):
    with pytest.raises(UsageError, match="valid levels: or, argent, bronze"):
        build_filters(real_awards, levels=["platine"])
    with pytest.raises(UsageError, match="valid kinds"):
        build_filters(real_awards, kinds=["ville"])
    with pytest.raises(UsageError, match='unknown region "Bavière"'):
        build_filters(real_awards, regions=["Bavière"])
    with pytest.raises(UsageError, match="département"):
        build_filters(real_awards, departments=["750"  + "01"])
    with pytest.raises(UsageError, match="year"):
        build_filters(real_awards, years=["deux mille"])


def test_filters_combine(real_awards):
    filters = build_filters(
        real_awards, levels=["or"], regions=["occitanie"], kinds=["commune"], years=["2017"]
    )
    assert sorted(a.id for a in filter_awards(real_awards, filters)) == [
        "2017-albi-agriculture-et-alimentation-de-proximite",
        "2017-albi-s-engage-avec-ses-commercants",
        "2017-onet-le-chateau-bien-vieillir-ensemble",
        "2017-saverdun-recup-velos-en-liberte",
    ]
    assert filter_awards(real_awards, build_filters(real_awards, years=[1999])) == []


def test_department_codes_are_normalised(real_awards):
    filters = build_filters(real_awards, departments=["6"])
    assert filters.value("departments") == {"06"}
    assert {a.laureate for a in filter_awards(real_awards, filters)} == {
        "Département des Alpes-Maritimes",
        "La Colle-sur-Loup",
    }
    assert build_filters(real_awards, departments=["2a", "971"]).value("departments") == {"2A", "971"}


def test_laureate_filter_looks_in_body_names(real_awards):
    filters = build_filters(real_awards, laureate=["angers loire"])
    assert [a.id for a in filter_awards(real_awards, filters)] == ["2017-angers-modele-predictif-et-aide-a-la-decision"]


def test_sorting(real_awards):
    by_level = sort_awards(real_awards)
    assert [a.level for a in by_level] == sorted((a.level for a in real_awards), key=["or", "argent", "bronze"].index)
    assert sort_awards(real_awards, "level", reverse=True)[0].level == "bronze"
    assert [a.laureate for a in sort_awards(real_awards, "laureate")][:2] == ["Albi", "Albi"]
    assert "Élancourt" in [a.laureate for a in sort_awards(real_awards, "laureate")[10:20]]  # among the E's
    for key in SORT_KEYS:
        assert len(sort_awards(real_awards, key)) == 38
    with pytest.raises(UsageError, match="valid keys"):
        sort_awards(real_awards, "price")


def test_suggest_ids(real_awards):
    assert suggest_ids(real_awards, "2017-dunkerq-global") == ["2017-dunkerque-global-schools"]
    assert set(suggest_ids(real_awards, "albi")) == {
        "2017-albi-agriculture-et-alimentation-de-proximite",
        "2017-albi-s-engage-avec-ses-commercants",
    }
    assert suggest_ids(real_awards, "") == []


def test_several_categories_and_regions_each_resolve_against_the_whole_store(real_awards):
    filters = build_filters(real_awards, categories=["lien", "qualite"], regions=["occ", "ile-de"])
    assert filters.value("categories") == {"Lien social", "Qualité de vie"}
    assert filters.value("regions") == {"Occitanie", "Île-de-France"}


# --------------------------------------------------------------------------- --sponsor, added as one entry of FILTERS

runner = CliRunner()


def piped_ids(*args: str) -> list[str]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def test_sponsor_keeps_the_awards_of_that_sponsor_in_any_case_and_accents(real_awards):
    sodexo = sorted(award.id for award in real_awards if award.sponsor == "Sodexo")
    assert len(sodexo) == 3
    assert sorted(award.id for award in select(real_awards, {"sponsors": ["SODEXO"]})) == sodexo
    assert sorted(award.id for award in select(real_awards, {"sponsors": ["sodéx"]})) == sodexo  # a prefix, accented


def test_sponsor_repeats_and_combines_with_other_filters(real_awards):
    either = select(real_awards, {"sponsors": ["sodexo", "la poste"]})
    assert {award.sponsor for award in either} == {"Sodexo", "La Poste"} and len(either) == 6
    gold = select(real_awards, {"sponsors": ["sodexo", "la poste"], "levels": ["or"]})
    assert gold == [award for award in either if award.level == "or"]


def test_an_award_without_sponsor_never_passes_a_sponsor_filter(make_award):
    awards = [make_award(id="a", sponsor="Sodexo"), make_award(id="b", sponsor=None)]
    assert [award.id for award in select(awards, {"sponsors": ["sodexo"]})] == ["a"]
    with pytest.raises(UsageError, match='unknown sponsor "aucun"; valid values: "Sodexo"$'):
        select(awards, {"sponsors": ["aucun"]})


def test_sponsor_from_the_command_line_in_every_filtering_command(real_awards):
    sodexo = {award.id for award in real_awards if award.sponsor == "Sodexo"}
    assert set(piped_ids("list", "--sponsor", "sodexo")) == sodexo
    assert set(piped_ids("list", "--sponsor", "Sodexo", "--sponsor", "orange")) == sodexo | {
        award.id for award in real_awards if award.sponsor == "Orange"
    }
    stats = json.loads(runner.invoke(app, ["stats", "--sponsor", "sodexo", "--json"]).stdout)
    assert stats["awards"] == 3
    exported = json.loads(runner.invoke(app, ["export", "--sponsor", "sodexo", "--format", "json"]).stdout)
    assert {document["id"] for document in exported} == sodexo
    searched = json.loads(runner.invoke(app, ["search", "ville", "--sponsor", "sodexo", "--json"]).stdout)
    assert searched and {document["id"] for document in searched} <= sodexo
    refused = runner.invoke(app, ["list", "--sponsor", "nobody"])
    assert refused.exit_code == 2 and refused.stderr.startswith('Erreur : parrain inconnu "nobody"')


def test_every_filter_is_an_option_of_every_filtering_command():
    for command in ("list", "search", "stats", "export"):
        help_text = runner.invoke(app, [command, "--help"]).stdout
        for entry in FILTERS:
            assert entry.flags[0] in help_text, (command, entry.flags[0])


def test_an_unknown_filter_name_is_a_programming_error(real_awards):
    with pytest.raises(TypeError, match="unknown filter"):
        build_filters(real_awards, colour=["or"])


# --------------------------------------------------------------------------- select and find_award


def test_select_filters_then_sorts_by_a_key_beginning_then_limits(real_awards):
    titles = [award.title for award in select(real_awards, {"levels": ["or"]}, sort="tit", limit=3)]
    gold_titles = sorted((award.title for award in real_awards if award.level == "or"), key=lambda t: t.lower())
    assert len(titles) == 3 and titles == sorted(titles, key=lambda t: t.lower())
    assert set(titles) <= set(gold_titles)
    assert select(real_awards) == real_awards  # no sort: the stored order
    with pytest.raises(UsageError, match='unknown sort key "colour"'):
        select(real_awards, sort="colour")


def test_find_award_by_id_or_unique_beginning(real_awards):
    albi = "2017-albi-agriculture-et-alimentation-de-proximite"
    assert find_award(real_awards, albi).id == albi
    assert find_award(real_awards, "2017-albi-agri").id == albi
    with pytest.raises(Failure, match='"2017-albi" is part of 2 ids: "2017-albi-agriculture'):
        find_award(real_awards, "2017-albi")
    with pytest.raises(Failure, match=f'did you mean: "{albi}"'):
        find_award(real_awards, albi + "r")


@pytest.mark.parametrize(
    ("typed", "bounds"),
    [("5000-", (5000, float("inf"))), ("-10000", (0, 10000)), ("2000-10000", (2000, 10000)),
     ("5 000-10 000", (5000, 10000)), ("3-3", (3, 3)), ("-", None)],
)
def test_population_ranges_as_users_type_them(typed, bounds):
    assert population_range(typed) == bounds


def test_population_filter_ignores_bodies_without_population(make_award):
    body = {"name": "X", "kind": "commune", "department": "09", "region": "Occitanie"}
    unknown = make_award(id="a", laureates=[body])
    known = make_award(id="b", laureates=[{**body, "code": "09282", "population": 4808}])
    kept = filter_awards([unknown, known], build_filters([unknown, known], population="-100000"))
    assert [award.id for award in kept] == ["b"]


def test_a_place_the_reference_lacks_but_the_store_holds_is_still_a_filter(make_award):
    old = make_award(laureates=[{"name": "X", "kind": "commune", "department": "06", "region": "Midi-Pyrénées"}])
    assert build_filters([old], regions=["midi"]).value("regions") == {"Midi-Pyrénées"}
    with pytest.raises(UsageError, match='unknown region "Bourgogne-Midi"'):
        build_filters([old], regions=["Bourgogne-Midi"])
