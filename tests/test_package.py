"""The library API: what ``from territoria_cli import …`` gives a Python user."""

from __future__ import annotations

import subprocess
import sys

import pytest

import territoria_cli


def test_a_python_user_gets_the_same_queries_as_the_command_line():
    from territoria_cli import build_filters, compute_stats, load_awards, packaged_store_path, search_awards, to_csv

    awards = load_awards(packaged_store_path())
    gold = build_filters(awards, levels=["OR"])
    hits = search_awards(awards, ["velo"], gold).hits
    assert [hit.award.id for hit in hits] == ["2017-saverdun-recup-velos-en-liberte"]
    assert compute_stats(awards).by_level == {"or": 22, "argent": 6, "bronze": 10}
    assert to_csv(hits and [hits[0].award], ["id"]).splitlines()[1] == "2017-saverdun-recup-velos-en-liberte"


def test_every_advertised_name_exists():
    for name in territoria_cli.__all__:
        assert getattr(territoria_cli, name) is not None


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_thing"):
        territoria_cli.no_such_thing  # noqa: B018


def test_importing_the_package_loads_no_library_module():
    """The command line imports the package first; the API must not cost it start-up time."""
    code = "import sys, territoria_cli; print(sorted(m for m in sys.modules if m.startswith('territoria_cli.')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_only_the_command_switches_the_garbage_collector_off():
    """The command trades the collector for start-up time; a library user keeps it."""
    code = "import gc, {module}; print(gc.isenabled())"
    as_library = subprocess.run([sys.executable, "-c", code.format(module="territoria_cli.cli")], capture_output=True, text=True)
    as_command = subprocess.run([sys.executable, "-c", code.format(module="territoria_cli.__main__")], capture_output=True, text=True)
    assert (as_library.stdout.strip(), as_command.stdout.strip()) == ("True", "False")
