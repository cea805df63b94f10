"""Every report format generated from the sample data and read back: HTML, Markdown, CSV."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re

import markdown as markdown_lib
import pytest
from report_helpers import FORMULAS, SCRIPT, Page, Sample

from kanban import metrics
from kanban.reports import model
from kanban.reports.csv import HEADER, neutralise, render_csv
from kanban.reports.html import render_html
from kanban.reports.markdown import render_markdown
from kanban.reports.text import HEALTH_COLOURS
from kanban.services.status_updates import create_status_update

TODAY = metrics.today_utc()


@pytest.fixture
def report(sample: Sample) -> model.StatusReport:
    """The report of an 'at risk' update whose words carry markup and line breaks."""
    create_status_update(
        sample.db,
        "WEB",
        health="at_risk",
        period_start=TODAY - dt.timedelta(days=14),
        period_end=TODAY,
        headline="PayPal slips <b>two weeks</b>",
        problems="Merchant account missing\n<img src=x onerror=alert(2)>",
        next_steps="# Chase Finance\n- sign the contract",
        recipient_ids=[sample.stakeholder_id],
    )
    return model.build_status_report(sample.db, "WEB")


# --- HTML ----------------------------------------------------------------------------------


def test_html_shows_every_section_with_the_data(report: model.StatusReport, sample: Sample) -> None:
    page = Page(render_html(report))
    text = page.text
    assert "Web shop (WEB)" in text
    assert "At risk" in text and "PayPal slips <b>two weeks</b>" in text
    assert "For: Maria Keller" in text
    rows = page.rows()
    assert [sample.done, "Checkout page", "story", "5", TODAY.isoformat(), "0"] in rows
    assert any(r[:2] == [sample.blocked, "PayPal payments"] for r in rows)
    assert any("Waiting for the merchant account" in r for r in rows)
    assert any(r[:2] == [sample.deleted, "Duplicate of checkout"] for r in rows)
    assert any(r[1:4] == ["Which cards <b>exactly</b>?", "", "Ben Carter"] for r in rows)
    assert any(r[1:3] == ["Guest checkout too?", "Yes, guests can check out."] for r in rows)
    for heading in ("Problems slowing the project", "Next steps", "Outlook", "Blocked (1)"):
        assert heading in text
    assert "1 of 4 items done, 5 of 17 points" in text


def test_html_escapes_every_user_string(report: model.StatusReport) -> None:
    source = render_html(report)
    page = Page(source)
    assert [name for name, _ in page.tags if name in ("script", "img", "b")] == []
    assert SCRIPT in page.text
    assert "<img src=x onerror=alert(2)>" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source


def test_html_is_one_self_contained_printable_file(report: model.StatusReport) -> None:
    source = render_html(report)
    page = Page(source)
    assert page.named("link") == [] and page.named("img") == [] and page.named("iframe") == []
    assert [a for _, attrs in page.tags for a in attrs if a in ("src", "href")] == []
    assert not re.search(r"url\(|@import|https?://", source.replace("http://evil", ""))
    assert "@media print" in source
    # The health badge carries its colour, and keeps it on paper.
    assert [a for n, a in page.tags if n == "span" and a.get("class") == "health"]
    assert re.search(r"\.health \{[^}]*background: " + HEALTH_COLOURS["at_risk"], source)
    assert "print-color-adjust: exact" in source


def test_html_health_colour_follows_the_update(sample: Sample) -> None:
    source = render_html(model.build_status_report(sample.db, "WEB"))  # no update yet
    assert "Unknown" in Page(source).text
    assert HEALTH_COLOURS["unknown"] in source
    assert HEALTH_COLOURS["at_risk"] not in source


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_lists_the_sections_and_escapes_user_text(
    report: model.StatusReport, sample: Sample
) -> None:
    text = render_markdown(report)
    assert text.startswith("# Status report: Web shop (WEB)\n")
    assert "**Health:** At risk" in text
    assert f"| {sample.done} | Checkout page | story | 5 | {TODAY.isoformat()} | 0 |" in text
    # Rendered as Markdown, no user string becomes markup, a heading or a table break.
    page = Page(markdown_lib.markdown(text, extensions=["tables"]))
    assert [name for name, _ in page.tags if name in ("script", "img", "b")] == []
    assert SCRIPT in page.text and "<img src=x onerror=alert(2)>" in page.text
    assert "# Chase Finance" in page.text
    assert [h for name, h in page.tags if name == "h1"] == [{}]
    assert any("Which cards <b>exactly</b>?" in r for r in page.rows())


def test_markdown_keeps_a_pipe_inside_its_cell(sample: Sample) -> None:
    report = model.build_status_report(sample.db, "WEB")
    item = dataclasses.replace(report.figures.done.items[0], title="Card | PayPal")
    done = dataclasses.replace(report.figures.done, items=(item,))
    report = dataclasses.replace(report, figures=dataclasses.replace(report.figures, done=done))
    page = Page(markdown_lib.markdown(render_markdown(report), extensions=["tables"]))
    assert any(r[:2] == [sample.done, "Card | PayPal"] for r in page.rows())


# --- CSV -----------------------------------------------------------------------------------


def test_csv_lists_every_live_item_with_its_fields(sample: Sample) -> None:
    rows = list(
        csv.DictReader(io.StringIO(render_csv(model.build_status_report(sample.db, "WEB"))))
    )
    assert tuple(rows[0]) == HEADER
    assert len(rows) == 9  # 11 added, one archived, one deleted
    by_key = {r["key"]: r for r in rows}
    assert by_key[sample.done] == {
        "key": sample.done,
        "title": "Checkout page",
        "kind": "story",
        "column": "Done",
        "points": "5",
        "assignee": "Ana Silva",
        "blocked_reason": "",
        "created": TODAY.isoformat(),
        "started": TODAY.isoformat(),
        "done": TODAY.isoformat(),
    }
    assert by_key[sample.blocked]["blocked_reason"] == "Waiting for the merchant account"
    assert by_key[sample.blocked]["column"] == "To Do"
    assert SCRIPT in [r["title"] for r in rows]  # CSV is data: kept as it is


def test_csv_of_a_past_update_lists_the_items_its_figures_name(
    report: model.StatusReport, sample: Sample
) -> None:
    keys = [r["key"] for r in csv.DictReader(io.StringIO(render_csv(report)))]
    assert report.frozen
    assert keys[:3] == [sample.done, *sorted(sample.in_progress)]
    assert sample.archived in keys and sample.deleted in keys


def test_csv_neutralises_cells_a_spreadsheet_would_run(report: model.StatusReport) -> None:
    titles = [r["title"] for r in csv.DictReader(io.StringIO(render_csv(report)))]
    for formula in FORMULAS:
        assert "'" + formula in titles
        assert formula not in titles


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_neutralise_prefixes_every_dangerous_start(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert neutralise("x" + cell) == "x" + cell


def test_csv_guards_tab_and_carriage_return_starts(sample: Sample) -> None:
    report = model.build_status_report(sample.db, "WEB")
    first = dataclasses.replace(report.items[0], title="\tTab", assignee="\rCR")
    report = dataclasses.replace(report, items=(first,))
    (row,) = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert (row["title"], row["assignee"]) == ("'\tTab", "'\rCR")
