"""Status updates for stakeholders (kanban.services.status_updates)."""

from __future__ import annotations

import datetime as dt

import pytest

from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.people import add_stakeholder
from kanban.services.products import create_product
from kanban.services.records import ProductInfo
from kanban.services.status_updates import (
    create_status_update,
    get_status_update,
    list_status_updates,
)

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 13)


def test_create_with_a_snapshot_and_recipients(db: Database, product: ProductInfo) -> None:
    grace = add_stakeholder(db, "Grace")
    alan = add_stakeholder(db, "Alan")
    snapshot = {
        "throughput": [3, 5, 4],
        "points_done": 12.5,
        "forecast": {"p85_weeks": 4, "items": None},
        "health_reason": "Bank API «late» — ünïcode",
    }
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
        snapshot=snapshot,
    )
    assert (update.health, update.headline) == ("at_risk", "Checkout slips a week")
    assert (update.period_start, update.period_end) == (START, END)
    assert (update.progress, update.problems) == ("Card payments done", "Bank sandbox down")
    assert (update.schedule_outlook, update.next_steps) == ("One week late", "Escalate to the bank")
    assert update.recipient_ids == tuple(sorted({grace.id, alan.id}))
    assert update.snapshot == snapshot  # JSON there and back
    assert get_status_update(db, update.id) == update


def test_dates_in_a_snapshot_come_back_as_iso_text(db: Database, product: ProductInfo) -> None:
    update = create_status_update(
        db,
        "WEB",
        health="on_track",
        period_start=START,
        period_end=START,
        snapshot={"forecast_date": dt.date(2026, 4, 1)},
    )
    assert get_status_update(db, update.id).snapshot == {"forecast_date": "2026-04-01"}


def test_the_snapshot_is_a_frozen_copy(db: Database, product: ProductInfo) -> None:
    figures = {"done": 1}
    update = create_status_update(
        db, "WEB", health="on_track", period_start=START, period_end=END, snapshot=figures
    )
    figures["done"] = 99
    assert get_status_update(db, update.id).snapshot == {"done": 1}


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
        ({"health": "green"}, ValidationError, "Health must be one of on_track, at_risk"),
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
