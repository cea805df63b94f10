"""Estimation aids: a product's points scale (the values an estimate may take)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from kanban.domain import Category, ItemKind
from kanban.errors import ValidationError
from kanban.services.common import find_product, log_activity, product_infos
from kanban.services.records import PointsScale
from kanban.storage import tables
from kanban.storage.database import Database
from kanban.storage.models import FIBONACCI_SCALE, BoardColumn, Item, Product

if TYPE_CHECKING:  # the ORM loads on the first session, not at start-up
    from sqlalchemy.orm import Session


def parse_scale(text: str) -> tuple[float, ...]:
    """A points scale from ``"0, 1, 2, 3, 5, 8"``: distinct non-negative numbers, ascending."""
    values = set()
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            value = float(part)
        except ValueError:
            raise ValidationError(f"A points scale holds numbers, not {part.strip()!r}") from None
        if not math.isfinite(value) or value < 0:
            raise ValidationError(f"A points scale holds numbers of 0 or more, not {part.strip()}")
        values.add(value)
    if not values:
        raise ValidationError("A points scale needs at least one value")
    return tuple(sorted(values))


def scale_text(values: tuple[float, ...]) -> str:
    """A scale as stored and shown: ``0,0.5,1,2``."""
    return ",".join(f"{v:g}" for v in values)


def get_points_scale(db: Database, product_ref: str | int) -> tuple[float, ...]:
    """The values an estimate of this product's items may take (Fibonacci by default).

    Read through Core: the backlog's first read, on the start-up path."""
    with db.connect() as connection:
        product_id = product_infos(connection, product_ref)[0].id
        products = tables.products.c
        text = connection.scalar(select(products.points_scale).where(products.id == product_id))
    return parse_scale(text or FIBONACCI_SCALE)


def scale_summary(db: Database, product_ref: str | int) -> PointsScale:
    """A product's points scale, with how many open work items (live, not epics, not done)
    are estimated off it and how many are not estimated."""
    with db.read() as session:
        product = find_product(session, product_ref)
        values = parse_scale(product.points_scale or FIBONACCI_SCALE)
        query = (
            select(Item.points, func.count())
            .join(BoardColumn, BoardColumn.id == Item.column_id)
            .where(
                Item.product_id == product.id,
                Item.archived.is_(False),
                Item.kind != ItemKind.EPIC,
                BoardColumn.category != Category.DONE,
            )
            .group_by(Item.points)
        )
        counts: dict[float | None, int] = {p: n for p, n in session.execute(query)}
    unestimated = counts.pop(None, 0)
    off = sum(count for points, count in counts.items() if points not in values)
    return PointsScale(product.id, values, off, unestimated)


def set_points_scale(db: Database, product_ref: str | int, text: str) -> tuple[float, ...]:
    """Change a product's points scale (existing estimates are kept as they are)."""
    values = parse_scale(text)
    with db.write() as session:
        write_points_scale(session, find_product(session, product_ref), values)
        return values


def write_points_scale(session: Session, product: Product, values: tuple[float, ...]) -> None:
    """Store a parsed scale on a product, in the caller's transaction."""
    stored = scale_text(values)
    if product.points_scale != stored:
        log_activity(
            session, product.id, "points_scale_changed", f"{product.points_scale} → {stored}"
        )
        product.points_scale = stored
