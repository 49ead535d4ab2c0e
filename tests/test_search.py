"""Search as users meet it (issue 3), robust to any input (issue 4), its index cached (issue 5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territoria_cli import store
from territoria_cli.errors import StoreError, UsageError
from territoria_cli.filters import Filters, build_filters
from territoria_cli.search import SearchIndex, parse_query, search, search_store, suggest

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")


def ids(hits) -> list[str]:
    return [hit.award.id for hit in hits]


def found(awards, *terms: str, filters: Filters | None = None) -> list[str]:
    return ids(search(awards, parse_query(terms), filters or Filters()))


@pytest.fixture
def velo_awards(make_award):
    return [
        make_award(id="recup", title="Récup'vélos en liberté", summary="Des vélos réparés."),
        make_award(id="dev", title="Plan local", summary="Le développement durable de la ville nouvelle."),
    ]


# --------------------------------------------------------------------------- accents, words, prefixes


def test_velo_finds_velos_but_not_developpement(velo_awards):
    assert found(velo_awards, "velo") == ["recup"]
    assert found(velo_awards, "VÉLO") == ["recup"]


def test_accents_and_case_do_not_matter(real_awards):
    assert found(real_awards, "ÉCOLE") == found(real_awards, "ecole") == found(real_awards, "École")
    assert found(real_awards, "ecole")


def test_a_word_matches_from_its_start_only(velo_awards):
    assert found(velo_awards, "developpement") == ["dev"]
    assert found(velo_awards, "develop") == ["dev"]
    assert found(velo_awards, "eloppement") == []
    assert found(velo_awards, "vel") == ["recup"]  # not "nouvelle"


def test_plurals_and_prefixes_on_the_real_palmares(real_awards):
    assert found(real_awards, "reboisement") == ["2017-allauch-journees-de-reboisement"]
    assert found(real_awards, "reboise") == ["2017-allauch-journees-de-reboisement"]
    assert "2017-saverdun-recup-velos-en-liberte" in found(real_awards, "velo")
    assert "2017-marseille-pieges-a-moustique" in found(real_awards, "moustiques")


def test_a_term_written_with_an_apostrophe_is_a_phrase(velo_awards):
    assert found(velo_awards, "récup’vélos") == ["recup"]
    assert found(velo_awards, "recup'dev") == []


# --------------------------------------------------------------------------- phrases and AND


def test_quoted_phrase_matches_consecutive_words(make_award):
    awards = [
        make_award(id="together", summary="Contre le moustique tigre en ville."),
        make_award(id="apart", summary="Le tigre n'est pas un moustique."),
    ]
    assert found(awards, "moustique tigre") == ["together"]  # the shell kept the quotes' content together
    assert found(awards, '"moustique tigre"') == ["together"]
    assert found(awards, '"moustique tig') == ["together"]  # unbalanced quote: phrase to the end
    assert sorted(found(awards, "moustique", "tigre")) == ["apart", "together"]


def test_phrase_on_the_real_palmares(real_awards):
    assert found(real_awards, '"moustique tigre"') == ["2017-marseille-pieges-a-moustique"]
    assert found(real_awards, '"tigre moustique"') == []


def test_every_term_must_match(real_awards):
    assert found(real_awards, "velo", "saverdun") == ["2017-saverdun-recup-velos-en-liberte"]
    assert found(real_awards, "velo", "reboisement") == []


# --------------------------------------------------------------------------- ranking and snippets


def test_title_hit_ranks_above_summary_hits(make_award):
    awards = [
        make_award(id="a-summary", level="or", summary="Compost, compost, compost et encore compost."),
        make_award(id="b-title", level="bronze", title="Le compost partagé"),
    ]
    hits = search(awards, parse_query(["compost"]))
    assert ids(hits) == ["b-title", "a-summary"]
    assert hits[0].matched_fields == ("title",)
    assert hits[1].matched_fields == ("summary",)


def test_ties_go_to_the_higher_level(make_award):
    awards = [make_award(id="a", level="bronze", title="Compost"), make_award(id="b", level="or", title="Compost")]
    assert found(awards, "compost") == ["b", "a"]


def test_laureate_and_category_are_searched(real_awards):
    assert set(found(real_awards, "garges")) >= {"2017-garges-les-gonesse-garges-le-jt"}
    assert "2017-paris-pmi-hors-les-murs" in found(real_awards, "unicef")


def test_snippet_highlights_the_original_accented_words(make_award):
    award = make_award(summary="Les vélos récupérés. Un vélo électrique ; l'Élancourt des VÉLOS.")
    (hit,) = search([award], parse_query(["velo", "elancourt"]))
    highlighted = [text for text, marked in hit.snippet if marked]
    assert highlighted == ["vélos", "vélo", "Élancourt", "VÉLOS"]
    assert "".join(text for text, _ in hit.snippet) == award.summary


def test_snippet_is_an_excerpt_around_the_first_match(make_award):
    words = " ".join(f"mot{number}" for number in range(200))
    award = make_award(summary=f"{words} Récup'vélos {words}")
    (hit,) = search([award], parse_query(["velos"]))
    text = "".join(segment for segment, _ in hit.snippet)
    assert text.startswith("…") and text.endswith("…")
    assert 100 <= len(text) <= 200
    assert [segment for segment, marked in hit.snippet if marked] == ["vélos"]
    inner = text.strip("…").split(" ")
    assert all(word in award.summary.split(" ") for word in inner)  # cut between words


def test_snippet_starts_the_summary_when_the_match_is_elsewhere(make_award):
    award = make_award(title="Compost", summary="Un texte\n\nsur deux paragraphes.")
    (hit,) = search([award], parse_query(["compost"]))
    assert hit.snippet == (("Un texte sur deux paragraphes.", False),)


def test_search_applies_filters(real_awards):
    everywhere = found(real_awards, "paris")
    bronze = found(real_awards, "paris", filters=build_filters(real_awards, levels=["bronze"]))
    assert bronze and set(bronze) < set(everywhere)
    assert all(a.level == "bronze" for a in real_awards if a.id in bronze)



# --------------------------------------------------------------------------- no result, suggestions


def test_no_result_suggests_words_that_occur(real_awards):
    query = parse_query(["reboisment"])
    assert search(real_awards, query) == []
    assert "reboisement" in suggest(real_awards, query)


def test_suggestions_keep_the_accents_of_the_data(real_awards):
    assert suggest(real_awards, parse_query(["developement"]))[0] == "développement"


def test_no_suggestion_for_words_that_occur(real_awards):
    assert suggest(real_awards, parse_query(["velo", "reboisement"])) == []


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("junk", ["(", "*", '"', "\\", "'", "?", "$(|)", "\x00", "🚲", "« »"])
def test_a_query_without_words_is_a_usage_error(junk):
    with pytest.raises(UsageError, match="nothing to search for"):
        parse_query([junk])


@pytest.mark.parametrize(
    "terms",
    [["velo", "("], ["[a-"], ["velo*"], ['"velo'], ["velo\\"], ["x" * 10_000], ["a " * 5_000], ["(?P<x>", "|", ".*"]],
)
def test_hostile_queries_never_raise(real_awards, terms):
    hits = search(real_awards, parse_query(terms))
    for hit in hits:
        assert hit.snippet
    suggest(real_awards, parse_query(terms))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=4))
def test_any_query_searches_or_is_a_usage_error(make_award, terms):
    awards = [make_award(summary="Récup'vélos : œuvre « moustique tigre » à l'école (2017) [a-z]*.")]
    try:
        query = parse_query(terms)
    except UsageError:
        return
    for hit in search(awards, query):
        assert hit.snippet
    suggest(awards, query)


# --------------------------------------------------------------------------- the cached index


@pytest.fixture
def cache_dir(tmp_path_factory, monkeypatch) -> Path:
    """The user's cache folder for territoria, as platformdirs finds it from XDG_CACHE_HOME (away from the store)."""
    home = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "territoria"


