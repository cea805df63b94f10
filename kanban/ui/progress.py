"""A progress dialog for a long service call made in the window's thread (an export, an
import): the service calls ``report(done, total)`` now and then; the dialog shows it after
half a second, keeps the window painting, and Cancel makes the next report raise
:class:`kanban.errors.CancelledError`, which the service turns into "nothing was written"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from kanban.errors import CancelledError

STEPS = 1000


class Progress:
    """What a service reports to; see :func:`progress_dialog`."""

    def __init__(self, dialog: QProgressDialog, cancelled: str) -> None:
        self.dialog = dialog
        self.cancelled = cancelled

    def report(self, done: int, total: int) -> None:
        """Show ``done`` of ``total``; raise CancelledError once Cancel was pressed."""
        if total > 0:
            self.dialog.setValue(min(STEPS - 1, done * STEPS // total))
        QApplication.processEvents()
        if self.dialog.wasCanceled():
            raise CancelledError(self.cancelled)


@contextmanager
def progress_dialog(parent: QWidget, label: str, cancelled: str) -> Iterator[Progress]:
    """A modal progress dialog for the length of the block.

    Args:
        parent: The window.
        label: What is being done (``Exporting kanban-export.json…``).
        cancelled: The CancelledError's message (``Export cancelled; nothing was written.``).
    """
    dialog = QProgressDialog(label, "Cancel", 0, STEPS, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    try:
        yield Progress(dialog, cancelled)
    finally:
        dialog.reset()
        dialog.deleteLater()
