"""Scrum sprints: plan, fill, start one at a time, close (kanban.services.sprints)."""

from __future__ import annotations

import datetime as dt

import pytest

from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.items import add_item, get_item, item_history
from kanban.services.products import create_product, list_columns
from kanban.services.records import ProductInfo
from kanban.services.sprints import (
    active_sprint,
    close_sprint,
    create_sprint,
    list_sprints,
    set_sprint_items,
    start_sprint,
)

TODAY = dt.date.today()


def test_plan_sprints(db: Database, product: ProductInfo) -> None:
    first = create_sprint(
        db, "WEB", " Sprint 1 ", goal="Checkout", start_date=TODAY, end_date=TODAY
    )
    second = create_sprint(db, product.id, "Sprint 2")
    assert (first.name, first.goal, first.state) == ("Sprint 1", "Checkout", "planned")
    assert (first.start_date, first.end_date) == (TODAY, TODAY)
    assert (second.start_date, second.end_date) == (None, None)
    assert list_sprints(db, "WEB") == [first, second]
    assert active_sprint(db, "WEB") is None


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        (" ", {}, "sprint name is required"),
        ("Sprint 1", {}, "already a sprint named 'Sprint 1'"),
        ("Late", {"start_date": TODAY, "end_date": TODAY - dt.timedelta(days=1)}, "end before"),
    ],
)
def test_a_bad_sprint_is_refused(
    db: Database, product: ProductInfo, snapshot, name: str, options: dict, message: str
) -> None:
    create_sprint(db, "WEB", "Sprint 1")
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        create_sprint(db, "WEB", name, **options)
    assert snapshot() == before


def test_sprint_names_may_repeat_across_products(db: Database, product: ProductInfo) -> None:
    create_product(db, "APP", "App")
    create_sprint(db, "WEB", "Sprint 1")
    assert create_sprint(db, "APP", "Sprint 1").name == "Sprint 1"


def test_add_and_remove_items(db: Database, product: ProductInfo) -> None:
    sprint = create_sprint(db, "WEB", "Sprint 1")
    one, two, three = (add_item(db, "WEB", f"Item {n}") for n in range(3))
    set_sprint_items(db, sprint.id, add=[one.id, two.id, three.id])
    set_sprint_items(db, sprint.id, remove=[two.id])
    assert [get_item(db, i.id).sprint_id for i in (one, two, three)] == [sprint.id, None, sprint.id]


def test_removing_an_item_of_another_sprint_leaves_it_there(
    db: Database, product: ProductInfo
) -> None:
    first = create_sprint(db, "WEB", "Sprint 1")
    second = create_sprint(db, "WEB", "Sprint 2")
    item = add_item(db, "WEB", "Item", sprint_id=second.id)
    set_sprint_items(db, first.id, remove=[item.id])
    assert get_item(db, item.id).sprint_id == second.id


def test_only_items_of_the_product_join_and_closed_sprints_take_none(
    db: Database, product: ProductInfo, snapshot
) -> None:
    create_product(db, "APP", "App")
    foreign = add_item(db, "APP", "Theirs")
    ours = add_item(db, "WEB", "Ours")
    sprint = create_sprint(db, "WEB", "Sprint 1")
    before = snapshot()
    with pytest.raises(ValidationError, match="sprint of its own product"):
        set_sprint_items(db, sprint.id, add=[ours.id, foreign.id])
    with pytest.raises(NotFoundError, match="No item with id 999"):
        set_sprint_items(db, sprint.id, add=[999])
    with pytest.raises(NotFoundError, match="No sprint with id 999"):
        set_sprint_items(db, 999, add=[ours.id])
    assert snapshot() == before  # all or nothing: Ours did not join either
    start_sprint(db, sprint.id)
    close_sprint(db, sprint.id)
    with pytest.raises(ValidationError, match="'Sprint 1' is closed"):
        set_sprint_items(db, sprint.id, add=[ours.id])


def test_start_a_sprint(db: Database, product: ProductInfo) -> None:
    sprint = create_sprint(db, "WEB", "Sprint 1")
    started = start_sprint(db, sprint.id).sprint
    assert (started.state, started.start_date) == ("active", TODAY)
    assert started.end_date == TODAY + dt.timedelta(days=13)  # two weeks, both ends counted
    assert active_sprint(db, "WEB") == started


