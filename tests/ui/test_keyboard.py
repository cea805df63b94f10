"""Find and act from the keyboard (issue 14.10): every shortcut in a menu, Help > Keyboard
shortcuts, and the command palette (Ctrl+K) over items of every product, questions, screens
and actions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from kanban.services import Database, questions
from kanban.services.items import add_item
from kanban.services.products import create_product
from kanban.services.records import ProductInfo
from kanban.ui.dialogs.item_editor import ItemEditor
from kanban.ui.main_window import PAGES, MainWindow
from kanban.ui.palette import CommandPalette
from kanban.ui.preferences import PreferencesDialog
from kanban.ui.questions.screen import QuestionsScreen
from kanban.ui.shortcuts import ShortcutsDialog
from kanban.ui.stakeholders.screen import StakeholdersScreen


def menu_actions(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from menu_actions(sub)
        else:
            yield action


def in_menus(window: MainWindow) -> set[QAction]:
    found: set[QAction] = set()
    for top in window.menuBar().actions():
        if top.isVisible() and isinstance(top.menu(), QMenu):
            found |= set(menu_actions(top.menu()))  # type: ignore[arg-type]
    return found


def shortcut_actions(widget: QWidget) -> set[QAction]:
    """The actions with a shortcut that work where ``widget`` is (its own and its children's)."""
    return {a for a in widget.findChildren(QAction) if a.shortcuts() and a.text()}


def test_every_shortcut_of_every_screen_is_in_a_menu(window: MainWindow) -> None:
    own = window.findChildren(QAction, options=Qt.FindChildOption.FindDirectChildrenOnly)
    window_own = {a for a in own if a.shortcuts()}
    for row, page in enumerate(PAGES):
        window.nav.setCurrentRow(row)
        screen = window.screens[row]
        assert screen is not None
        menus = in_menus(window)
        missing = {a.text() for a in (shortcut_actions(screen) | window_own) - menus}
        assert not missing, f"{page.title}: shortcuts in no menu: {missing}"
        if screen.menu_actions():
            assert window.screen_menu.title() == f"&{page.title}"


def test_help_keyboard_shortcuts_lists_the_menus_and_every_screen(window: MainWindow) -> None:
    dialog = window.keyboard_shortcuts()
    assert isinstance(dialog, ShortcutsDialog)
    table = dialog.table
    rows = {tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())}
    assert ("Edit", "Undo", "Ctrl+Z") in rows
    assert ("Edit", "Find and run", "Ctrl+K") in rows
    assert ("Help", "Keyboard shortcuts", "F1") in rows
    assert ("Board", "Move to next column", "Ctrl+Shift+Right") in rows
    assert ("Backlog", "Move to top", "Ctrl+Home") in rows
    assert ("Questions", "Ask", "Ctrl+N") in rows
    dialog.reject()


@pytest.fixture
def two_products(db: Database, product: ProductInfo) -> dict[str, int]:
    app = create_product(db, "APP", "Mobile app")
    ids = {
        "WEB-1": add_item(db, "WEB", "Guest checkout").id,
        "WEB-2": add_item(db, "WEB", "Wish list").id,
        "APP-1": add_item(db, "APP", "Offline mode for the catalogue").id,
    }
    ids["app"] = app.id
    return ids


def open_palette(window: MainWindow, qtbot: QtBot, typed: str) -> CommandPalette:
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.dialog
    assert isinstance(palette, CommandPalette) and palette.isVisible()
    qtbot.keyClicks(palette.edit, typed)
    return palette


def press_enter(palette: CommandPalette, qtbot: QtBot) -> None:
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)


def test_ctrl_k_finds_an_item_of_another_product_by_title_and_opens_it(
    window: MainWindow, qtbot: QtBot, two_products: dict[str, int]
) -> None:
    palette = open_palette(window, qtbot, "offline cat")
    press_enter(palette, qtbot)  # Enter right after typing: the search runs first
    assert not palette.isVisible()
    editor = window.dialog
    assert isinstance(editor, ItemEditor)
    assert editor.item_id == two_products["APP-1"]
    assert window.ctx.product is not None and window.ctx.product.key == "APP"
    editor.reject()


def test_ctrl_k_finds_an_item_by_key_in_any_case(
    window: MainWindow, qtbot: QtBot, two_products: dict[str, int]
) -> None:
    palette = open_palette(window, qtbot, "web-2")
    palette.search_now()
    first = palette.entries()[0]
    assert (first.kind, first.text) == ("Item", "WEB-2  Wish list")
    press_enter(palette, qtbot)
    assert isinstance(window.dialog, ItemEditor)
    assert window.dialog.item_id == two_products["WEB-2"]
    window.dialog.reject()


def test_ctrl_k_shows_a_question_even_when_the_filters_hide_it(
    window: MainWindow, db: Database, qtbot: QtBot, two_products: dict[str, int]
) -> None:
    asked = questions.ask_question(db, "APP", "Which phones must work offline?")
    questions.answer_question(db, asked.id, "The last three iOS and Android versions")
    palette = open_palette(window, qtbot, "phones offline")
    palette.search_now()
    assert [e.kind for e in palette.entries()][:1] == ["Question"]
    press_enter(palette, qtbot)
    screen = window.stack.currentWidget()
    assert isinstance(screen, QuestionsScreen)
    assert window.ctx.product is not None and window.ctx.product.key == "APP"
    selected = screen.selected_question()
    assert selected is not None and selected.id == asked.id


def test_ctrl_k_goes_to_a_screen_and_runs_an_action(
    window: MainWindow, qtbot: QtBot, product: ProductInfo
) -> None:
    palette = open_palette(window, qtbot, "stakeh")
    assert palette.entries()[0].text == "Go to Stakeholders"
    press_enter(palette, qtbot)
    assert isinstance(window.stack.currentWidget(), StakeholdersScreen)

    palette = open_palette(window, qtbot, "prefer")
    (entry,) = palette.entries()
    assert (entry.kind, entry.text, entry.hint) == ("Action", "Preferences", "File · Ctrl+,")
    press_enter(palette, qtbot)
    assert isinstance(window.dialog, PreferencesDialog)
    window.dialog.reject()


def test_escape_closes_the_palette_and_nothing_runs(
    window: MainWindow, qtbot: QtBot, product: ProductInfo
) -> None:
    shown = window.stack.currentWidget()
    palette = open_palette(window, qtbot, "stakeh")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)
    assert not palette.isVisible()
    assert window.stack.currentWidget() is shown
