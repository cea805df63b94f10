"""The schema as SQLAlchemy Core tables: the one place it is written.

Core only, so a process that only reads (the command line's listings, the window's first
screen) never pays for the ORM; ``kanban.storage.models`` maps classes onto these tables when
the first session opens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
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
from sqlalchemy.types import TypeDecorator

from kanban.domain import (
    COLUMN_CATEGORIES,
    DEFINITIONS,
    HEALTHS,
    ITEM_KINDS,
    LINK_TYPES,
    QUESTION_STATES,
    READINESS_CHECKS,
    RELEASE_STATES,
    SCORE_FIELDS,
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

metadata = MetaData(naming_convention=NAMING)
"""Every table; constraint names are stable for Alembic batch migrations."""


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


_ACTIVE = "state = 'active'"
_IN_A_SPRINT = "sprint_id IS NOT NULL"
_IN_AN_EPIC = "epic_id IS NOT NULL"


def postgresql_options() -> None:
    """Give the partial indexes their PostgreSQL ``WHERE`` (idempotent).

    Written into the tables below, ``postgresql_where`` would make SQLAlchemy load its whole
    PostgreSQL dialect (~60 ms) to check the keyword in every process, SQLite files too; this
    runs when a PostgreSQL database is opened (and in Alembic's environment there).
    """
    for table, name, where in (
        (sprints, "ix_sprints_one_active", _ACTIVE),
        (items, "ix_items_sprint_id", _IN_A_SPRINT),
        (items, "ix_items_epic_id", _IN_AN_EPIC),
    ):
        index = next(i for i in table.indexes if i.name == name)
        index.dialect_kwargs["postgresql_where"] = text(where)


def utcnow() -> dt.datetime:
    """The current time in UTC, without tzinfo (stored naive, always UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


_EPOCH = dt.datetime(1970, 1, 1)
_DAY = 86_400
_SECOND = dt.timedelta(seconds=1)


def stored_moment(value: dt.datetime) -> int | float:
    """A moment as a SQLite file holds it: Unix time in seconds (UTC), an integer when it is a
    whole second, else a float.

    SQLite writes a whole second in 4 bytes (6 after 2038) and a float in 8, against 26 for
    the ISO text it held before revision 0006; a float is exact to the microsecond from
    1698 to 2242 (:func:`read_moment` gives back the same datetime). A naive datetime is UTC;
    an aware one is converted to UTC.
    """
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    delta = value - _EPOCH
    seconds = delta.days * _DAY + delta.seconds
    if not delta.microseconds:
        return seconds
    return (seconds * 1_000_000 + delta.microseconds) / 1_000_000


def read_moment(value: Any) -> dt.datetime:
    """A moment as the driver hands it back (naive UTC): SQLite's Unix seconds (older files'
    ISO text too, as a tool may still write), PostgreSQL's datetime as it is."""
    kind = value.__class__
    if kind is int:  # whole seconds: a product is exact, and half the cost of timedelta()
        seconds: int = value
        return _EPOCH + _SECOND * seconds
    if kind is float:
        return _EPOCH + dt.timedelta(0, value)
    if kind is str:
        return dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value
    raise TypeError(f"not a stored moment: {value!r}")


def _bind_moment(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return stored_moment(value)
    if isinstance(value, dt.date):  # a day: its midnight, as SQLAlchemy's DATETIME took it
        return stored_moment(dt.datetime(value.year, value.month, value.day))
    raise TypeError(f"a moment must be a datetime, not {type(value).__name__}: {value!r}")


def _result_moment(value: Any) -> dt.datetime | None:
    return None if value is None else read_moment(value)


class Moment(TypeDecorator[dt.datetime]):
    """A date and time (naive UTC): every ``DateTime`` column of the schema.

    PostgreSQL keeps its own ``timestamp``; a SQLite file holds Unix seconds
    (:func:`stored_moment`) in columns still declared ``DATETIME`` (numeric affinity, so a
    number stays a number). Services and records see datetimes either way; what reads the
    driver's rows itself converts with :func:`read_moment`.
    """

    impl = DateTime
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return _bind_moment
        return self.impl_instance.dialect_impl(dialect).bind_processor(dialect)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name == "sqlite":
            return _result_moment
        return self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)

    def literal_processor(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return lambda value: repr(_bind_moment(value))
        return self.impl_instance.dialect_impl(dialect).literal_processor(dialect)


def is_moment(column: Any) -> bool:
    """Whether a column holds moments (a :class:`Moment`, or a plain ``DateTime``)."""
    return isinstance(column.type, Moment | DateTime)


item_labels = Table(
    "item_labels",
    metadata,
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("label_id", ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True),
    # Read by item only (the primary key's order); a label's deletion finds its links in one
    # pass over the table instead of an index as large as the table (revision 0007).
    sqlite_with_rowid=False,
)

stakeholder_products = Table(
    "stakeholder_products",
    metadata,
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    sqlite_with_rowid=False,
)

status_update_recipients = Table(
    "status_update_recipients",
    metadata,
    Column(
        "status_update_id", ForeignKey("status_updates.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True),
    sqlite_with_rowid=False,
)


products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(10), unique=True, nullable=False),
    Column("name", String(200), unique=True, nullable=False),
    Column("vision", Text, default="", nullable=False),
    Column("archived", Boolean, default=False, nullable=False),
    Column("next_number", Integer, default=1, nullable=False),
    Column("created_at", Moment, default=utcnow, nullable=False),
    Column("target_date", Date, nullable=True),
    Column(
        "points_scale",
        String(200),
        default=FIBONACCI_SCALE,
        server_default=FIBONACCI_SCALE,
        nullable=False,
    ),
    CheckConstraint("length(key) BETWEEN 1 AND 10", name="key_length"),
    CheckConstraint("length(name) > 0", name="name_not_empty"),
)

board_columns = Table(
    "board_columns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("position", Integer, nullable=False),
    Column("wip_limit", Integer, nullable=True),
    Column("category", String(10), nullable=False),
    UniqueConstraint("product_id", "name"),
    CheckConstraint(_in("category", COLUMN_CATEGORIES), name="category"),
    CheckConstraint("wip_limit IS NULL OR wip_limit > 0", name="wip_limit_positive"),
    CheckConstraint("length(name) > 0", name="name_not_empty"),
    # Ids are never reused (windows and undo stacks hold them): see items.
    sqlite_autoincrement=True,
)

team_members = Table(
    "team_members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), unique=True, nullable=False),
    Column("role", String(200), default="", nullable=False),
    Column("archived", Boolean, default=False, nullable=False),
    CheckConstraint("length(name) > 0", name="name_not_empty"),
)

stakeholders = Table(
    "stakeholders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(200), default="", nullable=False),
    Column("organization", String(200), default="", nullable=False),
    Column("contact", String(200), default="", nullable=False),
    Column("notes", Text, default="", nullable=False),
    Column("archived", Boolean, default=False, nullable=False),
    Column("email", String(320), default="", server_default="", nullable=False),
    CheckConstraint("length(name) > 0", name="name_not_empty"),
)

sprints = Table(
    "sprints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("goal", Text, default="", nullable=False),
    Column("start_date", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    Column("state", String(10), default="planned", nullable=False),
    Column("started_at", Moment, nullable=True),
    Column("closed_at", Moment, nullable=True),
    Column("goal_met", Boolean, nullable=True),
    Column("capacity_unit", String(10), default="points", server_default="points", nullable=False),
    CheckConstraint(_in("state", SPRINT_STATES), name="state"),
    CheckConstraint("length(name) > 0", name="name_not_empty"),
    CheckConstraint(
        "start_date IS NULL OR end_date IS NULL OR end_date >= start_date", name="dates"
    ),
    UniqueConstraint("product_id", "name"),
    # At most one active sprint per product (PostgreSQL's WHERE: postgresql_options()).
    Index("ix_sprints_one_active", "product_id", unique=True, sqlite_where=text(_ACTIVE)),
)

labels = Table(
    "labels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("color", String(9), default="#808080", nullable=False),
    UniqueConstraint("product_id", "name"),
    CheckConstraint("length(name) > 0", name="name_not_empty"),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String(10), default="story", nullable=False),
    Column("title", String(500), nullable=False),
    Column("description", Text, default="", nullable=False),
    Column("points", Float, nullable=True),
    Column("business_value", Integer, nullable=True),
    Column(
        "column_id", Integer, ForeignKey("board_columns.id", ondelete="RESTRICT"), nullable=False
    ),
    Column("rank", RankString, nullable=False),
    Column("sprint_id", Integer, ForeignKey("sprints.id", ondelete="SET NULL"), nullable=True),
    Column("epic_id", Integer, ForeignKey("items.id", ondelete="SET NULL"), nullable=True),
    Column(
        "assignee_id", Integer, ForeignKey("team_members.id", ondelete="SET NULL"), nullable=True
    ),
    Column(
        "requested_by_id",
        Integer,
        ForeignKey("stakeholders.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("due_date", Date, nullable=True),
    Column("blocked_reason", Text, nullable=True),
    Column("created_at", Moment, default=utcnow, nullable=False),
    Column("updated_at", Moment, default=utcnow, nullable=False),
    Column("column_since", Moment, default=utcnow, nullable=False),
    Column("started_at", Moment, nullable=True),
    Column("done_at", Moment, nullable=True),
    Column("archived", Boolean, default=False, nullable=False),
    Column("version", Integer, default=1, nullable=False),
    Column("release_id", Integer, ForeignKey("releases.id", ondelete="SET NULL"), nullable=True),
    Column("external_key", String(100), nullable=True),
    # The scoring inputs besides the business value are item_scores'.
    UniqueConstraint("product_id", "number"),
    CheckConstraint(_in("kind", ITEM_KINDS), name="kind"),
    CheckConstraint("length(trim(title)) > 0", name="title_not_empty"),
    CheckConstraint("points IS NULL OR points >= 0", name="points_not_negative"),
    CheckConstraint("version >= 1", name="version_positive"),
    # A rank is unique in its product. The board reads a product's cards column by column in
    # rank order, and a product's neighbouring ranks are found column by column here too
    # (a product has a handful of columns): one index for both, where a second one on
    # (product, rank) took as much room as the board's own (revision 0007). The database
    # refuses a rank taken in the card's column; the services, whose writes run one at a
    # time, keep it unique in the product, and `kanban check` reports a duplicate.
    Index("ix_items_board", "product_id", "column_id", "rank", unique=True),
    # Most items are in no sprint and no epic: the index holds only those that are (a lookup
    # `sprint_id = ?` implies IS NOT NULL, so SQLite uses it; revision 0005).
    Index("ix_items_sprint_id", "sprint_id", sqlite_where=text(_IN_A_SPRINT)),
    Index("ix_items_epic_id", "epic_id", sqlite_where=text(_IN_AN_EPIC)),
    # Ids are never reused: SQLite would otherwise hand a deleted newest item's id to the
    # next new item, and a stale edit or undo aimed at the old item (same id, version 1)
    # would land on the newcomer.
    sqlite_autoincrement=True,
)

# An item's scoring inputs besides its business value (WSJF: value + time criticality + risk
# reduction over job size; RICE: reach x impact x confidence over effort), one row for each
# item that has any: most have none, and seven empty columns in every item's row cost each
# item seven bytes (revision 0008). The item's id is the row's key (SQLite's rowid: no index
# of its own). Old values stay in the activity log.
item_scores = Table(
    "item_scores",
    metadata,
    Column(
        "item_id",
        Integer,
        ForeignKey("items.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    *(Column(name, Float, nullable=True) for name in SCORE_FIELDS),
    CheckConstraint(
        "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)", name="confidence_share"
    ),
)

# One move of an item between columns; metrics are computed from these.
transitions = Table(
    "transitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column(
        "from_column_id",
        Integer,
        ForeignKey("board_columns.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column(
        "to_column_id", Integer, ForeignKey("board_columns.id", ondelete="SET NULL"), nullable=True
    ),
    # Categories are copied so metrics survive renamed, recategorised or deleted columns.
    Column("from_category", String(10), nullable=True),
    Column("to_category", String(10), nullable=False),
    Column("at", Moment, default=utcnow, nullable=False),
    # Read by item (the flow read sorts its rows itself, an item's history has a handful):
    # an index on the time, or the time in this one, doubled the table's size (revision 0005).
    Index("ix_transitions_item_id", "item_id"),
)

# Append-only audit trail: who changed what and when.
activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="SET NULL"), nullable=True),
    Column("at", Moment, default=utcnow, nullable=False),
    Column("actor", String(200), default="", nullable=False),
    Column("action", String(50), nullable=False),
    Column("detail", Text, default="", nullable=False),
    Index("ix_activities_item_id", "item_id"),
)

questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="SET NULL"), nullable=True),
    Column(
        "asked_by_id", Integer, ForeignKey("team_members.id", ondelete="SET NULL"), nullable=True
    ),
    Column("asked_at", Moment, default=utcnow, nullable=False),
    Column("text", Text, nullable=False),
    Column("urgency", String(10), default="normal", nullable=False),
    Column("state", String(10), default="open", nullable=False),
    Column("answer", Text, default="", nullable=False),
    Column("answered_by", String(200), default="", nullable=False),
    Column("answered_at", Moment, nullable=True),
    CheckConstraint(_in("state", QUESTION_STATES), name="state"),
    CheckConstraint(_in("urgency", URGENCIES), name="urgency"),
    CheckConstraint("length(trim(text)) > 0", name="text_not_empty"),
    Index("ix_questions_product_state", "product_id", "state"),
    Index("ix_questions_item_id", "item_id"),
)

status_updates = Table(
    "status_updates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", Moment, default=utcnow, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("health", String(10), nullable=False),
    Column("headline", String(500), default="", nullable=False),
    Column("progress", Text, default="", nullable=False),
    Column("problems", Text, default="", nullable=False),
    Column("schedule_outlook", Text, default="", nullable=False),
    Column("next_steps", Text, default="", nullable=False),
    # JSON: the figures the update was written from, frozen when it was saved.
    Column("snapshot", Text, default="{}", nullable=False),
    # The date history: the target and the forecast when the update was saved.
    Column("target_date", Date, nullable=True),
    Column("forecast_p50", Date, nullable=True),
    Column("forecast_p85", Date, nullable=True),
    CheckConstraint(_in("health", HEALTHS), name="health"),
    Index("ix_status_updates_product_created", "product_id", "created_at"),
)

# A product's (or a release's) target date moved: when, from what, to what, and why.
target_changes = Table(
    "target_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("release_id", Integer, ForeignKey("releases.id", ondelete="CASCADE"), nullable=True),
    Column("at", Moment, default=utcnow, nullable=False),
    Column("previous", Date, nullable=True),
    Column("target", Date, nullable=True),
    Column("reason", Text, default="", nullable=False),
    Column("actor", String(200), default="", nullable=False),
    Index("ix_target_changes_product_id", "product_id", "at"),
)

# A version of a product: items are assigned to one; it has a target and a forecast.
releases = Table(
    "releases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text, default="", nullable=False),
    Column("target_date", Date, nullable=True),
    Column("state", String(10), default="planned", nullable=False),
    Column("released_on", Date, nullable=True),
    Column("notes", Text, default="", nullable=False),
    UniqueConstraint("product_id", "name"),
    CheckConstraint("length(trim(name)) > 0", name="name_not_empty"),
    CheckConstraint(_in("state", RELEASE_STATES), name="state"),
)

# One acceptance criterion of an item: a line that can be checked off.
checklist_items = Table(
    "checklist_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("done", Boolean, default=False, nullable=False),
    Column("done_at", Moment, nullable=True),
    Index("ix_checklist_items_item_id", "item_id", "position"),
    CheckConstraint("length(trim(text)) > 0", name="text_not_empty"),
)

# A line every new item of a product (of one kind, or of every kind) starts with.
checklist_templates = Table(
    "checklist_templates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=True),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    CheckConstraint("length(trim(text)) > 0", name="text_not_empty"),
    CheckConstraint(f"kind IS NULL OR {_in('kind', ITEM_KINDS)}", name="kind"),
)

# A comment on an item (Markdown); edits and deletions keep the old text in the activity log.
comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("author", String(200), default="", nullable=False),
    Column("at", Moment, default=utcnow, nullable=False),
    Column("text", Text, nullable=False),
    Column("edited_at", Moment, nullable=True),
    Column("deleted", Boolean, default=False, nullable=False),
    Index("ix_comments_item_id", "item_id", "at"),
)

