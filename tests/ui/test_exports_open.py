"""After an export, Open and Show in folder (issue 14.9); Email… writes a ready-to-send
message and opens it in the mail program (issue 14.13).

The desktop's opening of files is caught with Qt's own hook for it
(``QDesktopServices.setUrlHandler``), so nothing is really launched.
"""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.items import add_item
from kanban.services.people import add_stakeholder
from kanban.services.records import ProductInfo
from kanban.ui.charts.screen import ChartsScreen
from kanban.ui.main_window import MainWindow
from kanban.ui.status.export_dialog import ReportExportDialog
from kanban.ui.status.screen import StatusScreen


class Opened(QObject):
    """Stands in for the desktop: records every file URL it is asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)

    @property
    def paths(self) -> list[Path]:
        return [Path(url.toLocalFile()) for url in self.urls]


@pytest.fixture
def opened() -> Iterator[Opened]:
    catcher = Opened()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


def button(box: QMessageBox, text: str) -> QPushButton:
    (found,) = [b for b in box.buttons() if b.text().replace("&", "") == text]
    assert isinstance(found, QPushButton)
    return found


def test_a_report_export_offers_open_and_show_in_folder(
    window: MainWindow, product: ProductInfo, tmp_path: Path, opened: Opened, qtbot: QtBot
) -> None:
    add_item(window.ctx.db, "WEB", "Guest checkout")
    dialog = ReportExportDialog(window.ctx, product, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.exported.isVisible()
    target = tmp_path / "reports" / "web.pdf"
    target.parent.mkdir()
    assert dialog.export_to(target, "pdf") == target
    assert dialog.exported.isVisible()
    assert dialog.exported.label.text() == f"Saved {target}"
    dialog.exported.open_button.click()
    dialog.exported.folder_button.click()
    assert opened.paths == [target, target.parent]


def test_the_json_export_offers_open_and_show_in_folder(
    window: MainWindow, tmp_path: Path, opened: Opened
) -> None:
    target = tmp_path / "all.json"
    assert window.export_json(target)
    box = window.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == f"Exported to {target}"
    button(box, "Show in folder").click()
    assert opened.paths == [tmp_path]


def test_a_chart_export_offers_open(
    window: MainWindow, product: ProductInfo, tmp_path: Path, opened: Opened
) -> None:
    screen = window.show_screen(ChartsScreen)
    assert isinstance(screen, ChartsScreen)
    target = tmp_path / "flow.png"
    assert screen.export_chart(target)
    assert screen.exported_box is not None
    button(screen.exported_box, "Open").click()
    assert opened.paths == [target]


def test_email_writes_the_report_to_its_recipients_and_opens_it(
    window: MainWindow, db: Database, product: ProductInfo, tmp_path: Path, opened: Opened
) -> None:
    add_item(db, "WEB", "Guest checkout")
    add_stakeholder(db, "Maria Keller", product_ids=[product.id], email="maria@example.com")
    add_stakeholder(db, "Tom Okafor", product_ids=[product.id])
    screen = window.show_screen(StatusScreen)
    assert isinstance(screen, StatusScreen)
    written = screen.email(folder=tmp_path)
    assert written is not None
    assert opened.paths == [written.path] and written.path.parent == tmp_path
    message = message_from_bytes(written.path.read_bytes(), policy=policy.default)
    assert message["To"] == "Maria Keller <maria@example.com>"
    assert [part.get_content_type() for part in message.iter_attachments()] == ["application/pdf"]
    said = screen.exported.label.text()
    assert said.startswith("The e-mail to Maria Keller is ready to send: ")
    assert "No e-mail address for Tom Okafor (add it on the Stakeholders screen)" in said
    assert screen.exported.isVisible()
