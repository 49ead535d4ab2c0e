"""Messages in the reader's language: French by default, English with ``--lang en``.

The code is written with English source strings, each message once, wrapped
in :func:`_` (or :func:`ngettext` when it counts something); the French
catalogue lives in the package, ``locale/fr/LC_MESSAGES/territoria.po``,
compiled to the ``.mo`` file the standard :mod:`gettext` module reads.
Strings that must exist before a language is known (help texts given to
Typer when the commands are declared) are only marked with :func:`N_`, so the
extractor finds them, and are translated when the help is shown.

Cost: :mod:`gettext` is already imported by Typer, and the catalogue is read
on the first translation, not at start-up, so a piped ``list`` that prints no
message never reads it (measured: reading and parsing it takes 0.6 to 1.6 ms).
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, cast

#: The languages of territoria's messages and labels.
Lang = Literal["fr", "en"]

DOMAIN = "territoria"
LOCALE_DIR = Path(__file__).parent / "locale"
#: What ``--lang`` accepts: the first is the default, the last is the language of the source strings.
LANGUAGES: tuple[Lang, ...] = ("fr", "en")
DEFAULT_LANGUAGE: Lang = "fr"
SOURCE_LANGUAGE: Lang = "en"
LANG_OPTION = "--lang"
LANG_ENV_VAR = "TERRITORIA_LANG"

_language: Lang = DEFAULT_LANGUAGE
_catalogues: dict[Lang, _gettext.NullTranslations] = {}


def set_language(lang: Lang) -> None:
    """Choose the language of every message from now on (its catalogue is read when first needed)."""
    global _language
    _language = lang


def language() -> Lang:
    return _language


def translations(lang: Lang | None = None) -> _gettext.NullTranslations:
    """The messages of ``lang`` (default: the current language), read from the catalogue once.

    Views that draw labels in a language given to them count in that language too:
    ``translations(lang).ngettext(...)``.
    """
    lang = lang or _language
    catalogue = _catalogues.get(lang)
    if catalogue is None:
        if lang == SOURCE_LANGUAGE:
            catalogue = _gettext.NullTranslations()
        else:
            # fallback: a missing catalogue (a broken install) gives English rather than a crash.
            catalogue = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
        _catalogues[lang] = catalogue
    return catalogue


def _(message: str) -> str:
    """``message`` (an English source string) in the current language."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message that fits ``count``, in the current language."""
    return translations().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (help texts, tables of messages)."""
    return message


def parse_language(value: str | None) -> Lang | None:
    """``fr`` or ``en`` from what a user typed (any case), else ``None``."""
    folded = (value or "").strip().lower()
    return cast(Lang, folded) if folded in LANGUAGES else None


def language_from(args: Sequence[str], environ: Mapping[str, str]) -> Lang:
    """The language a command line asks for, found before Click parses it.

    Help and usage errors can be printed before ``--lang`` is parsed
    (``territoria list --help --lang en``), so the choice is read from the
    raw arguments first: the last ``--lang`` before a ``--``, else
    ``TERRITORIA_LANG``, else French. A value that is neither language is
    left for the option itself to refuse, in French.
    """
    chosen: str | None = None
    for position, arg in enumerate(args):
        if arg == "--":
            break
        if arg == LANG_OPTION and position + 1 < len(args):
            chosen = args[position + 1]
        elif arg.startswith(LANG_OPTION + "="):
            chosen = arg.partition("=")[2]
    return parse_language(chosen) or parse_language(environ.get(LANG_ENV_VAR)) or DEFAULT_LANGUAGE


#: Click's mark of a paragraph whose lines are kept as written; not part of the message.
_KEEP_LINES = "\b\n"


def translate_help(command: Any, values: Mapping[str, str], params: Iterable[Any]) -> None:
    """Put a Click command's texts (help, epilog, its parameters' help) into the current language, once.

    Typer receives the English source strings when the commands are declared,
    before the command line is read; they are translated here, just before
    they are shown, paragraph by paragraph (each paragraph is one message of
    the catalogue; Click's ``\\b`` marker stays out of it), then filled with
    ``values`` (``{program}``, lists of choices), so that a message does not
    change when a list grows.
    """
    if getattr(command, "_translated_into", None) == _language:
        return
    for holder, attribute in help_holders(command, params):
        sources: dict[str, str] = holder.__dict__.setdefault("_help_sources", {})
        source = sources.setdefault(attribute, getattr(holder, attribute, None) or "")
        if source:
            translated = (marker + _(message).format_map(values) for marker, message in help_messages(source))
            setattr(holder, attribute, "\n\n".join(translated))
    command._translated_into = _language


def help_holders(command: Any, params: Iterable[Any]) -> list[tuple[Any, str]]:
    """Where a Click command keeps the texts its help shows: (object, attribute) pairs."""
    return [(command, "help"), (command, "short_help"), (command, "epilog")] + [(param, "help") for param in params]


def help_messages(text: str) -> list[tuple[str, str]]:
    """A help text as its catalogue messages, one per paragraph, each after Click's marker ("\\b\\n" or "")."""
    return [(_KEEP_LINES, part.removeprefix(_KEEP_LINES)) if part.startswith(_KEEP_LINES) else ("", part) for part in text.split("\n\n")]