# ``source blocks target``, ``source relates to target``, ``source duplicates target``. The
# epic/child link stays ``items.epic_id``.
item_links = Table(
    "item_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("target_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(20), nullable=False),
    Column("created_at", Moment, default=utcnow, nullable=False),
    UniqueConstraint("source_id", "target_id", "type"),
    CheckConstraint(_in("type", LINK_TYPES), name="type"),
    CheckConstraint("source_id <> target_id", name="not_itself"),
    Index("ix_item_links_target_id", "target_id"),
)

# A link from an item to an outside resource: a URL or a local file path, with a title. Opening
# one never runs anything.
resource_links = Table(
    "resource_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(500), default="", nullable=False),
    Column("target", Text, nullable=False),
    Index("ix_resource_links_item_id", "item_id"),
    CheckConstraint("length(trim(target)) > 0", name="target_not_empty"),
)

# One line of a product's Definition of Ready or of Done: a built-in check switched on, or a line
# the product owner wrote (``rule = 'custom'``), confirmed item by item.
readiness_rules = Table(
    "readiness_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("definition", String(10), nullable=False),
    Column("rule", String(30), nullable=False),
    Column("text", Text, default="", nullable=False),
    Column("position", Integer, nullable=False),
    Column("enabled", Boolean, default=True, nullable=False),
    CheckConstraint(_in("definition", DEFINITIONS), name="definition"),
    CheckConstraint(_in("rule", READINESS_CHECKS), name="rule"),
    CheckConstraint("rule <> 'custom' OR length(trim(text)) > 0", name="custom_text"),
    Index("ix_readiness_rules_product_id", "product_id", "definition"),
)

