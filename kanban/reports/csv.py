"""The items of a status report as CSV, with cells guarded against formula injection."""

from __future__ import annotations

import csv
import io

from kanban.reports import text
from kanban.reports.model import StatusReport

HEADER = (
    "key",
    "title",
    "kind",
    "column",
    "points",
    "assignee",
    "blocked_reason",
    "created",
    "started",
    "done",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading ``'`` before = + - @ tab CR."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def render_csv(report: StatusReport) -> str:
    """One row per item: key, title, kind, column, points, assignee, blocked reason, dates."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for item in report.items:
        row = (
            item.key,
            item.title,
            item.kind,
            item.column,
            text.points(item.points),
            item.assignee or "",
            item.blocked_reason or "",
            text.day(item.created),
            text.day(item.started),
            text.day(item.done),
        )
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()
