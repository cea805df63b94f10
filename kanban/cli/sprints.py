"""`kanban sprints`: a product's sprints with their items and points; `kanban sprint start|close`
run one.

``kanban sprint start PRODUCT [NAME]`` starts NAME (default: the next planned sprint) on its
planned dates, or from today for its planned length when it starts early (``--from``/``--to``
choose; dates that overlap another sprint need ``--overlap``); its items still in the backlog
move to the first to-do column, and the command says which. ``kanban sprint close PRODUCT
[NAME]`` closes the running sprint; when items are unfinished it needs ``--carry-to NAME``
(a planned sprint takes them) or ``--carry-to backlog``. ``kanban sprint review PRODUCT
[NAME]`` writes a closed sprint's review pack (default: the sprint closed last) as Markdown
(stdout without ``-o``), HTML or PDF (``--format``), or ``--json`` (the shape is in the
README, "The sprint review pack").

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
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kanban.cli.common import (
    EXIT_OK,
    AddCommand,
    JsonObject,
    database,
    echo,
    echo_document,
    echo_json,
    table,
)
from kanban.cli.forecast import day
from kanban.cli.items import points_text
from kanban.domain import Category, SprintState, plural
from kanban.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from kanban.reports.review import ReviewItem, SprintReview
    from kanban.services.records import Board, SprintInfo, SprintStep
    from kanban.storage.database import Database

BACKLOG = "backlog"
SPRINT_ACTIONS = ("start", "close", "review")
REVIEW_FORMATS = ("md", "html", "pdf")


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    sprints = add("sprints", _sprints, "list a product's sprints, their items and points")
    sprints.add_argument("product", metavar="PRODUCT", help="product key or name")
    sprints.add_argument("--json", action="store_true", help="print JSON (a stable shape)")

    sprint = add(
        "sprint",
        _sprint,
        "start or close a sprint (start: its items leave the backlog; close: say where the "
        "unfinished work goes), or write a closed sprint's review",
    )
    sprint.add_argument("action", choices=SPRINT_ACTIONS, help="what to do")
    sprint.add_argument("product", metavar="PRODUCT", help="product key or name")
    sprint.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="the sprint (start: the next planned one; close: the running one; review: the "
        "last closed one)",
    )
    sprint.add_argument("--from", dest="start", type=day, metavar="DATE", help="start: first day")
    sprint.add_argument("--to", dest="end", type=day, metavar="DATE", help="start: last day")
    sprint.add_argument(
        "--overlap", action="store_true", help="start: go on though the dates overlap a sprint"
    )
    sprint.add_argument(
        "--carry-to",
        metavar="NAME|backlog",
        help="close: the planned sprint that takes the unfinished items, or 'backlog'",
    )
    sprint.add_argument(
        "--goal-met", choices=("yes", "no"), help="close: whether the sprint goal was met"
    )
    sprint.add_argument(
        "--format", choices=REVIEW_FORMATS, default=None, help="review: the format (default md)"
    )
    sprint.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="review: the file (default: stdout)"
    )
    sprint.add_argument(
        "--json", action="store_true", help="review: print it as JSON (a stable shape)"
    )


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


def _sprint(args: argparse.Namespace) -> int:
    from kanban.services import sprints

    if args.action == "review":
        return _review(args)
    with database(args, must_exist=True) as db:
        listed = sprints.list_sprints(db, args.product)
        if args.action == "start":
            chosen = _chosen(db, args, listed, SprintState.PLANNED, "planned")
            step = sprints.start_sprint(
                db, chosen.id, args.start, args.end, allow_overlap=args.overlap
            )
            echo(_started(step, db))
        else:
            chosen = _chosen(db, args, listed, SprintState.ACTIVE, "running")
            carry_to = _carry_to(db, args, chosen)
            goal = None if args.goal_met is None else args.goal_met == "yes"
            echo(_closed(sprints.close_sprint(db, chosen.id, carry_to, goal_met=goal)))
    return EXIT_OK


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _figure(items: Sequence[ReviewItem]) -> JsonObject:
    return {"items": len(items), "points": sum(i.points or 0.0 for i in items)}


def review_json(review: SprintReview) -> JsonObject:
    """A sprint review in the stable `sprint review --json` shape (see the README)."""
    s = review.sprint
    committed = {i.key for i in review.committed}
    outcome = {i.key: "done" for i in review.done}
    outcome |= {i.key: "carried" for i in review.carried}
    outcome |= {i.key: "removed" for i in review.removed}
    seen: dict[str, ReviewItem] = {}
    for item in (*review.committed, *review.added, *review.done, *review.carried, *review.removed):
        seen.setdefault(item.key, item)
    found = {i.key: i for group in (review.done, review.carried, review.removed) for i in group}
    joined = {i.key: i.joined for i in review.added}
    rows = []
    for key, item in seen.items():
        final = found.get(key, item)
        rows.append(
            {
                "key": key,
                "title": item.title,
                "kind": item.kind,
                "points": item.points,
                "committed": key in committed,
                "added": _day(joined.get(key)),
                "outcome": outcome.get(key, "not_done"),
                "done": _day(final.done),
                "removed": _day(final.left),
                "carried_to": final.carried_to if outcome.get(key) == "carried" else None,
                "column": final.column,
            }
        )
    return {
        "product": review.product_key,
        "sprint": {
            "id": s.id,
            "name": s.name,
            "goal": s.goal,
            "goal_met": s.goal_met,
            "start": _day(s.start_date),
            "end": _day(s.end_date),
            "closed": _day(review.closed_on),
        },
        "recorded": review.recorded,
        "committed": _figure(review.committed),
        "added": _figure(review.added),
        "removed": _figure(review.removed),
        "done": _figure(review.done),
        "committed_done": _figure(review.committed_done),
        "carried": _figure(review.carried),
        "items": rows,
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "item": q.item_key,
                "answer": q.answer,
                "answered_by": q.answered_by,
                "answered": _day(q.answered_on),
            }
            for q in review.questions
        ],
        "burndown": [
            {
                "day": d.day.isoformat(),
                "scope_points": d.scope_points,
                "done_points": d.done_points,
                "remaining_points": d.remaining_points,
                "remaining_items": d.remaining_items,
                "ideal_points": round(d.ideal_points, 2),
            }
            for d in review.burn.days
        ],
    }


def _review(args: argparse.Namespace) -> int:
    if args.json:
        if args.output is not None or args.format is not None:
            raise ValidationError("--json prints the review: it takes no --format or -o")
        from kanban.reports.review import build_review

        with database(args, must_exist=True) as db:
            echo_json(review_json(build_review(db, args.product, args.name)))
        return EXIT_OK
    fmt = args.format or "md"
    if fmt == "pdf" and args.output is None:
        raise ValidationError("a PDF review needs an output file: -o FILE")
    from kanban.reports.review_export import write_review  # may need Qt (PDF): on use

    with database(args, must_exist=True) as db:
        content = write_review(db, args.product, args.name, fmt, args.output)
    if args.output is None:
        echo_document(content)
    else:
        echo(f"Wrote {args.output}")
    return EXIT_OK


def _chosen(
    db: Database, args: argparse.Namespace, listed: list[SprintInfo], state: str, what: str
) -> SprintInfo:
    from kanban.services.sprints import find_sprint

    if args.name:
        return find_sprint(db, args.product, args.name)
    found = [s for s in listed if s.state == state]
    if not found:
        raise NotFoundError(f"No {what} sprint in {args.product}")
    return min(found, key=lambda s: (s.start_date or dt.date.max, s.id))


def _carry_to(db: Database, args: argparse.Namespace, sprint: SprintInfo) -> int | None:
    from kanban.services.items import load_board
    from kanban.services.sprints import carry_targets, find_sprint

    if args.carry_to is not None:
        if args.carry_to.strip().lower() == BACKLOG:
            return None
        return find_sprint(db, args.product, args.carry_to).id
    board = load_board(db, sprint.product_id)
    done = {c.id for c in board.columns if c.category == Category.DONE}
    unfinished = [c for c in board.cards if c.sprint_id == sprint.id and c.column_id not in done]
    if not unfinished:
        return None
    planned = ", ".join(s.name for s in carry_targets(db, sprint.id)) or "none planned"
    raise ValidationError(
        f"{sprint.name} has {plural(len(unfinished), 'unfinished item')}: say where they go "
        f"with --carry-to NAME (planned sprints: {planned}) or --carry-to backlog"
    )


def _started(step: SprintStep, db: Database) -> str:
    from kanban.services.products import list_columns

    sprint = step.sprint
    lines = [f"{sprint.name} started: {sprint.start_date} to {sprint.end_date} "
             f"({plural(sprint.days or 0, 'day')})"]  # fmt: skip
    if step.change.moves:
        names = {c.id: c.name for c in list_columns(db, sprint.product_id)}
        target = names[step.change.moves[0].to_column_id]
        keys = ", ".join(card.key for card in step.change.cards)
        lines.append(f"{plural(len(step.change.moves), 'item')} moved to {target}: {keys}")
    return "\n".join(lines)


def _closed(step: SprintStep) -> str:
    where = step.carried_to.name if step.carried_to is not None else "the backlog"
    line = f"{step.sprint.name} closed"
    if step.left:
        keys = ", ".join(card.key for card in step.change.cards)
        line += f"; {plural(step.left, 'unfinished item')} went to {where}: {keys}"
    return line
