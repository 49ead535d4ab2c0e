"""Benchmark the territoria CLI end to end: ``python benchmarks/run.py [--quick]``.

Four questions, each answered with whole-process wall-clock medians:

1. Start-up, piped: is ``territoria list/search`` close to a bare Typer app
   (≤ 1.3×) and clearly faster than the sqlite-utils CLI (≤ 0.6×)?
2. Start-up, in a terminal: is it close to a Typer app that only renders a
   22-row Rich table (≤ 1.1×)?
3. Scale against a database CLI: at 10,000 and 100,000 awards, do
   ``search``, ``stats``, ``list --level or`` and ``show ID`` take at most
   0.5× what sqlite-utils takes on the same data (alternating runs)?
4. Does the cost follow the answer, not the store: at 100,000 awards, do
   ``show ID``, ``search`` and ``stats`` take at most 1.5× their own time on
   the 38-award store (alternating runs) within 150 MiB, and does the first
   command after the store changed finish within 3 s?

The exit status is 1 when any target fails, so the script can gate changes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from harness import envs, report, stores
from harness.timing import Command, Run, Runner, Samples, run_piped, run_pty, sample, sample_pairs

HERE = Path(__file__).resolve().parent
APPS = HERE / "apps"

PIPED_VS_TYPER, PIPED_VS_SQLITE_UTILS, PTY_VS_RICH = 1.3, 0.6, 1.1
SCALE_VS_SQLITE_UTILS = 0.5
FOLLOWS_ANSWER, FOLLOWS_ANSWER_MIB = 1.5, 150.0
"""At the largest size: at most 1.5x the same command on the 38 awards, 150 MiB peak."""
FIRST_AFTER_CHANGE_SECONDS = 3.0
"""At the largest size, the first command after the store changed (it may rebuild caches)."""
SCALE_SIZES = (10_000, 100_000)
"""Store sizes of the scale cases; the answer-following targets apply to the largest."""

LIST_SQL = "select id, year, level, category, laureate, title from awards where level = 'or'"
STATS_SQL = (
    "select category, count(*) as awards, sum(level = 'or') as 'or', "
    "sum(level = 'argent') as argent, sum(level = 'bronze') as bronze "
    "from awards group by category order by awards desc"
)
"""What sqlite-utils runs for ``territoria list --level or`` and for ``territoria stats``
(its table by category and level, the biggest part of what stats prints)."""

_ENV_DROPPED = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONPROFILEIMPORTTIME",
    "VIRTUAL_ENV",
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERRITORIA_DB",
)
"""Variables that would change what is imported or how Rich renders."""


@dataclass(frozen=True)
class Settings:
    """Command-line options after applying ``--quick`` defaults."""

    repo: Path
    cache: Path
    pairs: int
    scale_runs: int
    scale_sizes: tuple[int, ...]
    startup: bool


def parse_args(argv: list[str]) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 pairs, 3 scale pairs, skip the 100k store")
    parser.add_argument(
        "--scale-sizes",
        type=lambda text: tuple(int(n) for n in text.split(",") if n.strip()),
        help='comma-separated store sizes of the scale cases (default 10000,100000; "" for none)',
    )
    parser.add_argument(
        "--scale-only", action="store_true", help="skip the start-up cases (1 and 2) and the import profile"
    )
    parser.add_argument("--pairs", type=int, help="A/B pairs per start-up comparison (default 21, quick 5)")
    parser.add_argument("--scale-runs", type=int, help="A/B pairs (or runs) per scale measurement (default 5, quick 3)")
    parser.add_argument(
        "--repo", type=Path, default=HERE.parent, help="territoria checkout to install (default: this repository)"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=envs.default_cache_dir(),
        help="where the benchmark keeps its venvs (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    return Settings(
        repo=args.repo.resolve(),
        cache=args.cache_dir,
        pairs=args.pairs or (5 if args.quick else 21),
        scale_runs=args.scale_runs or (3 if args.quick else 5),
        scale_sizes=SCALE_SIZES[:1] if args.quick else SCALE_SIZES if args.scale_sizes is None else args.scale_sizes,
        startup=not args.scale_only,
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
    env.update(
        TERM="xterm-256color",
        LC_ALL="C.UTF-8",
        TERRITORIA_DB=str(store),
        XDG_CACHE_HOME=str(store.parent / "xdg-cache"),
    )
    return env


def compare(
    runner: Runner, subject: Command, baseline: Command, target: float, env: Mapping[str, str], cwd: Path, pairs: int
) -> list[str]:
    """Measure one A/B pair of commands and format it as a report row."""
    progress(f"{subject.label}  vs  {baseline.label}")
    a, b = sample_pairs(runner, subject, baseline, env, cwd, pairs)
    ratio = statistics.median(x / y for x, y in zip(a.seconds, b.seconds, strict=True))
    return [
        subject.label,
        f"{a.median_ms:.1f}",
        baseline.label,
        f"{b.median_ms:.1f}",
        f"{ratio:.2f}",
        f"≤ {target:g}",
        report.verdict(ratio, target),
    ]


def store_changed(runner: Runner, store: Path) -> Runner:
    """Wrap ``runner`` to give ``store`` a new modification time before each run.

    Whatever territoria derived from the store is then stale: the run
    measures the first command after the store changed, rebuild included.
    """

    def run(command: Command, env: Mapping[str, str], cwd: Path) -> Run:
        now = time.time_ns()
        os.utime(store, ns=(now, now))
        return runner(command, env, cwd)

    return run


def store_edited(runner: Runner, store: Path) -> Runner:
    """Wrap ``runner`` to edit one award of ``store`` before each run: a new word at the start of the last summary.

    A touch leaves the bytes as they were, which territoria notices (it
    re-keys what it derived); an edit makes it read and validate the whole
    store again, and re-index the chunk of the edited award.
    """

    def run(command: Command, env: Mapping[str, str], cwd: Path) -> Run:
        stores.edit_last_summary(store, f"[{time.time_ns()}] ")
        return runner(command, env, cwd)

    return run


#: How table 5 changes the store before each run: its modification time only, or one award's bytes.
CHANGES: dict[str, Callable[[Runner, Path], Runner]] = {"touched": store_changed, "one award edited": store_edited}


@dataclass(frozen=True)
class ScaleCase:
    """One command measured at scale: territoria's side and sqlite-utils' side."""

    name: str
    territoria: list[str]
    sqlite_utils: list[str]


def scale_cases(cli: str, su: str, db: Path, award_id: str) -> list[ScaleCase]:
    """The four commands of the scale table, each with its sqlite-utils equivalent."""
    return [
        ScaleCase(
            "search reboisement",
            [cli, "search", "reboisement"],
            [su, "search", str(db), "awards", "reboisement", "--table"],
        ),
        ScaleCase("stats", [cli, "stats"], [su, "query", str(db), STATS_SQL, "--table"]),
        ScaleCase("list --level or", [cli, "list", "--level", "or"], [su, "query", str(db), LIST_SQL, "--table"]),
        ScaleCase(
            "show ID",
            [cli, "show", award_id],
            [su, "query", str(db), "select * from awards where id = :id", "-p", "id", award_id],
        ),
    ]


def ratio_of(a: Samples, b: Samples) -> float:
    """Median over the pairs of (a / b): adjacent runs share the machine's load."""
    return statistics.median(x / y for x, y in zip(a.seconds, b.seconds, strict=True))


