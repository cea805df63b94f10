"""The sprint review pack (issue 13.6): a closed sprint's review from the command line into
real files (Markdown, HTML parsed back, PDF read back with pdftotext and pdftoppm)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import Result, Run
from report_helpers import Page, plain
from review_sample import MARKUP_TITLE, ReviewSample, build_review_sample

from kanban.metrics.records import today_utc
from kanban.reports.review import build_review
from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.services.items import move_item
from kanban.services.products import list_columns
from kanban.services.sprints import close_sprint, find_sprint, start_sprint

Kanban = Callable[..., Result]


@pytest.fixture
def sample(db_path: Path) -> ReviewSample:
    db = open_database(str(db_path))
    try:
        return build_review_sample(db)
    finally:
        db.close()


@pytest.fixture
def kanban(run: Run, db_path: Path) -> Kanban:
    return lambda *args: run("--db", db_path, *args)


def test_the_review_counts_committed_done_added_removed_and_carried(
    sample: ReviewSample, db_path: Path
) -> None:
    db = open_database(str(db_path))
    try:
        review = build_review(db, "WEB")
    finally:
        db.close()
    assert review.recorded
    assert [i.key for i in review.committed] == ["WEB-1", "WEB-2", "WEB-3", "WEB-4"]
    assert review.committed_points == 18
    assert [i.key for i in review.done] == list(sample.done) and review.done_points == 6
    assert [i.key for i in review.committed_done] == ["WEB-1"]
    assert [i.key for i in review.added] == [sample.added]
    assert [i.key for i in review.removed] == [sample.removed]
    assert [(i.key, i.carried_to, i.column) for i in review.carried] == [
        ("WEB-2", "Sprint 2", "In Progress"),
        ("WEB-3", "Sprint 2", "To Do"),
    ]
    assert [q.text for q in review.questions] == ["Guest checkout too?"]
    assert review.goal_verdict == "not met"
    # The carried work is still in the burndown's last day: 11 points were left undone.
    last = review.burn.days[-1]
    assert (last.remaining_points, last.remaining_items) == (11, 2)


def test_markdown_on_stdout_escapes_user_text(sample: ReviewSample, kanban: Kanban) -> None:
    result = kanban("sprint", "review", "WEB")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("# Sprint 1: sprint review\n")
    assert "**Sprint goal:** Take card payments" in out and "**Goal:** not met" in out
    assert "| Committed at the start | 4 | 18 |" in out
    assert "| **Done by the closing** | 2 | 6 |" in out
    assert "| Carried over | 2 | 11 |" in out
    assert "| WEB-3 | PayPal payments | 8 | To Do | Sprint 2 |" in out
    assert "| WEB-4 | Loyalty programme | 2 | taken out" in out
    assert r"Search by brand &lt;b&gt;bold&lt;/b&gt; \*stars\*" in out
    assert "Yes, guests &lt;i&gt;can&lt;/i&gt;." in out
    assert "Still open?" not in out  # not answered
    assert sample.later not in out
    assert "![" not in out  # no file beside stdout


def test_markdown_to_a_file_links_the_burndown_written_beside_it(
    sample: ReviewSample, kanban: Kanban, tmp_path: Path
) -> None:
    target = tmp_path / "review 1.md"
    result = kanban("sprint", "review", "WEB", "sprint 1", "-o", target)
    assert result.code == 0, result.err
    assert result.out == f"Wrote {target}\n"
    picture = tmp_path / "review 1-burndown.png"
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert "![Burndown of Sprint 1](review%201-burndown.png)" in target.read_text()


def test_html_is_one_page_with_the_burndown_and_no_user_markup(
    sample: ReviewSample, kanban: Kanban, tmp_path: Path
) -> None:
    target = tmp_path / "review.html"
    assert kanban("sprint", "review", "WEB", "--format", "html", "-o", target).code == 0
    page = Page(target.read_text(encoding="utf-8"))
    tags = {name for name, _attrs in page.tags}
    assert "svg" in tags and not tags & {"b", "i", "script", "img", "link"}
    assert "Sprint 1: sprint review" in page.text
    rows = page.rows()
    assert ["Committed at the start", "4", "18"] in rows
    assert ["Of the committed, done", "1", "5"] in rows
    assert ["WEB-2", plain(MARKUP_TITLE), "3", "In Progress", "Sprint 2"] in rows
    assert [sample.added, "Hotfix: wrong prices", "bug", "1", today_utc().isoformat()] in rows
    assert any(r[:2] == ["1", "Guest checkout too?"] for r in rows)


def test_pdf_pages_hold_the_review(sample: ReviewSample, kanban: Kanban, tmp_path: Path) -> None:
    target = tmp_path / "review.pdf"
    assert kanban("sprint", "review", "WEB", "--format", "pdf", "-o", target).code == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Web shop (WEB): review of Sprint 1" in page
    words = plain(text)
    assert "Sprint 1: sprint review" in words and "Goal: not met" in words
    assert "Burndown of Sprint 1" in words  # the chart's own words, drawn as text
    assert f"WEB-2 {plain(MARKUP_TITLE)} 3 In Progress Sprint 2" in words
    assert "Guest checkout too?" in words
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(target), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == len(pages)


def test_the_last_closed_sprint_is_the_default_and_backlog_carry_is_said(
    sample: ReviewSample, kanban: Kanban, db_path: Path
) -> None:
    db: Database = open_database(str(db_path))
    try:
        two = find_sprint(db, "WEB", "Sprint 2")
        start_sprint(db, two.id)
        done = next(c.id for c in list_columns(db, two.product_id) if c.name == "Done")
        move_item(db, 2, column_id=done)  # WEB-2 (item id 2) is finished
        close_sprint(db, two.id, None, goal_met=True)
    finally:
        db.close()
    result = kanban("sprint", "review", "WEB")
    assert result.code == 0, result.err
    assert result.out.startswith("# Sprint 2: sprint review")
    assert "**Goal:** met" in result.out
    assert "| WEB-3 | PayPal payments | 8 | To Do | the backlog |" in result.out
    assert "| WEB-3 | PayPal payments | 8 | back to the backlog |" in result.out
    assert "| WEB-2 |" in result.out.split("## Done")[1].split("##")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("NOPE",), "No product"),
        (("WEB", "Sprint 9"), "No sprint 'Sprint 9' in WEB; the sprints are: Sprint 1, Sprint 2"),
        (("WEB", "Sprint 2"), "Sprint 2 of WEB is planned, not closed"),
        (("WEB", "--format", "pdf"), "a PDF review needs an output file: -o FILE"),
    ],
)
def test_bad_requests_get_one_line(
    sample: ReviewSample, kanban: Kanban, args: tuple[str, ...], message: str
) -> None:
    result = kanban("sprint", "review", *args)
    assert result.code != 0 and result.out == ""
    assert message in result.err and result.err.count("\n") == 1


def test_a_product_without_a_closed_sprint_says_so(run: Run, db_path: Path) -> None:
    db = open_database(str(db_path))
    from kanban.services.products import create_product

    create_product(db, "APP", "App")
    db.close()
    result = run("--db", db_path, "sprint", "review", "APP")
    assert result.code != 0 and result.err.strip().endswith("APP has no closed sprint yet")


def test_the_samples_closed_sprint_gets_a_review(run: Run, db_path: Path) -> None:
    db = open_database(str(db_path))
    create_demo(db)
    review = build_review(db, "WEB")
    db.close()
    result = run("--db", db_path, "sprint", "review", "WEB")
    assert result.code == 0, result.err
    assert f"# {review.sprint.name}: sprint review" in result.out
    assert f"| Committed at the start | {len(review.committed)} |" in result.out
    # A sprint whose scope over time was not recorded says so rather than guess.
    assert ("was not recorded" in result.out) is not review.recorded


def test_json_holds_the_figures_and_every_item_once(sample: ReviewSample, kanban: Kanban) -> None:
    result = kanban("sprint", "review", "WEB", "--json")
    assert result.code == 0, result.err
    shape = json.loads(result.out)
    assert shape["product"] == "WEB" and shape["recorded"] is True
    assert shape["sprint"]["name"] == "Sprint 1" and shape["sprint"]["goal_met"] is False
    assert shape["committed"] == {"items": 4, "points": 18.0}
    assert shape["done"] == {"items": 2, "points": 6.0}
    assert shape["committed_done"] == {"items": 1, "points": 5.0}
    assert shape["carried"] == {"items": 2, "points": 11.0}
    items = {i["key"]: i for i in shape["items"]}
    assert len(items) == len(shape["items"]) == 5 and sample.later not in items
    assert {k: i["outcome"] for k, i in items.items()} == {
        "WEB-1": "done", "WEB-2": "carried", "WEB-3": "carried", "WEB-4": "removed",
        sample.added: "done",
    }  # fmt: skip
    assert items["WEB-3"]["carried_to"] == "Sprint 2" and items["WEB-3"]["column"] == "To Do"
    assert items[sample.added]["committed"] is False and items[sample.added]["added"]
    assert items["WEB-2"]["title"] == MARKUP_TITLE  # exact, not escaped
    assert [q["text"] for q in shape["questions"]] == ["Guest checkout too?"]
    assert shape["burndown"][-1]["remaining_points"] == 11.0
    refused = kanban("sprint", "review", "WEB", "--json", "--format", "html")
    assert refused.code != 0 and "takes no --format" in refused.err
