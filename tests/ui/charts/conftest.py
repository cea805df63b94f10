"""The Charts screen on the sample products (tests/ui/sample_fixtures.py: built once, copied
per test)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.ui.app import create_window
from kanban.ui.charts.screen import ChartsScreen
from kanban.ui.main_window import MainWindow


@pytest.fixture
def charts_window(qtbot: QtBot, sample_db: Database) -> MainWindow:
    """The main window on the sample, showing WEB."""
    window = create_window(sample_db)
    qtbot.addWidget(window)
    web = next(
        window.product_combo.itemData(i)
        for i in range(window.product_combo.count())
        if window.product_combo.itemData(i).key == "WEB"
    )
    window.select_product(web)
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def charts(charts_window: MainWindow) -> ChartsScreen:
    """The Charts screen, shown."""
    screen = charts_window.show_screen(ChartsScreen)
    assert isinstance(screen, ChartsScreen)
    return screen