def versus_sqlite_utils(case: ScaleCase, size: int, env: Mapping[str, str], cwd: Path, pairs: int) -> list[str]:
    """One row of table 3: territoria and sqlite-utils on the same store, alternating."""
    progress(f"{case.name} @ {size:,}: territoria vs sqlite-utils")
    a, b = sample_pairs(
        run_piped,
        Command(case.name, case.territoria),
        Command(f"sqlite-utils {case.name}", case.sqlite_utils),
        env,
        cwd,
        pairs,
    )
    ratio = ratio_of(a, b)
    return [
        f"{size:,}",
        case.name,
        f"{a.median_ms:.0f}",
        f"{a.peak_mib:.0f}",
        f"{b.median_ms:.0f}",
        f"{b.peak_mib:.0f}",
        f"{ratio:.2f}",
        f"≤ {SCALE_VS_SQLITE_UTILS:g}",
        report.verdict(ratio, SCALE_VS_SQLITE_UTILS),
    ]


def typer_floor(show: ScaleCase, bare: Command, size: int, env: Mapping[str, str], cwd: Path, pairs: int) -> list[str]:
    """A reference row of table 3: a bare Typer app (import, parse, print a line) vs sqlite-utils' ``show``.

    No Typer CLI can be faster than this, whatever it reads: it says how much of the 0.5 target is
    left to territoria once Python and Typer have started.
    """
    progress(f"bare Typer app @ {size:,} vs sqlite-utils show")
    a, b = sample_pairs(run_piped, bare, Command("sqlite-utils show ID", show.sqlite_utils), env, cwd, pairs)
    ratio = ratio_of(a, b)
    return [
        f"{size:,}",
        "(bare Typer app)",
        f"{a.median_ms:.0f}",
        f"{a.peak_mib:.0f}",
        f"{b.median_ms:.0f}",
        f"{b.peak_mib:.0f}",
        f"{ratio:.2f}",
        "-",
        "reference",
    ]


