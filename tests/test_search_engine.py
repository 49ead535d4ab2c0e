"""The French search engine: each analysis step, synonym files, typos, ranking, the index cache, similar.

Behaviour is asserted on small stores written for each test (so a test says
which text must be found, and why), plus a few facts of the real palmarès.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from territoria_cli.errors import Failure
from territoria_cli.search import QueryError, SynonymError, search_store, similar_store
from territoria_cli.search.analysis import ELISIONS, parse, stems
from territoria_cli.search.synonyms import parse_rules, synonym_files
from territoria_cli.store import packaged_store_path

REAL = packaged_store_path()


#: The library's messages are read here in English, the language of the source strings.
pytestmark = pytest.mark.usefixtures("english_messages")


def ids(result) -> list[str]:
    return [hit.award.id for hit in result.hits]


def found(store: Path, text: str, **options) -> list[str]:
    return ids(search_store(store, [text], **options))


@pytest.fixture
def store(make_store, make_award_document):
    """A store of awards whose texts each test relies on; every other field is the fixture's default."""

    def make(*texts: tuple[str, str] | tuple[str, str, str], **extra) -> Path:
        documents = []
        for number, parts in enumerate(texts):
            title, summary, *level = parts
            documents.append(
                make_award_document(
                    f"2099-award-{number}",
                    title=title,
                    summary_title=title,
                    summary=summary,
                    level=level[0] if level else "argent",
                    **extra,
                )
            )
        return make_store(documents)

    return make


# ---------------------------------------------------------------- analysis, one step at a time


@pytest.mark.parametrize("elision", ELISIONS)
@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_elided_words_are_dropped_with_either_apostrophe(elision, apostrophe):
    assert stems(f"{elision}{apostrophe}avenir") == stems("avenir") == ["aven"]


def test_hyphens_break_words():
    assert stems("bien-être") == stems("bien être") == ["bien", "etre"]


def test_case_accents_and_ligatures_fold():
    assert stems("ŒUVRE") == stems("oeuvre")
    assert stems("Éducation") == stems("education")
    assert stems("cæcum") == stems("caecum")


@pytest.mark.parametrize(
    ("plural", "singular"), [("seniors", "senior"), ("médecins", "médecin"), ("commerçants", "commerçant")]
)
def test_inflections_share_a_stem(plural, singular):
    assert stems(plural) == stems(singular)


def test_stop_words_are_dropped():
    assert stems("aux des les dans pour à la") == []


def test_query_parsing_reads_phrases_or_and_nothing_else():
    clauses = parse('vélo OR "pistes cyclables" title:x AND( *')
    assert [(" ".join(w.typed for w in c.words), c.phrase, c.alternative) for c in clauses] == [
        ("vélo", False, False),
        ("pistes cyclables", True, True),
        ("title", False, False),
        ("x", False, False),
        ("AND", False, False),
    ]
    assert [c.words[0].typed for c in parse("« moustique tigre »")] == ["moustique"]
    assert parse("« moustique tigre »")[0].phrase


# ---------------------------------------------------------------- what a search finds


def test_velo_finds_velos_but_not_developpement(store):
    path = store(("Récup'vélos en liberté", "Des vélos."), ("Développement local", "Le développement."))
    assert found(path, "velo") == ["2099-award-0"]


def test_plural_after_a_vowel_meets_the_singular(store):
    # Snowball keeps the s of "vélos"; the engine joins the two forms anyway.
    path = store(("Un vélo pour tous", "Texte."), ("Des vélos partout", "Texte."))
    assert sorted(found(path, "vélos")) == sorted(found(path, "vélo")) == ["2099-award-0", "2099-award-1"]


def test_elided_query_word_is_found(store):
    path = store(("Économies", "Moins d'eau consommée."), ("Autre chose", "Rien."))
    assert found(path, "l'eau") == found(path, "l’eau") == ["2099-award-0"]


def test_derived_forms_meet_with_less_weight(store):
    path = store(("Sortie", "Une action culturelle."), ("Maison", "La culture pour tous."), ("Autre", "Rien."))
    assert found(path, "culturel") == ["2099-award-0", "2099-award-1"]
    assert found(path, "culture") == ["2099-award-1", "2099-award-0"]


def test_stop_words_never_make_a_query_fail(store):
    path = store(("Bancs", "Des bancs pour les personnes âgées."), ("Autre", "Rien."))
    result = search_store(path, ["aide", "aux", "personnes", "âgées"])
    assert ids(result) == ["2099-award-0"]
    assert (result.hits[0].matched_words, result.hits[0].total_words) == (2, 3)