def test_start_keeps_planned_dates(db: Database, product: ProductInfo) -> None:
    start, end = TODAY - dt.timedelta(days=2), TODAY + dt.timedelta(days=5)
    sprint = create_sprint(db, "WEB", "Sprint 1", start_date=start, end_date=end)
    started = start_sprint(db, sprint.id).sprint
    assert (started.start_date, started.end_date) == (start, end)


def test_one_sprint_runs_at_a_time_per_product(db: Database, product: ProductInfo) -> None:
    create_product(db, "APP", "App")
    first = create_sprint(db, "WEB", "Sprint 1")
    second = create_sprint(db, "WEB", "Sprint 2")
    start_sprint(db, first.id)
    with pytest.raises(ValidationError, match="'Sprint 1' is still running; close it first"):
        start_sprint(db, second.id)
    with pytest.raises(ValidationError, match="'Sprint 1' is active, not planned"):
        start_sprint(db, first.id)
    start_sprint(db, create_sprint(db, "APP", "App sprint").id)  # another product may
    close_sprint(db, first.id)
    assert start_sprint(db, second.id).sprint.state == "active"
    with pytest.raises(ValidationError, match="closed, not planned"):
        start_sprint(db, first.id)


def test_close_sends_unfinished_work_back_and_keeps_done_work(
    db: Database, product: ProductInfo, rows
) -> None:
    columns = {c.name: c.id for c in list_columns(db, product.id)}
    sprint = create_sprint(db, "WEB", "Sprint 1")
    todo = add_item(db, "WEB", "Not started", column=columns["To Do"])
    doing = add_item(db, "WEB", "Half done", column=columns["In Progress"])
    done = add_item(db, "WEB", "Finished", column=columns["Done"])
    backlog = add_item(db, "WEB", "Still in the backlog", column=columns["Backlog"])
    outside = add_item(db, "WEB", "Not in the sprint", column=columns["To Do"])
    set_sprint_items(db, sprint.id, add=[todo.id, doing.id, done.id, backlog.id])
    start_sprint(db, sprint.id)
    transitions = len(rows("transitions"))

    step = close_sprint(db, sprint.id)
    closed, returned = step.sprint, step.left

    assert closed.state == "closed" and returned == 3
    assert closed.end_date == TODAY  # closed early: it ended today
    after = {i.title: get_item(db, i.id) for i in (todo, doing, done, backlog, outside)}
    assert (after["Not started"].column_name, after["Not started"].sprint_id) == ("Backlog", None)
    assert (after["Half done"].column_name, after["Half done"].sprint_id) == ("In Progress", None)
    assert (after["Finished"].column_name, after["Finished"].sprint_id) == ("Done", sprint.id)
    assert after["Still in the backlog"].sprint_id is None
    assert (after["Not in the sprint"].column_name, after["Not in the sprint"].version) == (
        "To Do",
        1,
    )
    moves = rows("transitions")[transitions:]
    assert [(t["item_id"], t["from_category"], t["to_category"]) for t in moves] == [
        (todo.id, "todo", "backlog"),
        (backlog.id, "todo", "backlog"),  # the start had moved it to do
    ]
    assert item_history(db, todo.id)[-1].action == "moved"  # the card's own trail says so
    assert active_sprint(db, "WEB") is None
    with pytest.raises(ValidationError, match="'Sprint 1' is not running"):
        close_sprint(db, sprint.id)


def test_close_a_sprint_that_started_ahead_of_its_planned_date(
    db: Database, product: ProductInfo
) -> None:
    planned = TODAY + dt.timedelta(days=3)
    sprint = create_sprint(
        db, "WEB", "Sprint 1", start_date=planned, end_date=planned + dt.timedelta(days=14)
    )
    started = start_sprint(db, sprint.id).sprint
    assert started.start_date <= TODAY
    closed = close_sprint(db, sprint.id).sprint  # cancelled on its first day
    assert closed.start_date is not None and closed.end_date is not None
    assert closed.start_date <= closed.end_date


def test_a_closed_sprint_keeps_an_earlier_planned_end(db: Database, product: ProductInfo) -> None:
    start, end = TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=6)
    sprint = create_sprint(db, "WEB", "Sprint 1", start_date=start, end_date=end)
    start_sprint(db, sprint.id)
    closed = close_sprint(db, sprint.id).sprint  # closed late: it ended when it was meant to
    assert (closed.start_date, closed.end_date) == (start, end)
