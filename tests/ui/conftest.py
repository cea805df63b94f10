"""Shared UI fixtures: a main window on a real database file, shown offscreen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.records import ProductInfo
from kanban.ui.app import create_window
from kanban.ui.context import AppContext
from kanban.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, db: Database, product: ProductInfo) -> MainWindow:
    """The main window on ``db``, showing the product WEB (from the ``product`` fixture)."""
    main = create_window(db)
    qtbot.addWidget(main)
    main.select_product(product)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def ctx(window: MainWindow) -> AppContext:
    """The window's context (database, events, undo stack)."""
    return window.ctx
