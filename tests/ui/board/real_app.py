"""Run the real app window on a database and report where things are on the screen.

Used by the real-mouse test: ``python real_app.py DB REPORT``. It starts the app as
``kanban.ui.app.run`` does (same QApplication set-up, same ``create_window``), shows the Board,
and once it is painted writes a JSON report of global screen coordinates: the centre of
each card, by title, and a point below the last card of each column, by column name.
"""

from __future__ import annotations

import json
import os
import sys

from PySide6.QtCore import QPoint, QTimer

from kanban.services import open_database
from kanban.ui.app import application, create_window
from kanban.ui.board.lanes import LaneField
from kanban.ui.board.screen import BoardScreen
from kanban.ui.board.view import CardListView


def main(db_path: str, report_path: str, lanes: str = "") -> int:
    """Show the window (with ``lanes``, e.g. ``assignee``: in those swimlanes) and write the
    report; runs until the window closes."""
    app = application()
    db = open_database(db_path)
    window = create_window(db)
    window.resize(1280, 800)
    window.move(0, 0)
    window.show()
    board = window.show_screen(BoardScreen)
    if lanes:
        board.set_lanes(LaneField(lanes))

    def report() -> None:
        cards: dict[str, list[int]] = {}
        bottoms: dict[str, list[int]] = {}
        for widget in board.column_widgets.values():
            view = widget.view
            model = widget.model
            for row, card in enumerate(model.cards):
                center = view.viewport().mapToGlobal(view.visualRect(model.index(row)).center())
                cards[card.title] = [center.x(), center.y()]
            last = view.visualRect(model.index(model.rowCount() - 1)).bottom() if model.cards else 0
            below = view.viewport().mapToGlobal(QPoint(view.viewport().width() // 2, last + 40))
            bottoms[widget.column.name] = [below.x(), below.y()]
        cells: dict[str, list[int]] = {}  # "lane title|column name": the cell's middle
        for row in board.lane_board.rows.values():
            for column_id, cell in row.cells.items():
                for number, card in enumerate(cell.column_model().cards):
                    middle = cell.visualRect(cell.column_model().index(number)).center()
                    cards[card.title] = [*_global(cell, middle)]
                name = next(c.name for c in board.columns if c.id == column_id)
                cells[f"{row.lane.title}|{name}"] = [
                    *_global(cell, cell.viewport().rect().center())
                ]
        with open(report_path + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(
                {"cards": cards, "below_last": bottoms, "cells": cells, "pid": os.getpid()}, handle
            )
        os.replace(report_path + ".tmp", report_path)

    QTimer.singleShot(800, report)
    code = app.exec()
    db.close()
    return code


def _global(view: CardListView, point: QPoint) -> tuple[int, int]:
    where = view.viewport().mapToGlobal(point)
    return where.x(), where.y()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
