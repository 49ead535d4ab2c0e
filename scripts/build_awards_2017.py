"""Build data/awards.json from the Prix TERRITORIA 2017 press kit.

Usage (from the repository root):

    python scripts/build_awards_2017.py [KIT] [OUT]

KIT defaults to ../shared/sources/dossier-de-presse-territoria-2017.txt and
OUT to data/awards.json.

What is hand-curated here (checked award by award against the kit) and what
is read from the kit:

* AWARDS below holds, in palmarès order, what the palmarès list says (level,
  category, title) plus the curated fields (id, display name, legal bodies,
  budget sentence(s)) and the two lines that open the award's summary in the
  "Résumé des dossiers des lauréats" part (name line, summary heading).
* The summaries themselves are sliced out of the kit: from the line after the
  summary heading to the next award or section heading.  The fixes applied
  to them are the ones listed in docs/data.md ("Corrections made to the
  source"); each one asserts that the flaw it fixes is really there, so the
  script fails loudly if the kit changes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the checkout's geography, built by scripts/build_geography.py

from territoria_cli import geography  # noqa: E402

DEFAULT_KIT = ROOT.parent / "shared" / "sources" / "dossier-de-presse-territoria-2017.txt"
DEFAULT_OUT = ROOT / "data" / "awards.json"

# --------------------------------------------------------------------------
# Legal bodies (one dict per body, reused so that a body has one name).
# --------------------------------------------------------------------------
IDF = "Île-de-France"
OCC = "Occitanie"
NAQ = "Nouvelle-Aquitaine"
PACA = "Provence-Alpes-Côte d'Azur"
HDF = "Hauts-de-France"
BFC = "Bourgogne-Franche-Comté"
PDL = "Pays de la Loire"


def body(name, kind, department, region, code):
    """A body as the kit names it, with its official code (INSEE, or SIREN for an EPCI).

    Its population is added by link_to_reference(), which also checks name,
    code, département and région against the official geography.
    """
    return {"name": name, "kind": kind, "department": department, "region": region, "code": code}


B = {
    "albi": body("Albi", "commune", "81", OCC, "81004"),
    "issy": body("Issy-les-Moulineaux", "commune", "92", IDF, "92040"),
    "bordeaux": body("Bordeaux", "commune", "33", NAQ, "33063"),
    "dunkerque": body("Dunkerque", "commune", "59", HDF, "59183"),
    "garges": body("Garges-lès-Gonesse", "commune", "95", IDF, "95268"),
    "clichy": body("Clichy", "commune", "92", IDF, "92024"),
    "meudon": body("Meudon", "commune", "92", IDF, "92048"),
    "cabourg": body("Cabourg", "commune", "14", "Normandie", "14117"),
    "loiret": body("Département du Loiret", "departement", "45", "Centre-Val de Loire", "45"),
    "paris9": body("Paris 9e arrondissement", "arrondissement", "75", IDF, "75109"),
    "am": body("Département des Alpes-Maritimes", "departement", "06", PACA, "06"),
    "puteaux": body("Puteaux", "commune", "92", IDF, "92062"),
    "onet": body("Onet-le-Château", "commune", "12", OCC, "12176"),
    "cluny": body("Cluny", "commune", "71", BFC, "71137"),
    "angers": body("Angers", "commune", "49", PDL, "49007"),
    "alm": body("Angers Loire Métropole", "epci", "49", PDL, "244900015"),
    "narbonne": body("Communauté d'agglomération Le Grand Narbonne", "epci", "11", OCC, "241100593"),
    "hdf": body("Région Hauts-de-France", "region", None, HDF, "32"),
    "dax": body("Dax", "commune", "40", NAQ, "40088"),
    "saverdun": body("Saverdun", "commune", "09", OCC, "09282"),
    "marseille": body("Marseille", "commune", "13", PACA, "13055"),
    "lamentin": body("Lamentin", "commune", "971", "Guadeloupe", "97115"),
    "colle": body("La Colle-sur-Loup", "commune", "06", PACA, "06044"),
    "mayenne": body("Département de la Mayenne", "departement", "53", PDL, "53"),
    "belfort": body("Belfort", "commune", "90", BFC, "90010"),
    "granddax": body("Communauté d'agglomération du Grand Dax", "epci", "40", NAQ, "244000675"),
    "paris": body("Paris", "commune", "75", IDF, "75056"),
    "bm": body("Bordeaux Métropole", "epci", "33", NAQ, "243300316"),
    "rosny": body("Rosny-sous-Bois", "commune", "93", IDF, "93064"),
    "sudmartinique": body(
        "Communauté d'agglomération de l'Espace Sud Martinique", "epci", "972", "Martinique", "249720053"),
    "allauch": body("Allauch", "commune", "13", PACA, "13002"),
    "elancourt": body("Élancourt", "commune", "78", IDF, "78208"),
}

#: Bodies whose official name in the reference differs from the kit's by more
#: than the words naming their kind ("Département du", "CA", "Communauté
#: urbaine"...), each explained in docs/data.md, "Geography".
REFERENCE_NAMES = {
    "Communauté d'agglomération de l'Espace Sud Martinique": "CA de l'Espace Sud de la Martinique",
}


def link_to_reference(b: dict) -> None:
    """Check a body against the official geography and add its population.

    The reference must find exactly one body of that kind, name and
    département, with the code written above, and the body's région must be
    the département's (or, for a région, its own name).
    """
    name = REFERENCE_NAMES.get(b["name"], b["name"])
    found = geography.link(b["kind"], name, b["department"])
    assert found is not None and found.code == b["code"], (b["name"], found)
    if b["kind"] == "region":
        assert geography.find_region(b["region"]).name == b["region"] == found.name, b
    else:
        assert geography.region_of(b["department"]).name == b["region"], b
    b["population"] = found.population


# --------------------------------------------------------------------------
# Categories (palmarès order), with their sponsor and the name of the
# section that holds their summaries in the "Résumé" part of the kit.
# --------------------------------------------------------------------------
CATEGORIES = {
    # category: (sponsor, raw "parrainé par" text in the kit, résumé section)
    "Aménagement / Urbanisme": ("Fimbacte", "Fimbacte", "Aménagement de l'Espace Public / Urbanisme"),
    "Civisme / Citoyenneté": ("Editions Sorman", "les Editions Sorman", "Civisme / Citoyenneté"),
    "Communication": ("Groupe BEDC", "le Groupe BEDC", "Communication"),
    "Culture / Patrimoine": ("Gras Savoye", "Gras Savoye", "Culture"),
    "Gouvernance": ("AMF", "l'AMF", "Gouvernance"),
    "Innovation managériale": ("Innov'acteurs", "Innov'acteurs", "Innovation managériale"),
    "Lien social": ("La Poste", "La Poste", "Lien social"),
    "Pilotage / Evaluation": ("KPMG", "KPMG", "Pilotage / Evaluation"),
    "Prévention": ("SMACL", "SMACL", "Prévention"),
    "Qualité de vie": ("Sodexo", "Sodexo", "Qualité de vie"),
    "Ressources humaines": ("Editions WEKA", "Editions WEKA", "Ressources Humaines"),
    "Revitalisation commerciale": ("FDJ", "la F D J", "Revitalisation commerciale"),
    "Services aux personnes": ("FESP", "LA FESP", "Services aux personnes"),
    "Territoires innovants": (
        "Bouygues Energies et Services",
        "Bouygues Energies et Services",
        "Territoires innovants",
    ),
    "Transition énergétique": ("Engie", "Engie", "Transition énergétique"),
    "Transition numérique": ("Orange", "Orange", "Transition numérique"),
    "TERRITORIA / Ecomaires": (None, None, "Ecomaires (Actions en faveur de l'environnement)"),
    "TERRITORIA / UNICEF": (None, None, "UNICEF (actions en faveur des enfants et des adolescents)"),
}
# The palmarès list writes this one "Civisme / citoyenneté" (see docs/data.md).
PALMARES_CATEGORY_SPELLING = {"Civisme / Citoyenneté": "Civisme / citoyenneté"}

# --------------------------------------------------------------------------
# The 38 awards, in palmarès order.
#   name_line / heading: how the summary opens in the Résumé part, raw
#   (either "name" then "heading" on the next non-blank line, or
#   "name **heading**" on one line).
#   budget: verbatim sentence(s) of the summary stating the cost, or None.
# --------------------------------------------------------------------------
A = []


def award(id_, level, category, laureate, bodies, title, name_line, heading, budget, excellence=False):
    A.append(
        dict(
            id=id_,
            level=level,
            category=category,
            laureate=laureate,
            bodies=[B[b] for b in bodies],
            title=title,
            name_line=name_line,
            heading=heading,
            budget=budget,
            excellence=excellence,
        )
    )


PARIS9 = "Mairie du 9e arrondissement de Paris"
GRAND_DAX = "Communauté d'agglomération du Grand Dax"

award("2017-albi-agriculture-et-alimentation-de-proximite", "or", "Aménagement / Urbanisme",
      "Albi", ["albi"], "Démarche pour une agriculture et une alimentation de proximité",
      "Albi", "Démarche pour une agriculture et une alimentation de proximité", None)
award("2017-issy-les-moulineaux-reconversion-du-domaine-de-la-reine-margot", "bronze",
      "Aménagement / Urbanisme", "Issy-les-Moulineaux", ["issy"],
      "La reconversion du Domaine de la Reine Margot",
      "Issy-les-Moulineaux", "La reconversion du Domaine de la Reine Margot",
      "Pour la ville c'est une plus-value en termes d'équipements, d'emplois, d'attractivité, "
      "sans participation financière grâce au montage juridique et financier : bail à "
      "construction, SEM d'aménagement de l'Agglo et loyers versés par le groupe hôtelier.")
award("2017-bordeaux-solidurable", "or", "Civisme / Citoyenneté", "Bordeaux", ["bordeaux"],
      "Solidurable, éducation au développement solidaire et durable",
      "Bordeaux", "La semaine SOLIDURABLE, éducation au développement solidaire et durable",
      "Ces actions concrètes et éducatives, à coût nul, seront reconduites.")
award("2017-dunkerque-global-schools", "argent", "Civisme / Citoyenneté", "Dunkerque", ["dunkerque"],
      "Global schools, des classes ouvertes sur le monde",
      "Dunkerque", "Global Schools, des classes ouvertes sur le monde",
      "Budget d'actions : 48 000 euros sur trois ans, pris en charge en totalité par l'Union Européenne.")
award("2017-garges-les-gonesse-garges-le-jt", "or", "Communication", "Garges-lès-Gonesse", ["garges"],
      "Garges Le JT, pour être au plus près de l'information municipale",
      "Garges Les Gonesse", "Garges, LE JT, pour être au plus près de l'information municipale",
      "Seul le montage avant diffusion en ligne, est externalisé : 700 euros par N°.")
award("2017-clichy-sapin-anime", "argent", "Communication", "Clichy", ["clichy"],
      "Le sapin animé fait vivre l'esprit de Noël dans tous les quartiers",
      "Clichy", "Le sapin animé fait vivre l'esprit de Noël dans tous les quartiers",
      "Budget : 12000 €.")
award("2017-meudon-competition-de-robotique", "or", "Culture / Patrimoine", "Meudon", ["meudon"],
      "Par la compétition de robotique les jeunes découvrent la culture scientifique",
      "Meudon", "La compétition de robotique fait découvrir aux jeunes la culture scientifique",
      "Budget pour la collectivité : 13 000 euros.")
award("2017-cabourg-mecenat-pour-cofinancer-un-musee", "bronze", "Culture / Patrimoine", "Cabourg",
      ["cabourg"], "Le mécénat pour cofinancer un projet communal de musée",
      "Cabourg", "Le mécénat pour cofinancer un projet communal de musée",
      "Budget : 3 millions, dont département 1 million, région 1 million, commune 800 000 et "
      "mécénat espéré 200 000.")
award("2017-loiret-cartographie-des-projets-du-mandat", "or", "Gouvernance", "Département du Loiret",
      ["loiret"], "La cartographie des projets du mandat 2015-2021",
      "Département du Loiret", "La cartographie des projets du mandat 2015-2021", None)
award("2017-paris-9e-associer-les-habitants", "bronze", "Gouvernance", PARIS9, ["paris9"],
      "Associer les habitants à la sélection des projets architecturaux",
      "Mairie du 9^e arrondissement", "Associer les habitants à la sélection des projets architecturaux",
      "Aucun budget nécessaire.")
award("2017-alpes-maritimes-changer-le-management", "or", "Innovation managériale",
      "Département des Alpes-Maritimes", ["am"],
      "Changer le management plutôt que manager le changement",
      "Alpes-Maritimes", "Changer le management plutôt que manager le changement !", None)
award("2017-puteaux-conge-solidaire", "bronze", "Innovation managériale", "Puteaux", ["puteaux"],
      "Le congé solidaire®, pour que les agents fassent don de leurs compétences",
      "Puteaux", "Le Congé Solidaire® : une mission humanitaire pour faire don de ses compétences",
      "Budget : pour les 2 missions de 2016 au Bénin, 5 205 €")
award("2017-onet-le-chateau-bien-vieillir-ensemble", "or", "Lien social", "Onet-le-Château", ["onet"],
      "Bien vieillir ensemble grâce au numérique",
      "Onet le Chateau", "Bien vieillir ensemble grâce au numérique",
      "Budget : 4 836 € pour le pack animation (tablettes comprises), la formation et le suivi.")
award("2017-cluny-petits-dej-de-l-entrepreneuriat", "argent", "Lien social", "Cluny", ["cluny"],
      "Les Petits déj' de l'entrepreneuriat",
      "Cluny", "Les Petits déj' de l'Entrepreneuriat",
      "Budget : les petits déjeuners, des invitations dématérialisées et le temps de travail des "
      "agents (service communication 3h et service réception et entretien 2h).")
award("2017-garges-les-gonesse-garges-en-paix", "bronze", "Lien social", "Garges-lès-Gonesse", ["garges"],
      "Garges en Paix, les rencontres interconvictionnelles",
      "Garges Lès Gonesse", "Garges en paix, les rencontres interconvictionnelles", None)
award("2017-angers-modele-predictif-et-aide-a-la-decision", "or", "Pilotage / Evaluation",
      "Angers et Communauté urbaine Angers Loire Métropole", ["angers", "alm"],
      "Modèle prédictif et aide à la décision pour le FPS",
      "Angers et Communauté urbaine Angers Loire Métropole",
      "Dépénalisation du stationnement payant : modèle prédictif et aide à la décision",
      "Développé en interne, A coûts constants", excellence=True)
award("2017-grand-narbonne-siad", "or", "Pilotage / Evaluation",
      "Communauté d'agglomération Le Grand Narbonne", ["narbonne"],
      "Un SIAD articulant dialogue de gestion et dialogue budgétaire",
      "Communauté d'Agglomération le Grand Narbonne",
      "Un SIAD articulant dialogue de gestion et dialogue budgétaire",
      "Aucun coût si ce n'est du temps passé à l'élaboration du Tableau.")
award("2017-hauts-de-france-sages", "or", "Prévention", "Région Hauts-de-France", ["hdf"],
      "SAGES, le système d'appui à la gestion d'évènements et de sureté",
      "Région Hauts-de-France", "Système d'Appui à la Gestion d'Événements et de Sûreté (SAGES)",
      "Coût hors salaires inférieur à 10 000 €.")
award("2017-dax-satellite-et-interferometrie-radar", "or", "Prévention", "Dax", ["dax"],
      "Le satellite et l'interférométrie radar au service de la gestion patrimoniale",
      "Dax", "Le satellite et l'interférométrie radar au service de la gestion patrimoniale",
      "Budget de 2009 à 2017 : 250 404 €, dont ville de Dax : 200 802 €.")
award("2017-saverdun-recup-velos-en-liberte", "or", "Qualité de vie", "Saverdun", ["saverdun"],
      "Récup'velos en liberté",
      "Saverdun", "Récup'vélos en liberté",
      "Charges de personnel : 19 000 € (1 agent technique à mi-temps) "
      "Coût de réparation d'un vélo : entre 15 et 30 € par vélo selon état.")
award("2017-paris-9e-creche-de-secours-et-appli-bebes", "or", "Qualité de vie", PARIS9, ["paris9"],
      "La crèche de secours et l'appli bébés du NEUF",
      "Mairie du 9^e arrondissement", "La crèche de secours et l'Appli Bébés du NEUF",
      "Pour 1000 utilisateurs sur 10 crèches, la location de ce service à Kidizz est de 15.000 € par an.")
award("2017-marseille-pieges-a-moustique", "bronze", "Qualité de vie", "Marseille", ["marseille"],
      "Test de pièges à moustique aux abords des crèches municipales",
      "Marseille", "Test de pièges à moustiques adultes aux abords d'une crèche municipale",
      "Le budget investi par la collectivité est de 20 000 € pour 3 ans.")
award("2017-garges-les-gonesse-echange-ton-poste", "or", "Ressources humaines", "Garges-lès-Gonesse",
      ["garges"], "Echange ton poste",
      "Garges-lès-Gonesse", "Echange ton poste",
      "Aucun moyen financier ou technique, hors le temps de travail des agents concernés")
award("2017-lamentin-management-bienveillant-et-durable", "argent", "Ressources humaines", "Lamentin",
      ["lamentin"], "Management bienveillant et durable, la co-construction du bonheur au travail",
      "Le Lamentin (Guadeloupe)",
      "Management bienveillant et durable : la co-construction du bonheur au travail",
      "Budget : 25 000 euros.")
award("2017-albi-s-engage-avec-ses-commercants", "or", "Revitalisation commerciale", "Albi", ["albi"],
      "Albi s'engage avec ses commerçants pour dynamiser le commerce albigeois",
      "Albi", "Albi s'engage avec ses commerçants pour dynamiser le commerce albigeois",
      "Le budget affecté directement au commerce est de 305 000 € pour 2017 et une coordinatrice "
      "du commerce renforce depuis 2017 le service Tourisme, Commerce et Marchés (7 agents).")
award("2017-la-colle-sur-loup-marque-cote-d-azur-france", "bronze", "Revitalisation commerciale",
      "La Colle-sur-Loup", ["colle"],
      "Déploiement de la marque territoriale « Côte d'Azur France »",
      "La Colle-sur-Loup", "Déploiement de la marque territoriale « Côte d'Azur France »",
      "Budget total : 5 000 € (frais 2017 : impressions, déplacements...)")
award("2017-mayenne-un-medecin-traitant-pour-tous", "or", "Services aux personnes",
      "Département de la Mayenne", ["mayenne"],
      "Un médecin traitant pour tous, le service médical de proximité",
      "Conseil départemental de la Mayenne", "Un médecin traitant pour tous : le Service Médical de Proximité.",
      None)
award("2017-belfort-bancs-et-amenagements", "argent", "Services aux personnes", "Belfort", ["belfort"],
      "Bancs et aménagements pour personnes âgées et PMR",
      "Belfort", "Bancs pour personnes âgées et personnes à mobilité réduite (PMR)",
      "Depuis 2015, 25 mobiliers ont été installés, 13 000 € sont investis chaque année pour ce "
      "programme ; reconduit sur la période 2018-2020.")
award("2017-grand-dax-audit-du-patrimoine", "or", "Territoires innovants", GRAND_DAX, ["granddax"],
      "Partenariat pour l'audit du patrimoine et les programmes d'entretien",
      "Communauté d'Agglomération du Grand Dax",
      "Partenariat pour l'audit du patrimoine, support du programme d'investissement",
      "Budget : Proxivigie coût annuel de 14 040 € TTC. Géoptis coût unique de 29 856 € TTC.")
award("2017-paris-puits-de-carbone-urbain", "bronze", "Territoires innovants", "Paris", ["paris"],
      "Le puits de carbone urbain, air purifié et énergie",
      "Paris", "Le puits de carbone urbain : air purifié et énergie verte", None)
award("2017-bordeaux-metropole-academie-climat-energie", "or", "Transition énergétique",
      "Bordeaux Métropole", ["bm"], "Académie climat énergie",
      "Bordeaux Métropole", "Académie climat énergie",
      "Budget depuis 2012 : 333 K€, dont 60 K€ de fonctionnement annuel (R/I estimé à 4 ans).")
award("2017-rosny-sous-bois-eco-groupe-scolaire-des-boutours", "or", "Transition énergétique",
      "Rosny-sous-Bois", ["rosny"], "L'éco groupe scolaire des Boutours",
      "Rosny sous Bois", "L'éco-groupe scolaire des Boutours",
      "Budget : 7,1 millions € HT dont 512 000 € de subventions")
award("2017-grand-dax-gip-outil-agile", "or", "Transition numérique", GRAND_DAX, ["granddax"],
      "Le GIP outil agile de la transition numérique du territoire",
      "Grand Dax Agglomération",
      "Le GIP, outil agile de la transition numérique de l'agglomération du Grand Dax",
      "Un capital social de 100 000 €, une équipe de 4 personnes, un budget de 300 000 € de "
      "fonctionnement annuel. Les coûts d'exploitation du réseau sont pris en charge "
      "intégralement par la société délégataire Grand Dax Très Haut Débit qui assure, par "
      "ailleurs, sa commercialisation.")
award("2017-espace-sud-martinique-plus-relais-de-services-publics", "argent", "Transition numérique",
      "Communauté d'agglomération de l'Espace Sud Martinique", ["sudmartinique"],
      "PLUS le relais de services publics pour les usagers du Sud",
      "Communauté d'Agglomération de l'Espace Sud Martinique",
      "PLUS, le « Relais Services Publics » Pour Les Usagers du Sud",
      "Budget : 733 K € dont investissement 326 K€ (part EPCI 26.7%) et fonctionnement 407 K€ "
      "(part EPCI 10%). Cofinancement du CGET à hauteur de 75% des dépenses.")
award("2017-allauch-journees-de-reboisement", "or", "TERRITORIA / Ecomaires", "Allauch", ["allauch"],
      "Les journées de reboisement",
      "Allauch", "Les Journées de reboisement",
      "Budget total annuel : 560 K€ par an.")
award("2017-paris-chaudiere-numerique-de-la-piscine", "bronze", "TERRITORIA / Ecomaires", "Paris",
      ["paris"], "La « chaudière numérique » de la piscine de la Butte aux cailles",
      "Paris", "La « chaudière numérique » de la piscine de la Butte aux Cailles",
      "Paris a financé à hauteur de 200 K€ les travaux préparatoires. Le coût d'installation, "
      "d'exploitation et de maintenance est porté par Stimergy qui revend d'une part ses "
      "capacités informatiques à des clients tiers et d'autre part, l'énergie de récupération à "
      "la ville de Paris, au tarif de l'énergie principale de chauffage de la piscine (le réseau "
      "de chaleur urbain CPCU).")
award("2017-paris-pmi-hors-les-murs", "or", "TERRITORIA / UNICEF", "Paris", ["paris"],
      "La PMI hors les murs à la rencontre des femmes et familles à la rue",
      "Paris", "La PMI hors les murs à la rencontre des femmes et familles à la rue", None)
award("2017-elancourt-management-bienveillant", "bronze", "TERRITORIA / UNICEF", "Élancourt",
      ["elancourt"], "Management bienveillant pour optimiser l'accueil du jeune enfant",
      "Elancourt", "« Management bienveillant » pour l'accueil du jeune enfant",
      "Budget : 1 poste temps plein financé en partie dans le cadre du Contrat Enfance.")

# --------------------------------------------------------------------------
# Text clean-up
# --------------------------------------------------------------------------


def clean_markup(text: str) -> str:
    """Render the Markdown left by the conversion as plain text."""
    text = re.sub(r"\^\{([^}]*)\}", r"\1", text)  # 1^{er} -> 1er, 5^{ème} -> 5ème
    text = re.sub(r"\^(\w+)", r"\1", text)  # 9^e -> 9e
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)  # **bold**
    # *italics*; a lone star after a digit ("hôtel 5*") is a star rating, kept.
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", text)
    return text


def paragraphs_of(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs.  The kit has no wrapped lines, so a
    lone line break inside a block is also read as a paragraph break (one
    case in the summaries: Paris 9e, before "Aucun budget nécessaire.")."""
    return [line.strip() for line in lines if line.strip()]


