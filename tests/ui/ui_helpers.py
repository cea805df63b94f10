"""Helpers for the UI tests of every screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kanban.services.records import Card
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.main_window import MainWindow


def delete_in_backlog(window: MainWindow, qtbot: QtBot, card: Card) -> None:
    """A window's user selects a card in the backlog and presses Delete."""
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.reload()  # the window may not have polled the file since the card was added
    screen.select_ids([card.id])
    screen.view.setFocus()
    qtbot.keyClick(screen.view, Qt.Key.Key_Delete)
