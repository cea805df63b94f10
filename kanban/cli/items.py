"""Items from a terminal: `kanban add`, `move`, `items`, `edit`, `block`, `unblock`.

``kanban items PRODUCT --json`` prints a JSON list in backlog order (rank), a stable contract;
each object is::

    {
      "key": "WEB-3",
      "title": "...",
      "kind": "story" | "bug" | "task" | "spike" | "epic",
      "column": "In Progress",               # the column's name
      "category": "backlog" | "todo" | "doing" | "done",
      "points": 5.0 | null,
      "value": 80 | null,                    # business value
      "sprint": "Sprint 4" | null,
      "assignee": "Ana Silva" | null,
      "requested_by": "Maria Keller" | null, # a stakeholder
      "labels": ["api", "ux"],
      "blocked": "Waiting for ..." | null,   # the reason, while blocked
      "open_questions": 1,
      "in_column_since": "2026-05-01T09:30:00+00:00"
    }

New keys may be added; existing ones keep their meaning. Archived items are not listed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kanban.cli.common import (
    EXIT_OK,
    AddCommand,
    JsonObject,
    database,
    echo,
    echo_json,
    iso,
    new_member_hint,
    one_line,
    table,
)
from kanban.domain import ITEM_KINDS, SprintState, over_wip_limit, plural
from kanban.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from kanban.services.records import Board, Card, ColumnInfo
    from kanban.storage.database import Database

NONE = "none"
"""Typed for --sprint, --assignee or --points: no sprint, nobody, no estimate."""


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

    listing = add("items", _items, "list a product's items in backlog order")
    listing.add_argument("product", metavar="PRODUCT", help="product key or name")
    add_filters(listing)
    listing.add_argument("--json", action="store_true", help="print JSON (a stable shape)")

    edit = add("edit", _edit, "change an item's title, points, assignee, labels or kind")
    edit.add_argument("key", metavar="KEY", help="item key, such as WEB-42")
    edit.add_argument("--title", metavar="T")
    edit.add_argument(
        "--points",
        type=_points,
        default=argparse.SUPPRESS,  # absent unless typed: "--points none" clears them
        metavar="N",
        help=f"story points ('{NONE}': none)",
    )
    edit.add_argument(
        "--assignee",
        metavar="A",
        help=f"a team member's name or its start ('{NONE}': nobody)",
    )
    edit.add_argument(
        "--new-member", action="store_true", help="the assignee is new: add them to the team"
    )
    edit.add_argument(
        "--label",
        dest="labels",
        nargs="*",
        action="extend",
        metavar="L",
        help="the item's labels, replacing its own (--label alone: no labels)",
    )
    edit.add_argument("--kind", choices=ITEM_KINDS)

    block = add("block", _block, "mark an item blocked, with the reason")
    block.add_argument("key", metavar="KEY", help="item key, such as WEB-42")
    block.add_argument("reason", help="what it waits for")
    unblock = add("unblock", _unblock, "clear an item's blocked mark")
    unblock.add_argument("key", metavar="KEY", help="item key, such as WEB-42")


def add_filters(parser: argparse.ArgumentParser) -> None:
    """The options that choose items: by column, sprint, label, assignee."""
    parser.add_argument("--column", metavar="C", help="only this column")
    parser.add_argument(
        "--sprint",
        metavar="S",
        help=f"only this sprint, by name or id ('active': the running one; '{NONE}')",
    )
    parser.add_argument("--label", metavar="L", help="only items with this label")
    parser.add_argument(
        "--assignee", metavar="A", help=f"only this team member's (or its start; '{NONE}')"
    )


def _points(text: str) -> float | None:
    if text.strip().lower() in (NONE, ""):
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


# --- adding and moving -------------------------------------------------------------------------


def _add(args: argparse.Namespace) -> int:
    from kanban.cli.refinement import scale_warning
    from kanban.services.items import add_item

    with database(args) as db:
        card = add_item(
            db, args.product, args.title, kind=args.kind, points=args.points, column=args.column
        )
        warning = scale_warning(db, card.product_id, card.points)
    echo(card.key)
    if warning:
        echo(f"kanban: warning: {card.key} {warning}", err=True)
    return EXIT_OK


def _move(args: argparse.Namespace) -> int:
    from kanban.cli.refinement import move_warnings
    from kanban.services.items import get_item, load_board, move_item
    from kanban.services.products import list_columns

    with database(args, must_exist=True) as db:
        item = get_item(db, args.key)
        columns = list_columns(db, item.product_id)
        target = column_named(columns, args.column)
        source = next(c for c in columns if c.id == item.column_id)
        warnings = move_warnings(db, item.id, source.category, target.category)
        move_item(db, item.id, column_id=target.id)
        for warning in warnings:
            echo(f"kanban: warning: {item.key} {warning}", err=True)
        if target.wip_limit is not None:
            count = sum(
                1 for c in load_board(db, item.product_id).cards if c.column_id == target.id
            )
            if over_wip_limit(count, target.wip_limit):
                echo(
                    f"kanban: warning: {one_line(target.name)} now holds {plural(count, 'item')}, "
                    f"over its WIP limit of {target.wip_limit}",
                    err=True,
                )
    if target.id == item.column_id:
        echo(f"{item.key}: already in {one_line(target.name)}; moved to the bottom")
    else:
        echo(f"{item.key}: {one_line(item.column_name)} → {one_line(target.name)}")
    return EXIT_OK


def column_named(columns: Sequence[ColumnInfo], name: str) -> ColumnInfo:
    """The column of that name (any case), else NotFoundError listing the columns."""
    wanted = name.strip().casefold()
    found = next((c for c in columns if c.name.casefold() == wanted), None)
    if found is None:
        names = ", ".join(c.name for c in columns)
        raise NotFoundError(f"No column {name!r}; the columns are: {names}")
    return found


# --- listing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """A product's board with the items the filters chose, and the names a row shows."""

    board: Board
    cards: list[Card]
    sprint_names: dict[int, str]

    def column(self, card: Card) -> ColumnInfo:
        return next(c for c in self.board.columns if c.id == card.column_id)


