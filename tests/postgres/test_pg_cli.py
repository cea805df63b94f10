"""The command line on a shared PostgreSQL board: --db URL and $KANBAN_DB, run in-process."""

from __future__ import annotations

import json

import pytest
from cli_runner import Run
from sqlalchemy.engine import URL

from kanban.services import Database
from kanban.services.items import get_item
from kanban.services.questions import list_questions


def test_demo_then_open_questions_on_the_server(run: Run, pg_url: str) -> None:
    made = run("--db", pg_url, "demo")
    assert made.code == 0, made.err
    assert "WEB (Web Shop) and APP (Mobile App)" in made.out

    listed = run("--db", pg_url, "questions", "WEB", "--open")

    assert listed.code == 0 and listed.err == ""
    header, *lines = listed.out.splitlines()
    assert header.split() == ["ID", "STATE", "URGENCY", "AGE", "ASKED", "BY", "ITEM", "QUESTION"]
    db = Database.open(pg_url)
    try:
        expected = list_questions(db, "WEB", state="open")
    finally:
        db.close()
    assert len(lines) == len(expected) >= 3
    for line, question in zip(lines, expected, strict=True):
        assert line.startswith(f"#{question.id} ") and line.endswith(question.text)


def test_the_team_works_on_the_board_through_kanban_db(
    run: Run, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANBAN_DB", pg_url)
    assert run("demo").code == 0
    added = run("add", "WEB", "Pay by invoice", "--points", "5")
    assert added.code == 0, added.err
    key = added.out.strip()
    assert run("move", key, "In Progress").code == 0
    asked = run("ask", "WEB", "Which invoice provider?", "--item", key, "--by", "Ana")
    assert asked.code == 0, asked.err

    listed = json.loads(run("questions", "WEB", "--json", "--open").out)

    mine = [q for q in listed if q["item"] == key]
    assert [(q["text"], q["asked_by"], q["state"]) for q in mine] == [
        ("Which invoice provider?", "Ana Silva", "open")  # the one member named Ana...
    ]
    db = Database.open(pg_url)
    try:
        item = get_item(db, key)
    finally:
        db.close()
    assert (item.title, item.points, item.column_name) == ("Pay by invoice", 5.0, "In Progress")


def test_a_wrong_password_is_one_line_on_stderr_without_the_password(run: Run, server: URL) -> None:
    wrong = server.set(password="not-the-password").render_as_string(hide_password=False)
    result = run("--db", wrong, "products")
    assert result.code != 0 and result.out == ""
    assert result.err.startswith("kanban: ") and result.err.count("\n") == 1
    assert "cannot connect" in result.err and "not-the-password" not in result.err
