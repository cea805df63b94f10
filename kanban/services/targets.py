"""A product's target date, kept with its history: every move of it (when, from what, to what,
why, by whom) in ``target_changes``, and each status update's record of the target and the
forecast when it was saved (``status_updates.target_date/forecast_p50/forecast_p85``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanban.errors import ValidationError
from kanban.metrics.history import (
    DateHistory,
    TargetChangeRecord,
    UpdateForecast,
    date_history,
    long_day,
)
from kanban.services.common import current_actor, find_product, log_activity
from kanban.storage.database import Database
from kanban.storage.models import Product, StatusUpdate, TargetChange

TARGET_SET = "target_set"
"""The activity action of a target change."""


def set_target(
    db: Database, product_ref: str | int, target: dt.date | None, reason: str = ""
) -> DateHistory:
    """Set (or, with None, clear) a product's target date; returns its date history.

    A target that moves needs a reason (the first one need not): the reason is what a
    stakeholder reads beside the slip. Setting the target it already has changes nothing.

    Raises:
        ValidationError: The target moves (or is cleared) without a reason.
        NotFoundError: No such product.
    """
    reason = " ".join(reason.split())
    with db.write() as session:
        product = find_product(session, product_ref)
        previous = product.target_date
        if previous == target:
            return read_history(session, product)
        if previous is not None and not reason:
            moved = f"to {long_day(target)}" if target else "away (cleared)"
            raise ValidationError(
                f"A target that moves needs a reason: say why it moves from "
                f"{long_day(previous)} {moved}"
            )
        product.target_date = target
        session.add(
            TargetChange(
                product_id=product.id,
                previous=previous,
                target=target,
                reason=reason,
                actor=current_actor(),
            )
        )
        detail = f"{previous or 'none'} → {target or 'none'}" + (f": {reason}" if reason else "")
        log_activity(session, product.id, TARGET_SET, detail)
        session.flush()
        return read_history(session, product)


def target_changes(session: Session, product_id: int) -> tuple[TargetChangeRecord, ...]:
    """A product's own target changes (not its releases'), oldest first."""
    rows = session.execute(
        select(
            TargetChange.at,
            TargetChange.previous,
            TargetChange.target,
            TargetChange.reason,
            TargetChange.actor,
        )
        .where(TargetChange.product_id == product_id, TargetChange.release_id.is_(None))
        .order_by(TargetChange.at, TargetChange.id)
    )
    return tuple(TargetChangeRecord(*row) for row in rows)


def update_forecasts(session: Session, product_id: int) -> tuple[UpdateForecast, ...]:
    """What each status update of a product recorded, oldest first."""
    rows = session.execute(
        select(
            StatusUpdate.id,
            StatusUpdate.created_at,
            StatusUpdate.target_date,
            StatusUpdate.forecast_p50,
            StatusUpdate.forecast_p85,
            StatusUpdate.health,
        )
        .where(StatusUpdate.product_id == product_id)
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
    )
    return tuple(UpdateForecast(*row) for row in rows)


def read_history(
    session: Session, product: Product, until: dt.datetime | None = None
) -> DateHistory:
    """A product's date history in the caller's transaction; with ``until``, as it stood then
    (the changes and updates made by that moment, and the target in effect)."""
    changes = target_changes(session, product.id)
    updates = update_forecasts(session, product.id)
    target = product.target_date
    if until is not None:
        changes = tuple(c for c in changes if c.at <= until)
        updates = tuple(u for u in updates if u.at <= until)
        later = [c for c in target_changes(session, product.id) if c.at > until]
        target = changes[-1].target if changes else (later[0].previous if later else target)
    return date_history(changes, updates, target)


def load_history(db: Database, product_ref: str | int) -> DateHistory:
    """A product's date history (target changes and every update's forecast), oldest first."""
    with db.read() as session:
        return read_history(session, find_product(session, product_ref))