def read_listing(db: Database, args: argparse.Namespace) -> Listing:
    """Read a product's board and keep the cards ``--column/--sprint/--label/--assignee``
    choose; each unknown name is refused with the names there are."""
    from kanban.services.items import load_board
    from kanban.services.people import resolve_member
    from kanban.services.sprints import list_sprints

    board = load_board(db, args.product)
    sprints = list_sprints(db, board.product.id)
    cards = list(board.cards)
    if args.column is not None:
        column = column_named(board.columns, args.column)
        cards = [c for c in cards if c.column_id == column.id]
    if args.sprint is not None:
        sprint_id = _sprint_id(sprints, args.sprint)
        cards = [c for c in cards if c.sprint_id == sprint_id]
    if args.label is not None:
        wanted = args.label.strip().casefold()
        known = sorted({label for c in board.cards for label in c.labels}, key=str.casefold)
        if wanted not in {label.casefold() for label in known}:
            labels = ", ".join(known) if known else "none yet"
            raise NotFoundError(f"No label {args.label!r}; the labels are: {labels}")
        cards = [c for c in cards if wanted in {label.casefold() for label in c.labels}]
    if args.assignee is not None:
        if args.assignee.strip().lower() == NONE:
            name = None
        else:
            with new_member_hint():
                name = resolve_member(db, args.assignee).name
        cards = [c for c in cards if c.assignee == name]
    return Listing(board, cards, {s.id: s.name for s in sprints})


def _sprint_id(sprints: Sequence[Any], name: str) -> int | None:
    wanted = name.strip().casefold()
    for sprint in sprints:
        if sprint.name.casefold() == wanted:
            return int(sprint.id)
    if wanted.isdigit() and any(s.id == int(wanted) for s in sprints):
        return int(wanted)
    if wanted == "active":
        active = [s for s in sprints if s.state == SprintState.ACTIVE]
        if not active:
            raise NotFoundError("No sprint is running")
        return int(active[0].id)
    if wanted == NONE:
        return None
    names = ", ".join(s.name for s in sprints) if sprints else "none yet"
    raise NotFoundError(f"No sprint {name!r}; the sprints are: {names}")


def points_text(points: float | None) -> str:
    """Story points without a needless '.0' ("-" for none)."""
    return "-" if points is None else f"{points:g}"


