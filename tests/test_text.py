"""French folding: the one definition of "accents and case don't matter"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territoria_cli.text import fold, fold_with_offsets


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


def test_offsets_point_back_into_the_original_text():
    text = "Le cœur de Récup'vélos"
    folded, offsets = fold_with_offsets(text)
    start = folded.index("velos")
    assert text[offsets[start] : offsets[start + len("velos") - 1] + 1] == "vélos"
    assert text[offsets[folded.index("coeur")]] == "c"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("œæß’«»…ﬁ\u0301\u0327éÉ İ"), st.characters())))
def test_offsets_map_each_folded_character_to_its_original(text):
    folded, offsets = fold_with_offsets(text)
    one_by_one = [(fold(char), index) for index, char in enumerate(text)]
    assert folded == "".join(piece for piece, _ in one_by_one)
    assert list(offsets) == [index for piece, index in one_by_one for _ in piece]
