"""Baseline: a one-command Typer app that only prints a 22-row Rich table.

This is the least work any "show awards in a terminal" CLI built on
Typer + Rich must do: import both, build a table of realistic award rows and
render it to a terminal. territoria in a pseudo-terminal is compared to it.
"""

import typer
from rich.console import Console
from rich.table import Table

LAUREATES = [
    "Commune de Saint-Affrique", "Ville de Besançon",
    "Conseil départemental des Landes", "Communauté de communes du Pays de Bitche",
    "Ville de Lorient", "Syndicat mixte du Mont-Lozère", "Métropole de Lyon",
    "Commune d'Évian-les-Bains", "Ville de Dunkerque", "Région Bretagne", "Ville de Pau",
]
TITLES = [
    "Reboisement des versants après l'incendie de 2003",
    "Mutualisation des achats de fournitures scolaires",
    "Guichet unique des démarches en ligne",
    "Plan de gestion durable des forêts communales",
    "Réseau de chaleur alimenté au bois déchiqueté",
    "Accueil des nouveaux agents par binômes de tutorat",
    "Budget participatif ouvert aux collégiens",
]
CATEGORIES = ["Environnement", "Ressources humaines", "Finances", "Citoyenneté", "Numérique"]
LEVELS = ["or", "argent", "bronze"]


def main() -> None:
    """Render 22 award-like rows in five columns."""
    table = Table(title="Prix TERRITORIA")
    for column in ("Année", "Niveau", "Catégorie", "Lauréat", "Projet"):
        table.add_column(column)
    for row in range(22):
        table.add_row(str(1986 + row), LEVELS[row % len(LEVELS)],
                      CATEGORIES[row % len(CATEGORIES)], LAUREATES[row % len(LAUREATES)],
                      TITLES[row % len(TITLES)])
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
