"""The items of a status report as CSV, with cells guarded against formula injection."""

from __future__ import annotations

import csv
import io

from kanban.metrics import PERCENTILES, week_label
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


FIGURES_HEADER = ("chart", "series", "x", "y", "item")


def render_figures_csv(report: StatusReport) -> str:
    """The data behind the report's charts, one row per value: ``chart, series, x, y, item``.

    ``cfd``: items per category (series) at the end of each day (x); ``throughput``: items
    and points per ISO week (x its Monday, item its label); ``cycle-time``: one row per finished
    item (x its done day, y its days, item its key and title) and the p50/p85/p95 lines (y);
    ``forecast``: the runs finishing on each date, and each percentile's date (x);
    ``burndown``: the running sprint's scope, done and remaining points and items per day,
    and each item that came in (``added``) or left (``removed``); ``target-history``: per
    row of the date history (x its day, item its kind and any reason), the ``target``, ``p50``
    and ``p85`` dates (y); ``roadmap``: per release or epic (item its kind and name), its
    ``target``, ``p50`` and ``p85`` dates (x) and its open items (y); ``data-quality``: each
    item left out of the figures (series its problem, item its key, title and what is wrong).
    """
    f, charts = report.figures, report.charts
    day, pts = text.day, text.points
    rows: list[tuple[object, ...]] = []
    if charts is not None:
        cfd = charts.cumulative_flow
        for flow_day in cfd.days:
            rows += [
                ("cfd", category, day(flow_day.day), count, "")
                for category, count in zip(cfd.categories, flow_day.counts, strict=True)
            ]
    for w in f.throughput:
        label = week_label(w.week_start)
        rows.append(("throughput", "items", day(w.week_start), w.items, label))
        rows.append(("throughput", "points", day(w.week_start), pts(w.points), label))
    if charts is not None:
        times = charts.cycle_time
        rows += [
            ("cycle-time", "item", day(p.done), f"{p.days:g}", f"{p.key} {p.title}")
            for p in times.points
        ]
        for share, value in (("p50", times.p50), ("p85", times.p85), ("p95", times.p95)):
            if value is not None:
                rows.append(("cycle-time", share, "", f"{value:g}", ""))
    when = f.forecast.when
    if when is not None:
        rows += [("forecast", "runs", day(b.date), b.runs, "") for b in when.distribution]
        rows += [("forecast", f"p{share}", day(when.at(share)), "", "") for share in PERCENTILES]
    if charts is not None and charts.sprint is not None:
        for burn_day in charts.sprint.days:
            for series in ("scope", "done", "remaining"):
                for unit in ("points", "items"):
                    value = getattr(burn_day, f"{series}_{unit}")
                    rows.append(("burndown", f"{series}_{unit}", day(burn_day.day), pts(value), ""))
        for change in charts.sprint.changes:
            kind = "added" if change.added else "removed"
            item = f"{change.key} {change.title}"
            rows.append(("burndown", kind, day(change.day), pts(change.points), item))
    for line in report.history.rows:
        what = f"{line.kind}: {line.reason}" if line.reason else str(line.kind)
        for series, dated in (
            ("target", line.target),
            ("p50", line.forecast_p50),
            ("p85", line.forecast_p85),
        ):
            if dated is not None:
                rows.append(("target-history", series, day(line.day), day(dated), what))
    for mark in charts.roadmap if charts is not None else ():
        for series, dated in (("target", mark.target), ("p50", mark.p50), ("p85", mark.p85)):
            if dated is not None:
                rows.append(
                    ("roadmap", series, day(dated), mark.remaining, f"{mark.kind} {mark.name}")
                )
    rows += [
        ("data-quality", issue.problem, "", "", f"{issue.key} {issue.title}: {issue.detail}")
        for issue in f.quality.issues
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIGURES_HEADER)
    for row in rows:
        writer.writerow([neutralise(str(cell)) for cell in row])
    return out.getvalue()


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
