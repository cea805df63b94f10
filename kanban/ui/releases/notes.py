"""Release notes (issue 13.1): drafted from a release's done items grouped by kind, edited as
Markdown beside its rendered preview, kept with the release (``releases.notes``, one undoable
change) and exported as Markdown or HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import ItemKind, ReleaseState, plural
from kanban.errors import KanbanError
from kanban.files import write_atomically
from kanban.services import releases
from kanban.services.records import ReleaseInfo, ReleaseNotes
from kanban.ui.commands.items import ServiceCommand, push
from kanban.ui.context import AppContext, show_error
from kanban.ui.dialogs.markdown_preview import MarkdownPreview
from kanban.ui.forms import open_dialog

FORMATS = {"md": "Markdown (*.md)", "html": "HTML (*.html)"}


class ReleaseNotesCommand(ServiceCommand):
    """Keep a release's notes as edited (empty: drafted from its done items again); undo
    puts the previous text back."""

    def __init__(self, ctx: AppContext, release: ReleaseInfo, before: str, after: str) -> None:
        super().__init__(ctx, f"Edit the notes of {release.name}")
        self.release = release
        self.before = before
        self.after = after

    def _set(self, text: str) -> None:
        self.ctx.write(releases.edit_release, self.release.id, notes=text)
        self.ctx.events.releases_changed.emit(self.release.product_id)

    def do(self) -> None:
        self._set(self.after)

    def undo_change(self) -> None:
        self._set(self.before)


def fresh_draft(notes: ReleaseNotes) -> str:
    """The notes drafted from the done items as they are now (whatever was saved)."""
    return releases.draft_notes(f"{notes.product_name} {notes.release.name}", notes.groups)


class ReleaseNotesDialog(QDialog):
    """One release's notes: the release chosen at the top, the Markdown and its preview side
    by side, Save (kept with the release, undoable), Export… (Markdown or HTML)."""

    def __init__(
        self,
        ctx: AppContext,
        product_id: int,
        release_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product_id = product_id
        self.notes: ReleaseNotes | None = None
        self.saved_text = ""  # what the editor held when last loaded or saved
        self.question: QMessageBox | None = None
        self.setWindowTitle("Release notes")
        self.resize(980, 640)
        self.release_combo = QComboBox()
        self.release_combo.setAccessibleName("Release")
        self.release_combo.setMinimumWidth(260)
        self.redraft_button = QPushButton("&Draft again from the done items")
        self.redraft_button.setToolTip(
            "Replace the text with the notes drafted from the release's done items as they are "
            "now (Ctrl+Z in the editor takes it back)"
        )
        self.redraft_button.clicked.connect(self.draft_again)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("release_notes_markdown")
        self.editor.setAccessibleName("Release notes (Markdown)")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview = MarkdownPreview()
        self.preview.setObjectName("release_notes_preview")
        self.editor.textChanged.connect(self._text_changed)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for title, widget in (("Markdown", self.editor), ("Preview", self.preview)):
            pane = QWidget()
            column = QVBoxLayout(pane)
            column.setContentsMargins(0, 0, 0, 0)
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: 600;")
            column.addWidget(heading)
            column.addWidget(widget, 1)
            splitter.addWidget(pane)
        splitter.setChildrenCollapsible(False)
        self.status = QLabel()
        self.status.setObjectName("release_notes_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.export_button = QPushButton("&Export…")
        self.export_button.setToolTip("Write the notes as Markdown or as one HTML page")
        self.export_button.clicked.connect(self.ask_export)
        self.save_button = QPushButton("&Save notes")
        self.save_button.setToolTip("Keep this text with the release (Edit ▸ Undo takes it back)")
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        top = QHBoxLayout()
        label = QLabel("&Release")
        label.setBuddy(self.release_combo)
        top.addWidget(label)
        top.addWidget(self.release_combo)
        top.addStretch(1)
        top.addWidget(self.redraft_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._fill_releases(release_id)
        self.release_combo.currentIndexChanged.connect(self._release_chosen)
        self._current = self.release_combo.currentData()
        self.load()
        ctx.events.releases_changed.connect(self._releases_changed)

    # --- loading -------------------------------------------------------------------------------

    def _fill_releases(self, wanted: int | None) -> None:
        found = self.ctx.read(releases.list_releases, self.product_id)
        self.release_combo.clear()
        for release in found:
            day = f" · {release.target_date:%d %b %Y}" if release.target_date else ""
            state = " (released)" if release.state == ReleaseState.RELEASED else ""
            self.release_combo.addItem(f"{release.name}{day}{state}", release.id)
        if wanted is None:  # the next planned release, else the first
            wanted = next((r.id for r in found if r.state == ReleaseState.PLANNED), None)
        index = self.release_combo.findData(wanted) if wanted is not None else 0
        self.release_combo.setCurrentIndex(max(index, 0))
        enabled = bool(found)
        for widget in (self.editor, self.save_button, self.export_button, self.redraft_button):
            widget.setEnabled(enabled)
        if not enabled:
            self.status.setText("This product has no release yet: add one on the Roadmap.")

    def release_id(self) -> int | None:
        """The release shown."""
        value = self.release_combo.currentData()
        return int(value) if value is not None else None

    def load(self) -> None:
        """Read the chosen release's notes (the saved text, else the draft) into the editor."""
        release_id = self.release_id()
        if release_id is None:
            return
        try:
            self.notes = self.ctx.read(releases.release_notes, self.product_id, release_id)
        except KanbanError as error:
            show_error(self, error)
            return
        self.saved_text = self.notes.markdown
        self.editor.setPlainText(self.notes.markdown)
        self._show_status()

    def dirty(self) -> bool:
        """Whether the editor holds text not kept with the release."""
        return self.notes is not None and self.editor.toPlainText() != self.saved_text

    def _show_status(self) -> None:
        if self.notes is None:
            return
        done = sum(len(lines) for _kind, lines in self.notes.groups)
        groups = ", ".join(
            f"{releases.KIND_HEADINGS[ItemKind(kind)]}: {len(lines)}"
            for kind, lines in self.notes.groups
        )
        source = (
            f"Drafted from {plural(done, 'done item')}" + (f" ({groups})" if groups else "")
            if self.notes.drafted and not self.dirty()
            else f"Edited notes ({plural(done, 'done item')} in the release)"
        )
        tail = " · not saved yet" if self.dirty() else ""
        self.status.setText(f"{source}{tail}. Export writes what the editor holds.")

    def _text_changed(self) -> None:
        self.preview.set_markdown(self.editor.toPlainText())
        self._show_status()

    def _release_chosen(self) -> None:
        wanted = self.release_combo.currentData()
        if self.dirty():  # back to the release being edited until the user says
            self._choose(self._current)
            self.ask_unsaved(lambda: self._choose(wanted, load=True))
            return
        self._current = wanted
        self.load()

    def _choose(self, release_id: object, load: bool = False) -> None:
        self.release_combo.blockSignals(True)
        self.release_combo.setCurrentIndex(max(0, self.release_combo.findData(release_id)))
        self.release_combo.blockSignals(False)
        if load:
            self._current = release_id
            self.load()

    def _releases_changed(self, product_id: int) -> None:
        # A save (here or elsewhere) or an undo of one: follow it unless the user is typing.
        if product_id == self.product_id and not self.dirty():
            self.load()

    # --- actions -------------------------------------------------------------------------------

    def draft_again(self) -> None:
        """Replace the text with a fresh draft from the done items (undoable in the editor)."""
        if self.notes is None:
            return
        try:
            self.notes = self.ctx.read(releases.release_notes, self.product_id, self.release_id())
        except KanbanError as error:
            show_error(self, error)
            return
        cursor = self.editor.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(fresh_draft(self.notes))  # one step of the editor's own undo

    def save(self) -> bool:
        """Keep the text with the release: one undoable change. Text equal to the fresh draft
        is kept as no edit, so the notes go on following the release's done items."""
        if self.notes is None:
            return False
        text = self.editor.toPlainText()
        kept = "" if text == fresh_draft(self.notes) else text
        before = "" if self.notes.drafted else self.notes.markdown
        if kept == before:
            self.saved_text = text
            self._show_status()
            return True
        command = ReleaseNotesCommand(self.ctx, self.notes.release, before, kept)
        if not push(self.ctx, command):
            return False
        self.load()
        return True

    def ask_export(self) -> Path | None:
        """Ask where to write the notes (Markdown or HTML by the file's type), then write."""
        if self.notes is None:
            return None
        name = f"{self.notes.product_key}-{self.notes.release.name}-notes".replace("/", "-")
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export the release notes", f"{name}.md", ";;".join(FORMATS.values())
        )
        if not path:
            return None
        fmt = (
            "html"
            if chosen == FORMATS["html"] or path.lower().endswith((".html", ".htm"))
            else "md"
        )
        try:
            return self.export(Path(path), fmt)
        except KanbanError as error:
            show_error(self, error)
            return None

    def export(self, path: Path, fmt: str) -> Path:
        """Write what the editor holds as ``md`` or ``html`` (one self-contained page)."""
        from kanban.reports.release_notes import render_notes

        assert self.notes is not None
        if fmt == "html" and path.suffix.lower() not in (".html", ".htm"):
            path = path.with_suffix(".html")
        elif fmt == "md" and not path.suffix:
            path = path.with_suffix(".md")
        shown = self.notes._replace(markdown=self.editor.toPlainText())
        write_atomically(path, render_notes(shown, fmt).encode("utf-8"))
        self.status.setText(f"Exported to {path}")
        return path

    def ask_unsaved(self, then: Callable[[], object]) -> QMessageBox:
        """Ask (without blocking) what becomes of text not saved: Save keeps it with the
        release, Discard drops it; either goes on with ``then``; Cancel stays."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved release notes",
            "The notes were changed and not saved. Keep them with the release?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)

        def save_then() -> None:
            if self.save():
                then()

        def discard_then() -> None:
            self.saved_text = self.editor.toPlainText()  # nothing left to keep
            then()

        box.button(QMessageBox.StandardButton.Save).clicked.connect(save_then)
        box.button(QMessageBox.StandardButton.Discard).clicked.connect(discard_then)
        self.question = open_dialog(box)
        return box

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty():
            event.ignore()
            self.ask_unsaved(self.close)
            return
        super().closeEvent(event)

    def reject(self) -> None:
        # Escape: the same question as closing, so no edit is lost by a key.
        if self.dirty():
            self.ask_unsaved(self.reject)
            return
        super().reject()


def open_release_notes(
    ctx: AppContext, parent: QWidget, release_id: int | None = None
) -> ReleaseNotesDialog | None:
    """Open the release notes of the current product (a release of it, else the next
    planned one), beside the window."""
    if ctx.product is None:
        return None
    dialog = ReleaseNotesDialog(ctx, ctx.product.id, release_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
