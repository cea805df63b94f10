"""A product's target date with its history (kanban.services.targets)."""

from __future__ import annotations

import datetime as dt

import pytest
from slipping import P85, SENTENCE, TARGET, UPDATE_DAYS, write_slipping
from sqlalchemy import select

from kanban.errors import ValidationError
from kanban.services import Database
from kanban.services.records import ProductInfo
from kanban.services.status_updates import get_status_update
from kanban.services.targets import load_history, set_target
from kanban.storage.models import Activity, Product, TargetChange

FIRST, LATER = dt.date(2027, 3, 1), dt.date(2027, 5, 2)


def changes(db: Database) -> list[tuple[object, ...]]:
    with db.read() as session:
        rows = session.execute(
            select(TargetChange.previous, TargetChange.target, TargetChange.reason,
                   TargetChange.actor).order_by(TargetChange.id)
        )  # fmt: skip
        return [tuple(r) for r in rows]


def test_the_first_target_needs_no_reason_a_move_does(db: Database, product: ProductInfo) -> None:
    history = set_target(db, "WEB", FIRST)
    assert history.target == FIRST
    assert (
        history.sentence() == "Target 1 March 2027; no status update has recorded a forecast yet."
    )
    with pytest.raises(ValidationError, match="needs a reason: say why it moves from 1 March 2027"):
        set_target(db, "WEB", LATER, "   ")
    assert changes(db) == [(None, FIRST, "", "po")]  # nothing written by the refusal
    moved = set_target(db, "WEB", LATER, "Payments  provider\nlate")  # one line, as read
    assert [(r.kind, r.target, r.reason) for r in moved.rows] == [
        ("target", FIRST, ""),
        ("target", LATER, "Payments provider late"),
    ]
    assert changes(db)[-1] == (FIRST, LATER, "Payments provider late", "po")
    assert moved.sentence().startswith("Target 2 May 2027 (moved 1 time)")


def test_the_same_target_changes_nothing_and_clearing_needs_a_reason(
    db: Database, product: ProductInfo
) -> None:
    set_target(db, "WEB", FIRST)
    set_target(db, "WEB", FIRST)
    assert len(changes(db)) == 1
    with pytest.raises(ValidationError, match=r"away \(cleared\)"):
        set_target(db, "WEB", None)
    cleared = set_target(db, "WEB", None, "Scope under review")
    assert cleared.target is None and changes(db)[-1][:3] == (FIRST, None, "Scope under review")
    with db.read() as session:
        assert session.scalar(select(Product.target_date)) is None
        actions = session.scalars(select(Activity.detail).where(Activity.action == "target_set"))
        assert list(actions) == [
            "none → 2027-03-01",
            "2027-03-01 → none: Scope under review",
        ]


def test_each_update_records_the_target_and_the_forecast_of_its_day(
    db: Database, product: ProductInfo
) -> None:
    ids = write_slipping(db, product)
    recorded = [get_status_update(db, i) for i in ids]
    assert [(u.target_date, u.forecast_p85) for u in recorded] == [(TARGET, p) for p in P85]
    history = load_history(db, "WEB")
    assert [(r.day, r.kind, r.forecast_p85, r.late_days) for r in history.rows] == [
        (UPDATE_DAYS[0] - dt.timedelta(days=30), "target", None, None),
        (UPDATE_DAYS[0], "update", P85[0], -2),
        (UPDATE_DAYS[1], "update", P85[1], 5),
        (UPDATE_DAYS[2], "update", P85[2], 19),
    ]
    assert history.sentence() == SENTENCE
    assert history.points()[1] == (UPDATE_DAYS[0], TARGET, recorded[0].forecast_p50, P85[0], "")
