"""PDF pages never end with a section heading (issue 14.8): a heading goes to the next page
with what it introduces."""

from __future__ import annotations

import io

import pypdf
import pytest
from PySide6.QtCore import QBuffer, QIODevice
from report_helpers import plain

from kanban.charts.render import application
from kanban.reports import model
from kanban.reports.pdf import a4_writer, body_size, orphaned_headings, paged_document, render_pdf
from kanban.services import Database
from kanban.services.items import add_item
from kanban.services.products import create_product


def stranded(report: model.StatusReport, keep_headings: bool) -> list[str]:
    application()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = a4_writer(buffer)
    document = paged_document(report, writer, body_size(writer), keep_headings=keep_headings)
    return orphaned_headings(document)


@pytest.fixture
def growing(db: Database) -> Database:
    create_product(db, "WEB", "Web shop")
    return db


def test_no_page_ends_with_a_heading_whatever_the_length_of_the_report(
    growing: Database,
) -> None:
    """Reports of 1 to 24 items push every section down a line at a time: some heading
    lands last on a page unless kept with what follows."""
    alone_without = {}
    for count in range(1, 25):
        add_item(growing, "WEB", f"Item {count}: a title long enough to fill most of a line")
        report = model.build_status_report(growing, "WEB")
        if found := stranded(report, keep_headings=False):
            alone_without[count] = found
        assert stranded(report, keep_headings=True) == [], count
    assert alone_without, "no report length left a heading alone: the test shows nothing"


def test_the_pdf_shows_a_kept_heading_on_the_page_of_its_section(growing: Database) -> None:
    for count in range(1, 40):
        add_item(growing, "WEB", f"Item {count}: a title long enough to fill most of a line")
        report = model.build_status_report(growing, "WEB")
        if found := stranded(report, keep_headings=False):
            break
    else:
        pytest.fail("no report length left a heading alone")
    pages = [plain(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(render_pdf(report))).pages]
    heading = found[0]
    (page,) = [text for text in pages if heading in text]
    after = page.split(heading, 1)[1]
    assert after.split("Web shop (WEB): status report of")[0].strip(), f"{heading!r} ends its page"
