"""Charts inside a QTextDocument, drawn as vectors: the report's PDF pages and its preview.

The report template for Qt marks each chart with ``<img src="kanban-chart:NAME">``; the
inert document answers that name with a blank image, and :func:`place_charts` turns each
mark into a text object that draws the chart with the document's own painter (vectors on a
PDF, crisp on any screen), as wide as the text column.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup, escape
from PySide6.QtCore import QObject, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import (
    QImage,
    QPainter,
    QPyTextObject,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from kanban.charts.render import paint, png_image
from kanban.reports.pictures import SIZE, ReportPicture

SCHEME = "kanban-chart"
CHART_OBJECT = int(QTextFormat.ObjectTypes.UserObject.value) + 17
NAME_PROPERTY = int(QTextFormat.Property.UserProperty.value) + 17
OBJECT_CHARACTER = "\ufffc"


def chart_marks(pictures: Mapping[str, ReportPicture]) -> dict[str, Markup]:
    """The marks of the charts' places, for the Qt template's ``pictures``: centred images
    whose names :func:`place_charts` replaces by the charts."""
    return {
        name: Markup(f'<p align="center"><img src="{SCHEME}:{escape(name)}"></p>')
        for name in pictures
    }


class ChartObjects(QPyTextObject):
    """Draws the charts of one document; ``scale`` is device pixels per logical pixel (300/96
    on a 300 dpi PDF, 1 on a screen).

    With ``vector`` (a PDF, drawn once) each chart paints itself with the document's painter;
    otherwise (a preview, painted again on every scroll) it is drawn once into an image of
    the screen's density and the image is painted.
    """

    def __init__(
        self,
        pictures: Mapping[str, ReportPicture],
        scale: float,
        parent: QObject,
        vector: bool = True,
    ) -> None:
        super().__init__(parent)
        self.pictures = pictures
        self.scale = scale
        self.vector = vector
        self._images: dict[tuple[str, int, int], QImage] = {}

    def intrinsicSize(self, doc: QTextDocument, _position: int, fmt: QTextFormat) -> QSizeF:
        width = doc.pageSize().width() if doc.pageSize().width() > 0 else doc.textWidth()
        width = max(200.0 * self.scale, width - 2 * doc.documentMargin() - 2)
        picture = self.pictures.get(str(fmt.property(NAME_PROPERTY)))
        size = picture.size if picture is not None else SIZE
        return QSizeF(width, width * size.height() / size.width())

    def drawObject(
        self,
        painter: QPainter,
        rect: QRectF | QRect,
        _doc: QTextDocument,
        _position: int,
        fmt: QTextFormat,
    ) -> None:
        rect = QRectF(rect)
        name = str(fmt.property(NAME_PROPERTY))
        picture = self.pictures.get(name)
        if picture is None:
            return
        logical = QSizeF(rect.width() / self.scale, rect.height() / self.scale)
        if self.vector:
            chart = picture.chart()
            painter.save()
            try:
                painter.translate(rect.topLeft())
                painter.scale(self.scale, self.scale)
                paint(chart, painter, QRectF(0, 0, logical.width(), logical.height()))
            finally:
                painter.restore()
                chart.deleteLater()
            return
        density = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (name, round(logical.width()), round(logical.height() * density))
        image = self._images.get(key)
        if image is None:
            size = QSize(round(logical.width()), round(logical.height()))
            chart = picture.chart()
            try:
                image = self._images[key] = png_image(chart, size, density)
            finally:
                chart.deleteLater()
        painter.drawImage(rect, image)


def place_charts(
    document: QTextDocument,
    pictures: Mapping[str, ReportPicture],
    scale: float = 1.0,
    vector: bool = True,
) -> ChartObjects:
    """Turn every ``kanban-chart:NAME`` image of the document into its chart (the marks of
    charts not in ``pictures`` are removed); see :class:`ChartObjects`."""
    handler = ChartObjects(pictures, scale, document, vector)
    document.documentLayout().registerHandler(CHART_OBJECT, handler)
    marks: list[tuple[int, str]] = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            char_format = fragment.charFormat()
            if char_format.isImageFormat():
                source = char_format.toImageFormat().name()
                if source.startswith(f"{SCHEME}:"):
                    marks.append((fragment.position(), source.partition(":")[2]))
            fragments += 1
        block = block.next()
    cursor = QTextCursor(document)
    cursor.beginEditBlock()  # one change for the layout, not one per chart
    for position, name in reversed(marks):
        cursor.setPosition(position)
        cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
        if name in pictures:
            chart_format = QTextCharFormat()
            chart_format.setObjectType(CHART_OBJECT)
            chart_format.setProperty(NAME_PROPERTY, name)
            cursor.insertText(OBJECT_CHARACTER, chart_format)
        else:
            cursor.removeSelectedText()
    cursor.endEditBlock()
    return handler