def parse_palmares(text: str) -> list[tuple[str, str, str]]:
    """(category as written, level, title) for each line of the palmarès list."""
    rows, category = [], None
    for line in text.split("\n")[1:]:
        m = re.match(r"(OR|Or|ARGENT|Bronze) : \*\*[^*]+\*\*(?: \([^)]*\))?, (.+)$", line)
        if m:
            rows.append((category, m.group(1).lower(), m.group(2)))
        elif line.strip():
            category = line.split(", parrainé par ")[0]
    return rows


def main(kit_path: Path, out_path: Path) -> None:
    for b in B.values():
        link_to_reference(b)
    lines = kit_path.read_text(encoding="utf-8").split("\n")
    start = lines.index("Résumé des dossiers des lauréats")
    palmares_start = lines.index("Palmarès du Prix TERRITORIA 2017")
    palmares = "\n".join(lines[palmares_start:start])

    # Locate the section headings of the Résumé part.
    section_at = {}
    for cat, (_, _, section) in CATEGORIES.items():
        idx = [i for i in range(start, len(lines)) if lines[i] == section]
        assert len(idx) == 1, (section, idx)
        section_at[idx[0]] = cat

    # Locate each award's summary heading: (first line, index of the first
    # body line).
    located = []
    for a in A:
        hits = []
        for i in range(start, len(lines)):
            if lines[i] == f"{a['name_line']} **{a['heading']}**":
                hits.append((i, i + 1))
            elif lines[i] == a["name_line"]:
                j = i + 1
                while not lines[j].strip():
                    j += 1
                if lines[j] == a["heading"]:
                    hits.append((i, j + 1))
        assert len(hits) == 1, (a["id"], hits)
        located.append(hits[0])

    # The hand-written table follows the palmarès list line by line.
    expected = [
        (PALMARES_CATEGORY_SPELLING.get(a["category"], a["category"]), a["level"], a["title"])
        for a in A
    ]
    assert parse_palmares(palmares) == expected, "AWARDS table differs from the palmarès list"

    boundaries = sorted(set(section_at) | {h for h, _ in located} | {len(lines)})
    docs = {}
    for n, (a, (head, body_start)) in enumerate(zip(A, located, strict=True), start=1):
        # the award sits in the résumé section of its category
        sec = max(i for i in section_at if i < head)
        assert section_at[sec] == a["category"], (a["id"], section_at[sec])
        end = min(b for b in boundaries if b > head)
        paras = [clean_markup(p) for p in paragraphs_of(lines[body_start:end])]
        paras = apply_fixes(a["id"], paras)
        summary = "\n\n".join(paras)

        sponsor, raw_sponsor, _ = CATEGORIES[a["category"]]
        pal_cat = PALMARES_CATEGORY_SPELLING.get(a["category"], a["category"])
        if raw_sponsor:
            assert f"{pal_cat}, parrainé par {raw_sponsor}\n" in palmares, a["category"]
        else:
            assert f"\n{pal_cat}\n" in palmares, a["category"]
        if a["budget"] is not None:
            assert a["budget"] in summary.replace("\n\n", " "), a["id"]

        docs[str(n)] = {
            "id": a["id"],
            "year": 2017,
            "level": a["level"],
            "category": a["category"],
            "sponsor": sponsor,
            "laureate": a["laureate"],
            "laureates": [dict(b) for b in a["bodies"]],
            "title": a["title"],
            "summary_title": clean_markup(a["heading"]),
            "summary": summary,
            "excellence": a["excellence"],
            "budget": a["budget"],
        }

    ids = [d["id"] for d in docs.values()]
    assert len(ids) == len(set(ids)) == 38
    out_path.write_text(
        json.dumps({"awards": docs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(docs)} awards to {out_path}")


PARIS9_APP_TAIL = (
    "des photos, rédiger des articles, permettre à l'ensemble du personnel de la structure de "
    "voir leurs activités valorisées, etc. 90% des parents ont téléchargé l'appli dont l'accès "
    "est gratuit. Pour 1000 utilisateurs sur 10 crèches, la location de ce service à Kidizz est "
    "de 15.000 € par an."
)


def apply_fixes(award_id: str, paras: list[str]) -> list[str]:
    """The corrections listed in docs/data.md, each checked before applied."""
    if award_id == "2017-marseille-pieges-a-moustique":
        # Fix 1: stray copy of the end of the Paris 9e crèche paragraph.
        assert paras[-1] == PARIS9_APP_TAIL, paras[-1]
        paras = paras[:-1]
    if award_id == "2017-allauch-journees-de-reboisement":
        # Fix 2: one paragraph cut in two by a blank line.
        i = next(k for k, p in enumerate(paras) if p.endswith("le pique-nique est offert ainsi que des"))
        assert paras[i + 1].startswith("animations : initiation"), paras[i + 1]
        paras[i : i + 2] = [paras[i] + " " + paras[i + 1]]
    return paras


if __name__ == "__main__":
    kit = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_KIT
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT
    main(kit, out)
