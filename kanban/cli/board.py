"""`kanban board`: a product's board in the terminal, its columns side by side."""

from __future__ import annotations

import argparse
import shutil
from typing import TYPE_CHECKING

from kanban.cli.common import EXIT_OK, AddCommand, database, echo, fit, one_line, width_of
from kanban.cli.items import add_filters, points_text, read_listing
from kanban.domain import over_wip_limit

if TYPE_CHECKING:
    from kanban.cli.items import Listing

GAP = "  "
MIN_COLUMN = 16
BLOCKED = "!"


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    board = add("board", _board, "show a product's board: its columns side by side, WIP shown")
    board.add_argument("product", metavar="PRODUCT", help="product key or name")
    add_filters(board)
    board.add_argument(
        "--width", type=int, metavar="N", help="characters per line (default: the terminal's)"
    )


def _board(args: argparse.Namespace) -> int:
    with database(args, must_exist=True) as db:
        listing = read_listing(db, args)
    width = args.width or shutil.get_terminal_size((120, 24)).columns
    echo(render_board(listing, width))
    return EXIT_OK


def render_board(listing: Listing, width: int) -> str:
    """The board as lines of text at most ``width`` characters wide (wider only when even
    the narrowest columns do not fit): a header per column with its count (``count/limit``
    when it has a WIP limit, ``OVER`` past it), a rule, then one line per card in rank order:
    its key, ``!`` when blocked, points, and the title cut to fit."""
    columns = listing.board.columns
    if not columns:
        return f"{listing.board.product.key} has no columns."
    each = max(MIN_COLUMN, (width - len(GAP) * (len(columns) - 1)) // len(columns))
    every = {c.id: 0 for c in columns}
    for card in listing.board.cards:  # WIP counts every card, whatever the filters show
        every[card.column_id] += 1
    stacks: list[list[str]] = []
    for column in columns:
        count = every[column.id]
        if column.wip_limit is None:
            heading = f"{one_line(column.name)} {count}"
        else:
            over = " OVER" if over_wip_limit(count, column.wip_limit) else ""
            heading = f"{one_line(column.name)} {count}/{column.wip_limit}{over}"
        lines = [fit(heading, each), "─" * each]
        for card in listing.cards:
            if card.column_id == column.id:
                mark = BLOCKED if card.blocked_reason else ""
                points = f" {points_text(card.points)}" if card.points is not None else ""
                lines.append(fit(f"{card.key}{mark}{points} {one_line(card.title)}", each))
        stacks.append(lines)
    height = max(len(lines) for lines in stacks)
    rows = [
        GAP.join(_pad(lines[row] if row < len(lines) else "", each) for lines in stacks).rstrip()
        for row in range(height)
    ]
    shown = len(listing.cards)
    total = len(listing.board.cards)
    legend = f"{BLOCKED} blocked; numbers after a key are story points"
    if shown != total:
        legend += f"; {shown} of {total} cards shown (the counts cover them all)"
    return "\n".join([*rows, "", legend])


def _pad(text: str, width: int) -> str:
    return text + " " * (width - width_of(text))
