"""CSV both ways: what ``export --format csv`` writes and what ``import`` reads back.

Writing follows RFC 4180 in UTF-8 with a header row of labels (see
:mod:`territoria_cli.formats.columns` for the cells). Hostile text is
harmless: cells a spreadsheet would run as a formula are neutralised by
default (OWASP "CSV injection": a leading ``'`` before ``=``, ``+``, ``-``,
``@``, tab or carriage return), and reading removes that ``'`` again, so the
two rules sit side by side here. So that the round trip is exact, a cell that
itself starts with ``'`` gets one more too (a spreadsheet shows ``''=x`` as
``'=x``, as typed), and reading removes one ``'`` before any of those six
characters or another ``'``: ``'=already`` is written ``''=already`` and read
back as ``'=already``. A cell may be as long as the file (beyond the csv
module's default limit of 128 KiB).

Reading accepts what writing produces, and what a person edits in a
spreadsheet: comma or semicolon separated, with or without a byte-order mark,
the header naming columns by field name or by their label in any language,
"oui"/"non", "yes"/"no", "vrai"/"faux", "true"/"false" or 1/0 for a boolean.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from territoria_cli.errors import StoreError, UsageError
from territoria_cli.formats import HEADERS
from territoria_cli.formats.columns import DEFAULT_COLUMNS, YES_NO, header, row
from territoria_cli.i18n import _
from territoria_cli.model import AWARD_FIELDS, FIELD_LABELS, Award, Lang, parse_level
from territoria_cli.text import fold, quoted

if TYPE_CHECKING:
    from territoria_cli.stats import Table

#: Cell starts that make a spreadsheet evaluate the cell (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The mark a spreadsheet reads as "text follows", added before those starts.
TEXT_MARK = "'"
#: A text cell written with formula neutralisation starts with "'" then one of FORMULA_STARTS or another "'".
_NEUTRALISED = re.compile(r"'(?=[=+\-@\t\r'])")
#: What a boolean cell may say, folded: the words the export writes, and those people type.
_TRUE = {yes for yes, _ in YES_NO.values()} | {"true", "vrai", "1"}
_FALSE = {no for _, no in YES_NO.values()} | {"false", "faux", "0"}


# --------------------------------------------------------------------------- writing


def neutralise_formula(cell: str) -> str:
    """``'=1+1`` for ``=1+1``: the spreadsheet shows the text instead of running it; ``''x`` for ``'x``, so it reads back."""
    return TEXT_MARK + cell if cell.startswith((*FORMULA_STARTS, TEXT_MARK)) else cell


def to_csv(
    awards: Iterable[Award],
    columns: Sequence[str],
    lang: Lang = "fr",
    *,
    excel: bool = False,
    raw_formulas: bool = False,
    header_of: str = "labels",
) -> str:
    """RFC 4180 CSV (CRLF line ends, quotes where needed) with a header of labels, or of keys.

    ``header_of="keys"`` names the columns ``id,level,…`` for scripts instead
    of "Identifiant,Niveau,…" in the reader's language; import reads both.

    ``excel=True`` writes what Excel opens right in French locales: a UTF-8
    byte order mark (else it guesses a legacy encoding) and ";" between cells
    (the list separator where "," is the decimal mark). ``raw_formulas=True``
    writes formula-like cells as they are. Write the result with
    ``newline=""`` so the CRLFs stay as they are.
    """
    head = list(columns) if header_of == "keys" else header(columns, lang)
    return _csv_text(head, (row(award, columns, lang) for award in awards), excel=excel, raw_formulas=raw_formulas)


def _csv_text(head: Sequence[str], rows: Iterable[Sequence[str]], *, excel: bool, raw_formulas: bool) -> str:
    import csv  # only CSV exports pay for it, not every start-up

    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(head)
    for cells in rows:
        writer.writerow(cells if raw_formulas else [neutralise_formula(cell) for cell in cells])
    return buffer.getvalue()


def write(
    awards: Iterable[Award],
    columns: Sequence[str] | None,
    lang: Lang = "fr",
    *,
    excel: bool = False,
    raw_formulas: bool = False,
    header: str | None = None,
) -> str:
    """The registry's entry point (see :mod:`territoria_cli.formats`); ``header`` is one of :data:`HEADERS`."""
    from territoria_cli.filters import resolve_choice

    header_of = resolve_choice(header, HEADERS, "header") if header else "labels"
    return to_csv(awards, columns or DEFAULT_COLUMNS, lang, excel=excel, raw_formulas=raw_formulas, header_of=header_of)


def write_tables(tables: Sequence[Table], lang: Lang = "fr", *, excel: bool = False) -> str:
    """``stats --format csv``: one table (CSV holds one), its labels as the header row."""
    if len(tables) != 1:
        raise UsageError(_("CSV holds one table: choose it with --by FIELD (repeat --by for a cross-table)"))
    (table,) = tables
    return _csv_text(table.head, ([str(cell) for cell in cells] for cells in table.rows), excel=excel, raw_formulas=False)


