"""Release notes in the app (issue 13.1), on the sample: drafted from a release's done items
grouped by kind, edited beside the rendered preview, kept with the release as one undoable
change, exported as Markdown or HTML through the save dialog; unsaved text is never lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from kanban.domain import Category
from kanban.services import Database
from kanban.services.items import load_board
from kanban.services.records import ReleaseInfo
from kanban.services.releases import create_release, release_notes, set_items_release
from kanban.ui.main_window import MainWindow
from kanban.ui.releases.notes import ReleaseNotesDialog
from kanban.ui.releases.roadmap import RoadmapScreen

ADDED = "\nThanks to everyone who **tested** the beta <script>alert(1)</script>.\n"


def _release(db: Database) -> tuple[ReleaseInfo, list[str], str]:
    """A release of WEB holding its first done story and bug and one open item."""
    board = load_board(db, "WEB")
    done = {c.id for c in board.columns if c.category == Category.DONE}
    story = next(c for c in board.cards if c.column_id in done and c.kind == "story")
    bug = next(c for c in board.cards if c.column_id in done and c.kind == "bug")
    open_card = next(c for c in board.cards if c.column_id not in done)
    release = create_release(db, "WEB", "3.1", target=dt.date(2027, 5, 1))
    set_items_release(db, dict.fromkeys((story.id, bug.id, open_card.id), release.id))
    return release, [story.key, bug.key], open_card.key


def _open(qtbot: QtBot, window: MainWindow, release: ReleaseInfo) -> ReleaseNotesDialog:
    screen = window.show_screen(RoadmapScreen)
    assert isinstance(screen, RoadmapScreen)
    screen.reload()
    row = next(r for r, line in enumerate(screen.view.lines) if line.name == release.name)
    point = screen.view.diamond_at(row)
    assert point is not None and screen.view.release_at(point) == release.id
    menu = screen.view.release_menu(release.id)  # what a right click on its row pops up
    next(a for a in menu.actions() if a.text() == "Release &notes…").trigger()
    dialog = screen.notes
    assert isinstance(dialog, ReleaseNotesDialog) and dialog.isVisible()
    assert dialog.release_id() == release.id
    return dialog


def test_notes_are_drafted_edited_kept_and_undone(
    qtbot: QtBot, sample_window: MainWindow, sample_db: Database
) -> None:
    release, done_keys, open_key = _release(sample_db)
    dialog = _open(qtbot, sample_window, release)
    text = dialog.editor.toPlainText()
    assert text.startswith("# Web Shop 3.1\n")
    assert "## New" in text and "## Fixed" in text
    assert all(f"({key})" in text for key in done_keys) and open_key not in text
    assert "Web Shop 3.1" in dialog.preview.toPlainText()
    assert dialog.status.text().startswith("Drafted from 2 done items (New: 1, Fixed: 1)")

    dialog.editor.moveCursor(dialog.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(dialog.editor, "Thanks!")
    assert "not saved yet" in dialog.status.text()
    assert "Thanks!" in dialog.preview.toPlainText()  # the preview follows the typing
    stack = sample_window.ctx.undo_stack
    entries = stack.count()
    assert dialog.save()
    edited = dialog.editor.toPlainText()
    kept = release_notes(sample_db, "WEB", "3.1")
    assert kept.markdown == edited and not kept.drafted
    assert stack.count() == entries + 1 and stack.undoText() == "Edit the notes of 3.1"
    assert not dialog.dirty() and dialog.status.text().startswith("Edited notes")

    stack.undo()
    assert release_notes(sample_db, "WEB", "3.1").drafted
    assert dialog.editor.toPlainText() == text  # the dialog follows the undo
    stack.redo()
    assert release_notes(sample_db, "WEB", "3.1").markdown == edited
    assert dialog.editor.toPlainText() == edited

    # Draft again: the fresh draft, saved as no edit at all (it follows the done items).
    dialog.draft_again()
    assert dialog.editor.toPlainText() == text and dialog.dirty()
    assert dialog.save()
    assert release_notes(sample_db, "WEB", "3.1").drafted
    dialog.close()


def test_export_writes_markdown_or_html_through_the_save_dialog(
    qtbot: QtBot,
    sample_window: MainWindow,
    sample_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release, _, _ = _release(sample_db)
    dialog = _open(qtbot, sample_window, release)
    dialog.editor.appendPlainText(ADDED)
    answers = iter(
        [
            (str(tmp_path / "notes.md"), "Markdown (*.md)"),
            (str(tmp_path / "notes"), "HTML (*.html)"),
        ]
    )
    asked: list[str] = []

    def save_file_name(parent: object, caption: str, name: str, filters: str) -> tuple[str, str]:
        asked.append(name)
        return next(answers)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file_name)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    markdown = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert markdown.endswith("\n")  # what the editor holds, ending with a newline
    assert markdown.rstrip("\n") == dialog.editor.toPlainText().rstrip("\n")
    assert asked == ["WEB-3.1-notes.md"]
    assert dialog.export_button.isEnabled()
    written = dialog.ask_export()
    assert written == tmp_path / "notes.html"
    page = written.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>Web Shop 3.1</title>" in page
    assert "<h2>New</h2>" in page and "<strong>tested</strong>" in page
    assert "&lt;script&gt;" in page and "<script>" not in page  # the user's HTML as text
    assert release_notes(sample_db, "WEB", "3.1").drafted  # exporting keeps nothing
    dialog.saved_text = dialog.editor.toPlainText()
    dialog.close()


def test_unsaved_notes_are_asked_about_before_they_go(
    qtbot: QtBot, sample_window: MainWindow, sample_db: Database, answer_box
) -> None:
    release, _, _ = _release(sample_db)
    dialog = _open(qtbot, sample_window, release)
    dialog.editor.appendPlainText("Kept by the question.")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # asked first
    answer_box("Unsaved release notes", QMessageBox.StandardButton.Cancel)
    assert dialog.isVisible() and dialog.dirty()
    dialog.close()
    answer_box("Unsaved release notes", QMessageBox.StandardButton.Save)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "Kept by the question." in release_notes(sample_db, "WEB", "3.1").markdown
