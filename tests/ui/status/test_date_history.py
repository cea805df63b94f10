"""The history of a date on the real Status screen and in the real report files: the table and
the sentence that say when the slip began, and the dialog that moves the target."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCharts import QLineSeries
from pytestqt.qtbot import QtBot
from slipping import SENTENCE, TARGET, write_slipping

from kanban.services import Database
from kanban.services.records import ProductInfo
from kanban.services.targets import load_history
from kanban.ui.context import AppContext
from kanban.ui.status.screen import StatusScreen
from kanban.ui.status.target import CHART_HEIGHT


@pytest.fixture
def screen(qtbot: QtBot, db: Database, product: ProductInfo) -> Iterator[StatusScreen]:
    write_slipping(db, product)
    ctx = AppContext(db)
    widget = StatusScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    ctx.select_product(product)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    ctx.close()


def test_the_screen_shows_the_sentence_and_one_row_per_change_and_update(
    screen: StatusScreen,
) -> None:
    view = screen.history_view
    assert view.sentence.text() == SENTENCE
    assert view.rows() == [
        ("2024-05-31", "target set", "2024-07-30", "", "", "", "Agreed at the kick-off"),
        (
            "2024-06-30",
            "status update",
            "2024-07-30",
            "2024-07-28",
            "2024-07-28",
            "2 days early",
            "",
        ),
        (
            "2024-07-07",
            "status update",
            "2024-07-30",
            "2024-08-04",
            "2024-08-04",
            "5 days late",
            "",
        ),
        (
            "2024-07-14",
            "status update",
            "2024-07-30",
            "2024-08-18",
            "2024-08-18",
            "19 days late",
            "",
        ),
    ]
    # The preview of the latest update says the same, as it stood when it was saved.
    assert SENTENCE in " ".join(screen.preview.toPlainText().split())


def test_the_screen_draws_the_history_as_a_small_chart(screen: StatusScreen) -> None:
    view = screen.history_view
    assert view.chart.isVisible() and view.chart.height() <= CHART_HEIGHT
    chart = view.chart.shown
    assert chart is not None and chart.kind == "target-history" and chart.empty_message is None
    assert [s.name() for s in chart.series_of(QLineSeries)] == [
        "Target", "Forecast, 50%", "Forecast, 85%",
    ]  # fmt: skip
    updates = [p.y() for p in chart.series_of(QLineSeries)[2].points()]  # type: ignore[attr-defined]
    assert len(updates) == 3 and updates == sorted(updates)  # the 85% date slipped each time
    image = view.chart.grab().toImage()
    background = image.pixelColor(2, 2)
    inked = sum(
        image.pixelColor(x, y) != background
        for y in range(0, image.height(), 4)
        for x in range(0, image.width(), 4)
    )
    assert inked > 200


def test_moving_the_target_needs_a_reason_and_then_shows_in_the_history(
    screen: StatusScreen, db: Database, qtbot: QtBot
) -> None:
    dialog = screen.set_target()
    assert dialog is not None and dialog.chosen() == TARGET
    later = TARGET.replace(day=TARGET.day + 1)
    dialog.set_chosen(later)
    dialog.accept()  # no reason yet
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "needs a reason" in dialog.error.text()
    assert load_history(db, "WEB").target == TARGET  # nothing saved
    qtbot.keyClicks(dialog.reason_edit, "Bank API <late>")
    with qtbot.waitSignal(screen.ctx.events.status_changed):
        dialog.accept()
    assert not dialog.isVisible()
    rows = screen.history_view.rows()
    assert rows[-1][1:3] == ("target set", later.isoformat())
    assert rows[-1][-1] == "Bank API <late>"
    assert screen.history_view.sentence.text().startswith("Target 31 July 2024 (moved 1 time);")


def test_clearing_the_target_from_the_dialog(screen: StatusScreen, db: Database) -> None:
    dialog = screen.set_target()
    assert dialog is not None
    dialog.set_chosen(None)
    assert not dialog.date_edit.isEnabled()
    dialog.reason_edit.setText("Scope under review")
    dialog.accept()
    assert load_history(db, "WEB").target is None
    assert screen.history_view.sentence.text().startswith("No target date")


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_every_report_file_shows_the_sentence_and_the_table(
    screen: StatusScreen, tmp_path: Path, fmt: str
) -> None:
    dialog = screen.export()
    assert dialog is not None
    target = tmp_path / f"report.{fmt}"
    assert dialog.export_to(target, fmt) == target
    if fmt == "pdf":
        pages = PdfReader(io.BytesIO(target.read_bytes())).pages
        text = unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in pages))
    else:
        text = target.read_text(encoding="utf-8")
    text = " ".join(text.split())  # ligatures unfolded, lines joined
    assert SENTENCE in text
    assert "19 days late" in text and "Agreed at the kick-off" in text