# An item meets a custom readiness rule: who said so, and when.
rule_confirmations = Table(
    "rule_confirmations",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "rule_id", Integer, ForeignKey("readiness_rules.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("at", Moment, default=utcnow, nullable=False),
    Column("actor", String(200), default="", nullable=False),
    sqlite_with_rowid=False,
)

# An item's time in a sprint's scope: when it was added and, if so, taken out (moved to another
# sprint at closing, ``carried``, or removed). Committed = in scope at the start.
sprint_entries = Table(
    "sprint_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sprint_id", Integer, ForeignKey("sprints.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("added_at", Moment, default=utcnow, nullable=False),
    Column("removed_at", Moment, nullable=True),
    Column(
        "carried_from_id", Integer, ForeignKey("sprints.id", ondelete="SET NULL"), nullable=True
    ),
    Index("ix_sprint_entries_sprint_id", "sprint_id"),
    Index("ix_sprint_entries_item_id", "item_id"),
)

# A team member's capacity in one sprint (points or person-days, by the sprint's unit) and the
# days they are off.
sprint_members = Table(
    "sprint_members",
    metadata,
    Column("sprint_id", Integer, ForeignKey("sprints.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "member_id", Integer, ForeignKey("team_members.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("capacity", Float, default=0, nullable=False),
    Column("days_off", Float, default=0, nullable=False),
    CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    CheckConstraint("days_off >= 0", name="days_off_not_negative"),
    sqlite_with_rowid=False,
)

# A field an import brought that the app has no column for (a Trello custom field, a Jira
# reporter), kept as text and shown with the item.
item_fields = Table(
    "item_fields",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("value", Text, default="", nullable=False),
)

# A file imported into the database: its fingerprint (to ask before importing the same file twice)
# and what it made.
imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=True),
    Column("source", String(20), nullable=False),
    Column("file_name", Text, default="", nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("at", Moment, default=utcnow, nullable=False),
    Column("summary", Text, default="{}", nullable=False),
    Index("ix_imports_sha256", "sha256"),
)
