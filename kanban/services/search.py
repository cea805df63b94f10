"""Finding things across every product: items by key or title, questions by text (the
command palette, Ctrl+K)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, select

from kanban.domain import QuestionState
from kanban.services.common import KEY_PATTERN
from kanban.services.records import Found
from kanban.storage.database import Database
from kanban.storage.models import BoardColumn, Item, Product, Question

LIMIT = 12
"""Hits of each kind returned at most (a palette shows a screenful)."""


ITEM = "item"
QUESTION = "question"


def _like(column: Any, words: list[str]) -> ColumnElement[bool]:
    return and_(*(func.lower(column).contains(word, autoescape=True) for word in words))


def find(db: Database, text: str, limit: int = LIMIT, prefer: int | None = None) -> list[Found]:
    """Items and questions of the live products that ``text`` names: an item key
    (``web-12``) first, then items whose title holds every word (any case), the product
    ``prefer`` first, then by product key and in backlog order, then questions whose text
    holds them, open ones first; ``limit`` of each. Archived items and products are left
    out."""
    words = text.casefold().split()
    if not words:
        return []
    found: list[Found] = []
    with db.read() as session:
        items = (
            select(Item.id, Item.product_id, Product.key, Item.number, Item.title, BoardColumn.name)
            .join(Product, Product.id == Item.product_id)
            .join(BoardColumn, BoardColumn.id == Item.column_id)
            .where(Item.archived.is_(False), Product.archived.is_(False))
        )
        match = KEY_PATTERN.match(text)
        exact: set[int] = set()
        if match:
            for row in session.execute(
                items.where(
                    func.upper(Product.key) == match[1].upper(), Item.number == int(match[2])
                )
            ):
                exact.add(row[0])
                found.append(_item(row))
        titled = items.where(_like(Item.title, words)).order_by(
            Item.product_id != (prefer or 0), Product.key, Item.rank
        )
        for row in session.execute(titled.limit(limit)):
            if row[0] not in exact:
                found.append(_item(row))
        asked = (
            select(Question.id, Question.product_id, Product.key, Question.text, Question.state)
            .join(Product, Product.id == Question.product_id)
            .where(Product.archived.is_(False), _like(Question.text, words))
            .order_by(
                Question.product_id != (prefer or 0),
                Question.state != QuestionState.OPEN,
                Question.asked_at.desc(),
            )
            .limit(limit)
        )
        for question_id, product_id, key, question, state in session.execute(asked):
            found.append(Found(QUESTION, question_id, product_id, key, f"#{question_id}",
                               question, state))  # fmt: skip
    return found


def _item(row: Any) -> Found:
    item_id, product_id, key, number, title, column = row
    return Found(ITEM, item_id, product_id, key, f"{key}-{number}", title, column)
