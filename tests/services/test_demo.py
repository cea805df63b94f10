"""The sample data: two products with eight weeks of consistent, past-dated history."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from table_dump import dump

from kanban import metrics
from kanban.domain import ITEM_KINDS, SCORE_FIELDS, URGENCIES
from kanban.errors import ValidationError
from kanban.reports.model import build_status_report
from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.services.figures import load_flow
from kanban.services.products import create_product
from kanban.services.questions import list_questions
from kanban.storage.models import Base
from kanban.storage.tables import is_moment, read_moment

Rows = Callable[..., list[dict[str, Any]]]

TODAY = dt.date(2026, 3, 12)  # a Thursday
START = dt.datetime.combine(TODAY - dt.timedelta(weeks=8, days=1), dt.time())
END = dt.datetime.combine(TODAY, dt.time())


@pytest.fixture
def rows(db: Database) -> Rows:
    """``rows("items")``: a table's rows as dicts with Python values (dates, not text)."""

    def read(table: str, order: str = "id", where: str = "1 = 1") -> list[dict[str, Any]]:
        query = Base.metadata.tables[table].select().where(text(where)).order_by(text(order))
        with db.read() as session:
            return [dict(row._mapping) for row in session.execute(query)]

    return read


@pytest.fixture
def demo(db: Database) -> Database:
    create_demo(db, TODAY)
    return db


def by_id(rows: Rows, table: str) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in rows(table)}


def test_two_products_with_about_sixty_items_over_every_column(demo: Database, rows: Rows) -> None:
    products = {p["key"]: p for p in rows("products")}
    assert {key: p["name"] for key, p in products.items()} == {
        "WEB": "Web Shop",
        "APP": "Mobile App",
    }
    items = rows("items")
    assert 55 <= len(items) <= 70
    for product in products.values():
        own = [i for i in items if i["product_id"] == product["id"]]
        assert product["next_number"] == len(own) + 1
        assert sorted(i["number"] for i in own) == list(range(1, len(own) + 1))
        columns = rows("board_columns", where=f"product_id = {product['id']}")
        live = Counter(i["column_id"] for i in own if not i["archived"])
        assert all(live[c["id"]] > 0 for c in columns), "every column holds cards"
        # Backlog priority: ranks are unique, so the backlog has one order.
        assert len({i["rank"] for i in own}) == len(own)
    assert set(Counter(i["kind"] for i in items)) == set(ITEM_KINDS)
    assert sum(1 for i in items if i["blocked_reason"]) >= 2
    assert len({line["item_id"] for line in rows("checklist_items")}) >= 5
    assert sum(1 for i in items if i["assignee_id"]) >= 30
    assert sum(1 for i in items if i["requested_by_id"]) >= 30
    assert sum(1 for i in items if i["due_date"]) >= 1
    assert sum(1 for i in items if i["archived"]) == 1
    assert all(i["business_value"] is not None for i in items if i["kind"] == "story")
    assert len(rows("item_labels", order="item_id")) >= 50
    epics = {i["id"] for i in items if i["kind"] == "epic"}
    children = Counter(i["epic_id"] for i in items if i["epic_id"])
    assert len(epics) >= 2
    assert set(children) == epics
    assert all(count >= 2 for count in children.values())
    assert all(i["version"] == 1 for i in items)


def test_every_item_has_a_consistent_past_history_of_moves(demo: Database, rows: Rows) -> None:
    columns = by_id(rows, "board_columns")
    moves: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for move in rows("transitions", order="item_id, at, id"):
        moves[move["item_id"]].append(move)
    for item in rows("items"):
        history = moves[item["id"]]
        first, last = history[0], history[-1]
        assert first["from_column_id"] is None
        assert first["to_category"] == "backlog"
        assert first["at"] == item["created_at"]
        for before, after in itertools.pairwise(history):
            assert before["at"] < after["at"]
            assert after["from_column_id"] == before["to_column_id"]
            assert after["from_category"] == before["to_category"]
        for move in history:
            assert START <= move["at"] < END
            assert move["to_category"] == columns[move["to_column_id"]]["category"]
        assert last["to_column_id"] == item["column_id"]
        assert item["column_since"] == last["at"] == item["updated_at"]
        started = [m["at"] for m in history if m["to_category"] in ("doing", "done")]
        assert item["started_at"] == (started[0] if started else None)
        done = columns[item["column_id"]]["category"] == "done"
        assert item["done_at"] == (last["at"] if done else None)


