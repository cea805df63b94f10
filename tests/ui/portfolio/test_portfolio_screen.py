"""The Portfolio screen (issue 13.3) through the real window: one row per product, late ones
in red, a double click opens the product's Status screen."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.items import add_item
from kanban.services.products import create_product
from kanban.services.records import ProductInfo
from kanban.services.releases import create_release, set_items_release
from kanban.services.targets import set_target
from kanban.ui.main_window import MainWindow
from kanban.ui.portfolio.screen import (
    DELAY,
    LATE_COLOR,
    PRODUCT,
    RELEASE,
    TARGET,
    PortfolioScreen,
)
from kanban.ui.status.screen import StatusScreen


def shown(text: str) -> str:
    """A cell's words as read (the screen keeps a date or a delay on one line)."""
    return text.replace("\N{NO-BREAK SPACE}", " ")


def portfolio_of(window: MainWindow) -> PortfolioScreen:
    screen = window.show_screen(PortfolioScreen)
    assert isinstance(screen, PortfolioScreen)
    return screen


def test_one_row_per_product_and_a_double_click_opens_it(
    qtbot: QtBot, db: Database, product: ProductInfo, window: MainWindow
) -> None:
    app = create_product(db, "APP", "App")
    set_target(db, product.id, dt.date(2027, 3, 1))
    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 1, 15))
    set_items_release(db, {add_item(db, "WEB", "Checkout").id: release.id})
    window.refresh_products()
    screen = portfolio_of(window)
    model = screen.model
    assert model.rowCount() == 2
    names = [model.index(r, PRODUCT).data() for r in range(2)]
    assert names == ["App (APP)", "Web shop (WEB)"]
    assert model.index(1, TARGET).data() == "01 Mar 2027"
    assert shown(model.index(1, RELEASE).data()) == "2.0 · 15 Jan 2027"
    assert model.index(0, DELAY).data() == "—"
    assert screen.summary.text() == "2 products; none is late against its target."

    rect = screen.table.visualRect(model.index(0, PRODUCT))
    viewport = screen.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.ctx.product is not None and window.ctx.product.id == app.id
    assert isinstance(window.stack.currentWidget(), StatusScreen)


def test_a_late_product_is_red(db: Database, product: ProductInfo) -> None:
    from kanban.services.records import PortfolioRow, ReleaseInfo, ReleaseOutlook
    from kanban.ui.portfolio.screen import P85, PortfolioModel

    release = ReleaseInfo(1, product.id, "2.0", "", dt.date(2027, 1, 1), "planned", None, "")
    row = PortfolioRow(
        product, "off_track", dt.date(2026, 11, 30), dt.date(2027, 1, 1), dt.date(2027, 1, 3),
        dt.date(2027, 1, 10), 9, "", 4, 2, ("Review",), 1, 3, 6,
        ReleaseOutlook(release, 3, None, dt.date(2027, 1, 8), 7, ""),
    )  # fmt: skip
    model = PortfolioModel()
    model.set_rows([row])
    assert model.index(0, DELAY).data() == "9 days late"
    red = model.index(0, P85).data(Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.name() == LATE_COLOR
    assert shown(model.index(0, RELEASE).data()) == "2.0 · 7 days late · 01 Jan 2027"


def test_the_summary_names_what_is_late_as_the_report_does(sample_window: MainWindow) -> None:
    """The sample's products both meet their targets, but the app's next release (1.0
    Launch) does not: the line above the table says so, with the release and its delay,
    without scrolling to the table's last column."""
    from kanban.reports.portfolio import PortfolioReport

    screen = portfolio_of(sample_window)
    rows = tuple(screen.model.record(r) for r in range(screen.model.rowCount()))
    late = [r for r in rows if r.next_release is not None and r.next_release.late]
    assert [r.product.key for r in late] == ["APP"]
    assert late[0].next_release is not None
    text = screen.summary.text()
    assert f"Next release late: Mobile App {late[0].next_release.release.name} (" in text
    assert "days late)" in text
    assert text == PortfolioReport(dt.date.today(), rows).summary()


def test_at_1280_pixels_every_column_shows_and_a_late_release_whole_beside_the_delay(
    sample_window: MainWindow,
) -> None:
    """The wordy columns wrap onto more lines rather than push Blocked and Open questions
    off the right edge (they did at 1280 pixels); a date or a delay is never split."""
    from PySide6.QtCore import QRect

    sample_window.resize(1280, 800)
    screen = portfolio_of(sample_window)
    table, model = screen.table, screen.model
    for column in range(model.columnCount()):
        right = table.columnViewportPosition(column) + table.columnWidth(column)
        assert table.columnViewportPosition(column) >= 0
        assert right <= table.viewport().width(), model.headerData(
            column, Qt.Orientation.Horizontal
        )
    assert table.horizontalScrollBar().maximum() == 0
    app = next(r for r in range(model.rowCount()) if model.record(r).product.key == "APP")
    release = model.index(app, RELEASE)
    assert shown(release.data()).startswith("1.0 Launch · ")
    assert " days late · " in shown(release.data())
    assert RELEASE == DELAY + 1  # what is late, side by side
    cell = table.visualRect(release)
    room = QRect(0, 0, cell.width() - 8, 10_000)
    needed = table.fontMetrics().boundingRect(room, int(Qt.TextFlag.TextWordWrap), release.data())
    assert needed.width() <= cell.width() and needed.height() <= cell.height()  # not cut
    assert needed.height() > table.fontMetrics().height()  # wrapped onto more lines

    sample_window.resize(1900, 800)  # room for all: one line each again
    assert table.rowHeight(app) < cell.height()
