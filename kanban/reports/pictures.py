"""The charts of a status report, drawn for each format: inline SVG for HTML, PNG files for
Markdown, vector drawings on the PDF's pages, images for the preview.

Every chart is built by ``kanban.charts`` from the chart data the report carries
(``StatusReport.charts``), in the light palette (paper is white). Loaded only when a report
with pictures is rendered: this module brings Qt in.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup
from PySide6.QtCore import QSize

from kanban.charts import cycle, flow, forecast, roadmap, sprint, weekly
from kanban.charts.base import KanbanChart
from kanban.charts.palette import LIGHT, ChartPalette
from kanban.charts.render import application, png_bytes, svg_bytes
from kanban.charts.roadmap import RoadmapLineLike
from kanban.errors import KanbanError
from kanban.metrics import WeekCount
from kanban.metrics.charts import forecast_chart
from kanban.metrics.history import RowKind
from kanban.metrics.sprints import SprintBurn
from kanban.reports.model import StatusReport

SIZE = QSize(880, 400)
"""A report chart's size in logical pixels: the width of the HTML page's text column."""
PNG_SCALE = 1.5
"""A Markdown report's PNG files: 1320x600 pixels, sharp in a wiki and 40% quicker to write
than twice the density."""
ROADMAP_ROWS = 24
"""A report's roadmap shows the first releases and epics (the screen shows them all)."""
ROADMAP_ROW = 30
ROADMAP_CHROME = 170
"""The title, the date axis and the legend of a roadmap, in logical pixels."""
ROADMAP_MAX_HEIGHT = 760
SVG = "{http://www.w3.org/2000/svg}"
SAFE_SVG = frozenset(
    f"{SVG}{tag}"
    for tag in (
        "svg", "title", "desc", "defs", "g", "path", "polyline", "polygon", "rect", "circle",
        "ellipse", "line", "text", "tspan", "linearGradient", "radialGradient", "stop",
        "clipPath",
    )
)  # fmt: skip
"""What Qt's SVG generator writes for a chart; anything else is refused (no script, image,
foreignObject or link can reach a report)."""


@dataclass(frozen=True, slots=True)
class ReportPicture:
    """One chart of a report: its name (``cfd``, for file names), title, and how to draw it."""

    name: str
    title: str
    draw: Callable[[ChartPalette], KanbanChart]
    size: QSize = SIZE
    """Its size in logical pixels (a roadmap grows with its rows)."""

    def chart(self, palette: ChartPalette = LIGHT) -> KanbanChart:
        """A new chart object (a chart can be drawn into one scene at a time)."""
        application()  # a QChart needs the widget application, offscreen without a display
        return self.draw(palette)


@dataclass(frozen=True, slots=True)
class _Weeks:
    """A report's throughput (its figures' weeks) as the throughput chart takes it."""

    weeks: tuple[WeekCount, ...]


def report_pictures(report: StatusReport) -> list[ReportPicture]:
    """The charts of a status report that have something to show (each format places them
    where they belong): cumulative flow, throughput, cycle time, the forecast, the history
    of the target date, the running sprint's burndown, the roadmap (when a release or an
    epic has a date)."""
    figures, charts = report.figures, report.charts
    pictures = []
    if charts is not None and any(any(d.counts) for d in charts.cumulative_flow.days):
        cfd = charts.cumulative_flow
        pictures.append(
            ReportPicture("cfd", "Cumulative flow", lambda p: flow.cumulative_flow_chart(cfd, p))
        )
    if any(w.items for w in figures.throughput):
        weeks = _Weeks(figures.throughput)
        pictures.append(
            ReportPicture("throughput", "Throughput", lambda p: weekly.throughput_chart(weeks, p))
        )
    if charts is not None and charts.cycle_time.points:
        times = charts.cycle_time
        pictures.append(
            ReportPicture("cycle-time", "Cycle time", lambda p: cycle.cycle_time_chart(times, p))
        )
    outlook = forecast_chart(figures.forecast)
    if outlook.bars:
        pictures.append(
            ReportPicture("forecast", "Forecast", lambda p: forecast.forecast_chart(outlook, p))
        )
    rows = report.history.rows
    recorded = [r for r in rows if r.kind != RowKind.NOW]  # today's row alone is no history
    if any(r.target or r.forecast_p50 or r.forecast_p85 for r in recorded):
        pictures.append(
            ReportPicture(
                "target-history",
                "Target date and forecast",
                lambda p: forecast.target_history_chart(rows, p),
            )
        )
    if charts is not None and charts.sprint is not None:
        pictures += burndown_pictures(charts.sprint)
    if charts is not None and any(line.target or line.p85 for line in charts.roadmap):
        pictures.append(roadmap_picture(charts.roadmap, figures.as_of))
    return pictures


def roadmap_picture(lines: Sequence[RoadmapLineLike], today: dt.date) -> ReportPicture:
    """The product's roadmap (its releases, then its epics) as a report's ``roadmap``
    picture, as tall as its rows need."""
    shown = tuple(lines[:ROADMAP_ROWS])
    height = min(ROADMAP_MAX_HEIGHT, ROADMAP_CHROME + ROADMAP_ROW * len(shown))
    return ReportPicture(
        "roadmap",
        "Roadmap",
        lambda p: roadmap.roadmap_chart(shown, today, p),
        QSize(SIZE.width(), max(280, height)),
    )


def burndown_pictures(burn: SprintBurn) -> list[ReportPicture]:
    """A sprint's burndown as a report's ``burndown`` picture (none without any day)."""
    if not burn.days:
        return []
    return [ReportPicture("burndown", "Burndown", lambda p: sprint.burndown_chart(burn, p))]


_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")
_SIZE_ATTRIBUTES = re.compile(r'<svg width="[^"]*" height="[^"]*"')
_EVENT_OR_LINK = re.compile(r"\s(on[a-z]+|[a-z:]*href)\s*=", re.IGNORECASE)


def inline_svg(picture: ReportPicture) -> Markup:
    """The chart as an ``<svg>`` element to put inside an HTML page, as wide as its column.

    Qt escapes every word it writes into the SVG; this checks it too: the document must parse
    and hold only drawing elements and no event or link attribute, else KanbanError.
    """
    chart = picture.chart()
    try:
        text = svg_bytes(chart, picture.size, picture.title).decode("utf-8")
    finally:
        chart.deleteLater()
    tags = {element.tag for element in ET.fromstring(text).iter()}  # and it is well-formed
    if not tags <= SAFE_SVG or _EVENT_OR_LINK.search(text):
        raise KanbanError(f"The chart {picture.name} drew something a report cannot hold")
    text = _XML_DECLARATION.sub("", text)
    text = _SIZE_ATTRIBUTES.sub(
        f'<svg role="img" aria-label="{Markup.escape(picture.title)}" width="100%"', text, count=1
    )
    return Markup(text)  # drawn by us, every word escaped by Qt, checked above


def png_files(pictures: Sequence[ReportPicture]) -> dict[str, bytes]:
    """Each chart as PNG file bytes, by name."""
    files = {}
    for picture in pictures:
        chart = picture.chart()
        try:
            files[picture.name] = png_bytes(chart, picture.size, PNG_SCALE)
        finally:
            chart.deleteLater()
    return files
