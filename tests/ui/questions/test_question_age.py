"""One age for a question everywhere: the Questions list, the status report, the command line.

The rule (kanban.domain.question_age): calendar days in UTC from the day asked to the day
answered, or to today while it waits. A question asked late yesterday is "1 day" old, though
fewer than 24 hours have passed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from cli_runner import Run

from kanban.domain import question_age, today_utc
from kanban.reports.model import build_status_report
from kanban.services import Database, questions
from kanban.services.records import ProductInfo
from kanban.storage.models import Question
from kanban.ui.questions.model import AGE
from kanban.ui.questions.screen import QuestionsScreen


def asked_days_ago(db: Database, question_id: int, days: int) -> None:
    """Move a question's asking to one second before midnight (UTC), ``days - 1`` days before
    yesterday: always fewer than ``days`` times 24 hours ago."""
    late = dt.datetime.combine(today_utc() - dt.timedelta(days=days), dt.time(23, 59, 59))
    with db.write() as session:
        row = session.get(Question, question_id)
        assert row is not None
        row.asked_at = late


@pytest.fixture
def waiting(db: Database, product: ProductInfo) -> dict[str, int]:
    """Three open questions: asked late yesterday, eight days ago, and just now."""
    ids = {}
    for text, days in (("Yesterday's", 1), ("The oldest", 8), ("Today's", 0)):
        ids[text] = questions.ask_question(db, "WEB", text).id
        if days:
            asked_days_ago(db, ids[text], days)
    return ids


def test_the_rule_counts_calendar_days_not_hours() -> None:
    today = dt.date(2026, 5, 12)
    asked = dt.datetime(2026, 5, 11, 10, 17)
    assert question_age(asked, None, "open", today) == 1
    assert question_age(dt.datetime(2026, 5, 12, 0, 1), None, "open", today) == 0
    answered = dt.datetime(2026, 5, 11, 23, 0)
    assert question_age(asked, answered, "answered", today) == 0  # answered the same day
    assert question_age(asked, answered, "open", today) == 1  # reopened: waits again


def test_the_list_the_report_and_the_terminal_agree(
    waiting: dict[str, int], window, db: Database, run: Run, db_path
) -> None:
    screen = window.show_screen(QuestionsScreen)
    assert isinstance(screen, QuestionsScreen)
    screen.reload()
    model = screen.model
    in_list = {
        model.record(row).text: model.index(row, AGE).data() for row in range(model.rowCount())
    }
    assert in_list == {"Yesterday's": "1 day", "The oldest": "8 days", "Today's": "today"}

    figures = build_status_report(db, "WEB").figures
    in_report = {q.text: q.days_open for q in figures.open_questions.items}
    assert in_report == {"Yesterday's": 1, "The oldest": 8, "Today's": 0}
    assert figures.open_questions.oldest_days == 8

    listed = run("--db", db_path, "questions", "WEB").out
    in_terminal = {line.split()[-1]: line.split()[3] for line in listed.splitlines()[1:]}
    assert in_terminal == {"Yesterday's": "1d", "oldest": "8d", "Today's": "0d"}
