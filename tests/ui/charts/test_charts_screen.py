"""The Charts screen: real widgets on the sample data, grabbed offscreen and looked at."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCharts import QAreaSeries, QBarSeries, QLineSeries
from PySide6.QtCore import QDate, QPointF, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from kanban.charts import catalog
from kanban.charts.palette import DARK, LIGHT
from kanban.metrics import today_utc
from kanban.services import Database, items, open_database
from kanban.services.products import create_product
from kanban.storage.models import Item, Transition
from kanban.ui.charts.screen import ChartsScreen
from kanban.ui.main_window import MainWindow
from kanban.ui.theme import dark_palette, light_palette


def plot_ink(screen: ChartsScreen, background: str) -> int:
    """Pixels of the grabbed chart view, inside its plot area, that are not background."""
    image = screen.view.grab().toImage()
    chart = screen.view.shown
    assert chart is not None
    area = chart.plotArea().toRect().intersected(QRect(0, 0, image.width(), image.height()))
    ratio = image.devicePixelRatio()
    base = QImage(image).pixelColor(0, 0)
    assert base.name() == background
    inked = 0
    for y in range(int(area.top() * ratio), int(area.bottom() * ratio), 3):
        for x in range(int(area.left() * ratio), int(area.right() * ratio), 3):
            if image.pixelColor(x, y) != base:
                inked += 1
    return inked


def test_every_chart_has_a_tab_and_the_first_draws_the_cumulative_flow(
    charts: ChartsScreen,
) -> None:
    assert [charts.tabs.tabText(i) for i in range(charts.tabs.count())] == [
        kind.title for kind in catalog.KINDS
    ]
    chart = charts.view.shown
    assert chart is not None and chart.kind == "cfd"
    assert [s.name() for s in chart.series_of(QAreaSeries)] == [
        "Done", "In progress", "To do", "Backlog",
    ]  # fmt: skip
    days = chart.series_of(QAreaSeries)[0].upperSeries().points()  # type: ignore[attr-defined]
    request = charts.request()
    assert charts.data is not None
    first = min(item.created.date() for item in charts.data.flow.items)
    twelve_weeks = request.end - dt.timedelta(days=7 * 11 + request.end.weekday())
    assert request.start == max(first, twelve_weeks)  # the sample's WEB is younger
    assert len(days) == (request.end - request.start).days + 1
    assert charts.from_edit.isVisible() and not charts.sprint_combo.isVisible()
    assert plot_ink(charts, LIGHT.background) > 2000


def test_the_burndown_of_a_chosen_sprint_in_points_or_items(charts: ChartsScreen) -> None:
    charts.show_kind("burndown")
    assert charts.sprint_combo.isVisible() and not charts.from_edit.isVisible()
    names = [charts.sprint_combo.itemText(i) for i in range(charts.sprint_combo.count())]
    assert names == ["Sprint 4", "Sprint 3", "Sprint 2", "Sprint 1"]  # started ones, latest first
    assert charts.view.shown is not None
    assert charts.view.shown.title() == "Burndown of Sprint 4 (points)"
    charts.sprint_combo.setCurrentIndex(2)
    charts.unit_combo.setCurrentIndex(1)
    chart = charts.view.shown
    assert chart.title() == "Burndown of Sprint 2 (items)"
    _ideal, remaining = chart.series_of(QLineSeries)
    assert remaining.points()[-1].y() == 0  # type: ignore[attr-defined]  # a closed sprint, all done
    assert plot_ink(charts, LIGHT.background) > 500


def test_hover_shows_the_values_as_a_plain_tooltip(charts: ChartsScreen) -> None:
    chart = charts.view.shown
    assert chart is not None
    area = chart.series_of(QAreaSeries)[0]
    area.hovered.emit(QPointF(3, 1), True)
    assert charts.view.last_tooltip.splitlines()[1].startswith("Done: ")
    area.hovered.emit(QPointF(3, 1), False)
    assert charts.view.last_tooltip == ""
    charts.show_kind("throughput")
    (bars,) = charts.view.shown.series_of(QBarSeries)  # type: ignore[union-attr]
    last = bars.barSets()[0].count() - 1  # type: ignore[attr-defined]
    bars.hovered.emit(True, last, bars.barSets()[0])  # type: ignore[attr-defined]
    assert (
        "items finished" in charts.view.last_tooltip or "item finished" in charts.view.last_tooltip
    )


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_writes_the_chart_shown(charts: ChartsScreen, tmp_path: Path, suffix: str) -> None:
    charts.show_kind("throughput")
    target = tmp_path / f"throughput{suffix}"
    assert charts.export_chart(target)
    assert not list(tmp_path.glob(".*.part"))
    if suffix == ".png":
        image = QImage(str(target))
        assert (image.width(), image.height()) == (1760, 880)
    else:
        root = ET.fromstring(target.read_bytes())
        texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert "Throughput per week" in texts


def test_export_to_another_format_or_a_missing_folder_says_why(
    charts: ChartsScreen, tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for target, reason in (
        (folder / "chart.gif", "a chart is saved as .png or .svg"),
        (folder / "nowhere" / "chart.png", "does not exist"),
    ):
        assert not charts.export_chart(target)
        assert charts.error_box is not None and reason in charts.error_box.text()
        charts.error_box.close()
    assert list(folder.iterdir()) == []


def test_the_dark_palette_follows_the_app(
    charts: ChartsScreen, qapp: QApplication, qtbot: QtBot
) -> None:
    def palette() -> object:
        return charts.view.shown.chart_palette if charts.view.shown else None

    qapp.setPalette(dark_palette())
    try:
        qtbot.waitUntil(lambda: palette() is DARK, timeout=2000)
        assert plot_ink(charts, DARK.background) > 2000
    finally:
        qapp.setPalette(light_palette())
    qtbot.waitUntil(lambda: palette() is LIGHT, timeout=2000)


def test_another_product_and_an_outside_change_redraw(
    charts: ChartsScreen, charts_window: MainWindow, sample_db: Database, qtbot: QtBot
) -> None:
    assert charts.data is not None and charts.data.flow.product_key == "WEB"
    app = next(
        charts_window.product_combo.itemData(i)
        for i in range(charts_window.product_combo.count())
        if charts_window.product_combo.itemData(i).key == "APP"
    )
    charts_window.select_product(app)
    assert charts.data.flow.product_key == "APP"

    def total_today() -> float:
        chart = charts.view.shown
        assert chart is not None
        return chart.series_of(QAreaSeries)[-1].upperSeries().points()[-1].y()  # type: ignore[attr-defined]

    before = total_today()
    other = open_database(str(sample_db.path))
    try:
        items.add_item(other, "APP", "Added from another window")
    finally:
        other.close()
    qtbot.waitUntil(lambda: total_today() == before + 1, timeout=3000)


def test_without_a_product_the_screen_says_so(charts: ChartsScreen) -> None:
    charts.set_product(None)
    assert charts.view.shown is not None
    assert charts.view.shown.empty_message == "Choose a product to see its charts"


@pytest.mark.parametrize("dark", [False, True])
def test_every_tab_draws_its_chart_on_the_sample(
    charts: ChartsScreen, qapp: QApplication, qtbot: QtBot, dark: bool
) -> None:
    palette = DARK if dark else LIGHT
    qapp.setPalette(dark_palette() if dark else light_palette())
    try:
        qtbot.waitUntil(lambda: charts.chart_palette() is palette, timeout=2000)
        for index, kind in enumerate(catalog.KINDS):
            charts.tabs.setCurrentIndex(index)
            chart = charts.view.shown
            assert chart is not None and chart.kind == kind.name
            assert chart.empty_message is None, kind.name  # the sample has data for each
            assert chart.chart_palette is palette
            assert plot_ink(charts, palette.background) > 300, kind.name
    finally:
        qapp.setPalette(light_palette())


def test_a_young_products_range_starts_at_its_first_item_until_the_user_picks_days(
    charts: ChartsScreen, charts_window: MainWindow, sample_db: Database
) -> None:
    young = create_product(sample_db, "NEW", "New product")
    first = items.add_item(sample_db, "NEW", "The first item")
    items.add_item(sample_db, "NEW", "The second item")
    ten_days_ago = dt.datetime.combine(today_utc() - dt.timedelta(days=10), dt.time(9))
    with sample_db.write() as session:
        session.execute(update(Item).where(Item.id == first.id).values(created_at=ten_days_ago))
        session.execute(
            update(Transition).where(Transition.item_id == first.id).values(at=ten_days_ago)
        )
    assert charts_window.select_product_id(young.id)
    request = charts.request()
    assert (request.start, request.end) == (ten_days_ago.date(), today_utc())
    chart = charts.view.shown
    assert chart is not None and chart.kind == "cfd"
    days = chart.series_of(QAreaSeries)[0].upperSeries().points()  # type: ignore[attr-defined]
    assert len(days) == 11
    backlog = chart.series_of(QAreaSeries)[-1].upperSeries().points()  # type: ignore[attr-defined]
    assert (backlog[0].y(), backlog[-1].y()) == (1, 2)  # no empty days before the first item
    # Days the user picks stay, whatever the product.
    chosen = today_utc() - dt.timedelta(days=40)
    charts.from_edit.setDate(QDate(chosen.year, chosen.month, chosen.day))
    web = next(
        charts_window.product_combo.itemData(i)
        for i in range(charts_window.product_combo.count())
        if charts_window.product_combo.itemData(i).key == "WEB"
    )
    charts_window.select_product(web)
    assert charts.request().start == chosen
