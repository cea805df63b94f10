"""File > Preferences: your name (who answered, commented, acted) and the theme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kanban.services import Database, questions
from kanban.services.common import use_name
from kanban.services.items import add_item, item_history
from kanban.services.records import ProductInfo
from kanban.ui.main_window import MainWindow
from kanban.ui.preferences import (
    NAME_KEY,
    THEME_KEY,
    PreferencesDialog,
    Theme,
    theme,
    your_name,
)
from kanban.ui.questions.screen import QuestionsScreen
from kanban.ui.status.screen import StatusScreen


@pytest.fixture(autouse=True)
def fresh_preferences(qapp: QApplication) -> Iterator[None]:
    """Each test starts without preferences and leaves none behind, nor its palette."""
    settings = QSettings()
    style, palette = qapp.style().name(), qapp.palette()
    for key in (NAME_KEY, THEME_KEY):
        settings.remove(key)
    yield
    for key in (NAME_KEY, THEME_KEY):
        settings.remove(key)
    use_name(None)
    qapp.setProperty("kanban_follows_scheme", False)
    qapp.setStyle(style)
    qapp.setPalette(palette)


def choose_in_dialog(window: MainWindow, name: str, choice: Theme) -> None:
    dialog = window.preferences()
    assert isinstance(dialog, PreferencesDialog)
    dialog.name.setText(name)
    dialog.theme.setCurrentIndex(dialog.theme.findData(choice))
    dialog.accept()


def test_without_a_preference_you_are_kanban_user(window: MainWindow) -> None:
    dialog = window.preferences()
    assert isinstance(dialog, PreferencesDialog)
    assert (dialog.name.text(), dialog.name.placeholderText()) == ("", "po")
    assert dialog.theme.currentData() == Theme.SYSTEM
    assert your_name() == "po"
    dialog.reject()


def test_your_name_answers_questions_and_is_the_actor_of_changes(
    window: MainWindow, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    choose_in_dialog(window, "  Paula Owner ", Theme.SYSTEM)
    assert your_name() == "Paula Owner"
    card = add_item(db, "WEB", "Guest checkout")
    assert [e.actor for e in item_history(db, card.id)] == ["Paula Owner"]

    asked = questions.ask_question(db, "WEB", "Pay by invoice?", item_ref=card.id, asked_by="Ana")
    screen = window.show_screen(QuestionsScreen)
    assert isinstance(screen, QuestionsScreen)
    screen.reload()
    assert screen.select_question(asked.id)
    dialog = screen.answer_selected()
    assert dialog is not None
    assert dialog.answered_by.text() == "Paula Owner"
    qtbot.keyClicks(dialog.answer, "Yes")
    dialog.answer_button.click()
    assert questions.get_question(db, asked.id).answered_by == "Paula Owner"

    choose_in_dialog(window, "", Theme.SYSTEM)  # cleared: back to $KANBAN_USER
    assert your_name() == "po"
    later = add_item(db, "WEB", "Wish list")
    assert [e.actor for e in item_history(db, later.id)] == ["po"]


def base_lightness(widget: QWidget | QApplication) -> int:
    return widget.palette().color(QPalette.ColorRole.Base).lightness()


def test_the_theme_choice_switches_the_palette_at_once_and_is_remembered(
    window: MainWindow, qapp: QApplication, qtbot: QtBot
) -> None:
    choose_in_dialog(window, "", Theme.DARK)
    assert theme() == Theme.DARK
    assert base_lightness(qapp) < 60
    qtbot.waitUntil(lambda: base_lightness(window) < 60)  # the window follows at once
    choose_in_dialog(window, "", Theme.LIGHT)
    assert base_lightness(qapp) > 240
    assert QSettings().value(THEME_KEY) == "light"


def test_the_report_preview_reads_as_dark_ink_on_paper_in_the_dark_theme(
    window: MainWindow, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    add_item(db, "WEB", "Guest checkout")
    choose_in_dialog(window, "", Theme.DARK)
    screen = window.show_screen(StatusScreen)
    assert isinstance(screen, StatusScreen)
    qtbot.waitUntil(lambda: "Web shop" in screen.preview.toPlainText())
    qtbot.waitUntil(lambda: base_lightness(screen.table) < 60)  # the window is dark
    picture = screen.preview.viewport().grab().toImage()
    background = picture.pixelColor(picture.width() - 8, picture.height() - 8)
    assert background.lightness() > 240  # paper
    darkest = min(
        picture.pixelColor(x, y).lightness()
        for x in range(0, picture.width(), 2)
        for y in range(0, min(picture.height(), 80), 2)
    )
    assert darkest < 60  # ink: the heading
    assert screen.preview.palette().color(QPalette.ColorRole.Text).lightness() < 60
