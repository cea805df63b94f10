"""The Portfolio screen: one row per product (latest health, target against the 85% forecast,
flow, what is blocked or waits on the product owner, the next release); a double click opens
that product's Status screen; Export writes the portfolio report (PDF, HTML, Markdown)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import delay_text, plural, today_utc
from kanban.errors import KanbanError
from kanban.services import portfolio
from kanban.services.records import PortfolioRow, ProductInfo
from kanban.ui.context import AppContext, show_error
from kanban.ui.screen import Screen, heading_label
from kanban.ui.status.health import HealthPillDelegate
from kanban.ui.table_model import RecordTableModel, RecordTableView

(PRODUCT, HEALTH, UPDATED, TARGET, P85, DELAY, RELEASE, DONE, WIP, BLOCKED, QUESTIONS) = range(11)
HEADERS = (
    "Product",
    "Health",
    "Updated",
    "Target",
    "85%\nforecast",
    "Delay",
    "Next release",
    "Done\n(4 weeks)",
    "In\nprogress",
    "Blocked",
    "Open questions",
)
"""What is late first (the product's dates, then its next release's); two lines where the
words are wider than the figures."""
LATE_COLOR = "#dc2626"
EXPORT_FORMATS = (
    ("pdf", "PDF — to print or attach…", "PDF document (*.pdf)"),
    ("html", "HTML — one self-contained page…", "HTML page (*.html)"),
    ("md", "Markdown — for a wiki or an e-mail…", "Markdown text (*.md)"),
)
"""The portfolio report's formats: (format, menu entry, file-dialog filter)."""
COLUMN_PADDING = 12
WRAPPED = (RELEASE, QUESTIONS, WIP, PRODUCT)
"""The wordy columns: when the table is wider than the screen they wrap onto a second line."""
WRAPPED_WIDTH = 120
"""How narrow a wordy column may get."""


def unbroken(words: str) -> str:
    """Words that stay on one line when their column wraps (a date, '44 days late')."""
    return words.replace(" ", "\N{NO-BREAK SPACE}")


def release_text(row: PortfolioRow) -> str:
    """The next release: its name, (when late) by how much, and its target."""
    outlook = row.next_release
    if outlook is None:
        return "—"
    text = outlook.release.name
    if outlook.late:
        text += f" · {unbroken(delay_text(outlook.late_days, '—'))}"
    if outlook.release.target_date:
        text += f" · {unbroken(f'{outlook.release.target_date:%d %b %Y}')}"
    return text