def test_index_is_cached_outside_the_store_folder_and_rebuilt_when_the_store_changes(
    make_store, make_award, cache_dir
):
    path = make_store([make_award(id="a", title="Compost partagé"), make_award(id="b", title="Jardin")])
    awards = store.load_awards(path)
    first = SearchIndex.for_store(path, awards, min_cached=0)
    assert found_with(awards, first, "compost") == ["a"]
    assert [p.name for p in path.parent.iterdir() if p != cache_dir] == ["store.json"]
    assert len(list(cache_dir.iterdir())) == 1

    again = SearchIndex.for_store(path, awards, min_cached=0)
    assert again.documents == first.documents  # read back from the cache

    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Jardin", "Compost"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = store.load_awards(path)
    index = SearchIndex.for_store(path, changed, min_cached=0)
    assert found_with(changed, index, "compost") == ["a", "b"]
    assert [p.name for p in path.parent.iterdir() if p != cache_dir] == ["store.json"]


def test_the_vocabulary_is_saved_with_the_cached_index_by_the_first_search_that_needs_it(
    make_store, make_award, cache_dir
):
    path = make_store([make_award(id="a", title="Compost partagé")])
    awards = store.load_awards(path)
    built = SearchIndex.for_store(path, awards, min_cached=0)
    (cache_file,) = cache_dir.iterdir()
    without_vocabulary = cache_file.read_bytes()
    assert found_with(awards, built, "compost") == ["a"]
    assert cache_file.read_bytes() == without_vocabulary  # a search that finds something does not pay for it

    assert suggest(awards, parse_query(["compots"]), index=built) == ["Compost"]  # spelt as in the data
    with_vocabulary = cache_file.read_bytes()
    assert with_vocabulary != without_vocabulary

    cached = SearchIndex.for_store(path, awards, min_cached=0)
    assert "compost" in cached.vocabulary
    assert cache_file.read_bytes() == with_vocabulary  # read back, not computed and written again


