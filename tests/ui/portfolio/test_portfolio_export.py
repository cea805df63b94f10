"""The Portfolio screen's Export menu (issue 13.3): the portfolio report through the real
menu and the save dialog's answer, written to a real file, with the usual export feedback."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kanban.services import Database
from kanban.services.products import create_product
from kanban.services.records import ProductInfo
from kanban.services.targets import set_target
from kanban.ui.main_window import MainWindow
from kanban.ui.portfolio.screen import PortfolioScreen


@pytest.fixture
def screen(window: MainWindow, db: Database, product: ProductInfo) -> Iterator[PortfolioScreen]:
    create_product(db, "APP", "App")
    set_target(db, product.id, dt.date(2027, 3, 1))
    window.refresh_products()
    shown = window.show_screen(PortfolioScreen)
    assert isinstance(shown, PortfolioScreen)
    yield shown
    # The window (closed by now) remembered this screen for the next start: the next test's
    # window starts on the first screen, as a first start does.
    QSettings().remove("window/screen")


def _save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    asked: list[str] = []

    def save_name(_parent: object, title: str, start: str, name_filter: str) -> tuple[str, str]:
        asked.extend((title, start, name_filter))
        return str(path), name_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    return asked


def test_export_pdf_from_the_menu(
    screen: PortfolioScreen, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    entries = {a.data(): a for a in screen.export_menu.actions()}
    assert list(entries) == ["pdf", "html", "md"]
    target = tmp_path / "steering.pdf"
    asked = _save_as(monkeypatch, target)
    entries["pdf"].trigger()
    assert asked[0] == "Export the portfolio report" and asked[2] == "PDF document (*.pdf)"
    text = subprocess.run(
        ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Portfolio" in text and "Web shop (WEB)" in text and "App (APP)" in text
    assert isinstance(screen.exported, QMessageBox)
    assert screen.exported.text() == f"Exported to {target}"
    screen.exported.close()


def test_markdown_without_an_extension_gets_one(
    screen: PortfolioScreen, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _save_as(monkeypatch, tmp_path / "steering")
    written = screen.ask_export("md")
    assert written == tmp_path / "steering.md"
    assert "| Web shop (WEB) |" in written.read_text(encoding="utf-8")
    assert screen.exported is not None
    screen.exported.close()


def test_a_file_that_cannot_be_written_is_said_and_nothing_is_left(
    screen: PortfolioScreen, tmp_path: Path
) -> None:
    target = tmp_path / "missing folder" / "p.html"
    assert screen.export(target, "html") is None
    assert not target.parent.exists()
    boxes = [w for w in screen.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "p.html" in boxes[-1].text()
    for box in boxes:
        box.close()
