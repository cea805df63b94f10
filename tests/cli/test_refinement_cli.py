"""Refining from a terminal: `kanban show`, `comment`, `link`, `criteria`; the `show --json`
contract; warnings of `kanban move`; and the done-when check as a real process."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_runner import Result, Run

from kanban.services import Database, open_database
from kanban.services.checklists import add_criteria
from kanban.services.items import add_item, item_history
from kanban.services.products import create_product
from kanban.services.questions import ask_question

SHOW_KEYS = {
    "key", "product", "title", "kind", "column", "points", "sprint", "assignee", "labels",
    "description", "checklist", "comments", "links", "resources", "open_questions", "ready",
    "not_ready_because", "done_definition_met", "not_done_because",
}  # fmt: skip


@pytest.fixture
def web(db_path: Path) -> Iterator[Database]:
    db = open_database(str(db_path))
    create_product(db, "WEB", "Web shop")
    add_item(db, "WEB", "Pay by card", points=3)
    add_item(db, "WEB", "Payment provider contract", kind="task")
    yield db
    db.close()


@pytest.fixture
def kanban_db(db_path: Path, run: Run) -> Callable[..., Result]:
    return lambda *args: run("--db", db_path, *args)


def show(kanban_db: Callable[..., Result], key: str) -> dict[str, object]:
    result = kanban_db("show", key, "--json")
    assert result.code == 0 and result.err == "", result.err
    data: dict[str, object] = json.loads(result.out)
    return data


def test_refining_an_item_end_to_end(kanban_db: Callable[..., Result], web: Database) -> None:
    added = kanban_db("criteria", "WEB-1", "--add", "- Visa works\n- [x] Mastercard works")
    assert added == Result(
        0,
        "WEB-1: 1 of 2 acceptance criteria checked off\n"
        "  1. [ ] Visa works\n"
        "  2. [x] Mastercard works\n",
        "",
    )
    assert kanban_db("criteria", "WEB-1", "--done", "1").out.startswith("WEB-1: 2 of 2")
    assert kanban_db("criteria", "WEB-1", "--undone", "2").out.startswith("WEB-1: 1 of 2")
    assert kanban_db("comment", "WEB-1", "Ask *Finance*", "--by", "Ana") == Result(
        0, "Comment #1 on WEB-1 by Ana\n", ""
    )
    assert kanban_db("link", "WEB-1", "blocked-by", "WEB-2") == Result(
        0, "WEB-1 is blocked by WEB-2\n", ""
    )
    ask_question(web, "WEB", "Amex too?", item_ref="WEB-1", asked_by="Ana")

    data = show(kanban_db, "WEB-1")
    assert set(data) == SHOW_KEYS
    assert (data["key"], data["title"], data["kind"], data["column"], data["points"]) == (
        "WEB-1", "Pay by card", "story", "Backlog", 3.0,
    )  # fmt: skip
    assert [(x["number"], x["text"], x["done"]) for x in data["checklist"]] == [  # type: ignore[attr-defined]
        (1, "Visa works", True),
        (2, "Mastercard works", False),
    ]
    [comment] = data["comments"]  # type: ignore[misc]
    assert (comment["by"], comment["text"]) == ("Ana", "Ask *Finance*")
    assert comment["at"].endswith("+00:00")
    assert data["links"] == [
        {"type": "blocked_by", "key": "WEB-2", "title": "Payment provider contract", "done": False}
    ]
    [question] = data["open_questions"]  # type: ignore[misc]
    assert question["text"] == "Amex too?"
    assert data["ready"] is False
    assert data["not_ready_because"] == [
        "It has 1 open question.",
        "It is blocked by WEB-2, which is not done.",
    ]
    other = show(kanban_db, "WEB-2")
    assert other["links"][0]["type"] == "blocks"  # type: ignore[index]

    text = kanban_db("show", "WEB-1").out
    assert text.startswith("WEB-1  Pay by card\nstory · Backlog · 3 points\nNot ready: It has 1")
    assert "  1. [x] Visa works" in text and "is blocked by WEB-2  Payment provider" in text
    assert "Ana, " in text and "    Ask *Finance*" in text

    assert kanban_db("link", "WEB-1", "blocked-by", "WEB-2", "--remove").out == (
        "Removed: WEB-1 is blocked by WEB-2\n"
    )
    assert show(kanban_db, "WEB-1")["links"] == []


def test_duplicates_and_relates_to_are_seen_from_both_ends(
    kanban_db: Callable[..., Result], web: Database
) -> None:
    assert kanban_db("link", "WEB-2", "duplicates", "WEB-1").code == 0
    assert kanban_db("link", "WEB-1", "relates-to", "WEB-2").code == 0
    types = [x["type"] for x in show(kanban_db, "WEB-1")["links"]]  # type: ignore[attr-defined]
    assert types == ["relates_to", "duplicated_by"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("criteria", "WEB-1", "--done", "3"), ("WEB-1 has no criterion 3", "no criteria")),
        (("criteria", "WEB-1", "--add", " "), ("needs some text",)),
        (("criteria", "WEB-1", "--done", "1", "--undone", "1"), ("not allowed with",)),
        (("comment", "WEB-9", "hi"), ("No item WEB-9",)),
        (("comment", "WEB-1", " "), ("comment is required",)),
        (("link", "WEB-1", "blocks", "WEB-1"), ("cannot be linked to itself",)),
        (("link", "WEB-1", "needs", "WEB-2"), ("invalid choice: 'needs'",)),
        (("link", "WEB-1", "blocks", "WEB-2", "--remove"), ("no such link",)),
        (("show", "nonsense"), ("is not an item key",)),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    kanban_db: Callable[..., Result], web: Database, args: tuple[str, ...], fragments: tuple[str]
) -> None:
    before = show(kanban_db, "WEB-1")
    result = kanban_db(*args)
    assert result.code == 2 and result.out == ""
    assert len(result.err.splitlines()) == 1 and result.err.startswith("kanban: ")
    for fragment in fragments:
        assert fragment in result.err
    assert show(kanban_db, "WEB-1") == before


def test_terminal_output_escapes_what_a_terminal_would_act_on(
    kanban_db: Callable[..., Result], web: Database
) -> None:
    kanban_db("comment", "WEB-1", "red \x1b[31mtext\u202e")
    assert "\x1b" not in kanban_db("show", "WEB-1").out
    assert "\\x1b[31mtext\\u202e" in kanban_db("show", "WEB-1").out
    data = show(kanban_db, "WEB-1")
    assert data["comments"][0]["text"] == "red \x1b[31mtext\u202e"  # type: ignore[index]


def test_move_warns_of_blockers_and_records_a_done_override(
    kanban_db: Callable[..., Result], web: Database
) -> None:
    add_criteria(web, "WEB-1", "Visa works")
    kanban_db("link", "WEB-1", "blocked-by", "WEB-2")
    started = kanban_db("move", "WEB-1", "In Progress")
    assert started.code == 0
    assert started.err == "kanban: warning: WEB-1 is blocked by WEB-2, not done yet\n"
    finished = kanban_db("move", "WEB-1", "Done")
    assert finished.err == (
        "kanban: warning: WEB-1 does not meet its Definition of Done (recorded in its history): "
        "1 of 1 acceptance criteria is not checked off.\n"
    )
    overrides = [h.detail for h in item_history(web, "WEB-1") if h.action == "done_overridden"]
    assert overrides == [
        "WEB-1 went into Done without meeting its Definition of Done: "
        "1 of 1 acceptance criteria is not checked off."
    ]
    assert kanban_db("move", "WEB-2", "Done").err == ""  # no criteria: nothing to check off


def test_the_done_when_check_as_a_real_process(tmp_path: Path) -> None:
    """An item with an open question about it is not Ready until the question is answered."""
    repo = Path(__file__).resolve().parents[2]
    database = tmp_path / "x.db"

    def kanban(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kanban", "--db", str(database), *args],
            capture_output=True, text=True, timeout=60, cwd=repo, check=False,
            env={"PYTHONPATH": str(repo), "KANBAN_USER": "po", "PATH": "/usr/bin:/bin"},
        )  # fmt: skip

    assert kanban("demo").returncode == 0
    # APP's Definition of Ready is the built-in one (WEB's sample adds a line to confirm).
    key = kanban("add", "APP", "Gift cards", "--points", "5").stdout.strip()
    assert kanban("criteria", key, "--add", "A gift card pays a whole order").returncode == 0
    assert json.loads(kanban("show", key, "--json").stdout)["ready"] is True
    asked = kanban("ask", "APP", "Can a gift card be split?", "--item", key)
    question = asked.stdout.split()[1].lstrip("#")
    shown = json.loads(kanban("show", key, "--json").stdout)
    assert (shown["ready"], shown["not_ready_because"]) == (False, ["It has 1 open question."])
    assert kanban("answer", question, "No", "--append-to-criteria").returncode == 0
    shown = json.loads(kanban("show", key, "--json").stdout)
    assert shown["ready"] is True
    assert shown["checklist"][-1]["text"] == f"No (answer to question #{question})"


def test_the_points_scale_is_shown_set_and_warned_of(
    kanban_db: Callable[..., Result], web: Database, db_path: Path
) -> None:
    assert kanban_db("scale", "WEB") == Result(
        0, "WEB points scale: 0, 1, 2, 3, 5, 8, 13, 21\n1 open item not estimated\n", ""
    )
    assert kanban_db("scale", "WEB", "0.5, 1, 2, 4") == Result(
        0,
        "WEB points scale: 0.5, 1, 2, 4\n1 open item estimated off the scale\n"
        "1 open item not estimated\n",
        "",
    )
    assert json.loads(kanban_db("scale", "web", "--json").out) == {
        "product": "WEB", "scale": [0.5, 1.0, 2.0, 4.0], "off_scale": 1, "unestimated": 1,
    }  # fmt: skip

    # An estimate off the scale is saved, with a warning; one on it says nothing more.
    edited = kanban_db("edit", "WEB-2", "--points", "3")
    assert edited == Result(
        0,
        "WEB-2: points - → 3\n",
        "kanban: warning: WEB-2 is estimated at 3 points, which is not on the points scale "
        "(0.5, 1, 2, 4)\n",
    )
    assert kanban_db("edit", "WEB-1", "--points", "4") == Result(0, "WEB-1: points 3 → 4\n", "")
    added = kanban_db("add", "WEB", "Refunds", "--points", "7")
    assert added.out == "WEB-3\n" and "WEB-3 is estimated at 7 points" in added.err
    assert show(kanban_db, "WEB-3")["points"] == 7.0
    assert json.loads(kanban_db("scale", "WEB", "--json").out)["off_scale"] == 2

    # A bad scale is one line and changes nothing; the change is in the history.
    bad = kanban_db("scale", "WEB", "1, two")
    assert bad.code == 2 and bad.out == "" and len(bad.err.splitlines()) == 1
    assert "A points scale holds numbers, not 'two'" in bad.err
    assert json.loads(kanban_db("scale", "WEB", "--json").out)["scale"] == [0.5, 1.0, 2.0, 4.0]
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        logged = conn.execute(
            "SELECT detail FROM activities WHERE action = 'points_scale_changed'"
        ).fetchall()
    assert logged == [("0,1,2,3,5,8,13,21 → 0.5,1,2,4",)]
