"""What commands read once a store is big: a validated copy in the user cache folder (the catalogue).

Every test runs the real commands on a generated store of 400 awards (the
real ones with new ids and years, as the benchmark generates its stores),
large enough to be cached, and checks what a user sees: the same answers as
reading the store directly (which is what happens when the cache cannot be
written), answers that follow the store when it changes, and no file written
beside the store.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import write_store
from typer.testing import CliRunner

from territoria_cli.catalogue import CHUNK_AWARDS, DIRECT_READ_BYTES, Catalogue
from territoria_cli.cli import app
from territoria_cli.filters import NO_FILTERS
from territoria_cli.stats import compute_stats, palmares_stats
from territoria_cli.store import load_awards

GENERATED = 400
runner = CliRunner()


def run(*args: str, cache: Path) -> Any:
    return runner.invoke(app, list(args), env={"XDG_CACHE_HOME": str(cache)})


@pytest.fixture
def big_store(tmp_path: Path, real_awards) -> Path:
    """400 awards in a folder of their own: the real ones again, with new ids and years."""
    documents = []
    for number in range(GENERATED):
        document = real_awards[number % len(real_awards)].to_document()
        document["id"] = f"{document['id']}-{number}"
        document["year"] = 1986 + number % 32
        documents.append(document)
    folder = tmp_path / "stores"
    folder.mkdir()
    path = write_store(folder / "big.json", documents)
    assert path.stat().st_size > DIRECT_READ_BYTES  # big enough to be cached, or these tests test nothing
    return path


def cache_files(cache: Path) -> dict[str, int]:
    """Every file under the cache folder, with its modification time."""
    return {str(path.relative_to(cache)): path.stat().st_mtime_ns for path in cache.rglob("*") if path.is_file()}


def rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()]


def generated_id(real_awards, number: int) -> str:
    return f"{real_awards[number % len(real_awards)].id}-{number}"


#: "#n" stands for the id of generated award number n.
COMMANDS = [
    ("list", "--level", "or"),
    ("list", "--sort", "title", "--reverse", "--json"),
    ("list", "--region", "occitanie", "--year", "1990"),
    ("list", "--level", "or", "--sort", "population", "--limit", "3"),
    ("list", "--kind", "epci", "--sort", "year", "--reverse", "--limit", "700", "--json"),
    ("stats", "--by", "kind", "--by", "level", "--population", "10000-"),
    ("export", "--level", "bronze", "--format", "json", "--sort", "title"),
    ("stats",),
    ("stats", "--level", "argent", "--json"),
    ("stats", "--hide-empty"),
    ("stats", "--by", "region", "--json"),
    ("show", "#17"),
    ("show", "#0", "--json"),
    ("show", "#399"),
    ("export", "--format", "csv", "--category", "lien"),
    ("search", "reboisement", "--level", "or"),
    ("search", "commune", "--category", "lien"),
    ("search", "reboisement", "--region", "provence"),
    ("values", "region"),
    ("values", "level", "--json"),
    ("values", "category", "--level", "or"),
    ("export", "--id", "#5", "--id", "#3", "--format", "json"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_cached_answers_are_those_of_reading_the_store(big_store, tmp_path, real_awards, command):
    command = tuple(generated_id(real_awards, int(word[1:])) if word.startswith("#") else word for word in command)
    cache = tmp_path / "cache"
    unwritable = tmp_path / "not-a-folder"
    unwritable.write_text("a file where the cache folder should be\n")

    direct = run(*command, "--db", str(big_store), cache=unwritable)
    building = run(*command, "--db", str(big_store), cache=cache)
    built = cache_files(cache)
    served = run(*command, "--db", str(big_store), cache=cache)

    assert direct.exit_code == 0, direct.output
    assert direct.stdout  # a real answer, not an empty one on both sides
    assert building.stdout == direct.stdout
    assert served.stdout == direct.stdout
    assert built
    assert {path: cache_files(cache)[path] for path in built} == built  # served, not rebuilt
    assert unwritable.read_text() == "a file where the cache folder should be\n"


def test_the_cache_lives_in_the_user_cache_folder_never_beside_the_store(big_store, tmp_path):
    cache = tmp_path / "cache"
    before = sorted(os.listdir(big_store.parent))
    assert run("list", "--db", str(big_store), cache=cache).exit_code == 0
    assert run("stats", "--db", str(big_store), cache=cache).exit_code == 0
    assert sorted(os.listdir(big_store.parent)) == before == ["big.json"]
    assert all(name.startswith(os.path.join("territoria", "")) for name in cache_files(cache))


def test_ids_whose_hashes_collide_are_each_found(tmp_path, real_awards):
    """An exact id is looked up by its CRC-32, then confirmed: these two ids share one (found by search)."""
    import zlib

    first, second = "2099-collision-87927", "2099-collision-3420400"
    assert zlib.crc32(first.encode()) == zlib.crc32(second.encode())
    documents = [award.to_document() for award in real_awards * 11]
    for number, document in enumerate(documents):
        document["id"] = f"{document['id']}-{number}"
    documents[100]["id"], documents[390]["id"] = second, first  # the later one first in stored order
    documents[390]["title"] = "La seconde"
    store = write_store(tmp_path / "big.json", documents)
    assert store.stat().st_size > DIRECT_READ_BYTES
    cache = tmp_path / "cache"
    for _ in range(2):  # building the catalogue, then reading it
        shown = json.loads(run("show", first, second, "--json", "--db", str(store), cache=cache).stdout)
        assert [(award["id"], award["title"]) for award in shown] == [
            (first, "La seconde"),
            (second, documents[100]["title"]),
        ]
    assert run("show", "2099-collision-1", "--db", str(store), cache=cache).exit_code == 1


def test_a_changed_store_is_read_again(big_store, tmp_path, make_award_document):
    cache = tmp_path / "cache"
    assert json.loads(run("stats", "--json", "--db", str(big_store), cache=cache).stdout)["awards"] == GENERATED
    assert run("show", "2099-nouvelle", "--db", str(big_store), cache=cache).exit_code == 1
    years_before = dict(rows(run("values", "year", "--db", str(big_store), cache=cache).stdout))
    assert "2099" not in years_before

    new = tmp_path / "new.json"
    new.write_text(json.dumps([make_award_document("2099-nouvelle", title="Une forêt nouvelle")]), encoding="utf-8")
    imported = run("import", str(new), "--db", str(big_store), cache=cache)
    assert imported.exit_code == 0, imported.output

    assert json.loads(run("stats", "--json", "--db", str(big_store), cache=cache).stdout)["awards"] == GENERATED + 1
    shown = run("show", "2099-nouvelle", "--json", "--db", str(big_store), cache=cache)
    assert json.loads(shown.stdout)["title"] == "Une forêt nouvelle"
    years_after = dict(rows(run("values", "year", "--db", str(big_store), cache=cache).stdout))
    assert years_after == {**years_before, "2099": "1"}


def test_an_edit_that_keeps_the_size_is_seen(big_store, tmp_path, real_awards):
    """Size alone would miss it: the modification time and inode are part of the store's identity."""
    cache = tmp_path / "cache"
    award_id = next(generated_id(real_awards, n) for n in range(GENERATED) if "reboisement" in generated_id(real_awards, n))
    assert "Journées de reboisement" in run("show", award_id, "--db", str(big_store), cache=cache).stdout
    text = big_store.read_text(encoding="utf-8")
    big_store.write_text(text.replace("Journées de reboisement", "Journées de REBOISEMENT"), encoding="utf-8")
    assert len(text.encode()) == big_store.stat().st_size
    assert "Journées de REBOISEMENT" in run("show", award_id, "--db", str(big_store), cache=cache).stdout