def follows_answer(
    name: str, big: Command, small: Command, size: int, env: Mapping[str, str], cwd: Path, pairs: int
) -> list[str]:
    """One row of table 4: the same command on the big store and on the 38 awards, alternating."""
    progress(f"{name} @ {size:,} vs @ 38")
    a, b = sample_pairs(run_piped, big, small, env, cwd, pairs)
    ratio = ratio_of(a, b)
    ok = ratio <= FOLLOWS_ANSWER and a.peak_mib <= FOLLOWS_ANSWER_MIB
    return [
        name,
        f"{a.median_ms:.0f}",
        f"{a.peak_mib:.0f}",
        f"{b.median_ms:.0f}",
        f"{ratio:.2f}",
        f"≤ {FOLLOWS_ANSWER:g}×, ≤ {FOLLOWS_ANSWER_MIB:.0f} MiB",
        "PASS" if ok else "FAIL",
    ]


def first_after_change(
    name: str,
    command: Command,
    store: Path,
    size: int,
    env: Mapping[str, str],
    cwd: Path,
    runs: int,
    targeted: bool,
    change: str,
) -> list[str]:
    """One row of table 5: the command right after the store changed (one of :data:`CHANGES`)."""
    progress(f"{name} @ {size:,}, first run after the store changed ({change})")
    samples = sample(CHANGES[change](run_piped, store), command, env, cwd, runs)
    row = [f"{size:,}", name, change, f"{samples.median_ms:.0f}", f"{samples.peak_mib:.0f}"]
    if not targeted:
        return [*row, "-", "-"]
    return [
        *row,
        f"≤ {FIRST_AFTER_CHANGE_SECONDS * 1000:.0f} ms",
        report.verdict(samples.median_ms, FIRST_AFTER_CHANGE_SECONDS * 1000),
    ]


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
    print(
        f"data: data/awards.json, {len(awards)} awards; "
        f"{settings.pairs} A/B pairs per start-up case (after 1 warm-up each)"
    )

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

        rows: list[list[str]] = []
        pty_rows: list[list[str]] = []
        if settings.startup:
            rows = [
                compare(
                    run_piped,
                    t_list,
                    Command("bare Typer list", [python, bare, "list", "--level", "or"]),
                    PIPED_VS_TYPER,
                    env,
                    scratch,
                    settings.pairs,
                ),
                compare(
                    run_piped,
                    t_search,
                    Command("bare Typer search", [python, bare, "search", "reboisement"]),
                    PIPED_VS_TYPER,
                    env,
                    scratch,
                    settings.pairs,
                ),
                compare(
                    run_piped,
                    t_list,
                    Command(
                        "sqlite-utils query",
                        [
                            su,
                            "query",
                            str(sqlite_db),
                            "select id, year, level, category, laureate, title from awards where level = 'or'",
                            "--table",
                        ],
                    ),
                    PIPED_VS_SQLITE_UTILS,
                    env,
                    scratch,
                    settings.pairs,
                ),
                compare(
                    run_piped,
                    t_search,
                    Command("sqlite-utils search", [su, "search", str(sqlite_db), "awards", "reboisement", "--table"]),
                    PIPED_VS_SQLITE_UTILS,
                    env,
                    scratch,
                    settings.pairs,
                ),
            ]
            pty_rows = [
                compare(
                    run_pty, Command(f"{t.label} (pty)", t.argv), rich_table, PTY_VS_RICH, env, scratch, settings.pairs
                )
                for t in (t_list, t_search)
            ]
            headers = ["case", "median ms", "baseline", "baseline ms", "ratio", "target", "result"]
            print(
                "\nratio = median over the pairs of (case ms / baseline ms): adjacent runs "
                "share the machine's load, so it is steadier than a ratio of medians"
            )
            print("\n1. Start-up, stdout piped")
            print(report.table(headers, rows))
            print("\n2. Start-up, in a pseudo-terminal (120x40)")
            print(report.table(headers, pty_rows))

            progress("import profile")
            print("\nWhere start-up goes: `territoria list --level or`, piped, -X importtime")
            print(
                report.describe_imports(
                    report.import_profile(t_list.argv, env, scratch),
                    report.import_profile([python, bare, "list", "--level", "or"], env, scratch),
                    top=12,
                )
            )

        small_id = awards[len(awards) // 2]["id"]
        vs_rows: list[list[str]] = []
        follow_rows: list[list[str]] = []
        change_rows: list[list[str]] = []
        largest = max(settings.scale_sizes, default=0)
        for size in settings.scale_sizes:
            progress(f"generating the {size:,}-award store and its SQLite copy")
            big, big_db = scratch / f"awards-{size}.json", scratch / f"awards-{size}.sqlite"
            big_id = stores.scaled_stores_in_child(
                settings.repo / "data" / "awards.json", size, big, sqlite_utils.script("sqlite-utils"), big_db
            )
            big_env = child_env(big)
            cases = scale_cases(cli, su, big_db, big_id)
            vs_rows += [versus_sqlite_utils(case, size, big_env, scratch, settings.scale_runs) for case in cases]
            bare_app = Command("bare Typer list", [python, bare, "list", "--level", "or"])
            show_case = next(case for case in cases if case.name == "show ID")
            vs_rows.append(typer_floor(show_case, bare_app, size, big_env, scratch, settings.scale_runs))
            if size == largest:
                small_cases = {case.name: case for case in scale_cases(cli, su, sqlite_db, small_id)}
                for case in cases:
                    if case.name == "list --level or":
                        continue  # its answer grows with the store: table 3 covers it
                    follow_rows.append(
                        follows_answer(
                            case.name,
                            Command(f"{case.name} @ {size:,}", case.territoria, big_env),
                            Command(f"{case.name} @ 38", small_cases[case.name].territoria, env),
                            size,
                            env,
                            scratch,
                            settings.scale_runs,
                        )
                    )
            for change in CHANGES:
                for case in cases:
                    if case.name in ("search reboisement", "show ID"):
                        change_rows.append(
                            first_after_change(
                                case.name,
                                Command(case.name, case.territoria),
                                big,
                                size,
                                big_env,
                                scratch,
                                settings.scale_runs,
                                targeted=size == largest,
                                change=change,
                            )
                        )
            big.unlink()
            big_db.unlink()

        if settings.scale_sizes:
            print(
                f"\n3. Scale: territoria vs sqlite-utils on the same scaled store, stdout piped "
                f"({settings.scale_runs} A/B pairs after 1 warm-up each;\n"
                "   peak = max RSS of the child over those runs; ratio as above)"
            )
            print(
                report.table(
                    [
                        "awards",
                        "command",
                        "territoria ms",
                        "MiB",
                        "sqlite-utils ms",
                        "MiB",
                        "ratio",
                        "target",
                        "result",
                    ],
                    vs_rows,
                )
            )
            if follow_rows:
                print(
                    f"\n4. The cost follows the answer: the same command at {largest:,} awards vs on "
                    f"the 38-award store ({settings.scale_runs} A/B pairs, warm caches)"
                )
                print(
                    report.table(
                        ["command", f"ms @ {largest:,}", "peak MiB", "ms @ 38", "ratio", "target", "result"],
                        follow_rows,
                    )
                )
            print(
                f"\n5. First command after the store changed (before each of {settings.scale_runs} runs, its "
                "modification time is set, or the start of one award's summary is edited; median)"
            )
            print(
                report.table(["awards", "command", "change", "median ms", "peak MiB", "target", "result"], change_rows)
            )

    print(f"\n{report.load_line('after')}")
    harness_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"harness peak: {harness_mib:.0f} MiB (a child's peak cannot be reported below it)")
    results = [row[-1] for row in [*rows, *pty_rows, *vs_rows, *follow_rows, *change_rows]]
    failed = results.count("FAIL")
    print(f"{results.count('PASS')} PASS, {failed} FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
