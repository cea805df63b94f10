"""The Charts screen: one chart of the product's flow at a time, chosen by a tab, with its
range or sprint, hover values and export to PNG and SVG."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kanban.charts import catalog
from kanban.charts.base import KanbanChart
from kanban.charts.palette import ChartPalette, palette_for
from kanban.charts.render import png_bytes, svg_bytes
from kanban.charts.sprint import UNITS
from kanban.errors import KanbanError
from kanban.files import write_atomically
from kanban.metrics import today_utc
from kanban.services.figures import load_flow
from kanban.services.targets import load_history
from kanban.ui.charts.view import ChartView
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import refill_combo
from kanban.ui.screen import Screen, heading_label

FILE_FILTERS = {".png": "PNG image (*.png)", ".svg": "SVG image (*.svg)"}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ChartsScreen(Screen):
    """Tabs of charts over one chart view. The product's flow and date history are read once
    per reload (the product, an outside change, a card, sprint or target change while shown);
    switching charts, ranges or sprints only draws again."""

    title = "Charts"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: catalog.ChartData | None = None
        self.error_box: QMessageBox | None = None  # the last error shown (for tests)
        self.exported_box: QMessageBox | None = None  # "Exported to", Open, Show in folder
        self._stale = True
        self._range_chosen = False  # the user picked the days: keep them across reloads
        self._setting_range = False

        heading = heading_label("Charts")
        self.tabs = QTabBar()
        self.tabs.setObjectName("chart_tabs")
        self.tabs.setExpanding(False)
        for kind in catalog.KINDS:
            self.tabs.addTab(kind.title)
        self.tabs.currentChanged.connect(lambda _index: self.redraw())

        today = today_utc()
        start, end = catalog.default_range(today)
        self.from_edit = self._date_edit("From", start)
        self.to_edit = self._date_edit("To", end)
        self.sprint_combo = QComboBox()
        self.sprint_combo.setAccessibleName("Sprint")
        self.sprint_combo.setMinimumWidth(160)
        self.sprint_combo.currentIndexChanged.connect(lambda _index: self.redraw())
        self.unit_combo = QComboBox()
        self.unit_combo.setAccessibleName("Unit")
        for unit in UNITS:
            self.unit_combo.addItem(unit.capitalize(), unit)
        self.unit_combo.currentIndexChanged.connect(lambda _index: self.redraw())
        self.export_button = QToolButton()
        self.export_button.setText("&Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction("PNG image…", lambda: self.ask_export(".png"))
        menu.addAction("SVG image…", lambda: self.ask_export(".svg"))
        self.export_button.setMenu(menu)

        self.range_widgets: list[QWidget] = [self.from_edit, self.to_edit]
        self.sprint_widgets: list[QWidget] = [self.sprint_combo, self.unit_combo]
        self.labels: dict[QWidget, QLabel] = {}
        controls = QHBoxLayout()
        for text, widget in (
            ("From", self.from_edit),
            ("To", self.to_edit),
            ("Sprint", self.sprint_combo),
            ("Show", self.unit_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            self.labels[widget] = label
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.export_button)

        self.view = ChartView()
        self.view.setObjectName("chart_view")
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(heading)
        bar.addSpacing(16)
        bar.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.caption)

        for signal in (
            ctx.events.items_changed,
            ctx.events.board_changed,
            ctx.events.sprints_changed,
            ctx.events.status_changed,  # a status update or the target: the date history
        ):
            signal.connect(self._data_changed)
        self.reload()

    def _date_edit(self, name: str, day: dt.date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(self._range_changed)
        return edit

    def _range_changed(self, _date: QDate) -> None:
        if not self._setting_range:
            self._range_chosen = True
            self.redraw()

    def _default_range(self) -> None:
        """The product's default days: twelve ISO weeks, from its first item when younger."""
        flow = self.data.flow if self.data is not None else None
        start, end = catalog.default_range(today_utc(), flow)
        self._setting_range = True
        try:
            self.from_edit.setDate(_qdate(start))
            self.to_edit.setDate(_qdate(end))
        finally:
            self._setting_range = False

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the product's flow again (now if shown, else when next shown) and draw."""
        self._stale = True
        if self.isVisible():
            self._load()

    def _data_changed(self, *_: object) -> None:
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load()

    def _load(self) -> None:
        self._stale = False
        self.data = None
        if self.product is not None:
            try:
                flow = self.ctx.read(load_flow, self.product.id)
                self.data = catalog.ChartData(flow, self.ctx.read(load_history, self.product.id))
            except KanbanError as error:
                show_error(self, error)
        if not self._range_chosen:
            self._default_range()
        sprints = catalog.started_sprints(self.data.flow, today_utc()) if self.data else []
        refill_combo(self.sprint_combo, [(s.name, s.id) for s in sprints])
        self.redraw()

    # --- drawing -------------------------------------------------------------------------------

    def kind(self) -> catalog.ChartKind:
        """The chart chosen by the tabs."""
        return catalog.KINDS[max(0, self.tabs.currentIndex())]

    def show_kind(self, name: str) -> None:
        """Choose a chart by its name (``cfd``, ``burndown``...)."""
        self.tabs.setCurrentIndex(catalog.NAMES.index(name))

    def request(self) -> catalog.ChartRequest:
        """What the controls ask for."""
        start, end = _day(self.from_edit.date()), _day(self.to_edit.date())
        return catalog.ChartRequest(
            self.kind().name,
            today_utc(),
            min(start, end),
            max(start, end),
            self.sprint_combo.currentData(),
            self.unit_combo.currentData() or UNITS[0],
        )

    def chart_palette(self) -> ChartPalette:
        """The light or dark palette, following the window's colours."""
        return palette_for(self.palette().color(QPalette.ColorRole.Window).lightness() < 128)

    def build(self, palette: ChartPalette | None = None) -> KanbanChart:
        """A new chart object for what the controls ask for (shown, or for a file)."""
        palette = palette or self.chart_palette()
        if self.data is None:
            chart = KanbanChart(self.kind().name, self.kind().title, palette)
            chart.set_empty("Choose a product to see its charts")
            return chart
        return catalog.draw(self.data, self.request(), palette)

    def redraw(self) -> None:
        """Draw the chosen chart again from the flow already read."""
        kind = self.kind()
        for widget in self.range_widgets:
            widget.setVisible(kind.uses_range)
            self.labels[widget].setVisible(kind.uses_range)
        for widget in self.sprint_widgets:
            widget.setVisible(kind.uses_sprint)
            self.labels[widget].setVisible(kind.uses_sprint)
        self.view.show_chart(self.build())
        note = self.data.flow.quality.note() if self.data is not None else ""
        self.caption.setText(note)
        self.caption.setVisible(bool(note))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        shown = self.view.shown
        if event.type() in palette_events and shown and shown.chart_palette != self.chart_palette():
            self.redraw()

    # --- export --------------------------------------------------------------------------------

    def export_chart(self, path: Path) -> bool:
        """Write the chart shown to a PNG or SVG file (by its extension), atomically."""
        suffix = path.suffix.lower()
        chart = self.build()
        try:
            if suffix not in FILE_FILTERS:
                raise KanbanError(f"{path.name}: a chart is saved as .png or .svg")
            data = png_bytes(chart) if suffix == ".png" else svg_bytes(chart)
            write_atomically(path, data)
        except KanbanError as error:
            self.error_box = show_error(self, error, "Export failed")
            return False
        finally:
            chart.deleteLater()
        from kanban.ui.exported import exported_box  # Open and Show in folder

        self.exported_box = exported_box(self, path, "Export chart")
        return True

    def ask_export(self, suffix: str) -> None:
        """Ask where to save the chart shown, then save it."""
        key = self.product.key if self.product else "chart"
        name = f"{key.lower()}-{self.kind().name}{suffix}"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export chart", str(Path.home() / name), FILE_FILTERS[suffix]
        )
        if path:
            self.export_chart(Path(path))
