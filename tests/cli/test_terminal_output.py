"""User text never drives the reader's terminal: human output shows control characters and
bidi overrides escaped, while --json keeps the text exact (issue 8.5)."""

from __future__ import annotations

import ast
import json
import unicodedata
from pathlib import Path

import pytest
from cli_runner import Run

import kanban
from kanban.cli.common import shown
from kanban.services import Database
from kanban.services.products import add_column, create_product
from kanban.services.questions import ask_question

CLI = Path(kanban.__file__).resolve().parent / "cli"

# Clear the screen, retitle the window, a hyperlink, a bell, a backspace, a CSI in C1 form,
# and a right-to-left override that hides what follows.
HOSTILE = "Ship \x1b[2J\x1b]0;pwned\x07 now\x08\x08\x9b31m? \u202egnp.exe \u2066x\u2069 \x01end"


def raw_controls(text: str) -> list[str]:
    """The characters in printed output that a terminal would act on (newlines are ours)."""
    bidi = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F))}
    bidi |= set(map(chr, range(0x2066, 0x206A)))
    return [c for c in text if (unicodedata.category(c) == "Cc" and c != "\n") or c in bidi]


@pytest.fixture
def hostile(db: Database) -> Database:
    create_product(db, "WEB", "Web \x1b[31mShop\x1b[0m")
    ask_question(db, "WEB", HOSTILE, asked_by="Ana\x1b[8m")
    return db


def test_questions_escape_control_characters_and_bidi_overrides(
    run: Run, db_target: str, hostile: Database
) -> None:
    listed = run("--db", db_target, "questions", "WEB")
    assert listed.code == 0, listed.err
    assert raw_controls(listed.out) == []
    line = listed.out.splitlines()[1]
    assert r"Ship \x1b[2J\x1b]0;pwned\x07 now\x08\x08\x9b31m? \u202egnp.exe" in line
    assert r"\u2066x\u2069 \x01end" in line
    assert r"Ana\x1b[8m" in line


def test_questions_json_keeps_the_text_exact(run: Run, db_target: str, hostile: Database) -> None:
    listed = run("--db", db_target, "questions", "WEB", "--json")
    assert listed.code == 0, listed.err
    assert raw_controls(listed.out) == []  # JSON escapes them itself
    (question,) = json.loads(listed.out)
    assert (question["text"], question["asked_by"]) == (HOSTILE, "Ana\x1b[8m")


def test_a_nul_character_is_shown_escaped_on_sqlite_and_refused_in_one_line_on_postgresql(
    run: Run, db_target: str, backend: str, hostile: Database
) -> None:
    asked = run("--db", db_target, "ask", "WEB", "Before\x00after?")
    if backend == "postgresql":  # its text cannot hold U+0000
        assert asked.code == 2 and asked.out == ""
        assert asked.err == (
            "kanban: Text cannot hold the NUL character (\\x00) on a PostgreSQL database; "
            "nothing was saved\n"
        )
        return
    assert asked.code == 0, asked.err
    assert r"Before\x00after?" in run("--db", db_target, "questions", "WEB").out


def test_products_moves_and_errors_escape_user_text(
    run: Run, db_target: str, hostile: Database
) -> None:
    add_column(hostile, 1, "Re\x1b[5mview", wip_limit=1)
    products = run("--db", db_target, "products")
    assert products.out == "WEB  Web \\x1b[31mShop\\x1b[0m\n"
    assert run("--db", db_target, "add", "WEB", "One", "--column", "Re\x1b[5mview").code == 0
    assert run("--db", db_target, "add", "WEB", "Two").code == 0
    moved = run("--db", db_target, "move", "WEB-2", "re\x1b[5mview")
    assert moved.code == 0, moved.err
    assert raw_controls(moved.out + moved.err) == []
    assert "Backlog → Re\\x1b[5mview" in moved.out
    assert "Re\\x1b[5mview now holds 2 items" in moved.err
    refused = run("--db", db_target, "add", "WEB", "x", "--column", "\x1b]0;x\x07")
    assert refused.code == 2 and raw_controls(refused.err) == []
    assert r"\x1b]0;x\x07" in refused.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text, ünïcödé, 日本語, emoji 👩‍👩‍👧", "plain text, ünïcödé, 日本語, emoji 👩‍👩‍👧"),
        ("a\tb\nc\rd", r"a\tb\nc\rd"),
        ("\x1b\x7f\x85\x9f", r"\x1b\x7f\x85\x9f"),
        (
            "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
            r"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
        ),
        ("line\u2028para\u2029", r"line\u2028para\u2029"),
        ("lone \ud800 surrogate", r"lone \ud800 surrogate"),
        (r"C:\x1b is text", r"C:\x1b is text"),
    ],
)
def test_shown_escapes_only_what_a_terminal_acts_on(text: str, expected: str) -> None:
    assert shown(text) == expected


def test_every_command_prints_through_the_one_helper() -> None:
    """Human output goes through kanban.cli.common (echo, table, one_line, shown); a bare
    print() elsewhere in kanban/cli would write user text to the terminal raw."""
    found = [
        f"{path.name}:{node.lineno}"
        for path in sorted(CLI.glob("*.py"))
        if path.name != "common.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    ]
    assert found == [], (
        "print with kanban.cli.common.echo() (human text, control characters escaped) or "
        "echo_json() (exact): " + ", ".join(found)
    )


def test_a_report_on_a_terminal_is_escaped_and_into_a_pipe_is_exact(
    db_path: Path, hostile: Database
) -> None:
    """`kanban report` writes a document: its exact bytes into a pipe, but a terminal sees
    the user's control characters escaped (line breaks kept)."""
    import os
    import pty
    import subprocess
    import sys

    command = [sys.executable, "-m", "kanban", "--db", str(db_path), "report", "WEB"]
    command += ["--format", "md"]
    env = {**os.environ, "PYTHONPATH": str(CLI.parent.parent)}
    piped = subprocess.run(command, capture_output=True, env=env, timeout=60, check=True)
    assert piped.stdout.count(b"\x1b") >= 3  # the document, as a file holds it

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE, env=env)
        os.close(follower)
        received = bytearray()
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other side closed
                break
            if not chunk:
                break
            received += chunk
        assert process.wait(60) == 0, process.stderr.read() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
    finally:
        os.close(leader)
    text = received.decode("utf-8").replace("\r\n", "\n")  # the terminal's line discipline
    assert raw_controls(text) == []
    assert text.count(r"\x1b") == piped.stdout.count(b"\x1b")
    assert text.count("\n") == piped.stdout.count(b"\n")
