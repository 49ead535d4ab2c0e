"""data/awards.json against the facts of the Prix TERRITORIA 2017 press kit."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from territoria_cli import geography

AWARDS_PATH = Path(__file__).resolve().parents[1] / "data" / "awards.json"
KIT_PATH = Path(__file__).resolve().parents[2] / "shared" / "sources" / "dossier-de-presse-territoria-2017.txt"

FIELDS = {
    "id": str,
    "year": int,
    "level": str,
    "category": str,
    "sponsor": (str, type(None)),
    "laureate": str,
    "laureates": list,
    "title": str,
    "summary_title": str,
    "summary": str,
    "excellence": bool,
    "budget": (str, type(None)),
}

# The palmarès list: 18 categories and their sponsors ("parrainé par ...").
SPONSORS = {
    "Aménagement / Urbanisme": "Fimbacte",
    "Civisme / Citoyenneté": "Editions Sorman",
    "Communication": "Groupe BEDC",
    "Culture / Patrimoine": "Gras Savoye",
    "Gouvernance": "AMF",
    "Innovation managériale": "Innov'acteurs",
    "Lien social": "La Poste",
    "Pilotage / Evaluation": "KPMG",
    "Prévention": "SMACL",
    "Qualité de vie": "Sodexo",
    "Ressources humaines": "Editions WEKA",
    "Revitalisation commerciale": "FDJ",
    "Services aux personnes": "FESP",
    "Territoires innovants": "Bouygues Energies et Services",
    "Transition énergétique": "Engie",
    "Transition numérique": "Orange",
    "TERRITORIA / Ecomaires": None,
    "TERRITORIA / UNICEF": None,
}


@pytest.fixture(scope="module")
def awards() -> list[dict]:
    data = json.loads(AWARDS_PATH.read_text(encoding="utf-8"))
    assert list(data) == ["awards"]
    assert list(data["awards"]) == [str(n) for n in range(1, len(data["awards"]) + 1)]
    return list(data["awards"].values())


@pytest.fixture(scope="module")
def kit() -> str:
    if not KIT_PATH.exists():
        pytest.skip(f"press kit not found: {KIT_PATH}")
    return KIT_PATH.read_text(encoding="utf-8")


def unmark(text: str) -> str:
    """The kit's text with the Markdown marks removed, whitespace collapsed."""
    text = re.sub(r"\^\{([^}]*)\}", r"\1", text)
    text = re.sub(r"\^(\w+)", r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", text)
    return " ".join(text.split())


def paragraphs(award: dict) -> list[str]:
    return award["summary"].split("\n\n")


def commune_of(body: dict) -> tuple[str, str]:
    """A body as counted by the communiqué: an arrondissement is its commune."""
    if body["kind"] == "arrondissement":
        commune = re.fullmatch(r"(.+) \d+(?:e|er) arrondissement", body["name"])
        assert commune, body
        return commune.group(1), "commune"
    return body["name"], body["kind"]


def test_file_is_written_as_the_contract_says():
    raw = AWARDS_PATH.read_text(encoding="utf-8")
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False, indent=2) + "\n"


def test_38_awards_22_or_6_argent_10_bronze(awards):
    assert len(awards) == 38
    assert Counter(a["level"] for a in awards) == {"or": 22, "argent": 6, "bronze": 10}


def test_every_field_present_with_its_type(awards):
    for a in awards:
        assert list(a) == list(FIELDS), a["id"]
        for name, expected in FIELDS.items():
            assert isinstance(a[name], expected), (a["id"], name)
        assert a["year"] == 2017 and not isinstance(a["year"], bool)
        for body in a["laureates"]:
            assert list(body) == ["name", "kind", "department", "region", "code", "population"], a["id"]
            assert body["kind"] in {"commune", "arrondissement", "epci", "departement", "region"}
            assert isinstance(body["name"], str) and isinstance(body["region"], str)
            if body["kind"] == "region":
                assert body["department"] is None
            else:
                assert re.fullmatch(r"\d{2}|2[AB]|97\d", body["department"]), body


def test_ids_unique_and_typable(awards):
    ids = [a["id"] for a in awards]
    assert len(set(ids)) == len(ids)
    for id_ in ids:
        assert re.fullmatch(r"2017-[a-z0-9-]+", id_) and "--" not in id_ and not id_.endswith("-"), id_


def test_18_categories_with_their_sponsor(awards):
    assert {a["category"]: a["sponsor"] for a in awards} == SPONSORS
    for a in awards:
        assert a["sponsor"] == SPONSORS[a["category"]], a["id"]


def test_awards_in_palmares_order(awards):
    categories = list(dict.fromkeys(a["category"] for a in awards))
    assert categories == list(SPONSORS)


def test_31_bodies_1_region_3_departements_5_epci_22_communes(awards):
    bodies = {commune_of(body) for a in awards for body in a["laureates"]}
    assert len(bodies) == 31
    assert Counter(kind for _, kind in bodies) == {"region": 1, "departement": 3, "epci": 5, "commune": 22}


def test_a_body_has_one_description(awards):
    seen: dict[str, dict] = {}
    for a in awards:
        for body in a["laureates"]:
            assert seen.setdefault(body["name"], body) == body, body["name"]


