"""Shell completion for bash, zsh and fish that survives French values.

Typer 0.28's own scripts insert candidates as they are: bash turns
``Qualité de vie`` into three words (``--category Qualité de vie`` then fails
with "unexpected extra argument"), and only candidates starting with exactly
what was typed, accents and case included, are offered. This module keeps
Typer's protocol (the shell runs ``territoria`` with ``_TERRITORIA_COMPLETE``
set and reads one candidate a line) with three changes:

- the bash function quotes each candidate with ``printf %q`` unless the word
  being completed already opened a quote (zsh's ``compadd`` and fish quote
  by themselves);
- a candidate matches when what was typed, folded (accents, case), starts
  the value or one of its words: ``qualite`` offers "Qualité de vie",
  ``unicef`` "TERRITORIA / UNICEF", ``saverdun`` the id
  ``2017-saverdun-recup-velos-en-liberte`` (fish then applies its own
  matching, which ignores case but not accents);
- file arguments print nothing, so each shell completes file names itself.

It is imported only when a shell asks for completions.
"""

from __future__ import annotations

import re
from typing import Any

from typer._click.shell_completion import (  # Typer 0.28 ships its own Click
    CompletionItem,
    _resolve_context,
    _resolve_incomplete,
    add_completion_class,
)
from typer._completion_classes import BashComplete, FishComplete, ZshComplete

from territoria_cli.text import fold

#: Where a word starts inside a value: after a space, hyphen, slash, apostrophe or dot.
_WORD_START = re.compile(r"(?:^|(?<=[\s\-/'.]))")

BASH_SCRIPT = r"""
%(complete_func)s() {
    local IFS=$'\n' candidate quoted
    local -a candidates
    candidates=( $(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" %(autocomplete_var)s=complete_bash "$1" 2>/dev/null) )
    COMPREPLY=()
    for candidate in "${candidates[@]}"; do
        case ${COMP_WORDS[COMP_CWORD]} in
            [\"\']*) COMPREPLY+=("$candidate") ;;
            *) printf -v quoted '%%q' "$candidate"; COMPREPLY+=("$quoted") ;;
        esac
    done
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""

ZSH_SCRIPT = r"""
#compdef %(prog_name)s

%(complete_func)s() {
    local -a candidates
    candidates=( "${(@f)$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(autocomplete_var)s=complete_zsh %(prog_name)s 2>/dev/null)}" )
    if [[ -n ${candidates[1]} ]]; then
        compadd -U -- "${candidates[@]}"
    else
        _files
    fi
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    %(complete_func)s "$@"
else
    compdef %(complete_func)s %(prog_name)s
fi
"""

FISH_SCRIPT = (
    "complete --command %(prog_name)s --no-files"
    ' --arguments "(env %(autocomplete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args'
    ' _TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s)"'
    ' --condition "env %(autocomplete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=is-args'
    ' _TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s"'
)


def matches(value: str, typed: str) -> bool:
    """``typed`` (folded) starts ``value`` or one of its words, accents and case aside."""
    wanted = fold(typed)
    if not wanted:
        return True
    folded = fold(value)
    return any(folded.startswith(wanted, match.start()) for match in _WORD_START.finditer(folded))


class _ForgivingMatch:
    """Candidates chosen by :func:`matches` instead of Click's exact prefix."""

    cli: Any
    ctx_args: Any
    prog_name: str

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        context = _resolve_context(self.cli, self.ctx_args, self.prog_name, args)
        source, typed = _resolve_incomplete(context, args, incomplete)
        if typed.startswith("-"):
            # Option names: Click's own matching (a prefix of the name) is what everyone expects.
            return [item for item in source.shell_complete(context, typed) if item.type == "plain"]
        items = source.shell_complete(context, "")
        # Items of type "file" or "dir" ask for file names: the shell completes those itself.
        return [item for item in items if item.type == "plain" and matches(item.value, typed)]


class Bash(_ForgivingMatch, BashComplete):
    source_template = BASH_SCRIPT


class Zsh(_ForgivingMatch, ZshComplete):
    source_template = ZSH_SCRIPT

    def format_completion(self, item: CompletionItem) -> str:
        return item.value

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        return "\n".join(self.format_completion(item) for item in self.get_completions(args, incomplete))


class Fish(_ForgivingMatch, FishComplete):
    source_template = FISH_SCRIPT



#: The class answering each shell.
SHELL_CLASSES: dict[str, Any] = {"bash": Bash, "zsh": Zsh, "fish": Fish}
#: The shells territoria completes.
SHELLS = tuple(SHELL_CLASSES)


def register() -> None:
    """Answer the shells' completion requests with the classes above (replacing Typer's)."""
    for name, shell_class in SHELL_CLASSES.items():
        add_completion_class(shell_class, name)


def script(shell: str, prog_name: str, complete_var: str) -> str:
    """The script that the user's shell sources to complete ``prog_name``."""
    return str(SHELL_CLASSES[shell](None, {}, prog_name, complete_var).source()).strip() + "\n"
