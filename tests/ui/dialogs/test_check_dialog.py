"""File > Check database: the check runs with progress and lists what it found."""

from __future__ import annotations

from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from kanban.services import Database
from kanban.services.items import add_item
from kanban.ui.dialogs.check_dialog import CheckDatabaseDialog
from kanban.ui.main_window import MainWindow


def file_action(window: MainWindow, text_: str) -> QAction:
    return next(a for a in window.file_menu.actions() if a.text().replace("&", "") == text_)


def run_check(window: MainWindow, qtbot: QtBot) -> CheckDatabaseDialog:
    file_action(window, "Check database…").trigger()
    dialog = window.dialog
    assert isinstance(dialog, CheckDatabaseDialog)
    with qtbot.waitSignal(dialog.finished_check, timeout=30_000):
        pass
    return dialog


def test_a_sound_database_is_said_to_be_sound(
    window: MainWindow, db: Database, qtbot: QtBot
) -> None:
    add_item(db, "WEB", "Guest checkout")
    dialog = run_check(window, qtbot)
    assert dialog.report is not None and dialog.report.sound
    assert dialog.headline.text() == "Sound: no problem found."
    assert dialog.findings.toPlainText() == ""
    assert dialog.progress.value() == dialog.progress.maximum() == len(dialog.report.checks)
    assert dialog.where.text().startswith(f"Checked {db.path}: integrity, references")
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_damage_is_listed(window: MainWindow, db: Database, qtbot: QtBot) -> None:
    for n in range(3):
        add_item(db, "WEB", f"Item {n}")
    with db.write() as session:
        session.execute(text("UPDATE items SET rank = 'a00' WHERE number = 2"))
    dialog = run_check(window, qtbot)
    assert dialog.headline.text().startswith("Damaged: 1 problem(s) found.")
    assert dialog.findings.toPlainText() == "ranks: WEB-2 has an invalid rank 'a00'"
    dialog.close_button.click()
