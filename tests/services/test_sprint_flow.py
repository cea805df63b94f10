"""Sprints that flow (issue 13.5), as a new user tried them: the four defects, each with the
test that failed first, then undoable starts and closes, the scope over time, capacity."""

from __future__ import annotations

import datetime as dt

import pytest

from kanban.errors import ConflictError, OverlapError, ValidationError
from kanban.services import Database
from kanban.services.items import add_item, get_item, move_item
from kanban.services.people import add_member
from kanban.services.products import list_columns
from kanban.services.records import ProductInfo
from kanban.services.sprints import (
    active_sprint,
    carry_targets,
    close_sprint,
    create_sprint,
    list_sprints,
    next_sprint_dates,
    reopen_sprint,
    set_capacity,
    set_items_sprint,
    set_sprint_items,
    sprint_capacity,
    start_dates,
    start_sprint,
    undo_start,
)

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def _columns(db: Database, product: ProductInfo) -> dict[str, int]:
    return {c.name: c.id for c in list_columns(db, product.id)}


KEPT_APART = ("activities", "items")  # the log remembers; an item's version only goes up


def _same_but_the_log(before: dict, after: dict) -> bool:
    return {t: r for t, r in after.items() if t not in KEPT_APART} == {
        t: r for t, r in before.items() if t not in KEPT_APART
    }


def _items(rows) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in ("version", "updated_at")}
        for row in rows("items")
    ]


# --- the four defects ------------------------------------------------------------------------


def test_a_new_sprint_is_offered_the_days_after_the_last_one(
    db: Database, product: ProductInfo
) -> None:
    start = TODAY + 3 * DAY
    create_sprint(db, "WEB", "Sprint 1", start_date=start, end_date=start + 13 * DAY)
    offered = next_sprint_dates(db, "WEB")
    assert offered == (start + 14 * DAY, start + 27 * DAY)  # the next fortnight, no collision


def test_the_first_sprint_is_offered_two_weeks_from_next_monday(
    db: Database, product: ProductInfo
) -> None:
    start, end = next_sprint_dates(db, "WEB", today=dt.date(2026, 11, 4))  # a Wednesday
    assert (start, end) == (dt.date(2026, 11, 9), dt.date(2026, 11, 22))


def test_a_long_finished_sprint_offers_dates_from_today(db: Database, product: ProductInfo) -> None:
    old = TODAY - 60 * DAY
    create_sprint(db, "WEB", "Sprint 1", start_date=old, end_date=old + 9 * DAY)
    assert next_sprint_dates(db, "WEB") == (TODAY, TODAY + 9 * DAY)  # its length, from today


def test_overlapping_dates_are_refused_unless_allowed(
    db: Database, product: ProductInfo, snapshot
) -> None:
    start = TODAY + 3 * DAY
    create_sprint(db, "WEB", "Sprint 1", start_date=start, end_date=start + 13 * DAY)
    before = snapshot()
    with pytest.raises(ValidationError, match="overlaps Sprint 1"):
        create_sprint(db, "WEB", "Sprint 2", start_date=start + 13 * DAY, end_date=start + 20 * DAY)
    assert snapshot() == before
    allowed = create_sprint(
        db,
        "WEB",
        "Sprint 2",
        start_date=start + 13 * DAY,
        end_date=start + 20 * DAY,
        allow_overlap=True,
    )
    assert allowed.start_date == start + 13 * DAY


def test_the_overlap_error_names_every_sprint_it_meets(db: Database, product: ProductInfo) -> None:
    create_sprint(db, "WEB", "One", start_date=TODAY, end_date=TODAY + 6 * DAY)
    create_sprint(db, "WEB", "Two", start_date=TODAY + 7 * DAY, end_date=TODAY + 13 * DAY)
    with pytest.raises(OverlapError) as raised:
        create_sprint(db, "WEB", "Three", start_date=TODAY + 5 * DAY, end_date=TODAY + 8 * DAY)
    assert raised.value.others == ("One", "Two")
    create_sprint(db, "WEB", "Next", start_date=TODAY + 14 * DAY, end_date=TODAY + 20 * DAY)


