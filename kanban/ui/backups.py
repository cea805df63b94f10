"""The daily backup on open (in a thread) and File > Backups: where they are, how many to keep."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kanban.errors import KanbanError
from kanban.services import Database
from kanban.services.backups import DEFAULT_KEEP, back_up, backup_folder, daily_backup, list_backups
from kanban.ui.forms import open_dialog
from kanban.ui.questions.detail import plain_label

KEEP_SETTING = "backups/keep"


def backups_to_keep() -> int:
    """How many daily backups to keep (File > Backups; 0: no daily backup)."""
    value = QSettings().value(KEEP_SETTING, DEFAULT_KEEP)
    try:
        return max(0, int(str(value)))  # QSettings gives the stored text (or the default)
    except (TypeError, ValueError):
        return DEFAULT_KEEP


class BackupThread(QThread):
    """Makes a backup off the window's thread (about 0.5 s at 100,000 items): the daily one
    (``now=False``) or one right now. The copy reads the file through its own SQLite
    connection, so the window keeps working meanwhile."""

    made = Signal(object)  # the new backup's Path, or None (today's exists, or backups off)
    failed = Signal(str)

    def __init__(self, db: Database, *, now: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.now = now
        self.keep = backups_to_keep()

    def run(self) -> None:
        try:
            made = back_up(self.db) if self.now else daily_backup(self.db, self.keep)
        except KanbanError as error:
            self.failed.emit(str(error))
            return
        self.made.emit(made)


class BackupsDialog(QDialog):
    """File > Backups: the backups folder, the backups in it, how many to keep, back up now."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.thread_: BackupThread | None = None
        self.setWindowTitle("Backups")
        self.setMinimumWidth(560)
        assert db.path is not None
        self.folder = plain_label("folder")
        self.folder.setText(
            f"Once a day, opening {db.path.name} in the app copies it into {backup_folder(db.path)}"
        )
        self.list = QListWidget()
        self.list.setAccessibleName("Backups")
        self.keep = QSpinBox()
        self.keep.setRange(0, 365)
        self.keep.setValue(backups_to_keep())
        self.keep.setSuffix(" daily backups")
        self.keep.setSpecialValueText("none (no daily backup)")
        self.keep.setAccessibleName("Backups to keep")
        self.keep.valueChanged.connect(lambda value: QSettings().setValue(KEEP_SETTING, value))
        self.restore_hint = plain_label("restore_hint")
        self.restore_hint.setText(
            "To restore one: close the app, then run\n"
            f"  kanban --db {db.path} restore BACKUP --replace\n"
            "(the file as it was is kept in the backups folder)."
        )
        self.message = plain_label("message")
        self.now_button = QPushButton("Back up &now")
        self.now_button.clicked.connect(self.back_up_now)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.now_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Keep the last", self.keep)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.restore_hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """List the backups, newest first."""
        assert self.db.path is not None
        self.list.clear()
        backups = list_backups(self.db.path)
        for backup in backups:
            self.list.addItem(
                f"{backup.made_at:%Y-%m-%d %H:%M}   {backup.size / 1e6:.1f} MB   {backup.path.name}"
            )
        if not backups:
            self.list.addItem("No backup yet.")

    def back_up_now(self) -> BackupThread:
        """Make a backup now (in a thread); the list shows it when done."""
        self.now_button.setEnabled(False)
        self.message.setText("Backing up…")
        self.thread_ = BackupThread(self.db, now=True, parent=self)
        self.thread_.made.connect(self._made)
        self.thread_.failed.connect(self._failed)
        self.thread_.start()
        return self.thread_

    def _made(self, path: Path | None) -> None:
        self.message.setText(f"Backed up to {path}")
        self.now_button.setEnabled(True)
        self.refresh()

    def _failed(self, reason: str) -> None:
        self.message.setText(f"The backup failed: {reason}")
        self.now_button.setEnabled(True)

    def done(self, result: int) -> None:
        """Close once a backup being made has finished."""
        if self.thread_ is not None:
            self.thread_.wait()
        super().done(result)


def backups_dialog(db: Database, parent: QWidget | None = None) -> BackupsDialog:
    """Open File > Backups without blocking."""
    return open_dialog(BackupsDialog(db, parent))
