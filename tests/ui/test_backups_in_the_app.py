"""The app's daily backup on open, and File > Backups (issue 8.4)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.backups import list_backups
from kanban.ui.backups import KEEP_SETTING, BackupsDialog
from kanban.ui.main_window import MainWindow


def test_opening_a_file_in_the_app_backs_it_up_once_a_day(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    assert db.path is not None
    thread = window.start_daily_backup()
    assert thread is not None
    with qtbot.waitSignal(thread.made, timeout=30_000) as made:
        pass
    [backup] = list_backups(db.path)
    assert made.args == [backup.path]
    window.wait_for_backup()
    assert window.statusBar().currentMessage() == f"Backed up to {backup.path}"

    other = tmp_path / "other.db"
    assert window.open_file(other)  # File > Open backs the newly opened file up too
    window.wait_for_backup()
    assert len(list_backups(other)) == 1
    assert window.open_file(db.path)
    window.wait_for_backup()
    assert len(list_backups(db.path)) == 1  # not a second one the same day


def test_the_backups_dialog_keeps_the_setting_and_backs_up_now(
    window: MainWindow, db: Database, qtbot: QtBot
) -> None:
    assert db.path is not None
    dialog = window.show_backups()
    assert isinstance(dialog, BackupsDialog)
    assert dialog.keep.value() == 7
    assert dialog.list.item(0).text() == "No backup yet."
    dialog.keep.setValue(3)
    assert int(QSettings().value(KEEP_SETTING)) == 3
    thread = dialog.back_up_now()
    with qtbot.waitSignal(thread.finished, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: dialog.now_button.isEnabled())
    [backup] = list_backups(db.path)
    assert dialog.list.item(0).text().endswith(backup.path.name)
    assert dialog.message.text() == f"Backed up to {backup.path}"
    assert f"kanban --db {db.path} restore BACKUP --replace" in dialog.restore_hint.text()
    dialog.keep.setValue(7)
    dialog.reject()
