"""`kanban target`: a product's target date, set with a reason when it moves, and its history.

``kanban target PRODUCT --json`` (with or without a new date) prints one JSON object::

    {
      "product": "WEB",
      "target": "2027-03-01" | null,
      "sentence": "Target 1 March 2027; the 85% forecast moved from ... over 4 updates.",
      "history": [                      # oldest first
        {"date": "2026-11-02", "kind": "target" | "update",
         "target": "2027-03-01" | null,  # the target in effect after this row
         "p50": "2027-02-14" | null, "p85": "2027-02-28" | null,   # updates only
         "reason": "...",               # why the target moved (target rows)
         "update": 12 | null}           # the status update's id
      ]
    }

New keys may be added; existing ones keep their meaning.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kanban.cli.common import EXIT_OK, AddCommand, database, echo, echo_json, table
from kanban.cli.forecast import day

if TYPE_CHECKING:
    from kanban.metrics.history import DateHistory


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    target = add(
        "target",
        _target,
        "set a product's target date (a reason when it moves), or show the date's history",
    )
    target.add_argument("product", metavar="PRODUCT", help="product key or name")
    when = target.add_mutually_exclusive_group()
    when.add_argument("date", nargs="?", type=day, metavar="YYYY-MM-DD", help="the new target")
    when.add_argument("--clear", action="store_true", help="remove the target date")
    target.add_argument("--reason", default="", help="why the target moves (needed once set)")
    target.add_argument("--json", action="store_true", help="print JSON (see the README)")


def _target(args: argparse.Namespace) -> int:
    from kanban.services.products import get_product
    from kanban.services.targets import load_history, set_target

    with database(args, must_exist=True) as db:
        product = get_product(db, args.product)
        if args.date is not None or args.clear:
            history = set_target(db, product.id, args.date, args.reason)
        else:
            history = load_history(db, product.id)
    if args.json:
        echo_json(history_json(product.key, history))
    else:
        echo(history_text(history))
    return EXIT_OK


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def history_json(product_key: str, history: DateHistory) -> dict[str, Any]:
    """The documented ``--json`` object of a date history."""
    return {
        "product": product_key,
        "target": _day(history.target),
        "sentence": history.sentence(),
        "history": [
            {
                "date": row.day.isoformat(),
                "kind": str(row.kind),
                "target": _day(row.target),
                "p50": _day(row.forecast_p50),
                "p85": _day(row.forecast_p85),
                "reason": row.reason,
                "update": row.update_id,
            }
            for row in history.rows
        ],
    }


def history_text(history: DateHistory) -> str:
    """The sentence, then the history as a table."""
    from kanban.reports.text import HISTORY_HEADER, history_rows

    lines = [history.sentence()]
    if history.rows:
        lines += ["", table(HISTORY_HEADER, history_rows(history))]
    return "\n".join(lines)
