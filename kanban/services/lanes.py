"""What the board's swimlanes are called: a product's epics, team members and releases."""

from __future__ import annotations

from sqlalchemy import func, select

from kanban.domain import ItemKind
from kanban.services.common import find_product
from kanban.storage.database import Database
from kanban.storage.models import Item, Product, Release, TeamMember

LaneTitles = list[tuple[object, str, object]]
"""``(lane key, title, value a drop writes)`` in the order to show, for known lanes."""


def lane_titles(db: Database, product_ref: str | int, field: str) -> LaneTitles:
    """The known lanes of a field: ``epic`` (the product's live epics, in backlog order;
    key = value = the epic's id), ``assignee`` (the team by name, then the archived members
    who still hold a live item of the product; key = name, value = the member's id),
    ``release`` (the product's releases by target date; key = value = its id). Kinds need
    no reading; any other field has none."""
    with db.read() as session:
        product = find_product(session, product_ref)
        if field == "epic":
            rows = session.execute(
                select(Item.id, Product.key, Item.number, Item.title)
                .join(Product, Product.id == Item.product_id)
                .where(
                    Item.product_id == product.id,
                    Item.kind == ItemKind.EPIC,
                    Item.archived.is_(False),
                )
                .order_by(Item.rank)
            )
            return [(i, f"{key}-{number} {title}", i) for i, key, number, title in rows]
        if field == "assignee":
            assigned = select(Item.assignee_id).where(
                Item.product_id == product.id, Item.archived.is_(False)
            )
            members = session.execute(
                select(TeamMember.id, TeamMember.name)
                .where(TeamMember.archived.is_(False) | TeamMember.id.in_(assigned))
                .order_by(TeamMember.archived, func.lower(TeamMember.name))
            )
            return [(name, name, member_id) for member_id, name in members]
        if field == "release":
            releases = session.execute(
                select(Release.id, Release.name)
                .where(Release.product_id == product.id)
                .order_by(Release.target_date.is_(None), Release.target_date, Release.id)
            )
            return [(i, name, i) for i, name in releases]
        return []
