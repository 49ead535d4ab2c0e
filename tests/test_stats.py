"""Statistics: the communiqué's figures from the real palmarès, and the counting rules on made-up awards."""

from __future__ import annotations

import json

import pytest

from territoria_cli.errors import UsageError
from territoria_cli.filters import build_filters, filter_awards
from territoria_cli.stats import compute_stats, count_by, counts_document, counts_table, parse_by


def body(name: str, kind: str = "commune", department: str | None = "75", region: str = "Île-de-France") -> dict:
    return {"name": name, "kind": kind, "department": department, "region": region}


def test_the_communique_figures(real_awards):
    stats = compute_stats(real_awards)
    assert stats.awards == 38
    assert stats.by_level == {"or": 22, "argent": 6, "bronze": 10}
    assert list(stats.by_level) == ["or", "argent", "bronze"]
    assert stats.bodies == 31
    assert stats.by_kind == {"commune": 22, "epci": 5, "departement": 3, "region": 1}


def test_categories_in_palmares_order_with_their_levels(real_awards):
    stats = compute_stats(real_awards)
    assert len(stats.by_category) == 18
    assert list(stats.by_category)[:2] == ["Aménagement / Urbanisme", "Civisme / Citoyenneté"]
    assert stats.by_category["Lien social"] == {"or": 1, "argent": 1, "bronze": 1}
    assert stats.by_category["Prévention"] == {"or": 2, "argent": 0, "bronze": 0}
    assert sum(sum(levels.values()) for levels in stats.by_category.values()) == 38


def test_regions_and_repeat_laureates(real_awards):
    stats = compute_stats(real_awards)
    assert next(iter(stats.by_region.items())) == ("Île-de-France", 14)
    assert stats.by_region["Pays de la Loire"] == 2  # Angers' joint dossier counts once
    assert sum(stats.by_region.values()) == 38
    assert stats.repeat_laureates == [
        ("Paris", 5),
        ("Garges-lès-Gonesse", 3),
        ("Albi", 2),
        ("Communauté d'agglomération du Grand Dax", 2),
    ]


def test_departements_count_awards_once_each(real_awards):
    stats = compute_stats(real_awards)
    assert list(stats.by_department.items())[:3] == [("75", 5), ("92", 4), ("40", 3)]
    assert stats.by_department["49"] == 1  # Angers' joint dossier, two bodies in 49
    assert sum(stats.by_department.values()) == 38 - 1  # the région's award has no département


def test_places_that_won_nothing_come_after_the_others_with_0(real_awards):
    stats = compute_stats(real_awards, all_regions=["Bretagne", "Occitanie", "Corse"], all_departments=["2A", "09", "01"])
    assert list(stats.by_region.items())[-2:] == [("Bretagne", 0), ("Corse", 0)]
    assert stats.by_region["Occitanie"] == 5 and len(stats.by_region) == 11 + 2
    assert list(stats.by_department.items())[-2:] == [("2A", 0), ("01", 0)]
    assert stats.by_department["09"] == 1


def test_stats_follow_filters(real_awards):
    occitanie = filter_awards(real_awards, build_filters(real_awards, regions=["occitanie"]))
    stats = compute_stats(occitanie)
    assert stats.awards == 5  # Albi twice, Onet-le-Château, Saverdun, Le Grand Narbonne
    assert stats.by_region == {"Occitanie": 5}
    assert stats.by_kind == {"commune": 3, "epci": 1, "departement": 0, "region": 0}


def test_an_arrondissement_counts_as_its_commune(make_award):
    awards = [
        make_award(id="a", laureate="Mairie du 9e", laureates=[body("Paris 9e arrondissement", "arrondissement")]),
        make_award(
            id="b", laureate="Mairie du 1er", laureates=[body("Lyon 1er arrondissement", "arrondissement", "69")]
        ),
        make_award(id="c", laureate="Lyon", laureates=[body("Lyon", department="69")]),
    ]
    stats = compute_stats(awards)
    assert stats.bodies == 2
    assert stats.by_kind == {"commune": 2, "epci": 0, "departement": 0, "region": 0}
    assert stats.repeat_laureates == [("Lyon", 2)]


def test_an_arrondissement_without_its_commune_in_the_name_stays_one(make_award):
    stats = compute_stats([make_award(laureates=[body("Mairie centrale", "arrondissement")])])
    assert stats.by_kind["arrondissement"] == 1
    assert stats.bodies == 1


def test_joint_dossier_counts_each_body_and_region_once(make_award):
    award = make_award(
        laureates=[
            body("Angers", department="49", region="Pays de la Loire"),
            body("Angers Loire Métropole", "epci", "49", "Pays de la Loire"),
        ]
    )
    stats = compute_stats([award])
    assert stats.bodies == 2
    assert stats.by_region == {"Pays de la Loire": 1}
    assert stats.repeat_laureates == []


