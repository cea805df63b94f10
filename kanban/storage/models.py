"""SQLAlchemy 2.x declarative models: the schema of a kanban database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kanban.domain import (
    COLUMN_CATEGORIES,
    DEFINITIONS,
    HEALTHS,
    ITEM_KINDS,
    LINK_TYPES,
    QUESTION_STATES,
    READINESS_CHECKS,
    RELEASE_STATES,
    SPRINT_STATES,
    URGENCIES,
)

FIBONACCI_SCALE = "0,1,2,3,5,8,13,21"
"""A product's default points scale (the values an estimate may take)."""

# Ranks compare byte-wise everywhere: SQLite's BINARY collation, and "C" on PostgreSQL.
RankString = String(64).with_variant(String(64, collation="C"), "postgresql")


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def utcnow() -> dt.datetime:
    """The current time in UTC, without tzinfo (stored naive, always UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Base of every model; constraint names are stable for Alembic batch migrations."""

    metadata = MetaData(naming_convention=NAMING)


item_labels = Table(
    "item_labels",
    Base.metadata,
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("label_id", ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_item_labels_label_id", "label_id"),
)

stakeholder_products = Table(
    "stakeholder_products",
    Base.metadata,
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
)

status_update_recipients = Table(
    "status_update_recipients",
    Base.metadata,
    Column(
        "status_update_id", ForeignKey("status_updates.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True),
)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("length(key) BETWEEN 1 AND 10", name="key_length"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    vision: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    next_number: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    """The date promised to stakeholders; each change is kept in ``target_changes``."""
    points_scale: Mapped[str] = mapped_column(
        String(200), default=FIBONACCI_SCALE, server_default=FIBONACCI_SCALE
    )
    """Comma-separated values an estimate may take."""


class BoardColumn(Base):
    __tablename__ = "board_columns"
    __table_args__ = (
        UniqueConstraint("product_id", "name"),
        CheckConstraint(_in("category", COLUMN_CATEGORIES), name="category"),
        CheckConstraint("wip_limit IS NULL OR wip_limit > 0", name="wip_limit_positive"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        # Ids are never reused (windows and undo stacks hold them): see Item.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    wip_limit: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(10))


class TeamMember(Base):
    __tablename__ = "team_members"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(200), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Stakeholder(Base):
    __tablename__ = "stakeholders"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    organization: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str] = mapped_column(String(320), default="", server_default="")


class Sprint(Base):
    __tablename__ = "sprints"
    __table_args__ = (
        CheckConstraint(_in("state", SPRINT_STATES), name="state"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR end_date >= start_date", name="dates"
        ),
        UniqueConstraint("product_id", "name"),
        # At most one active sprint per product.
        Index(
            "ix_sprints_one_active",
            "product_id",
            unique=True,
            sqlite_where=text("state = 'active'"),
            postgresql_where=text("state = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="planned")
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    goal_met: Mapped[bool | None] = mapped_column(Boolean)
    """The product owner's verdict at closing (None: not said)."""
    capacity_unit: Mapped[str] = mapped_column(
        String(10), default="points", server_default="points"
    )
    """What ``sprint_members.capacity`` counts: ``points`` or ``days`` (person-days); the
    services check the value (a CHECK would mean rebuilding the table and its partial index)."""


class Label(Base):
    __tablename__ = "labels"
    __table_args__ = (
        UniqueConstraint("product_id", "name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    color: Mapped[str] = mapped_column(String(9), default="#808080")


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("product_id", "number"),
        UniqueConstraint("product_id", "rank"),
        CheckConstraint(_in("kind", ITEM_KINDS), name="kind"),
        CheckConstraint("length(trim(title)) > 0", name="title_not_empty"),
        CheckConstraint("points IS NULL OR points >= 0", name="points_not_negative"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)", name="confidence_share"
        ),
        # The board reads a product's cards column by column in rank order.
        Index("ix_items_board", "product_id", "column_id", "rank"),
        Index("ix_items_sprint_id", "sprint_id"),
        Index("ix_items_epic_id", "epic_id"),
        # Ids are never reused: SQLite would otherwise hand a deleted newest item's id to the
        # next new item, and a stale edit or undo aimed at the old item (same id, version 1)
        # would land on the newcomer.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default="story")
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[float | None] = mapped_column(Float)
    business_value: Mapped[int | None] = mapped_column(Integer)
    column_id: Mapped[int] = mapped_column(ForeignKey("board_columns.id", ondelete="RESTRICT"))
    rank: Mapped[str] = mapped_column(RankString)
    sprint_id: Mapped[int | None] = mapped_column(ForeignKey("sprints.id", ondelete="SET NULL"))
    epic_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_members.id", ondelete="SET NULL")
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="SET NULL")
    )
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    column_since: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id", ondelete="SET NULL"))
    external_key: Mapped[str | None] = mapped_column(String(100))
    """The item's key in the tool it was imported from (a Jira key such as ``SHOP-12``)."""
    # Scoring inputs (WSJF: value + time criticality + risk reduction over job size;
    # RICE: reach x impact x confidence over effort); old values stay in the activity log.
    time_criticality: Mapped[float | None] = mapped_column(Float)
    risk_reduction: Mapped[float | None] = mapped_column(Float)
    job_size: Mapped[float | None] = mapped_column(Float)
    reach: Mapped[float | None] = mapped_column(Float)
    impact: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)
    effort: Mapped[float | None] = mapped_column(Float)

    # The ORM bumps the version on every UPDATE and guards it in the WHERE clause.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Transition(Base):
    """One move of an item between columns; metrics are computed from these."""

    __tablename__ = "transitions"
    __table_args__ = (Index("ix_transitions_item_at", "item_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    from_column_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_columns.id", ondelete="SET NULL")
    )
    to_column_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_columns.id", ondelete="SET NULL")
    )
    # Categories are copied so metrics survive renamed, recategorised or deleted columns.
    from_category: Mapped[str | None] = mapped_column(String(10))
    to_category: Mapped[str] = mapped_column(String(10))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Activity(Base):
    """Append-only audit trail: who changed what and when."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_item_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text, default="")


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(_in("state", QUESTION_STATES), name="state"),
        CheckConstraint(_in("urgency", URGENCIES), name="urgency"),
        CheckConstraint("length(trim(text)) > 0", name="text_not_empty"),
        Index("ix_questions_product_state", "product_id", "state"),
        Index("ix_questions_item_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    asked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_members.id", ondelete="SET NULL")
    )
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    state: Mapped[str] = mapped_column(String(10), default="open")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class StatusUpdate(Base):
    __tablename__ = "status_updates"
    __table_args__ = (
        CheckConstraint(_in("health", HEALTHS), name="health"),
        Index("ix_status_updates_product_created", "product_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    health: Mapped[str] = mapped_column(String(10))
    headline: Mapped[str] = mapped_column(String(500), default="")
    progress: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    schedule_outlook: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    # JSON: the figures the update was written from, frozen when it was saved.
    snapshot: Mapped[str] = mapped_column(Text, default="{}")
    # The date history: the target and the forecast when the update was saved.
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    forecast_p50: Mapped[dt.date | None] = mapped_column(Date)
    forecast_p85: Mapped[dt.date | None] = mapped_column(Date)


class TargetChange(Base):
    """A product's (or a release's) target date moved: when, from what, to what, and why."""

    __tablename__ = "target_changes"
    __table_args__ = (Index("ix_target_changes_product_id", "product_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"))
    """None: the product's own target."""
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    previous: Mapped[dt.date | None] = mapped_column(Date)
    target: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200), default="")


class Release(Base):
    """A version of a product: items are assigned to one; it has a target and a forecast."""

    __tablename__ = "releases"
    __table_args__ = (
        UniqueConstraint("product_id", "name"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_empty"),
        CheckConstraint(_in("state", RELEASE_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="planned")
    released_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    """The release notes as the product owner edited them (empty: drafted from done items)."""


class ChecklistItem(Base):
    """One acceptance criterion of an item: a line that can be checked off."""

    __tablename__ = "checklist_items"
    __table_args__ = (
        Index("ix_checklist_items_item_id", "item_id", "position"),
        CheckConstraint("length(trim(text)) > 0", name="text_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ChecklistTemplate(Base):
    """A line every new item of a product (of one kind, or of every kind) starts with."""

    __tablename__ = "checklist_templates"
    __table_args__ = (
        CheckConstraint("length(trim(text)) > 0", name="text_not_empty"),
        CheckConstraint(f"kind IS NULL OR {_in('kind', ITEM_KINDS)}", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    kind: Mapped[str | None] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Comment(Base):
    """A comment on an item (Markdown); edits and deletions keep the old text in the
    activity log."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_item_id", "item_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class ItemLink(Base):
    """``source blocks target``, ``source relates to target``, ``source duplicates target``.
    The epic/child link stays ``items.epic_id``."""

    __tablename__ = "item_links"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "type"),
        CheckConstraint(_in("type", LINK_TYPES), name="type"),
        CheckConstraint("source_id <> target_id", name="not_itself"),
        Index("ix_item_links_target_id", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ResourceLink(Base):
    """A link from an item to an outside resource: a URL or a local file path, with a title.
    Opening one never runs anything."""

    __tablename__ = "resource_links"
    __table_args__ = (
        Index("ix_resource_links_item_id", "item_id"),
        CheckConstraint("length(trim(target)) > 0", name="target_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500), default="")
    target: Mapped[str] = mapped_column(Text)
    """A URL (https://...) or a local path."""


class ReadinessRule(Base):
    """One line of a product's Definition of Ready or of Done: a built-in check switched on,
    or a line the product owner wrote (``rule = 'custom'``), confirmed item by item."""

    __tablename__ = "readiness_rules"
    __table_args__ = (
        CheckConstraint(_in("definition", DEFINITIONS), name="definition"),
        CheckConstraint(_in("rule", READINESS_CHECKS), name="rule"),
        CheckConstraint("rule <> 'custom' OR length(trim(text)) > 0", name="custom_text"),
        Index("ix_readiness_rules_product_id", "product_id", "definition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    definition: Mapped[str] = mapped_column(String(10))
    rule: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class RuleConfirmation(Base):
    """An item meets a custom readiness rule: who said so, and when."""

    __tablename__ = "rule_confirmations"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    rule_id: Mapped[int] = mapped_column(
        ForeignKey("readiness_rules.id", ondelete="CASCADE"), primary_key=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), default="")


class SprintEntry(Base):
    """An item's time in a sprint's scope: when it was added and, if so, taken out (moved to
    another sprint at closing, ``carried``, or removed). Committed = in scope at the start."""

    __tablename__ = "sprint_entries"
    __table_args__ = (
        Index("ix_sprint_entries_sprint_id", "sprint_id"),
        Index("ix_sprint_entries_item_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("sprints.id", ondelete="SET NULL")
    )
    """The sprint this item was carried over from, when it came in at a closing."""


class SprintMember(Base):
    """A team member's capacity in one sprint (points or person-days, by the sprint's unit)
    and the days they are off."""

    __tablename__ = "sprint_members"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("days_off >= 0", name="days_off_not_negative"),
    )

    sprint_id: Mapped[int] = mapped_column(
        ForeignKey("sprints.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("team_members.id", ondelete="CASCADE"), primary_key=True
    )
    capacity: Mapped[float] = mapped_column(Float, default=0)
    days_off: Mapped[float] = mapped_column(Float, default=0)


class ItemField(Base):
    """A field an import brought that the app has no column for (a Trello custom field,
    a Jira reporter), kept as text and shown with the item."""

    __tablename__ = "item_fields"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ImportRecord(Base):
    """A file imported into the database: its fingerprint (to ask before importing the same
    file twice) and what it made."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_sha256", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    """``json``, ``trello``, ``jira`` or ``csv``."""
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(Text, default="{}")
    """JSON: counts of what was created, and what could not be mapped."""
