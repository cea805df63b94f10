"""Shared UI fixtures: a main window on a real database file, shown offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sample_fixtures import sample_db, sample_file, sample_window  # noqa: F401  (fixtures)

from kanban.services import Database, open_database
from kanban.services.records import ProductInfo
from kanban.ui.app import create_window
from kanban.ui.context import AppContext
from kanban.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, db: Database, product: ProductInfo) -> MainWindow:
    """The main window on ``db``, showing the product WEB (from the ``product`` fixture), at
    its own size (1280 x 800), not the size an earlier test's window was closed at."""
    QSettings().remove("window/geometry")
    main = create_window(db)
    qtbot.addWidget(main)
    main.select_product(product)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def ctx(window: MainWindow) -> AppContext:
    """The window's context (database, events, undo stack)."""
    return window.ctx


@pytest.fixture
def other(qtbot: QtBot, db_path: Path, product: ProductInfo) -> Iterator[MainWindow]:
    """A second window on the same file, showing the product WEB (as a teammate's would)."""
    database = open_database(str(db_path))
    second = create_window(database)
    qtbot.addWidget(second)
    second.select_product(product)
    second.show()
    qtbot.waitExposed(second)
    yield second
    second.close()
    database.close()


AnswerBox = Callable[..., str]


@pytest.fixture
def answer_box() -> AnswerBox:
    """``answer_box("Not Ready")``: click Yes (or ``button``) in the open question titled so;
    returns the question's text. Fails when no such question is open."""

    def answer(
        title: str, button: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes
    ) -> str:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == title
        ]
        assert boxes, f"no open question titled {title!r}"
        text = boxes[-1].text()
        boxes[-1].button(button).click()
        return text

    return answer
