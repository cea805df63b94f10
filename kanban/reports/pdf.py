"""The status report as PDF through Qt (QTextDocument + QPdfWriter): A4, page numbers, the
charts drawn as vectors, and no display needed."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from kanban.charts.render import application
from kanban.reports import text
from kanban.reports.chart_objects import chart_marks, place_charts
from kanban.reports.html import render_html
from kanban.reports.inert_document import InertDocument
from kanban.reports.model import StatusReport
from kanban.reports.pictures import report_pictures

QT_TEMPLATE = "status_report_qt.html.j2"
RESOLUTION = 300  # device pixels per inch of the PDF's coordinate space (text stays vector)
MARGINS_MM = QMarginsF(16, 14, 16, 12)
FOOTER_PT = 7.5
LOGICAL_DPI = 96
"""A chart's logical pixel is 1/96 inch, on paper as on screen."""


def render_pdf(report: StatusReport) -> bytes:
    """The report as an A4 PDF with "page N of M" footers."""
    application()  # a QApplication (offscreen without one): charts are graphics widgets
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(f"Status report: {report.product_name} ({report.product_key})")
    writer.setCreator("kanban")

    pictures = {p.name: p for p in report_pictures(report)}
    document = InertDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setHtml(render_html(report, QT_TEMPLATE, chart_marks(pictures)))
    place_charts(document, pictures, RESOLUTION / LOGICAL_DPI)  # vectors, text-column wide
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer_height = FOOTER_PT / 72 * RESOLUTION * 2.5
    body = QSizeF(area.width(), area.height() - footer_height)
    document.setPageSize(body)
    pages = document.pageCount()

    footer_font = QFont("DejaVu Sans")
    footer_font.setPointSizeF(FOOTER_PT)
    footer = QRectF(0, area.height() - footer_height * 0.6, area.width(), footer_height * 0.6)
    title = f"{report.product_name} ({report.product_key}): status report of "
    title += text.day(report.figures.period_end)

    painter = QPainter(writer)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body.height())
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, page * body.height(), body.width(), body.height())
            document.documentLayout().draw(painter, context)
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(Qt.GlobalColor.darkGray)
            painter.drawLine(footer.topLeft(), footer.topRight())
            align = Qt.AlignmentFlag.AlignBottom
            painter.drawText(footer, align | Qt.AlignmentFlag.AlignLeft, title)
            painter.drawText(
                footer, align | Qt.AlignmentFlag.AlignRight, f"Page {page + 1} of {pages}"
            )
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())