def test_all_words_first_then_the_best_partial_matches(store):
    path = store(
        ("Jardins", "Des jardins et des écoles."),
        ("Jardins partagés", "Des jardins, des jardins, des jardins."),
        ("Écoles", "Des écoles."),
    )
    result = search_store(path, ["jardins", "écoles"])
    assert ids(result)[0] == "2099-award-0"
    assert [hit.matched_words for hit in result.hits] == [2, 1, 1]
    assert result.hits[0].matched == ("jardins", "écoles")


def test_title_beats_a_passing_mention(store):
    path = store(("Une ville", "On y parle de compost une fois."), ("Le compost collectif", "Un projet."))
    assert found(path, "compost") == ["2099-award-1", "2099-award-0"]


def test_equal_scores_keep_level_then_id_order(store):
    path = store(("Compost", "Texte.", "bronze"), ("Compost", "Texte.", "or"), ("Compost", "Texte.", "argent"))
    assert found(path, "compost") == ["2099-award-1", "2099-award-2", "2099-award-0"]


def test_a_quoted_phrase_is_a_phrase(store):
    path = store(("Pièges", "Le moustique tigre."), ("Zoo", "Un tigre et un moustique."))
    assert found(path, '"moustique tigre"') == ["2099-award-0"]
    assert sorted(found(path, "moustique tigre")) == ["2099-award-0", "2099-award-1"]


def test_or_joins_alternatives_into_one_word(store):
    path = store(("Vélos", "Texte."), ("Bicyclettes", "Texte."), ("Autre", "Rien."))
    result = search_store(path, ["vélo", "OR", "bicyclette"])
    assert sorted(ids(result)) == ["2099-award-0", "2099-award-1"]
    assert {hit.total_words for hit in result.hits} == {1}


# ---------------------------------------------------------------- synonyms


def test_synonym_rules_in_solr_format():
    rules = parse_rules("# comment\naînés, seniors, personnes âgées\nvélo, bicyclette => cycle\n\nun\\, deux, trois\n")
    assert [(rule.sources, rule.targets) for rule in rules] == [
        (("aînés", "seniors", "personnes âgées"), ("aînés", "seniors", "personnes âgées")),
        (("vélo", "bicyclette"), ("cycle",)),
        (("un, deux", "trois"), ("un, deux", "trois")),
    ]


@pytest.mark.parametrize("line", ["seul", "a => b => c", "=> b", "a, b =>"])
def test_malformed_synonym_lines_name_the_file_and_line(line):
    with pytest.raises(SynonymError, match=r"mine\.txt, line 2"):
        parse_rules(f"a, b\n{line}\n", "mine.txt")


def test_packaged_synonyms_find_what_the_kit_calls_otherwise(store):
    path = store(("Bancs", "Pour les personnes âgées."), ("Autre", "Rien."))
    assert found(path, "aînés") == found(path, "seniors") == ["2099-award-0"]


def test_user_synonym_file_and_environment_variable(store, tmp_path, monkeypatch):
    path = store(("Reboisement des collines", "Planter des arbres."), ("Autre", "Rien."))
    assert found(path, "zorglub") == []
    mine = tmp_path / "mine.txt"
    mine.write_text("zorglub, reboisement\n", encoding="utf-8")
    assert found(path, "zorglub", synonym_files=[mine]) == ["2099-award-0"]
    monkeypatch.setenv("TERRITORIA_SYNONYMS", str(mine))
    assert mine in synonym_files()
    assert found(path, "zorglub") == ["2099-award-0"]


def test_unreadable_synonym_file_is_an_error(store, tmp_path):
    with pytest.raises(SynonymError, match="cannot read synonym file"):
        search_store(store(("A", "B")), ["a"], synonym_files=[tmp_path / "missing.txt"])


# ---------------------------------------------------------------- typos


def test_a_word_in_no_award_is_corrected_and_said_so(store):
    path = store(("Les journées de reboisement", "Planter."), ("Autre", "Rien."))
    result = search_store(path, ["reboisemnt"])
    assert ids(result) == ["2099-award-0"]
    assert result.corrections == {"reboisemnt": ("reboisement",)}


def test_a_beginning_is_completed_to_the_words_of_the_awards(store):
    path = store(("Sécurité des lycées", "Texte."), ("Autre", "Rien."))
    result = search_store(path, ["lycé"])
    assert ids(result) == ["2099-award-0"]
    assert result.corrections == {"lycé": ("lycees",)}


def test_short_words_are_not_corrected_and_nothing_found_suggests(store):
    path = store(("Compost collectif", "Texte."))
    result = search_store(path, ["zq"])
    assert (result.hits, result.corrections) == ([], {})
    assert search_store(path, ["compostxyzw"]).suggestions == ("compost",)


