"""The first run (issue 14.7): an empty backlog says how to begin, the starter product is
offered for archiving once the sample is loaded, an export opens as a new database, and the
Status screen of an empty product neither claims everything is done nor gives a date."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from kanban.services import Database, open_database, products
from kanban.services.items import add_item
from kanban.services.transfer import write_export
from kanban.ui.app import create_window
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.main_window import MainWindow
from kanban.ui.status.screen import StatusScreen


@pytest.fixture
def fresh(qtbot: QtBot, db: Database) -> MainWindow:
    """The window on a new file: the starter product "My Product", nothing in it."""
    window = create_window(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def backlog_of(window: MainWindow) -> BacklogScreen:
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    return screen


def test_an_empty_backlog_says_how_to_begin(fresh: MainWindow, db: Database) -> None:
    screen = backlog_of(fresh)
    assert screen.empty_hint.isVisible() and not screen.view.isVisible()
    assert screen.quick_add.isVisible()  # the first item is typed right there
    screen.quick_add.setText("Guest checkout")
    screen.add_from_quick_line()
    assert not screen.empty_hint.isVisible() and screen.view.isVisible()


def test_load_the_sample_from_the_hint_then_archive_the_starter(
    fresh: MainWindow, db: Database, qtbot: QtBot
) -> None:
    screen = backlog_of(fresh)
    screen.empty_hint.sample_button.click()
    assert fresh.ctx.product is not None and fresh.ctx.product.key in ("WEB", "APP")
    assert not screen.empty_hint.isVisible()
    box = fresh.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "Archive the empty starter product “My Product”?"
    fresh.archive_starter_button.click()
    keys = [p.key for p in products.list_products(db)]
    assert "PROD" not in keys and {"WEB", "APP"} <= set(keys)
    fresh.ctx.undo_stack.undo()  # changed their mind
    assert "PROD" in [p.key for p in products.list_products(db)]


def test_the_starter_is_not_offered_once_it_holds_something(
    fresh: MainWindow, db: Database
) -> None:
    add_item(db, "PROD", "Our first real item")
    assert fresh.load_sample()
    assert fresh.offer_to_archive_starter() is None
    assert "PROD" in [p.key for p in products.list_products(db)]


@pytest.mark.usefixtures("reading")
def test_import_from_the_hint_opens_an_export_as_a_new_database(
    fresh: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_db = open_database(str(tmp_path / "theirs.db"))
    products.create_product(source_db, "SHOP", "Their shop")
    add_item(source_db, "SHOP", "Their item")
    export = tmp_path / "theirs.json"
    write_export(source_db, export)
    source_db.close()
    target = tmp_path / "mine.db"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(export), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    backlog_of(fresh).empty_hint.import_button.click()

    assert fresh.ctx.db.path == target.resolve()
    assert [p.key for p in products.list_products(fresh.ctx.db)] == ["SHOP"]  # no starter


def test_an_import_never_writes_over_a_file_and_leaves_nothing_when_it_fails(
    fresh: MainWindow, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "files"  # apart from the window's own database
    tmp_path.mkdir()
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"mine")
    assert not fresh.import_json(tmp_path / "whatever.json", taken)
    assert taken.read_bytes() == b"mine"
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something else"}', encoding="utf-8")
    target = tmp_path / "new.db"
    assert not fresh.import_json(broken, target)
    assert isinstance(fresh.dialog, QMessageBox) and "not a kanban export" in fresh.dialog.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json", "taken.db"]


def test_the_status_of_an_empty_product_gives_no_date_and_claims_nothing_done(
    fresh: MainWindow, qtbot: QtBot
) -> None:
    screen = fresh.show_screen(StatusScreen)
    assert isinstance(screen, StatusScreen)
    qtbot.waitUntil(lambda: "My Product" in screen.preview.toPlainText())
    shown = screen.preview.toPlainText()
    assert "Every work item in scope is done" not in shown
    assert "There are no work items yet" in shown
    assert "forecast finish" in shown
    box = shown.split("forecast finish")[0].rsplit("\n", 2)[-2:]
    assert not any(ch.isdigit() for ch in "".join(box)), box  # "–", no date
