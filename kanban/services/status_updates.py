"""Status updates for stakeholders: written by the product owner, figures frozen at save."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from kanban.errors import NotFoundError
from kanban.services.common import find_product, get_row, log_activity
from kanban.services.records import StakeholderInfo, StatusUpdateInfo
from kanban.services.rules import check_health, check_status_period
from kanban.storage.database import Database
from kanban.storage.models import Product, Stakeholder, StatusUpdate, status_update_recipients

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _info(session: Session, update: StatusUpdate) -> StatusUpdateInfo:
    recipients = session.scalars(
        select(status_update_recipients.c.stakeholder_id)
        .where(status_update_recipients.c.status_update_id == update.id)
        .order_by(status_update_recipients.c.stakeholder_id)
    )
    return StatusUpdateInfo(
        id=update.id,
        product_id=update.product_id,
        created_at=update.created_at,
        period_start=update.period_start,
        period_end=update.period_end,
        health=update.health,
        headline=update.headline,
        progress=update.progress,
        problems=update.problems,
        schedule_outlook=update.schedule_outlook,
        next_steps=update.next_steps,
        recipient_ids=tuple(recipients),
        snapshot=json.loads(update.snapshot or "{}"),
        target_date=update.target_date,
        forecast_p50=update.forecast_p50,
        forecast_p85=update.forecast_p85,
    )


def freeze_update(session: Session, update: StatusUpdate, as_of: dt.date | None = None) -> None:
    """Freeze into a status update the figures of its period as of the end of ``as_of``
    (default today, UTC), with the target and the forecast's 50% and 85% dates beside them,
    in the caller's transaction: the date history reads those three."""
    from kanban.metrics.records import today_utc
    from kanban.metrics.snapshot import freeze
    from kanban.services.figures import figures_in  # the figures are large: load on use

    product = get_row(session, Product, update.product_id, "product")
    period = (update.period_start, update.period_end)
    figures = figures_in(session, product, period, as_of or today_utc())
    update.snapshot = json.dumps(freeze(figures), sort_keys=True)
    update.target_date = figures.forecast.target
    update.forecast_p50 = figures.forecast.finish_50
    update.forecast_p85 = figures.forecast.finish_85


def create_status_update(
    db: Database,
    product_ref: str | int,
    *,
    health: str,
    period_start: dt.date,
    period_end: dt.date,
    headline: str = "",
    progress: str = "",
    problems: str = "",
    schedule_outlook: str = "",
    next_steps: str = "",
    recipient_ids: Sequence[int] = (),
    as_of: dt.date | None = None,
) -> StatusUpdateInfo:
    """Save a status update with the figures of its period frozen into it.

    The figures are computed as of the end of ``as_of`` (default today, UTC) inside the same
    transaction that saves the update, so they are exactly the data the update was saved on;
    the product's target and the forecast's 50% and 85% dates are kept beside them.
    """
    check_health(health)
    check_status_period(period_start, period_end)
    with db.write() as session:
        product = find_product(session, product_ref)
        update = StatusUpdate(
            product_id=product.id,
            period_start=period_start,
            period_end=period_end,
            health=health,
            headline=headline.strip(),
            progress=progress,
            problems=problems,
            schedule_outlook=schedule_outlook,
            next_steps=next_steps,
        )
        session.add(update)
        session.flush()
        freeze_update(session, update, as_of)
        for stakeholder_id in recipient_ids:
            get_row(session, Stakeholder, stakeholder_id, "stakeholder")
        if recipient_ids:
            session.execute(
                insert(status_update_recipients),
                [
                    {"status_update_id": update.id, "stakeholder_id": s}
                    for s in sorted(set(recipient_ids))
                ],
            )
        log_activity(session, product.id, "status_update", f"{health}: {update.headline}")
        return _info(session, update)


def list_status_updates(db: Database, product_ref: str | int) -> list[StatusUpdateInfo]:
    """A product's status updates, newest first."""
    with db.read() as session:
        product = find_product(session, product_ref)
        query = (
            select(StatusUpdate)
            .where(StatusUpdate.product_id == product.id)
            .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        )
        return [_info(session, u) for u in session.scalars(query)]


def get_status_update(db: Database, update_id: int) -> StatusUpdateInfo:
    """One status update by id."""
    with db.read() as session:
        return _info(session, get_row(session, StatusUpdate, update_id, "status update"))


def report_recipients(
    db: Database, product_ref: str | int, update_id: int | None = None
) -> list[StakeholderInfo]:
    """Who a product's status report goes to, by name: a saved update's recipients; for the
    live report (``update_id`` None) the stakeholders following the product, archived ones
    left out. Those without an e-mail address are included (the caller says so)."""
    from kanban.services.people import list_stakeholders

    with db.read() as session:
        product = find_product(session, product_ref)
        product_id, ids = product.id, None
        if update_id is not None:
            update = get_row(session, StatusUpdate, update_id, "status update")
            if update.product_id != product.id:
                raise NotFoundError(f"Status update {update_id} is not an update of {product.key}")
            ids = set(_info(session, update).recipient_ids)
    if ids is None:
        return list_stakeholders(db, product_id)
    return [s for s in list_stakeholders(db, include_archived=True) if s.id in ids]
