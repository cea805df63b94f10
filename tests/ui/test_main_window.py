"""The main window on real database files: products, files, sample data, errors, state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

import kanban
from kanban.errors import NotADatabaseError
from kanban.services import Database, items, open_database, products, questions
from kanban.services.records import ProductInfo
from kanban.ui.app import BadFileBox, create_window, open_first_database
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.dialogs.product_dialog import ProductDialog
from kanban.ui.main_window import PAGES, MainWindow
from kanban.ui.questions.screen import QuestionsScreen
from kanban.ui.status.screen import StatusScreen
from kanban.ui.style import KanbanStyle
from kanban.ui.theme import apply_theme


def combo_texts(window: MainWindow) -> list[str]:
    combo = window.product_combo
    return [combo.itemText(i) for i in range(combo.count())]


def message_of(window: MainWindow) -> str:
    assert isinstance(window.dialog, QMessageBox)
    return window.dialog.text()


def test_a_new_database_starts_with_one_product_and_default_columns(
    qtbot: QtBot, db: Database
) -> None:
    window = create_window(db)
    qtbot.addWidget(window)
    (product,) = products.list_products(db)
    assert window.ctx.product == product
    names = [c.name for c in products.list_columns(db, product.id)]
    assert names == ["Backlog", "To Do", "In Progress", "Done"]
    assert combo_texts(window) == ["My Product (PROD)"]


def test_help_menu_loads_the_sample_products_once(qtbot: QtBot, db: Database) -> None:
    window = create_window(db)
    qtbot.addWidget(window)
    action = next(a for a in window.help_menu.actions() if "sample" in a.text())
    action.trigger()
    assert len(combo_texts(window)) == 3
    assert window.ctx.product is not None and window.ctx.product.key in ("WEB", "APP")
    action.trigger()  # the second time: a clear message, nothing changed
    assert "already" in message_of(window)
    assert len(combo_texts(window)) == 3


def test_new_rename_and_archive_product_with_undo(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    dialog = window.new_product()
    dialog.key_edit.setText("web")
    dialog.name_edit.setText("Another")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert "already exists" in dialog.error_label.text()  # the key WEB is taken
    dialog.key_edit.setText("app")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert window.ctx.product is not None and window.ctx.product.key == "APP"
    assert combo_texts(window) == ["Another (APP)", "Web shop (WEB)"]

    rename = window.edit_product()
    assert rename is not None
    rename.name_edit.setText("Mobile app")
    assert rename.save()
    assert products.get_product(db, "APP").name == "Mobile app"
    assert "Mobile app (APP)" in combo_texts(window)

    assert window.archive_product()
    assert combo_texts(window) == ["Web shop (WEB)"]
    assert window.ctx.product is not None and window.ctx.product.key == "WEB"
    window.undo_action.trigger()
    assert combo_texts(window) == ["Mobile app (APP)", "Web shop (WEB)"]


def test_closed_product_dialogs_are_deleted_not_kept_hidden(
    qtbot: QtBot, window: MainWindow
) -> None:
    for _ in range(3):
        window.new_product().reject()
        window.edit_product().reject()  # type: ignore[union-attr]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(ProductDialog) == []


def test_open_another_database_in_place_and_remember_it(
    qtbot: QtBot, tmp_path: Path, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    other_path = tmp_path / "other.db"
    assert window.open_file(other_path)
    assert window.windowTitle() == "kanban — other.db"
    assert window.ctx.db.path == other_path
    assert combo_texts(window) == ["My Product (PROD)"]
    assert window.recent_files()[0] == str(other_path)

    # The screens now work on the new file.
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    screen.quick_add.setText("In the other file")
    screen.add_from_quick_line()
    other = window.ctx.db
    assert [c.title for c in items.load_board(other, "PROD").cards] == ["In the other file"]
    assert items.load_board(db, product.id).cards == ()
    window.undo_action.trigger()
    assert items.load_board(other, "PROD").cards == ()


def test_a_file_that_is_not_a_database_is_refused_with_a_message(
    qtbot: QtBot, tmp_path: Path, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("shopping list")
    assert not window.open_file(bad)
    assert "not a kanban database" in message_of(window)
    assert "Traceback" not in message_of(window)
    assert window.ctx.db is db
    assert bad.read_text() == "shopping list"


def test_start_up_on_a_bad_file_asks_for_another_one(qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00" * 200)
    good = tmp_path / "good.db"
    asked: list[str] = []

    def ask(error: Exception) -> str | None:
        asked.append(str(error))
        return str(good)

    db = open_first_database(str(bad), ask)
    assert db is not None and db.path == good
    db.close()
    assert len(asked) == 1 and "bad.db" in asked[0]
    assert open_first_database(str(bad), lambda error: None) is None  # the user quits

    box = BadFileBox(NotADatabaseError(str(bad), "is not a kanban database"))
    qtbot.addWidget(box)
    box.open()
    assert "is not a kanban database" in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.quit_button.click()
    assert box.clickedButton() is box.quit_button


def test_export_json_writes_the_whole_database(
    qtbot: QtBot, tmp_path: Path, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    items.add_item(db, product.id, "Exported")
    target = tmp_path / "export.json"
    assert window.export_json(target)
    data = json.loads(target.read_text())
    assert data["format"] == "kanban"
    assert [p["key"] for p in data["products"]] == ["WEB"]
    assert not window.export_json(tmp_path / "missing-folder" / "x.json")
    assert "does not exist" in message_of(window)


def test_export_json_shows_progress_and_a_cancel_leaves_no_file(
    qtbot: QtBot, tmp_path: Path, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    items.add_item(db, product.id, "Exported")
    target = tmp_path / "export.json"
    target.write_text("the export before")
    pressed: list[str] = []

    def press_cancel() -> None:
        dialog = window.findChild(QProgressDialog)
        assert dialog is not None and dialog.labelText() == "Exporting export.json…"
        pressed.append(dialog.labelText())
        dialog.cancel()

    QTimer.singleShot(0, press_cancel)  # runs in the first report's processEvents
    assert not window.export_json(target)
    assert pressed and target.read_text() == "the export before"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert window.export_json(target)  # the next one goes through
    assert json.loads(target.read_text())["format"] == "kanban"


def test_last_product_and_screen_are_remembered(
    qtbot: QtBot, db: Database, product: ProductInfo
) -> None:
    second = products.create_product(db, "APP", "App")
    first_window = create_window(db)
    qtbot.addWidget(first_window)
    first_window.select_product(second)
    first_window.show_screen(BacklogScreen)
    first_window.close()

    again = create_window(db)
    qtbot.addWidget(again)
    assert again.ctx.product == second
    assert isinstance(again.screens[again.nav.currentRow()], BacklogScreen)


def test_ctrl_z_undoes_the_last_change_from_the_keyboard(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    screen = window.show_screen(BacklogScreen)
    assert isinstance(screen, BacklogScreen)
    qtbot.keyClicks(screen.quick_add, "Typed")
    qtbot.keyClick(screen.quick_add, Qt.Key.Key_Return)
    assert [c.title for c in items.load_board(db, product.id).cards] == ["Typed"]
    screen.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert items.load_board(db, product.id).cards == ()
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [c.title for c in items.load_board(db, product.id).cards] == ["Typed"]


def test_undo_after_someone_else_changed_the_item_is_refused_clearly(
    qtbot: QtBot, db: Database, db_path: Path, product: ProductInfo, window: MainWindow
) -> None:
    from kanban.ui.dialogs.item_editor import open_item_editor

    card = items.add_item(db, product.id, "Mine")
    editor = open_item_editor(window.ctx, card.id)
    editor.title_edit.setText("Edited")
    assert editor.save()
    other = open_database(str(db_path))
    try:
        detail = items.get_item(other, card.id)
        items.edit_item(other, card.id, detail.version, title="Theirs")
    finally:
        other.close()
    window.undo_action.trigger()
    assert items.get_item(db, card.id).title == "Theirs"  # not overwritten
    assert window.ctx.undo_stack.count() == 0  # the stale command is dropped
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("changed elsewhere" in box.text() for box in boxes)


def test_theme_uses_fusion_and_a_dark_palette_when_asked(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        apply_theme(app, dark=True)
        style = app.style()
        assert isinstance(style, KanbanStyle) and style.baseStyle().name().lower() == "fusion"
        window_color = app.palette().color(QPalette.ColorRole.Window)
        text_color = app.palette().color(QPalette.ColorRole.WindowText)
        assert window_color.lightness() < 60 < 200 < text_color.lightness()
        apply_theme(app, dark=False)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    finally:
        apply_theme(app, dark=False)


def test_about_names_the_version_and_the_file(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    box = window.about()
    assert box.text().startswith(f"kanban {kanban.__version__}")
    assert str(window.ctx.db.path) in box.informativeText()
    box.close()


def nav_texts(window: MainWindow) -> list[str]:
    return [window.nav.item(row).text() for row in range(window.nav.count())]


def test_a_screen_is_built_when_first_shown_with_the_current_product(
    qtbot: QtBot, db: Database, product: ProductInfo
) -> None:
    questions.ask_question(db, product.id, "Is IE11 still supported?")
    questions.ask_question(db, product.id, "Which payment providers?")
    QSettings().setValue("window/screen", 0)
    window = create_window(db)
    qtbot.addWidget(window)
    assert isinstance(window.screens[0], BacklogScreen)
    assert window.screens[1:] == [None] * (len(PAGES) - 1)
    assert window.stack.currentWidget() is window.screens[0]
    # every page is listed, and the open questions are counted without the Questions screen
    assert nav_texts(window) == [
        "Backlog", "Board", "Questions  (2)", "Status", "Charts", "Stakeholders",
        "Roadmap", "Portfolio",
    ]  # fmt: skip

    status = window.show_screen(StatusScreen)
    assert isinstance(status, StatusScreen) and status.product == product
    assert window.stack.currentWidget() is status
    assert window.show_screen(StatusScreen) is status  # built once
    window.view_menu.actions()[2].trigger()  # View ▸ Questions (Ctrl+3)
    asked = window.screens[2]
    assert isinstance(asked, QuestionsScreen) and window.stack.currentWidget() is asked
    assert asked.model.rowCount() == 2
    assert [page.screen_type().title for page in PAGES] == [page.title for page in PAGES]


def test_start_up_imports_only_the_first_screen(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from kanban.services import open_database\n"
        "from kanban.ui.app import application, create_window\n"
        "app = application()\n"
        "window = create_window(open_database(sys.argv[1]))\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "new.db")],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    loaded = set(result.stdout.split())
    assert "kanban.ui.backlog.screen" in loaded
    later = {
        "kanban.ui.board.screen",
        "kanban.ui.questions.screen",
        "kanban.ui.status.screen",
        "kanban.ui.stakeholders.screen",
        "kanban.ui.dialogs.item_editor",
        "kanban.ui.dialogs.sprint_dialog",  # the sprint bar's dialogs: when one first opens
        "kanban.ui.dialogs.sprint_steps",
        "kanban.ui.style",  # the proxy style: only with a dark palette
        "kanban.metrics",
        "kanban.reports",
        "jinja2",
    }
    assert loaded & later == set()