def test_history_is_spread_over_eight_weeks_and_sprints(demo: Database, rows: Rows) -> None:
    sprints = rows("sprints")
    for product_id in (1, 2):
        own = [s for s in sprints if s["product_id"] == product_id]
        assert Counter(s["state"] for s in own) == {"closed": 3, "active": 1, "planned": 1}
        for sprint in own:
            assert sprint["end_date"] - sprint["start_date"] == dt.timedelta(days=13)
        active = next(s for s in own if s["state"] == "active")
        assert active["start_date"] <= TODAY <= active["end_date"]
    windows = {s["id"]: s for s in sprints}
    done = [i for i in rows("items") if i["done_at"]]
    assert len(done) >= 20
    for item in done:
        sprint = windows[item["sprint_id"]]
        assert sprint["start_date"] <= item["done_at"].date() <= sprint["end_date"]
    weeks = {(TODAY - i["done_at"].date()).days // 7 for i in done}
    assert len(weeks) >= 6, "work finished in most of the last eight weeks"
    assert min(i["created_at"] for i in rows("items")) < END - dt.timedelta(weeks=7)


def test_metrics_have_data(demo: Database) -> None:
    flow = load_flow(demo, "WEB")
    weeks = metrics.throughput(flow, TODAY - dt.timedelta(weeks=8), TODAY)
    assert sum(1 for week in weeks if week.items) >= 5
    assert metrics.cycle_times(flow, TODAY - dt.timedelta(weeks=8), TODAY).count >= 10
    velocity = metrics.velocity(flow)
    assert len(velocity) == 3
    assert all(sprint.points > 0 for sprint in velocity)


def test_people_questions_and_status_updates(demo: Database, rows: Rows) -> None:
    assert len(rows("team_members")) >= 5
    stakeholders = rows("stakeholders")
    assert len(stakeholders) >= 4
    follows = rows("stakeholder_products", order="stakeholder_id, product_id")
    assert {f["product_id"] for f in follows} == {1, 2}
    items = by_id(rows, "items")
    questions = rows("questions")
    assert {q["state"] for q in questions} == {"open", "answered", "obsolete"}
    assert {q["urgency"] for q in questions} == set(URGENCIES)
    assert sum(1 for q in questions if q["item_id"]) >= 6
    assert sum(1 for q in questions if q["item_id"] is None) >= 2
    for question in questions:
        assert START <= question["asked_at"] < END
        if question["item_id"]:
            assert question["asked_at"] > items[question["item_id"]]["created_at"]
        if question["state"] == "answered":
            assert question["answer"] and question["answered_by"]
            assert question["asked_at"] < question["answered_at"] < END
        else:
            assert question["answered_at"] is None
    ages = {(TODAY - q["asked_at"].date()).days for q in questions if q["state"] == "open"}
    assert min(ages) <= 2 and max(ages) >= 10
    updates = rows("status_updates", where="product_id = 1", order="created_at")
    assert len(updates) == 2
    older, newer = updates
    assert newer["created_at"] - older["created_at"] >= dt.timedelta(days=7)
    assert older["health"] != newer["health"]
    followers = {f["stakeholder_id"] for f in follows if f["product_id"] == 1}
    for update in updates:
        recipients = rows("status_update_recipients", where=f"status_update_id = {update['id']}",
                          order="stakeholder_id")  # fmt: skip
        assert {r["stakeholder_id"] for r in recipients} == followers
        assert update["headline"]
        report = build_status_report(demo, "WEB", update["id"])
        assert report.frozen, "the update carries the figures it was written from"
        assert report.figures.period_end == update["period_end"]


def test_the_product_owner_sees_open_questions_most_urgent_first(demo: Database) -> None:
    open_questions = list_questions(demo, "WEB", state="open")
    assert len(open_questions) >= 3
    assert open_questions[0].urgency == "critical"
    assert all(q.asked_by for q in open_questions)


def test_every_change_is_in_the_audit_trail(demo: Database, rows: Rows) -> None:
    activities = rows("activities")
    actions = Counter(a["action"] for a in activities)
    moves = len(rows("transitions"))
    assert actions["created"] + actions["moved"] == moves
    for action in ("product_created", "sprint_started", "sprint_closed", "question_asked",
                   "question_answered", "status_update", "member_added"):  # fmt: skip
        assert actions[action] > 0, action
    assert all(START <= a["at"] < END for a in activities)


def snapshot_of(path: Path) -> dict[str, list[dict[str, Any]]]:
    db = open_database(str(path))
    try:
        with db.read() as session:
            return {
                table.name: [dict(r._mapping) for r in session.execute(table.select())]
                for table in Base.metadata.sorted_tables
            }
    finally:
        db.close()


def test_the_same_day_gives_the_same_data(tmp_path: Path) -> None:
    paths = [tmp_path / "one.db", tmp_path / "two.db"]
    for path in paths:
        db = open_database(str(path))
        create_demo(db, TODAY)
        db.close()
    first, second = (snapshot_of(path) for path in paths)
    assert first == second
    assert len(first["items"]) > 50


def test_refused_when_the_sample_exists_and_nothing_is_written(
    demo: Database, snapshot: Callable[[], dict[str, Any]]
) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match="already"):
        create_demo(demo, TODAY)
    assert snapshot() == before


