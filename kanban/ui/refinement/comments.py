"""An item's comments: the thread rendered as Markdown (safely, as the description is), a box
to write a new one, and Edit / Delete on one's own comments."""

from __future__ import annotations

import datetime as dt
import html
import secrets

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import plural
from kanban.errors import KanbanError
from kanban.services import comments
from kanban.services.common import current_actor
from kanban.services.records import CommentInfo
from kanban.ui.commands.items import push
from kanban.ui.context import AppContext
from kanban.ui.dialogs.markdown_preview import MarkdownPreview, markdown_to_html
from kanban.ui.refinement.commands import (
    AddCommentCommand,
    DeleteCommentCommand,
    EditCommentCommand,
)

ACTION_SCHEME = "kanban-comment"


def local_time(moment: dt.datetime) -> str:
    """A stored (naive UTC) time in the user's time zone."""
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def thread_html(thread: list[CommentInfo], me: str, nonce: str) -> str:
    """The comments as one HTML document: each author and time escaped, each text rendered
    from Markdown with user HTML escaped; one's own comments get Edit and Delete links whose
    address carries ``nonce``, so a link written in a comment cannot pose as one."""
    if not thread:
        return "<p><i>No comments yet.</i></p>"
    parts = []
    for comment in thread:
        edited = f" · edited {local_time(comment.edited_at)}" if comment.edited_at else ""
        actions = ""
        if comment.author == me:
            base = f"{ACTION_SCHEME}:{nonce}"
            actions = (
                f' &nbsp; <a href="{base}/edit/{comment.id}">Edit</a>'
                f' &nbsp; <a href="{base}/delete/{comment.id}">Delete</a>'
            )
        parts.append(
            f'<p style="margin-bottom:2px"><b>{html.escape(comment.author)}</b>'
            f' <span style="color:gray">· {local_time(comment.at)}{edited}</span>{actions}</p>'
            f'<div style="margin-left:8px">{markdown_to_html(comment.text)}</div><hr/>'
        )
    return "".join(parts)


class CommentsPanel(QWidget):
    """The Comments tab of the item editor."""

    def __init__(self, ctx: AppContext, item_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_id = item_id
        self.shown: list[CommentInfo] = []
        self.editing: CommentInfo | None = None
        self._nonce = secrets.token_hex(8)

        self.summary = QLabel()
        self.view = MarkdownPreview()
        self.view.setAccessibleName("Comments")
        self.view.anchorClicked.connect(self._action)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("Write a comment (Markdown). Ctrl+Enter posts it.")
        self.editor.setAccessibleName("New comment")
        self.post_button = QPushButton("Comment")
        self.post_button.setDefault(False)
        self.post_button.setAutoDefault(False)
        self.post_button.clicked.connect(self.post)
        self.cancel_button = QPushButton("Cancel edit")
        self.cancel_button.clicked.connect(self.cancel_edit)
        self.cancel_button.hide()
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.editor)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.post)

        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.editor, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.post_button)
        box_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

        ctx.events.refinement_changed.connect(self._refinement_changed)
        ctx.events.external_change.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        """Read the thread again."""
        try:
            self.shown = self.ctx.read(comments.list_comments, self.item_id)
        except KanbanError:
            self.shown = []
        self.summary.setText(plural(len(self.shown), "comment") if self.shown else "")
        scroll = self.view.verticalScrollBar()
        at_end = scroll.value() >= scroll.maximum() - 4
        self.view.setHtml(thread_html(self.shown, current_actor(), self._nonce))
        if at_end:
            scroll.setValue(scroll.maximum())

    def _refinement_changed(self, item_ids: tuple[int, ...]) -> None:
        if not item_ids or self.item_id in item_ids:
            self.reload()

    def post(self) -> bool:
        """Post the new comment, or save the edited one."""
        text = self.editor.toPlainText()
        if not text.strip():
            return False
        if self.editing is not None:
            done = push(self.ctx, EditCommentCommand(self.ctx, self.editing, text))
        else:
            done = push(self.ctx, AddCommentCommand(self.ctx, self.item_id, text))
        if done:
            self.cancel_edit()
        return done

    def start_edit(self, comment: CommentInfo) -> None:
        """Put one's own comment in the box to change it."""
        self.editing = comment
        self.editor.setPlainText(comment.text)
        self.post_button.setText("Save edit")
        self.cancel_button.show()
        self.editor.setFocus()

    def cancel_edit(self) -> None:
        """Leave editing; the box is emptied."""
        self.editing = None
        self.editor.clear()
        self.post_button.setText("Comment")
        self.cancel_button.hide()

    def delete(self, comment: CommentInfo) -> bool:
        """Delete one's own comment (undoable; the text stays in the history)."""
        return push(self.ctx, DeleteCommentCommand(self.ctx, comment))

    def _action(self, url: QUrl) -> None:
        # Only our own links act, and only with this panel's nonce: a comment's text may hold
        # any link, and following it would be the renderer running user content.
        parts = url.toString().split("/")
        if len(parts) != 3 or parts[0] != f"{ACTION_SCHEME}:{self._nonce}":
            return
        comment = next((c for c in self.shown if str(c.id) == parts[2]), None)
        if comment is None:
            return
        if parts[1] == "edit":
            self.start_edit(comment)
        elif parts[1] == "delete":
            self.delete(comment)
