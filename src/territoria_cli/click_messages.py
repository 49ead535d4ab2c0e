"""Click's usage errors and help headings, said in the reader's language.

Typer 0.28's copy of Click builds its messages with f-strings ("No such
option: --levl", "Missing argument 'ID'.") and Typer passes its help headings
("Options", "Commands", "default: …") through ``gettext.gettext``, whose
language comes from the environment's locale, not from ``--lang``. This
module rebuilds the messages of the usage errors territoria can meet from
the error's own fields, and gives Typer's headings the territoria catalogue,
so that every line a user reads follows ``--lang``. An error it does not
know keeps Click's English text.
"""

from __future__ import annotations

import re
from typing import Any

from territoria_cli.i18n import N_, _
from territoria_cli.text import quoted

#: The words of Typer's help pages, which it passes through gettext: listed so that the catalogue has them.
#: (Typer's error messages are not listed: :func:`usage_message` reads them in English.)
TYPER_HELP_WORDS = (
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("required"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("Show this message and exit."),  # Click's, on -h/--help
)

#: What Click's parameter types say of a bad value, and the same in the catalogue.
_VALUE_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?P<value>.*) is not a valid int(?:eger)?(?: range)?\.$", re.S), N_("{value} is not a whole number")),
    (re.compile(r"^(?P<value>.*) is not a valid float(?: range)?\.$", re.S), N_("{value} is not a number")),
    (re.compile(r"^(?P<value>.*) is not one of (?P<choices>.*)\.$", re.S), N_("{value} is not one of {choices}")),
    (re.compile(r"^(?P<value>.*) is not in the range (?P<range>.*)\.$", re.S), N_("{value} is not in the range {range}")),
)
_EXTRA_ARGUMENTS = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.S)
_NEEDS_VALUE = re.compile(r"^Option '(?P<option>[^']*)' requires an argument\.$")
_TAKES_NO_VALUE = re.compile(r"^Option '(?P<option>[^']*)' does not take a value\.$")
_NO_SUCH_COMMAND = re.compile(r"^No such command '(?P<name>[^']*)'\.(?: Did you mean (?P<close>.*)\?)?$", re.S)


def install_typer_translations() -> None:
    """Let Typer's help headings use the territoria catalogue (it looks ``_`` up at each call)."""
    import typer.core

    typer.core._ = _  # type: ignore[attr-defined]


def usage_message(error: Any) -> str:
    """The one-line message of one of Click's usage errors, in the current language."""
    kind = type(error).__name__
    message = str(getattr(error, "message", "") or error.format_message())
    if kind == "NoSuchOption":
        # The option as Click shows it, control characters escaped.
        text = _("no such option: {option}").format(option=message.partition(": ")[2] or error.option_name)
        if error.possibilities:
            text += _("; did you mean {options}?").format(options=", ".join(sorted(error.possibilities)))
        return text
    if kind in ("MissingParameter", "BadParameter"):
        hint = _hint(error)
        if kind == "BadParameter":
            return _("invalid value for {option}: {problem}").format(option=hint, problem=_value_problem(message))
        if error.param is not None and error.param.param_type_name == "argument":
            return _("missing argument {name}").format(name=hint)
        return _("missing option {name}").format(name=hint)
    for pattern, template in (
        (_EXTRA_ARGUMENTS, N_("unexpected extra argument(s): {args}")),
        (_NEEDS_VALUE, N_("option {option} needs a value")),
        (_TAKES_NO_VALUE, N_("option {option} takes no value")),
    ):
        found = pattern.match(message)
        if found:
            return _(template).format(**found.groupdict())
    found = _NO_SUCH_COMMAND.match(message)
    if found:
        text = _("no such command: {name}").format(name=found["name"])
        if found["close"]:
            text += _("; did you mean {commands}?").format(commands=found["close"])
        return text
    return message


def _hint(error: Any) -> str:
    """The parameter an error is about ("--limit" / "-n", "ID..."), in the one quoting style of territoria's messages."""
    param = error.param
    if param is None:
        hint = error.param_hint or ""
        return (hint if isinstance(hint, str) else " / ".join(hint)).replace("'", '"')
    names = param.opts if param.param_type_name == "option" else [param.human_readable_name]
    return " / ".join(quoted(name) for name in names)


def _value_problem(message: str) -> str:
    for pattern, template in _VALUE_PROBLEMS:
        found = pattern.match(message)
        if found:
            return _(template).format(**{name: part.replace("'", '"') for name, part in found.groupdict().items()})
    return message
