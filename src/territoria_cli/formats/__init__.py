"""The export formats: one module per format, and the registry that names them.

Each module has a ``write(awards, columns, lang, **options) -> str`` and,
where the format is read back, its reader beside it (``csv.read_documents``).
The shared cells are in :mod:`territoria_cli.formats.columns`.

Adding a format is one entry in :data:`FORMATS` (and its module): ``export
--format``, its help and completion, the choice by ``--output`` extension and
the check of format-only options all read this table. A format module is
imported only when it writes, so the CSV writer never costs ``list`` or
``--help`` anything.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from territoria_cli.errors import UsageError
from territoria_cli.i18n import _
from territoria_cli.model import Award, Lang


class Format(NamedTuple):
    """One export format."""

    #: What ``--format`` takes, and the ``--output`` extension that chooses it.
    name: str
    #: The module under ``territoria_cli.formats`` holding its ``write``.
    module: str
    #: The keyword options of its ``write``, which no other format accepts (``--excel`` for CSV).
    options: tuple[str, ...] = ()
    #: Other names ``--format`` and the ``--output`` extension accept for it (``markdown`` for ``md``).
    aliases: tuple[str, ...] = ()


#: The formats, the default first.
FORMATS: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format("csv", "csv", options=("excel", "raw_formulas")),
        Format("md", "markdown", options=("group_by", "title"), aliases=("markdown",)),
        Format("json", "json"),
    )
}
EXPORT_FORMATS: tuple[str, ...] = tuple(FORMATS)
#: Every name of a format, aliases included, and the format it names.
FORMAT_NAMES: dict[str, str] = {name: entry.name for entry in FORMATS.values() for name in (entry.name, *entry.aliases)}


def format_for(requested: str | None, output: Path | None) -> str:
    """The format asked for (a name or alias, any unique beginning), else the one of the output's extension, else the default."""
    if requested:
        from territoria_cli.filters import resolve_choice

        return FORMAT_NAMES[resolve_choice(requested, FORMAT_NAMES, "format")]
    suffix = output.suffix.lstrip(".").lower() if output else ""
    return FORMAT_NAMES.get(suffix, EXPORT_FORMATS[0])


def check_options(name: str, options: Mapping[str, Any]) -> None:
    """Refuse an option that format ``name`` would silently ignore (``export --format md --excel``).

    ``options`` holds the format options as given: false or ``None`` when not given.
    """
    for option, value in options.items():
        if value and option not in FORMATS[name].options:
            owner = next((entry.name for entry in FORMATS.values() if option in entry.options), None)
            if owner is None:
                raise TypeError(f"no format has an option {option!r}")
            raise UsageError(
                _("{option} applies to --format {owner} only, not {format}").format(
                    option="--" + option.replace("_", "-"), owner=owner, format=name
                )
            )


def write(name: str, awards: Iterable[Award], columns: Sequence[str], lang: Lang = "fr", **options: Any) -> str:
    """``awards`` in format ``name``, by the ``write`` of its module; options as in :func:`check_options`."""
    check_options(name, options)
    chosen = FORMATS[name]
    module = importlib.import_module(f"territoria_cli.formats.{chosen.module}")
    given = {option: options[option] for option in chosen.options if option in options}
    return module.write(awards, columns, lang, **given)  # type: ignore[no-any-return]
