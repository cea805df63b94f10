"""The ORM classes, mapped onto the Core tables of ``kanban.storage.tables`` on first use.

Importing this module is cheap: the classes are plain until :func:`map_models` maps them all,
which imports SQLAlchemy's ORM (~0.15 s). The first ``Database.read()`` or ``write()`` maps
them, and so does the first use of a class attribute the class lacks (``Item.rank``,
``select(Item)``), wherever it happens. A process that only reads through Core (the command
line's listings, the window's first screen) never pays for it: statements built at import time
or on those paths use the tables of ``kanban.storage.tables`` (``tables.items.c.rank``).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any, ClassVar

from kanban.domain import SCORE_FIELDS
from kanban.storage import tables
from kanban.storage.tables import (
    FIBONACCI_SCALE,
    NAMING,
    item_labels,
    stakeholder_products,
    status_update_recipients,
    utcnow,
)

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Table
    from sqlalchemy.orm import Mapped

__all__ = [
    "FIBONACCI_SCALE",
    "NAMING",
    "item_labels",
    "map_models",
    "stakeholder_products",
    "status_update_recipients",
    "utcnow",
]


class _MapsOnFirstUse(type):
    """The classes' type: the first time anything asks a class for an attribute it lacks
    (``Item.rank`` or ``select(Item)`` before any session), every class is mapped, so ORM code
    works wherever it runs; only its cost moves to that moment."""

    if not TYPE_CHECKING:  # mypy keeps checking attribute names

        def __getattr__(cls, name: str) -> Any:
            if _mapped or _mapper_thread == threading.get_ident():
                raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")
            map_models()
            return getattr(cls, name)


class Base(metaclass=_MapsOnFirstUse):
    """Base of every mapped class: the schema's metadata, construction by keywords."""

    metadata: ClassVar[MetaData] = tables.metadata
    __table__: ClassVar[Table]
    mapper_args: ClassVar[dict[str, Any]] = {}

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        for name, value in values.items():
            if not hasattr(cls, name):
                raise TypeError(f"{name!r} is an invalid keyword argument for {cls.__name__}")
            setattr(self, name, value)

    @classmethod
    def relationships(cls) -> dict[str, Any]:
        """The class's relationships, made when it is mapped (they need the ORM)."""
        return {}


class Product(Base):
    __table__ = tables.products

    id: Mapped[int]
    key: Mapped[str]
    name: Mapped[str]
    vision: Mapped[str]
    archived: Mapped[bool]
    next_number: Mapped[int]
    created_at: Mapped[dt.datetime]
    target_date: Mapped[dt.date | None]
    """The date promised to stakeholders; each change is kept in ``target_changes``."""
    points_scale: Mapped[str]
    """Comma-separated values an estimate may take."""


class BoardColumn(Base):
    __table__ = tables.board_columns

    id: Mapped[int]
    product_id: Mapped[int]
    name: Mapped[str]
    position: Mapped[int]
    wip_limit: Mapped[int | None]
    category: Mapped[str]


class TeamMember(Base):
    __table__ = tables.team_members

    id: Mapped[int]
    name: Mapped[str]
    role: Mapped[str]
    archived: Mapped[bool]


class Stakeholder(Base):
    __table__ = tables.stakeholders

    id: Mapped[int]
    name: Mapped[str]
    role: Mapped[str]
    organization: Mapped[str]
    contact: Mapped[str]
    notes: Mapped[str]
    archived: Mapped[bool]
    email: Mapped[str]


class Sprint(Base):
    __table__ = tables.sprints

    id: Mapped[int]
    product_id: Mapped[int]
    name: Mapped[str]
    goal: Mapped[str]
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    state: Mapped[str]
    started_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    goal_met: Mapped[bool | None]
    """The product owner's verdict at closing (None: not said)."""
    capacity_unit: Mapped[str]
    """What ``sprint_members.capacity`` counts: ``points`` or ``days`` (person-days); the
    services check the value (a CHECK would mean rebuilding the table and its partial index)."""


class Label(Base):
    __table__ = tables.labels

    id: Mapped[int]
    product_id: Mapped[int]
    name: Mapped[str]
    color: Mapped[str]


def _score_input(name: str) -> Any:
    """An item's scoring input ``name`` as an attribute of the item: read from its scores'
    row (None without one); set, it makes the row for the first input and drops the row when
    the last is emptied."""

    def get(item: Item) -> float | None:
        scores = item.scores
        return None if scores is None else getattr(scores, name)

    def put(item: Item, value: float | None) -> None:
        scores = item.scores
        if scores is None:
            if value is None:
                return
            scores = item.scores = ItemScores()
        setattr(scores, name, value)
        if all(getattr(scores, field) is None for field in SCORE_FIELDS):
            item.scores = None

    return property(get, put)


