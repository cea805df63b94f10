"""The portfolio: one row per product, for a product owner with several (issue 13.3).

Each row is read in one read transaction per product: the flow (``figures.read_flow``) for
the backlog's forecast and the items done lately, the next release's own forecast from the
same flow, and a few counts the board shows (work in progress, columns over their WIP limit,
blocked cards) and the Questions screen (open questions, the oldest one's age).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select

from kanban.domain import (
    Category,
    ItemKind,
    QuestionState,
    ReleaseState,
    over_wip_limit,
    question_age,
    today_utc,
)
from kanban.metrics.flow import finished_between
from kanban.metrics.forecast import forecast
from kanban.services.common import gc_paused, get_row, product_info
from kanban.services.figures import read_flow
from kanban.services.records import PortfolioRow, ReleaseInfo
from kanban.services.releases import outlooks, read_releases
from kanban.storage.database import Database
from kanban.storage.models import BoardColumn, Item, Product, Question, StatusUpdate

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

RECENT_DAYS = 28
"""'Done in the last 4 weeks': the 28 days up to today."""


def _next(releases: Sequence[ReleaseInfo]) -> ReleaseInfo | None:
    planned = [r for r in releases if r.state == ReleaseState.PLANNED]
    return planned[0] if planned else None  # read_releases orders by target (none last)


def _board_counts(session: Session, product_id: int) -> tuple[int, tuple[str, ...], int]:
    """Work in progress, the columns over their WIP limit, blocked cards: as the board counts
    (every live card)."""
    per_column = {
        column_id: (int(cards), int(blocked), int(work or 0))
        for column_id, cards, blocked, work in session.execute(
            select(
                Item.column_id,
                func.count(),
                func.count(Item.blocked_reason),
                func.sum(case((Item.kind == ItemKind.EPIC, 0), else_=1)),
            )
            .where(Item.product_id == product_id, Item.archived.is_(False))
            .group_by(Item.column_id)
        )
    }
    columns = session.execute(
        select(BoardColumn.id, BoardColumn.name, BoardColumn.category, BoardColumn.wip_limit)
        .where(BoardColumn.product_id == product_id)
        .order_by(BoardColumn.position)
    ).all()
    empty = (0, 0, 0)
    in_progress = sum(
        per_column.get(c.id, empty)[2] for c in columns if c.category == Category.DOING
    )
    over = tuple(
        c.name for c in columns if over_wip_limit(per_column.get(c.id, empty)[0], c.wip_limit)
    )
    blocked = sum(cards[1] for cards in per_column.values())
    return in_progress, over, blocked


def _questions(session: Session, product_id: int, today: dt.date) -> tuple[int, int | None]:
    count, oldest = session.execute(
        select(func.count(), func.min(Question.asked_at)).where(
            Question.product_id == product_id, Question.state == QuestionState.OPEN
        )
    ).one()
    if not count:
        return 0, None
    asked = oldest if isinstance(oldest, dt.datetime) else dt.datetime.fromisoformat(oldest)
    return int(count), question_age(asked, None, QuestionState.OPEN, today)


def _row(session: Session, product: Product, as_of: dt.date) -> PortfolioRow:
    latest = session.execute(
        select(StatusUpdate.health, StatusUpdate.created_at)
        .where(StatusUpdate.product_id == product.id)
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(1)
    ).first()
    in_progress, over, blocked = _board_counts(session, product.id)
    questions, oldest = _questions(session, product.id, as_of)
    releases = read_releases(session, product.id)
    flow = read_flow(session, product.id, product.key)
    with gc_paused():
        backlog = forecast(flow, as_of, target=product.target_date)
    coming = _next(releases)
    done = len(finished_between(flow, as_of - dt.timedelta(days=RECENT_DAYS - 1), as_of))
    return PortfolioRow(
        product=product_info(product),
        health=latest[0] if latest else None,
        health_date=latest[1].date() if latest else None,
        target=product.target_date,
        forecast_p50=backlog.finish_50,
        forecast_p85=backlog.finish_85,
        delay_days=backlog.delay_days,
        forecast_reason=backlog.reason,
        done_4_weeks=done,
        in_progress=in_progress,
        over_wip_columns=over,
        blocked=blocked,
        open_questions=questions,
        oldest_question_days=oldest,
        next_release=outlooks([coming], flow, as_of)[0] if coming else None,
    )


def portfolio(
    db: Database, as_of: dt.date | None = None, include_archived: bool = False
) -> list[PortfolioRow]:
    """Every product (live ones, unless ``include_archived``) by name, one row each."""
    as_of = as_of or today_utc()
    with db.read() as session:
        query = select(Product).order_by(func.lower(Product.name), Product.id)
        if not include_archived:
            query = query.where(Product.archived.is_(False))
        ids = list(session.scalars(query.with_only_columns(Product.id)))
    rows = []
    for product_id in ids:
        with db.read() as session:
            product = session.get(Product, product_id)
            if product is not None:  # deleted since: another window
                rows.append(_row(session, product, as_of))
    return rows


def portfolio_row(db: Database, product_id: int, as_of: dt.date | None = None) -> PortfolioRow:
    """One product's row of the portfolio."""
    with db.read() as session:
        return _row(session, get_row(session, Product, product_id, "product"), as_of or today_utc())