def test_starting_early_keeps_the_planned_length(db: Database, product: ProductInfo) -> None:
    planned = TODAY + 5 * DAY
    sprint = create_sprint(db, "WEB", "Sprint 1", start_date=planned, end_date=planned + 13 * DAY)
    start_sprint(db, sprint.id)
    running = active_sprint(db, "WEB")
    assert running is not None
    assert (running.start_date, running.end_date) == (TODAY, TODAY + 13 * DAY)  # not 19 days


def test_a_start_chosen_by_hand_keeps_the_length_unless_the_end_is_chosen_too(
    db: Database, product: ProductInfo
) -> None:
    planned = TODAY + 5 * DAY
    one = create_sprint(db, "WEB", "One", start_date=planned, end_date=planned + 9 * DAY)
    assert start_dates(db, one.id) == (TODAY, TODAY + 9 * DAY)
    step = start_sprint(db, one.id, TODAY - DAY)
    assert (step.sprint.start_date, step.sprint.end_date) == (TODAY - DAY, TODAY + 8 * DAY)
    close_sprint(db, one.id)
    two = create_sprint(
        db, "WEB", "Two", start_date=planned + 30 * DAY, end_date=planned + 39 * DAY
    )
    step = start_sprint(db, two.id, TODAY + 9 * DAY, TODAY + 30 * DAY, allow_overlap=True)
    assert (step.sprint.start_date, step.sprint.end_date) == (TODAY + 9 * DAY, TODAY + 30 * DAY)


def test_a_start_that_overlaps_the_next_sprint_asks(db: Database, product: ProductInfo) -> None:
    one = create_sprint(db, "WEB", "One", start_date=TODAY + 9 * DAY, end_date=TODAY + 22 * DAY)
    create_sprint(db, "WEB", "Two", start_date=TODAY + 23 * DAY, end_date=TODAY + 36 * DAY)
    with pytest.raises(OverlapError, match="overlaps Two"):
        start_sprint(db, one.id, TODAY + 10 * DAY)  # 14 days from then runs into Two
    assert list_sprints(db, "WEB")[0].state == "planned"


def test_starting_moves_the_sprints_items_out_of_the_backlog(
    db: Database, product: ProductInfo, rows
) -> None:
    columns = _columns(db, product)
    sprint = create_sprint(db, "WEB", "Sprint 1")
    waiting = add_item(db, "WEB", "Waiting in the backlog")
    ready = add_item(db, "WEB", "Already to do", column=columns["To Do"])
    busy = add_item(db, "WEB", "Under way", column=columns["In Progress"])
    outside = add_item(db, "WEB", "Not in the sprint")
    set_sprint_items(db, sprint.id, add=[waiting.id, ready.id, busy.id])
    start_sprint(db, sprint.id)
    where = {i.title: get_item(db, i.id).column_name for i in (waiting, ready, busy, outside)}
    assert where == {
        "Waiting in the backlog": "To Do",
        "Already to do": "To Do",
        "Under way": "In Progress",
        "Not in the sprint": "Backlog",
    }
    moved = rows("transitions", where=f"item_id = {waiting.id}")
    assert [(t["from_category"], t["to_category"]) for t in moved][-1] == ("backlog", "todo")


