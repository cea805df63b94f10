"""Start-up wiring: the only place that sees every layer."""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from kanban.errors import KanbanError
from kanban.resources_path import resource
from kanban.services import Database, open_database
from kanban.ui.context import AppContext, show_error
from kanban.ui.main_window import DB_FILTER, MainWindow, ensure_first_product
from kanban.ui.preferences import apply_preferences
from kanban.ui.theme import FUSION_SET

WARM_UP_MS = 300  # after the window shows, before a person's first click
NO_GUI_THREADPOOL = "QT_NO_GUI_THREADPOOL"

# What to do when the database cannot be opened: another path to try, or None to quit.
AskAnother = Callable[[KanbanError], str | None]


def create_window(db: Database) -> MainWindow:
    """A main window on an open database (used by the app and by the tests)."""
    ensure_first_product(db)
    return MainWindow(AppContext(db))


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, named for QSettings, with the user's preferences (the
    theme, your name) applied."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Qt's raster engine hands every fill of 96 spans or more (Fusion's gradients: the
        # toolbar, buttons, headers) to QtGui's thread pool and waits for it; for a window's
        # widgets the hand-off costs more than the fill (two threads and ~50 hand-offs on the
        # first paint: 6% of a cold start on a busy two-core machine). Qt's own switch (read
        # at the pool's first use) keeps fills on the painting thread.
        os.environ.setdefault(NO_GUI_THREADPOOL, "1")
        # Fusion from the start: a style set later costs a Python QStyle (~25 ms).
        app = QApplication([*(argv or sys.argv[:1]), "-style", "Fusion"])
        app.setProperty(FUSION_SET, True)
        # What the imports made (modules, classes, the tables, PySide's types: ~60,000
        # objects) lives as long as the process: kept out of the cycle collector, a full
        # collection no longer walks it (~40 ms each, in use and several times at exit).
        gc.freeze()
    app.setOrganizationName("kanban")
    app.setApplicationName("kanban")
    app.setApplicationDisplayName("kanban")
    app.setDesktopFileName("kanban")  # Wayland and docks match the window to kanban.desktop
    app.setWindowIcon(app_icon())
    apply_preferences(app)
    return app


def app_icon() -> QIcon:
    """The app's icon (resources/icons/kanban.svg), for every window."""
    return QIcon(str(resource("icons", "kanban.svg")))


class BadFileBox(QMessageBox):
    """The question shown when a database cannot be opened: open another, create one, quit."""

    def __init__(self, error: KanbanError) -> None:
        super().__init__(QMessageBox.Icon.Warning, "kanban: cannot open the database", "")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(str(error))
        self.setInformativeText(
            "The file was left untouched. Open another database, create a new one, or quit."
        )
        self.open_button = self.addButton("Open another…", QMessageBox.ButtonRole.AcceptRole)
        self.new_button = self.addButton("Create new…", QMessageBox.ButtonRole.ActionRole)
        self.quit_button = self.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.open_button)


def ask_for_another_file(error: KanbanError) -> str | None:
    """Ask the user what to do about a database that cannot be opened (blocking)."""
    box = BadFileBox(error)
    box.exec()
    clicked = box.clickedButton()
    if clicked is box.open_button:
        path, _ = QFileDialog.getOpenFileName(None, "Open database", "", DB_FILTER)
    elif clicked is box.new_button:
        path, _ = QFileDialog.getSaveFileName(
            None, "New database", "kanban.db", DB_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
    else:
        return None
    return path or ask_for_another_file(error)


def open_first_database(
    target: str | None, ask: AskAnother = ask_for_another_file
) -> Database | None:
    """Open the database to start with; while it cannot be opened, ``ask`` for another one.

    Returns None when the user chooses to quit.
    """
    while True:
        try:
            return open_database(target)
        except KanbanError as error:
            target = ask(error)
            if target is None:
                return None


def _report_unexpected(window: MainWindow) -> None:
    """Show an unexpected exception in a dialog (and on stderr), never as a crash."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        traceback.print_exception(kind, error, tb)
        show_error(window, error)

    sys.excepthook = hook


def run(db_target: str | None = None) -> int:
    """Open the GUI on a database (path or URL; default per kanban.config); the exit code."""
    app = application()
    db = open_first_database(db_target)
    if db is None:
        return 1
    window = create_window(db)
    if db.path is not None:
        window.remember_recent(db.path)
    _report_unexpected(window)
    window.show()
    window.start_daily_backup()
    # After the first paint: the window's start reads need no ORM; the first edit will.
    QTimer.singleShot(WARM_UP_MS, db.prepare_writes)
    code = app.exec()
    window.wait_for_backup()
    window.ctx.db.close()
    return code