class Item(Base):
    __table__ = tables.items

    id: Mapped[int]
    product_id: Mapped[int]
    number: Mapped[int]
    kind: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    points: Mapped[float | None]
    business_value: Mapped[int | None]
    column_id: Mapped[int]
    rank: Mapped[str]
    sprint_id: Mapped[int | None]
    epic_id: Mapped[int | None]
    assignee_id: Mapped[int | None]
    requested_by_id: Mapped[int | None]
    due_date: Mapped[dt.date | None]
    blocked_reason: Mapped[str | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    column_since: Mapped[dt.datetime]
    started_at: Mapped[dt.datetime | None]
    done_at: Mapped[dt.datetime | None]
    archived: Mapped[bool]
    version: Mapped[int]
    release_id: Mapped[int | None]
    external_key: Mapped[str | None]
    """The item's key in the tool it was imported from (a Jira key such as ``SHOP-12``)."""
    scores: Mapped[ItemScores | None]
    """Its scoring inputs' row (None: it has none); read and set them as the attributes
    below, which make the row for the first input and drop it with the last."""

    # The ORM bumps the version on every UPDATE and guards it in the WHERE clause.
    mapper_args: ClassVar[dict[str, Any]] = {"version_id_col": tables.items.c.version}

    @classmethod
    def relationships(cls) -> dict[str, Any]:
        from sqlalchemy.orm import relationship

        return {
            "scores": relationship(
                ItemScores, uselist=False, cascade="all, delete-orphan", passive_deletes=True
            )
        }

    time_criticality = _score_input("time_criticality")
    risk_reduction = _score_input("risk_reduction")
    job_size = _score_input("job_size")
    reach = _score_input("reach")
    impact = _score_input("impact")
    confidence = _score_input("confidence")
    effort = _score_input("effort")


class ItemScores(Base):
    """An item's scoring inputs besides its business value (``domain.SCORE_FIELDS``)."""

    __table__ = tables.item_scores

    item_id: Mapped[int]
    time_criticality: Mapped[float | None]
    risk_reduction: Mapped[float | None]
    job_size: Mapped[float | None]
    reach: Mapped[float | None]
    impact: Mapped[float | None]
    confidence: Mapped[float | None]
    effort: Mapped[float | None]


class Transition(Base):
    """One move of an item between columns; metrics are computed from these."""

    __table__ = tables.transitions

    id: Mapped[int]
    item_id: Mapped[int]
    from_column_id: Mapped[int | None]
    to_column_id: Mapped[int | None]
    from_category: Mapped[str | None]
    to_category: Mapped[str]
    at: Mapped[dt.datetime]


class Activity(Base):
    """Append-only audit trail: who changed what and when."""

    __table__ = tables.activities

    id: Mapped[int]
    product_id: Mapped[int | None]
    item_id: Mapped[int | None]
    at: Mapped[dt.datetime]
    actor: Mapped[str]
    action: Mapped[str]
    detail: Mapped[str]


class Question(Base):
    __table__ = tables.questions

    id: Mapped[int]
    product_id: Mapped[int]
    item_id: Mapped[int | None]
    asked_by_id: Mapped[int | None]
    asked_at: Mapped[dt.datetime]
    text: Mapped[str]
    urgency: Mapped[str]
    state: Mapped[str]
    answer: Mapped[str]
    answered_by: Mapped[str]
    answered_at: Mapped[dt.datetime | None]


class StatusUpdate(Base):
    __table__ = tables.status_updates

    id: Mapped[int]
    product_id: Mapped[int]
    created_at: Mapped[dt.datetime]
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    health: Mapped[str]
    headline: Mapped[str]
    progress: Mapped[str]
    problems: Mapped[str]
    schedule_outlook: Mapped[str]
    next_steps: Mapped[str]
    snapshot: Mapped[str]
    target_date: Mapped[dt.date | None]
    forecast_p50: Mapped[dt.date | None]
    forecast_p85: Mapped[dt.date | None]


class TargetChange(Base):
    """A product's (or a release's) target date moved: when, from what, to what, and why."""

    __table__ = tables.target_changes

    id: Mapped[int]
    product_id: Mapped[int]
    release_id: Mapped[int | None]
    """None: the product's own target."""
    at: Mapped[dt.datetime]
    previous: Mapped[dt.date | None]
    target: Mapped[dt.date | None]
    reason: Mapped[str]
    actor: Mapped[str]


class Release(Base):
    """A version of a product: items are assigned to one; it has a target and a forecast."""

    __table__ = tables.releases

    id: Mapped[int]
    product_id: Mapped[int]
    name: Mapped[str]
    description: Mapped[str]
    target_date: Mapped[dt.date | None]
    state: Mapped[str]
    released_on: Mapped[dt.date | None]
    notes: Mapped[str]
    """The release notes as the product owner edited them (empty: drafted from done items)."""


class ChecklistItem(Base):
    """One acceptance criterion of an item: a line that can be checked off."""

    __table__ = tables.checklist_items

    id: Mapped[int]
    item_id: Mapped[int]
    position: Mapped[int]
    text: Mapped[str]
    done: Mapped[bool]
    done_at: Mapped[dt.datetime | None]


class ChecklistTemplate(Base):
    """A line every new item of a product (of one kind, or of every kind) starts with."""

    __table__ = tables.checklist_templates

    id: Mapped[int]
    product_id: Mapped[int]
    kind: Mapped[str | None]
    position: Mapped[int]
    text: Mapped[str]


class Comment(Base):
    """A comment on an item (Markdown); edits and deletions keep the old text in the
    activity log."""

    __table__ = tables.comments

    id: Mapped[int]
    item_id: Mapped[int]
    author: Mapped[str]
    at: Mapped[dt.datetime]
    text: Mapped[str]
    edited_at: Mapped[dt.datetime | None]
    deleted: Mapped[bool]


class ItemLink(Base):
    """``source blocks target``, ``source relates to target``, ``source duplicates target``.
    The epic/child link stays ``items.epic_id``."""

    __table__ = tables.item_links

    id: Mapped[int]
    source_id: Mapped[int]
    target_id: Mapped[int]
    type: Mapped[str]
    created_at: Mapped[dt.datetime]


class ResourceLink(Base):
    """A link from an item to an outside resource: a URL or a local file path, with a title.
    Opening one never runs anything."""

    __table__ = tables.resource_links

    id: Mapped[int]
    item_id: Mapped[int]
    title: Mapped[str]
    target: Mapped[str]
    """A URL (https://...) or a local path."""


class ReadinessRule(Base):
    """One line of a product's Definition of Ready or of Done: a built-in check switched on,
    or a line the product owner wrote (``rule = 'custom'``), confirmed item by item."""

    __table__ = tables.readiness_rules

    id: Mapped[int]
    product_id: Mapped[int]
    definition: Mapped[str]
    rule: Mapped[str]
    text: Mapped[str]
    position: Mapped[int]
    enabled: Mapped[bool]


class RuleConfirmation(Base):
    """An item meets a custom readiness rule: who said so, and when."""

    __table__ = tables.rule_confirmations

    item_id: Mapped[int]
    rule_id: Mapped[int]
    at: Mapped[dt.datetime]
    actor: Mapped[str]


class SprintEntry(Base):
    """An item's time in a sprint's scope: when it was added and, if so, taken out (moved to
    another sprint at closing, ``carried``, or removed). Committed = in scope at the start."""

    __table__ = tables.sprint_entries

    id: Mapped[int]
    sprint_id: Mapped[int]
    item_id: Mapped[int]
    added_at: Mapped[dt.datetime]
    removed_at: Mapped[dt.datetime | None]
    carried_from_id: Mapped[int | None]
    """The sprint this item was carried over from, when it came in at a closing."""


class SprintMember(Base):
    """A team member's capacity in one sprint (points or person-days, by the sprint's unit)
    and the days they are off."""

    __table__ = tables.sprint_members

    sprint_id: Mapped[int]
    member_id: Mapped[int]
    capacity: Mapped[float]
    days_off: Mapped[float]


class ItemField(Base):
    """A field an import brought that the app has no column for (a Trello custom field,
    a Jira reporter), kept as text and shown with the item."""

    __table__ = tables.item_fields

    item_id: Mapped[int]
    name: Mapped[str]
    value: Mapped[str]


class ImportRecord(Base):
    """A file imported into the database: its fingerprint (to ask before importing the same
    file twice) and what it made."""

    __table__ = tables.imports

    id: Mapped[int]
    product_id: Mapped[int | None]
    source: Mapped[str]
    """``json``, ``trello``, ``jira`` or ``csv``."""
    file_name: Mapped[str]
    sha256: Mapped[str]
    at: Mapped[dt.datetime]
    summary: Mapped[str]
    """JSON: counts of what was created, and what could not be mapped."""


_mapped = False
_mapper_thread: int | None = None  # the thread mapping right now
_mapping = threading.Lock()


def map_models() -> None:
    """Map every class onto its table, once per process (imports the ORM, ~0.15 s)."""
    global _mapped, _mapper_thread
    if _mapped:
        return
    with _mapping:
        if _mapped:
            return
        _mapper_thread = threading.get_ident()
        try:
            from sqlalchemy.orm import configure_mappers, registry

            mapper_registry = registry(metadata=tables.metadata)
            for cls in Base.__subclasses__():
                mapper_registry.map_imperatively(
                    cls, cls.__table__, properties=cls.relationships(), **cls.mapper_args
                )
            configure_mappers()
            _mapped = True
        finally:
            _mapper_thread = None
