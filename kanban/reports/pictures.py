"""The charts of a status report, drawn for each format: inline SVG for HTML, PNG files for
Markdown, vector drawings on the PDF's pages, images for the preview.

Every chart is built by ``kanban.charts`` from the chart data the report carries
(``StatusReport.charts``), in the light palette (paper is white). Loaded only when a report
with pictures is rendered: this module brings Qt in.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup
from PySide6.QtCore import QSize

from kanban.charts.base import KanbanChart
from kanban.charts.palette import LIGHT, ChartPalette
from kanban.charts.render import png_bytes, svg_bytes
from kanban.errors import KanbanError

SIZE = QSize(880, 400)
"""A report chart's size in logical pixels: the width of the HTML page's text column."""
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

    def chart(self, palette: ChartPalette = LIGHT) -> KanbanChart:
        """A new chart object (a chart can be drawn into one scene at a time)."""
        return self.draw(palette)


_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")
_SIZE_ATTRIBUTES = re.compile(r'<svg width="[^"]*" height="[^"]*"')


def inline_svg(picture: ReportPicture) -> Markup:
    """The chart as an ``<svg>`` element to put inside an HTML page, as wide as its column.

    Qt escapes every word it writes into the SVG; this checks it too: the document must parse
    and hold only drawing elements and no event or link attribute, else KanbanError.
    """
    chart = picture.chart()
    try:
        text = svg_bytes(chart, SIZE, picture.title).decode("utf-8")
    finally:
        chart.deleteLater()
    root = ET.fromstring(text)
    for element in root.iter():
        if element.tag not in SAFE_SVG or any(
            name.lower().startswith("on") or name.endswith("href") for name in element.attrib
        ):
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
            files[picture.name] = png_bytes(chart, SIZE)
        finally:
            chart.deleteLater()
    return files
