"""`kanban chart`: one chart of a product's flow, written as a PNG or SVG file."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from kanban.cli.common import EXIT_OK, AddCommand, database, echo
from kanban.errors import ValidationError

if TYPE_CHECKING:
    from kanban.charts.base import KanbanChart
    from kanban.storage.database import Database

FILE_TYPES = (".png", ".svg")
CHART_KINDS = (
    "cfd", "burndown", "burnup", "cycle-time", "throughput", "aging", "forecast", "target-history",
)  # fmt: skip
"""``kanban.charts.catalog.NAMES``, spelled out so ``--help`` needs no Qt (a test compares)."""
HISTORY_KINDS = ("forecast", "target-history")
"""The charts that read the history of the target date too."""


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    chart = add("chart", _chart, "draw a chart of a product's flow to a PNG or SVG file")
    chart.add_argument("product", metavar="PRODUCT", help="product key or name")
    chart.add_argument("kind", choices=CHART_KINDS, metavar="KIND", help=", ".join(CHART_KINDS))
    chart.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="FILE.png or FILE.svg"
    )
    chart.add_argument("--from", dest="start", type=_day, metavar="DATE", help="first day")
    chart.add_argument("--to", dest="end", type=_day, metavar="DATE", help="last day")
    chart.add_argument(
        "--sprint", metavar="NAME", help="burndown, burnup: the sprint (default: the latest)"
    )
    chart.add_argument(
        "--as-of", dest="as_of", type=_day, metavar="DATE", help="the data as it was that day"
    )
    chart.add_argument(
        "--unit", choices=("points", "items"), default="points", help="burndown, burnup"
    )
    chart.add_argument("--dark", action="store_true", help="the dark palette")


def _chart(args: argparse.Namespace) -> int:
    suffix = args.output.suffix.lower()
    if suffix not in FILE_TYPES:
        raise ValidationError(f"{args.output}: the file must end in .png or .svg")
    from kanban.charts import render  # Qt loads only when a chart is drawn
    from kanban.files import write_atomically

    with database(args, must_exist=True) as db:
        chart = build_chart(db, args)
    data = render.png_bytes(chart) if suffix == ".png" else render.svg_bytes(chart)
    write_atomically(args.output, data)
    echo(f"Wrote {args.output}")
    return EXIT_OK


def build_chart(db: Database, args: argparse.Namespace) -> KanbanChart:
    """The chart the arguments ask for, from the product's flow as of ``--as-of``."""
    from kanban.charts import catalog
    from kanban.charts.palette import palette_for
    from kanban.charts.render import application
    from kanban.metrics import today_utc
    from kanban.services.figures import load_flow
    from kanban.services.targets import load_history

    as_of = args.as_of or today_utc()
    end = args.end or as_of
    if end > as_of:
        raise ValidationError(f"--to {end} is after --as-of {as_of}")
    if args.start is not None and args.start > end:
        raise ValidationError(f"--from {args.start} is after --to {end}")
    flow = load_flow(db, args.product)
    start = args.start or catalog.default_range(end, flow)[0]
    history = load_history(db, flow.product_id) if args.kind in HISTORY_KINDS else None
    sprint = catalog.sprint_named(flow, args.sprint) if args.sprint is not None else None
    request = catalog.ChartRequest(
        args.kind, as_of, start, end, sprint.id if sprint else None, args.unit
    )
    application()
    data = catalog.ChartData(flow, history or catalog.NO_HISTORY)
    return catalog.draw(data, request, palette_for(args.dark))
