"""Reports as PDF through Qt (QTextDocument + QPdfWriter): any report's Qt-rich-text HTML
laid out on A4 pages with "page N of M" footers, each heading kept on the page of what follows
it, the charts drawn as vectors, and no display needed. The status report, the sprint review
and the portfolio report all go through :func:`html_pdf`."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from kanban.charts.render import application
from kanban.reports import text
from kanban.reports.chart_objects import chart_marks, place_charts
from kanban.reports.html import render_html
from kanban.reports.inert_document import InertDocument
from kanban.reports.model import StatusReport
from kanban.reports.pictures import ReportPicture, report_pictures

QT_TEMPLATE = "status_report_qt.html.j2"
RESOLUTION = 300  # device pixels per inch of the PDF's coordinate space (text stays vector)
MARGINS_MM = QMarginsF(16, 14, 16, 12)
FOOTER_PT = 7.5
LOGICAL_DPI = 96
"""A chart's logical pixel is 1/96 inch, on paper as on screen."""
PORTRAIT = QPageLayout.Orientation.Portrait
LANDSCAPE = QPageLayout.Orientation.Landscape


def render_pdf(report: StatusReport) -> bytes:
    """The status report as an A4 PDF with "page N of M" footers."""
    pictures = {p.name: p for p in report_pictures(report)}
    footer = f"{report.product_name} ({report.product_key}): status report of "
    footer += text.day(report.figures.period_end)
    return html_pdf(
        render_html(report, QT_TEMPLATE, chart_marks(pictures)),
        pictures,
        title=f"Status report: {report.product_name} ({report.product_key})",
        footer=footer,
    )


def html_pdf(
    html: str,
    pictures: Mapping[str, ReportPicture] | None = None,
    *,
    title: str,
    footer: str,
    orientation: QPageLayout.Orientation = PORTRAIT,
) -> bytes:
    """A report's HTML (the subset Qt's rich text knows, charts marked as
    :func:`~kanban.reports.chart_objects.chart_marks` does) as A4 PDF pages: ``title`` is the
    document's title, ``footer`` the words left of "Page N of M" on every page."""
    application()  # a QApplication (offscreen without one): charts are graphics widgets
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = a4_writer(buffer, orientation)
    writer.setTitle(title)
    writer.setCreator("kanban")

    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer_height = FOOTER_PT / 72 * RESOLUTION * 2.5
    body = body_size(writer)
    document = paged_html(html, pictures or {}, writer, body)
    pages = document.pageCount()

    footer_font = QFont("DejaVu Sans")
    footer_font.setPointSizeF(FOOTER_PT)
    footer_box = QRectF(0, area.height() - footer_height * 0.6, area.width(), footer_height * 0.6)

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
            painter.drawLine(footer_box.topLeft(), footer_box.topRight())
            align = Qt.AlignmentFlag.AlignBottom
            painter.drawText(footer_box, align | Qt.AlignmentFlag.AlignLeft, footer)
            painter.drawText(
                footer_box, align | Qt.AlignmentFlag.AlignRight, f"Page {page + 1} of {pages}"
            )
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def a4_writer(device: QIODevice, orientation: QPageLayout.Orientation = PORTRAIT) -> QPdfWriter:
    """A PDF writer of A4 pages with the report's margins, into ``device``."""
    writer = QPdfWriter(device)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            orientation,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    return writer


def body_size(writer: QPdfWriter) -> QSizeF:
    """A page's room for the report: the page within its margins, less the footer."""
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    return QSizeF(area.width(), area.height() - FOOTER_PT / 72 * RESOLUTION * 2.5)


def paged_document(
    report: StatusReport, device: QPaintDevice, page: QSizeF, keep_headings: bool = True
) -> InertDocument:
    """The status report laid out in pages of ``page`` size for ``device`` (see
    :func:`paged_html`)."""
    pictures = {p.name: p for p in report_pictures(report)}
    html = render_html(report, QT_TEMPLATE, chart_marks(pictures))
    return paged_html(html, pictures, device, page, keep_headings)


