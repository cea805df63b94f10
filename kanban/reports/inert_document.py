"""A QTextDocument that never reads a file: for report PDFs and previews."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument


class InertDocument(QTextDocument):
    """A text document that loads no resource but inline ``data:`` URLs.

    WORKAROUND: QTextDocument reads any local file named in ``<img src>`` or a stylesheet
    link: it falls back to reading the file itself when ``loadResource`` returns nothing, and
    its image handler loads the file straight from the disk when the resource is a null image.
    So every other name is answered with a blank 1x1 image (or empty text), which Qt takes as
    loaded.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        if QUrl(name).scheme().lower() == "data":
            return super().loadResource(kind, name)
        if kind == QTextDocument.ResourceType.ImageResource.value:
            blank = QImage(1, 1, QImage.Format.Format_ARGB32)
            blank.fill(Qt.GlobalColor.transparent)
            return blank
        return QByteArray()
