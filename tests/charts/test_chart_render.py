"""Charts drawn offscreen: PNG pixels in the plot, SVG elements, light and dark."""

from __future__ import annotations

import datetime as dt

from pictures import coloured, inked, svg_count, svg_texts
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage

from kanban.charts.flow import cumulative_flow_chart
from kanban.charts.palette import DARK, LIGHT, ChartPalette
from kanban.charts.render import png_bytes, png_image, svg_bytes
from kanban.charts.sprint import burndown_chart
from kanban.domain import Category
from kanban.metrics import CATEGORIES, DataQuality, FlowDay, FlowSprint
from kanban.metrics.charts import CumulativeFlowChart
from kanban.metrics.sprints import ScopeSource, SprintBurn

START = dt.date(2026, 3, 2)
SIZE = QSize(440, 260)


def flow_days() -> CumulativeFlowChart:
    days = tuple(FlowDay(START + dt.timedelta(days=n), (20 - n, 3, 2, n)) for n in range(20))
    return CumulativeFlowChart(START, days[-1].day, CATEGORIES, days, DataQuality(0))


def test_png_is_the_asked_size_and_the_plot_is_drawn_in_the_category_colours() -> None:
    for palette in (LIGHT, DARK):
        chart = cumulative_flow_chart(flow_days(), palette)
        image = png_image(chart, SIZE, scale=1)
        assert (image.width(), image.height()) == (440, 260)
        assert image.pixelColor(2, 2).name() == palette.background
        plot = chart.plotArea().toRect().adjusted(3, 3, -3, -3)
        assert plot.width() > 300 and plot.height() > 100
        area = plot.width() * plot.height() / 4  # every other pixel, each way
        assert inked(image, plot, palette.background) > 0.75 * area  # 25 of the axis top 30
        for category in (Category.BACKLOG, Category.DONE):
            assert coloured(image, palette.categories[category]) > 500


def test_png_bytes_are_a_png_file_at_twice_the_size() -> None:
    data = png_bytes(cumulative_flow_chart(flow_days(), LIGHT), SIZE)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage.fromData(data)
    assert (image.width(), image.height()) == (880, 520)


def text_pixels(palette: ChartPalette, image: QImage) -> int:
    return coloured(image, palette.muted, tolerance=60)


def test_an_empty_chart_shows_its_message_in_the_middle() -> None:
    for palette in (LIGHT, DARK):
        nothing = CumulativeFlowChart(START, START, CATEGORIES, (), DataQuality(0))
        image = png_image(cumulative_flow_chart(nothing, palette), SIZE, scale=1)
        middle = QRect(100, 110, 240, 60)
        assert inked(image, middle, palette.background) > 20  # the words
        assert inked(image, QRect(10, 200, 420, 50), palette.background) == 0  # no axes


def test_svg_is_xml_with_the_titles_labels_and_one_shape_per_area() -> None:
    data = svg_bytes(cumulative_flow_chart(flow_days(), LIGHT), SIZE)
    texts = svg_texts(data)
    assert "Cumulative flow" in " ".join(texts)
    for word in ("Done", "In progress", "To do", "Backlog", "Items", "2026", "2 Mar", "9 Mar"):
        assert word in texts
    assert svg_count(data, "path") + svg_count(data, "polygon") >= 4
    assert b'font-family="DejaVu Sans, sans-serif"' in data


def test_user_text_in_an_svg_stays_text() -> None:
    name = '<script>alert("x")</script> & <b>Q3</b>'
    sprint = FlowSprint(1, name, "", START, START + dt.timedelta(days=9), "active")
    record = SprintBurn(sprint, 0.0, 0, (), (), ScopeSource.ENTRIES)
    data = svg_bytes(burndown_chart(record, LIGHT), SIZE)
    assert b"<script" not in data and b"<b>" not in data
    assert any("<script>" in text for text in svg_texts(data))
