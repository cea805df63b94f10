"""`kanban portfolio`: one line per product, for a steering meeting.

``kanban portfolio --json`` prints a JSON list, products by name, a stable contract; each
object is::

    {
      "key": "WEB", "name": "Web Shop",
      "health": "on_track" | "at_risk" | "off_track" | null,   # the latest status update's
      "health_date": "2026-11-30" | null,                      # the day it was saved
      "target": "2027-03-01" | null,         # the product's target date
      "forecast_p50": "2027-02-14" | null,   # the backlog's forecast today (kanban forecast
      "forecast_p85": "2027-02-28" | null,   #   PRODUCT: default window, runs and seed)
      "delay_days": 5 | null,                # the 85% date's days past the target
      "late": true,                          # the 85% date misses the target
      "forecast_reason": "",                 # why there is no forecast ('' when there is)
      "done_4_weeks": 12,                    # work items finished in the last 28 days
      "in_progress": 4,                      # live work items in 'doing' columns
      "over_wip_columns": ["Review"],        # columns holding more cards than their limit
      "blocked": 1,
      "open_questions": 3,
      "oldest_question_days": 6 | null,
      "next_release": {"name": "2.0", "target": "2027-01-15" | null,
                       "p85": "2027-01-24" | null, "late_days": 9 | null} | null
    }

New keys may be added; existing ones keep their meaning.

``kanban portfolio --format md|html|pdf [-o FILE]`` writes the same rows as a report for a
steering meeting (``kanban.reports.portfolio``); Markdown goes to stdout without ``-o``.
"""

from __future__ import annotations

import argparse
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
from kanban.domain import HEALTH_LABELS, Health, delay_text
from kanban.errors import ValidationError

if TYPE_CHECKING:
    from kanban.services.records import PortfolioRow

REPORT_FORMATS = ("md", "html", "pdf")


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    portfolio = add(
        "portfolio",
        _portfolio,
        "every product on one line: health, target vs forecast, flow, blocked, questions",
    )
    portfolio.add_argument("--json", action="store_true", help="print JSON (a stable shape)")
    portfolio.add_argument("--archived", action="store_true", help="include archived products")
    portfolio.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        help="write the portfolio report for a steering meeting (md to stdout without -o)",
    )
    portfolio.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="the report's file (with --format)"
    )


def _day(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def portfolio_json(row: PortfolioRow) -> JsonObject:
    """One product in the stable `portfolio --json` shape (see the module docstring)."""
    release = row.next_release
    return {
        "key": row.product.key,
        "name": row.product.name,
        "health": row.health,
        "health_date": _day(row.health_date),
        "target": _day(row.target),
        "forecast_p50": _day(row.forecast_p50),
        "forecast_p85": _day(row.forecast_p85),
        "delay_days": row.delay_days,
        "late": row.late,
        "forecast_reason": row.forecast_reason,
        "done_4_weeks": row.done_4_weeks,
        "in_progress": row.in_progress,
        "over_wip_columns": list(row.over_wip_columns),
        "blocked": row.blocked,
        "open_questions": row.open_questions,
        "oldest_question_days": row.oldest_question_days,
        "next_release": None
        if release is None
        else {
            "name": release.release.name,
            "target": _day(release.release.target_date),
            "p85": _day(release.p85),
            "late_days": release.late_days,
        },
    }


def _report(args: argparse.Namespace) -> int:
    if args.json:
        raise ValidationError("--json and --format are two outputs: choose one")
    if args.format == "pdf" and args.output is None:
        raise ValidationError("a PDF portfolio needs an output file: -o FILE")
    from kanban.reports.portfolio import write_portfolio  # may need Qt (PDF): on use

    with database(args, must_exist=True) as db:
        content = write_portfolio(db, args.format, args.output, include_archived=args.archived)
    if args.output is None:
        echo_document(content)
    else:
        echo(f"Wrote {args.output}")
    return EXIT_OK


def _portfolio(args: argparse.Namespace) -> int:
    from kanban.services.portfolio import portfolio

    if args.format is not None:
        return _report(args)
    if args.output is not None:
        raise ValidationError("-o writes a report: give its --format (md, html or pdf)")

    with database(args, must_exist=True) as db:
        rows = portfolio(db, include_archived=args.archived)
    if args.json:
        echo_json([portfolio_json(r) for r in rows])
        return EXIT_OK
    if not rows:
        echo("No products yet.")
        return EXIT_OK
    header = ("KEY", "HEALTH", "TARGET", "85%", "DELAY", "DONE 4W", "WIP", "BLOCKED", "OPEN Q",
              "NEXT RELEASE")  # fmt: skip
    lines = []
    for r in rows:
        health = HEALTH_LABELS[Health(r.health)] if r.health else "-"
        if r.health_date:
            health += f" ({r.health_date.isoformat()})"
        wip = str(r.in_progress) + (
            f" ({', '.join(r.over_wip_columns)} over)" if r.over_wip_columns else ""
        )
        release = r.next_release
        coming = "-"
        if release is not None:
            coming = release.release.name
            if release.release.target_date:
                coming += f" {release.release.target_date.isoformat()}"
            if release.late:
                coming += f" ({delay_text(release.late_days, '-')})"
        questions = str(r.open_questions)
        if r.oldest_question_days is not None:
            questions += f" (oldest {r.oldest_question_days}d)"
        lines.append(
            (
                r.product.key,
                health,
                _day(r.target) or "-",
                _day(r.forecast_p85) or "-",
                delay_text(r.delay_days, "-"),
                str(r.done_4_weeks),
                wip,
                str(r.blocked),
                questions,
                coming,
            )
        )
    echo(table(header, lines))
    return EXIT_OK
