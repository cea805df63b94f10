"""The theme: check boxes in item views (checklists, the Ready tab's rules) can be seen on the
dark palette, as on the light one; a live switch recolours what style sheets paint."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem
from pytestqt.qtbot import QtBot

from kanban.ui.main_window import MainWindow
from kanban.ui.theme import apply_theme


def frame_contrast(qtbot: QtBot, stylesheet: str) -> int:
    """How much lighter than the base an unchecked item's check box is drawn, at its best."""
    view = QListWidget()
    qtbot.addWidget(view)
    view.setStyleSheet(stylesheet)
    item = QListWidgetItem("A customer can pay without an account")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    view.addItem(item)
    view.resize(320, 60)
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()
    rect = view.visualItemRect(item)
    base = view.palette().color(QPalette.ColorRole.Base).lightness()
    left = range(rect.left(), rect.left() + 20)  # the box, before the text
    return max(
        abs(QColor(image.pixel(x, y)).lightness() - base)
        for x in left
        for y in range(rect.top(), rect.bottom())
    )


@pytest.mark.parametrize("stylesheet", ["", "QListView::item { padding: 4px 2px; }"])
@pytest.mark.parametrize("dark", [False, True])
def test_an_item_views_check_boxes_can_be_seen(qtbot: QtBot, dark: bool, stylesheet: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        apply_theme(app, dark=dark)
        assert frame_contrast(qtbot, stylesheet) >= 60
    finally:
        apply_theme(app, dark=False)


def test_a_live_switch_recolours_what_a_style_sheet_paints(
    qtbot: QtBot, window: MainWindow
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    nav = window.nav  # its style sheet names palette colours
    corner = QPoint(nav.width() - 3, nav.height() - 3)  # below the last entry
    try:
        apply_theme(app, dark=False)
        assert QColor(nav.grab().toImage().pixel(corner)).lightness() > 200
        apply_theme(app, dark=True)  # as Preferences > Theme, or the system's scheme, does
        assert QColor(nav.grab().toImage().pixel(corner)).lightness() < 60
    finally:
        apply_theme(app, dark=False)
