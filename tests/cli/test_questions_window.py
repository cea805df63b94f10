"""A question asked (or answered) in a terminal shows up in a window open on the same file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import kanban
from kanban.services import Database, items
from kanban.services.records import ProductInfo
from kanban.ui.app import create_window
from kanban.ui.main_window import MainWindow
from kanban.ui.questions.screen import QuestionsScreen

REPO = Path(kanban.__file__).resolve().parent.parent


@pytest.fixture
def window(qtbot: QtBot, db: Database, product: ProductInfo) -> MainWindow:
    """A main window open on the test's database file, showing WEB."""
    main = create_window(db)
    qtbot.addWidget(main)
    main.select_product(product)
    main.show()
    qtbot.waitExposed(main)
    return main


def run_kanban(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m kanban --db FILE ARGS...`` in a separate process, as a teammate would."""
    return subprocess.run(
        [sys.executable, "-m", "kanban", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )


def shown(screen: QuestionsScreen) -> list[tuple[str, str | None, str | None, str]]:
    model = screen.model
    return [
        (q.text, q.asked_by, q.item_key, q.state)
        for q in (model.record(row) for row in range(model.rowCount()))
    ]


def test_a_question_asked_from_the_command_line_appears_in_the_open_window(
    window: MainWindow, db: Database, db_path: Path, product: ProductInfo, qtbot: QtBot
) -> None:
    card = items.add_item(db, product.id, "Guest checkout")
    screen = window.show_screen(QuestionsScreen)
    assert isinstance(screen, QuestionsScreen)
    screen.reload()
    assert shown(screen) == []
    nav = window.nav.item(window.screens.index(screen))

    result = run_kanban(
        db_path, "ask", "WEB", "Is IE11 still supported?", "--by", "Ana", "--new-member"
    )
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(
        lambda: shown(screen) == [("Is IE11 still supported?", "Ana", None, "open")],
        timeout=2000,
    )
    qtbot.waitUntil(lambda: nav.text() == "Questions  (1)", timeout=500)

    result = run_kanban(
        db_path, "ask", "WEB", "Pay by invoice?", "--item", "WEB-1", "--by", "Ben", "--new-member"
    )
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: len(shown(screen)) == 2, timeout=2000)
    assert ("Pay by invoice?", "Ben", "WEB-1", "open") in shown(screen)
    assert items.get_card(db, card.id).open_questions == 1


def test_an_answer_given_from_the_command_line_updates_the_open_window(
    window: MainWindow, db: Database, db_path: Path, product: ProductInfo, qtbot: QtBot
) -> None:
    screen = window.show_screen(QuestionsScreen)
    assert isinstance(screen, QuestionsScreen)
    result = run_kanban(db_path, "ask", "WEB", "Which currency?", "--by", "Ana", "--new-member")
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: len(shown(screen)) == 1, timeout=2000)
    question = screen.model.record(0)
    assert screen.select_question(question.id)

    result = run_kanban(db_path, "answer", str(question.id), "Euro only")
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: shown(screen) == [], timeout=2000)  # no longer open
    screen.state_filter.setCurrentIndex(screen.state_filter.findData("answered"))
    assert shown(screen) == [("Which currency?", "Ana", None, "answered")]
    assert screen.select_question(question.id)
    assert screen.detail.answer.text() == "Euro only"
