"""Benchmark the territoria CLI end to end: ``python benchmarks/run.py [--quick]``.

Three questions, each answered with whole-process wall-clock medians:

1. Start-up, piped: is ``territoria list/search`` close to a bare Typer app
   (≤ 1.3×) and clearly faster than the sqlite-utils CLI (≤ 0.6×)?
2. Start-up, in a terminal: is it close to a Typer app that only renders a
   22-row Rich table (≤ 1.1×)?
3. Scale: at 10,000 awards does each command finish in ≤ 1 s and ≤ 300 MiB?
   (100,000 awards is reported without a target.)

The exit status is 1 when any target fails, so the script can gate changes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness import envs, report, stores
from harness.timing import Command, Run, Runner, Samples, run_piped, run_pty, sample, sample_pairs

HERE = Path(__file__).resolve().parent
APPS = HERE / "apps"

PIPED_VS_TYPER, PIPED_VS_SQLITE_UTILS, PTY_VS_RICH = 1.3, 0.6, 1.1
SCALE_SECONDS, SCALE_MIB = 1.0, 300.0
SCALE_SIZES = (10_000, 100_000)
"""Store sizes for the scale case; targets apply to the first one only."""

_ENV_DROPPED = ("PYTHONPATH", "PYTHONHOME", "PYTHONPROFILEIMPORTTIME", "VIRTUAL_ENV",
                "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE",
                "TTY_INTERACTIVE", "TERRITORIA_DB")
"""Variables that would change what is imported or how Rich renders."""


@dataclass(frozen=True)
class Settings:
    """Command-line options after applying ``--quick`` defaults."""

    repo: Path
    cache: Path
    pairs: int
    scale_runs: int
    scale_sizes: tuple[int, ...]


def parse_args(argv: list[str]) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="5 pairs, 3 scale runs, skip the 100k store")
    parser.add_argument("--pairs", type=int,
                        help="A/B pairs per start-up comparison (default 21, quick 5)")
    parser.add_argument("--scale-runs", type=int,
                        help="runs per scale measurement (default 5, quick 3)")
    parser.add_argument("--repo", type=Path, default=HERE.parent,
                        help="territoria checkout to install (default: this repository)")
    parser.add_argument("--cache-dir", type=Path, default=envs.default_cache_dir(),
                        help="where the benchmark keeps its venvs (default: %(default)s)")
    args = parser.parse_args(argv)
    return Settings(
        repo=args.repo.resolve(),
        cache=args.cache_dir,
        pairs=args.pairs or (5 if args.quick else 21),
        scale_runs=args.scale_runs or (3 if args.quick else 5),
        scale_sizes=SCALE_SIZES[:1] if args.quick else SCALE_SIZES,
    )


def progress(message: str) -> None:
    """Progress goes to stderr so stdout is only the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child_env(store: Path) -> dict[str, str]:
    """Same environment for every command: clean, terminal-aware, store chosen.

    ``XDG_CACHE_HOME`` points next to the store, so whatever territoria caches
    (e.g. a search index) is built by the warm-up run inside the scratch
    directory instead of reusing, or polluting, the user's own cache.
    """
    env = {key: value for key, value in os.environ.items() if key not in _ENV_DROPPED}
    env.update(TERM="xterm-256color", LC_ALL="C.UTF-8", TERRITORIA_DB=str(store),
               XDG_CACHE_HOME=str(store.parent / "xdg-cache"))
    return env


def compare(runner: Runner, subject: Command, baseline: Command, target: float,
            env: Mapping[str, str], cwd: Path, pairs: int) -> list[str]:
    """Measure one A/B pair of commands and format it as a report row."""
    progress(f"{subject.label}  vs  {baseline.label}")
    a, b = sample_pairs(runner, subject, baseline, env, cwd, pairs)
    ratio = statistics.median(x / y for x, y in zip(a.seconds, b.seconds, strict=True))
    return [subject.label, f"{a.median_ms:.1f}", baseline.label, f"{b.median_ms:.1f}",
            f"{ratio:.2f}", f"≤ {target:g}", report.verdict(ratio, target)]


def cold_cache(runner: Runner) -> Runner:
    """Wrap ``runner`` to empty the children's ``XDG_CACHE_HOME`` before each run.

    ``territoria search`` caches its index there; the warm runs measure the
    steady state, this measures the first search after a store changes.
    """
    def run(command: Command, env: Mapping[str, str], cwd: Path) -> Run:
        shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        return runner(command, env, cwd)
    return run


def scale_row(label: str, samples: Samples, size: int, targeted: bool) -> list[str]:
    """Format one scale measurement; targets only apply to ``targeted`` sizes."""
    row = [f"{label} @ {size:,}", f"{samples.median_ms:.0f}", f"{samples.peak_mib:.0f}"]
    if not targeted:
        return [*row, "-", "-"]
    ok = samples.median_ms <= SCALE_SECONDS * 1000 and samples.peak_mib <= SCALE_MIB
    return [*row, f"≤ {SCALE_SECONDS * 1000:.0f} ms, ≤ {SCALE_MIB:.0f} MiB",
            "PASS" if ok else "FAIL"]