def test_a_cache_entry_is_only_used_with_its_own_awards(make_store, make_award, cache_dir):
    path = make_store([make_award(id="a", title="Compost")])
    SearchIndex.for_store(path, store.load_awards(path), min_cached=0)
    other = [make_award(id="z", title="Jardin")]  # e.g. the store changed within the same mtime tick
    index = SearchIndex.for_store(path, other, min_cached=0)
    assert index.ids == ["z"]
    assert found_with(other, index, "jardin") == ["z"]


def test_a_damaged_cache_is_rebuilt(make_store, make_award, cache_dir):
    path = make_store([make_award(id="a", title="Compost")])
    awards = store.load_awards(path)
    SearchIndex.for_store(path, awards, min_cached=0)
    (cache_file,) = cache_dir.iterdir()
    cache_file.write_bytes(b"\x00garbage")
    assert found_with(awards, SearchIndex.for_store(path, awards, min_cached=0), "compost") == ["a"]


def test_an_unwritable_cache_folder_is_ignored(make_store, make_award, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = make_store([make_award(id="a", title="Compost")])
    awards = store.load_awards(path)
    assert found_with(awards, SearchIndex.for_store(path, awards, min_cached=0), "compost") == ["a"]


def test_small_stores_do_not_touch_the_cache(make_store, make_award, cache_dir):
    path = make_store([make_award(id="a", title="Compost")])
    SearchIndex.for_store(path, store.load_awards(path))
    assert not cache_dir.exists()


def test_an_index_serves_a_filtered_list_of_its_awards(real_awards):
    index = SearchIndex.build(real_awards)
    gold = [a for a in real_awards if a.level == "or"]
    assert ids(search(gold, parse_query(["paris"]), index=index)) == found(gold, "paris")


def found_with(awards, index: SearchIndex, *terms: str) -> list[str]:
    return sorted(ids(search(awards, parse_query(terms), index=index)))


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_every_word_of_any_summary_finds_it(make_award, text):
    award = make_award(summary="x " + text)
    words = {word for word in text.split() if parse_query_or_none([word])}
    for word in words:
        hits = search([award], parse_query_or_none([word]))
        assert ids(hits) == [award.id], word
        assert any(marked for hit in hits for _, marked in hit.snippet) or "summary" not in hits[0].matched_fields


def parse_query_or_none(terms):
    try:
        return parse_query(terms)
    except UsageError:
        return None


@pytest.mark.parametrize(
    ("summary", "highlighted"),
    [
        ("Les œuvres d’art : vélos…", "vélos"),  # œ and … fold to two and three characters
        ("Cafe\u0301 et ve\u0301los", "ve\u0301los"),  # decomposed accents fold to nothing
        ("Bœuf, vélos, cafe\u0301", "vélos"),  # same length once folded, yet shifted in between
        ("ﬁn des Vélos", "Vélos"),
        ("vélos", "vélos"),
    ],
)
def test_highlight_maps_back_when_folding_changes_lengths(make_award, summary, highlighted):
    (hit,) = search([make_award(summary=summary)], parse_query(["velos"]))
    assert [text for text, marked in hit.snippet if marked] == [highlighted]
    assert "".join(text for text, _ in hit.snippet) == summary


def test_suggestions_for_a_pasted_page_correct_a_few_words_only(real_awards, monkeypatch):
    import difflib

    calls = []
    original = difflib.get_close_matches

    def counting(word, *args, **kwargs):
        calls.append(word)
        return original(word, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    query = parse_query([f"motinconnu{number}" for number in range(3000)] + ["reboisment"])
    assert suggest(real_awards, query) == []  # the typo comes too late to be looked at
    assert 0 < len(calls) <= 10  # each call scans the whole vocabulary


# --------------------------------------------------------------------------- the entry point


def test_search_store_finds_filters_and_limits(real_awards):
    path = store.packaged_store_path()
    assert ids(search_store(path, ["velo"]).hits) == found(real_awards, "velo")
    gold = search_store(path, ["commune"], {"levels": ["or"]})
    assert gold.hits and {hit.award.level for hit in gold.hits} == {"or"}
    assert len(search_store(path, ["commune"], limit=2).hits) == 2


def test_search_store_suggests_only_when_asked_and_nothing_matched():
    found_nothing = search_store(store.packaged_store_path(), ["reboisemnt"])
    assert found_nothing.hits == []
    assert found_nothing.suggestions()[0] == "reboisement"


def test_search_store_refuses_an_empty_query_before_reading_the_store(tmp_path):
    with pytest.raises(UsageError, match="nothing to search for"):
        search_store(tmp_path / "missing.json", ["*"])
    with pytest.raises(StoreError, match="no such store file"):
        search_store(tmp_path / "missing.json", ["velo"])


def test_search_store_caches_a_big_store_index_in_the_user_cache(make_store, make_award, cache_dir):
    path = make_store([make_award(id=f"2099-{number:04}", title=f"Compost {number}") for number in range(200)])
    assert len(search_store(path, ["compost"]).hits) == 200
    assert [file.suffix for file in cache_dir.iterdir()] == [".marshal"]
