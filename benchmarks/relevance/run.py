"""Relevance benchmark of ``territoria search``: one command, standard library plus territoria.

    python3 benchmarks/relevance/run.py             # dev, test and all: nDCG@10, first hit, zero results
    python3 benchmarks/relevance/run.py --misses    # also list the dev queries whose first hit is not squarely relevant

The queries and their graded judgments are in ``queries.toml`` beside this file
(written by reading the awards before any engine ran on them). Each engine gets
the query text as the user typed it and returns award ids, best first. Measures:

* **nDCG@10**: discounted cumulative gain of the first ten hits (gain = the
  grade, 2 or 1; discount log2(rank + 1)), divided by the best possible;
* **first hit 2**: share of queries whose first hit is graded 2 ("squarely about it");
* **zero**: share of queries with no hit at all.

Engines, computed in the same run on the same awards:

* ``territoria``: the current engine (the package installed in this interpreter);
* ``fts5-all``: SQLite FTS5 as sqlite-utils and Datasette set it up: a virtual
  table over the five searched fields, the default unicode61 tokenizer (case and
  accents folded, no stemming), the query escaped by sqlite-utils' ``escape_fts``
  (each word quoted, so all words must match), ordered by FTS5's bm25 ``rank``;
* ``fts5-any``: the same with the quoted words joined by OR;
* ``before``: the hand-written engine territoria had before issue 13 (read from
  git at :data:`BEFORE_REVISION`), when that revision and git are at hand.

Split ``test`` must never be used to tune the engine: its figures are the honest
estimate for queries the engine has never seen; ``--misses`` shows dev queries only.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import subprocess
import sys
import tomllib
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent.parent
QUERIES = HERE / "queries.toml"
STORE = REPOSITORY / "data" / "awards.json"
#: The last commit of the hand-written engine (``src/territoria_cli/search.py``), for the "before" column.
BEFORE_REVISION = "df2e91d"
KINDS = ("exact", "inflection", "elision", "synonym", "multiword", "typo")
SPLITS = ("dev", "test", "all")
FIELDS = ("title", "summary_title", "laureate", "category", "summary")
CUTOFF = 10

Engine = Callable[[str], list[str]]


# ---------------------------------------------------------------- data


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    queries = tomllib.loads(path.read_text(encoding="utf-8"))["query"]
    for query in queries:
        assert query["kind"] in KINDS and query["split"] in SPLITS[:2], query
    return queries


def load_documents(path: Path = STORE) -> list[dict[str, Any]]:
    table = json.loads(path.read_text(encoding="utf-8"))["awards"]
    return [table[key] for key in sorted(table, key=int)]


def _laureate_text(document: dict[str, Any]) -> str:
    names = dict.fromkeys([document["laureate"], *(body["name"] for body in document["laureates"])])
    return "\n".join(names)


# ---------------------------------------------------------------- engines


def fts5_engines(documents: Sequence[dict[str, Any]]) -> dict[str, Engine]:
    """FTS5 as ``sqlite-utils enable-fts`` creates it and ``sqlite-utils search`` queries it."""
    connection = sqlite3.connect(":memory:")
    columns = ", ".join(FIELDS)
    connection.execute(f"create virtual table awards_fts using fts5({columns})")
    for document in documents:
        values = [_laureate_text(document) if field == "laureate" else document[field] for field in FIELDS]
        connection.execute(f"insert into awards_fts(rowid, {columns}) values (?, ?, ?, ?, ?, ?)", [None, *values])
    ids = [document["id"] for document in documents]

    def run(expression: str) -> list[str]:
        if not expression:
            return []
        try:
            rows = connection.execute(
                "select rowid from awards_fts where awards_fts match ? order by rank", [expression]
            ).fetchall()
        except sqlite3.OperationalError:  # what a sqlite-utils user would see as an error: no result
            return []
        return [ids[rowid - 1] for (rowid,) in rows]

    return {
        "fts5-all": lambda text: run(escape_fts(text)),
        "fts5-any": lambda text: run(" OR ".join(_quoted_bits(text))),
    }


_ESCAPE_FTS = re.compile(r'\s+|(".*?")')


def _quoted_bits(query: str) -> list[str]:
    """sqlite-utils' ``escape_fts`` before the final join: each word or "phrase" quoted."""
    if query.count('"') % 2:
        query += '"'
    bits = [bit for bit in _ESCAPE_FTS.split(query) if bit and bit != '""']
    return [bit if bit.startswith('"') else f'"{bit}"' for bit in bits]


def escape_fts(query: str) -> str:
    """sqlite-utils' ``escape_fts``: every word quoted, so FTS5 requires them all."""
    return " ".join(_quoted_bits(query))


def shell_terms(text: str) -> list[str]:
    """What reaches the command's TERMS: words, with a double-quoted phrase kept together as the shell does."""
    return [term for term in re.findall(r'"[^"]*"|\S+', text) if term.strip('"')]


