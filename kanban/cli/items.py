"""Items from a terminal: `kanban add`, `kanban move`."""

from __future__ import annotations

import argparse

from kanban.cli.common import EXIT_OK, AddCommand, database, echo, one_line
from kanban.domain import ITEM_KINDS, over_wip_limit
from kanban.errors import NotFoundError


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    new = add("add", _add, "add an item to a product's backlog; prints its key")
    new.add_argument("product", metavar="PRODUCT", help="product key or name")
    new.add_argument("title")
    new.add_argument("--kind", choices=ITEM_KINDS, default="story")
    new.add_argument("--points", type=float, help="story points")
    new.add_argument("--column", metavar="NAME", help="start in this column (default: the first)")

    move = add("move", _move, "move an item to the bottom of a column")
    move.add_argument("key", metavar="KEY", help="item key, such as WEB-42")
    move.add_argument("column", metavar="COLUMN", help="column name, such as 'In Progress'")


def _add(args: argparse.Namespace) -> int:
    from kanban.services.items import add_item

    with database(args) as db:
        card = add_item(
            db, args.product, args.title, kind=args.kind, points=args.points, column=args.column
        )
    echo(card.key)
    return EXIT_OK


def _move(args: argparse.Namespace) -> int:
    from kanban.services.items import get_item, load_board, move_item
    from kanban.services.products import list_columns

    with database(args, must_exist=True) as db:
        item = get_item(db, args.key)
        columns = list_columns(db, item.product_id)
        wanted = args.column.strip().lower()
        target = next((c for c in columns if c.name.lower() == wanted), None)
        if target is None:
            names = ", ".join(c.name for c in columns)
            raise NotFoundError(f"No column {args.column!r}; the columns are: {names}")
        move_item(db, item.id, column_id=target.id)
        if target.wip_limit is not None:
            count = sum(
                1 for c in load_board(db, item.product_id).cards if c.column_id == target.id
            )
            if over_wip_limit(count, target.wip_limit):
                echo(
                    f"kanban: warning: {one_line(target.name)} now holds {count} items, "
                    f"over its WIP limit of {target.wip_limit}",
                    err=True,
                )
    if target.id == item.column_id:
        echo(f"{item.key}: already in {one_line(target.name)}; moved to the bottom")
    else:
        echo(f"{item.key}: {one_line(item.column_name)} → {one_line(target.name)}")
    return EXIT_OK