def test_closing_carries_unfinished_work_to_the_next_sprint(
    db: Database, product: ProductInfo, rows
) -> None:
    columns = _columns(db, product)
    one = create_sprint(db, "WEB", "One", start_date=TODAY - 13 * DAY, end_date=TODAY)
    two = create_sprint(db, "WEB", "Two", start_date=TODAY + DAY, end_date=TODAY + 14 * DAY)
    later = create_sprint(
        db, "WEB", "Later", start_date=TODAY + 15 * DAY, end_date=TODAY + 28 * DAY
    )
    todo = add_item(db, "WEB", "Not started", column=columns["To Do"])
    doing = add_item(db, "WEB", "Half done", column=columns["In Progress"])
    done = add_item(db, "WEB", "Finished", column=columns["Done"])
    set_sprint_items(db, one.id, add=[todo.id, doing.id, done.id])
    start_sprint(db, one.id)
    assert [s.name for s in carry_targets(db, one.id)] == ["Two", "Later"]

    step = close_sprint(db, one.id, carry_to=two.id, goal_met=False)

    assert step.sprint.state == "closed" and step.sprint.goal_met is False
    assert step.left == 2 and step.carried_to is not None and step.carried_to.name == "Two"
    after = {i.title: get_item(db, i.id) for i in (todo, doing, done)}
    assert {t: (d.sprint_id, d.column_name) for t, d in after.items()} == {
        "Not started": (two.id, "To Do"),
        "Half done": (two.id, "In Progress"),
        "Finished": (one.id, "Done"),
    }
    entries = rows("sprint_entries", where=f"sprint_id = {two.id}")
    assert {(e["item_id"], e["carried_from_id"]) for e in entries} == {
        (todo.id, one.id),
        (doing.id, one.id),
    }
    left = rows("sprint_entries", where=f"sprint_id = {one.id} AND removed_at IS NOT NULL")
    assert {e["item_id"] for e in left} == {todo.id, doing.id}
    assert later.state == "planned"


def test_closing_to_the_backlog_sends_work_not_started_back(
    db: Database, product: ProductInfo
) -> None:
    columns = _columns(db, product)
    sprint = create_sprint(db, "WEB", "One")
    todo = add_item(db, "WEB", "Not started", column=columns["To Do"])
    doing = add_item(db, "WEB", "Half done", column=columns["In Progress"])
    set_sprint_items(db, sprint.id, add=[todo.id, doing.id])
    start_sprint(db, sprint.id)
    step = close_sprint(db, sprint.id)
    assert step.carried_to is None and step.left == 2 and len(step.change.moves) == 1
    assert (get_item(db, todo.id).column_name, get_item(db, todo.id).sprint_id) == ("Backlog", None)
    assert get_item(db, doing.id).column_name == "In Progress"


def test_unfinished_work_goes_only_to_a_planned_sprint_of_the_product(
    db: Database, product: ProductInfo, snapshot
) -> None:
    one = create_sprint(db, "WEB", "One")
    start_sprint(db, one.id)
    before = snapshot()
    with pytest.raises(ValidationError, match="'One' is active"):
        close_sprint(db, one.id, carry_to=one.id)
    assert snapshot() == before


# --- undo ------------------------------------------------------------------------------------


def test_a_start_is_taken_back_exactly(db: Database, product: ProductInfo, snapshot, rows) -> None:
    planned = TODAY + 5 * DAY
    sprint = create_sprint(db, "WEB", "One", start_date=planned, end_date=planned + 13 * DAY)
    items = [add_item(db, "WEB", f"Item {n}") for n in range(3)]
    set_sprint_items(db, sprint.id, add=[i.id for i in items])
    before, items_before = snapshot(), _items(rows)
    step = start_sprint(db, sprint.id)
    assert len(step.change.moves) == 3 and len(step.change.cards) == 3
    undone = undo_start(db, step)
    assert {c.column_id for c in undone.cards} == {_columns(db, product)["Backlog"]}
    # Only the activity log remembers (the start, the moves and their undoing).
    assert _same_but_the_log(before, snapshot()) and _items(rows) == items_before
    again = start_sprint(db, sprint.id)  # a redo is a new start
    assert again.sprint.state == "active"


def test_a_start_is_not_undone_over_someone_elses_move(db: Database, product: ProductInfo) -> None:
    columns = _columns(db, product)
    sprint = create_sprint(db, "WEB", "One")
    item = add_item(db, "WEB", "Item")
    set_sprint_items(db, sprint.id, add=[item.id])
    step = start_sprint(db, sprint.id)
    move_item(db, item.id, column_id=columns["In Progress"])
    with pytest.raises(ConflictError, match="moved elsewhere since"):
        undo_start(db, step)
    assert active_sprint(db, "WEB") is not None