# ---------------------------------------------------------------- hostile queries


@pytest.mark.parametrize("text", ["", "   ", "*", "'", '""'])
def test_nothing_to_search_is_an_error(store, text):
    with pytest.raises(QueryError, match="nothing to search"):
        search_store(store(("A", "B")), [text])


def test_only_stop_words_is_an_error_naming_them(store):
    with pytest.raises(QueryError, match=r"only common words \(les, des\)"):
        search_store(store(("A", "B")), ["les des"])


@pytest.mark.parametrize(
    "text", ["title:compost", "compost*", "AND( compost", ".*+?[compost", "compost) OR (", "\\compost"]
)
def test_query_syntax_is_just_text(store, text):
    assert found(store(("Compost", "Texte.")), text) == ["2099-award-0"]


def test_pasted_page_gets_an_answer(store):
    path = store(("Compost", "Texte."))
    assert found(path, "compost " + "bla " * 2500) == ["2099-award-0"]


# ---------------------------------------------------------------- the real palmarès


def test_real_palmares_examples():
    assert found(REAL, "velo") == ["2017-saverdun-recup-velos-en-liberte"]
    assert found(REAL, "reboisement")[0] == "2017-allauch-journees-de-reboisement"
    assert found(REAL, '"moustique tigre"') == ["2017-marseille-pieges-a-moustique"]


def test_snippet_marks_the_words_found_in_their_written_form():
    hit = search_store(REAL, ["velo"]).hits[0]
    marked = [text for text, is_match in hit.snippet if is_match]
    assert marked and set(marked) <= {"vélos", "vélo"}
    assert "".join(text for text, _ in hit.snippet).startswith("Saverdun, 5 000 habitants, récupère des vélos")


# ---------------------------------------------------------------- the index cache


def _cache_entries(cache: Path) -> list[str]:
    folder = cache / "territoria" / "search"
    return sorted(entry.name for entry in folder.iterdir()) if folder.exists() else []


