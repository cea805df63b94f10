"""The roadmap in the status report (issue 13.2, 'exports ... into reports'): the product's
releases and epics drawn as a chart in the HTML and PDF reports and as a PNG beside Markdown,
late ones in red; through the real command line on the sample."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_runner import Run
from report_helpers import plain

from kanban.charts.roadmap import LATE
from kanban.domain import Category, ItemKind
from kanban.services import open_database
from kanban.services.demo import create_demo
from kanban.services.items import load_board
from kanban.services.releases import create_release, set_items_release

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with a release of WEB due in a week, holding ten open items: late."""
    path = tmp_path_factory.mktemp("roadmap") / "kanban.db"
    db = open_database(str(path))
    create_demo(db)
    soon = dt.date.today() + dt.timedelta(days=7)
    release = create_release(db, "WEB", "2.0 <b>beta</b>", target=soon)
    board = load_board(db, "WEB")
    done = {c.id for c in board.columns if c.category == Category.DONE}
    open_items = [c for c in board.cards if c.kind != ItemKind.EPIC and c.column_id not in done]
    set_items_release(db, {c.id: release.id for c in open_items[:10]})
    db.close()
    return path


def _roadmap_svg(html: str) -> ET.Element:
    found = [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", html, re.S)]
    (roadmap,) = [svg for svg in found if svg.get("aria-label") == "Roadmap"]
    return roadmap


def test_html_draws_the_roadmap_with_the_late_release_in_red(
    run: Run, sample_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    assert run("--db", sample_file, "report", "WEB", "--format", "html", "-o", target).code == 0
    html = target.read_text(encoding="utf-8")
    assert "<b>beta" not in html
    svg = _roadmap_svg(html)
    words = [plain("".join(t.itertext())) for t in svg.iter(f"{SVG}text")]
    late = [w for w in words if w.startswith("Release 2.0 <b>beta</b> · ")]
    assert late and late[0].endswith("days late")
    assert any(w.startswith("Epic WEB-") for w in words)
    assert "Today" in words and "Target ◆" in words
    fills = {e.get("fill", "").lower() for e in svg.iter()} | {
        m.lower() for m in re.findall(r"fill=\"(#[0-9a-fA-F]{6})\"", ET.tostring(svg).decode())
    }
    assert LATE.lower() in fills


def test_pdf_and_markdown_carry_the_roadmap(run: Run, sample_file: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    assert run("--db", sample_file, "report", "WEB", "--format", "pdf", "-o", pdf).code == 0
    text = plain(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    assert "Roadmap" in text and "Release 2.0 <b>beta</b> ·" in text
    md = tmp_path / "report.md"
    assert run("--db", sample_file, "report", "WEB", "--format", "md", "-o", md).code == 0
    assert "![Roadmap: releases and epics against their targets](report-roadmap.png)" in (
        md.read_text(encoding="utf-8")
    )
    assert (tmp_path / "report-roadmap.png").read_bytes().startswith(b"\x89PNG")
