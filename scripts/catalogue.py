"""Keep the French catalogue in step with the messages of the code.

    python3 scripts/catalogue.py update    # add new messages to the .po, drop gone ones, rebuild the .mo
    python3 scripts/catalogue.py check     # exit 1 if the .po or the .mo is out of step (what the tests check)

The check also reads every help text the command line shows (each command's
help and epilog, each option's and argument's help): a text that is not
marked with ``N_()`` escapes the extractor, and would be shown in English
whatever ``--lang`` says.

The code's English source strings are found by Babel's extractor (the calls
``_()``, ``N_()`` and ``ngettext()``); Babel also writes the ``.po`` and
compiles the ``.mo`` that the standard ``gettext`` module reads at run time.
Babel is a development tool only (the ``test`` extra): territoria itself
reads the compiled catalogue with the standard library. New messages are
added untranslated; translate them in the ``.po`` and run ``update`` again.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "territoria_cli"
sys.path.insert(0, str(ROOT / "src"))

from territoria_cli import __version__  # noqa: E402
from territoria_cli.i18n import DEFAULT_LANGUAGE, DOMAIN, LOCALE_DIR, help_holders, help_messages  # noqa: E402

PO_FILE = LOCALE_DIR / DEFAULT_LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_FILE = PO_FILE.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"{[^{}]*}")


def code_messages() -> Catalog:
    """Every message of the package's code, as a template catalogue."""
    template = Catalog(domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def shown_help_messages(app: Any = None) -> set[str]:
    """The messages of every help page of ``app`` (territoria's by default), as the English source strings.

    Read from the commands Typer builds, as ``--help`` shows them, so that a
    help text that is not marked ``N_()`` is found as well as a marked one.
    """
    import typer

    if app is None:
        from territoria_cli.cli import app
    group = typer.main.get_command(app)
    context = group.context_class(group, info_name="territoria")
    commands = [group, *(group.get_command(context, name) for name in group.list_commands(context))]
    messages: set[str] = set()
    for command in commands:
        for holder, attribute in help_holders(command, command.get_params(context)):
            text = getattr(holder, attribute, None) or ""
            messages |= {message for _marker, message in help_messages(text) if message}
    return messages


def read_catalogue(path: Path = PO_FILE) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=DEFAULT_LANGUAGE, domain=DOMAIN)


def compiled(catalogue: Catalog) -> bytes:
    """The ``.mo`` bytes of ``catalogue``; fuzzy (unchecked) translations are left out."""
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def problems(catalogue: Catalog, template: Catalog, shown: set[str] | None = None) -> list[str]:
    """What is out of step between the code, the help pages (``shown``: :func:`shown_help_messages` by default),
    the ``.po`` and the committed ``.mo``."""
    found: list[str] = []
    wanted = {message.id if isinstance(message.id, str) else message.id[0] for message in template if message.id}
    present = {message.id if isinstance(message.id, str) else message.id[0] for message in catalogue if message.id}
    found += [f"not in the catalogue: {message_id!r}" for message_id in sorted(wanted - present)]
    unmarked = (shown_help_messages() if shown is None else shown) - wanted
    found += [f"shown in a help page but not marked N_() for the catalogue: {message_id!r}" for message_id in sorted(unmarked)]
    found += [f"no longer in the code: {message_id!r}" for message_id in sorted(present - wanted)]
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(strings):
            found.append(f"untranslated: {ids[0]!r}")
            continue
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != expected:
                found.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    if not MO_FILE.exists() or MO_FILE.read_bytes() != compiled(catalogue):
        found.append(f"{MO_FILE.name} does not match {PO_FILE.name}: run 'python3 scripts/catalogue.py update'")
    return found


def update() -> None:
    catalogue = read_catalogue() if PO_FILE.exists() else Catalog(locale=DEFAULT_LANGUAGE, domain=DOMAIN)
    template = code_messages()
    template.creation_date = catalogue.creation_date  # no date churn in the .po when nothing changed
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    catalogue.project, catalogue.version = "territoria", __version__
    catalogue.last_translator = catalogue.language_team = "territoria developers"
    catalogue.revision_date = catalogue.creation_date
    PO_FILE.parent.mkdir(parents=True, exist_ok=True)
    with PO_FILE.open("wb") as po:
        write_po(po, catalogue, width=100, omit_header=False, sort_output=False, include_lineno=False)
    MO_FILE.write_bytes(compiled(read_catalogue()))


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        update()
    elif argv != ["check"]:
        print(__doc__, file=sys.stderr)
        return 2
    found = problems(read_catalogue(), code_messages())
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