def main(argv: list[str]) -> int:
    settings = parse_args(argv)
    progress(f"installing territoria from {settings.repo} into {settings.cache}")
    territoria = envs.territoria_venv(settings.cache, settings.repo)
    sqlite_utils = envs.sqlite_utils_venv(settings.cache)

    awards = stores.load_awards(settings.repo / "data" / "awards.json")

    versions = territoria.versions("territoria", "typer", "rich", "tinydb")
    versions.update(sqlite_utils.versions("sqlite-utils"))
    print("territoria benchmark")
    for line in report.machine_lines(territoria.python_version(), versions):
        print(line)
    print(f"repo: {settings.repo} @ {report.git_revision(settings.repo)}")
    print(report.load_line("before"))
    print(f"data: data/awards.json, {len(awards)} awards; "
          f"{settings.pairs} A/B pairs per start-up case (after 1 warm-up each)")

    with tempfile.TemporaryDirectory(prefix="territoria-bench-") as scratch_name:
        scratch = Path(scratch_name)
        store, sqlite_db = scratch / "awards.json", scratch / "awards.sqlite"
        stores.write_tinydb(store, awards)
        stores.write_sqlite(sqlite_utils.script("sqlite-utils"), sqlite_db, awards)
        env = child_env(store)

        cli = str(territoria.script("territoria"))
        python = str(territoria.python)
        su = str(sqlite_utils.script("sqlite-utils"))
        t_list = Command("territoria list --level or", [cli, "list", "--level", "or"])
        t_search = Command("territoria search reboisement", [cli, "search", "reboisement"])
        bare = str(APPS / "bare_typer.py")
        rich_table = Command("Typer + Rich table (22 rows)", [python, str(APPS / "rich_table.py")])

        rows = [
            compare(run_piped, t_list,
                    Command("bare Typer list", [python, bare, "list", "--level", "or"]),
                    PIPED_VS_TYPER, env, scratch, settings.pairs),
            compare(run_piped, t_search,
                    Command("bare Typer search", [python, bare, "search", "reboisement"]),
                    PIPED_VS_TYPER, env, scratch, settings.pairs),
            compare(run_piped, t_list,
                    Command("sqlite-utils query", [
                        su, "query", str(sqlite_db),
                        "select id, year, level, category, laureate, title "
                        "from awards where level = 'or'", "--table"]),
                    PIPED_VS_SQLITE_UTILS, env, scratch, settings.pairs),
            compare(run_piped, t_search,
                    Command("sqlite-utils search", [
                        su, "search", str(sqlite_db), "awards", "reboisement", "--table"]),
                    PIPED_VS_SQLITE_UTILS, env, scratch, settings.pairs),
        ]
        pty_rows = [
            compare(run_pty, Command(f"{t.label} (pty)", t.argv), rich_table,
                    PTY_VS_RICH, env, scratch, settings.pairs)
            for t in (t_list, t_search)
        ]
        headers = ["case", "median ms", "baseline", "baseline ms", "ratio", "target", "result"]
        print("\nratio = median over the pairs of (case ms / baseline ms): adjacent runs "
              "share the machine's load, so it is steadier than a ratio of medians")
        print("\n1. Start-up, stdout piped")
        print(report.table(headers, rows))
        print("\n2. Start-up, in a pseudo-terminal (120x40)")
        print(report.table(headers, pty_rows))

        progress("import profile")
        print("\nWhere start-up goes: `territoria list --level or`, piped, -X importtime")
        print(report.describe_imports(
            report.import_profile(t_list.argv, env, scratch),
            report.import_profile([python, bare, "list", "--level", "or"], env, scratch),
            top=12))

        scale_rows: list[list[str]] = []
        for size in settings.scale_sizes:
            progress(f"generating {size:,}-award store")
            big = scratch / f"awards-{size}.json"
            stores.write_tinydb(big, stores.scale_awards(awards, size))
            big_env = child_env(big)
            for command in (t_search, Command("territoria stats", [cli, "stats"]), t_list):
                progress(f"{command.label} @ {size:,}")
                samples = sample(run_piped, command, big_env, scratch, settings.scale_runs)
                scale_rows.append(scale_row(command.label, samples, size,
                                            targeted=size == SCALE_SIZES[0]))
            progress(f"{t_search.label} @ {size:,}, cold cache")
            samples = sample(cold_cache(run_piped), t_search, big_env, scratch,
                             settings.scale_runs)
            scale_rows.append(scale_row(f"{t_search.label} (cold cache)", samples, size,
                                        targeted=False))
            big.unlink()
        print(f"\n3. Scale, stdout piped (median of {settings.scale_runs} runs after "
              "1 warm-up; peak = max RSS of the child over those runs;\n"
              "   cold cache = territoria's cache emptied before each run, i.e. the first "
              "search after the store changed)")
        print(report.table(["case", "median ms", "peak MiB", "target", "result"], scale_rows))

    print(f"\n{report.load_line('after')}")
    results = [row[-1] for row in [*rows, *pty_rows, *scale_rows]]
    failed = results.count("FAIL")
    print(f"{results.count('PASS')} PASS, {failed} FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
