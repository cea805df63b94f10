"""The Status screen: new update prefilled from real history, the log, the preview, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.items import add_item, edit_item, get_item, move_item
from kanban.services.people import add_stakeholder
from kanban.services.products import list_columns
from kanban.services.records import ProductInfo
from kanban.services.status_updates import create_status_update, list_status_updates
from kanban.ui.context import AppContext
from kanban.ui.status.export_dialog import ReportExportDialog
from kanban.ui.status.health import HEALTH_COLORS
from kanban.ui.status.model import HEALTH_COLUMN, StatusUpdateTableModel
from kanban.ui.status.new_update import NewStatusUpdateDialog
from kanban.ui.status.preview import ReportBrowser
from kanban.ui.status.screen import StatusScreen


@pytest.fixture
def history(db: Database, product: ProductInfo) -> ProductInfo:
    """WEB with real moves: two items done (3 + 5 points), one blocked in progress, one new."""
    columns = {c.category: c.id for c in list_columns(db, product.id)}
    done = [
        add_item(db, "WEB", "Checkout page", points=3),
        add_item(db, "WEB", "Card payments", points=5),
    ]
    for card in done:
        move_item(db, card.id, column_id=columns["doing"])
        move_item(db, card.id, column_id=columns["done"])
    stuck = add_item(db, "WEB", "PayPal", points=8)
    move_item(db, stuck.id, column_id=columns["doing"])
    edit_item(db, stuck.id, get_item(db, stuck.id).version, blocked_reason="Merchant account")
    add_item(db, "WEB", "Wish list", points=2)
    return product


@pytest.fixture
def screen(qtbot: QtBot, db: Database, history: ProductInfo) -> Iterator[StatusScreen]:
    ctx = AppContext(db)
    widget = StatusScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    ctx.select_product(history)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    ctx.close()


def save_update(db: Database, headline: str, health: str = "on_track") -> int:
    """A saved update of WEB (as another window or the command line would write it)."""
    today = dt.date.today()
    return create_status_update(
        db, "WEB", health=health, period_start=today, period_end=today, headline=headline
    ).id


def message_boxes(parent: QWidget) -> list[QMessageBox]:
    return [box for box in parent.findChildren(QMessageBox) if box.isVisible()]


# --- the new update dialog ---------------------------------------------------------------------


def test_new_update_is_prefilled_from_the_data_and_saved_with_frozen_figures(
    screen: StatusScreen, db: Database, history: ProductInfo, qtbot: QtBot
) -> None:
    follower = add_stakeholder(db, "Maria", role="Sales", product_ids=[history.id])
    other = add_stakeholder(db, "Lars")
    dialog = screen.new_update()
    assert isinstance(dialog, NewStatusUpdateDialog)
    figures = dialog.figures_view

    assert figures.section_text("done") == "Done in the period: 2 items, 8 points"
    assert [row[:3] for row in figures.section_rows("done")] == [
        ("WEB-1", "Checkout page", "3"),
        ("WEB-2", "Card payments", "5"),
    ]
    assert figures.section_rows("blocked") == [("WEB-3", "PayPal", "8", "Merchant account")]
    assert figures.section_text("in_progress") == "In progress: 1 item"
    assert figures.section_text("added") == "Scope added: 4 items, 18 points"
    assert figures.section_text("questions") == "Open questions: 0"
    assert figures.section_text("sprint") == "Current sprint: none running"
    assert "Remaining: 2 items" in [r[0] for r in figures.section_rows("outlook")][1]
    assert dialog.problems_edit.toPlainText() == "WEB-3 PayPal: Merchant account"
    assert dialog.recipient_ids() == (follower.id,)  # followers only, by default

    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()  # health first
    qtbot.mouseClick(dialog.findChild(QWidget, "health_at_risk"), Qt.MouseButton.LeftButton)
    assert save.isEnabled()
    qtbot.keyClicks(dialog.headline_edit, "PayPal is late")
    qtbot.keyClicks(dialog.next_steps_edit, "Chase Finance")
    lars = dialog.recipients_list.item(0)  # by name: Lars, then Maria
    assert lars.checkState() == Qt.CheckState.Unchecked
    lars.setCheckState(Qt.CheckState.Checked)  # this time Lars hears it too
    with qtbot.waitSignal(screen.ctx.events.status_changed):
        save.click()

    [update] = list_status_updates(db, "WEB")
    assert (update.health, update.headline, update.next_steps) == (
        "at_risk",
        "PayPal is late",
        "Chase Finance",
    )
    assert set(update.recipient_ids) == {follower.id, other.id}
    frozen = update.snapshot["figures"]
    assert isinstance(frozen, dict)
    assert frozen["done"]["count"] == 2
    assert frozen["done"]["points"] == 8
    assert [i["key"] for i in frozen["blocked"]["items"]] == ["WEB-3"]
    assert screen.selected_update_id() == update.id
    assert "PayPal is late" in screen.preview.toPlainText()


def test_draft_preview_shows_the_words_typed_so_far(screen: StatusScreen, qtbot: QtBot) -> None:
    dialog = screen.new_update()
    assert dialog is not None
    dialog.set_health("off_track")
    qtbot.keyClicks(dialog.headline_edit, "Launch moves to June")
    dialog.tabs.setCurrentWidget(dialog.preview)
    text = dialog.preview.toPlainText()
    assert "Launch moves to June" in text
    assert "Off track" in text
    dialog.reject()
    assert list_status_updates(screen.ctx.db, "WEB") == []


# --- the log and the preview -------------------------------------------------------------------


def test_log_is_newest_first_and_selecting_shows_that_report(
    screen: StatusScreen, db: Database
) -> None:
    first = save_update(db, "First update", "on_track")
    second = save_update(db, "Second update", "off_track")
    screen.ctx.events.status_changed.emit(screen.product.id)  # type: ignore[union-attr]

    model = screen.model
    assert [model.index(r, 2).data() for r in range(model.rowCount())] == [
        "Second update",
        "First update",
    ]
    assert model.index(0, HEALTH_COLUMN).data() == "Off track"
    assert screen.selected_update_id() == second
    assert "Second update" in screen.preview.toPlainText()
    assert screen.select_update(first)
    assert "First update" in screen.preview.toPlainText()
    assert "Second update" not in screen.preview.toPlainText()


def test_a_markup_headline_shows_as_text_in_the_preview(screen: StatusScreen, db: Database) -> None:
    save_update(db, "<b>x</b> & <img src='/etc/passwd'>")
    screen.reload()
    text = screen.preview.toPlainText()
    assert "<b>x</b> & <img src='/etc/passwd'>" in text


def test_without_updates_the_preview_shows_todays_figures(screen: StatusScreen) -> None:
    assert screen.model.rowCount() == 0
    assert screen.empty_label.isVisible()
    assert "Today's report" in screen.preview_caption.text()
    assert "Checkout page" in screen.preview.toPlainText()


def test_health_pill_is_painted_in_the_health_colour(screen: StatusScreen, db: Database) -> None:
    save_update(db, "Bad news", "off_track")
    screen.reload()
    screen.table.clearSelection()  # the selection colour would cover the cell
    rect = screen.table.visualRect(screen.model.index(0, HEALTH_COLUMN))
    image = screen.table.viewport().grab().toImage()
    pixel = image.pixelColor(rect.x() + 8, rect.center().y())
    assert pixel == QColor(HEALTH_COLORS["off_track"])


def test_update_model_passes_the_model_tester(
    qtmodeltester: ModelTester, db: Database, history: ProductInfo
) -> None:
    save_update(db, "One")
    save_update(db, "Two")
    model = StatusUpdateTableModel()
    model.set_rows(list_status_updates(db, "WEB"))
    qtmodeltester.check(model)


def test_report_browser_loads_no_local_file(tmp_path: Path, qtbot: QtBot) -> None:
    secret = tmp_path / "secret.png"
    picture = QImage(8, 8, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    assert picture.save(str(secret))
    names = (str(secret), QUrl.fromLocalFile(str(secret)).toString())
    browser = ReportBrowser()
    qtbot.addWidget(browser)
    browser.setHtml("<p>x" + "".join(f'<img src="{name}">' for name in names) + "</p>")
    for name in names:
        loaded = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert loaded.width() == 1  # the blank stand-in, not the 8x8 file
    assert not browser.openLinks()
    assert not browser.openExternalLinks()


# --- export ------------------------------------------------------------------------------------


@pytest.fixture
def export_dialog(screen: StatusScreen, db: Database) -> ReportExportDialog:
    save_update(db, "Ready to ship <soon>")
    screen.reload()
    dialog = screen.export()
    assert dialog is not None
    return dialog


def test_export_dialog_previews_the_selected_update(export_dialog: ReportExportDialog) -> None:
    assert "Ready to ship <soon>" in export_dialog.preview.toPlainText()
    assert export_dialog.chosen_format() == "pdf"


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "csv"])
def test_export_to_writes_a_real_file_of_each_format(
    export_dialog: ReportExportDialog, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"report.{fmt}"
    assert export_dialog.export_to(target, fmt) == target
    data = target.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert "Ready to ship" in " ".join(text.split())  # pypdf may join words with tabs
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        keys = [row[0] for row in rows[1:]]
        assert {"WEB-1", "WEB-2", "WEB-3"} <= set(keys)
    elif fmt == "html":
        assert "Ready to ship &lt;soon&gt;" in data.decode("utf-8")
    else:
        assert "Ready to ship" in data.decode("utf-8")
    assert export_dialog.exported.label.text() == f"Saved {target}"


def test_export_button_asks_for_a_file_then_writes_the_chosen_format(
    export_dialog: ReportExportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def fake_save_name(
        parent: QWidget, caption: str, start: str, name_filter: str
    ) -> tuple[str, str]:
        asked.append(name_filter)
        return str(tmp_path / "for-the-board"), name_filter  # no extension typed

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save_name)
    export_dialog.set_format("md")
    export_dialog.export_button.click()
    written = tmp_path / "for-the-board.md"
    assert asked == ["Markdown text (*.md)"]
    assert "Ready to ship" in written.read_text(encoding="utf-8")


def test_cancelling_the_file_dialog_writes_nothing(
    export_dialog: ReportExportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    export_dialog.export_button.click()
    assert export_dialog.last_written is None
    assert list(tmp_path.glob("*.pdf")) == []


def test_an_unwritable_path_shows_an_error_and_leaves_no_file(
    export_dialog: ReportExportDialog, tmp_path: Path
) -> None:
    target = tmp_path / "missing-folder" / "report.html"
    assert export_dialog.export_to(target, "html") is None
    [box] = message_boxes(export_dialog)
    assert "does not exist" in box.text()
    assert not target.parent.exists()
    box.close()


def test_the_preview_draws_the_reports_charts_where_the_template_marks_them(
    screen: StatusScreen, qtbot: QtBot
) -> None:
    document = screen.preview.document()
    text = document.toPlainText()
    # Each chart is one object character in the text, in reading order.
    assert text.count("\ufffc") == 3  # throughput, cycle time, cumulative flow
    image = screen.preview.viewport().grab().toImage()
    blue = QColor("#2563eb")  # the throughput bars and the cycle-time dots
    screen.preview.verticalScrollBar().setValue(0)
    found = 0
    for step in range(0, screen.preview.verticalScrollBar().maximum() + 400, 300):
        screen.preview.verticalScrollBar().setValue(step)
        image = screen.preview.viewport().grab().toImage()
        found += sum(
            1
            for y in range(0, image.height(), 4)
            for x in range(0, image.width(), 4)
            if image.pixelColor(x, y) == blue
        )
    assert found > 200
