"""Help > Keyboard shortcuts: every shortcut of the menus and of each screen, in one table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kanban.ui.palette import menu_actions, plain

if TYPE_CHECKING:
    from kanban.ui.main_window import MainWindow

NATIVE = QKeySequence.SequenceFormat.NativeText


def shortcut_rows(window: MainWindow) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every action with a shortcut: the menus' (in menu order),
    then each screen's (the screens are built for it; they read their data when shown)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None or menu is window.screen_menu:
            continue
        for where, action in menu_actions(menu, enabled_only=False):  # type: ignore[arg-type]
            keys = ", ".join(k.toString(NATIVE) for k in action.shortcuts())
            if keys and id(action) not in seen:
                seen.add(id(action))
                rows.append((where, plain(action.text()), keys))
    for screen in window.all_screens():
        for action in screen.menu_actions():
            keys = ", ".join(k.toString(NATIVE) for k in action.shortcuts())
            if keys:
                rows.append((screen.title, plain(action.text()), keys))
    return rows


class ShortcutsDialog(QDialog):
    """The table of shortcuts, read-only."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 560)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Where", "What", "Keys"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