def test_index_lives_in_the_user_cache_and_follows_the_store(store, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    path = store(("Compost", "Texte."))
    before = set(path.parent.iterdir())
    assert found(path, "compost") == ["2099-award-0"]
    assert set(path.parent.iterdir()) - before == {cache}  # nothing beside the store but our cache folder
    first = [name for name in _cache_entries(cache) if name.startswith("index-")]
    assert len(first) == 1
    text = path.read_text(encoding="utf-8").replace("Compost", "Paillage")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert found(path, "paillage") == ["2099-award-0"]
    after = [name for name in _cache_entries(cache) if name.startswith("index-")]
    assert len(after) == 1 and after != first  # rebuilt, the old one removed


def test_unwritable_cache_still_searches(store, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert found(store(("Compost", "Texte.")), "compost") == ["2099-award-0"]


def test_concurrent_first_searches_agree(store, tmp_path):
    path = store(*[(f"Compost {n}", "Texte.") for n in range(30)])
    cache = tmp_path / "cache"
    program = "import sys; from pathlib import Path; from territoria_cli.search import search_store; " \
        "print(len(search_store(Path(sys.argv[1]), ['compost']).hits))"  # fmt: skip
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    runs = [
        subprocess.Popen([sys.executable, "-c", program, str(path)], env=environment, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [run.communicate()[0].strip() for run in runs]
    assert outputs == ["30"] * 4
    assert len([name for name in _cache_entries(cache) if name.startswith("index-")]) == 1
    assert found(path, "compost")[:1] == ["2099-award-0"]


# ---------------------------------------------------------------- similar


def test_similar_finds_the_closest_awards_and_what_they_share(store):
    path = store(
        ("Compost collectif", "Compost et jardins partagés en ville, compostage dans les jardins."),
        ("Jardins partagés", "Des jardins partagés et du compost."),
        ("Sécurité routière", "Des radars."),
        ("Vélos", "Des vélos partagés et des jardins."),
        *[(f"Stationnement {n}", "Des places de parking.") for n in range(12)],
    )
    result = similar_store(path, "2099-award-0")
    assert result.source.id == "2099-award-0"
    assert ids(result)[0] == "2099-award-1"
    assert "2099-award-0" not in ids(result) and "2099-award-2" not in ids(result)
    assert {"compost", "jardins"} <= set(result.hits[0].shared)
    assert len(similar_store(path, "2099-award-0", limit=1).hits) == 1
    assert similar_store(path, "2099-award-5").source.id == "2099-award-5"  # a unique beginning is enough
    with pytest.raises(Failure, match='no award with id "2099-nope"'):
        similar_store(path, "2099-nope")


# ---------------------------------------------------------------- more of the entry points


def test_search_store_filters_and_limits():
    gold = search_store(REAL, ["commune"], {"levels": ["or"]})
    assert gold.hits and {hit.award.level for hit in gold.hits} == {"or"}
    assert len(search_store(REAL, ["commune"], limit=2).hits) == 2
    paca = search_store(REAL, ["collines"], {"regions": ["provence"], "kinds": ["commune"], "years": [2017]})
    assert ids(paca) == ["2017-allauch-journees-de-reboisement"]
    assert ids(search_store(REAL, ["collines"], {"laureate": ["ALLAU"]})) == ["2017-allauch-journees-de-reboisement"]
    either = search_store(REAL, ["vieillir", "paix"], {"laureate": ["onet le chateau", "garges les gonesse"]})
    assert {hit.award.laureate for hit in either.hits} == {"Onet-le-Château", "Garges-lès-Gonesse"}
    assert search_store(REAL, ["collines"], {"levels": ["bronze"]}).hits == []


def test_search_store_refuses_an_empty_query_before_reading_the_store(tmp_path):
    from territoria_cli.errors import StoreError, UsageError

    with pytest.raises(UsageError, match="nothing to search for"):
        search_store(tmp_path / "missing.json", ["*"])
    with pytest.raises(StoreError, match="no such store file"):
        search_store(tmp_path / "missing.json", ["velo"])


def test_a_damaged_cached_index_is_rebuilt(store, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    path = store(("Compost", "Texte."))
    assert found(path, "compost") == ["2099-award-0"]
    (index,) = [entry for entry in (cache / "territoria" / "search").iterdir() if entry.name.startswith("index-")]
    for file in index.iterdir():
        file.write_bytes(b"\x00garbage")
    assert found(path, "compost") == ["2099-award-0"]


def test_awards_held_in_memory_are_searched_alike(real_awards):
    from territoria_cli.search import search_awards

    assert ids(search_awards(real_awards, ["velo"])) == found(REAL, "velo")
    gold = [award for award in real_awards if award.level == "or"]
    assert {hit.award.level for hit in search_awards(gold, ["paris"]).hits} == {"or"}


@pytest.mark.parametrize(
    "terms",
    [["velo", "("], ["[a-"], ["velo*"], ['"velo'], ["velo\\"], ["x" * 10_000], ["a " * 5_000], ["(?P<x>", "|", ".*"]],
)
def test_hostile_queries_never_raise(terms):
    try:
        result = search_store(REAL, terms)
    except QueryError:
        return
    for hit in result.hits:
        assert hit.snippet


@pytest.mark.parametrize(
    ("summary", "highlighted"),
    [
        ("Les œuvres d’art : vélos…", "vélos"),
        ("Bœuf, vélos, cafe\u0301", "vélos"),
        ("ﬁn des Vélos", "Vélos"),
        ("vélos", "vélos"),
    ],
)
def test_snippets_mark_the_original_text_whatever_folding_does(store, summary, highlighted):
    (hit,) = search_store(store(("Titre", summary)), ["velos"]).hits
    assert [text for text, marked in hit.snippet if marked] == [highlighted]
    assert "".join(text for text, _ in hit.snippet) == summary


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rule is hand-applied on Linux only")
@pytest.mark.parametrize("configured", [None, "", "   ", "/tmp/somewhere", "relative/cache"])
def test_the_cache_folder_is_the_one_platformdirs_gives(configured, monkeypatch):
    import platformdirs

    from territoria_cli.search.index import cache_root

    if configured is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", configured)
    assert cache_root() == Path(platformdirs.user_cache_dir("territoria")) / "search"


def test_a_filter_the_index_has_no_field_for_is_checked_on_the_awards(store, make_award_document, make_store):
    from territoria_cli.filters import Filter, Filters

    path = make_store(
        [
            make_award_document("2099-a", title="Compost", budget="10 000 €"),
            make_award_document("2099-b", title="Compost", budget=None),
        ]
    )
    budgeted = Filter(
        "budgeted", ("--budgeted",), "", "", read=lambda v, a: v, matches=lambda award, v: award.budget is not None
    )
    assert found(path, "compost", filters=Filters(((budgeted, True),))) == ["2099-a"]
    assert sorted(found(path, "compost")) == ["2099-a", "2099-b"]


def test_no_did_you_mean_when_the_filters_kept_nothing():
    result = search_store(REAL, ["paris"], {"levels": ["argent"], "regions": ["occitanie"]})
    assert (result.hits, result.suggestions) == ([], ())


def test_an_index_of_another_format_is_not_read(store, monkeypatch, tmp_path):
    """An upgrade that changes the index (its format, tantivy, territoria or the award records) rebuilds it."""
    from territoria_cli.search import index

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    path = store(("Compost", "Texte."))
    assert found(path, "compost") == ["2099-award-0"]
    first = [name for name in _cache_entries(cache) if name.startswith("index-")]
    monkeypatch.setattr(index, "INDEX_FORMAT", index.INDEX_FORMAT + 1)
    assert found(path, "compost") == ["2099-award-0"]
    second = [name for name in _cache_entries(cache) if name.startswith("index-")]
    assert len(first) == len(second) == 1 and first != second


# ---------------------------------------------------------------- a big store that changes


def _generated(real_awards, count: int) -> list[dict]:
    documents = []
    for number in range(count):
        document = real_awards[number % len(real_awards)].to_document()
        document["id"] = f"{document['id']}-{number}"
        document["year"] = 1986 + number % 32
        documents.append(document)
    return documents


def test_a_changed_big_store_is_searched_as_if_indexed_afresh(real_awards, tmp_path, monkeypatch):
    """After an edit, a shrink and a growth of a big store, search answers what a fresh index of it answers."""
    from conftest import write_store

    from territoria_cli.catalogue import CHUNK_AWARDS, DIRECT_READ_BYTES
    from territoria_cli.search import search_awards
    from territoria_cli.store import load_awards

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    documents = _generated(real_awards, 2 * CHUNK_AWARDS + 300)
    path = write_store(tmp_path / "big.json", documents)
    assert path.stat().st_size > DIRECT_READ_BYTES  # cached in chunks, or this tests nothing
    queries = ["reboisement", "xylophonie", "moustique tigre", "vélo", "aide aux personnes âgées"]
    assert found(path, "xylophonie") == []
    edited = CHUNK_AWARDS + 7
    documents[edited]["title"] = "Xylophonie des haies communales"
    grown = documents + [{**document, "id": f"{document['id']}-new"} for document in documents[:3]]
    for state in (documents, documents[: 2 * CHUNK_AWARDS + 10], grown, grown):  # the last: written back unchanged
        write_store(path, state)
        os.utime(path, ns=(1, path.stat().st_mtime_ns + 1))  # a new modification time, whatever the clock's resolution
        fresh = load_awards(path)
        for query in queries:
            assert found(path, query) == ids(search_awards(fresh, [query])), (len(state), query)
    assert found(path, "xylophonie") == [documents[edited]["id"]]


def test_indexing_reports_its_progress_and_redoes_only_what_changed(real_awards, tmp_path, monkeypatch):
    """The first search indexes every award, telling the progress bar; after an edit, only the edited chunk."""
    from contextlib import contextmanager

    from conftest import write_store

    from territoria_cli.catalogue import CHUNK_AWARDS, INDEXING, READING

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    documents = _generated(real_awards, 2 * CHUNK_AWARDS + 300)
    path = write_store(tmp_path / "big.json", documents)
    tasks: list[tuple[int, str, list[float]]] = []

    @contextmanager
    def recorder(amount: int, task: str):
        tasks.append((amount, task, []))
        yield tasks[-1][2].append

    search_store(path, ["reboisement"], progress=recorder)
    assert [(amount, task) for amount, task, _ in tasks] == [(path.stat().st_size, READING), (len(documents), INDEXING)]
    indexing = tasks[1][2]
    assert indexing == sorted(indexing) and indexing[-1] == 1.0 and len(indexing) > 10
    tasks.clear()
    documents[-1]["title"] = "Xylophonie"
    write_store(path, documents)
    os.utime(path, ns=(1, 1))
    assert found(path, "xylophonie", progress=recorder) == [documents[-1]["id"]]
    last_chunk = len(documents) - (len(documents) - 1) // CHUNK_AWARDS * CHUNK_AWARDS  # the awards of the edited one
    assert [(amount, task) for amount, task, _ in tasks] == [(path.stat().st_size, READING), (last_chunk, INDEXING)]


def test_or_is_an_operator_only_between_words():
    def read(query: str) -> list[tuple[tuple[str, ...], bool]]:
        return [(tuple(word.typed for word in clause.words), clause.alternative) for clause in parse(query)]

    assert read("eau OR vélo") == [(("eau",), False), (("vélo",), True)]
    assert read("OR") == [(("OR",), False)]  # alone, leading or trailing, it is the word "or" (gold)
    assert read("OR eau") == [(("OR",), False), (("eau",), False)]
    assert read("eau OR") == [(("eau",), False), (("OR",), False)]
    assert search_store(REAL, ["OR"]).total >= 1