def test_refused_when_a_product_uses_a_sample_key(
    db: Database, snapshot: Callable[[], dict[str, Any]]
) -> None:
    create_product(db, "APP", "Our own app")
    before = snapshot()
    with pytest.raises(ValidationError, match="APP"):
        create_demo(db, TODAY)
    assert snapshot() == before


def test_default_day_is_today(db: Database, rows: Rows) -> None:
    create_demo(db)
    now = dt.datetime.now()
    latest = max(t["at"] for t in rows("transitions"))
    assert now - dt.timedelta(days=5) < latest < now.replace(hour=0, minute=0) + dt.timedelta(1)


# --- the same sample, whoever writes it --------------------------------------------------------

SAMPLE_DIGESTS = Path(__file__).with_name("sample_tables.json")
"""sha256 of each table of the sample built for TODAY, as the ORM builder wrote it before the
sample went through the bulk writer (issue 9.4). Whoever changes the sample on purpose writes
the new digests: ``KANBAN_WRITE_SAMPLE_DIGESTS=1 pytest tests/services/test_demo.py -k digest``."""
FROZEN = {"status_updates": ("snapshot", "target_date", "forecast_p50", "forecast_p85")}
"""Columns the figures fill in after the builder (metrics' work, not the sample's)."""
UNREFERENCED = frozenset({"activities", "checklist_items", "comments", "item_links",
                          "resource_links"})  # fmt: skip
"""Tables whose ids no row refers to: compared as rows without their ids (the bulk writer
writes an item's lines with the item, the ORM builder wrote them list by list)."""


def table_digests(path: Path) -> dict[str, str]:
    """Each table's rows hashed (see FROZEN and UNREFERENCED; an item's scoring inputs as
    the last columns of its row, where they were before revision 0008)."""
    digests = {}
    tables = dump(path)
    scores = {row[0]: row[1:] for row in tables.pop("item_scores")}
    unscored = (None,) * len(SCORE_FIELDS)
    tables["items"] = [row + scores.get(row[0], unscored) for row in tables["items"]]
    for name, table_rows in tables.items():
        columns = [c.name for c in Base.metadata.tables[name].columns]
        blank = {columns.index(c) for c in FROZEN.get(name, ())}
        # Moments as the text SQLite held before revision 0006 (Unix seconds since): the
        # digests still say the sample's data is what it was.
        moments = {i for i, c in enumerate(Base.metadata.tables[name].columns) if is_moment(c)}
        kept = [
            tuple(
                None if i in blank else _as_text(v) if i in moments else v for i, v in enumerate(r)
            )
            for r in table_rows
        ]
        if name in UNREFERENCED:
            kept = sorted((r[1:] for r in kept), key=repr)
        digests[name] = hashlib.sha256(repr(kept).encode()).hexdigest()
    return digests


def _as_text(value: object) -> object:
    return None if value is None else read_moment(value).isoformat(" ", "microseconds")


def test_the_sample_digests_are_those_of_the_sample_before_the_bulk_writer(
    demo: Database, db_path: Path
) -> None:
    digests = table_digests(db_path)
    if os.environ.get("KANBAN_WRITE_SAMPLE_DIGESTS"):
        SAMPLE_DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    expected = json.loads(SAMPLE_DIGESTS.read_text())
    changed = sorted(name for name in expected.keys() | digests.keys()
                     if expected.get(name) != digests.get(name))  # fmt: skip
    assert changed == [], f"the sample's tables {changed} changed (see SAMPLE_DIGESTS)"
