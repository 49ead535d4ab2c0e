"""territoria: the palmarès of the Prix TERRITORIA as data you can query.

The package is a small library with a thin command line on top (``cli``);
``views`` is the only module that uses Rich (docs/architecture.md draws the
rooms). A Python user gets the same queries as the command line::

    from territoria_cli import compute_stats, load_awards, packaged_store_path, search_store, select

    path = packaged_store_path()
    for hit in search_store(path, ["velo"], {"levels": ["or"]}).hits:
        print(hit.award.id, hit.award.title)
    print(compute_stats(select(load_awards(path), {"regions": ["occitanie"]})).by_level)

The names below are loaded on first use (PEP 562), so that the command
line, which imports this package first, starts without the modules a given
command does not need; not even ``typing``, because until ``__main__`` has
set its signal handlers a Ctrl-C prints a traceback. The ``search`` function
is imported from its module: at the package level that name is the module
``territoria_cli.search``.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Public name -> module that defines it.
_EXPORTS = {
    "Award": "model",
    "Laureate": "model",
    "InvalidAward": "model",
    "LEVELS": "model",
    "KINDS": "model",
    "AWARD_FIELDS": "model",
    "fold": "text",
    "StoreError": "errors",
    "UsageError": "errors",
    "OutputError": "errors",
    "Failure": "errors",
    "load_awards": "store",
    "packaged_store_path": "store",
    "resolve_store_path": "store",
    "import_awards": "store",
    "read_import_file": "store",
    "Filters": "filters",
    "FILTERS": "filters",
    "build_filters": "filters",
    "filter_awards": "filters",
    "sort_awards": "filters",
    "select": "filters",
    "find_award": "filters",
    "find_awards": "filters",
    "count_values": "values",
    "search_store": "search",
    "search_awards": "search",
    "similar_store": "search",
    "Stats": "stats",
    "compute_stats": "stats",
    "FORMATS": "formats",
    "to_csv": "formats.csv",
    "to_markdown": "formats.markdown",
    "to_json": "formats.json",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'territoria_cli' has no attribute {name!r}")
    return getattr(importlib.import_module(f"territoria_cli.{module}"), name)
