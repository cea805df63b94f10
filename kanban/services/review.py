"""What a sprint review is built from: a closed sprint, its product's flow, where each
unfinished item went at the closing (``sprint_entries``) and the questions answered while the
sprint ran, read in one transaction (``kanban.reports.review`` puts the review together)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from kanban.domain import QuestionState, SprintState
from kanban.errors import NotFoundError, ValidationError
from kanban.metrics.records import Flow
from kanban.metrics.status import QuestionRecord
from kanban.services.common import find_product, product_info, to_datetime
from kanban.services.figures import read_flow, read_questions
from kanban.services.records import ProductInfo, SprintInfo
from kanban.services.sprints import sprint_info
from kanban.storage.database import Database
from kanban.storage.models import Product, Sprint, SprintEntry

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CLOSING_SLACK = dt.timedelta(seconds=1)
"""An entry ended this close to the sprint's closing was ended by it (carried over)."""


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """An item's time in the reviewed sprint's scope, and where it went if the closing sent
    it on (``carried``: True; ``carried_to`` the sprint's name, None for the backlog)."""

    item_id: int
    added_at: dt.datetime
    removed_at: dt.datetime | None
    carried: bool = False
    carried_to: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewSource:
    """Everything a review of one closed sprint needs."""

    product: ProductInfo
    sprint: SprintInfo
    flow: Flow
    entries: tuple[ReviewEntry, ...]
    """The sprint's recorded scope, oldest first (empty: not recorded, an older sprint)."""
    questions: tuple[QuestionRecord, ...]
    """The product's questions answered from the sprint's start to its closing."""


def _chosen(session: Session, product: Product, name: str | int | None) -> Sprint:
    sprints = session.scalars(
        select(Sprint).where(Sprint.product_id == product.id).order_by(Sprint.id)
    ).all()
    if name is not None:
        if isinstance(name, int):
            found = next((s for s in sprints if s.id == name), None)
        else:
            wanted = name.strip().casefold()
            found = next((s for s in sprints if s.name.casefold() == wanted), None)
        if found is None:
            names = ", ".join(s.name for s in sprints) or "none yet"
            raise NotFoundError(f"No sprint {name!r} in {product.key}; the sprints are: {names}")
        if found.state != SprintState.CLOSED:
            raise ValidationError(
                f"{found.name} of {product.key} is {found.state}, not closed: a review is of "
                "a closed sprint"
            )
        return found
    closed = [s for s in sprints if s.state == SprintState.CLOSED]
    if not closed:
        raise NotFoundError(f"{product.key} has no closed sprint yet")
    return max(
        closed,
        key=lambda s: (
            s.closed_at is not None,
            to_datetime(s.closed_at) if s.closed_at is not None else dt.datetime.min,
            s.end_date or dt.date.min,
            s.id,
        ),
    )


def _entries(session: Session, sprint: Sprint) -> tuple[ReviewEntry, ...]:
    names = dict(
        session.execute(
            select(Sprint.id, Sprint.name).where(Sprint.product_id == sprint.product_id)
        ).all()
    )
    onward = dict(
        session.execute(
            select(SprintEntry.item_id, SprintEntry.sprint_id).where(
                SprintEntry.carried_from_id == sprint.id
            )
        ).all()
    )
    closed = to_datetime(sprint.closed_at) if sprint.closed_at is not None else None
    rows = session.execute(
        select(SprintEntry.item_id, SprintEntry.added_at, SprintEntry.removed_at)
        .where(SprintEntry.sprint_id == sprint.id)
        .order_by(SprintEntry.added_at, SprintEntry.id)
    )
    entries = []
    for item_id, added, removed in rows:
        out = to_datetime(removed) if removed is not None else None
        carried = closed is not None and out is not None and abs(out - closed) <= CLOSING_SLACK
        target = onward.get(item_id) if carried else None
        entries.append(
            ReviewEntry(
                item_id,
                to_datetime(added),
                out,
                carried,
                names.get(target) if target is not None else None,
            )
        )
    return tuple(entries)


def _answered(session: Session, product: Product, sprint: Sprint) -> tuple[QuestionRecord, ...]:
    start = sprint.start_date or dt.date.min
    began = dt.datetime.combine(start, dt.time.min)
    if sprint.started_at is not None:
        began = min(began, to_datetime(sprint.started_at))
    if sprint.closed_at is not None:
        ended = to_datetime(sprint.closed_at)
    else:
        last = sprint.end_date or dt.date.max - dt.timedelta(days=1)
        ended = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)
    answered = [
        q
        for q in read_questions(session, product.id)
        if q.state == QuestionState.ANSWERED
        and q.answered_at is not None
        and began <= q.answered_at <= ended
    ]
    return tuple(sorted(answered, key=lambda q: (q.answered_at, q.id)))


def review_source(
    db: Database, product_ref: str | int, sprint: str | int | None = None
) -> ReviewSource:
    """The review's inputs for a closed sprint of a product (by name, any case, or id;
    default: the sprint closed last), read in one transaction.

    Raises:
        NotFoundError: No such product, no such sprint, or no closed sprint yet.
        ValidationError: The sprint named is not closed.
    """
    with db.read() as session:
        product = find_product(session, product_ref)
        chosen = _chosen(session, product, sprint)
        return ReviewSource(
            product=product_info(product),
            sprint=sprint_info(chosen),
            flow=read_flow(session, product.id, product.key),
            entries=_entries(session, chosen),
            questions=_answered(session, product, chosen),
        )
