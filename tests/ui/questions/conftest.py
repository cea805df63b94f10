"""Fixtures for the Questions UI: the main window showing the Questions screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kanban.services import Database, items
from kanban.services.records import Card, ProductInfo
from kanban.ui.main_window import MainWindow
from kanban.ui.questions.screen import QuestionsScreen


@pytest.fixture
def card(db: Database, product: ProductInfo) -> Card:
    """An item WEB-1 to ask about."""
    return items.add_item(db, product.id, "Guest checkout")


@pytest.fixture
def screen(window: MainWindow) -> Iterator[QuestionsScreen]:
    """The Questions screen, in front."""
    page = window.show_screen(QuestionsScreen)
    assert isinstance(page, QuestionsScreen)
    yield page
    window.ctx.undo_stack.clear()
