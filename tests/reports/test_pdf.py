"""The PDF report (Qt, offscreen): its text read back with pypdf, A4 pages, page numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from report_helpers import SCRIPT, Page, Sample, build_sample, plain

from kanban import metrics
from kanban.reports import model
from kanban.reports.html import render_html
from kanban.reports.inert_document import InertDocument
from kanban.reports.pdf import QT_TEMPLATE, render_pdf
from kanban.services import open_database
from kanban.services.products import create_product
from kanban.services.status_updates import create_status_update

TODAY = metrics.today_utc()
A4_POINTS = (595, 842)


@dataclasses.dataclass(frozen=True)
class Rendered:
    sample: Sample
    report: model.StatusReport
    data: bytes
    texts: list[str]


def pages_text(data: bytes) -> list[str]:
    return [plain(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, qapp: object) -> Iterator[Rendered]:
    """The sample's 'off track' report as PDF, rendered and read back once (pypdf is slow)."""
    db = open_database(str(tmp_path_factory.mktemp("pdf") / "kanban.db"))
    sample = build_sample(db, create_product(db, "WEB", "Web shop"))
    start = TODAY - dt.timedelta(days=14)
    create_status_update(
        db,
        "WEB",
        health="off_track",
        period_start=start,
        period_end=TODAY,
        headline="Launch moves to March",
        problems='<img src="/etc/hostname"> blocks us',
    )
    report = model.build_status_report(db, "WEB")
    data = render_pdf(report)
    yield Rendered(sample, report, data, pages_text(data))
    db.close()


def test_pdf_holds_the_report_on_numbered_a4_pages(rendered: Rendered) -> None:
    assert rendered.data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(rendered.data))
    assert all(
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == A4_POINTS
        for p in reader.pages
    )
    count = len(rendered.texts)
    for number, text in enumerate(rendered.texts, 1):
        assert f"Page {number} of {count}" in text
        assert "Web shop (WEB): status report of" in text
    text = " ".join(rendered.texts)
    assert "Off track" in text and "Launch moves to March" in text
    assert f"{rendered.sample.done} Checkout page story 5" in text
    assert "Waiting for the merchant account" in text
    assert "Problems slowing the project" in text
    assert reader.metadata is not None and reader.metadata.title == "Status report: Web shop (WEB)"


def test_pdf_shows_markup_in_user_text_as_text(rendered: Rendered) -> None:
    text = " ".join(rendered.texts)
    assert SCRIPT in text
    assert '<img src="/etc/hostname"> blocks us' in text


def test_the_html_given_to_qt_is_escaped(rendered: Rendered) -> None:
    source = render_html(rendered.report, QT_TEMPLATE)
    page = Page(source)
    assert [name for name, _ in page.tags if name in ("script", "img", "a", "link")] == []
    assert SCRIPT in page.text and '<img src="/etc/hostname"> blocks us' in page.text
    assert "&lt;script&gt;" in source


def test_the_pdf_document_never_loads_a_local_file(qapp: object, tmp_path: Path) -> None:
    picture = tmp_path / "secret.png"
    QImage(4, 4, QImage.Format.Format_RGB32).save(str(picture))
    url = QUrl.fromLocalFile(str(picture))
    kind = QTextDocument.ResourceType.ImageResource
    plain_document = QTextDocument()
    plain_document.setHtml(f'<img src="{url.toString()}">')
    assert plain_document.resource(kind, url) is not None  # the hazard is real...
    guarded = InertDocument()
    guarded.setHtml(f'<img src="{url.toString()}">')
    loaded = guarded.resource(kind, url)
    assert isinstance(loaded, QImage)  # ...and the report's document answers a blank,
    assert (loaded.width(), loaded.height()) == (1, 1)  # not the 4x4 file on disk


def test_a_long_report_breaks_into_more_pages(rendered: Rendered) -> None:
    report = rendered.report
    first = report.figures.added.items[0]
    extra = tuple(
        dataclasses.replace(first, key=f"WEB-{100 + n}", title=f"Extra work item number {n}")
        for n in range(80)  # more than the blank left where a chart moved to the next page
    )
    added = dataclasses.replace(report.figures.added, items=extra, count=80)
    long = dataclasses.replace(report, figures=dataclasses.replace(report.figures, added=added))
    texts = pages_text(render_pdf(long))
    assert len(texts) > len(rendered.texts)
    joined = " ".join(texts)
    assert all(f"WEB-{100 + n} Extra work item number {n} " in joined for n in range(80))
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]
