"""Reports show the pictures: inline SVG in HTML, vector charts in PDF, PNG files beside
Markdown, the charts' data beside CSV; from the sample products' history."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from report_helpers import Page, plain

from kanban.errors import KanbanError
from kanban.reports import model, pictures
from kanban.reports.export import render, write_report
from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.services.figures import load_flow
from kanban.services.items import add_item, move_item
from kanban.services.products import create_product, list_columns
from kanban.services.sprints import create_sprint, set_sprint_items, start_sprint

TODAY = dt.date(2026, 11, 27)
SVG = "{http://www.w3.org/2000/svg}"
TITLES = (
    "Forecast: when will it be done?",
    "Target date and forecast over time",
    "Roadmap",
    "Burndown of Sprint 4 (points)",
    "Throughput per week",
    "Cycle time",
    "Cumulative flow",
)
SPRINT_NAME = '<script>alert("x")</script> & <b>Q3</b>'


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, qapp: QApplication) -> Iterator[Database]:
    """The sample products with eight weeks of history up to TODAY (read only here)."""
    db = open_database(str(tmp_path_factory.mktemp("pictures") / "kanban.db"))
    create_demo(db, TODAY)
    yield db
    db.close()


@pytest.fixture(scope="module")
def report(demo: Database) -> model.StatusReport:
    """WEB's report of its latest status update (frozen figures, charts replayed)."""
    return model.build_status_report(demo, "WEB", today=TODAY, charts=True)


def svg_elements(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()).strip() for t in svg.iter(f"{SVG}text")]


def test_the_report_carries_the_data_of_its_charts_when_asked(
    demo: Database, report: model.StatusReport
) -> None:
    assert model.build_status_report(demo, "WEB", today=TODAY).charts is None
    assert report.frozen and report.charts is not None
    f, charts = report.figures, report.charts
    assert charts.cumulative_flow.end == f.as_of == charts.cycle_time.end
    assert charts.cumulative_flow.start == f.throughput[0].week_start  # the forecast's window
    assert len(charts.cycle_time.points) == f.cycle_time.count
    assert charts.sprint is not None and charts.sprint.sprint.name == "Sprint 4"
    assert [p.name for p in pictures.report_pictures(report)] == [
        "cfd", "throughput", "cycle-time", "forecast", "target-history", "burndown", "roadmap",
    ]  # fmt: skip
    assert [line.name for line in charts.roadmap] == [
        "2026.1 Search and photos", "2026.2 Checkout", "2026.3 Accessibility",
        "WEB-14 Checkout redesign", "WEB-16 Accessibility (WCAG 2.1 AA)",
    ]  # fmt: skip


def test_a_frozen_report_replays_its_charts_from_the_history_as_of_its_day(
    demo: Database, report: model.StatusReport
) -> None:
    replayed = model.report_charts(load_flow(demo, "WEB"), report.figures)
    assert report.charts is not None
    assert replayed == dataclasses.replace(report.charts, roadmap=())  # read beside the flow
    later = model.build_status_report(demo, "WEB", today=TODAY + dt.timedelta(days=30), charts=True)
    assert later.charts == report.charts  # the update's day, whatever today is


def test_html_embeds_every_chart_as_inline_svg_and_stays_one_file(
    report: model.StatusReport,
) -> None:
    html = render(report, "html").decode("utf-8")
    svgs = svg_elements(html)
    assert [next(t for t in texts(svg) if t) for svg in svgs] == list(TITLES)
    for svg in svgs:
        tall = "0 0 880 320" if svg.get("aria-label") == "Roadmap" else "0 0 880 400"
        assert svg.get("width") == "100%" and svg.get("viewBox") == tall
        assert svg.get("role") == "img" and svg.get("aria-label")
        assert {e.tag for e in svg.iter()} <= pictures.SAFE_SVG
    page = Page(html)
    assert not page.named("img") and not page.named("script") and not page.named("link")
    assert "http" not in " ".join(str(a) for tag in ("a", "img") for a in page.named(tag))


def test_pdf_draws_the_charts_as_vectors_with_their_words_as_text(
    report: model.StatusReport,
) -> None:
    reader = pypdf.PdfReader(io.BytesIO(render(report, "pdf")))
    words = plain(" ".join(page.extract_text() for page in reader.pages))
    for title in TITLES:
        assert title in words
    assert "Done In progress To do Backlog" in words  # the CFD's legend, as text
    for page in reader.pages:
        objects = page.get("/Resources", {}).get("/XObject", {})
        images = [o for o in objects.values() if o.get_object().get("/Subtype") == "/Image"]
        assert images == []  # no chart was put in as a picture
    paths = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert paths.count(b" l\n") + paths.count(b" l ") > 500  # lines drawn, not pixels


