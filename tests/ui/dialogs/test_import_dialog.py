"""File > Import through real widgets: the preview, a corrected category, progress, cancel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.ui.dialogs.import_dialog import ImportDialog
from kanban.ui.main_window import MainWindow
from kanban.ui.theme import apply_theme

FILES = Path(__file__).parents[2] / "importers" / "files"
BOARD = FILES / "trello_board.json"


def _opened(
    window: MainWindow, qtbot: QtBot, source: str = "trello", path: Path = BOARD
) -> ImportDialog:
    dialog = window.import_file(source, path)
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: dialog.preview is not None or dialog.status.text() != "")
    return dialog


def _table(db: Database, table: str) -> list[tuple[object, ...]]:
    with db.read() as session:
        from sqlalchemy import text

        return [tuple(row) for row in session.execute(text(f"SELECT * FROM {table}"))]


def test_the_menu_holds_a_kanban_export_and_the_three_formats(window: MainWindow) -> None:
    texts = [action.text() for action in window.import_menu.actions()]
    assert texts == [
        "kanban &JSON export…",
        "",  # the separator between our own format and the others'
        "&Trello board (JSON)…",
        "&Jira export (CSV or XML)…",
        "&Spreadsheet (CSV)…",
    ]


def test_the_preview_shows_what_will_be_created_before_writing(
    window: MainWindow, qtbot: QtBot, db: Database
) -> None:
    dialog = _opened(window, qtbot)
    assert dialog.headline.text() == "trello_board.json: 7 items as a new product Web shop (2) (WS)"
    rows = [
        (dialog.columns.item(r, 0).text(), dialog.columns.cellWidget(r, 1).currentData(),
         dialog.columns.item(r, 2).text())
        for r in range(dialog.columns.rowCount())
    ]  # fmt: skip
    assert rows[3] == ("Review", "doing", "0")
    assert rows[5] == ("Old ideas (closed)", "backlog", "1")
    assert "People: Ana Silva" in dialog.summary.text()
    assert "16 moves" in dialog.summary.text()
    details = dialog.details.toPlainText()
    assert "The history goes back to 2024-03-02" in details
    assert 'list "Parking lot": closed, with no card and no move' in details
    assert _table(db, "imports") == []  # nothing written yet
    assert dialog.import_button.isEnabled()


def test_a_corrected_category_is_imported(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    dialog = _opened(window, qtbot)
    review = dialog.columns.cellWidget(3, 1)
    assert isinstance(review, QComboBox)
    review.setCurrentIndex(review.findData("done"))
    assert dialog.columns.cellWidget(3, 1).currentData() == "done"
    with qtbot.waitSignal(dialog.imported, timeout=20000) as signal:
        dialog.import_button.click()
    result = signal.args[0]
    categories = {
        row[2]: row[5] for row in _table(db, "board_columns") if row[1] == result.product.id
    }
    assert categories["Review"] == "done"
    assert window.ctx.product is not None and window.ctx.product.id == result.product.id
    assert not dialog.isVisible()


def test_cancel_during_the_import_writes_nothing(
    window: MainWindow, qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _opened(window, qtbot)
    before = {table: _table(db, table) for table in ("products", "items", "imports")}
    # The worker's first progress report finds Cancel pressed (as a click mid-import would).
    dialog.start_import()
    assert dialog.worker is not None
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20000)
    assert dialog.status.text() == "Import cancelled: nothing was written."
    assert {table: _table(db, table) for table in before} == before
    assert dialog.isVisible() and dialog.import_button.isEnabled()


def test_a_file_imported_before_asks_first(window: MainWindow, qtbot: QtBot) -> None:
    first = _opened(window, qtbot)
    with qtbot.waitSignal(first.imported, timeout=20000):
        first.import_button.click()
    again = _opened(window, qtbot)
    assert "This file was imported on" in again.status.text()
    assert not again.import_button.isEnabled()
    again.again.setChecked(True)
    assert again.import_button.isEnabled()
    again.into.setCurrentIndex(again.into.findData(first.outcome.product.id))
    assert "Already in WS, not imported again: 7 items" in again.summary.text()
    assert not again.import_button.isEnabled()  # nothing new to import


def test_a_broken_file_says_why_and_offers_nothing(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "board.json"
    path.write_text('{"name": "x", "cards": [')
    dialog = _opened(window, qtbot, "trello", path)
    qtbot.waitUntil(lambda: dialog.status.text() != "")
    assert "is not valid JSON (line 1" in dialog.status.text()
    assert not dialog.import_button.isEnabled()


@pytest.mark.parametrize("dark", [False, True])
def test_render_the_preview(window: MainWindow, qtbot: QtBot, dark: bool, tmp_path: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, dark)
    try:
        dialog = _opened(window, qtbot, "jira", FILES / "jira_export.csv")
        dialog.resize(720, 640)
        out = (
            Path(os.environ.get("KANBAN_SHOTS", tmp_path))
            / f"import-{'dark' if dark else 'light'}.png"
        )
        assert dialog.grab().save(str(out))
    finally:
        apply_theme(app, False)
