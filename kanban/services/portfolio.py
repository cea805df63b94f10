"""The portfolio: one row per product, for a product owner with several (issue 13.3).

Every row comes from one read transaction for all the products: one pass over the items and
one over the moves (``figures.read_paces``) give each product's throughput by day, its open
work by release and its cards per column; the backlog's forecast and the next release's come
from one simulation per product (the same runs answer both). The rest are a few small
queries: the latest health, the columns, the releases, the open questions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from kanban.domain import (
    Category,
    QuestionState,
    ReleaseState,
    over_wip_limit,
    question_age,
    today_utc,
)
from kanban.metrics.forecast import BACKLOG, pace_forecasts
from kanban.services.common import gc_paused, get_row, product_info, to_datetime
from kanban.services.figures import CardTally, read_paces
from kanban.services.records import PortfolioRow, ReleaseInfo
from kanban.services.releases import (
    outlook_of,
    release_counts,
    releases_of_products,
    scope_of,
)
from kanban.storage.database import Database
from kanban.storage.models import BoardColumn, Product, Question, StatusUpdate

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

RECENT_DAYS = 28
"""'Done in the last 4 weeks': the 28 days up to today."""


def _next(releases: Sequence[ReleaseInfo]) -> ReleaseInfo | None:
    planned = [r for r in releases if r.state == ReleaseState.PLANNED]
    return planned[0] if planned else None  # ordered by target (none last)


def _board(
    columns: Sequence[tuple[int, str, str, int | None]], tallies: Sequence[CardTally]
) -> tuple[int, tuple[str, ...], int]:
    """Work in progress, the columns over their WIP limit, blocked cards: as the board counts
    (every live card)."""
    cards: dict[int, int] = {}
    work: dict[int, int] = {}
    for tally in tallies:
        cards[tally.column_id] = cards.get(tally.column_id, 0) + tally.cards
        work[tally.column_id] = work.get(tally.column_id, 0) + tally.work
    in_progress = sum(
        work.get(c, 0) for c, _n, category, _w in columns if category == Category.DOING
    )
    over = tuple(n for c, n, _cat, limit in columns if over_wip_limit(cards.get(c, 0), limit))
    return in_progress, over, sum(t.blocked for t in tallies)


def _questions(
    session: Session, product_ids: Sequence[int], today: dt.date
) -> dict[int, tuple[int, int | None]]:
    """Per product: open questions and the oldest one's age in days."""
    rows = session.execute(
        select(Question.product_id, func.count(), func.min(Question.asked_at))
        .where(Question.product_id.in_(product_ids), Question.state == QuestionState.OPEN)
        .group_by(Question.product_id)
    )
    return {
        product: (int(count), question_age(to_datetime(oldest), None, QuestionState.OPEN, today))
        for product, count, oldest in rows
    }


def _health(session: Session, product_ids: Sequence[int]) -> dict[int, tuple[str, dt.datetime]]:
    """Per product: the latest status update's health and when it was written."""
    latest: dict[int, tuple[str, dt.datetime]] = {}
    for product, health, created in session.execute(
        select(StatusUpdate.product_id, StatusUpdate.health, StatusUpdate.created_at)
        .where(StatusUpdate.product_id.in_(product_ids))
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
    ):
        latest.setdefault(product, (health, created))
    return latest


def _rows(session: Session, products: Sequence[Product], as_of: dt.date) -> list[PortfolioRow]:
    ids = [p.id for p in products]
    recent = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    read = read_paces(session, ids, as_of, recent_since=recent)
    columns: dict[int, list[tuple[int, str, str, int | None]]] = {p: [] for p in ids}
    for owner, column_id, name, category, limit in session.execute(
        select(
            BoardColumn.product_id,
            BoardColumn.id,
            BoardColumn.name,
            BoardColumn.category,
            BoardColumn.wip_limit,
        )
        .where(BoardColumn.product_id.in_(ids))
        .order_by(BoardColumn.position)
    ):
        columns[owner].append((column_id, name, category, limit))
    done_columns = {c[0] for cs in columns.values() for c in cs if c[2] == Category.DONE}
    tallies: dict[int, list[CardTally]] = {p: [] for p in ids}
    for tally in read.tallies:
        tallies[tally.product_id].append(tally)
    releases = releases_of_products(session, ids, release_counts(read.tallies, done_columns))
    questions = _questions(session, ids, as_of)
    health = _health(session, ids)
    rows = []
    for product in products:
        pace = read.paces[product.id]
        coming = _next(releases[product.id])
        asked = [(BACKLOG, product.target_date)]
        if coming is not None:
            asked.append((scope_of(coming), coming.target_date))
        with gc_paused():  # one simulation for both
            backlog, *release = pace_forecasts(pace, asked)
        in_progress, over, blocked = _board(columns[product.id], tallies[product.id])
        open_questions, oldest = questions.get(product.id, (0, None))
        latest = health.get(product.id)
        rows.append(
            PortfolioRow(
                product=product_info(product),
                health=latest[0] if latest else None,
                health_date=latest[1].date() if latest else None,
                target=product.target_date,
                forecast_p50=backlog.finish_50,
                forecast_p85=backlog.finish_85,
                delay_days=backlog.delay_days,
                forecast_reason=backlog.reason,
                done_4_weeks=pace.finished_from(recent),
                in_progress=in_progress,
                over_wip_columns=over,
                blocked=blocked,
                open_questions=open_questions,
                oldest_question_days=oldest,
                next_release=outlook_of(coming, release[0]) if coming else None,
            )
        )
    return rows


def portfolio(
    db: Database, as_of: dt.date | None = None, include_archived: bool = False
) -> list[PortfolioRow]:
    """Every product (live ones, unless ``include_archived``) by name, one row each."""
    as_of = as_of or today_utc()
    with db.read() as session:
        query = select(Product).order_by(func.lower(Product.name), Product.id)
        if not include_archived:
            query = query.where(Product.archived.is_(False))
        return _rows(session, list(session.scalars(query)), as_of)


def portfolio_row(db: Database, product_id: int, as_of: dt.date | None = None) -> PortfolioRow:
    """One product's row of the portfolio."""
    with db.read() as session:
        product = get_row(session, Product, product_id, "product")
        return _rows(session, [product], as_of or today_utc())[0]
