"""Shell completion (issue 14.11): `kanban completion bash|zsh`, run in the real shells.

Each test loads the script in a fresh `bash -c` or `zsh -c` (zsh after compinit), sets the
words of a command line as the shell would, runs the completion function and reads what it
offers. The `kanban` it asks for products and items is this source tree's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kanban.services import Database
from kanban.services.items import add_item
from kanban.services.products import create_product

pytestmark = pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("zsh") is None,
    reason="needs bash and zsh (Debian: apt-get install zsh; .ci/run installs it)",
)

REPO = Path(__file__).resolve().parents[2]

BASH = """
source "$SCRIPT"
read -ra COMP_WORDS <<< "$LINE"
[[ $LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_kanban
printf '%s\\n' "${COMPREPLY[@]}"
complete -p kanban
"""

ZSH = """
autoload -U compinit && compinit -u
source "$SCRIPT"
COMP_WORDS=(${=LINE})
[[ $LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_kanban
printf '%s\\n' "${COMPREPLY[@]}"
print -r -- "registered: ${_comps[kanban]}"
"""


@pytest.fixture
def scripts(tmp_path: Path) -> dict[str, Path]:
    """The two scripts as `kanban completion` prints them, and a `kanban` on the PATH."""
    runner = tmp_path / "bin" / "kanban"
    runner.parent.mkdir()
    runner.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kanban "$@"\n', encoding="utf-8")
    runner.chmod(0o755)
    made = {}
    for shell in ("bash", "zsh"):
        printed = subprocess.run(
            [str(runner), "completion", shell], capture_output=True, text=True, check=True
        ).stdout
        made[shell] = tmp_path / f"kanban.{shell}"
        made[shell].write_text(printed, encoding="utf-8")
    return made


def complete(scripts: dict[str, Path], shell: str, line: str) -> tuple[list[str], str]:
    """What the shell's completion offers for ``line`` (the cursor at its end), and the last
    line printed (how the function is registered)."""
    env = dict(os.environ)
    env["PATH"] = f"{scripts['bash'].parent / 'bin'}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    env |= {"SCRIPT": str(scripts[shell]), "LINE": line}
    body = BASH if shell == "bash" else ZSH
    done = subprocess.run(
        [shell, "-c", body], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    *offered, registered = done.stdout.splitlines()
    return [word for word in offered if word], registered


@pytest.fixture
def web(db: Database) -> Database:
    create_product(db, "WEB", "Web shop")
    create_product(db, "APP", "Mobile app")
    for title in ("one", "two", "three"):
        add_item(db, "WEB", title)
    return db


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_commands_options_and_choices_complete(scripts: dict[str, Path], shell: str) -> None:
    commands, registered = complete(scripts, shell, "kanban ")
    assert {"items", "board", "edit", "block", "sprints", "updates", "report", "product"} <= set(
        commands
    )
    assert "-F _kanban" in registered
    assert complete(scripts, shell, "kanban rep")[0] == ["report"]
    assert complete(scripts, shell, "kanban report WEB --format ")[0] == [
        "md", "html", "pdf", "csv", "eml",
    ]  # fmt: skip
    assert complete(scripts, shell, "kanban add WEB x --kind s")[0] == ["story", "spike"]
    assert complete(scripts, shell, "kanban product ")[0] == ["add", "rename", "archive", "restore"]
    assert complete(scripts, shell, "kanban product add --")[0] == ["--help", "--db", "--vision"]
    assert "--json" in complete(scripts, shell, "kanban items WEB --")[0]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_product_and_item_keys_complete_from_the_database_on_the_line(
    scripts: dict[str, Path], shell: str, web: Database, db_target: str
) -> None:
    assert complete(scripts, shell, f"kanban --db {db_target} board ")[0] == ["APP", "WEB"]
    assert complete(scripts, shell, f"kanban --db {db_target} edit W")[0] == ["WEB-"]
    assert complete(scripts, shell, f"kanban --db {db_target} block WEB-")[0] == [
        "WEB-1", "WEB-2", "WEB-3",
    ]  # fmt: skip
    # After the key, block takes free text: nothing is offered.
    assert complete(scripts, shell, f"kanban --db {db_target} block WEB-1 ")[0] == []