def test_markdown_written_to_a_file_links_png_files_beside_it(
    demo: Database, tmp_path: Path
) -> None:
    target = tmp_path / "status report.md"
    text = write_report(demo, "WEB", "md", target, today=TODAY).decode("utf-8")
    links = re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", text)
    assert [file for _alt, file in links] == [
        "status%20report-forecast.png", "status%20report-target-history.png",
        "status%20report-roadmap.png", "status%20report-burndown.png",
        "status%20report-throughput.png", "status%20report-cycle-time.png",
        "status%20report-cfd.png",
    ]  # fmt: skip
    for _alt, file in links:
        image = QImage(str(tmp_path / file.replace("%20", " ")))
        tall = 480 if file.endswith("roadmap.png") else 600  # a roadmap is as tall as its rows
        assert (image.width(), image.height()) == (1320, tall)
        colours = {image.pixel(x, y) for y in range(0, tall, 9) for x in range(0, 1320, 9)}
        assert len(colours) > 8
    stdout = write_report(demo, "WEB", "md", None, today=TODAY).decode("utf-8")
    assert "![" not in stdout  # nowhere to put the files: no dangling links


def test_csv_written_to_a_file_brings_the_charts_data_beside_it(
    demo: Database, report: model.StatusReport, tmp_path: Path
) -> None:
    items = write_report(demo, "WEB", "csv", tmp_path / "report.csv", today=TODAY)
    assert items.startswith(b"key,title,kind")  # the items table is as it was
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report-figures.csv").read_text())))
    charts = report.charts
    assert charts is not None
    by_chart = {
        name: [r for r in rows if r["chart"] == name] for name in {r["chart"] for r in rows}
    }
    assert len(by_chart["cfd"]) == 4 * len(charts.cumulative_flow.days)
    last = charts.cumulative_flow.days[-1]
    assert [int(r["y"]) for r in by_chart["cfd"][-4:]] == list(last.counts)
    assert len(by_chart["throughput"]) == 2 * len(report.figures.throughput)
    cycle = [r for r in by_chart["cycle-time"] if r["series"] == "item"]
    assert len(cycle) == len(charts.cycle_time.points)
    assert {r["series"] for r in by_chart["forecast"]} == {"runs", "p50", "p70", "p85", "p95"}
    assert {r["series"] for r in by_chart["burndown"]} >= {"remaining_points", "scope_items"}
    history = [(r["x"], r["series"], r["y"]) for r in by_chart["target-history"]]
    assert history == [
        (row.day.isoformat(), series, value.isoformat())
        for row in report.history.rows
        for series, value in (
            ("target", row.target),
            ("p50", row.forecast_p50),
            ("p85", row.forecast_p85),
        )
        if value is not None
    ]
    assert "update" in {r["item"] for r in by_chart["target-history"]}
    roadmap = [(r["item"], r["series"], r["x"], r["y"]) for r in by_chart["roadmap"]]
    assert charts.roadmap  # the sample's releases and epics
    assert roadmap == [
        (f"{line.kind} {line.name}", series, value.isoformat(), str(line.remaining))
        for line in charts.roadmap
        for series, value in (("target", line.target), ("p50", line.p50), ("p85", line.p85))
        if value is not None
    ]
    assert "data-quality" not in by_chart  # the sample's history is sound
    assert write_report(demo, "WEB", "csv", None, today=TODAY) == items  # stdout: items only


@pytest.fixture
def marked(db: Database, qapp: QApplication) -> Database:
    """A product whose running sprint's name is markup, with an item moved to done."""
    product = create_product(db, "MRK", "Marked")
    columns = {c.name: c.id for c in list_columns(db, product.id)}
    first = add_item(db, "MRK", "<img src=/etc/passwd> first", points=3)
    second = add_item(db, "MRK", "second", points=2)
    sprint = create_sprint(db, "MRK", SPRINT_NAME)
    set_sprint_items(db, sprint.id, add=[first.id, second.id])
    start_sprint(db, sprint.id)
    move_item(db, first.id, column_id=columns["In Progress"])
    move_item(db, first.id, column_id=columns["Done"])
    return db


def test_user_text_reaches_the_pictures_as_text(marked: Database) -> None:
    report = model.build_status_report(marked, "MRK", charts=True)
    html = render(report, "html").decode("utf-8")
    assert "<script" not in html and "<b>Q3" not in html
    (burndown,) = [
        svg for svg in svg_elements(html) if "burndown" in svg.get("aria-label", "").lower()
    ]
    assert f"Burndown of {SPRINT_NAME} (points)" in texts(burndown)
    words = plain(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render(report, "pdf"))).pages)
    )
    assert f"Burndown of {SPRINT_NAME}" in words


def test_an_svg_holding_anything_but_drawing_is_refused(
    report: model.StatusReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = pictures.report_pictures(report)[0]
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    monkeypatch.setattr(pictures, "svg_bytes", lambda *_args: evil)
    with pytest.raises(KanbanError, match="drew something a report cannot hold"):
        pictures.inline_svg(picture)
    link = b'<svg xmlns="http://www.w3.org/2000/svg"><g onload="x()"/></svg>'
    monkeypatch.setattr(pictures, "svg_bytes", lambda *_args: link)
    with pytest.raises(KanbanError):
        pictures.inline_svg(picture)


def test_a_product_without_history_has_no_pictures(db: Database, tmp_path: Path) -> None:
    create_product(db, "NEW", "New product")
    report = model.build_status_report(db, "NEW", charts=True)
    assert pictures.report_pictures(report) == []
    assert "<svg" not in render(report, "html").decode("utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    write_report(db, "NEW", "md", folder / "new.md")
    assert sorted(p.name for p in folder.iterdir()) == ["new.md"]