class PortfolioModel(RecordTableModel[PortfolioRow]):
    """Products as rows; the health is drawn as a pill, what is late in red."""

    HEADERS = HEADERS

    def cell(self, row: PortfolioRow, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.EditRole and column == HEALTH:
            return row.health
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            late = (column in (P85, DELAY) and row.late) or (
                column == RELEASE and row.next_release is not None and row.next_release.late
            )
            if late or (column == WIP and row.over_wip_columns):
                return QColor(LATE_COLOR)
        if role == Qt.ItemDataRole.FontRole and column == PRODUCT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (DONE, BLOCKED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: PortfolioRow, column: int) -> str:
        if column == PRODUCT:
            return f"{row.product.name} ({row.product.key})"
        if column == HEALTH:
            return ""  # the delegate paints the pill
        if column == UPDATED:
            return f"{row.health_date:%d %b %Y}" if row.health_date else "no update yet"
        if column == TARGET:
            return f"{row.target:%d %b %Y}" if row.target else "—"
        if column == P85:
            return f"{row.forecast_p85:%d %b %Y}" if row.forecast_p85 else "—"
        if column == DELAY:
            return delay_text(row.delay_days, "—")
        if column == DONE:
            return str(row.done_4_weeks)
        if column == WIP:
            over = f" · over in {', '.join(row.over_wip_columns)}" if row.over_wip_columns else ""
            return f"{row.in_progress}{over}"
        if column == BLOCKED:
            return str(row.blocked)
        if column == QUESTIONS:
            if not row.open_questions:
                return "0"
            oldest = row.oldest_question_days or 0
            age = "today" if not oldest else plural(oldest, "day")
            return f"{row.open_questions} · {unbroken('oldest ' + age)}"
        return release_text(row)

    def _tip(self, row: PortfolioRow, column: int) -> str | None:
        if column in (P85, DELAY):
            if row.forecast_p85 is None:
                return row.forecast_reason or None
            return (
                f"50%: {row.forecast_p50:%d %b %Y}; 85%: {row.forecast_p85:%d %b %Y} "
                "(the backlog's Monte Carlo forecast from the last 12 weeks' throughput)"
                if row.forecast_p50
                else None
            )
        if column == RELEASE and row.next_release is not None:
            outlook = row.next_release
            if outlook.p85 is None:
                return outlook.reason or None
            return f"{plural(outlook.remaining, 'open item')}; 85% by {outlook.p85:%d %b %Y}"
        return None


class PortfolioScreen(Screen):
    """Every product on one row; double-click (or Enter) opens the product's Status screen."""

    title = "Portfolio"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        heading = heading_label("Portfolio")
        self.summary = QLabel()
        self.summary.setWordWrap(True)  # many late products: more lines, not a wider window
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self.reload)
        self.open_button = QPushButton("&Open product")
        self.open_button.clicked.connect(self.open_selected)
        self.export_menu = QMenu(self)
        for fmt, label, _filter in EXPORT_FORMATS:
            action = self.export_menu.addAction(label)
            action.setData(fmt)
            action.triggered.connect(lambda _=False, chosen=fmt: self.ask_export(chosen))
        self.export_button = QPushButton()
        self.export_button.setText("&Export")
        self.export_button.setToolTip("The portfolio report for a steering meeting")
        self.export_button.setMenu(self.export_menu)
        self.exported: QMessageBox | None = None  # "Exported to", Open, Show in folder

        self.model = PortfolioModel(self)
        self.table = RecordTableView(self.model, "portfolio_table")
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)  # see fit_columns
        self.table.setItemDelegateForColumn(HEALTH, HealthPillDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.activated.connect(self._double_clicked)  # a double click, or Enter

        bar = QHBoxLayout()
        bar.addWidget(heading)
        bar.addSpacing(12)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        ctx.events.products_changed.connect(self.reload)
        ctx.events.items_changed.connect(self._items_changed)
        self._stale = True

    def set_product(self, product: ProductInfo | None) -> None:
        self.product = product  # every product is shown: nothing to read again

    def _items_changed(self, *_: object) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Read every product's row again (when hidden: when next shown)."""
        if not self.isVisible():
            self._stale = True
            return
        selected = self.table.selected_record()
        try:
            rows = self.ctx.read(portfolio.portfolio)
        except KanbanError as error:
            show_error(self, error)
            return
        self._stale = False
        self.model.set_rows(rows)
        self.fit_columns()
        # The report's own sentence: the late products and the late next releases by name
        # and delay, so what is late shows without scrolling along the table.
        from kanban.reports.portfolio import PortfolioReport

        self.summary.setText(PortfolioReport(today_utc(), tuple(rows)).summary())
        if selected is not None:
            self.table.select_record(selected.id)
        elif self.product is not None:
            self.table.select_record(self.product.id)

    def fit_columns(self) -> None:
        """Every column as wide as its contents, with room to breathe; when that is wider than
        the table, the wordy columns wrap onto a second line (the widest first), so that every
        column shows without scrolling sideways."""
        table, header = self.table, self.table.horizontalHeader()
        widths = [
            max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) + COLUMN_PADDING
            for c in range(len(HEADERS))
        ]
        excess = sum(widths) - table.viewport().width()
        while excess > 0:  # shave the widest wordy column down to the next one's width
            widest = max(WRAPPED, key=widths.__getitem__)
            narrower = [widths[c] for c in WRAPPED if widths[c] < widths[widest]]
            floor = max([WRAPPED_WIDTH, *narrower])
            if widths[widest] <= WRAPPED_WIDTH:
                break  # the window is too narrow to show them all: it scrolls
            cut = min(excess, max(1, widths[widest] - floor))
            widths[widest] -= cut
            excess -= cut
        for column, width in enumerate(widths[:-1]):  # the last one stretches to the edge
            table.setColumnWidth(column, width)
        table.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.model.rowCount():
            self.fit_columns()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_product(self.model.record(index.row()).product.id)

    def open_selected(self) -> bool:
        """Open the selected product's Status screen."""
        row = self.table.selected_record()
        return row is not None and self.open_product(row.product.id)

    def open_product(self, product_id: int) -> bool:
        """Make a product the current one and show its Status screen."""
        window = self.ctx.main_window
        select = getattr(window, "select_product_id", None)
        if select is None or not select(product_id):
            return False
        from kanban.ui.status.screen import StatusScreen  # the screen the click leads to

        window.show_screen(StatusScreen)  # type: ignore[union-attr]
        return True

    def ask_export(self, fmt: str) -> Path | None:
        """Ask where to save the portfolio report in ``fmt``, then write it there."""
        name_filter = next(f for key, _label, f in EXPORT_FORMATS if key == fmt)
        start = str(Path.home() / f"portfolio.{fmt}")
        path, _chosen = QFileDialog.getSaveFileName(
            self, "Export the portfolio report", start, name_filter
        )
        if not path:
            return None
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(f".{fmt}")
        return self.export(target, fmt)

    def export(self, path: Path, fmt: str) -> Path | None:
        """Write the portfolio report in ``fmt`` to ``path`` and say where it went (Open,
        Show in folder); an error is shown, not raised."""
        from kanban.reports.portfolio import write_portfolio  # Qt drawing (PDF): on use
        from kanban.ui.exported import exported_box

        try:
            self.ctx.read(write_portfolio, fmt, path)
        except KanbanError as error:  # a FileWriteError names the file and the reason
            show_error(self, error, "Export failed")
            return None
        self.exported = exported_box(self, path, "Export the portfolio report")
        return path
