"""The sprint bar's Sprint review… menu (issue 13.6): a closed sprint's review pack through
the real save dialog's answer, written to a real file, with the usual export feedback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from review_sample import build_review_sample

from kanban.services import Database
from kanban.services.records import ProductInfo
from kanban.ui.backlog.screen import BacklogScreen
from kanban.ui.main_window import MainWindow


@pytest.fixture
def screen(window: MainWindow, db: Database, product: ProductInfo) -> BacklogScreen:
    build_review_sample(db, product)
    shown = window.show_screen(BacklogScreen)
    assert isinstance(shown, BacklogScreen)
    shown.reload()
    return shown


def _answer_save_dialog(monkeypatch: pytest.MonkeyPatch, path: Path, chosen: str) -> list[str]:
    asked: list[str] = []

    def save_name(_parent: object, title: str, start: str, filters: str) -> tuple[str, str]:
        asked.extend((title, start, filters))
        return str(path), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    return asked


def test_the_menu_offers_the_closed_sprint_and_writes_its_pdf(
    screen: BacklogScreen, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bar = screen.sprint_bar
    assert bar.review_button.isEnabled()
    actions = bar.review_menu.actions()
    assert [a.text() for a in actions] == ["Sprint 1…"]
    target = tmp_path / "review.pdf"
    asked = _answer_save_dialog(monkeypatch, target, "PDF document (*.pdf)")
    actions[0].trigger()
    assert asked[0] == "Export the review of Sprint 1"
    assert asked[1].endswith("WEB-Sprint-1-review.pdf") and "Markdown text (*.md)" in asked[2]
    assert target.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Sprint 1: sprint review" in text and "Carried over" in text
    assert isinstance(bar.exported, QMessageBox)
    assert bar.exported.text() == f"Exported to {target}"
    bar.exported.close()


def test_the_filter_chooses_the_format_when_the_name_has_no_extension(
    screen: BacklogScreen, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bar = screen.sprint_bar
    _answer_save_dialog(monkeypatch, tmp_path / "review", "HTML page (*.html)")
    written = bar.ask_review(bar.closed_sprints()[0])
    assert written == tmp_path / "review.html"
    assert "<svg" in written.read_text(encoding="utf-8")
    assert bar.exported is not None
    bar.exported.close()


def test_cancel_writes_nothing(
    screen: BacklogScreen, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    assert screen.sprint_bar.ask_review(screen.sprint_bar.closed_sprints()[0]) is None
    assert not list(tmp_path.glob("*review*"))


def test_a_product_without_a_closed_sprint_has_nothing_to_review(window: MainWindow) -> None:
    shown = window.show_screen(BacklogScreen)
    assert isinstance(shown, BacklogScreen)
    assert not shown.sprint_bar.review_button.isEnabled()
    assert not shown.sprint_bar.review_menu.menuAction().isEnabled()


def test_the_backlog_menu_offers_the_review_too(
    screen: BacklogScreen, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    menu = window.screen_menu
    assert menu.title() == "&Backlog"
    entry = next(
        a for a in menu.actions() if a.menu() is not None and "review" in a.text().replace("&", "")
    )
    assert entry.isEnabled() and entry.text() == "Sprint re&view"
    review = entry.menu()
    assert [a.text() for a in review.actions()] == ["Sprint 1…"]
    _answer_save_dialog(monkeypatch, tmp_path / "review.md", "Markdown text (*.md)")
    review.actions()[0].trigger()
    assert "Sprint 1" in (tmp_path / "review.md").read_text(encoding="utf-8")
    assert screen.sprint_bar.exported is not None
    screen.sprint_bar.exported.close()
