"""Award stores used by the benchmarks: the real 38 awards and scaled copies.

Every store the benchmark reads is written into a scratch directory, never into
the repository: the CLI is pointed at it through ``TERRITORIA_DB``, so the
benchmark cannot modify ``data/awards.json`` and generated stores (hundreds of
MiB at 100k awards) are never committed.
"""

from __future__ import annotations

import copy
import json
import os
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
        award["id"] = f"{award['id']}-{number}"
        award["year"] = rng.randint(FIRST_YEAR, LAST_YEAR)
        scaled.append(award)
    return scaled


def write_sqlite(sqlite_utils: Path, db_path: Path, awards: list[Award]) -> None:
    """Load awards into SQLite with the sqlite-utils CLI and enable FTS.

    Using sqlite-utils itself (``insert`` then ``enable-fts``) gives the table
    layout and FTS5 index its ``search`` command expects; nested laureate lists
    become JSON text columns, as sqlite-utils does for any nested value.
    """
    json_path = db_path.with_suffix(".rows.json")
    json_path.write_text(json.dumps(awards, ensure_ascii=False), encoding="utf-8")
    db_path.unlink(missing_ok=True)
    run = [str(sqlite_utils)]
    subprocess.run([*run, "insert", str(db_path), TABLE, str(json_path), "--pk", "id"], check=True)
    subprocess.run([*run, "enable-fts", str(db_path), TABLE, "title", "summary"], check=True)
    json_path.unlink()


def write_scaled_stores(source: Path, count: int, store: Path, sqlite_utils: Path, db_path: Path) -> str:
    """Write the ``count``-award TinyDB store and its SQLite copy; return the id of the middle award.

    Run it in a child process (:func:`scaled_stores_in_child`): building
    100,000 awards grows the process by hundreds of MiB that Python keeps,
    and every command the harness then forks would start with, and report,
    that memory as its own peak RSS.
    """
    scaled = scale_awards(load_awards(source), count)
    write_tinydb(store, scaled)
    write_sqlite(sqlite_utils, db_path, scaled)
    return str(scaled[count // 2]["id"])


def scaled_stores_in_child(source: Path, count: int, store: Path, sqlite_utils: Path, db_path: Path) -> str:
    """:func:`write_scaled_stores` in a fresh interpreter, so that the harness stays small."""
    import sys

    code = (
        "import sys; from pathlib import Path; from harness.stores import write_scaled_stores as w; "
        "print(w(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(source), str(count), str(store), str(sqlite_utils), str(db_path)],
        cwd=Path(__file__).resolve().parents[1],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def edit_last_summary(store: Path, words: str) -> None:
    """Add ``words`` at the start of the store's last summary: an edit of one award's bytes.

    Only the file's tail is read and rewritten: a harness that held the 150 MB
    store would pass its peak memory on to every child it starts afterwards
    (see timing.py, "peak").
    """
    with store.open("r+b") as file:
        start = max(0, file.seek(0, os.SEEK_END) - (1 << 16))
        file.seek(start)
        tail = file.read()
        at = tail.rindex(b'"summary": "') + len(b'"summary": "')
        file.seek(start + at)
        file.write(words.encode() + tail[at:])
