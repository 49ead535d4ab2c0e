"""territoria: the palmarès of the Prix TERRITORIA as data you can query.

The package is a small library (model, store, search, stats, export) with a
thin command line on top (``cli``); ``render`` is the only module using Rich.
"""

__version__ = "0.1.0"
