"""Items whose history is missing or impossible are counted, listed and left out of the
figures; no figure, chart or report fails on them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from kanban.metrics import charts
from kanban.metrics.flow import throughput
from kanban.metrics.forecast import forecast
from kanban.reports.export import render, write_report
from kanban.reports.model import build_status_report
from kanban.services import Database
from kanban.services.figures import load_flow
from kanban.services.items import add_item
from kanban.services.records import ProductInfo
from kanban.services.status_updates import create_status_update
from kanban.storage.models import BoardColumn, Item, Transition

DAY = dt.date(2024, 3, 15)


def at(day: int) -> dt.datetime:
    return dt.datetime(2024, 3, day, 10)


@pytest.fixture
def damaged(db: Database, product: ProductInfo) -> Database:
    """WEB with one sound finished item and one item of each kind of impossible history."""
    keys = {
        title: add_item(db, "WEB", title).id
        for title in ("sound", "moved early", "done early", "negative", "shuffled", "no record")
    }
    with db.write() as session:
        column = {
            c.category: c
            for c in session.scalars(
                select(BoardColumn).where(BoardColumn.product_id == product.id)
            )
        }
        session.query(Transition).delete()

        def move(item_id: int, when: dt.datetime, category: str) -> None:
            session.add(Transition(item_id=item_id, to_column_id=column[category].id,
                                   to_category=category, at=when))  # fmt: skip
            session.flush()

        def place(title: str, category: str, created: dt.datetime, **stamps: object) -> int:
            item = session.get(Item, keys[title])
            assert item is not None
            item.column_id, item.created_at = column[category].id, created
            for name, value in stamps.items():
                setattr(item, name, value)
            return item.id

        sound = place("sound", "done", at(1))
        move(sound, at(1), "backlog"), move(sound, at(4), "doing"), move(sound, at(6), "done")
        early = place("moved early", "done", at(8))
        move(early, at(2), "backlog"), move(early, at(9), "done")
        place("done early", "done", at(10), started_at=at(3), done_at=at(3))
        place("negative", "done", at(1), started_at=at(9), done_at=at(5))
        shuffled = place("shuffled", "doing", at(1))
        (
            move(shuffled, at(1), "backlog"),
            move(shuffled, at(7), "doing"),
            move(shuffled, at(3), "todo"),
        )
        place("no record", "done", at(1), done_at=None)
    return db


def test_the_unsound_items_are_listed_with_their_problem(damaged: Database) -> None:
    flow = load_flow(damaged, "WEB")
    assert [i.title for i in flow.items] == ["sound"]
    found = {i.title: i.problem for i in flow.quality.issues}
    assert found == {
        "moved early": "moved_before_created",
        "done early": "done_before_created",
        "negative": "negative_time",
        "shuffled": "out_of_order",
        "no record": "missing",
    }
    assert flow.quality.count == 5 and flow.quality.checked == 6
    assert flow.quality.note().startswith("5 of 6 items are left out of the figures")


def test_they_are_left_out_of_every_figure_and_no_chart_fails(damaged: Database) -> None:
    flow = load_flow(damaged, "WEB")
    assert [w.items for w in throughput(flow, dt.date(2024, 3, 4), DAY)] == [1, 0]
    start = dt.date(2024, 3, 1)
    assert charts.cumulative_flow_chart(flow, start, DAY).days[-1].counts == (0, 0, 0, 1)
    assert len(charts.cycle_time_chart(flow, start, DAY).points) == 1
    assert charts.aging_chart(flow, DAY).quality.count == 5
    assert forecast(flow, DAY).remaining_items == 0


def test_reports_carry_the_data_quality_note(damaged: Database, qapp: object) -> None:
    create_status_update(damaged, "WEB", health="at_risk", period_start=DAY, period_end=DAY,
                         as_of=DAY)  # fmt: skip
    report = build_status_report(damaged, "WEB")
    assert report.frozen and report.figures.quality.count == 5
    markdown = render(report, "md").decode()
    assert "## Data quality" in markdown and "WEB-5 (moves recorded out of order)" in markdown
    html = render(report, "html").decode()
    assert "Data quality" in html and "finished before it started" in html
    assert render(report, "pdf").startswith(b"%PDF")
    assert render(report, "csv")


def test_the_csv_figures_list_the_items_left_out(damaged: Database, tmp_path: Path) -> None:
    write_report(damaged, "WEB", "csv", tmp_path / "report.csv", today=DAY)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report-figures.csv").read_text())))
    left_out = [(r["series"], r["item"]) for r in rows if r["chart"] == "data-quality"]
    assert len(left_out) == 5
    assert ("negative_time", "WEB-4 negative: started 2024-03-09, done 2024-03-05") in left_out
