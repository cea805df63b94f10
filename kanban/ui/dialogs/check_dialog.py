"""File > Check database: the whole-database check of `kanban check`, with progress, in a dialog."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kanban.services.check import check_database
from kanban.services.records import DatabaseCheck
from kanban.ui.context import AppContext
from kanban.ui.forms import open_dialog
from kanban.ui.questions.detail import plain_label

STEP_NAMES = {
    "integrity": "SQLite's integrity check",
    "references": "references between rows",
    "ranks": "ranks",
    "item numbers": "item numbers",
    "products": "references inside each product",
    "done": "done",
}


class _CheckThread(QThread):
    """Runs the check off the window's thread (about 1 s at 100,000 items); the services'
    sessions come from the database's own pool, one connection per thread."""

    progressed = Signal(int, int, str)
    checked = Signal(object)  # DatabaseCheck
    failed = Signal(object)  # the exception

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = ctx.db

    def run(self) -> None:
        try:
            report = check_database(self.db, self.progressed.emit)
        except Exception as error:  # shown in the dialog, never lost in the thread
            self.failed.emit(error)
            return
        self.checked.emit(report)


class CheckDatabaseDialog(QDialog):
    """Checks the open database and lists what it found; nothing is changed."""

    finished_check = Signal(object)  # DatabaseCheck, once the check is done

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check database")
        self.setMinimumWidth(560)
        self.report: DatabaseCheck | None = None
        where = str(ctx.db.path or ctx.db.url)
        self.where = plain_label("where")
        self.where.setText(f"Checking {where}")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy until the first step reports
        self.progress.setFormat("%v of %m checks")
        self.headline = plain_label("headline")
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        self.findings.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.findings.setPlaceholderText("What the check finds is listed here.")
        self.findings.setAccessibleName("Findings")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.progress)
        layout.addWidget(self.headline)
        layout.addWidget(self.findings, 1)
        layout.addWidget(buttons)

        self.thread_ = _CheckThread(ctx, self)
        self.thread_.progressed.connect(self._progressed)
        self.thread_.checked.connect(self._checked)
        self.thread_.failed.connect(self._failed)
        self.thread_.start()

    def _progressed(self, done: int, total: int, step: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if step != "done":
            self.headline.setText(f"Checking {STEP_NAMES.get(step, step)}…")

    def _checked(self, report: DatabaseCheck) -> None:
        self.report = report
        self.where.setText(f"Checked {report.database}: {', '.join(report.checks)}")
        if report.sound:
            self.headline.setText("Sound: no problem found.")
            self.findings.setPlainText("")
        else:
            count = len(report.findings)
            self.headline.setText(
                f"Damaged: {count} problem(s) found. To go back to a sound copy, restore a "
                "backup (see the README, 'Backups')."
            )
            self.findings.setPlainText(
                "\n".join(f"{f.check}: {f.problem}" for f in report.findings)
            )
        self.finished_check.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.headline.setText(f"The check could not run: {error}")

    def done(self, result: int) -> None:
        """Close only once the check's thread has stopped (it reads the open database)."""
        self.thread_.wait()
        super().done(result)


def check_database_dialog(ctx: AppContext, parent: QWidget | None = None) -> CheckDatabaseDialog:
    """Open File > Check database without blocking and start the check."""
    return open_dialog(CheckDatabaseDialog(ctx, parent))