def test_same_name_in_two_departements_is_two_bodies(make_award):
    awards = [
        make_award(id="a", laureates=[body("Saint-Denis", department="93")]),
        make_award(id="b", laureates=[body("Saint-Denis", department="974", region="La Réunion")]),
    ]
    assert compute_stats(awards).bodies == 2


def test_no_awards_gives_zeros():
    stats = compute_stats([])
    assert stats.awards == 0 and stats.bodies == 0
    assert stats.by_level == {"or": 0, "argent": 0, "bronze": 0}
    assert stats.by_category == {} and stats.repeat_laureates == []


def test_document_is_plain_json_with_english_keys(real_awards):
    document = json.loads(json.dumps(compute_stats(real_awards).to_document(), ensure_ascii=False))
    assert list(document) == [
        "awards", "by_level", "by_category", "bodies", "by_kind", "awards_by_kind", "by_region", "by_department",
        "repeat_laureates",
    ]
    assert document["by_level"] == {"or": 22, "argent": 6, "bronze": 10}
    assert document["repeat_laureates"][0] == {"name": "Paris", "awards": 5}


# --------------------------------------------------------------------------- counts by any field


def test_awards_by_kind_count_a_joint_dossier_under_each_kind(real_awards):
    stats = compute_stats(real_awards)
    assert stats.awards_by_kind == {"commune": 29, "epci": 6, "departement": 3, "region": 1}
    assert sum(stats.awards_by_kind.values()) == 39  # 38 awards; Angers' dossier is a commune's and an EPCI's


def test_count_by_department_lists_the_most_awarded_first(real_awards):
    counts = count_by(real_awards, ["department"])
    assert counts.keys[0][:3] == ("75", "92", "40") and counts.keys[0][-1] == ""  # the Région's award: no département
    assert counts.counts[("92",)] == 4 and counts.counts[("",)] == 1
    table = counts_table(counts, "fr")
    assert table.head == ("Département", "Prix") and table.rows[-1] == ("(aucun)", 1)
    assert table.rows[0] == ("75 Paris", 5)  # the code users type, the name they read


def test_cross_table_rows_total_and_a_column_per_level(real_awards):
    table = counts_table(count_by(real_awards, ["region", "level"]), "fr")
    assert table.title == "Par région × niveau"
    assert table.head == ("Région", "Total", "Or", "Argent", "Bronze")
    assert table.rows[0] == ("Île-de-France", 14, 6, 1, 7)
    assert ("Occitanie", 5, 5, 0, 0) in table.rows
    assert sum(row[1] for row in table.rows) == 38
    assert all(row[1] == sum(row[2:]) for row in table.rows)  # one level per award


def test_cross_table_of_a_multi_valued_field_counts_the_award_in_each_row(real_awards):
    table = counts_table(count_by(real_awards, ["kind", "level"], known_keys={}), "en")
    assert table.head == ("Kind of body", "Total", "Gold", "Silver", "Bronze")
    assert [row[0] for row in table.rows] == ["Municipality", "Intermunicipality (EPCI)", "Département", "Region"]
    assert table.rows[0][1] == 29 and sum(row[1] for row in table.rows) == 39


def test_three_fields_give_one_row_per_combination_with_awards(real_awards):
    table = counts_table(count_by(real_awards, ["level", "kind", "year"]), "fr")
    assert table.head == ("Niveau", "Type de collectivité", "Année", "Prix")
    assert table.rows[0] == ("Or", "Commune", "2017", 14)
    assert sum(row[-1] for row in table.rows) == 39 and all(row[-1] > 0 for row in table.rows)


def test_known_keys_give_zero_rows_for_places_that_won_nothing(real_awards):
    """The hook issue 10 (official geography) plugs the reference lists into."""
    counts = count_by(real_awards, ["region"], known_keys={"region": ["Bretagne", "Corse", "Occitanie"]})
    rows = dict(counts_table(counts, "fr").rows)
    assert rows["Bretagne"] == 0 and rows["Corse"] == 0 and rows["Occitanie"] == 5
    assert list(rows)[-2:] == ["Bretagne", "Corse"]  # the zeros come last, in the order given
    nothing = count_by([], ["level"])
    assert counts_table(nothing, "fr").rows == (("Or", 0), ("Argent", 0), ("Bronze", 0))


def test_counts_document_uses_codes_and_lists_zeros(real_awards):
    document = counts_document(count_by(real_awards, ["region", "level"]))
    assert {"region": "Occitanie", "level": "argent", "awards": 0} in document
    assert {"region": "Île-de-France", "level": "or", "awards": 6} == document[0]
    assert counts_document(count_by(real_awards, ["sponsor"]))[-1] == {"sponsor": "", "awards": 4}


def test_parse_by(english_messages):
    assert parse_by(["Region", "level", "region"]) == ("region", "level")
    with pytest.raises(UsageError, match='cannot count by "price"; choose among: level, category, kind'):
        parse_by(["price"])
