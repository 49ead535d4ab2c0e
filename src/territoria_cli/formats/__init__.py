"""The export formats: one module per format, and the registry that names them.

Each module has a ``write(awards, columns, lang, **options)`` returning text,
or bytes for a binary format (``columns`` is ``None`` when ``--columns`` was
not given: each format has its own default), and, where the format is read
back, its reader beside it (``csv.read_documents``). Formats that can hold
the tables of ``stats`` also have ``write_tables(tables, lang, **options)``.
The shared cells are in :mod:`territoria_cli.formats.columns`; the document
model of the Markdown, Word and HTML reports is :mod:`territoria_cli.formats.report`.

Adding a format is one entry in :data:`FORMATS` (and its module): ``export
--format`` and ``stats --format``, their help and completion, the choice by
``--output`` extension and the check of format-only options all read this
table. A format module is imported only when it writes, so neither its
library (python-docx, XlsxWriter) nor the CSV writer costs ``list`` or
``--help`` anything.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from territoria_cli.errors import UsageError
from territoria_cli.i18n import _
from territoria_cli.model import Award, Lang

if TYPE_CHECKING:
    from territoria_cli.stats import Table

#: What ``--output`` takes to mean standard output.
STDOUT = "-"
#: What ``--group-by`` takes (md, docx, html, xlsx); see :mod:`territoria_cli.formats.report` for the order of groups.
GROUP_FIELDS: tuple[str, ...] = ("category", "level", "region", "department", "kind", "year")
#: What ``--header`` takes (CSV): the readers' labels (the default) or the field names, for scripts.
HEADERS: tuple[str, ...] = ("labels", "keys")


class Format(NamedTuple):
    """One export format."""

    #: What ``--format`` takes.
    name: str
    #: The module under ``territoria_cli.formats`` holding its ``write``.
    module: str
    #: The keyword options of its ``write``, which other formats may not accept (``--excel`` for CSV).
    options: tuple[str, ...] = ()
    #: The ``--output`` extensions that choose it (the name's own by default); ``--format`` takes them too.
    extensions: tuple[str, ...] = ()
    #: Bytes rather than text: never drawn on a terminal.
    binary: bool = False
    #: Whether ``stats --format`` can write its tables in it (the module's ``write_tables``).
    tables: bool = False

    @property
    def suffixes(self) -> tuple[str, ...]:
        return self.extensions or (self.name,)


#: The formats, the default first.
FORMATS: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format("csv", "csv", options=("excel", "raw_formulas", "header"), tables=True),
        Format("md", "markdown", options=("group_by", "title"), extensions=("md", "markdown"), tables=True),
        # stats writes its JSON itself: the document of `stats --json`, not a list of tables.
        Format("json", "json", tables=True),
        Format("xlsx", "xlsx", options=("group_by",), binary=True, tables=True),
        Format("docx", "docx", options=("group_by", "title"), binary=True),
        Format("html", "html", options=("group_by", "title"), extensions=("html", "htm")),
    )
}
EXPORT_FORMATS: tuple[str, ...] = tuple(FORMATS)
#: What ``stats --format`` offers.
TABLE_FORMATS: tuple[str, ...] = tuple(name for name, entry in FORMATS.items() if entry.tables)


def output_is_stdout(output: Path | None) -> bool:
    """``--output -`` or no ``--output``: standard output."""
    return output is None or str(output) == STDOUT


def _format_of_extension(output: Path | None, choices: Sequence[str]) -> str | None:
    if output_is_stdout(output):
        return None
    assert output is not None
    suffix = output.suffix.lstrip(".").lower()
    return next((name for name in choices if suffix in FORMATS[name].suffixes), None)


def format_for(requested: str | None, output: Path | None, choices: Sequence[str] = EXPORT_FORMATS) -> str:
    """The format asked for (any unique beginning), else the one of the output's extension, else the default.

    A format that contradicts a known extension (``--format csv -o x.xlsx``)
    is a usage error: the file would lie about its content.
    """
    by_extension = _format_of_extension(output, EXPORT_FORMATS)
    if not requested:
        if by_extension is not None and by_extension not in choices:
            raise UsageError(
                _("{output}: {format} is not offered here; choose among: {formats}").format(
                    output=output, format=by_extension, formats=", ".join(choices)
                )
            )
        return by_extension or choices[0]
    from territoria_cli.filters import resolve_choice

    # A format's extensions are other names of it: --format markdown is md, --format htm is html.
    aliases = {suffix: name for name in choices for suffix in FORMATS[name].suffixes}
    chosen = aliases.get(requested.strip().lower()) or resolve_choice(requested, choices, "format")
    if by_extension is not None and by_extension != chosen:
        raise UsageError(
            _("--format {format} contradicts --output {output} (a .{suffix} file is {by_extension})").format(
                format=chosen, output=output, suffix=output.suffix.lstrip("."), by_extension=by_extension  # type: ignore[union-attr]
            )
        )
    return chosen


def check_options(name: str, options: Mapping[str, Any]) -> None:
    """Refuse an option that format ``name`` would silently ignore (``export --format md --excel``).

    ``options`` holds the format options as given: false or ``None`` when not given.
    """
    for option, value in options.items():
        if value and option not in FORMATS[name].options:
            owners = [entry.name for entry in FORMATS.values() if option in entry.options]
            if not owners:
                raise TypeError(f"no format has an option {option!r}")
            raise UsageError(
                _("{option} applies to --format {owner} only, not {format}").format(
                    option="--" + option.replace("_", "-"), owner=_(" or ").join(owners), format=name
                )
            )


def write(
    name: str, awards: Sequence[Award], columns: Sequence[str] | None = None, lang: Lang = "fr", **options: Any
) -> str | bytes:
    """``awards`` in format ``name``, by the ``write`` of its module; options as in :func:`check_options`."""
    check_options(name, options)
    chosen = FORMATS[name]
    module = importlib.import_module(f"territoria_cli.formats.{chosen.module}")
    given = {option: options[option] for option in chosen.options if option in options}
    return module.write(awards, columns, lang, **given)  # type: ignore[no-any-return]


def write_tables(name: str, tables: Iterable[Table], lang: Lang = "fr", **options: Any) -> str | bytes:
    """The tables of ``stats`` in format ``name`` (one of :data:`TABLE_FORMATS`)."""
    chosen = FORMATS[name]
    if not chosen.tables:
        raise UsageError(_("stats cannot be written as {format}; choose among: {formats}").format(format=name, formats=", ".join(TABLE_FORMATS)))
    module = importlib.import_module(f"territoria_cli.formats.{chosen.module}")
    return module.write_tables(list(tables), lang, **options)  # type: ignore[no-any-return]
