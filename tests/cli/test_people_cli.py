"""Naming people from a terminal: `kanban ask --by` matches the team, `KANBAN_USER` is you."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import Result, Run

from kanban.services import Database
from kanban.services.people import add_member, list_members
from kanban.services.products import create_product
from kanban.services.questions import get_question, question_history


@pytest.fixture
def team(db: Database) -> Database:
    create_product(db, "WEB", "Web shop")
    for name in ("Ana Silva", "Andre Lima"):
        add_member(db, name)
    return db


def kanban(run: Run, db_path: Path, *args: str) -> Result:
    return run("--db", db_path, *args)


def test_ask_by_the_start_of_a_name_is_asked_by_that_member(
    team: Database, db_path: Path, run: Run
) -> None:
    assert kanban(run, db_path, "ask", "WEB", "Guest checkout?", "--by", "ana").code == 0
    assert get_question(team, 1).asked_by == "Ana Silva"
    assert [m.name for m in list_members(team)] == ["Ana Silva", "Andre Lima"]  # no new "ana"


@pytest.mark.parametrize(
    ("by", "fragments"),
    [
        ("An", ("'An' could be Ana Silva, Andre Lima; type more of the name",)),
        (
            "Bea",
            ("No team member named 'Bea'; the team: Ana Silva, Andre Lima", "--new-member"),
        ),
    ],
)
def test_an_ambiguous_or_unknown_asker_is_refused_in_one_line_and_nothing_is_logged(
    team: Database, db_path: Path, run: Run, by: str, fragments: tuple[str, ...]
) -> None:
    result = kanban(run, db_path, "ask", "WEB", "Guest checkout?", "--by", by)
    assert (result.code, result.out) == (2, "")
    assert len(result.err.splitlines()) == 1
    for fragment in fragments:
        assert fragment in result.err
    assert ("--new-member" in result.err) == (by == "Bea")
    assert kanban(run, db_path, "questions", "WEB", "--json").out.strip() == "[]"


def test_new_member_adds_the_asker_to_the_team(team: Database, db_path: Path, run: Run) -> None:
    result = kanban(run, db_path, "ask", "WEB", "Why?", "--by", "Bea", "--new-member")
    assert result == Result(0, "Question #1 logged\n", "")
    assert get_question(team, 1).asked_by == "Bea"
    assert "Bea" in [m.name for m in list_members(team)]


def test_kanban_user_answers_and_is_the_actor_in_the_history(
    team: Database, db_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANBAN_USER", "Paula Owner")
    kanban(run, db_path, "ask", "WEB", "Which currency?")
    assert kanban(run, db_path, "answer", "1", "Euro").code == 0
    assert get_question(team, 1).answered_by == "Paula Owner"
    assert [e.actor for e in question_history(team, 1)] == ["Paula Owner", "Paula Owner"]
