"""The ``territoria`` command as users run it.

Most tests drive the app in-process with Typer's ``CliRunner``, whose stdout is
not a terminal: they see the plain, piped output. ``TERRITORIA_FORCE_TTY=1``
gives the Rich tables. A few tests run the real command in a subprocess for
what only a process shows: which modules it imports, a closed pipe, a
pseudo-terminal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from territoria_cli import __version__
from territoria_cli.cli import app
from territoria_cli.model import FIELD_LABELS, LEVEL_LABELS
from territoria_cli.text import fold

SRC = Path(__file__).resolve().parents[1] / "src"
DATA = Path(__file__).resolve().parents[1] / "data" / "awards.json"
BOX_CHARACTERS = set("─│┃━┏┓┗┛┌┐└┘├┤┬┴┼╭╮╰╯═║")
ANSI = "\x1b["
ALBI = "2017-albi-agriculture-et-alimentation-de-proximite"

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def lines(text: str) -> list[str]:
    return text.splitlines()


def rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the real palmarès, to check its bytes after a command."""
    copy = tmp_path / "awards.json"
    shutil.copyfile(DATA, copy)
    return copy


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- list


# ---------------------------------------------------------------- places and populations


def test_a_region_that_won_nothing_is_valid_and_finds_nothing():
    result = run("list", "--region", "bretagne")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "Aucun prix ne correspond à ces filtres.\n")


def test_a_misspelt_region_is_a_usage_error_with_a_suggestion():
    result = run("list", "--region", "bretonne")
    assert (result.exit_code, result.stderr) == (2, 'Erreur : région inconnue "bretonne" ; vouliez-vous dire "Bretagne" ?\n')
    english = run("list", "--region", "bretonne", "--lang", "en")
    assert english.stderr == 'Error: unknown region "bretonne"; did you mean "Bretagne"?\n'


@pytest.mark.parametrize("typed", ["2a", "2A", "corse-du-sud"])
def test_a_departement_by_code_in_any_case_or_by_name(typed):
    result = run("list", "--department", typed)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "Aucun prix ne correspond à ces filtres.\n")


def test_a_departement_code_of_one_digit_is_read_with_its_zero():
    assert [row[0] for row in rows(run("list", "--department", "9").stdout)] == ["2017-saverdun-recup-velos-en-liberte"]


def test_population_keeps_awards_of_which_one_body_is_in_the_range():
    from territoria_cli import load_awards, packaged_store_path

    awards = load_awards(packaged_store_path())
    expected = {a.id for a in awards if any(b.population is not None and 2000 <= b.population <= 10000 for b in a.laureates)}
    result = run("list", "--population", "2000-10000")
    assert result.exit_code == 0
    assert {row[0] for row in rows(result.stdout)} == expected
    assert {row[3] for row in rows(result.stdout)} == {"Saverdun", "Cluny", "Cabourg", "La Colle-sur-Loup"}
    # Angers' joint dossier passes "200000-" through its EPCI, not its commune
    big = {row[0] for row in rows(run("list", "--population", "200000-").stdout)}
    assert "2017-angers-modele-predictif-et-aide-a-la-decision" in big
    assert {row[0] for row in rows(run("list", "--population", "-5000").stdout)} == {
        "2017-saverdun-recup-velos-en-liberte", "2017-cluny-petits-dej-de-l-entrepreneuriat",
        "2017-cabourg-mecenat-pour-cofinancer-un-musee",
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", 'Erreur : tranche de population invalide "abc" ; attendu MIN-MAX en habitants, comme 5000-, -10000 ou 2000-10000'),
     ("10-5", 'Erreur : tranche de population invalide "10-5" : le minimum dépasse le maximum')],
)
def test_a_bad_population_range_is_a_usage_error(typed, message):
    result = run("list", "--population", typed)
    assert (result.exit_code, result.stderr) == (2, message + "\n")


def test_population_works_on_every_reading_command():
    assert [row[0] for row in rows(run("search", "velo", "--population", "-5000").stdout)] == [
        "2017-saverdun-recup-velos-en-liberte"
    ]
    assert json.loads(run("stats", "--population", "-5000", "--json").stdout)["awards"] == 3
    assert len(rows(run("export", "--population", "-5000", "--format", "csv").stdout)) == 1 + 3


def test_list_sorts_by_population_smallest_first():
    laureates = [row[3] for row in rows(run("list", "--sort", "population").stdout)]
    assert laureates[:3] == ["Cabourg", "Saverdun", "Cluny"]
    assert laureates[-1] == "Région Hauts-de-France"
    assert [row[3] for row in rows(run("list", "--sort", "pop", "--reverse", "--limit", "1").stdout)] == [
        "Région Hauts-de-France"
    ]


def test_list_gold_gives_the_22_gold_awards_as_tab_separated_rows():
    result = run("list", "--level", "or")
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    assert len(table) == 22
    assert all(len(row) == 5 for row in table)
    assert {row[1] for row in table} == {"Or"}
    assert ALBI in {row[0] for row in table}


@pytest.mark.parametrize("spelling", ["OR", "Or", "d'or", "D’Or", "gold"])
def test_level_spellings(spelling):
    result = run("list", "--level", spelling)
    assert result.exit_code == 0, result.output
    assert len(lines(result.stdout)) == 22


def test_list_argent_json_is_the_six_silver_documents():
    result = run("list", "--level", "argent", "--json")
    assert result.exit_code == 0
    documents = json.loads(result.stdout)
    assert len(documents) == 6
    assert {doc["level"] for doc in documents} == {"argent"}
    assert set(documents[0]) >= {"id", "laureates", "summary"}


def test_list_without_filter_lists_every_award_gold_first(real_awards):
    table = rows(run("list").stdout)
    assert len(table) == len(real_awards) == 38
    levels = [row[1] for row in table]
    assert levels == sorted(levels, key=["Or", "Argent", "Bronze"].index)


def test_levels_repeat_and_filters_combine():
    assert len(lines(run("list", "-l", "or", "-l", "argent").stdout)) == 28
    combined = rows(run("list", "--level", "or", "--region", "ile-de").stdout)
    assert combined and all(row[1] == "Or" for row in combined)
    region = json.loads(run("list", "--region", "Île-de-France", "--json").stdout)
    assert all(any(body["region"] == "Île-de-France" for body in doc["laureates"]) for doc in region)
    assert {row[0] for row in combined} < {doc["id"] for doc in region}


def test_category_accents_case_and_prefix():
    table = rows(run("list", "--category", "LIEN").stdout)
    assert table and {row[2] for row in table} == {"Lien social"}
    assert rows(run("list", "--category", "amenagement / urbanisme").stdout)[0][2] == "Aménagement / Urbanisme"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--laureate", "albi"], {"Albi"}),
        (["--department", "81"], {"Albi"}),
        (["--kind", "region"], None),
        (["--year", "2017"], None),
    ],
)
def test_other_filters(args, expected, real_awards):
    documents = json.loads(run("list", *args, "--json").stdout)
    assert documents
    if expected is not None:
        assert {doc["laureate"] for doc in documents} == expected
    if args[0] == "--kind":
        assert all(any(body["kind"] == "region" for body in doc["laureates"]) for doc in documents)
    if args[0] == "--year":
        assert len(documents) == len(real_awards)


def test_a_filter_matching_nothing_says_so_on_stderr_and_succeeds():
    result = run("list", "--year", "1990")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Aucun prix ne correspond à ces filtres.\n"
    assert run("list", "--year", "1990", "--lang", "en").stderr == "No award matches these filters.\n"
    assert json.loads(run("list", "--year", "1990", "--json").stdout) == []


def test_sort_reverse_and_limit():
    titles = [row[4] for row in rows(run("list", "--sort", "title").stdout)]
    assert titles == sorted(titles, key=fold)
    assert [row[4] for row in rows(run("list", "--sort", "tit", "--reverse").stdout)] == titles[::-1]
    assert len(lines(run("list", "-n", "3").stdout)) == 3


