"""The Roadmap screen: a timeline of the product's releases and epics, each with its target
date (a diamond) and its forecast's 50-85% band, today marked, late ones in red. Drag a
release's diamond to move its target (asked for a reason; undoable)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kanban.charts.roadmap import note as roadmap_note
from kanban.domain import ReleaseState, plural, today_utc
from kanban.errors import KanbanError
from kanban.files import write_atomically
from kanban.services import releases
from kanban.services.records import ProductInfo, RoadmapLine
from kanban.ui.commands.items import push
from kanban.ui.commands.releases import (
    AddReleaseCommand,
    MoveReleaseTargetCommand,
    ReleaseStateCommand,
)
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import ok_cancel, open_dialog
from kanban.ui.screen import Screen, heading_label

if TYPE_CHECKING:
    from kanban.ui.releases.notes import ReleaseNotesDialog

LABEL_WIDTH = 260
ROW_HEIGHT = 34
AXIS_HEIGHT = 34
MARGIN = 16
DIAMOND = 7
LATE = QColor("#dc2626")
BAND = QColor("#3b82f6")
DONE = QColor("#16a34a")
TODAY = QColor("#f59e0b")


def _spans(lines: Sequence[RoadmapLine], today: dt.date) -> tuple[dt.date, dt.date]:
    days = [today] + [d for line in lines for d in (line.target, line.p50, line.p85) if d]
    first, last = min(days), max(days)
    first = dt.date(first.year, first.month, 1)
    last = last + dt.timedelta(days=21)
    return first, max(last, first + dt.timedelta(days=90))


class RoadmapView(QWidget):
    """The timeline, painted: one row per line, a month axis on top."""

    target_dragged = Signal(int, object)  # release id, the new target (dt.date)
    notes_requested = Signal(int)  # release id: its context menu's Release notes…
    state_requested = Signal(int, str)  # release id, a ReleaseState: released, or planned

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[RoadmapLine] = []
        self.today = today_utc()
        self.first, self.last = _spans((), self.today)
        self._drag: tuple[int, float] | None = None  # row, x of the pointer
        self.setMouseTracking(True)
        self.setMinimumHeight(AXIS_HEIGHT + 2 * MARGIN)

    def set_lines(self, lines: Sequence[RoadmapLine], today: dt.date | None = None) -> None:
        """Show these lines (in this order)."""
        self.lines = list(lines)
        self.today = today or today_utc()
        self.first, self.last = _spans(self.lines, self.today)
        self.setMinimumHeight(AXIS_HEIGHT + ROW_HEIGHT * max(1, len(self.lines)) + 2 * MARGIN)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, self.minimumHeight())

    # --- geometry ------------------------------------------------------------------------------

    def _plot(self) -> QRectF:
        return QRectF(
            LABEL_WIDTH, MARGIN, max(1, self.width() - LABEL_WIDTH - MARGIN), self.height()
        )

    def x_of(self, day: dt.date) -> float:
        """Where a day is drawn."""
        plot = self._plot()
        span = max(1, (self.last - self.first).days)
        return plot.left() + plot.width() * (day - self.first).days / span

    def day_at(self, x: float) -> dt.date:
        """The day drawn at ``x``."""
        plot = self._plot()
        span = max(1, (self.last - self.first).days)
        share = (x - plot.left()) / plot.width()
        return self.first + dt.timedelta(days=round(share * span))

    def row_y(self, row: int) -> float:
        """The vertical middle of a row."""
        return MARGIN + AXIS_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT / 2

    def diamond_at(self, row: int) -> QPointF | None:
        """Where a line's target diamond is (None without a target)."""
        line = self.lines[row]
        return QPointF(self.x_of(line.target), self.row_y(row)) if line.target else None

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.paint(painter)
        painter.end()

    def paint(self, painter: QPainter) -> None:
        """Draw the roadmap with ``painter`` (the screen, a PNG or an SVG)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = palette.color(QPalette.ColorRole.Mid)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        plot = self._plot()
        bottom = self.row_y(len(self.lines) - 1) + ROW_HEIGHT / 2 if self.lines else plot.top()
        metrics = QFontMetrics(painter.font())
        # the month axis and grid
        month = self.first
        while month <= self.last:
            x = self.x_of(month)
            painter.setPen(QPen(faint, 1))
            painter.drawLine(QPointF(x, MARGIN + AXIS_HEIGHT - 6), QPointF(x, bottom))
            painter.setPen(text)
            label = f"{month:%b}" if month.month != 1 else f"{month:%b %Y}"
            if month == self.first:
                label = f"{month:%b %Y}"
            painter.drawText(QPointF(x + 4, MARGIN + metrics.ascent()), label)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        # the rows
        for row, line in enumerate(self.lines):
            self._paint_line(painter, row, line, text, metrics)
        # today
        x = self.x_of(self.today)
        painter.setPen(QPen(TODAY, 2))
        painter.drawLine(QPointF(x, MARGIN + AXIS_HEIGHT - 14), QPointF(x, bottom))
        painter.drawText(QPointF(x + 4, MARGIN + AXIS_HEIGHT - 4), "Today")
        if not self.lines:
            painter.setPen(text)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "No releases or epics yet: add a release to plan with.",
            )

    def _paint_line(
        self, painter: QPainter, row: int, line: RoadmapLine, text: QColor, metrics: QFontMetrics
    ) -> None:
        y = self.row_y(row)
        colour = DONE if line.done else (LATE if line.late else BAND)
        painter.setPen(text)
        kind = "Release" if line.kind == releases.RELEASE_LINE else "Epic"
        label = metrics.elidedText(
            f"{kind}  {line.name}", Qt.TextElideMode.ElideRight, LABEL_WIDTH - 12
        )
        painter.drawText(QPointF(MARGIN, y + metrics.ascent() / 2 - 1), label)
        if line.p50 and line.p85:
            left, right = self.x_of(line.p50), self.x_of(line.p85)
            band = QRectF(left - 3, y - 7, max(6.0, right - left + 6), 14)
            fill = QColor(colour)
            fill.setAlpha(150)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(band, 6, 6)
        if line.target:
            x = self.x_of(line.target)
            if self._drag is not None and self._drag[0] == row:
                x = self._drag[1]
            path = QPainterPath()
            path.moveTo(x, y - DIAMOND)
            path.lineTo(x + DIAMOND, y)
            path.lineTo(x, y + DIAMOND)
            path.lineTo(x - DIAMOND, y)
            path.closeSubpath()
            painter.setPen(QPen(text, 1))
            painter.setBrush(LATE if line.late else text)
            painter.drawPath(path)
        note = roadmap_note(line)
        dragged = self._drag is not None and self._drag[0] == row
        if dragged:
            note = self.drag_note() or note
        if note:
            right = max(
                [self.x_of(d) for d in (line.target, line.p85) if d] or [self._plot().left()]
            )
            if dragged and self._drag is not None:
                right = max(right, self._drag[1])
            painter.setPen(LATE if line.late and not dragged else text)
            painter.drawText(QPointF(right + DIAMOND + 6, y + metrics.ascent() / 2 - 1), note)

    # --- dragging a target -------------------------------------------------------------------

    def _row_at(self, point: QPointF) -> int | None:
        reach = DIAMOND + 3
        for row, line in enumerate(self.lines):
            where = self.diamond_at(row)
            if line.kind != releases.RELEASE_LINE or where is None:
                continue
            if abs(point.x() - where.x()) <= reach and abs(point.y() - where.y()) <= reach:
                return row
        return None

    def release_at(self, point: QPointF) -> int | None:
        """The release drawn on the row at ``point`` (None: an epic's row, or none)."""
        for row, line in enumerate(self.lines):
            if (
                line.kind == releases.RELEASE_LINE
                and abs(point.y() - self.row_y(row)) <= ROW_HEIGHT / 2
            ):
                return line.ref_id
        return None

    def release_menu(self, release_id: int) -> QMenu:
        """A release row's context menu."""
        menu = QMenu(self)
        menu.addAction("Release &notes…", lambda: self.notes_requested.emit(release_id))
        shown = [x for x in self.lines if x.kind == releases.RELEASE_LINE]
        line = next((x for x in shown if x.ref_id == release_id), None)
        if line is not None:
            menu.addSeparator()
            state = ReleaseState.PLANNED if line.done else ReleaseState.RELEASED
            left = f" ({plural(line.remaining, 'item')} not done)" if line.remaining else ""
            text = "Back to &planned" if line.done else f"Mark &released today{left}"
            menu.addAction(text, lambda: self.state_requested.emit(release_id, str(state)))
        return menu

    def drag_note(self) -> str | None:
        """While a diamond is dragged, the day it would drop on ('→ 17 Feb 2027')."""
        if self._drag is None:
            return None
        return f"→ {self.day_at(self._drag[1]):%d %b %Y}"

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        release_id = self.release_at(QPointF(event.pos()))
        if release_id is not None:
            self.release_menu(release_id).popup(event.globalPos())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and row is not None:
            self._drag = (row, event.position().x())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = (self._drag[0], event.position().x())
            self.update()
            return
        hovering = self._row_at(event.position()) is not None
        self.setCursor(Qt.CursorShape.SizeHorCursor if hovering else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            super().mouseReleaseEvent(event)
            return
        row, _ = self._drag
        self._drag = None
        line = self.lines[row]
        day = self.day_at(event.position().x())
        self.update()
        if day != line.target:
            self.target_dragged.emit(line.ref_id, day)


class NewReleaseDialog(QDialog):
    """A release's name, target date and description."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New release")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. 2.0, Spring launch")
        self.target_edit = QDateEdit()
        self.target_edit.setCalendarPopup(True)
        self.target_edit.setDisplayFormat("yyyy-MM-dd")
        soon = today_utc() + dt.timedelta(weeks=8)
        self.target_edit.setDate(QDate(soon.year, soon.month, soon.day))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setPlaceholderText("What it brings, for the release notes' readers")
        self.description_edit.setFixedHeight(70)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(12)  # the style's default set "Target date" on the field
        self.form.addRow("&Name", self.name_edit)
        self.form.addRow("&Target date", self.target_edit)
        self.form.addRow("&Description", self.description_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(ok_cancel(self))
        self.setMinimumWidth(420)  # the name's example and the labels whole

    def target(self) -> dt.date:
        """The chosen target date."""
        day: dt.date = self.target_edit.date().toPython()  # type: ignore[assignment]
        return day


class RoadmapScreen(Screen):
    """The current product's releases and epics on a timeline."""

    title = "Roadmap"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        heading = heading_label("Roadmap")
        self.summary = QLabel()
        self.new_button = QPushButton("&New release…")
        self.new_button.clicked.connect(self.new_release)
        self.export_button = QPushButton("&Export…")
        self.export_button.clicked.connect(self.ask_export)
        self.notes_action = QAction("Release &notes…", self)
        self.notes_action.setShortcut("Ctrl+Shift+N")
        self.notes_action.setToolTip(
            "Draft the notes of a release from its done items, edit them, export them"
        )
        self.notes_action.triggered.connect(lambda: self.open_notes())
        self.notes_button = QPushButton("Release &notes…")
        self.notes_button.setToolTip(self.notes_action.toolTip())
        self.notes_button.clicked.connect(self.notes_action.trigger)
        self.view = RoadmapView()
        self.view.target_dragged.connect(self.ask_reason)
        self.view.notes_requested.connect(self.open_notes)
        self.view.state_requested.connect(self.set_state)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)
        legend = QLabel(
            "◆ target date   ▬ forecast, 50% to 85% (the items' Monte Carlo from the last 12 "
            "weeks' throughput)   red: the 85% date misses the target.   Drag a release's ◆ "
            "to move its target; right-click a release for its notes, or to mark it released."
        )
        legend.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(heading)
        bar.addSpacing(12)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.notes_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(legend)
        self.dialog: QDialog | None = None
        self.notes: ReleaseNotesDialog | None = None
        self.addAction(self.notes_action)
        ctx.events.releases_changed.connect(lambda _pid: self.reload())
        ctx.events.items_changed.connect(lambda _change: self.reload_soon())
        self._stale = True

    def set_product(self, product: ProductInfo | None) -> None:
        self.product = product
        self.reload_soon()

    def reload_soon(self) -> None:
        """Read again now when on screen, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Read the product's releases and epics and their forecasts again."""
        if self.product is None:
            self.view.set_lines([])
            self.summary.setText("")
            return
        try:
            lines = self.ctx.read(releases.roadmap, self.product.id)
        except KanbanError as error:
            show_error(self, error)
            return
        self._stale = False
        self.view.set_lines(lines)
        late = [line.name for line in lines if line.late and not line.done]
        self.summary.setText(
            f"{plural(len(lines), 'line')}; late: {', '.join(late)}" if late else
            f"{plural(len(lines), 'line')}; none late"
        )  # fmt: skip

    def open_notes(self, release_id: int | None = None) -> ReleaseNotesDialog | None:
        """Open a release's notes (default: the next planned release) beside the window."""
        from kanban.ui.releases.notes import open_release_notes  # loaded when first opened

        self.notes = open_release_notes(self.ctx, self, release_id)
        return self.notes

    def new_release(self) -> NewReleaseDialog | None:
        """Ask for a new release's name and target (non-blocking); adding it is undoable."""
        if self.product is None:
            return None
        dialog = NewReleaseDialog(self)
        product_id = self.product.id

        def add() -> None:
            name, about = dialog.name_edit.text(), dialog.description_edit.toPlainText().strip()
            push(self.ctx, AddReleaseCommand(self.ctx, product_id, name, dialog.target(), about))

        dialog.accepted.connect(add)
        self.dialog = open_dialog(dialog)
        return dialog

    def ask_reason(self, release_id: int, target: dt.date) -> QInputDialog:
        """Ask why a dragged target moves (non-blocking), then move it."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Move the target")
        dialog.setLabelText(f"Why does the target move to {target:%d %B %Y}?")
        dialog.textValueSelected.connect(
            lambda reason: self.move_target(release_id, target, reason)
        )
        self.dialog = open_dialog(dialog)
        return dialog

    def set_state(self, release_id: int, state: str) -> bool:
        """Mark a release released today, or planned again (undoable)."""
        try:
            release = self.ctx.read(releases.get_release, release_id)
        except KanbanError as error:
            show_error(self, error)
            return False
        return push(self.ctx, ReleaseStateCommand(self.ctx, release, state))

    def move_target(self, release_id: int, target: dt.date, reason: str) -> bool:
        """Move a release's target date (undoable), with the reason it moves."""
        try:
            release = self.ctx.read(releases.get_release, release_id)
        except KanbanError as error:
            show_error(self, error)
            return False
        return push(self.ctx, MoveReleaseTargetCommand(self.ctx, release, target, reason))

    def ask_export(self) -> None:
        """Ask where to save the roadmap as PNG or SVG."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the roadmap", "roadmap.png", "PNG (*.png);;SVG (*.svg)"
        )
        if path:
            try:
                self.export(Path(path))
            except KanbanError as error:
                show_error(self, error)

    def export(self, path: Path) -> Path:
        """Write the roadmap as a PNG or an SVG (by the extension), atomically."""
        if path.suffix.lower() == ".svg":
            import tempfile

            with tempfile.TemporaryDirectory() as folder:
                scratch = Path(folder) / "roadmap.svg"
                generator = QSvgGenerator()
                generator.setFileName(str(scratch))
                generator.setSize(self.view.size())
                generator.setViewBox(QRectF(self.view.rect()))
                generator.setTitle("Roadmap")
                painter = QPainter(generator)
                self.view.paint(painter)
                painter.end()
                write_atomically(path, scratch.read_bytes())
            return path
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.view.grab().save(buffer, "PNG")
        write_atomically(path, bytes(data.data()))
        return path
