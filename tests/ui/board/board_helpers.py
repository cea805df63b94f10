"""Helpers for the board tests: find columns, read the database, deliver drops."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent

from kanban.services import Database, items
from kanban.services.records import ProductInfo
from kanban.ui.board.screen import BoardScreen
from kanban.ui.board.view import CardListView, ColumnWidget


def column(board: BoardScreen, name: str) -> ColumnWidget:
    """The column widget of the board named ``name``."""
    return next(w for w in board.column_widgets.values() if w.column.name == name)


def view_titles(board: BoardScreen, name: str) -> list[str]:
    """The titles a column's view shows, top to bottom."""
    return [card.title for card in column(board, name).model.cards]


def db_titles(db: Database, product: ProductInfo) -> dict[str, list[str]]:
    """Each column's live titles in rank order, as the database has them."""
    board = items.load_board(db, product.id)
    names = {c.id: c.name for c in board.columns}
    result: dict[str, list[str]] = {c.name: [] for c in board.columns}
    for card in board.cards:
        result[names[card.column_id]].append(card.title)
    return result


def transitions(db_path: Path, item_id: int) -> list[tuple[int | None, int]]:
    """The (from column, to column) rows written for an item, oldest first."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT from_column_id, to_column_id FROM transitions WHERE item_id = ? ORDER BY id",
            (item_id,),
        ).fetchall()


def row_point(view: CardListView, row: int, where: str = "above") -> QPoint:
    """A point in a view's viewport: just inside the top (``above``) or bottom (``below``)
    edge of a row, where Qt places a drop above or below that card."""
    rect = view.visualRect(view.model().index(row, 0))
    y = rect.top() + 3 if where == "above" else rect.bottom() - 3
    return QPoint(rect.center().x(), y)


def below_last_card(view: CardListView) -> QPoint:
    """A point in the empty part of a view, under its last card."""
    count = view.model().rowCount()
    bottom = view.visualRect(view.model().index(count - 1, 0)).bottom() if count else 0
    point = QPoint(view.viewport().width() // 2, bottom + 20)
    assert view.viewport().rect().contains(point), "the view has no room below its cards"
    return point


def drop(view: CardListView, point: QPoint, mime: QMimeData) -> bool:
    """Deliver a drop to a view's viewport, as Qt does at the end of a drag; True if taken."""
    event = QDropEvent(
        QPointF(point),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # WORKAROUND: QApplication::notify delivers no Drop event without a drag in progress,
    # so hand it to the view's handler directly: the code Qt runs at the end of a real drag.
    view.dropEvent(event)
    return event.isAccepted()
