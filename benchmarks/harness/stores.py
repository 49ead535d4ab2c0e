"""Award stores used by the benchmarks: the real one, a fake one, scaled ones.

Every store the benchmark reads is written into a scratch directory, never into
the repository: the CLI is pointed at it through ``TERRITORIA_DB``, so the
benchmark cannot modify ``data/awards.json`` and generated stores (hundreds of
MiB at 100k awards) are never committed.
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
from pathlib import Path
from typing import Any

Award = dict[str, Any]

TABLE = "awards"
"""TinyDB table name used by territoria: ``{"awards": {"1": {...}, ...}}``."""

FIRST_YEAR, LAST_YEAR = 1986, 2017
"""Years of the Prix TERRITORIA palmarès; scaled stores spread over them."""

_SEED = 20_170_000
"""Fixed seed so that every run benchmarks byte-identical scaled stores."""


def load_awards(path: Path) -> list[Award]:
    """Read the award documents of a TinyDB store, in document-id order."""
    table: dict[str, Award] = json.loads(path.read_text(encoding="utf-8"))[TABLE]
    return [table[key] for key in sorted(table, key=int)]


def write_tinydb(path: Path, awards: list[Award]) -> None:
    """Write awards as a TinyDB JSON store with document ids 1..n.

    TinyDB's own ``JSONStorage`` writes compact JSON too, so the file size
    (and thus parse time) matches what the real CLI would produce.
    """
    table = {str(doc_id): award for doc_id, award in enumerate(awards, start=1)}
    with path.open("w", encoding="utf-8") as handle:
        json.dump({TABLE: table}, handle, ensure_ascii=False)


def scale_awards(base: list[Award], count: int) -> list[Award]:
    """Build ``count`` awards by resampling ``base`` with new ids and years.

    Each generated award is a copy of a randomly chosen real award, so text
    lengths, levels and laureate lists keep the real distribution, while ids
    are unique and years are spread over 1986-2017 (so that filters and
    per-year statistics see realistic variety rather than 38 repeated groups).
    """
    rng = random.Random(_SEED)
    scaled: list[Award] = []
    for number in range(1, count + 1):
        award = copy.deepcopy(rng.choice(base))
        award["id"] = number if isinstance(award.get("id"), int) else f"bench-{number}"
        award["year"] = rng.randint(FIRST_YEAR, LAST_YEAR)
        scaled.append(award)
    return scaled


def write_sqlite(sqlite_utils: Path, db_path: Path, awards: list[Award]) -> None:
    """Load awards into SQLite with the sqlite-utils CLI and enable FTS.

    Using sqlite-utils itself (``insert`` then ``enable-fts``) gives the table
    layout and FTS5 index its ``search`` command expects; nested laureate lists
    become JSON text columns, as sqlite-utils does for any nested value.
    """
    json_path = db_path.with_suffix(".json")
    json_path.write_text(json.dumps(awards, ensure_ascii=False), encoding="utf-8")
    db_path.unlink(missing_ok=True)
    run = [str(sqlite_utils)]
    subprocess.run([*run, "insert", str(db_path), TABLE, str(json_path), "--pk", "id"], check=True)
    subprocess.run([*run, "enable-fts", str(db_path), TABLE, "title", "summary"], check=True)
    json_path.unlink()


_COMMUNES = [
    ("Commune de Saint-Affrique", "Aveyron", "Occitanie"),
    ("Ville de Besançon", "Doubs", "Bourgogne-Franche-Comté"),
    ("Conseil départemental des Landes", "Landes", "Nouvelle-Aquitaine"),
    ("Communauté de communes du Pays de Bitche", "Moselle", "Grand Est"),
    ("Ville de Lorient", "Morbihan", "Bretagne"),
    ("Syndicat mixte du Mont-Lozère", "Lozère", "Occitanie"),
    ("Métropole de Lyon", "Rhône", "Auvergne-Rhône-Alpes"),
    ("Commune d'Évian-les-Bains", "Haute-Savoie", "Auvergne-Rhône-Alpes"),
    ("Ville de Dunkerque", "Nord", "Hauts-de-France"),
    ("Office national des forêts, agence de Tarbes", "Hautes-Pyrénées", "Occitanie"),
]
_CATEGORIES = [
    "Environnement et développement durable",
    "Ressources humaines",
    "Finances et gestion",
    "Citoyenneté et action sociale",
    "Aménagement du territoire",
    "Numérique et innovation",
]
_PROJECTS = [
    ("Reboisement des versants après l'incendie de 2003",
     "Un programme de reboisement participatif associe écoles et forestiers."),
    ("Mutualisation des achats de fournitures scolaires",
     "Une centrale d'achat intercommunale réduit les coûts de 18 %."),
    ("Guichet unique des démarches en ligne",
     "Les habitants suivent leurs demandes depuis un espace personnel."),
    ("Plan de reboisement et de gestion durable des forêts communales",
     "Le plan combine reboisement en essences locales et coupes raisonnées."),
    ("Réseau de chaleur alimenté au bois déchiqueté",
     "La chaufferie remplace le fioul dans douze bâtiments publics."),
    ("Accueil des nouveaux agents par binômes de tutorat",
     "Chaque recrue est suivie six mois par un agent expérimenté."),
]


def fake_awards(count: int = 38) -> list[Award]:
    """Deterministic stand-in for ``data/awards.json`` with the real schema.

    Used only while the real store does not exist yet; a few titles and
    summaries contain "reboisement" so the search benchmark returns results.
    """
    rng = random.Random(_SEED)
    levels = ["or", "argent", "bronze", "or", "argent", "mention"]
    awards: list[Award] = []
    for number in range(1, count + 1):
        name, department, region = rng.choice(_COMMUNES)
        title, lead = rng.choice(_PROJECTS)
        awards.append({
            "id": number,
            "year": FIRST_YEAR + (number * 7) % (LAST_YEAR - FIRST_YEAR + 1),
            "level": levels[number % len(levels)],
            "category": rng.choice(_CATEGORIES),
            "sponsor": "Association des maires de France",
            "laureate": name,
            "laureates": [{"name": name, "kind": "collectivité",
                           "department": department, "region": region}],
            "title": title,
            "summary_title": title.split(" ")[0] + " exemplaire",
            "summary": " ".join([lead] * 6),
            "excellence": number % 5 == 0,
            "budget": f"{rng.randint(10, 900) * 1000} €",
        })
    return awards