def before_engine(documents: Sequence[dict[str, Any]]) -> Engine | None:
    """The hand-written engine of :data:`BEFORE_REVISION`, loaded from git; None if unavailable."""
    try:
        source = subprocess.run(
            ["git", "-C", str(REPOSITORY), "show", f"{BEFORE_REVISION}:src/territoria_cli/search.py"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        module = types.ModuleType("territoria_before_search")
        exec(compile(source, "before/search.py", "exec"), module.__dict__)  # noqa: S102 - our own history
        from territoria_cli.model import Award
    except Exception as error:  # noqa: BLE001 - an optional column
        print(f"(no 'before' column: {error.__class__.__name__}: {error})", file=sys.stderr)
        return None
    awards = [Award.from_document(document) for document in documents]
    index = module.SearchIndex.build(awards)

    def run(text: str) -> list[str]:
        try:
            query = module.parse_query(shell_terms(text))
        except ValueError:
            return []
        return [hit.award.id for hit in module.search(awards, query, index=index)]

    return run


def territoria_engine(store: Path) -> Engine | None:
    """The current engine, through its public entry point; None if territoria is not importable here."""
    try:
        from territoria_cli.search import search_store
    except ImportError as error:
        print(f"(no 'territoria' column: {error}; run with territoria installed)", file=sys.stderr)
        return None

    def run(text: str) -> list[str]:
        return [hit.award.id for hit in search_store(store, shell_terms(text), use_cache=False).hits]

    return run


# ---------------------------------------------------------------- measures


def ndcg(ranked: Sequence[str], judgments: dict[str, int], cutoff: int = CUTOFF) -> float:
    gains = [judgments.get(award_id, 0) for award_id in ranked[:cutoff]]
    ideal = sorted(judgments.values(), reverse=True)[:cutoff]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    best = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / best if best else 0.0


def measure(results: Sequence[tuple[dict[str, Any], list[str]]]) -> tuple[float, float, float, int]:
    """Mean nDCG@10, first-hit-graded-2 rate, zero-result rate and count over (query, ranked ids)."""
    if not results:
        return (math.nan, math.nan, math.nan, 0)
    count = len(results)
    return (
        sum(ndcg(ranked, query["judgments"]) for query, ranked in results) / count,
        sum(bool(ranked) and query["judgments"].get(ranked[0], 0) == 2 for query, ranked in results) / count,
        sum(not ranked for _, ranked in results) / count,
        count,
    )


def report(queries: Sequence[dict[str, Any]], runs: dict[str, list[list[str]]]) -> dict[str, Any]:
    """Figures per split, kind (and overall) and engine; printed as one table per split."""
    figures: dict[str, Any] = {}
    engines = list(runs)
    for split in SPLITS:
        chosen = [n for n, query in enumerate(queries) if split == "all" or query["split"] == split]
        print(f"\n## {split} ({len(chosen)} queries)   cells: nDCG@10 / first hit 2 / zero results\n")
        print("| kind | n | " + " | ".join(engines) + " |")
        print("|---|---:|" + "---:|" * len(engines))
        for kind in (*KINDS, "overall"):
            numbers = [n for n in chosen if kind == "overall" or queries[n]["kind"] == kind]
            cells = []
            for engine in engines:
                result = measure([(queries[n], runs[engine][n]) for n in numbers])
                figures.setdefault(split, {}).setdefault(kind, {})[engine] = result[:3]
                cells.append(f"{result[0]:.2f} / {result[1]:.0%} / {result[2]:.0%}")
            label = f"**{kind}**" if kind == "overall" else kind
            print(f"| {label} | {len(numbers)} | " + " | ".join(cells) + " |")
    return figures


def print_misses(queries: Sequence[dict[str, Any]], ranked: list[list[str]]) -> None:
    print("\n## dev queries whose first hit is not graded 2 (territoria)\n")
    for query, ids in zip(queries, ranked, strict=True):
        if query["split"] != "dev" or (ids and query["judgments"].get(ids[0], 0) == 2):
            continue
        shown = ", ".join(f"{award_id}[{query['judgments'].get(award_id, 0)}]" for award_id in ids[:3]) or "nothing"
        print(f"- {query['kind']:<10} {query['text']!r}: {shown}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the dev queries territoria gets wrong")
    parser.add_argument("--no-before", action="store_true", help="skip the pre-issue-13 engine column")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    arguments = parser.parse_args(argv)
    queries = load_queries()
    documents = load_documents()
    current = territoria_engine(STORE)
    engines: dict[str, Engine] = {"territoria": current} if current is not None else {}
    engines.update(fts5_engines(documents))
    before = None if arguments.no_before else before_engine(documents)
    if before is not None:
        engines["before"] = before
    runs = {name: [engine(query["text"]) for query in queries] for name, engine in engines.items()}
    figures = report(queries, runs)
    if arguments.misses and current is not None:
        print_misses(queries, runs["territoria"])
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
