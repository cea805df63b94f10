"""`kanban completion bash|zsh`: a shell completion script, made from the parser itself.

The script completes commands, options, the choices of an option (``--kind``, ``--format``),
product keys and item keys (asked of ``kanban products`` and ``kanban items``, on the
``--db`` typed on the line or ``$KANBAN_DB``), and file names where a file goes. zsh runs the
same function through its ``bashcompinit``, so both shells complete alike.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from kanban.cli.common import EXIT_OK, AddCommand, echo

SHELLS = ("bash", "zsh")
TOP = "_"
"""The key of the options before any command (a shell's associative array has no '' key)."""

_FUNCTION = r"""
_kanban_match() {
    [[ -n ${ZSH_VERSION-} ]] && emulate -L ksh
    local word
    for word in $1; do
        [[ $word == "$cur"* ]] && COMPREPLY+=("$word")
    done
}

_kanban_ask() {
    command "${COMP_WORDS[0]}" "$@" 2>/dev/null
}

_kanban() {
    [[ -n ${ZSH_VERSION-} ]] && emulate -L ksh
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local cmd=_ word i
    local -a db positionals kinds
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ $word == --db ]]; then
            db=(--db "${COMP_WORDS[i+1]}")
            i=$((i + 1))
        elif [[ $word == --db=* ]]; then
            db=("$word")
        elif [[ $word == -* ]]; then
            [[ ${_kanban_values[$cmd]-} == *" $word "* ]] && i=$((i + 1))
        elif [[ $cmd == _ ]]; then
            cmd=$word
        elif [[ -n ${_kanban_actions[$cmd]-} ]]; then
            cmd="$cmd $word"
        else
            positionals+=("$word")
        fi
    done
    COMPREPLY=()
    if [[ $prev == -* && ${_kanban_values[$cmd]-} == *" $prev "* ]]; then
        word="$cmd $prev"
        _kanban_match "${_kanban_choices[$word]-}"  # none for a file: the default completion
        return 0
    fi
    if [[ $cur == -* ]]; then
        _kanban_match "${_kanban_options[$cmd]-}"
    elif [[ $cmd == _ ]]; then
        _kanban_match "$_kanban_commands"
    elif [[ -n ${_kanban_actions[$cmd]-} ]]; then
        _kanban_match "${_kanban_actions[$cmd]}"
    else
        kinds=(${_kanban_positionals[$cmd]-})
        word=${kinds[${#positionals[@]}]-}
        case $word in
            product)
                _kanban_match "$(_kanban_ask "${db[@]}" products | awk '{print $1}')" ;;
            key)
                if [[ $cur == *-* ]]; then
                    _kanban_match "$(_kanban_ask "${db[@]}" items "${cur%%-*}" |
                        awk 'NR > 1 {print $1}')"
                else
                    _kanban_match "$(_kanban_ask "${db[@]}" products | awk '{print $1 "-"}')"
                    type compopt >/dev/null 2>&1 && compopt -o nospace 2>/dev/null
                fi ;;
            =*)
                word=${word#=}
                _kanban_match "${word//,/ }" ;;
        esac
    fi
    return 0
}
"""

_BASH_HEAD = """\
# kanban completion for bash. Load it from ~/.bashrc:
#     eval "$(kanban completion bash)"
"""

_ZSH_HEAD = """\
#compdef kanban
# kanban completion for zsh. Load it from ~/.zshrc (after compinit):
#     eval "$(kanban completion zsh)"
autoload -U +X bashcompinit && bashcompinit
"""


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    completion = add("completion", _completion, "print a shell completion script (bash, zsh)")
    completion.add_argument("shell", choices=SHELLS, help="the shell the script is for")


def _completion(args: argparse.Namespace) -> int:
    from kanban.cli import build_parser  # the parser of every command, so none is missed

    echo(completion_script(build_parser(), args.shell))
    return EXIT_OK


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for ``shell`` (bash or zsh) of everything ``parser`` knows."""
    commands = _subcommands(parser)
    options = {TOP: _options(parser)}
    values = {TOP: _valued(parser)}
    choices: dict[str, str] = {}
    positionals: dict[str, str] = {}
    actions: dict[str, str] = {}
    for name, sub in _walk(commands):
        options[name] = _options(sub)
        values[name] = _valued(sub)
        for action in sub._actions:
            if action.option_strings and action.choices and action.nargs != 0:
                for option in action.option_strings:
                    choices[f"{name} {option}"] = " ".join(map(str, action.choices))
        nested = _subcommands(sub)
        if nested:
            actions[name] = " ".join(nested)
        else:
            positionals[name] = " ".join(_kind(a) for a in sub._actions if not a.option_strings)
    lines = [
        _BASH_HEAD if shell == "bash" else _ZSH_HEAD,
        f"_kanban_commands={_quoted(' '.join(commands))}",
        _assoc("_kanban_options", options),
        _assoc("_kanban_values", {k: f" {v} " for k, v in values.items()}),
        _assoc("_kanban_choices", choices),
        _assoc("_kanban_positionals", positionals),
        _assoc("_kanban_actions", actions),
        _FUNCTION,
        "complete -o default -F _kanban kanban",
    ]
    return "\n".join(lines)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _walk(
    commands: dict[str, argparse.ArgumentParser], prefix: str = ""
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    for name, sub in commands.items():
        yield prefix + name, sub
        yield from _walk(_subcommands(sub), f"{prefix}{name} ")


def _options(parser: argparse.ArgumentParser) -> str:
    return " ".join(o for a in parser._actions for o in a.option_strings if o.startswith("--"))


def _valued(parser: argparse.ArgumentParser) -> str:
    return " ".join(
        o for a in parser._actions if a.option_strings and a.nargs != 0 for o in a.option_strings
    )


def _kind(action: argparse.Action) -> str:
    """What a positional argument completes to: a product, an item key, a choice, a file."""
    if action.choices and not isinstance(action, argparse._SubParsersAction):
        return "=" + ",".join(map(str, action.choices))
    if action.dest == "product":
        return "product"
    if action.dest == "key":
        return "key"
    if action.type is Path:
        return "file"
    return "text"


def _quoted(text: str) -> str:
    """Single-quoted for both shells (shlex leaves '=json' bare, which zsh expands)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _assoc(name: str, values: dict[str, str]) -> str:
    pairs = " ".join(f"[{_quoted(k)}]={_quoted(v)}" for k, v in values.items())
    return f"typeset -A {name}\n{name}=({pairs})"
