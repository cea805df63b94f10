"""Reports of the sample data (`kanban demo`): every format, and past updates as they were."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Iterator

import pypdf
import pytest
from report_helpers import Page, plain

from kanban.reports import model
from kanban.reports.export import render
from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.services.items import load_board
from kanban.services.status_updates import list_status_updates

DEMO_DAY = dt.date(2026, 6, 15)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(str(tmp_path_factory.mktemp("demo") / "kanban.db"))
    create_demo(db, today=DEMO_DAY)
    yield db
    db.close()


def test_every_format_of_the_latest_update(demo: Database, qapp: object) -> None:
    latest = list_status_updates(demo, "WEB")[0]
    report = model.build_status_report(demo, "WEB", today=DEMO_DAY)
    assert report.frozen and report.update is not None and report.update.id == latest.id
    done = report.figures.done.items[0]

    markdown = render(report, "md").decode()
    assert latest.headline in markdown and f"| {done.key} |" in markdown

    page = Page(render(report, "html").decode())
    assert latest.headline in page.text
    assert any(row[:2] == [done.key, done.title] for row in page.rows())

    rows = list(csv.DictReader(io.StringIO(render(report, "csv").decode())))
    assert done.key in [r["key"] for r in rows]

    pdf = pypdf.PdfReader(io.BytesIO(render(report, "pdf")))
    assert latest.headline in plain(pdf.pages[0].extract_text())


def test_a_product_without_updates_lists_all_its_live_items(demo: Database) -> None:
    report = model.build_status_report(demo, "APP", today=DEMO_DAY)
    assert report.health == "unknown" and not report.frozen
    board = load_board(demo, "APP")
    rows = list(csv.DictReader(io.StringIO(render(report, "csv").decode())))
    assert [r["key"] for r in rows] == [card.key for card in board.cards]
    assert "Unknown" in Page(render(report, "html").decode()).text


def _replayed(demo: Database, sql: str, *params: object) -> set[str]:
    """Item keys a raw SQL query over the transitions finds (an independent reading; moments
    are Unix seconds in the file)."""
    assert demo.path is not None
    with sqlite3.connect(demo.path) as conn:
        return {row[0] for row in conn.execute(sql, params)}


LAST_MOVE_BY = """
    SELECT p.key || '-' || i.number FROM items i JOIN products p ON p.id = i.product_id
    JOIN transitions t ON t.item_id = i.id
    WHERE p.key = ? AND i.archived = 0 AND t.id = (
        SELECT t2.id FROM transitions t2 WHERE t2.item_id = i.id AND date(t2.at, 'unixepoch') <= ?
        ORDER BY t2.at DESC, t2.id DESC LIMIT 1)
    AND t.to_category = ?
"""


def test_past_updates_show_the_flow_as_it_was_on_their_day(demo: Database) -> None:
    updates = list_status_updates(demo, "WEB")
    assert len(updates) >= 2
    for update in updates:
        f = model.build_status_report(demo, "WEB", update.id).figures
        day = update.period_end
        assert f.as_of == day
        in_progress = {i.key for i in f.in_progress.items}
        assert in_progress == _replayed(demo, LAST_MOVE_BY, "WEB", day.isoformat(), "doing")
        assert all(i.age_days is not None and i.age_days >= 0 for i in f.in_progress.items)
        done_then = _replayed(demo, LAST_MOVE_BY, "WEB", day.isoformat(), "done")
        assert {i.key for i in f.done.items} <= done_then
        assert all(update.period_start <= i.done <= day for i in f.done.items if i.done)
        assert all(q.asked_on <= day for q in f.open_questions.items)