def paged_html(
    html: str,
    pictures: Mapping[str, ReportPicture],
    device: QPaintDevice,
    page: QSizeF,
    keep_headings: bool = True,
) -> InertDocument:
    """A report's HTML laid out in pages of ``page`` size for ``device``, its charts drawn
    as vectors, each heading kept on the page of what follows it (unless ``keep_headings``
    is False)."""
    document = InertDocument()
    document.setUndoRedoEnabled(False)  # built once, never edited by a user
    # A null page size keeps Qt's layout idle while the HTML is read and the charts placed
    # (each change would lay the document out again, at no width): one layout, at the page's
    # size, where there were three. Not the page size first: Qt lays out lazily, and the
    # charts placed into a partly laid-out document lost text from the pages.
    document.setPageSize(QSizeF(0, 0))
    document.documentLayout().setPaintDevice(device)
    document.setHtml(html)
    place_charts(document, pictures, RESOLUTION / LOGICAL_DPI)  # vectors, text-column wide
    document.setPageSize(page)
    if keep_headings:
        keep_headings_with_next(document)
    return document


def keep_headings_with_next(document: QTextDocument) -> int:
    """Start a new page at each heading that its page would end with (Qt's layout knows no
    "keep with next"); returns how many moved. A move can leave another heading last on a
    later page, or a section's heading alone above the sub-heading just moved (then the page
    break moves up to the section's heading), so it goes round until none is; a heading
    whose section would not fit on a page anyway stays where it is."""
    moved: set[int] = set()  # the block numbers of the headings given a page break here
    for _round in range(MAX_HEADING_MOVES):
        stranded = [b for b, _text in _stranded(document) if b.blockNumber() not in moved]
        if not stranded:
            break
        block = stranded[0]
        _set_break(block, True)
        moved.add(block.blockNumber())
        follower = _follower(document, block)
        while follower is not None and follower.blockNumber() in moved:
            _set_break(follower, False)  # the section's heading takes the sub-heading along
            moved.discard(follower.blockNumber())
            follower = _follower(document, follower)
    return len(moved)


def _set_break(block: QTextBlock, before: bool) -> None:
    form = block.blockFormat()
    form.setPageBreakPolicy(
        QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
        if before
        else QTextFormat.PageBreakFlag.PageBreak_Auto
    )
    QTextCursor(block).setBlockFormat(form)


MAX_HEADING_MOVES = 200


def orphaned_headings(document: QTextDocument) -> list[str]:
    """The headings that end a page, apart from what follows them (for the tests)."""
    return [text for _block, text in _stranded(document)]


def _stranded(document: QTextDocument) -> list[tuple[QTextBlock, str]]:
    height = document.pageSize().height()
    layout = document.documentLayout()
    found = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0:
            follower = _follower(document, block)
            if follower is not None and _page(layout, follower, height) > _page(
                layout, block, height
            ):
                found.append((block, block.text()))
        block = block.next()
    return found


def _page(layout: QAbstractTextDocumentLayout, block: QTextBlock, height: float) -> int:
    """The page a block's first line is on (its top margin may end the page before)."""
    top = layout.blockBoundingRect(block).top()
    lines = block.layout()
    if lines is not None and lines.lineCount():
        top += lines.lineAt(0).y()
    return int(top // height)


def _follower(document: QTextDocument, heading: QTextBlock) -> QTextBlock | None:
    """The first block of what a heading introduces: the next block with text, or of a
    table the first cell below its header rows (which Qt repeats on every page anyway)."""
    block = heading.next()
    while block.isValid() and not block.text().strip():
        block = block.next()
    if not block.isValid():
        return None
    table = QTextCursor(block).currentTable()
    if table is not None:
        header_rows = table.format().headerRowCount()
        if header_rows < table.rows():
            return table.cellAt(header_rows, 0).firstCursorPosition().block()
    return block
