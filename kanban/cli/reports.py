"""`kanban report`: a status report in one of the export formats; `kanban updates`: the saved
status updates a report can show.

``kanban report PRODUCT`` is the live report as of now: the draft of the next update, over the
period since the last one (health unknown until an update says it). ``--update latest`` is
the latest saved update, ``--update ID`` that one, each with the figures frozen when it was
saved. ``--format eml`` writes a ready-to-send e-mail message (HTML body, PDF attached, the
recipients with an address filled in: the update's, or for the live report the stakeholders
following the product).

``kanban updates PRODUCT --json`` prints a JSON list, newest first, a stable contract; each
object is::

    {
      "id": 3,                               # for `kanban report PRODUCT --update 3`
      "product": "WEB",
      "created_at": "2026-11-30T16:00:00+00:00",
      "period_start": "2026-11-16",          # ISO dates
      "period_end": "2026-11-30",
      "health": "on_track" | "at_risk" | "off_track",
      "headline": "...",
      "recipients": ["Maria Keller"]         # the stakeholders' names, alphabetical
    }

New keys may be added; existing ones keep their meaning.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kanban.cli.common import (
    EXIT_OK,
    AddCommand,
    database,
    echo,
    echo_document,
    echo_json,
    iso,
    one_line,
    table,
)
from kanban.domain import HEALTH_LABELS, Health
from kanban.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from kanban.storage.database import Database

REPORT_FORMATS = ("md", "html", "pdf", "csv", "eml")
LATEST = "latest"


def _update(text: str) -> int | str:
    if text.strip().lower() == LATEST:
        return LATEST
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an update's id or '{LATEST}': {text!r} (see kanban updates PRODUCT)"
        ) from None


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    report = add(
        "report",
        _report,
        "write a status report: the live one as of now, or a saved update's (--update)",
    )
    report.add_argument("product", metavar="PRODUCT", help="product key or name")
    report.add_argument("--format", choices=REPORT_FORMATS, required=True)
    report.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    report.add_argument(
        "--update",
        type=_update,
        metavar="ID",
        help=f"a saved status update's id, or '{LATEST}' (default: the live report)",
    )

    updates = add("updates", _updates, "list a product's saved status updates, newest first")
    updates.add_argument("product", metavar="PRODUCT", help="product key or name")
    updates.add_argument("--json", action="store_true", help="print JSON (a stable shape)")


def _report(args: argparse.Namespace) -> int:
    if args.format == "pdf" and args.output is None:
        raise ValidationError("a PDF report needs an output file: -o FILE")
    from kanban.reports.export import write_report  # may need Qt (PDF): imported on use

    with database(args, must_exist=True) as db:
        if args.update == LATEST:
            _require_an_update(db, args.product, args.format)
        content = write_report(
            db,
            args.product,
            args.format,
            args.output,
            update_id=None if args.update in (None, LATEST) else args.update,
            live=args.update is None,
        )
    if args.output is None:
        echo_document(content)
    else:
        echo(f"Wrote {args.output}")
    return EXIT_OK


def _require_an_update(db: Database, product_ref: str, fmt: str) -> None:
    from kanban.services.products import get_product
    from kanban.services.status_updates import list_status_updates

    product = get_product(db, product_ref)
    if not list_status_updates(db, product.id):
        raise NotFoundError(
            f"{product.key} has no saved status update yet; the live report is "
            f"kanban report {product.key} --format {fmt}"
        )


def _updates(args: argparse.Namespace) -> int:
    from kanban.services.people import list_stakeholders
    from kanban.services.products import get_product
    from kanban.services.status_updates import list_status_updates

    with database(args, must_exist=True) as db:
        product = get_product(db, args.product)
        updates = list_status_updates(db, product.id)
        names = {s.id: s.name for s in list_stakeholders(db, include_archived=True)}
    shapes = [
        {
            "id": u.id,
            "product": product.key,
            "created_at": iso(u.created_at),
            "period_start": u.period_start.isoformat(),
            "period_end": u.period_end.isoformat(),
            "health": u.health,
            "headline": u.headline,
            "recipients": sorted((names[i] for i in u.recipient_ids), key=str.casefold),
        }
        for u in updates
    ]
    if args.json:
        echo_json(shapes)
        return EXIT_OK
    if not updates:
        echo(f"No status updates for {product.key} yet; write one in the app's Status screen.")
        echo(f"The live report: kanban report {product.key} --format md")
        return EXIT_OK
    header = ("ID", "WRITTEN", "PERIOD", "HEALTH", "HEADLINE")
    rows = [
        (
            str(u.id),
            u.created_at.date().isoformat(),
            f"{u.period_start.isoformat()} to {u.period_end.isoformat()}",
            HEALTH_LABELS.get(Health(u.health), u.health),
            one_line(u.headline) or "-",
        )
        for u in updates
    ]
    echo(table(header, rows))
    echo(f"\nA saved update's report: kanban report {product.key} --update ID --format md")
    return EXIT_OK
