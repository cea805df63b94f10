"""The roadmap as a chart for the reports: one row per release (then epic), its target date a
diamond, its forecast's 50-85% band a thick bar, today a line; late rows in red, finished ones
in green. The Roadmap screen paints its own interactive view (``kanban.ui.releases``); this is
the same picture for paper, drawn from plain records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCharts import QCategoryAxis, QLineSeries, QScatterSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen

from kanban.charts.base import KanbanChart, day_axis, day_text, pen, plain, points_of
from kanban.charts.palette import ChartPalette
from kanban.domain import plural

ROADMAP = "roadmap"
LATE = "#dc2626"
DONE = "#16a34a"
TODAY = "#f59e0b"
BAND_WIDTH = 9.0
RELEASE = "release"
LABEL_CHARS = 42
"""A row's label is cut to this many characters (the name loses them, with "…"): Qt would
elide the end, the part that says late or on time."""


class RoadmapLineLike(Protocol):
    """A release or an epic on the roadmap (``kanban.services.records.RoadmapLine``)."""

    @property
    def kind(self) -> str:
        """``release`` or ``epic``."""
        ...

    @property
    def name(self) -> str: ...

    @property
    def target(self) -> dt.date | None: ...

    @property
    def p50(self) -> dt.date | None: ...

    @property
    def p85(self) -> dt.date | None: ...

    @property
    def late_days(self) -> int | None: ...

    @property
    def remaining(self) -> int: ...

    @property
    def reason(self) -> str:
        """Why there is no forecast ('' when there is one)."""
        ...

    @property
    def done(self) -> bool: ...


def note(line: RoadmapLineLike) -> str:
    """What a row says after its name: 'done', '9 days late', 'on time', 'no forecast', 'no
    items yet'."""
    if line.done:
        return "done"
    if line.p85 is None:
        if line.remaining:
            return "no forecast"
        return "no items yet" if line.reason else ""  # a release nothing is assigned to
    if line.late_days is None:
        return f"85% {day_text(line.p85)}"
    if line.late_days > 0:
        return f"{plural(line.late_days, 'day')} late"
    return "on time"


def _late(line: RoadmapLineLike) -> bool:
    return not line.done and line.late_days is not None and line.late_days > 0


def roadmap_chart(
    lines: Sequence[RoadmapLineLike],
    today: dt.date,
    palette: ChartPalette,
    title: str = "Roadmap",
) -> KanbanChart:
    """The roadmap of ``lines`` (in this order, top to bottom) as of ``today``."""
    chart = KanbanChart(ROADMAP, title, palette)
    if not lines:
        chart.set_empty("No releases or epics yet")
        return chart
    days = [today] + [d for line in lines for d in (line.target, line.p50, line.p85) if d]
    first, last = min(days) - dt.timedelta(days=7), max(days)
    first = dt.date(first.year, first.month, 1)
    last = max(last + dt.timedelta(days=14), first + dt.timedelta(days=60))
    axis_x, scale = day_axis(chart, first, last)
    rows = QCategoryAxis()
    rows.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    rows.setReverse(True)
    rows.setStartValue(-0.5)
    count = len(lines)
    for row, line in enumerate(lines):
        kind = "Release" if line.kind == RELEASE else "Epic"
        said = note(line)
        tail = f" · {said}" if said else ""
        room = max(8, LABEL_CHARS - len(kind) - 1 - len(tail))
        name = line.name if len(line.name) <= room else line.name[: room - 1] + "…"
        label = f"{kind} {name}{tail}"
        rows.append(plain(label), float(row))
    rows.setRange(-0.5, count - 0.5)
    rows.setGridLineVisible(False)
    chart.add_axis(rows, Qt.AlignmentFlag.AlignLeft)

    def hover(at: QPointF) -> str:
        line = lines[min(count - 1, max(0, round(at.y())))]
        parts = [line.name]
        if line.target:
            parts.append(f"target {day_text(line.target)}")
        if line.p50 and line.p85:
            parts.append(f"50% {day_text(line.p50)}, 85% {day_text(line.p85)}")
        return "; ".join([*parts, note(line)])

    def unnamed(series: QLineSeries | QScatterSeries) -> None:
        for marker in chart.legend().markers(series):
            marker.setVisible(False)

    def key(name: str, colour: str) -> None:
        """A legend entry of its own (an empty series): the rows' colours vary."""
        entry = QLineSeries()
        entry.setName(name)
        entry.setPen(pen(colour, 4.0))
        chart.add_xy(entry, axis_x, rows, lambda _at: name)

    for row, line in enumerate(lines):
        colour = DONE if line.done else (LATE if _late(line) else palette.primary)
        if line.p50 and line.p85:
            band = QLineSeries()
            fill = QColor(colour)
            fill.setAlpha(150)
            band_pen = QPen(fill, BAND_WIDTH)
            band_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            band_pen.setCosmetic(False)
            band.setPen(band_pen)
            band.replace(points_of([(scale.x(line.p50), row), (scale.x(line.p85), row)]))
            chart.add_xy(band, axis_x, rows, hover)
            unnamed(band)
        if line.target:
            diamond = QScatterSeries()
            diamond.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeRotatedRectangle)
            diamond.setMarkerSize(13.0)
            diamond.setColor(QColor(DONE if line.done else LATE if _late(line) else palette.text))
            diamond.setBorderColor(QColor(palette.background))
            diamond.replace(points_of([(scale.x(line.target), row)]))
            chart.add_xy(diamond, axis_x, rows, hover)
            unnamed(diamond)
    now = QLineSeries()
    now.setPen(pen(TODAY, 2.0))
    now.replace(points_of([(scale.x(today), -0.5), (scale.x(today), count - 0.5)]))
    chart.add_xy(now, axis_x, rows, lambda _at: f"Today {day_text(today)}")
    unnamed(now)
    key("50–85% forecast", palette.primary)
    key("Late (85% after the target)", LATE)
    key("Done", DONE)
    key("Target ◆", palette.text)
    key("Today", TODAY)
    return chart