# --------------------------------------------------------------------------- reading


def read_documents(path: Path, text: str) -> list[tuple[str, Any]]:
    """The award documents of a CSV file, each with where it is ("row 2 (line 3)"), not yet validated.

    ``path`` only names the file in messages. Cells: empty means null;
    ``year`` is a whole number; ``level`` a level name or label ("or",
    "Gold"); ``excellence`` a yes/no word; ``laureates`` the JSON text of the
    list of bodies; a leading "'" before a formula start or another "'" is removed. Raises
    :class:`StoreError` naming the row, line and id at fault.
    """
    import csv

    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    located: list[tuple[str, Any]] = []
    # The module-wide limit (128 KiB by default) would refuse a long summary
    # that the export wrote; no cell can be longer than the file itself.
    previous_limit = csv.field_size_limit(max(len(text), csv.field_size_limit()))
    try:
        columns = _header_fields(path, next(reader))
        first_line = reader.line_num + 1
        for cells in reader:
            where = _("row {row} (line {line})").format(row=len(located) + 1, line=first_line)
            first_line = reader.line_num + 1
            if not cells:
                continue
            if len(cells) != len(columns):
                raise StoreError(
                    _("{path}: {where}: {cells} cells, but the header names {columns} columns").format(
                        path=path, where=where, cells=len(cells), columns=len(columns)
                    )
                )
            located.append((where, _document(path, where, columns, cells)))
    except csv.Error as error:
        raise StoreError(_("{path}: line {line}: not valid CSV ({reason})").format(path=path, line=reader.line_num, reason=error)) from None
    finally:
        csv.field_size_limit(previous_limit)
    return located


@cache
def _header_names() -> dict[str, str]:
    """What a CSV header cell may say for each column, folded.

    The public field name or its label in any language (an export's header
    uses the labels). The body columns of exports (kind, department, region)
    map to themselves and are ignored on import: the laureates column
    carries the same facts. Built on first use: only CSV imports need it.
    """
    return {fold(name): name for labels in FIELD_LABELS.values() for name in labels} | {
        fold(label): name for labels in FIELD_LABELS.values() for name, label in labels.items()
    }


def _header_fields(path: Path, cells: list[str]) -> list[str]:
    """The field name of each column; unknown or repeated columns are errors."""
    columns = []
    for cell in cells:
        name = _header_names().get(fold(cell.strip()))
        if name is None:
            raise StoreError(
                _("{path}: unknown column {column} in the header; expected the field names {fields} (or their labels)").format(
                    path=path, column=quoted(cell), fields=", ".join(AWARD_FIELDS)
                )
            )
        if name in columns:
            raise StoreError(_("{path}: column {column} appears twice in the header").format(path=path, column=quoted(cell)))
        columns.append(name)
    missing = [name for name in AWARD_FIELDS if name not in columns]
    if missing:
        raise StoreError(_("{path}: missing column(s) {columns} in the header").format(path=path, columns=", ".join(missing)))
    return columns


def _document(path: Path, where: str, columns: list[str], cells: list[str]) -> dict[str, Any]:
    """One CSV row as an award document, before validation."""
    by_column = dict(zip(columns, cells, strict=True))
    document: dict[str, Any] = {}
    for name in AWARD_FIELDS:
        cell = by_column[name][1:] if _NEUTRALISED.match(by_column[name]) else by_column[name]
        try:
            document[name] = _value(name, cell)
        except ValueError as error:
            label = by_column.get("id", "").strip()
            raise StoreError(
                _("{source}{where}{id}: {problem}; nothing was imported").format(
                    source=_("{path}: ").format(path=path), where=where, id=f" ({label})" if label else "", problem=error
                )
            ) from None
    return document


def _value(name: str, cell: str) -> Any:
    """Decode one cell by the rules of :func:`read_documents`."""
    if cell == "":
        return None
    if name == "year":
        if not re.fullmatch(r"\s*\d{1,9}\s*", cell):
            raise ValueError(_("year {value} is not a whole number").format(value=quoted(cell)))
        return int(cell)
    if name == "level":
        return parse_level(cell)
    if name == "excellence":
        folded = fold(cell.strip())
        if folded in _TRUE | _FALSE:
            return folded in _TRUE
        raise ValueError(_("excellence {value} is not true or false").format(value=quoted(cell)))
    if name == "laureates":
        try:
            return json.loads(cell)
        except (ValueError, RecursionError):
            raise ValueError(
                _("laureates must be the JSON text of a list of bodies, such as {example}").format(
                    example='[{"name": "Albi", "kind": "commune", "department": "81", "region": "Occitanie"}]'
                )
            ) from None
    return cell
