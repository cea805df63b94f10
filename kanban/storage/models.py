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

# Ranks compare byte-wise everywhere: SQLite's BINARY collation, and "C" on PostgreSQL.
RankString = String(64).with_variant(String(64, collation="C"), "postgresql")

ITEM_KINDS = ("story", "bug", "task", "spike", "epic")
COLUMN_CATEGORIES = ("backlog", "todo", "doing", "done")
SPRINT_STATES = ("planned", "active", "closed")
QUESTION_STATES = ("open", "answered", "obsolete")
URGENCIES = ("low", "normal", "high", "critical")
HEALTHS = ("on_track", "at_risk", "off_track")

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
    acceptance_criteria: Mapped[str] = mapped_column(Text, default="")
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