def item_json(listing: Listing, card: Card) -> JsonObject:
    """One item in the stable `items --json` shape (see the module docstring)."""
    column = listing.column(card)
    return {
        "key": card.key,
        "title": card.title,
        "kind": card.kind,
        "column": column.name,
        "category": column.category,
        "points": card.points,
        "value": card.business_value,
        "sprint": listing.sprint_names.get(card.sprint_id) if card.sprint_id else None,
        "assignee": card.assignee,
        "requested_by": card.requested_by,
        "labels": list(card.labels),
        "blocked": card.blocked_reason,
        "open_questions": card.open_questions,
        "in_column_since": iso(card.column_since),
    }


def _items(args: argparse.Namespace) -> int:
    with database(args, must_exist=True) as db:
        listing = read_listing(db, args)
    if args.json:
        echo_json([item_json(listing, card) for card in listing.cards])
        return EXIT_OK
    if not listing.cards:
        echo(f"No items in {listing.board.product.key} match.")
        return EXIT_OK
    header = ("KEY", "KIND", "COLUMN", "POINTS", "ASSIGNEE", "SPRINT", "LABELS", "TITLE")
    rows = [
        (
            card.key,
            card.kind,
            listing.column(card).name,
            points_text(card.points),
            card.assignee or "-",
            listing.sprint_names.get(card.sprint_id, "-") if card.sprint_id else "-",
            ", ".join(card.labels) or "-",
            one_line(card.title) + (f"  [blocked: {one_line(card.blocked_reason)}]"
                                    if card.blocked_reason else ""),
        )
        for card in listing.cards
    ]  # fmt: skip
    echo(table(header, rows))
    return EXIT_OK


# --- editing -----------------------------------------------------------------------------------


def _edit(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.title is not None:
        changes["title"] = args.title
    if args.kind is not None:
        changes["kind"] = args.kind
    if "points" in args:
        changes["points"] = args.points
    if args.labels is not None:
        changes["labels"] = args.labels
    if not changes and args.assignee is None:
        raise ValidationError(
            "Nothing to change: give --title, --points, --assignee, --label or --kind"
        )
    from kanban.services.items import edit_items, get_item
    from kanban.services.people import resolve_member

    with database(args, must_exist=True) as db:
        item = get_item(db, args.key)
        if args.assignee is not None:
            if args.assignee.strip().lower() == NONE:
                changes["assignee_id"] = None
            else:
                with new_member_hint():
                    member = resolve_member(db, args.assignee, new_member=args.new_member)
                changes["assignee_id"] = member.id
        change = edit_items(db, [item.id], [item.version], **changes)
        (before,), (after,), (card,) = change.previous, change.details, change.cards
        warning = None
        if before.points != after.points:
            from kanban.cli.refinement import scale_warning

            warning = scale_warning(db, card.product_id, after.points)
    said = _changes_said(before, after, card)
    echo(f"{card.key}: {', '.join(said)}" if said else f"{card.key}: nothing changed")
    if warning:
        echo(f"kanban: warning: {card.key} {warning}", err=True)
    return EXIT_OK


def _changes_said(before: Any, after: Any, card: Card) -> list[str]:
    said = []
    if before.title != after.title:
        said.append(f"title {one_line(after.title)!r}")
    if before.kind != after.kind:
        said.append(f"kind {before.kind} → {after.kind}")
    if before.points != after.points:
        said.append(f"points {points_text(before.points)} → {points_text(after.points)}")
    if before.assignee_id != after.assignee_id:
        said.append(f"assignee {one_line(card.assignee) if card.assignee else 'nobody'}")
    if before.labels != after.labels:
        said.append(f"labels {one_line(', '.join(after.labels)) if after.labels else 'none'}")
    return said


def _block(args: argparse.Namespace) -> int:
    from kanban.services.items import edit_items, get_item

    reason = args.reason.strip()
    if not reason:
        raise ValidationError("A reason is required: what does the item wait for?")
    with database(args, must_exist=True) as db:
        item = get_item(db, args.key)
        edit_items(db, [item.id], [item.version], blocked_reason=reason)
    echo(f"{item.key}: blocked ({one_line(reason)})")
    return EXIT_OK


def _unblock(args: argparse.Namespace) -> int:
    from kanban.services.items import edit_items, get_item

    with database(args, must_exist=True) as db:
        item = get_item(db, args.key)
        if not item.blocked_reason:
            echo(f"{item.key}: was not blocked")
            return EXIT_OK
        edit_items(db, [item.id], [item.version], blocked_reason=None)
    echo(f"{item.key}: unblocked (was: {one_line(item.blocked_reason)})")
    return EXIT_OK