def test_angers_is_the_only_excellence_and_a_joint_dossier(awards):
    excellent = [a for a in awards if a["excellence"]]
    assert len(excellent) == 1
    angers = excellent[0]
    assert angers["level"] == "or" and angers["category"] == "Pilotage / Evaluation"
    assert [(b["name"], b["kind"], b["department"]) for b in angers["laureates"]] == [
        ("Angers", "commune", "49"),
        ("Angers Loire Métropole", "epci", "49"),
    ]


def test_every_body_is_linked_to_the_official_geography(awards):
    """Code, population, département and région agree with the shipped reference (not hard-coded figures)."""
    for a in awards:
        for body in a["laureates"]:
            if body["kind"] == "region":
                region = geography.find_region(body["code"])
                assert (region.name, body["population"]) == (body["region"], region.population), body
                continue
            assert geography.region_of(body["department"]).name == body["region"], body
            if body["kind"] == "departement":
                departement = geography.find_departement(body["code"])
                assert (departement.code, departement.population) == (body["department"], body["population"]), body
            else:
                reference = geography.body_by_code(body["code"])
                assert reference.kind == body["kind"] and body["department"] in reference.departments, body
                assert body["population"] == reference.population, body


@pytest.mark.parametrize(
    ("name", "code", "reference_name"),
    [
        ("Saverdun", "09282", "Saverdun"),
        ("Paris 9e arrondissement", "75109", "Paris 9e Arrondissement"),
        ("Angers Loire Métropole", "244900015", "CU Angers Loire Métropole"),
        # The kit's "Le Lamentin (Guadeloupe)": the Guadeloupe commune, officially "Lamentin" (docs/data.md).
        ("Lamentin", "97115", "Lamentin"),
        ("Communauté d'agglomération de l'Espace Sud Martinique", "249720053", "CA de l'Espace Sud de la Martinique"),
    ],
)
def test_bodies_whose_link_is_documented(awards, name, code, reference_name):
    bodies = {body["name"]: body for a in awards for body in a["laureates"]}
    assert bodies[name]["code"] == code
    assert geography.body_by_code(code).name == reference_name


def test_departements_and_region_carry_the_sum_of_their_communes(awards):
    bodies = {body["name"]: body for a in awards for body in a["laureates"]}
    assert [bodies[name]["code"] for name in ("Département du Loiret", "Département des Alpes-Maritimes",
                                               "Département de la Mayenne", "Région Hauts-de-France")] == ["45", "06", "53", "32"]
    with gzip.open(geography.BODIES_PATH, "rt", encoding="utf-8") as lines:
        communes = [line.split("\t") for line in lines if line.startswith("commune\t")]
    assert bodies["Département du Loiret"]["population"] == sum(int(c[4]) for c in communes if c[3] == "45")
    departements_of_hdf = [d for d in geography.departements() if d.region == "32"]
    assert bodies["Région Hauts-de-France"]["population"] == sum(d.population for d in departements_of_hdf)


def test_paris_9e_is_an_arrondissement_of_paris(awards):
    paris9 = [a for a in awards if a["id"].startswith("2017-paris-9e-")]
    assert len(paris9) == 2
    for a in paris9:
        assert [(b["kind"], b["department"]) for b in a["laureates"]] == [("arrondissement", "75")]


def test_no_markdown_left(awards):
    for a in awards:
        texts = [a["laureate"], a["title"], a["summary_title"], a["summary"], a["budget"] or ""]
        for text in texts:
            for mark in ("**", "^", "_{", "{", "}"):
                assert mark not in text, (a["id"], mark)
            # a lone star is allowed only as a hotel rating ("hôtel 5*")
            assert "*" not in re.sub(r"\d\*", "", text), a["id"]


def test_summary_is_clean_paragraphs(awards):
    for a in awards:
        summary = a["summary"]
        assert summary == summary.strip() and summary, a["id"]
        for paragraph in paragraphs(a):
            assert paragraph and paragraph == paragraph.strip() and "\n" not in paragraph, a["id"]
            assert "  " not in paragraph, a["id"]
            # a paragraph opening in lower case is the tail of a cut paragraph
            assert not paragraph[0].islower(), (a["id"], paragraph[:60])


def test_budget_is_quoted_from_the_summary(awards):
    for a in awards:
        if a["budget"] is not None:
            assert a["budget"] == a["budget"].strip() and a["budget"], a["id"]
            # a budget spread over consecutive paragraphs is joined by one space
            assert a["budget"] in " ".join(paragraphs(a)), a["id"]


def test_every_summary_paragraph_comes_from_the_kit(awards, kit):
    text = unmark(kit)
    for a in awards:
        for paragraph in paragraphs(a):
            assert paragraph in text, (a["id"], paragraph[:60])


def test_no_paragraph_in_two_awards(awards):
    for a in awards:
        for b in awards:
            if a is b:
                continue
            for p in paragraphs(a):
                if len(p) < 40:  # "Budget : 25 000 euros." may legitimately recur
                    continue
                for q in paragraphs(b):
                    assert p not in q, (a["id"], b["id"], p[:60])


def test_titles_and_headings_come_from_the_kit(awards, kit):
    start = kit.index("Palmarès du Prix TERRITORIA 2017")
    palmares = kit[start : kit.index("Allocution de Jacques Mézard")]
    resume = unmark(kit[kit.index("Résumé des dossiers des lauréats") :])
    for a in awards:
        # "OR : **Albi**, <title>" or "ARGENT : **Le Lamentin** (Guadeloupe), <title>"
        assert re.search(r"(\*\*|\)), " + re.escape(a["title"]) + "\n", palmares), a["id"]
        assert a["summary_title"] in resume, a["id"]
