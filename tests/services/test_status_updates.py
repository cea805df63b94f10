"""Status updates for stakeholders (kanban.services.status_updates)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kanban.errors import NotFoundError, ValidationError
from kanban.metrics.records import today_utc
from kanban.metrics.snapshot import SNAPSHOT_SCHEMA, thaw
from kanban.services import Database
from kanban.services.items import add_item, move_item
from kanban.services.people import add_stakeholder
from kanban.services.products import create_product, list_columns
from kanban.services.records import ProductInfo
from kanban.services.status_updates import (
    create_status_update,
    get_status_update,
    list_status_updates,
)

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 13)


def test_create_with_recipients_and_frozen_figures(db: Database, product: ProductInfo) -> None:
    grace = add_stakeholder(db, "Grace")
    alan = add_stakeholder(db, "Alan")
    update = create_status_update(
        db,
        "WEB",
        health="at_risk",
        period_start=START,
        period_end=END,
        headline="  Checkout slips a week  ",
        progress="Card payments done",
        problems="Bank sandbox down",
        schedule_outlook="One week late",
        next_steps="Escalate to the bank",
        recipient_ids=[grace.id, alan.id, grace.id],
        as_of=END,
    )
    assert (update.health, update.headline) == ("at_risk", "Checkout slips a week")
    assert (update.period_start, update.period_end) == (START, END)
    assert (update.progress, update.problems) == ("Card payments done", "Bank sandbox down")
    assert (update.schedule_outlook, update.next_steps) == ("One week late", "Escalate to the bank")
    assert update.recipient_ids == tuple(sorted({grace.id, alan.id}))
    assert update.snapshot["schema"] == SNAPSHOT_SCHEMA
    assert get_status_update(db, update.id) == update


def test_the_figures_are_frozen_from_the_data_the_update_was_saved_on(
    db: Database, product: ProductInfo
) -> None:
    columns = {c.category: c.id for c in list_columns(db, product.id)}
    card = add_item(db, "WEB", "Checkout", points=3)
    move_item(db, card.id, column_id=columns["done"])
    today = today_utc()
    update = create_status_update(
        db, "WEB", health="on_track", period_start=today, period_end=today
    )
    add_item(db, "WEB", "Arrived later", points=5)
    figures = thaw(json.dumps(get_status_update(db, update.id).snapshot))
    assert figures is not None
    assert (figures.done.count, figures.done.points, figures.added.count) == (1, 3.0, 1)
    assert figures.as_of == today


def test_newest_first_per_product(db: Database, product: ProductInfo) -> None:
    create_product(db, "APP", "App")
    made = [
        create_status_update(
            db, "WEB", health=health, period_start=START, period_end=END, headline=health
        )
        for health in ("on_track", "at_risk", "off_track")
    ]
    create_status_update(db, "APP", health="on_track", period_start=START, period_end=END)
    listed = list_status_updates(db, "WEB")
    assert [u.id for u in listed] == [u.id for u in reversed(made)]
    assert [u.headline for u in listed] == ["off_track", "at_risk", "on_track"]
    assert len(list_status_updates(db, "APP")) == 1
    assert list_status_updates(db, product.id) == listed


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"health": "green"}, ValidationError, "Health 'green' must be one of on_track, at_risk"),
        ({"period_end": START - dt.timedelta(days=1)}, ValidationError, "cannot end before"),
        ({"recipient_ids": [999]}, NotFoundError, "No stakeholder with id 999"),
        ({"product": "NOPE"}, NotFoundError, "No product 'NOPE'"),
    ],
)
def test_a_bad_status_update_is_refused(
    db: Database, product: ProductInfo, snapshot, options: dict, error: type, message: str
) -> None:
    values = {"health": "on_track", "period_start": START, "period_end": END} | options
    product_ref = values.pop("product", "WEB")
    before = snapshot()
    with pytest.raises(error, match=message):
        create_status_update(db, product_ref, **values)
    assert snapshot() == before


def test_an_unknown_status_update(db: Database) -> None:
    with pytest.raises(NotFoundError, match="No status update with id 7"):
        get_status_update(db, 7)