def test_a_damaged_cache_is_rebuilt(big_store, tmp_path, real_awards):
    cache = tmp_path / "cache"
    expected = run("list", "--level", "bronze", "--db", str(big_store), cache=cache).stdout
    for path in cache.rglob("*.awards"):
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert run("list", "--level", "bronze", "--db", str(big_store), cache=cache).stdout == expected
    shown = run("show", generated_id(real_awards, 17), "--db", str(big_store), cache=cache)
    assert shown.exit_code == 0 and generated_id(real_awards, 17) in shown.stdout


def test_an_invalid_big_store_is_refused_as_before(big_store, tmp_path):
    cache = tmp_path / "cache"
    content = json.loads(big_store.read_text(encoding="utf-8"))
    content["awards"]["7"]["level"] = "platine"
    big_store.write_text(json.dumps(content), encoding="utf-8")
    result = run("list", "--db", str(big_store), cache=cache)
    assert result.exit_code == 1
    assert "document 7" in result.stderr and "platine" in result.stderr
    assert not list(cache.rglob("*.awards"))


def test_the_library_reads_the_same_awards_and_figures(big_store, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    direct = load_awards(big_store)
    Catalogue.open(big_store)  # builds
    cached = Catalogue.open(big_store)
    assert cached.awards() == direct
    assert cached.ids() == [award.id for award in direct]
    assert cached.stats() == palmares_stats(direct, NO_FILTERS)
    assert Catalogue.open(big_store).stats() == palmares_stats(direct, NO_FILTERS)  # kept, then read back
    assert Catalogue.open(big_store).stats(hide_empty=True) == compute_stats(direct)
    assert cached.award(direct[123].id) == direct[123]
    assert cached.award("no-such-id") is None


def awards_file(cache: Path) -> Path:
    (found,) = cache.rglob("*.awards")
    return found


def index_segments(cache: Path) -> set[str]:
    """The names of the search index's segment files: indexing anew writes new ones, a re-keyed index keeps them."""
    return {path.name for path in cache.rglob("search/index-*/*") if path.suffix in (".idx", ".store", ".term")}


def test_a_touched_store_is_not_read_again_and_still_answers(big_store, tmp_path, real_awards):
    """touch, ``cp -p``, ``git checkout``: a new modification time but the same bytes keep the catalogue and the index."""
    cache = tmp_path / "cache"
    award_id = generated_id(real_awards, 17)
    shown = run("show", award_id, "--db", str(big_store), cache=cache).stdout
    searched = run("search", "reboisement", "--db", str(big_store), cache=cache).stdout
    stats = run("stats", "--db", str(big_store), cache=cache).stdout
    catalogue_file = awards_file(cache)
    written = (catalogue_file.stat().st_ino, catalogue_file.stat().st_mtime_ns)
    segments = index_segments(cache)
    assert award_id in shown and "reboisement" in searched.lower() and segments

    os.utime(big_store, ns=(big_store.stat().st_atime_ns, big_store.stat().st_mtime_ns + 10**9))
    assert run("show", award_id, "--db", str(big_store), cache=cache).stdout == shown
    assert run("search", "reboisement", "--db", str(big_store), cache=cache).stdout == searched
    assert run("stats", "--db", str(big_store), cache=cache).stdout == stats
    assert (awards_file(cache).stat().st_ino, awards_file(cache).stat().st_mtime_ns) == written  # not written again
    assert index_segments(cache) == segments  # not indexed again

    copy = big_store.with_name("copy.json")  # another file with the same bytes: another catalogue, as another store
    copy.write_bytes(big_store.read_bytes())
    assert run("show", award_id, "--db", str(copy), cache=cache).stdout == shown


def test_an_edit_that_keeps_the_size_is_found_by_search(big_store, tmp_path):
    cache = tmp_path / "cache"
    assert run("search", "xyzzyqwerty", "--db", str(big_store), cache=cache).stdout == ""
    assert "2017-allauch-journees-de-reboisement" in run("search", "reboisement", "--db", str(big_store), cache=cache).stdout
    text = big_store.read_text(encoding="utf-8")
    big_store.write_text(text.replace("Journées de reboisement", "Journées de xyzzyqwerty"), encoding="utf-8")
    assert len(text.encode()) == big_store.stat().st_size
    found = rows_of(run("search", "xyzzyqwerty", "--db", str(big_store), cache=cache).stdout)
    assert found and all(row[0].startswith("2017-allauch-journees-de-reboisement-") for row in found)


def rows_of(output: str) -> list[list[str]]:
    return [line.split("\t") for line in output.splitlines()]


@pytest.mark.parametrize("damage", ["zeroed tail", "cut short", "emptied"])
def test_a_catalogue_damaged_by_a_crash_is_detected_and_rebuilt(big_store, tmp_path, real_awards, damage):
    """Cache files are written without fsync: after a power cut one may be cut short or hold zeros where data was."""
    cache = tmp_path / "cache"
    command = ("list", "--level", "bronze", "--db", str(big_store))
    expected = run(*command, cache=cache).stdout
    catalogue_file = awards_file(cache)
    data = catalogue_file.read_bytes()
    damaged = {
        "zeroed tail": data[: len(data) // 2] + bytes(len(data) - len(data) // 2),
        "cut short": data[: len(data) - 100],
        "emptied": b"",
    }[damage]
    catalogue_file.write_bytes(damaged)

    assert run(*command, cache=cache).stdout == expected
    shown = run("show", generated_id(real_awards, 399), "--json", "--db", str(big_store), cache=cache)
    assert json.loads(shown.stdout)["id"] == generated_id(real_awards, 399)
    assert awards_file(cache).read_bytes() != damaged  # rebuilt, by this command or the next
    assert run(*command, cache=cache).stdout == expected  # from the rebuilt catalogue (which keeps its facts now)
    rebuilt = cache_files(cache)
    assert run(*command, cache=cache).stdout == expected
    assert cache_files(cache) == rebuilt  # and now served as it is


def test_the_catalogue_is_the_same_whichever_way_the_store_was_parsed(big_store, tmp_path, monkeypatch):
    """Big stores are parsed by msgspec, others (and imports) by json: same awards, same chunk fingerprints.

    The fingerprints tell the search index which chunks to index again; if
    they followed the parser, an import would re-index the whole store.
    """
    from territoria_cli import store as store_module

    read = {}
    for threshold in (0, 10**12):
        monkeypatch.setattr(store_module, "FAST_PARSE_BYTES", threshold)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"cache-{threshold}"))
        catalogue = Catalogue.open(big_store)
        read[threshold] = (catalogue.awards(), catalogue.chunk_digests())
    assert read[0] == read[10**12]
    assert len(read[0][1]) == -(-GENERATED // CHUNK_AWARDS)


def test_an_import_leaves_the_catalogue_ready_for_the_next_command(tmp_path, real_awards, make_award_document):
    """And the search index, of three chunks, indexes again only the one the new award went into."""
    cache = tmp_path / "cache"
    documents = [
        {**real_awards[number % len(real_awards)].to_document(), "id": generated_id(real_awards, number)} for number in range(1100)
    ]
    big_store = write_store(tmp_path / "three-chunks.json", documents)
    assert run("search", "reboisement", "--db", str(big_store), cache=cache).exit_code == 0
    segments = index_segments(cache)
    new = tmp_path / "new.json"
    new.write_text(json.dumps([make_award_document("2099-nouvelle", title="Une forêt xyzzyqwerty")]), encoding="utf-8")
    assert run("import", str(new), "--db", str(big_store), cache=cache).exit_code == 0
    after_import = cache_files(cache)

    shown = run("show", "2099-nouvelle", "--json", "--db", str(big_store), cache=cache)
    assert json.loads(shown.stdout)["title"] == "Une forêt xyzzyqwerty"
    assert json.loads(run("stats", "--json", "--db", str(big_store), cache=cache).stdout)["awards"] == 1101
    catalogue_files = {name: mtime for name, mtime in after_import.items() if name.startswith(os.path.join("territoria", "catalogue"))}
    assert any(name.endswith(".awards") for name in catalogue_files)
    assert {name: cache_files(cache)[name] for name in catalogue_files if not name.split(".")[-1].startswith("stats")} == {
        name: mtime for name, mtime in catalogue_files.items() if not name.split(".")[-1].startswith("stats")
    }  # read as the import left it, not rebuilt
    assert [row.split("\t")[0] for row in run("search", "xyzzyqwerty", "--db", str(big_store), cache=cache).stdout.splitlines()] == ["2099-nouvelle"]
    assert segments <= index_segments(cache)  # the index gained the changed chunk; the others were not indexed again
