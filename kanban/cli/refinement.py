"""Refinement from a terminal: `kanban show`, `kanban comment`, `kanban link`, `kanban criteria`,
`kanban scale`.

``kanban show KEY --json`` prints one JSON object, a stable contract::

    {
      "key": "WEB-13", "product": "WEB", "title": "...", "kind": "story",
      "column": "In Progress", "points": 5.0 | null, "sprint": "Sprint 4" | null,
      "assignee": "Ana Silva" | null, "labels": ["backend"], "description": "...",
      "checklist": [{"number": 1, "text": "...", "done": true,
                     "done_at": "2026-05-01T09:30:00+00:00" | null}],
      "comments": [{"id": 3, "by": "Ana Silva", "at": "2026-05-01T09:30:00+00:00",
                    "text": "...", "edited_at": "..." | null}],
      "links": [{"type": "blocks" | "blocked_by" | "relates_to" | "duplicates"
                         | "duplicated_by",
                 "key": "WEB-36", "title": "...", "done": false}],
      "resources": [{"title": "...", "target": "https://..."}],
      "open_questions": [{"id": 2, "text": "...", "asked_by": "..." | null,
                          "urgency": "high"}],
      "ready": false,
      "not_ready_because": ["It has 1 open question."],
      "done_definition_met": false,
      "not_done_because": ["2 of 4 acceptance criteria are not checked off."]
    }

Times are ISO 8601 in UTC; ``links[].type`` is the link as this item sees it (``A blocks B``
is ``blocked_by`` from B); ``ready`` is the verdict against the product's Definition of Ready,
with one plain sentence per reason. Deleted comments are left out. New keys may be added;
existing ones keep their meaning.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kanban.cli.common import EXIT_OK, AddCommand, JsonObject, database, echo, echo_json, iso
from kanban.domain import Category, Definition, LinkRole, is_started, plural

if TYPE_CHECKING:
    from kanban.services.records import Card, ItemDetail, Refinement
    from kanban.storage.database import Database

ROLES = ("blocks", "blocked-by", "relates-to", "duplicates", "duplicated-by")


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    show = add("show", _show, "show an item: fields, criteria, links, comments, readiness")
    show.add_argument("key", metavar="KEY", help="item key, such as WEB-42")
    show.add_argument("--json", action="store_true", help="print one JSON object")

    comment = add("comment", _comment, "comment on an item (Markdown)")
    comment.add_argument("key", metavar="KEY", help="item key, such as WEB-42")
    comment.add_argument("text")
    comment.add_argument(
        "--by", metavar="NAME", help="who comments (default: $KANBAN_USER, else your login name)"
    )

    link = add("link", _link, "link an item to another (or remove the link)")
    link.add_argument("key", metavar="KEY", help="item key, such as WEB-42")
    link.add_argument("role", choices=ROLES, metavar="|".join(ROLES))
    link.add_argument("other", metavar="OTHER_KEY", help="the other item's key")
    link.add_argument("--remove", action="store_true", help="remove the link instead")

    criteria = add("criteria", _criteria, "list, add or check off an item's acceptance criteria")
    criteria.add_argument("key", metavar="KEY", help="item key, such as WEB-42")
    what = criteria.add_mutually_exclusive_group()
    what.add_argument(
        "--add", metavar="TEXT", help="add a criterion (a Markdown list adds several)"
    )
    what.add_argument("--done", metavar="N", type=int, help="check criterion N off")
    what.add_argument("--undone", metavar="N", type=int, help="uncheck criterion N")

    scale = add("scale", _scale, "show or set a product's points scale (Fibonacci by default)")
    scale.add_argument("product", metavar="PRODUCT", help="product key or name")
    scale.add_argument(
        "values", metavar="VALUES", nargs="?", help='the new scale, such as "0, 1, 2, 3, 5, 8"'
    )
    scale.add_argument("--json", action="store_true", help="print one JSON object")


def _show(args: argparse.Namespace) -> int:
    from kanban.services.items import get_card, get_item
    from kanban.services.refinement import get_refinement
    from kanban.services.sprints import list_sprints

    with database(args, must_exist=True) as db:
        detail = get_item(db, args.key)
        card = get_card(db, detail.id)
        refinement = get_refinement(db, detail.id)
        sprints = {s.id: s.name for s in list_sprints(db, detail.product_id)}
    sprint = sprints.get(detail.sprint_id) if detail.sprint_id is not None else None
    if args.json:
        echo_json(show_json(detail, card, refinement, sprint))
    else:
        echo(show_text(detail, card, refinement, sprint))
    return EXIT_OK


def show_json(
    detail: ItemDetail, card: Card, refinement: Refinement, sprint: str | None
) -> JsonObject:
    """The ``kanban show --json`` object (see the module docstring)."""
    return {
        "key": detail.key,
        "product": detail.key.rsplit("-", 1)[0],
        "title": detail.title,
        "kind": detail.kind,
        "column": detail.column_name,
        "points": detail.points,
        "sprint": sprint,
        "assignee": card.assignee,
        "labels": list(detail.labels),
        "description": detail.description,
        "checklist": [
            {"number": x.number, "text": x.text, "done": x.done, "done_at": iso(x.done_at)}
            for x in refinement.checklist
        ],
        "comments": [
            {
                "id": c.id,
                "by": c.author,
                "at": iso(c.at),
                "text": c.text,
                "edited_at": iso(c.edited_at),
            }
            for c in refinement.comments
        ],
        "links": [
            {"type": x.role, "key": x.other_key, "title": x.other_title, "done": x.other_done}
            for x in refinement.links
        ],
        "resources": [{"title": r.title, "target": r.target} for r in refinement.resources],
        "open_questions": [
            {"id": q.id, "text": q.text, "asked_by": q.asked_by, "urgency": q.urgency}
            for q in refinement.open_questions
        ],
        "ready": refinement.ready.met,
        "not_ready_because": list(refinement.ready.reasons),
        "done_definition_met": refinement.done.met,
        "not_done_because": list(refinement.done.reasons),
    }


def show_text(detail: ItemDetail, card: Card, refinement: Refinement, sprint: str | None) -> str:
    """An item as `kanban show` prints it for a reader."""
    facts = [detail.kind, detail.column_name]
    if detail.points is not None:
        facts.append(plural(int(detail.points), "point") if detail.points.is_integer()
                     else f"{detail.points:g} points")  # fmt: skip
    else:
        facts.append("not estimated")
    facts += [x for x in (sprint, card.assignee) if x]
    if detail.labels:
        facts.append(", ".join(detail.labels))
    ready = refinement.ready
    lines = [
        f"{detail.key}  {detail.title}",
        " · ".join(facts),
        "Ready" if ready.met else f"Not ready: {' '.join(ready.reasons)}",
    ]
    if detail.description.strip():
        lines += ["", detail.description.strip()]
    done = sum(x.done for x in refinement.checklist)
    lines += ["", f"Acceptance criteria ({done} of {len(refinement.checklist)} checked off):"]
    lines += [f"  {x.number}. [{'x' if x.done else ' '}] {x.text}" for x in refinement.checklist]
    if not refinement.checklist:
        lines.append("  (none yet)")
    if refinement.links:
        from kanban.services.links import ROLE_LABELS

        lines += ["", "Links:"]
        lines += [
            f"  {ROLE_LABELS[LinkRole(x.role)]} {x.other_key}  {x.other_title}"
            f"  ({'done' if x.other_done else 'not done'})"
            for x in refinement.links
        ]
    if refinement.resources:
        lines += ["", "Resources:"]
        lines += [f"  {r.title or r.target}  {r.target}" for r in refinement.resources]
    if refinement.open_questions:
        lines += ["", "Open questions:"]
        lines += [
            f"  #{q.id}  {' '.join(q.text.split())}" + (f"  ({q.asked_by})" if q.asked_by else "")
            for q in refinement.open_questions
        ]
    if refinement.comments:
        lines += ["", f"Comments ({len(refinement.comments)}):"]
        for c in refinement.comments:
            edited = " (edited)" if c.edited_at else ""
            lines.append(f"  {c.author}, {iso(c.at)}{edited}:")
            lines += [f"    {line}" for line in c.text.splitlines()]
    if not refinement.done.met:
        lines += ["", f"Not done yet: {' '.join(refinement.done.reasons)}"]
    return "\n".join(lines)


def move_warnings(db: Database, item_id: int, source: str, target: str) -> list[str]:
    """What `kanban move` warns of, from column category ``source`` into ``target``:
    unfinished blockers when the item starts, a Definition of Done not met when it enters
    done (the move records that override in the item's history)."""
    from kanban.services.items import get_card
    from kanban.services.readiness import check_items

    warnings = []
    if is_started(target) and not is_started(source):
        blocked_by = get_card(db, item_id).blocked_by
        if blocked_by:
            warnings.append(f"is blocked by {', '.join(blocked_by)}, not done yet")
    if target == Category.DONE and source != Category.DONE:
        verdict = check_items(db, [item_id], Definition.DONE)[item_id]
        if not verdict.met:
            warnings.append(
                "does not meet its Definition of Done (recorded in its history): "
                + " ".join(verdict.reasons)
            )
    return warnings


def _comment(args: argparse.Namespace) -> int:
    from kanban.services.comments import add_comment

    with database(args, must_exist=True) as db:
        comment = add_comment(db, args.key, args.text, by=args.by)
    echo(f"Comment #{comment.id} on {args.key.strip().upper()} by {comment.author}")
    return EXIT_OK


def _link(args: argparse.Namespace) -> int:
    from kanban.services.links import ROLE_LABELS, link_items, unlink_items

    with database(args, must_exist=True) as db:
        if args.remove:
            link = unlink_items(db, args.key, args.role, args.other)
        else:
            link = link_items(db, args.key, args.role, args.other)
    sentence = f"{args.key.strip().upper()} {ROLE_LABELS[LinkRole(link.role)]} {link.other_key}"
    echo(f"Removed: {sentence}" if args.remove else sentence)
    return EXIT_OK


def _criteria(args: argparse.Namespace) -> int:
    from kanban.services.checklists import add_criteria, check_criterion, get_checklist

    with database(args, must_exist=True) as db:
        if args.add is not None:
            add_criteria(db, args.key, args.add)
        elif args.done is not None:
            check_criterion(db, args.key, args.done, True)
        elif args.undone is not None:
            check_criterion(db, args.key, args.undone, False)
        lines = get_checklist(db, args.key)
    done = sum(x.done for x in lines)
    key = args.key.strip().upper()
    echo(f"{key}: {done} of {len(lines)} acceptance criteria checked off")
    for x in lines:
        echo(f"  {x.number}. [{'x' if x.done else ' '}] {x.text}")
    return EXIT_OK


def _scale(args: argparse.Namespace) -> int:
    from kanban.services.estimation import scale_summary, set_points_scale
    from kanban.services.products import get_product

    with database(args, must_exist=True) as db:
        product = get_product(db, args.product)
        if args.values is not None:
            set_points_scale(db, product.id, args.values)
        summary = scale_summary(db, product.id)
    if args.json:
        echo_json(
            {
                "product": product.key,
                "scale": list(summary.values),
                "off_scale": summary.off_scale,
                "unestimated": summary.unestimated,
            }
        )
        return EXIT_OK
    echo(f"{product.key} points scale: {', '.join(f'{v:g}' for v in summary.values)}")
    if summary.off_scale:
        echo(f"{plural(summary.off_scale, 'open item')} estimated off the scale")
    if summary.unestimated:
        echo(f"{plural(summary.unestimated, 'open item')} not estimated")
    return EXIT_OK


def scale_warning(db: Database, product_id: int, points: float | None) -> str | None:
    """What `kanban add` and `kanban edit` warn of when the points are off the product's
    scale (they are saved all the same: a scale guides an estimate, it refuses none)."""
    from kanban.services.estimation import get_points_scale, scale_text

    if points is None:
        return None
    values = get_points_scale(db, product_id)
    if points in values:
        return None
    shown = scale_text(values).replace(",", ", ")
    return f"is estimated at {points:g} points, which is not on the points scale ({shown})"
