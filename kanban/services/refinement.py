"""One item's refinement as a whole: everything the item editor and `kanban show` display, and
the rows a deleted item takes with it (so undoing the delete brings them back)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Table, select

from kanban.domain import DEFINITIONS, ITEM_KINDS, Definition
from kanban.services.checklists import item_checklist, write_template
from kanban.services.comments import item_comments
from kanban.services.common import find_item, find_product, item_key
from kanban.services.links import item_links, item_resources
from kanban.services.questions import item_open_questions
from kanban.services.readiness import check_rules, item_readiness, rule_infos, write_rules
from kanban.services.records import Card, Refinement, RuleInfo
from kanban.storage.database import Database
from kanban.storage.models import (
    ChecklistItem,
    ChecklistTemplate,
    Comment,
    Item,
    ItemLink,
    ReadinessRule,
    ResourceLink,
    RuleConfirmation,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SavedRows = tuple[tuple[str, tuple[dict[str, Any], ...]], ...]
"""An item's own rows by table name, as stored."""

_OWNED: tuple[tuple[Table, tuple[str, ...]], ...] = tuple(
    (model.__table__, keys)
    for model, keys in (
        (ChecklistItem, ("item_id",)),
        (Comment, ("item_id",)),
        (ResourceLink, ("item_id",)),
        (RuleConfirmation, ("item_id",)),
        (ItemLink, ("source_id", "target_id")),
    )
)


def get_refinement(db: Database, item_ref: str | int) -> Refinement:
    """An item's checklist, comments, links, resources, open questions, and its verdicts
    against its product's Definitions of Ready and Done."""
    with db.read() as session:
        item = find_item(session, item_ref)
        return Refinement(
            item_id=item.id,
            key=item_key(session, item),
            checklist=item_checklist(session, item.id),
            comments=item_comments(session, item.id, include_deleted=False),
            links=item_links(session, item.id),
            resources=item_resources(session, item.id),
            open_questions=item_open_questions(session, item.id),
            ready=item_readiness(session, item, Definition.READY),
            done=item_readiness(session, item, Definition.DONE),
        )


class Settings(NamedTuple):
    """A product's refinement settings, as the Definitions dialog edits them: each
    definition's rules, each template's lines (by kind, None: every kind), the points scale."""

    rules: dict[str, tuple[RuleInfo, ...]]
    templates: dict[str | None, tuple[str, ...]]
    points_scale: tuple[float, ...]


def get_settings(db: Database, product_ref: str | int) -> Settings:
    """A product's Definitions of Ready and Done, checklist templates and points scale."""
    from kanban.services.estimation import get_points_scale

    with db.read() as session:
        product = find_product(session, product_ref)
        rules = {d: tuple(rule_infos(session, product.id, d)) for d in DEFINITIONS}
        templates: dict[str | None, list[str]] = {kind: [] for kind in (None, *ITEM_KINDS)}
        for kind, text in session.execute(
            select(ChecklistTemplate.kind, ChecklistTemplate.text)
            .where(ChecklistTemplate.product_id == product.id)
            .order_by(ChecklistTemplate.position, ChecklistTemplate.id)
        ):
            templates[kind].append(text)
    frozen = {kind: tuple(lines) for kind, lines in templates.items()}
    return Settings(rules, frozen, get_points_scale(db, product.id))


def save_settings(db: Database, product_ref: str | int, wanted: Settings) -> Settings:
    """Write what differs from the stored settings, in one transaction; returns the settings
    as they were before (an undo saves those back)."""
    from kanban.services.estimation import write_points_scale

    for definition, rules in wanted.rules.items():
        check_rules(definition, rules)
    before = get_settings(db, product_ref)
    with db.write() as session:
        product = find_product(session, product_ref)
        for definition, rules in wanted.rules.items():
            if _rule_keys(rules) != _rule_keys(before.rules.get(definition, ())):
                write_rules(session, product.id, Definition(definition), rules)
        for kind, lines in wanted.templates.items():
            if [" ".join(x.split()) for x in lines if x.strip()] != list(before.templates[kind]):
                write_template(session, product.id, kind, lines)
        if wanted.points_scale != before.points_scale:
            write_points_scale(session, product, wanted.points_scale)
    return before


def _rule_keys(rules: Sequence[RuleInfo]) -> list[tuple[object, ...]]:
    return [(r.id, r.rule, " ".join(r.text.split()), r.enabled) for r in rules]


def live_cards(db: Database, item_ids: Sequence[int]) -> list[Card]:
    """The cards of those of these items that are live (neither archived nor deleted)."""
    from kanban.services.items import read_cards  # items imports this module

    with db.read() as session:
        live = set(
            session.scalars(
                select(Item.id).where(Item.id.in_(list(item_ids)), Item.archived.is_(False))
            )
        )
        return read_cards(session, [item_id for item_id in item_ids if item_id in live])


def save_rows(session: Session, item_id: int) -> SavedRows:
    """The rows of an item's checklist, comments, resources, confirmations and links, as
    stored, before the item is deleted."""
    saved = []
    for table, keys in _OWNED:
        where = [table.c[key] == item_id for key in keys]
        query = select(table).where(where[0] if len(where) == 1 else where[0] | where[1])
        rows = tuple(dict(row) for row in session.execute(query).mappings())
        if rows:
            saved.append((table.name, rows))
    return tuple(saved)


def restore_rows(session: Session, saved: SavedRows) -> None:
    """Put back the rows :func:`save_rows` kept, in the caller's transaction, leaving out those
    whose other end (a linked item, a custom rule) has gone meanwhile."""
    tables = {table.name: table for table, _ in _OWNED}
    for name, rows in saved:
        table = tables[name]
        kept = [row for row in rows if _others_exist(session, table, row)]
        if kept:
            session.execute(table.insert(), kept)


def _others_exist(session: Session, table: Table, row: dict[str, Any]) -> bool:
    same_key = [column == row[column.name] for column in table.primary_key.columns]
    if session.execute(select(*table.primary_key.columns).where(*same_key)).first():
        return False  # made again meanwhile (an undone link re-created, say)
    if table.name == "item_links":
        if session.scalar(
            select(ItemLink.id).where(
                ItemLink.source_id == row["source_id"],
                ItemLink.target_id == row["target_id"],
                ItemLink.type == row["type"],
            )
        ):
            return False
        return all(session.get(Item, row[k]) is not None for k in ("source_id", "target_id"))
    if table.name == "rule_confirmations":
        return session.get(ReadinessRule, row["rule_id"]) is not None
    return True
