"""The store: damaged stores give clear errors and keep their bytes; imports are all-or-nothing, idempotent and locked."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import award_document
from tinydb import TinyDB

from territoria_cli import files
from territoria_cli.store import (
    AWARDS_TABLE,
    StoreError,
    import_awards,
    load_awards,
    packaged_store_path,
    read_documents,
    read_import_file,
)

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")

MakeStore = Callable[..., Path]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the folder with its bytes and mtime: what "untouched" means."""
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in sorted(folder.iterdir())}


def stored_documents(store: Path) -> list[dict[str, Any]]:
    """The awards as TinyDB itself reads them: the format authority."""
    database = TinyDB(str(store), access_mode="r", encoding="utf-8")
    try:
        return [dict(document) for document in database.table(AWARDS_TABLE).all()]
    finally:
        database.close()


def write_json(path: Path, content: Any) -> Path:
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- reading

GOOD_STORE = json.dumps({"awards": {"1": award_document()}}, ensure_ascii=False, indent=2).encode()

DAMAGED_STORES = {
    "empty": (b"", "the file is empty"),
    "blank": (b"  \n", "not valid JSON"),
    "truncated": (GOOD_STORE[: len(GOOD_STORE) // 2], "not valid JSON (line"),
    "not JSON": (b"id;title\n1;Jardins\n", "not valid JSON"),
    "not UTF-8": ('{"awards": {"1": "Élancourt"}}'.encode("latin-1"), "not UTF-8 text"),
    "a list": (b"[]", 'expected an object with an "awards" table'),
    "no awards table": (b'{"_default": {}}', 'expected an object with an "awards" table'),
    "awards as a list": (b'{"awards": []}', 'expected an object with an "awards" table'),
    "document id not a number": (b'{"awards": {"first": {}}}', 'document id "first"'),
    "absurd nesting": (b"[" * 100_000, "JSON"),
}


@pytest.mark.parametrize("content, message", DAMAGED_STORES.values(), ids=DAMAGED_STORES.keys())
def test_a_damaged_store_is_a_clear_error_and_stays_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    store = tmp_path / "store.json"
    store.write_bytes(content)
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as raised:
        load_awards(store)
    assert str(raised.value).startswith(f"{store}: ")
    assert message in str(raised.value)
    assert snapshot(tmp_path) == before


def test_an_invalid_document_is_named_with_the_file(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store([award_document("2099-a"), award_document("2099-b", level="platine")])
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as raised:
        load_awards(store)
    assert str(raised.value) == f'{store}: document 2 (2099-b): level "platine" is not one of or, argent, bronze'
    assert snapshot(tmp_path) == before


def test_a_duplicate_id_in_the_store_is_named(make_store: MakeStore) -> None:
    store = make_store([award_document("2099-a"), award_document("2099-a")])
    with pytest.raises(StoreError, match='document 2: duplicate id "2099-a"'):
        load_awards(store)


def test_a_missing_store_is_a_clear_error_and_is_not_created(tmp_path: Path) -> None:
    store = tmp_path / "missing.json"
    with pytest.raises(StoreError, match="no such store file"):
        load_awards(store)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_as_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder, not a store file"):
        read_documents(tmp_path)


def test_reading_never_changes_the_store(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store([award_document("2099-a"), award_document("2099-b", level="or")])
    before = snapshot(tmp_path)
    awards = load_awards(store)
    assert [award.id for award in awards] == ["2099-a", "2099-b"]
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- importing JSON


def test_import_creates_a_store_that_tinydb_reads(tmp_path: Path) -> None:
    store = tmp_path / "mine.json"
    documents = [award_document("2099-a"), award_document("2099-b", level="or", excellence=True)]
    report = import_awards(store, documents)
    assert (report.added, report.replaced, report.unchanged) == (["2099-a", "2099-b"], [], [])
    assert stored_documents(store) == documents
    text = store.read_text(encoding="utf-8")
    assert text == json.dumps({"awards": {"1": documents[0], "2": documents[1]}}, ensure_ascii=False, indent=2) + "\n"
    assert "Côte d'Azur" in text  # ensure_ascii=False: the store stays readable French
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.json"]  # no lock file left either


def test_import_adds_after_the_highest_document_id_and_keeps_other_tables(tmp_path: Path) -> None:
    store = write_json(
        tmp_path / "store.json",
        {"_default": {"1": {"note": "kept"}}, "awards": {"1": award_document("2099-a"), "7": award_document("2099-b")}},
    )
    report = import_awards(store, [award_document("2099-c")])
    assert report.added == ["2099-c"]
    content = json.loads(store.read_text(encoding="utf-8"))
    assert list(content["awards"]) == ["1", "7", "8"]
    assert content["_default"] == {"1": {"note": "kept"}}
    assert [document["id"] for document in stored_documents(store)] == ["2099-a", "2099-b", "2099-c"]


# --------------------------------------------------------------------------- importing: geography

SAVERDUN = {"name": "Saverdun", "kind": "commune", "department": "9", "region": "occitanie"}


def test_import_fills_code_and_population_from_name_and_departement(tmp_path: Path) -> None:
    from territoria_cli import geography

    store = tmp_path / "mine.json"
    report = import_awards(store, [award_document("2099-a", laureates=[SAVERDUN])])
    assert report.incomplete == []
    (stored,) = stored_documents(store)
    population = geography.body_by_code("09282").population
    assert stored["laureates"] == [
        {"name": "Saverdun", "kind": "commune", "department": "09", "region": "Occitanie", "code": "09282",
         "population": population}
    ]


def test_import_reports_the_bodies_it_cannot_complete(tmp_path: Path) -> None:
    report = import_awards(tmp_path / "mine.json", [award_document("2099-a"), award_document("2099-b", laureates=[SAVERDUN])])
    assert report.incomplete == [
        'award 1 (2099-a): laureates[1] "Testville": code and population left empty '
        "(no single commune of that name in département 06 in the reference)"
    ]
    assert stored_documents(tmp_path / "mine.json")[0]["laureates"][0]["code"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**SAVERDUN, "department": "99"}, 'laureates[1].department: unknown département "99"; expected a code such as'),
        ({**SAVERDUN, "region": "Occitania"}, 'laureates[1].region: unknown region "Occitania"; did you mean "Occitanie"?'),
        ({**SAVERDUN, "region": "Bretagne"},
         'laureates[1].region "Bretagne" is not the région of département 09 (Ariège), which is Occitanie'),
    ],
)
def test_import_refuses_an_unknown_place_naming_the_award_and_the_body(
    make_store: MakeStore, tmp_path: Path, body: dict, message: str
) -> None:
    store = make_store([award_document("2099-a")])
    source = write_json(tmp_path / "import.json", [award_document("2099-b"), award_document("2099-c", laureates=[body])])
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as raised:
        import_awards(store, read_import_file(source))
    assert str(raised.value).startswith(f"{source}: award 2 (2099-c): {message}")
    assert str(raised.value).endswith("; nothing was imported")
    assert snapshot(tmp_path) == before


def test_read_import_file_reads_a_json_list(tmp_path: Path) -> None:
    source = write_json(tmp_path / "2018.json", [award_document("2099-a"), award_document("2099-b")])
    assert read_import_file(source) == [award_document("2099-a"), award_document("2099-b")]


def test_read_import_file_reads_another_store(make_store: MakeStore) -> None:
    source = make_store([award_document("2099-a")], name="other-store.json")
    assert read_import_file(source) == [award_document("2099-a")]


def test_a_bad_award_in_the_file_is_named_and_nothing_is_written(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store([award_document("2099-a")])
    source = write_json(
        tmp_path / "import.json", [award_document("2099-b"), award_document("2099-c", year="2018"), award_document("2099-d")]
    )
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as raised:
        import_awards(store, read_import_file(source))
    assert str(raised.value) == (
        f'{source}: award 2 (2099-c): field "year" must be an integer, got a string; nothing was imported'
    )
    assert snapshot(tmp_path) == before


def test_import_awards_itself_validates_every_document_first(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store([award_document("2099-a")])
    before = snapshot(tmp_path)
    with pytest.raises(StoreError, match=r"^award 2 \(2099-c\): missing field\(s\): budget; nothing was imported$"):
        import_awards(store, [award_document("2099-b"), {k: v for k, v in award_document("2099-c").items() if k != "budget"}])
    assert snapshot(tmp_path) == before


def test_duplicate_ids_in_the_file_are_refused(tmp_path: Path) -> None:
    source = write_json(tmp_path / "import.json", [award_document("2099-a"), award_document("2099-a", level="or")])
    with pytest.raises(StoreError, match=r'award 2: id "2099-a" is already used by award 1; nothing was imported'):
        read_import_file(source)
    with pytest.raises(StoreError, match="already used"):
        import_awards(tmp_path / "store.json", [award_document("2099-a"), award_document("2099-a", level="or")])
    assert not (tmp_path / "store.json").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"[]", "no awards to import"),
        (b'{"id": "2099-a"}', "expected a JSON list of award documents"),
        (b"[{]", "not valid JSON (line 1, column 3"),
        ('["Élancourt"]'.encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_an_unreadable_import_file_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "import.json"
    source.write_bytes(content)
    with pytest.raises(StoreError, match=f"^{source}: ") as raised:
        read_import_file(source)
    assert message in str(raised.value)


def test_a_missing_import_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such file"):
        read_import_file(tmp_path / "nowhere.json")


def test_importing_the_same_awards_twice_changes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    documents = [award_document("2099-a"), award_document("2099-b")]
    import_awards(store, documents)
    before = snapshot(tmp_path)
    report = import_awards(store, documents)
    assert (report.added, report.replaced, report.unchanged) == ([], [], ["2099-a", "2099-b"])
    assert snapshot(tmp_path) == before


def test_a_different_award_under_a_stored_id_is_refused(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store([award_document("2099-a"), award_document("2099-b")])
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as raised:
        import_awards(store, [award_document("2099-c"), award_document("2099-b", title="Autre titre")])
    assert str(raised.value) == (
        f"{store}: 1 imported award differs from the award stored under the same id: 2099-b; "
        "nothing was imported (re-run with --replace to overwrite it)"
    )
    assert snapshot(tmp_path) == before  # the conflict is found under the lock, which leaves no file


def test_replace_overwrites_in_place_and_adds_the_rest(make_store: MakeStore) -> None:
    store = make_store([award_document("2099-a"), award_document("2099-b")])
    changed = award_document("2099-a", title="Autre titre")
    report = import_awards(store, [changed, award_document("2099-b"), award_document("2099-c")], replace=True)
    assert (report.added, report.replaced, report.unchanged) == (["2099-c"], ["2099-a"], ["2099-b"])
    assert stored_documents(store) == [changed, award_document("2099-b"), award_document("2099-c")]


def test_the_packaged_store_is_never_modified(tmp_path: Path) -> None:
    packaged = packaged_store_path()
    before = (packaged.read_bytes(), packaged.stat().st_mtime_ns)
    link = tmp_path / "link.json"
    link.symlink_to(packaged)
    for target in (packaged, link):
        with pytest.raises(StoreError) as raised:
            import_awards(target, [award_document("2099-a")])
        assert "packaged with territoria, which is never modified" in str(raised.value)
        assert "`territoria import FILE --db my-awards.json` creates one" in str(raised.value)
    assert (packaged.read_bytes(), packaged.stat().st_mtime_ns) == before
    assert not Path(str(packaged) + ".lock").exists()


def test_import_into_a_missing_folder_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"the folder .*missing does not exist; create it first"):
        import_awards(tmp_path / "missing" / "store.json", [award_document("2099-a")])
    assert list(tmp_path.iterdir()) == []


def test_import_into_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "store.json").mkdir()
    with pytest.raises(StoreError, match="is a folder, not a store file"):
        import_awards(tmp_path / "store.json", [award_document("2099-a")])
    assert [path.name for path in tmp_path.iterdir()] == ["store.json"]


def test_a_lock_file_that_cannot_be_created_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import filelock

    def refused(self: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refused)
    store = tmp_path / "store.json"
    with pytest.raises(StoreError, match=r"cannot create the lock file .*store\.json\.lock \(permission denied\)"):
        import_awards(store, [award_document("2099-a")])
    assert not store.exists()


def test_import_into_a_damaged_store_is_refused_and_keeps_it(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    store.write_bytes(GOOD_STORE[:40])
    before = store.read_bytes()
    with pytest.raises(StoreError, match="not valid JSON"):
        import_awards(store, [award_document("2099-b")])
    assert store.read_bytes() == before


def test_a_failed_write_keeps_the_store_and_leaves_no_temporary_file(
    make_store: MakeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store([award_document("2099-a")])
    before = store.read_bytes()

    def disk_full(source: str, destination: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    with pytest.raises(StoreError, match="no space left on the device; nothing was imported"):
        import_awards(store, [award_document("2099-b")])
    assert store.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["store.json"]


# --------------------------------------------------------------------------- concurrent imports

ROUNDS = 8
IMPORTS_PER_ROUND = 3


def _import_rounds(store: str, worker: int, barrier: Any) -> None:
    """One process: several rounds of imports, each round started with the other process."""
    for round_number in range(ROUNDS):
        barrier.wait()
        for batch in range(IMPORTS_PER_ROUND):
            documents = [award_document(f"2099-w{worker}-r{round_number}-b{batch}-{n}") for n in range(2)]
            import_awards(Path(store), documents)


def test_two_concurrent_imports_keep_both_sets_of_awards(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    import_awards(store, [award_document("2099-seed")])
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_import_rounds, args=(str(store), worker, barrier)) for worker in (1, 2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [process.exitcode for process in workers] == [0, 0]
    ids = {award.id for award in load_awards(store)}
    expected = {
        f"2099-w{worker}-r{round_number}-b{batch}-{n}"
        for worker in (1, 2)
        for round_number in range(ROUNDS)
        for batch in range(IMPORTS_PER_ROUND)
        for n in range(2)
    }
    assert len(expected - ids) == 0, f"lost {len(expected - ids)} of {len(expected)} imported awards"
    assert ids == expected | {"2099-seed"}
    assert not [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


# --------------------------------------------------------------------------- exports read back


def test_the_reader_sees_what_tinydb_sees():
    """Reads skip importing TinyDB; they must still agree with TinyDB on the format."""
    path = packaged_store_path()
    database = TinyDB(str(path), access_mode="r", encoding="utf-8")
    try:
        by_tinydb = {str(document.doc_id): dict(document) for document in database.table(AWARDS_TABLE).all()}
    finally:
        database.close()
    assert by_tinydb == read_documents(path)
    assert [award.to_document() for award in load_awards(path)] == list(by_tinydb.values())


def test_loading_leaves_the_garbage_collector_as_it_found_it(make_store):
    """Loading pauses the collector for speed; a program using the library keeps its own setting."""
    import gc

    path = make_store([award_document("2099-a")])
    assert gc.isenabled()
    load_awards(path)
    assert gc.isenabled()
    gc.disable()
    try:
        load_awards(path)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(StoreError):
        load_awards(path.with_name("missing.json"))
    assert gc.isenabled()


# --------------------------------------------------------------------------- issue 12: ids, special files, sizes, encodings, locks


def test_ids_that_tinydb_would_fold_together_lose_no_document_on_import(tmp_path: Path) -> None:
    store = write_json(
        tmp_path / "it.json",
        {"awards": {"1": award_document("2099-a"), "01": award_document("2099-b"), "2": award_document("2099-c")}},
    )
    assert [award.id for award in load_awards(store)] == ["2099-a", "2099-b", "2099-c"]
    report = import_awards(store, [award_document("2099-d")])
    assert report.added == ["2099-d"]
    assert [document["id"] for document in stored_documents(store)] == ["2099-a", "2099-b", "2099-c", "2099-d"]
    assert set(json.loads(store.read_text(encoding="utf-8"))["awards"]) == {"1", "2", "3", "4"}


def within_seconds(seconds: float, call: Callable[[], Any]) -> BaseException | None:
    """Run ``call`` in a daemon thread; what it raised, or a failure if it was still blocked after ``seconds``."""
    import threading

    raised: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            raised.append(None)
        except BaseException as error:
            raised.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if not raised:
        pytest.fail(f"still blocked after {seconds} s")
    return raised[0]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/fd are POSIX")
def test_a_fifo_as_store_is_refused_at_once_without_blocking(tmp_path: Path) -> None:

    fifo = tmp_path / "store.json"
    os.mkfifo(fifo)
    for read in (load_awards, read_import_file):
        error = within_seconds(10, lambda read=read: read(fifo))  # opening a FIFO without a writer blocks forever
        assert isinstance(error, StoreError)
        assert "is a FIFO, not a" in str(error) and "territoria reads regular files only" in str(error)


def test_a_store_over_the_size_limit_is_refused_and_the_error_says_how_to_raise_it(
    make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store([award_document()])
    size = store.stat().st_size
    monkeypatch.setenv("TERRITORIA_MAX_FILE_MB", str(size / 2 / 1_000_000))
    with pytest.raises(StoreError, match=r"more than the .* MB territoria reads; set TERRITORIA_MAX_FILE_MB=1 "):
        load_awards(store)
    monkeypatch.setenv("TERRITORIA_MAX_FILE_MB", "1")
    assert len(load_awards(store)) == 1


def test_a_lone_surrogate_in_a_store_is_a_positioned_error_for_reading_and_importing(tmp_path: Path) -> None:
    text = json.dumps({"awards": {"1": award_document("2099-a"), "2": award_document("2099-b", title="A\ud800B")}})
    store = tmp_path / "store.json"
    store.write_text(text, encoding="ascii")  # json.dumps writes the surrogate as the escape "\ud800"
    message = r"document 2 \(2099-b\): title holds a lone surrogate \(\\ud800\) at character 2"
    with pytest.raises(StoreError, match=message):
        load_awards(store)
    with pytest.raises(StoreError, match=message):
        import_awards(store, [award_document("2099-c")])
    source = tmp_path / "in.json"
    source.write_text(json.dumps([award_document("2099-c", laureate="X\udc00")]), encoding="ascii")
    with pytest.raises(StoreError, match=r"award 1 \(2099-c\): laureate holds a lone surrogate"):
        read_import_file(source)


def test_a_surrogate_pair_escape_is_an_emoji_not_an_error(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    store.write_text(json.dumps({"awards": {"1": award_document(title="Vélo 🚲")}}), encoding="ascii")
    assert load_awards(store)[0].title == "Vélo 🚲"


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/fd are POSIX")
def test_import_into_a_special_file_creates_no_lock_beside_it(tmp_path: Path) -> None:

    fifo = tmp_path / "store.json"
    os.mkfifo(fifo)
    error = within_seconds(10, lambda: import_awards(fifo, [award_document()]))
    assert isinstance(error, StoreError) and "is a FIFO, not a store file" in str(error)
    assert [path.name for path in tmp_path.iterdir()] == ["store.json"]


def test_failed_imports_leave_no_lock_file(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store([award_document("2099-a")])
    failures = [
        lambda: import_awards(store, [award_document("2099-a", title="Autre")]),  # conflict, found under the lock
        lambda: import_awards(store, [{"id": "broken"}]),  # invalid, found before
    ]
    for fail in failures:
        with pytest.raises(StoreError):
            fail()
        assert [path.name for path in tmp_path.iterdir()] == ["store.json"]


def test_a_store_name_that_is_not_text_is_refused_before_anything_is_written(tmp_path: Path) -> None:

    store = tmp_path / os.fsdecode(b"\xff.json")
    with pytest.raises(StoreError, match=r"\\xff\.json: the file name is not valid .*; nothing was imported"):
        import_awards(store, [award_document()])
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- big stores

#: Beyond the documents of test_model.BROKEN_DOCUMENTS: what else a big store may hold, right or wrong.
BIG_STORE_CASES = {
    "a valid store": ({}, None),
    "a subclass-free big integer year": ({"year": 10**30}, None),
    "an emoji written as a surrogate pair": ({"title": "Vélo \\ud83d\\udeb2"}, None),
    "a lone surrogate": ({"title": "Vélo \\ud83d"}, "lone surrogate"),
    "NaN as a year": ({"year": "NaN"}, "must be an integer, got float"),
    "a float year": ({"year": 2017.0}, "must be an integer, got float"),
    "a null title": ({"title": None}, 'field "title" must be a string, got null'),
    "a blank body name": ({"laureates": [{"name": " ", "kind": "region", "department": None, "region": "Occitanie"}]},
                          r"laureates[1].name must be a non-empty string"),
    "a body without a region": ({"laureates": [{"name": "Albi", "kind": "commune", "department": "81"}]},
                                "laureates[1].region must be a non-empty string"),
    "a region body without a département": ({"laureates": [{"name": "Occitanie", "kind": "region", "region": "Occitanie"}]}, None),
}


def _big_store_variants() -> list[tuple[str, dict[str, Any], str | None]]:
    from test_model import BROKEN_DOCUMENTS

    cases = [(name, change, message) for name, (change, message) in BIG_STORE_CASES.items()]
    return cases + [(f"broken {number}", change, None) for number, (change, _message) in enumerate(BROKEN_DOCUMENTS)]


@pytest.mark.parametrize(("name", "change", "message"), _big_store_variants(), ids=[case[0] for case in _big_store_variants()])
def test_a_big_store_reads_as_a_small_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, change: dict[str, Any], message: str | None) -> None:
    """Big stores are parsed another way (msgspec, with the award types): same awards, same messages, whatever the store holds."""
    from territoria_cli import store as store_module

    documents = [award_document("2099-a"), award_document("2099-b", **change), award_document("2099-c", level="or")]
    content = {"awards": {str(number): document for number, document in enumerate(documents, 1)}}
    text = json.dumps(content, ensure_ascii=False, indent=2)
    text = text.replace('"Vélo \\\\ud83d', '"Vélo \\ud83d').replace('\\\\udeb2', '\\udeb2').replace('"year": "NaN"', '"year": NaN')
    path = tmp_path / "store.json"
    path.write_text(text, encoding="utf-8")

    def read(threshold: int) -> tuple[str, Any]:
        monkeypatch.setattr(store_module, "FAST_PARSE_BYTES", threshold)
        try:
            return "awards", load_awards(path)
        except StoreError as error:
            return "error", str(error)

    as_small, as_big = read(10**12), read(0)
    assert as_big == as_small
    if message is not None:
        assert as_small[0] == "error" and message in as_small[1]
    elif name in BIG_STORE_CASES:
        assert as_small[0] == "awards" and [award.id for award in as_small[1]] == ["2099-a", "2099-b", "2099-c"]
    else:
        assert as_small[0] == "error"  # a broken document of test_model


@pytest.mark.parametrize(
    "content",
    [
        {"awards": {"1": award_document("2099-a"), "2": award_document("2099-a")}},  # duplicate ids
        {"awards": {"1": award_document("2099-a"), "x2": award_document("2099-b")}},  # a document id not a number
        {"awards": {"1": award_document("2099-a")}, "_default": {"1": {"x": 1}}},  # another table: ignored
        {"awards": {}},
    ],
    ids=["duplicate ids", "document id", "another table", "no awards"],
)
def test_a_big_store_keeps_the_store_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: dict[str, Any]) -> None:
    from territoria_cli import store as store_module

    path = write_json(tmp_path / "store.json", content)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # and a byte-order mark, which utf-8-sig drops

    def read(threshold: int) -> Any:
        monkeypatch.setattr(store_module, "FAST_PARSE_BYTES", threshold)
        try:
            return [award.id for award in load_awards(path)]
        except StoreError as error:
            return str(error)

    assert read(0) == read(10**12)
