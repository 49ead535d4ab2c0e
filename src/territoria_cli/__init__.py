"""territoria: the palmarès of the Prix TERRITORIA as data you can query.

The package is a small library with a thin command line on top (``cli``);
``render`` is the only module that uses Rich. A Python user gets the same
queries as the command line::

    from territoria_cli import build_filters, compute_stats, load_awards, packaged_store_path, parse_query
    from territoria_cli.search import search

    awards = load_awards(packaged_store_path())
    gold = build_filters(awards, levels=["or"])
    for hit in search(awards, parse_query(["velo"]), gold):
        print(hit.award.id, hit.award.title)
    print(compute_stats(awards).by_level)

The names below are loaded on first use (PEP 562), so that the command
line, which imports this package first, starts without the modules a given
command does not need. The ``search`` function is imported from its module:
at the package level that name is the module ``territoria_cli.search``.
"""

from __future__ import annotations

import importlib
from typing import Any

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
    "StoreError": "store",
    "load_awards": "store",
    "packaged_store_path": "store",
    "resolve_store_path": "store",
    "import_awards": "store",
    "read_import_file": "store",
    "Filters": "search",
    "UsageError": "search",
    "build_filters": "search",
    "filter_awards": "search",
    "sort_awards": "search",
    "parse_query": "search",
    "suggest": "search",
    "SearchIndex": "search",
    "Stats": "stats",
    "compute_stats": "stats",
    "to_csv": "export",
    "to_markdown": "export",
    "to_json": "export",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'territoria_cli' has no attribute {name!r}")
    return getattr(importlib.import_module(f"territoria_cli.{module}"), name)
