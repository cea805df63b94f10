"""Start-up wiring: the only place that sees every layer."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from kanban.errors import KanbanError
from kanban.services import Database, open_database
from kanban.services.products import create_product, list_products
from kanban.ui.context import AppContext
from kanban.ui.main_window import MainWindow

FIRST_PRODUCT = ("PROD", "My Product")


def ensure_first_product(db: Database) -> None:
    """A new database starts with one empty product and the default columns."""
    if not list_products(db, include_archived=True):
        create_product(db, *FIRST_PRODUCT)


def create_window(db: Database) -> MainWindow:
    """A main window on an open database (used by the app and by the tests)."""
    ensure_first_product(db)
    return MainWindow(AppContext(db))


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, named for QSettings."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName("kanban")
    app.setApplicationName("kanban")
    app.setApplicationDisplayName("kanban")
    return app  # type: ignore[return-value]


def run(db_target: str | None = None) -> int:
    """Open the GUI on a database (path or URL; default per kanban.config); the exit code."""
    app = application()
    try:
        db = open_database(db_target)
    except KanbanError as error:
        QMessageBox.critical(None, "kanban: cannot open the database", str(error))
        return 1
    window = create_window(db)
    window.show()
    code = app.exec()
    db.close()
    return code