def test_a_closing_is_taken_back_exactly(
    db: Database, product: ProductInfo, snapshot, rows
) -> None:
    columns = _columns(db, product)
    one = create_sprint(db, "WEB", "One", start_date=TODAY - 10 * DAY, end_date=TODAY + 3 * DAY)
    two = create_sprint(db, "WEB", "Two", start_date=TODAY + 4 * DAY, end_date=TODAY + 17 * DAY)
    todo = add_item(db, "WEB", "Not started", column=columns["To Do"])
    doing = add_item(db, "WEB", "Half done", column=columns["In Progress"])
    set_sprint_items(db, one.id, add=[todo.id, doing.id])
    start_sprint(db, one.id)
    before, items_before = snapshot(), _items(rows)
    for carry in (two.id, None):
        step = close_sprint(db, one.id, carry_to=carry, goal_met=True)
        reopened = reopen_sprint(db, step)
        assert {c.sprint_id for c in reopened.cards} == {one.id}
        assert _same_but_the_log(before, snapshot()) and _items(rows) == items_before


def test_a_closing_is_not_undone_once_the_next_sprint_runs(
    db: Database, product: ProductInfo
) -> None:
    one = create_sprint(db, "WEB", "One")
    two = create_sprint(db, "WEB", "Two")
    item = add_item(db, "WEB", "Item")
    set_sprint_items(db, one.id, add=[item.id])
    start_sprint(db, one.id)
    step = close_sprint(db, one.id, carry_to=two.id)
    start_sprint(db, two.id)
    with pytest.raises(ConflictError, match="'Two' runs now"):
        reopen_sprint(db, step)


# --- the scope over time ---------------------------------------------------------------------


def test_every_membership_change_is_kept_in_the_sprints_scope(
    db: Database, product: ProductInfo, rows
) -> None:
    one = create_sprint(db, "WEB", "One")
    two = create_sprint(db, "WEB", "Two")
    item = add_item(db, "WEB", "Item")
    set_items_sprint(db, {item.id: one.id})
    set_items_sprint(db, {item.id: two.id})
    set_items_sprint(db, {item.id: None})
    entries = rows("sprint_entries")
    assert [(e["sprint_id"], e["removed_at"] is not None) for e in entries] == [
        (one.id, True),
        (two.id, True),
    ]
    set_items_sprint(db, {item.id: one.id})
    start_sprint(db, one.id)  # already in scope: no second entry
    assert len(rows("sprint_entries", where=f"sprint_id = {one.id}")) == 2


# --- capacity --------------------------------------------------------------------------------


def test_capacity_per_member_with_days_off_beside_the_planned_points(
    db: Database, product: ProductInfo
) -> None:
    monday = dt.date(2026, 11, 2)
    sprint = create_sprint(db, "WEB", "One", start_date=monday, end_date=monday + 13 * DAY)
    ana, ben = add_member(db, "Ana Silva"), add_member(db, "Ben Okafor")
    for points in (5, 8):
        set_sprint_items(db, sprint.id, add=[add_item(db, "WEB", f"{points}", points=points).id])
    capacity = set_capacity(db, sprint.id, "points", {ana.id: (10, 0), ben.id: (10, 2)})
    assert capacity.working_days == 10
    assert [(m.name, m.available) for m in capacity.members] == [
        ("Ana Silva", 10),
        ("Ben Okafor", 8),
    ]
    assert (capacity.total, capacity.planned_points, capacity.planned_items) == (18, 13, 2)
    assert sprint_capacity(db, sprint.id) == capacity
    days = set_capacity(db, sprint.id, "days", {ana.id: (10, 1)})
    assert (days.unit, days.total) == ("days", 9)
    with pytest.raises(ValidationError, match="points or days"):
        set_capacity(db, sprint.id, "hours", {})
    with pytest.raises(ValidationError, match="negative"):
        set_capacity(db, sprint.id, "points", {ana.id: (-1, 0)})
