"""Widget chores the screens and dialogs repeat: button rows, error lines, combo refills, and
opening a dialog without blocking."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

D = TypeVar("D", bound=QDialog)

OK = QDialogButtonBox.StandardButton.Ok
SAVE = QDialogButtonBox.StandardButton.Save


def ok_cancel(
    dialog: QDialog,
    ok: QDialogButtonBox.StandardButton = OK,
    on_ok: Callable[[], object] | None = None,
) -> QDialogButtonBox:
    """An ``ok`` + Cancel button row: ``ok`` calls ``on_ok`` (default: accept), Cancel rejects."""
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def error_label() -> QLabel:
    """A hidden red line that shows why a dialog cannot save (plain text: it quotes user input)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #dc2626;")
    label.hide()
    return label


def refill_combo(combo: QComboBox, choices: Iterable[tuple[str, object]]) -> None:
    """Put (text, data) choices in a combo box, keeping the current choice when it is still
    offered (else the first), without emitting its change signals."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in choices:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class EnterLineEdit(QLineEdit):
    """A line edit whose Enter is its own (``returnPressed``): in a dialog it does not also
    press the dialog's default button (a plain QLineEdit passes the key on)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


def open_dialog(dialog: D) -> D:
    """Open a dialog window-modal without blocking (the event loop and the tests go on); it
    deletes itself when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` as it fits in ``width`` pixels: whole words, then "…" when some were cut
    (a single word too long for the room is cut inside, as Qt does)."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        kept = " ".join(words).rstrip(" ·,;:–-")
        if metrics.horizontalAdvance(kept + "…") <= width:
            return kept + "…"
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)


class PopupComboBox(QComboBox):
    """A combo box that says when its list is about to open (``popup_opening``), so its
    choices can be read then, not before."""

    popup_opening = Signal()

    def showPopup(self) -> None:
        self.popup_opening.emit()
        super().showPopup()


class ElidedLabel(QLabel):
    """A one-line plain-text label that cuts its text at a word, with "…", when it does not
    fit, and then shows the whole text as its tooltip (``text()`` keeps the whole)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._whole = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._whole = text
        self._fit()

    def text(self) -> str:
        return self._whole

    def clear(self) -> None:
        self.setText("")

    def shown_text(self) -> str:
        """The text as it shows now (cut to fit)."""
        return super().text()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = elide_words(self._whole, self.fontMetrics(), self.contentsRect().width())
        super().setText(shown)
        self.setToolTip(self._whole if shown != self._whole else "")
