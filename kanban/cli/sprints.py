"""`kanban sprints`: a product's sprints with their items and points.

``kanban sprints PRODUCT --json`` prints a JSON list, oldest sprint first, a stable contract;
each object is::

    {
      "id": 4,
      "name": "Sprint 4",
      "state": "planned" | "active" | "closed",
      "goal": "...",
      "start": "2026-11-23" | null,          # ISO dates
      "end": "2026-12-06" | null,
      "items": 8,                            # live items in the sprint now
      "points": 29.0,
      "done_items": 2,                       # of them, in a column of the 'done' category
      "done_points": 5.0
    }

New keys may be added; existing ones keep their meaning.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kanban.cli.common import EXIT_OK, AddCommand, JsonObject, database, echo, echo_json, table
from kanban.cli.items import points_text
from kanban.domain import Category

if TYPE_CHECKING:
    from kanban.services.records import Board, SprintInfo


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    sprints = add("sprints", _sprints, "list a product's sprints, their items and points")
    sprints.add_argument("product", metavar="PRODUCT", help="product key or name")
    sprints.add_argument("--json", action="store_true", help="print JSON (a stable shape)")


def sprint_json(sprint: SprintInfo, board: Board) -> JsonObject:
    """One sprint in the stable `sprints --json` shape (see the module docstring)."""
    done = {c.id for c in board.columns if c.category == Category.DONE}
    cards = [c for c in board.cards if c.sprint_id == sprint.id]
    finished = [c for c in cards if c.column_id in done]
    return {
        "id": sprint.id,
        "name": sprint.name,
        "state": sprint.state,
        "goal": sprint.goal,
        "start": sprint.start_date.isoformat() if sprint.start_date else None,
        "end": sprint.end_date.isoformat() if sprint.end_date else None,
        "items": len(cards),
        "points": sum(c.points or 0.0 for c in cards),
        "done_items": len(finished),
        "done_points": sum(c.points or 0.0 for c in finished),
    }


def _sprints(args: argparse.Namespace) -> int:
    from kanban.services.items import load_board
    from kanban.services.sprints import list_sprints

    with database(args, must_exist=True) as db:
        board = load_board(db, args.product)
        sprints = list_sprints(db, board.product.id)
    shapes = [sprint_json(s, board) for s in sprints]
    if args.json:
        echo_json(shapes)
        return EXIT_OK
    if not shapes:
        echo(f"No sprints in {board.product.key} yet.")
        return EXIT_OK
    header = ("ID", "NAME", "STATE", "DATES", "DONE", "POINTS DONE", "GOAL")
    rows = [
        (
            str(s["id"]),
            s["name"],
            s["state"],
            f"{s['start'] or '?'} to {s['end'] or '?'}",
            f"{s['done_items']}/{s['items']}",
            f"{points_text(s['done_points'])}/{points_text(s['points'])}",
            " ".join(s["goal"].split()) or "-",
        )
        for s in shapes
    ]
    echo(table(header, rows))
    return EXIT_OK
