"""Sprints: starting ahead of plan and closing keep the dates consistent."""

from __future__ import annotations

import datetime as dt

from kanban.services import Database, sprints
from kanban.services.records import ProductInfo


def test_a_sprint_started_before_its_planned_date_starts_today_and_closes_cleanly(
    db: Database, product: ProductInfo
) -> None:
    today = dt.date.today()
    planned = sprints.create_sprint(
        db,
        product.id,
        "Next",
        start_date=today + dt.timedelta(days=5),
        end_date=today + dt.timedelta(days=18),
    )
    started = sprints.start_sprint(db, planned.id)
    assert started.start_date == today
    assert started.end_date == today + dt.timedelta(days=18)
    closed, returned = sprints.close_sprint(db, planned.id)
    assert (closed.state, closed.start_date, closed.end_date, returned) == (
        "closed",
        today,
        today,
        0,
    )


def test_a_sprint_planned_in_the_past_keeps_its_start(db: Database, product: ProductInfo) -> None:
    start = dt.date.today() - dt.timedelta(days=3)
    sprint = sprints.create_sprint(db, product.id, "Late", start_date=start)
    started = sprints.start_sprint(db, sprint.id)
    assert started.start_date == start
    assert started.end_date == start + dt.timedelta(days=14)
