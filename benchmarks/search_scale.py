"""Search at scale: the first search of a store, the first after it changed, and warm searches, 10k and 100k awards.

    python3 benchmarks/search_scale.py [--sizes 10000 100000] [--runs 5] [--query reboisement]

Each measurement is a fresh Python process calling the library's search entry
point (no command-line layer), with ``XDG_CACHE_HOME`` in a scratch folder so
the user's cache is untouched; peak memory is that process's maximum RSS.
The stores are the benchmark's scaled stores (real awards resampled with new
ids and years, :mod:`harness.stores`). "First search" has an empty cache:
the catalogue and the whole index are built. "After a touch" follows a new
modification time of the store, its bytes unchanged: the catalogue and the
index are re-keyed. "After an edit" follows one award's summary edited (a word
added at the start of the last one, in place): the catalogue is rebuilt and
the index brought up to date (the changed chunk only). Targets (issue 13): warm search
at 100,000 awards <= 0.3 s and <= 200 MiB; first search at 10,000 <= 2 s;
(issue 14) the first command after a change <= 3 s at 100,000.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness.stores import edit_last_summary, load_awards, scale_awards, write_tinydb  # noqa: E402

REPOSITORY = HERE.parent
CHILD = """
import resource, sys, time
from pathlib import Path
start = time.perf_counter()
from territoria_cli.search import search_store
found = search_store(Path(sys.argv[1]), sys.argv[2:])
hits = found.hits
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(elapsed, len(hits), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)
"""


def measure(store: Path, query: list[str], cache: Path) -> tuple[float, int, float, float]:
    """Wall time, hits, peak RSS (MiB) and CPU time (all threads: tantivy indexes on several) of one search."""
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), *query], env=environment, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(output[0]), int(output[1]), float(output[2]), float(output[3])


def _summary(runs: list[tuple[float, int, float, float]]) -> str:
    """Median wall and CPU time, and the highest peak, of some runs."""
    wall = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[3] for run in runs)
    return f"{wall:.3f} s ({cpu:.3f} s CPU, min {min(run[0] for run in runs):.3f} s), peak {max(run[2] for run in runs):.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", nargs="+", default=["reboisement"])
    arguments = parser.parse_args()
    base = load_awards(REPOSITORY / "data" / "awards.json")
    with tempfile.TemporaryDirectory(prefix="territoria-search-scale-") as scratch:
        for size in arguments.sizes:
            store = Path(scratch) / f"awards-{size}.json"
            write_tinydb(store, scale_awards(base, size))
            cache = Path(scratch) / f"cache-{size}"
            cold = [
                measure(store, arguments.query, Path(f"{cache}-cold-{run}")) for run in range(min(3, arguments.runs))
            ]
            measure(store, arguments.query, cache)  # build once
            touched = []
            for run in range(min(3, arguments.runs)):
                os.utime(store, ns=(run, run))
                touched.append(measure(store, arguments.query, cache))
            edited = []
            for run in range(min(3, arguments.runs)):
                edit_last_summary(store, f"[edit {run}] ")
                edited.append(measure(store, arguments.query, cache))
            warm = [measure(store, arguments.query, cache) for _ in range(arguments.runs)]
            print(
                f"{size:>7} awards ({store.stat().st_size / 2**20:.0f} MiB store), {' '.join(arguments.query)!r}: "
                f"first search {_summary(cold)}; after a touch {_summary(touched)}; "
                f"after an edit {_summary(edited)}; warm {_summary(warm)}; {warm[0][1]} hits"
            )
            time.sleep(0.1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
