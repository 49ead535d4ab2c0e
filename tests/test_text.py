"""French folding: the one definition of "accents and case don't matter"."""

from __future__ import annotations

import pytest

from territoria_cli.text import fold


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("recup'velos", "Récup'vélos"),
        ("ecole", "ÉCOLE"),
        ("garges-les-gonesse", "Garges-lès-Gonesse"),
        ("coeur", "cœur"),
        ("l'ecole", "l’école"),
        ("elancourt", "Élancourt"),
    ],
)
def test_folding_makes_accents_case_and_ligatures_irrelevant(typed, stored):
    assert fold(stored) == typed


def test_folding_keeps_what_is_not_a_letter_variant():
    assert fold("Budget : 560 K€ (2017)") == "budget : 560 k€ (2017)"