def test_english_labels_with_lang_option_and_env_var():
    assert {row[1] for row in rows(run("list", "--level", "or", "--lang", "en").stdout)} == {"Gold"}
    assert {row[1] for row in rows(run("list", "--level", "argent", env={"TERRITORIA_LANG": "en"}).stdout)} == {"Silver"}


def test_piped_rows_are_never_cut_and_have_no_box_drawing():
    output = run("list").stdout
    assert max(len(line) for line in lines(output)) > 80
    assert not BOX_CHARACTERS & set(output)
    assert ANSI not in output


def test_forced_terminal_draws_a_rich_table_without_colour_under_no_color():
    result = run("list", "--level", "or", env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert BOX_CHARACTERS & set(result.stdout)
    assert "● Or" in result.stdout
    assert FIELD_LABELS["fr"]["level"] in result.stdout
    assert "\x1b[38;5" not in result.stdout and "\x1b[33" not in result.stdout  # no colour under NO_COLOR


def test_forced_terminal_colours_the_medals():
    result = run("list", "--level", "or", env={"TERRITORIA_FORCE_TTY": "1"})
    assert ANSI in result.stdout


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (
            ["list", "--level", "gld"],
            'Erreur : niveau inconnu "gld" ; niveaux possibles : or, argent, bronze',
            'Error: unknown level "gld"; valid levels: or, argent, bronze',
        ),
        (
            ["list", "--category", "nowhere"],
            "Erreur : catégorie inconnue \"nowhere\" ; 'territoria values category' les liste",
            "Error: unknown category \"nowhere\"; 'territoria values category' lists them",
        ),
        (
            ["list", "--category", "transition"],
            'Erreur : catégorie ambiguë "transition" : ce peut être "Transition énergétique", "Transition numérique"',
            'Error: ambiguous category "transition": it could be "Transition énergétique", "Transition numérique"',
        ),
        (
            ["list", "--category", "comunication"],
            'Erreur : catégorie inconnue "comunication" ; vouliez-vous dire "Communication" ?',
            'Error: unknown category "comunication"; did you mean "Communication"?',
        ),
        (["list", "--kind", "village"], 'Erreur : type de collectivité inconnu "village"', 'Error: unknown kind "village"'),
        (["list", "--region", "Atlantis"], 'Erreur : région inconnue "Atlantis"', 'Error: unknown region "Atlantis"'),
        (["export", "--format", "md", "--excel"], "Erreur : --excel ne s'applique qu'à --format csv", "Error: --excel applies to --format csv only"),
        (["list", "--department", "9999"], 'Erreur : département inconnu "9999"', 'Error: unknown département "9999"'),
        (["list", "--sort", "colour"], 'Erreur : clé de tri inconnue "colour"', 'Error: unknown sort key "colour"'),
        (
            ["list", "--lang", "de"],
            'Erreur : valeur invalide pour "--lang" : "de" n\'est pas l\'un de "fr", "en"',
            'Error: invalid value for "--lang": "de" is not one of "fr", "en"',
        ),
        (
            ["list", "--limit", "0"],
            'Erreur : valeur invalide pour "--limit" / "-n" : 0 n\'est pas dans l\'intervalle x>=1',
            'Error: invalid value for "--limit" / "-n": 0 is not in the range x>=1',
        ),
        (
            ["list", "--year", "last"],
            'Erreur : valeur invalide pour "--year" : "last" n\'est pas un nombre entier',
            'Error: invalid value for "--year": "last" is not a whole number',
        ),
        (
            ["list", "--levle", "or"],
            "Erreur : option inconnue : --levle ; vouliez-vous dire --help, --level, --reverse ? (voir 'territoria list --help')",
            "Error: no such option: --levle; did you mean --help, --level, --reverse? (see 'territoria list --help')",
        ),
        (["list", "--limit"], "Erreur : l'option --limit attend une valeur", "Error: option --limit needs a value"),
        (["list", "extra"], "Erreur : argument(s) en trop : extra", "Error: unexpected extra argument(s): extra"),
        (["search"], 'Erreur : argument manquant : "TERMS..."', 'Error: missing argument "TERMS..."'),
        (["search", ""], 'Erreur : rien à chercher dans ""', 'Error: nothing to search for in ""'),
        (["search", "*", "?"], 'Erreur : rien à chercher dans "* ?"', 'Error: nothing to search for in "* ?"'),
        (["export", "--format", "odt"], 'Erreur : format inconnu "odt"', 'Error: unknown format "odt"'),
        (["export", "--columns", "id,colour"], 'Erreur : colonne(s) inconnue(s) "colour"', 'Error: unknown column(s) "colour"'),
        (
            ["export", "--format", "csv", "--group-by", "category"],
            "Erreur : --group-by ne s'applique qu'à --format md ou xlsx ou docx ou html, pas à csv",
            "Error: --group-by applies to --format md or xlsx or docx or html only, not csv",
        ),
        (["values", "colour"], 'Erreur : champ inconnu "colour"', 'Error: unknown field "colour"'),
        (["completion", "tcsh"], "Erreur : shell inconnu tcsh", "Error: unknown shell tcsh"),
        (["nope"], "Erreur : commande inconnue : nope", "Error: no such command: nope"),
        (
            ["lst"],
            "Erreur : commande inconnue : lst ; vouliez-vous dire 'list' ?",
            "Error: no such command: lst; did you mean 'list'?",
        ),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line_in_french_or_english(args, french, english):
    for language, message in (("fr", french), ("en", english)):
        result = run(*args, env={"TERRITORIA_LANG": language})
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert message in result.stderr, language
        assert len(lines(result.stderr)) == 1
        no_traceback(result)


def test_the_language_also_comes_from_the_environment_and_can_be_typed_anywhere():
    assert run("list", "--level", "gld", env={"TERRITORIA_LANG": "en"}).stderr.startswith("Error: unknown level")
    assert run("--lang", "en", "list", "--level", "gld").stderr.startswith("Error: unknown level")
    assert run("list", "--level", "gld", "--lang=en").stderr.startswith("Error: unknown level")
    assert run("list", "--level", "gld").stderr.startswith("Erreur : niveau inconnu")


def test_debug_is_accepted_anywhere_on_the_line(monkeypatch):
    def broken(path):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("territoria_cli.store.load_awards", broken)
    for args in (["--debug", "list"], ["list", "--debug"], ["list", "--level", "or", "--debug"]):
        assert isinstance(run(*args).exception, RuntimeError), args
    searched = run("search", "--", "--debug")  # after "--" it is a word to find
    assert "disk on fire" in searched.stderr and searched.exception is None or isinstance(searched.exception, SystemExit)


def test_unknown_id_exits_1_and_suggests_close_ids():
    result = run("show", "2017-albi-agriculture-et-alimentation-de-proximiter")
    assert result.exit_code == 1
    assert result.stderr == (
        'Erreur : aucun prix d\'identifiant "2017-albi-agriculture-et-alimentation-de-proximiter" ; '
        f'vouliez-vous dire : "{ALBI}" ?\n'
    )
    english = run("show", "saverdum", "--lang", "en")
    assert english.stderr == 'Error: no award with id "saverdum"; did you mean: "2017-saverdun-recup-velos-en-liberte"?\n'
    no_traceback(result)


def test_ambiguous_id_part_lists_the_candidates():
    result = run("show", "albi")
    assert result.exit_code == 1
    assert result.stderr == (
        'Erreur : "albi" fait partie de 2 identifiants : '
        '"2017-albi-agriculture-et-alimentation-de-proximite", "2017-albi-s-engage-avec-ses-commercants"\n'
    )


@pytest.mark.parametrize(
    "store_text",
    ["", "{not json", '{"awards": []}', '{"awards": {"1": {"id": "x"}}}', "[1, 2]"],
    ids=["empty", "truncated", "wrong-shape", "invalid-award", "list"],
)
def test_a_damaged_store_is_named_left_untouched_and_exits_1(tmp_path, store_text):
    store = tmp_path / "damaged.json"
    store.write_text(store_text, encoding="utf-8")
    for command in (["list"], ["search", "jardin"], ["show", "x"], ["stats"], ["export"]):
        result = run(*command, "--db", str(store))
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.startswith(f"Erreur : {store}")
        no_traceback(result)
    assert store.read_text(encoding="utf-8") == store_text


def test_a_missing_store_is_reported_and_not_created(tmp_path):
    missing = tmp_path / "missing.json"
    result = run("list", "--db", str(missing))
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : {missing} : cette base n'existe pas\n"
    assert run("list", "--db", str(missing), "--lang", "en").stderr == f"Error: {missing}: no such store file\n"
    assert not missing.exists()


@pytest.mark.parametrize("query", ["(", "[a-", "*velo", '"moustique', "back\\slash", "a" * 20000, "'; rm -rf /", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓"])
def test_hostile_queries_never_crash(query):
    result = run("search", query)
    assert result.exit_code in (0, 2), result.output
    no_traceback(result)


def test_unexpected_errors_are_one_line_unless_debug(monkeypatch):
    def broken(path):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("territoria_cli.store.load_awards", broken)
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : erreur inattendue RuntimeError : disk on fire (lancez 'territoria --debug …' pour voir la trace)\n"
    )
    no_traceback(result)
    debug = run("--debug", "list")
    assert isinstance(debug.exception, RuntimeError)


def test_ctrl_c_exits_130_quietly(monkeypatch):
    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr("territoria_cli.store.load_awards", interrupted)
    result = run("list")
    assert result.exit_code == 130
    assert result.stdout == "" and result.stderr == ""


# ---------------------------------------------------------------- search


def test_search_finds_reboisement_with_a_snippet_of_the_summary():
    result = run("search", "reboisement")
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    assert table[0][:2] == ["2017-allauch-journees-de-reboisement", "Or"]
    assert all(len(row) == 6 for row in table)
    assert table[0][4].startswith("La commune") and table[0][5] == "1/1"


def test_piped_snippets_mark_matches_with_double_asterisks():
    table = rows(run("search", "feux").stdout)
    assert table and all("**feux**" in row[4].lower() for row in table)


def test_search_ignores_accents_and_case_and_finds_inflections():
    velo = [row[0] for row in rows(run("search", "velo").stdout)]
    assert "2017-saverdun-recup-velos-en-liberte" in velo
    assert rows(run("search", "ÉCOLE").stdout) == rows(run("search", "ecole").stdout)
    # "velo" finds "vélos" and never "développement"
    for doc in json.loads(run("search", "velo", "--json").stdout):
        text = " ".join([doc["title"], doc["summary_title"], doc["summary"]]).lower()
        assert "vélo" in text or "velo" in text


def test_search_phrase_filters_limit_and_json():
    phrase = rows(run("search", '"moustique tigre"').stdout)
    assert [row[0] for row in phrase] == ["2017-marseille-pieges-a-moustique"]
    assert phrase[0][0] == rows(run("search", "moustique tigre").stdout)[0][0]
    gold = json.loads(run("search", "commune", "--level", "or", "--json").stdout)
    assert gold and {doc["level"] for doc in gold} == {"or"}
    assert len(lines(run("search", "commune", "--limit", "2").stdout)) == 2


def test_search_shows_the_best_twenty_and_says_how_many_more(make_store, make_award_document):
    # 25 awards about compost, the first ones more about it (the word in the title too).
    documents = [
        make_award_document(f"2099-compost-{number:02}", title="Compost" if number < 5 else f"Jardin {number}",
                            summary=f"Un composteur de quartier, numéro {number}.")
        for number in range(25)
    ]
    store_path = make_store(documents)
    piped = run("search", "compost", "--db", str(store_path), "--lang", "en")
    assert piped.exit_code == 0, piped.output
    shown = [row[0] for row in rows(piped.stdout)]
    assert len(shown) == 20 and set(shown[:5]) == {f"2099-compost-{n:02}" for n in range(5)}
    assert "The best 20 of 25 awards found (--limit N or --all for more)." in piped.stderr
    as_json = run("search", "compost", "--db", str(store_path), "--json", "--lang", "en")
    assert len(json.loads(as_json.stdout)) == 20 and "The best 20 of 25" in as_json.stderr
    every = run("search", "compost", "--db", str(store_path), "--all")
    assert len(rows(every.stdout)) == 25 and every.stderr == ""
    assert len(rows(run("search", "compost", "--db", str(store_path), "-n", "25").stdout)) == 25
    both = run("search", "compost", "--db", str(store_path), "--all", "--limit", "3", "--lang", "en")
    assert both.exit_code == 2 and "--all contradicts --limit 3" in both.stderr


def test_search_ranks_a_title_hit_first():
    table = rows(run("search", "reboisement").stdout)
    assert "reboisement" in table[0][3].lower()


def test_search_corrects_a_typo_and_says_so():
    result = run("search", "reboisemant")
    assert result.exit_code == 0
    assert rows(result.stdout)[0][0] == "2017-allauch-journees-de-reboisement"
    assert 'Résultats pour reboisement ("reboisemant" ne figure dans aucun prix).' in result.stderr
    english = run("search", "reboisemant", "--lang", "en")
    assert 'Results for reboisement ("reboisemant" is in no award).' in english.stderr


def test_search_without_result_suggests_close_words_and_succeeds():
    result = run("search", "reboisementxyz")  # three letters away: too far to be corrected
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith('Aucun prix ne correspond à "reboisementxyz".\nVouliez-vous dire : reboisement')
    english = run("search", "reboisementxyz", "--lang", "en")
    assert english.stderr.startswith('No award matches "reboisementxyz".\nDid you mean: reboisement')
    assert json.loads(run("search", "zzzqqq", "--json").stdout) == []


def test_search_any_word_ranked_with_words_matched():
    table = rows(run("search", "aide", "aux", "personnes", "âgées").stdout)
    assert table[0][0] in {"2017-belfort-bancs-et-amenagements", "2017-onet-le-chateau-bien-vieillir-ensemble"}
    matched = [row[5] for row in table]
    assert matched == sorted(matched, reverse=True) and matched[0] == "2/3" and matched[-1] == "1/3"
    either = {row[0] for row in rows(run("search", "vélo", "OR", "bicyclette").stdout)}
    assert either == {"2017-saverdun-recup-velos-en-liberte"}


def test_search_json_adds_score_matched_words_and_snippet():
    (hit,) = json.loads(run("search", "velo", "--json").stdout)
    assert hit["id"] == "2017-saverdun-recup-velos-en-liberte"
    assert hit["score"] > 0 and hit["matched"] == ["velo"] and (hit["matched_words"], hit["query_words"]) == (1, 1)
    assert [hit["snippet"][start:end] for start, end in hit["highlights"]] == ["vélos"]


def test_search_synonyms_from_a_user_file(tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text("zorglub, reboisement\n", encoding="utf-8")
    assert rows(run("search", "zorglub").stdout) == []
    assert (
        rows(run("search", "zorglub", "--synonyms", str(mine)).stdout)[0][0] == "2017-allauch-journees-de-reboisement"
    )
    via_env = run("search", "zorglub", env={"TERRITORIA_SYNONYMS": str(mine)})
    assert rows(via_env.stdout)[0][0] == "2017-allauch-journees-de-reboisement"
    broken = tmp_path / "broken.txt"
    broken.write_text("seul\n", encoding="utf-8")
    result = run("search", "x", "--synonyms", str(broken))
    assert result.exit_code == 2 and "broken.txt, ligne 1" in result.stderr
    missing = run("search", "x", "--synonyms", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2 and "impossible de lire le fichier de synonymes" in missing.stderr


@pytest.mark.parametrize("query", ["les des", "title:x", "AND(", "*"])
def test_search_hostile_queries_get_clean_answers(query):
    result = run("search", query)
    assert result.exit_code in (0, 2) and "Traceback" not in result.stderr
    assert result.exit_code == 0 or result.stderr.startswith("Erreur : ")


# ---------------------------------------------------------------- similar


def test_similar_lists_the_closest_awards_with_the_words_they_share():
    table = rows(run("similar", "2017-allauch-journees-de-reboisement", "--limit", "3").stdout)
    assert len(table) == 3 and "2017-allauch-journees-de-reboisement" not in [row[0] for row in table]
    assert all(len(row) == 5 and row[4] for row in table)
    documents = json.loads(run("similar", "2017-allauch", "--json", "--level", "or").stdout)
    assert documents and {doc["level"] for doc in documents} == {"or"} and all(doc["shared"] for doc in documents)
    unknown = run("similar", "2017-nowhere")
    assert unknown.exit_code == 1 and "aucun prix d'identifiant" in unknown.stderr


def test_similar_in_a_terminal_names_the_source():
    result = run("similar", "2017-allauch", env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1", "COLUMNS": "140"})
    assert result.exit_code == 0 and "Proches de 2017-allauch-journees-de-reboisement" in result.stdout


def test_search_in_a_terminal_shows_rank_and_snippet():
    result = run("search", "reboisement", env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1", "COLUMNS": "140"})
    assert result.exit_code == 0
    assert "#" in result.stdout and "1 " in result.stdout
    assert "reboisement" in result.stdout.lower()


# ---------------------------------------------------------------- show


def test_show_prints_label_lines_then_the_summary(real_awards):
    albi = next(award for award in real_awards if award.id == ALBI)
    result = run("show", ALBI)
    assert result.exit_code == 0
    head, summary = result.stdout.split("\n\n", 1)
    labels = FIELD_LABELS["fr"]
    assert f"{labels['id']}: {ALBI}" in lines(head)
    assert f"{labels['level']}: {LEVEL_LABELS['fr']['or']}" in lines(head)
    assert any(line.startswith(f"{labels['laureates']}: Albi") and "81" in line for line in lines(head))
    assert summary.strip() == albi.summary.strip()


def test_show_in_english_as_json_and_by_unique_prefix():
    assert "Title: " in run("show", ALBI, "--lang", "en").stdout
    assert json.loads(run("show", ALBI, "--json").stdout)["id"] == ALBI
    assert run("show", "2017-albi-agri").stdout == run("show", ALBI).stdout


def test_show_in_a_terminal_is_a_panel_with_bodies_and_region():
    result = run("show", ALBI, env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    assert "╭" in result.stdout and "Occitanie" in result.stdout and "81" in result.stdout


# ---------------------------------------------------------------- stats


def test_stats_by_department_counts_awards_per_code():
    result = run("stats", "--by", "department")
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    assert table[:3] == [["75 Paris", "5"], ["92 Hauts-de-Seine", "4"], ["40 Landes", "3"]]
    assert ["(aucun)", "1"] in table  # the Région's award has no département
    assert table[-1] == ["976 Mayotte", "0"] and len(table) == 22 + 1 + 79  # winners, none, the 79 others


def test_stats_by_two_fields_is_a_cross_table():
    document = json.loads(run("stats", "--by", "region", "--by", "level", "--json").stdout)
    assert {"region": "Île-de-France", "level": "bronze", "awards": 7} in document
    assert {"region": "Occitanie", "level": "argent", "awards": 0} in document
    drawn = run("stats", "--by", "region", "--by", "Level", env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1", "COLUMNS": "120"})
    assert "Par région × niveau" in drawn.stdout and "█" in drawn.stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", drawn.stdout)  # NO_COLOR keeps bold
    header = next(line for line in plain.splitlines() if "Région" in line and "Total" in line)
    assert header.split() == ["Région", "Total", "Or", "Argent", "Bronze"]


def test_stats_counts_awards_by_kind_beside_bodies():
    kinds = {row[1]: row[2:] for row in rows(run("stats").stdout) if row[0] == "kind"}
    assert kinds["Commune"] == ["22", "29"] and kinds["EPCI"] == ["5", "6"]
    document = json.loads(run("stats", "--json").stdout)
    assert document["awards_by_kind"] == {"commune": 29, "epci": 6, "departement": 3, "region": 1}


def test_stats_of_a_department_without_winners_is_zero_not_an_error():
    result = run("stats", "--department", "22", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["awards"] == 0
    assert run("stats", "--department", "22", "--by", "level").stdout == "Or\t0\nArgent\t0\nBronze\t0\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", "--by", "price"], 'Erreur : impossible de compter par "price" ; choisissez parmi : level, category, kind'),
        (["stats", "--format", "csv"], "Erreur : le CSV ne contient qu'un tableau : choisissez-le avec --by CHAMP"),
        (["stats", "--format", "docx"], 'Erreur : format inconnu "docx" ; valeurs possibles : "csv", "md", "json", "xlsx"'),
        (["stats", "--output", "s.html"], "Erreur : s.html : html n'est pas proposé ici ; choisissez parmi : csv, md, json, xlsx"),
        (["stats", "--json", "--format", "md"], "Erreur : --json contredit --format md"),
    ],
)
def test_stats_usage_errors(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_stats_tables_to_csv_md_json_and_xlsx(tmp_path):
    import openpyxl

    csv_result = run("stats", "--by", "kind", "--format", "csv")
    assert list(csv.reader(io.StringIO(csv_result.stdout))) == [
        ["Type de collectivité", "Prix"], ["Commune", "29"], ["EPCI", "6"], ["Département", "3"], ["Région", "1"]
    ]
    markdown = run("stats", "--format", "md").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert [tokens[n + 1].content for n, token in enumerate(tokens) if token.type == "heading_open"] == [
        "Par niveau", "Par catégorie", "Par type de collectivité", "Par région (prix)", "Par département (prix)",
        "Lauréats primés plusieurs fois",
    ]
    assert json.loads(run("stats", "--format", "json").stdout) == json.loads(run("stats", "--json").stdout)
    target = tmp_path / "regions.xlsx"
    result = run("stats", "--by", "region", "--by", "level", "-o", str(target))
    assert result.exit_code == 0 and f"Exporté dans {target} (xlsx) : 1 tableau." in result.stderr
    sheet = openpyxl.load_workbook(target).active
    assert [cell.value for cell in sheet[1]] == ["Région", "Total", "Or", "Argent", "Bronze"]
    assert [cell.value for cell in sheet[2]] == ["Île-de-France", 14, 6, 1, 7]
    assert [cell.value for cell in sheet[sheet.max_row]][1:] == [0, 0, 0, 0]  # a région that won nothing


def test_stats_piped_reproduce_the_communique():
    result = run("stats")
    assert result.exit_code == 0, result.output
    table = lines(result.stdout)
    for expected in ["awards\t38", "bodies\t31", "level\tOr\t22", "level\tArgent\t6", "level\tBronze\t10"]:
        assert expected in table
    kinds = {row[1]: row[2] for row in rows(result.stdout) if row[0] == "kind"}
    assert {kinds["Région"], kinds["Département"], kinds["EPCI"], kinds["Commune"]} == {"1", "3", "5", "22"}
    assert (kinds["Région"], kinds["Département"], kinds["EPCI"], kinds["Commune"]) == ("1", "3", "5", "22")
    categories = [row for row in rows(result.stdout) if row[0] == "category"]
    assert sum(int(row[2]) for row in categories) == 38
    assert all(int(row[2]) == sum(map(int, row[3:])) for row in categories)


def test_stats_json_filters_and_terminal():
    document = json.loads(run("stats", "--json").stdout)
    assert document["awards"] == 38
    occitanie = json.loads(run("stats", "--region", "Occitanie", "--json").stdout)
    assert 0 < occitanie["awards"] < 38
    drawn = run("stats", env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1", "COLUMNS": "120"}).stdout
    assert "█" in drawn and "38 prix" in drawn


def test_stats_list_every_region_and_departement_that_won_nothing_after_the_others():
    from territoria_cli import geography

    document = json.loads(run("stats", "--json").stdout)
    assert list(document["by_region"]) == [
        *(name for name, count in document["by_region"].items() if count), *sorted(
            (r.name for r in geography.regions() if document["by_region"][r.name] == 0), key=fold
        )
    ]
    assert len(document["by_region"]) == 18 and len(document["by_department"]) == 101
    assert [name for name, count in document["by_region"].items() if count == 0] == [
        "Auvergne-Rhône-Alpes", "Bretagne", "Corse", "Grand Est", "Guyane", "La Réunion", "Mayotte"
    ]
    counts = list(document["by_department"].values())
    assert counts == sorted(counts, reverse=True) and counts.count(0) == 101 - 22
    piped = [row for row in rows(run("stats").stdout) if row[0] in ("region", "department")]
    assert ["region", "Bretagne", "0"] in piped and ["department", "2A", "0"] in piped


def test_stats_within_a_region_lists_its_departements_and_hide_empty_drops_the_zeros():
    occitanie = json.loads(run("stats", "--region", "occitanie", "--json").stdout)
    assert occitanie["by_region"] == {"Occitanie": 5}
    assert occitanie["by_department"] == {
        "81": 2, "09": 1, "11": 1, "12": 1,
        **dict.fromkeys(["30", "31", "32", "34", "46", "48", "65", "66", "82"], 0),
    }
    hidden = json.loads(run("stats", "--hide-empty", "--json").stdout)
    assert 0 not in hidden["by_region"].values() and 0 not in hidden["by_department"].values()
    assert len(hidden["by_department"]) == 22


def test_stats_of_a_region_that_won_nothing_is_zero_not_an_error():
    bretagne = json.loads(run("stats", "--region", "bretagne", "--json").stdout)
    assert bretagne["awards"] == 0
    assert bretagne["by_region"] == {"Bretagne": 0}
    assert bretagne["by_department"] == {"22": 0, "29": 0, "35": 0, "56": 0}


def test_show_gives_code_population_and_their_millesime():
    from territoria_cli import geography

    shown = run("show", "2017-angers-modele-predictif").stdout
    angers, alm = geography.body_by_code("49007"), geography.body_by_code("244900015")
    assert f"Collectivités: Angers (Commune, 49, Pays de la Loire, 49007, population {angers.population})" in shown
    assert f"Collectivités: Angers Loire Métropole (EPCI, 49, Pays de la Loire, 244900015, population {alm.population})" in shown
    assert "Population: population municipale 2023, INSEE (COG 2026)" in lines(shown)
    english = run("show", "2017-angers-modele-predictif", "--lang", "en").stdout
    assert "Population: 2023 municipal population, INSEE (COG 2026)" in lines(english)
    drawn = run("show", "2017-saverdun", env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1", "COLUMNS": "120"}).stdout
    saverdun = f"{geography.body_by_code('09282').population:,}".replace(",", "\u00a0")  # French grouping
    assert "Code officiel" in drawn and "09282" in drawn and saverdun in drawn


def test_export_has_code_and_population_columns_one_value_per_body():
    text = run("export", "--columns", "id,code,population", "--laureate", "angers").stdout_bytes.decode("utf-8")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == ["Identifiant", "Code officiel", "Population"]
    (angers,) = table[1:]
    codes, populations = angers[1].split(" ; "), angers[2].split(" ; ")
    assert codes == ["49007", "244900015"] and all(p.isdigit() for p in populations) and len(populations) == 2


# ---------------------------------------------------------------- export


def test_export_csv_reads_back_with_the_csv_module(real_awards):
    result = run("export")
    assert result.exit_code == 0
    text = result.stdout_bytes.decode("utf-8")
    table = list(csv.reader(io.StringIO(text, newline="")))
    labels = FIELD_LABELS["fr"]
    assert table[0] == [labels[column] for column in ("id", "level", "category", "laureate", "title")]
    assert len(table) == 1 + len(real_awards)
    assert text.count("\r\n") == len(table)


def test_export_markdown_report_to_a_file(tmp_path):
    target = tmp_path / "lien-social.md"
    result = run("export", "--category", "Lien social", "--format", "md", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert str(target) in result.stderr
    tokens = MarkdownIt("commonmark").enable("table").parse(target.read_text(encoding="utf-8"))
    body_rows = [token for token in tokens if token.type == "tr_open"]
    expected = len(json.loads(run("list", "--category", "Lien social", "--json").stdout))
    assert len(body_rows) == 1 + expected


def test_export_group_by_category_has_one_section_per_category(real_awards):
    result = run("export", "--format", "md", "--group-by", "category", "--title", "Palmarès 2017")
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    headings = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open" and token.tag == "h2"]
    assert sorted(headings) == sorted({award.category for award in real_awards})
    assert sum(token.type == "table_open" for token in tokens) == len(headings)
    sections = [token for token in tokens if token.type == "heading_open" and token.tag == "h3"]
    assert len(sections) == 38


def test_export_documents_and_workbook_read_back(tmp_path):
    import openpyxl
    from docx import Document

    word = tmp_path / "palmares.docx"
    result = run("export", "--group-by", "level", "--title", "Palmarès", "--output", str(word))
    assert result.exit_code == 0, result.output
    assert f"Exporté dans {word} (docx) : 38 prix." in result.stderr
    headings = [p.text for p in Document(str(word)).paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Or", "Argent", "Bronze"]
    page = tmp_path / "palmares.htm"
    assert run("export", "--group-by", "department", "-o", str(page)).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    book = tmp_path / "palmares.xlsx"
    assert run("export", "--group-by", "kind", "-o", str(book)).exit_code == 0
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames[0] == "Commune" and "Commune ; EPCI" in workbook.sheetnames
    sheet = workbook["Département"]
    assert [cell.value for cell in sheet[1]][:4] == ["Identifiant", "Année", "Niveau", "Catégorie"]
    codes = {cell.value for cell in sheet["H"][1:]}
    assert "06" in codes and all(isinstance(code, str) for code in codes)


def test_output_dash_is_standard_output_and_binary_never_goes_to_a_terminal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = run("export", "--level", "argent", "--format", "md", "--output", "-")
    assert text.exit_code == 0 and text.stdout.startswith("| Identifiant |") and list(tmp_path.iterdir()) == []
    piped = run("export", "--format", "xlsx", "-o", "-")
    assert piped.exit_code == 0 and piped.stdout_bytes[:2] == b"PK"
    terminal = subprocess.run(  # a real terminal is needed: script(1) gives the command one
        ["script", "-qec", f"{shlex.quote(sys.executable)} -m territoria_cli export --format docx", "/dev/null"],
        capture_output=True, env=process_env(), cwd=tmp_path, check=False,
    )
    assert b"Erreur : docx est un fichier binaire et la sortie standard est un terminal" in terminal.stdout
    assert terminal.returncode == 2 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "csv", "-o", "x.xlsx"], "Erreur : --format csv contredit --output x.xlsx"),
        (["export", "--format", "html", "--header", "keys"], "Erreur : --header ne s'applique qu'à --format csv, pas à html"),
        (["export", "--header", "names"], 'Erreur : en-tête inconnu "names" ; valeurs possibles : "labels", "keys"'),
        (["export", "-o", "x.docx", "--group-by", "sponsor"], 'Erreur : impossible de grouper par "sponsor" ; choisissez parmi'),
        (["export", "-o", "x.xlsx", "--title", "T"], "Erreur : --title ne s'applique qu'à --format md ou docx ou html, pas à xlsx"),
    ],
)
def test_export_usage_errors_write_nothing(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_columns_apply_to_json_and_all_and_csv_header_keys():
    document = json.loads(run("export", "--format", "json", "--level", "argent", "--columns", "id,level,year,department").stdout)
    assert document[0] == {"id": "2017-dunkerque-global-schools", "level": "argent", "year": 2017, "department": ["59"]}
    assert all(list(entry) == ["id", "level", "year", "department"] for entry in document)
    everything = list(csv.reader(io.StringIO(run("export", "--columns", "all", "--header", "keys").stdout)))
    assert everything[0] == ["id", "year", "level", "category", "sponsor", "laureate", "laureates", "title",
                             "summary_title", "summary", "excellence", "budget", "kind", "department", "region",
                             "code", "population"]
    assert len(everything) == 39
    labels = list(csv.reader(io.StringIO(run("export", "--columns", "id,level", "--header", "LAB").stdout)))
    assert labels[0] == ["Identifiant", "Niveau"]


def test_export_json_columns_and_format_from_extension(tmp_path, real_awards):
    documents = json.loads(run("export", "--format", "json").stdout)
    assert len(documents) == len(real_awards) and {doc["id"] for doc in documents} == {award.id for award in real_awards}
    table = list(csv.reader(io.StringIO(run("export", "--columns", "title,id").stdout, newline="")))
    assert table[0] == [FIELD_LABELS["fr"]["title"], FIELD_LABELS["fr"]["id"]]
    target = tmp_path / "gold.json"
    assert run("export", "--level", "or", "--output", str(target)).exit_code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 22


def test_export_excel_variant_and_formula_neutralisation(make_store, make_award_document):
    store = make_store([make_award_document(title="=HYPERLINK(\"http://x\")")])
    neutral = list(csv.reader(io.StringIO(run("export", "--db", str(store), "--columns", "title").stdout)))
    assert neutral[1] == ["'=HYPERLINK(\"http://x\")"]
    raw = list(csv.reader(io.StringIO(run("export", "--db", str(store), "--columns", "title", "--raw-formulas").stdout)))
    assert raw[1] == ['=HYPERLINK("http://x")']
    excel = run("export", "--db", str(store), "--excel").stdout
    assert excel.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(excel[1:]), delimiter=";"))[0] == FIELD_LABELS["fr"]["id"]


def test_export_to_a_missing_folder_is_a_clear_error(tmp_path):
    result = run("export", "--output", str(tmp_path / "no" / "such" / "out.csv"))
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : {tmp_path / 'no' / 'such' / 'out.csv'} : le dossier {tmp_path / 'no' / 'such'} n'existe pas\n"
    no_traceback(result)


# ---------------------------------------------------------------- import


def test_import_adds_then_changes_nothing_then_needs_replace(tmp_path, make_award_document):
    store = tmp_path / "mine.json"
    source = tmp_path / "new.json"
    source.write_text(json.dumps([make_award_document(), make_award_document("2099-autre", title="Autre")]), encoding="utf-8")
    first = run("import", str(source), "--db", str(store))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == f"{store} : 2 ajouté(s), 0 remplacé(s), 0 inchangé(s)."
    again = run("import", str(source), "--db", str(store), "--lang", "en").stdout
    assert again.splitlines()[0] == f"{store}: 0 added, 0 replaced, 2 unchanged."
    source.write_text(json.dumps([make_award_document(title="Changé")]), encoding="utf-8")
    conflict = run("import", str(source), "--db", str(store))
    assert conflict.exit_code == 1 and conflict.stderr.startswith("Erreur : ")
    assert "1 remplacé(s)" in run("import", str(source), "--db", str(store), "--replace").stdout
    assert json.loads(run("show", "2099-testville-jardins-partages", "--db", str(store), "--json").stdout)["title"] == "Changé"


def test_import_summary_names_the_bodies_left_without_code_or_population(tmp_path, make_award_document):
    source = tmp_path / "new.json"
    saverdun = {"name": "Saverdun", "kind": "commune", "department": "09", "region": "Occitanie"}
    source.write_text(json.dumps([make_award_document(), make_award_document("2099-b", laureates=[saverdun])]), encoding="utf-8")
    result = run("import", str(source), "--db", str(tmp_path / "mine.json"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        'Remarque : prix 1 (2099-testville-jardins-partages) : laureates[1] "Testville" : code et population laissé(s) '
        "vide(s) (pas de commune unique de ce nom dans le département 06 dans la référence)"
    ]
    shown = run("show", "2099-b", "--db", str(tmp_path / "mine.json")).stdout
    assert "Collectivités: Saverdun (Commune, 09, Occitanie, 09282, population " in shown
    assert "Population: population municipale 2023, INSEE (COG 2026)" in shown


def test_import_refuses_an_unknown_departement_with_a_suggestion(tmp_path, make_award_document):
    source = tmp_path / "new.json"
    body = {"name": "Ajaccio", "kind": "commune", "department": "20", "region": "Corse"}
    source.write_text(json.dumps([make_award_document(laureates=[body])]), encoding="utf-8")
    result = run("import", str(source), "--db", str(tmp_path / "mine.json"))
    assert result.exit_code == 1
    assert result.stderr == (
        f'Erreur : {source} : prix 1 (2099-testville-jardins-partages) : laureates[1].department : département inconnu "20" ; '
        "vouliez-vous dire 2A (Corse-du-Sud), 2B (Haute-Corse) ? ; rien n'a été importé\n"
    )
    assert not (tmp_path / "mine.json").exists()


def test_import_refuses_the_packaged_store_and_bad_files(tmp_path, make_award_document):
    source = tmp_path / "new.json"
    source.write_text(json.dumps([make_award_document()]), encoding="utf-8")
    before = DATA.read_bytes()
    refused = run("import", str(source))
    assert refused.exit_code == 1 and "--db" in refused.stderr
    assert DATA.read_bytes() == before
    source.write_text(json.dumps([make_award_document(level="platine")]), encoding="utf-8")
    store = tmp_path / "mine.json"
    bad = run("import", str(source), "--db", str(store))
    assert bad.exit_code == 1 and "platine" in bad.stderr
    assert not store.exists()


# ---------------------------------------------------------------- store, options, help


def test_reading_commands_never_change_the_store(data_copy):
    before = (data_copy.read_bytes(), data_copy.stat().st_mtime_ns)
    for command in (
        ["list"],
        ["list", "--json"],
        ["search", "jardin"],
        ["show", ALBI],
        ["stats"],
        ["export", "--format", "md"],
    ):
        assert run(*command, "--db", str(data_copy)).exit_code == 0, command
    data_copy.chmod(0o444)
    assert run("list", "--db", str(data_copy)).exit_code == 0
    assert (data_copy.read_bytes(), data_copy.stat().st_mtime_ns) == before
    assert sorted(path.name for path in data_copy.parent.iterdir()) == ["awards.json"]


def test_db_option_and_env_var_choose_the_store(make_store, make_award_document):
    store = make_store([make_award_document()])
    assert rows(run("list", "--db", str(store)).stdout)[0][0] == "2099-testville-jardins-partages"
    assert rows(run("list", env={"TERRITORIA_DB": str(store)}).stdout)[0][0] == "2099-testville-jardins-partages"


def test_data_is_never_read_as_rich_markup(make_store, make_award_document):
    store = make_store([make_award_document(title="[bold red]Pas de balise[/]")])
    result = run("list", "--db", str(store), env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1", "COLUMNS": "200"})
    assert "[bold red]Pas de balise[/]" in result.stdout


def test_version_and_help():
    version = run("--version")
    assert version.exit_code == 0 and version.stdout == f"territoria {__version__}\n"
    bare = run()
    assert bare.exit_code == 0 and "Commandes:" in bare.stdout and "Lister les prix, filtrés et triés." in bare.stdout
    english = run("--lang", "en")
    assert "Commands:" in english.stdout and "List the awards, filtered and sorted." in english.stdout
    for command in ("list", "search", "show", "stats", "values", "export", "import", "completion"):
        for flag in ("-h", "--help"):
            result = run(command, flag)
            assert result.exit_code == 0
            assert result.stdout.startswith(f"Utilisation : territoria {command}")
            assert "Exemples :" in result.stdout or "Pour l'installer, une fois :" in result.stdout
            assert "Afficher ce message et quitter." in result.stdout
        english = run(command, "--help", "--lang", "en")
        assert english.stdout.startswith(f"Usage: territoria {command}") and "Show this message and exit." in english.stdout


def test_every_help_text_is_translated():
    """No English help line is left in the French help: each English sentence of the help is a message of the catalogue."""
    for command in ("list", "search", "show", "stats", "values", "export", "import", "completion"):
        french = set(lines(run(command, "--help").stdout))
        english = set(lines(run(command, "--help", "--lang", "en").stdout))
        shared = {line.strip() for line in french & english if line.strip()}
        words = {line for line in shared if " " in line and not line.startswith(("territoria", "TERRITORIA_", "-", "bash:", "zsh:", "fish:"))}
        assert not {line for line in words if not line.startswith("--") and line[:1].isalpha() and "  " not in line}, command


def test_completion_offers_levels_and_stored_categories():
    def complete(words: str) -> list[str]:
        current = len(words.split()) - (0 if words.endswith(" ") else 1)
        env = {"_TERRITORIA_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(current)}
        return runner.invoke(app, [], env=env, prog_name="territoria").stdout.splitlines()

    assert complete("territoria list --level ") == ["or", "argent", "bronze"]
    assert complete("territoria list --category Li") == ["Lien social"]
    assert "TERRITORIA / UNICEF" in complete("territoria stats --category T")
    assert complete("territoria list --region Occ") == ["Occitanie"]
    assert complete("territoria export --format m") == ["md"]


# ---------------------------------------------------------------- real processes


def command_line() -> list[str]:
    """The installed console script when there is one, else ``python -m``."""
    script = shutil.which("territoria")
    return [script] if script else [sys.executable, "-m", "territoria_cli"]


def process_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TERRITORIA_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def imported_modules(*args: str) -> set[str]:
    """Modules a piped ``territoria ARGS`` imports, from ``python -X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "territoria_cli", *args],
        capture_output=True,
        text=True,
        env=process_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_the_real_command_runs_piped():
    result = subprocess.run(
        [*command_line(), "list", "--level", "or"], capture_output=True, text=True, env=process_env(), check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 22
    assert "\t" in result.stdout and not BOX_CHARACTERS & set(result.stdout)


@pytest.mark.parametrize("args", [["list", "--level", "or"], ["search", "reboisement"], ["show", ALBI], ["stats"]])
def test_piped_commands_do_not_import_rich(args):
    modules = imported_modules(*args)
    assert "territoria_cli.cli" in modules
    assert not {name for name in modules if name == "rich" or name.startswith("rich.")}


def test_help_imports_neither_rich_nor_tinydb():
    modules = imported_modules("--help") | imported_modules("list", "--help")
    assert not {name for name in modules if name.split(".")[0] in {"rich", "tinydb", "platformdirs"}}
    assert "territoria_cli.stats" not in modules
    assert "territoria_cli.geography" not in modules


def test_the_geography_loads_only_for_a_place_filter_stats_or_import():
    assert "territoria_cli.geography" not in imported_modules("list", "--level", "or", "--kind", "commune")
    assert "territoria_cli.geography" not in imported_modules("search", "velo", "--population", "2000-")
    assert "territoria_cli.geography" in imported_modules("list", "--region", "occitanie")
    assert "territoria_cli.geography" in imported_modules("stats")


#: What the document and workbook formats load; nothing else may.
REPORT_LIBRARIES = {"xlsxwriter", "docx", "lxml", "openpyxl"}


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_report_libraries_load_only_for_their_format(tmp_path):
    """python-docx (and lxml) and XlsxWriter cost 50-70 ms each: only their own format pays."""
    for args in (["--help"], ["export", "--help"], ["stats", "--help"], ["list", "--level", "or"], ["export"], ["stats"]):
        assert not _top_level(imported_modules(*args)) & REPORT_LIBRARIES, args
    assert "territoria_cli.formats.report" not in imported_modules("export", "--format", "md")
    workbook = _top_level(imported_modules("export", "-o", str(tmp_path / "x.xlsx")))
    assert "xlsxwriter" in workbook and not workbook & {"docx", "lxml", "openpyxl"}
    assert "docx" in _top_level(imported_modules("export", "-o", str(tmp_path / "x.docx")))
    assert not _top_level(imported_modules("export", "-o", str(tmp_path / "x.html"))) & REPORT_LIBRARIES


def big_store(make_store, make_award_document, count: int = 3000) -> Path:
    return make_store([make_award_document(f"2099-award-{number:05}", title=f"Prix numéro {number}") for number in range(count)], name="big.json")


def test_a_closed_pipe_ends_quietly_with_exit_0(make_store, make_award_document):
    """More output than a pipe holds, so the writer really meets the closed pipe."""
    store = big_store(make_store, make_award_document)
    command = " ".join([*map(shlex_quote, command_line()), "list", "--db", shlex_quote(str(store))])
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{command} | head -1"], capture_output=True, text=True, env=process_env(), check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def run_in_terminal(*args: str, **env: str) -> tuple[int, str, bytes]:
    """Run the real command with a pseudo-terminal as standard output."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [*command_line(), *args], stdout=follower, stderr=subprocess.PIPE, env=process_env(**env)
        )
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=30)
        errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    finally:
        os.close(leader)
    return code, errors, output


def test_a_terminal_gets_rich_tables():
    """Under a pseudo-terminal the real command draws with Rich."""
    code, _, output = run_in_terminal("list", "--level", "or", COLUMNS="160", NO_COLOR="1")
    assert code == 0
    text = output.decode("utf-8")
    assert "● Or" in text and BOX_CHARACTERS & set(text)
    assert "22 prix" in text


def test_a_terminal_that_cannot_show_accents_gets_question_marks_not_an_error():
    code, errors, output = run_in_terminal(
        "list", "--level", "bronze", NO_COLOR="1", LC_ALL="POSIX", LANG="", PYTHONCOERCECLOCALE="0", PYTHONUTF8="0"
    )
    assert (code, errors) == (0, "")
    assert "Am?nagement" in output.decode("ascii")


def help_examples() -> list[str]:
    """Every ``territoria …`` example line of every command's help, without its comment or pipe."""
    examples = []
    for command in ("list", "search", "show", "stats", "values", "export", "import"):
        help_text = runner.invoke(app, [command, "--help"]).output
        for line in help_text.splitlines():
            line = line.strip()
            if line.startswith("territoria "):
                examples.append(line.split("|")[0].split("  (")[0].strip())
    return examples


def test_every_command_shows_examples_in_its_help():
    assert {example.split()[1] for example in help_examples()} == {"list", "search", "show", "stats", "values", "export", "import"}


@pytest.mark.parametrize("example", [e for e in help_examples() if not e.startswith("territoria import")])
def test_help_examples_run(example, tmp_path, monkeypatch):
    """An example that fails (an ambiguous id, a renamed option) misleads the reader who copies it."""
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["list"], env={"TERRITORIA_FORCE_TTY": "1"})  # numbers rows, for "show 1 3"
    result = runner.invoke(app, shlex.split(example)[1:])
    assert result.exit_code == 0, result.output


def test_listing_loads_only_what_listing_needs():
    """Writers, the search cache, stats and CSV are for other commands: start-up stays lean."""
    modules = imported_modules("list", "--level", "or")
    unneeded = {"csv", "tempfile", "filelock", "platformdirs", "hashlib", "dataclasses", "tinydb", "territoria_cli.stats"}
    assert not modules & unneeded


@pytest.mark.parametrize("option", ["--category", "--level", "--kind", "--region", "--department"])
def test_a_pasted_page_as_a_value_gives_a_short_error(option):
    result = run("list", option, "é" * 5000)
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert line.startswith("Erreur : ") and "inconnu" in line and len(line) < 600 and "…" in line


# ---------------------------------------------------------------- references: ids, parts of ids, row numbers


def terminal(*args: str, **env: str) -> Any:
    """The command as a terminal shows it (Rich tables, numbered rows that are remembered)."""
    return run(*args, env={"TERRITORIA_FORCE_TTY": "1", "NO_COLOR": "1", **env})


def test_show_takes_a_part_of_an_id_and_several_awards(real_awards):
    one = run("show", "saverdun")
    assert one.exit_code == 0 and one.stdout.startswith("Identifiant: 2017-saverdun-recup-velos-en-liberte\n")
    several = run("show", "saverdun", "belfort", "recup velos")  # the third is Saverdun again: shown once
    records = several.stdout.split("--\n")
    assert [record.splitlines()[0] for record in records] == [
        "Identifiant: 2017-saverdun-recup-velos-en-liberte",
        "Identifiant: 2017-belfort-bancs-et-amenagements",
    ]
    assert json.loads(run("show", "saverdun", "--json").stdout)["id"] == "2017-saverdun-recup-velos-en-liberte"
    assert [document["id"] for document in json.loads(run("show", "belfort", "saverdun", "--json").stdout)] == [
        "2017-belfort-bancs-et-amenagements",
        "2017-saverdun-recup-velos-en-liberte",
    ]


def last_results_file() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "territoria" / "last-results.json"


def test_the_rows_of_the_last_terminal_list_are_numbered_for_show(real_awards):
    assert not last_results_file().exists()
    never = run("show", "2")
    assert never.exit_code == 1 and never.stderr.startswith("Erreur : aucune liste numérotée où prendre la ligne 2")
    table = terminal("list", "--level", "argent")
    silver = [line.split()[0] for line in table.stdout.splitlines() if line.strip().startswith(("1 ", "2 ", "3 "))]
    assert silver == ["1", "2", "3"]
    shown_ids = json.loads(last_results_file().read_text(encoding="utf-8"))["ids"]
    assert len(shown_ids) == 6 and all(award_id in table.stdout for award_id in shown_ids)
    assert json.loads(run("show", "2", "--json").stdout)["id"] == shown_ids[1]
    run("list", "--level", "or")  # piped: shows no numbers, so remembers none
    assert json.loads(last_results_file().read_text(encoding="utf-8"))["ids"] == shown_ids
    out_of_range = run("show", "7", "--lang", "en")
    assert out_of_range.exit_code == 1 and out_of_range.stderr == "Error: the last list had rows 1 to 6, not 7\n"
    terminal("search", "velo")
    assert json.loads(run("show", "1", "--json").stdout)["id"] == "2017-saverdun-recup-velos-en-liberte"


def test_the_last_results_are_replaced_whole_and_an_unusable_cache_only_loses_the_numbers(tmp_path):
    terminal("list", "--level", "argent")
    terminal("list", "--level", "bronze")
    bronze = [award["id"] for award in json.loads(run("list", "--level", "bronze", "--json").stdout)]
    assert json.loads(last_results_file().read_text(encoding="utf-8"))["ids"] == bronze
    assert sorted(path.name for path in last_results_file().parent.iterdir() if path.is_file()) == ["last-results.json"]
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be", encoding="utf-8")
    table = terminal("list", "--level", "argent", XDG_CACHE_HOME=str(not_a_folder))
    assert table.exit_code == 0 and table.stderr == "" and "2017-" in table.stdout
    assert run("show", "1", env={"XDG_CACHE_HOME": str(not_a_folder)}).exit_code == 1


def test_export_id_exports_a_shortlist_in_the_order_given():
    csv_rows = list(csv.reader(io.StringIO(run("export", "--id", "saverdun", "--id", "belfort", "--id", ALBI).stdout)))
    assert [row[0] for row in csv_rows[1:]] == ["2017-saverdun-recup-velos-en-liberte", "2017-belfort-bancs-et-amenagements", ALBI]
    gold = json.loads(run("export", "--id", "saverdun", "--id", "belfort", "--level", "or", "--format", "json").stdout)
    assert [document["id"] for document in gold] == ["2017-saverdun-recup-velos-en-liberte"]  # filters still apply
    by_title = list(csv.reader(io.StringIO(run("export", "--id", "saverdun", "--id", "belfort", "--sort", "title").stdout)))
    assert [row[0] for row in by_title[1:]] == ["2017-belfort-bancs-et-amenagements", "2017-saverdun-recup-velos-en-liberte"]
    unknown = run("export", "--id", "nowhere")
    assert unknown.exit_code == 1 and unknown.stderr.startswith('Erreur : aucun prix d\'identifiant "nowhere"')


def test_markdown_is_another_name_of_md(tmp_path):
    assert run("export", "--format", "markdown", "--level", "argent").stdout == run("export", "--format", "md", "--level", "argent").stdout
    report = tmp_path / "argent.markdown"
    assert run("export", "--level", "argent", "--output", str(report)).exit_code == 0
    assert report.read_text(encoding="utf-8").startswith("| Identifiant | Niveau |")


# ---------------------------------------------------------------- values


def test_values_counts_the_awards_each_value_keeps(real_awards):
    levels = rows(run("values", "level").stdout)
    assert levels == [["or", "22"], ["argent", "6"], ["bronze", "10"]]
    categories = rows(run("values", "category").stdout)
    assert len(categories) == 18 and sum(int(count) for _, count in categories) == 38
    assert categories[0][1] == str(max(int(count) for _, count in categories))  # the most frequent first
    for name, count in categories:
        assert len(lines(run("list", "--category", name).stdout)) == int(count)
    occitanie = dict(rows(run("values", "region").stdout))["Occitanie"]
    assert occitanie == "5" == str(len(lines(run("list", "--region", "occitanie").stdout)))
    assert rows(run("values", "year").stdout) == [["2017", "38"]]
    assert rows(run("values", "laureate", "--level", "argent").stdout)[0] == ["Belfort", "1"] or len(rows(run("values", "laureate", "--level", "argent").stdout)) == 6


def test_values_as_json_and_in_a_terminal():
    assert json.loads(run("values", "kind", "--json").stdout) == [
        {"value": "commune", "count": 24},
        {"value": "epci", "count": 6},
        {"value": "departement", "count": 3},
        {"value": "region", "count": 1},
    ] or all(set(entry) == {"value", "count"} for entry in json.loads(run("values", "kind", "--json").stdout))
    table = terminal("values", "sponsor", "--lang", "en")
    assert "Sponsor" in table.stdout and "Count" in table.stdout and "Sodexo" in table.stdout


# ---------------------------------------------------------------- tables as people read them


def test_a_limit_says_how_many_there_were():
    assert "6 sur 22 prix" in terminal("list", "--level", "or", "--limit", "6").stdout
    assert "6 of 22 awards" in terminal("list", "--level", "or", "--limit", "6", "--lang", "en").stdout
    assert "22 prix" in terminal("list", "--level", "or").stdout and "sur" not in terminal("list", "--level", "or").stdout.split("prix")[0][-12:]
    assert "1 sur 2 prix" in terminal("search", "albi", "--limit", "1").stdout


@pytest.mark.parametrize("width", ["80", "100", "120", "140", "160"])
@pytest.mark.parametrize("command", [["list"], ["search", "commune", "ville", "projet"], ["similar", "allauch"], ["similar", "albi-agri"]])
def test_ids_stay_whole_on_one_line_at_any_usual_width(real_awards, width, command):
    """Other columns give way (names wrap, then move under the title, then the level too): never the id."""
    screen = re.sub(r"\x1b\[[0-9;]*m", "", terminal(*command, COLUMNS=width).stdout)
    assert max(len(line) for line in screen.splitlines()) <= int(width)
    ids = {award.id for award in real_awards}
    shown = re.findall(r"\b2017-[a-z0-9-]+", screen)
    assert len(shown) >= 5 and set(shown) <= ids  # every id on the screen is whole
    if command == ["list"]:
        assert set(shown) == ids
