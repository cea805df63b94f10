"""One bulk writer for everything that brings many rows at once: the JSON import, the sample
data, and the Trello, Jira and CSV importers.

An importer parses its file into the plain immutable records below (named tuples, as cheap
as ``Card``: a frozen dataclass took twice as long to build; no database access), and
:func:`write_batch` validates them against the domain's rules (:mod:`kanban.services.rules`,
the same the services enforce) and writes them in one transaction: either everything is
written, or nothing (a rule broken, a cancel, a full disk). Errors name the place in the
batch (``products[0].items[35].rank: rank 'ä0' is not a valid rank``) on one line.

**References.** Every record that others point to has a ``ref`` (an ``int`` or a ``str``,
unique among the records of its kind: per product for columns, labels, sprints, releases,
readiness rules and items; in the whole batch for products, team members and stakeholders).
A field named ``*_id`` holds the ``ref`` of the record it points to (``ItemRecord.column_id``
is the ref of one of the product's ``ColumnRecord``\\ s), never a database id, unless
``keep_ids``: then every ref is the row's id, kept (a restore of an export). References stay
inside their product: an item's column, sprint, epic, release; a question's item...

**Order.** Sequences are read once, in order, so a batch may stream: ``ProductRecord.items``
(and questions, status updates, activities...) may be generators, and the writer holds only
a few thousand rows at a time. Records must come after those they refer to (a product's
columns before its items; team members and stakeholders before the products), except an
item's ``epic_id`` and ``links``, which may name an item further on in the same product.

**Ids, numbers and ranks.** Without ``keep_ids`` the database's counters give the ids, so a
batch can add products to a database that holds others. An item without a ``number`` gets
the product's next one; without a ``rank`` it goes to the bottom of the product, in batch
order (give every item of a product a number, or none; the same for ranks). ``into`` adds the
batch's one product to an existing product instead: its columns, labels, sprints and releases
are matched by name (case-insensitively for columns), new ones are added, the items come
after the product's own. Team members are matched by name (case-insensitive) and never
duplicated; stakeholders too when one of that name exists.

**A second import.** ``source`` logs the file (its sha256) in the ``imports`` table with
the counts of what was made and the importer's ``notes`` (what it left out or changed, one
line each). :func:`previous_imports` finds the earlier imports of a file, so an importer can
ask before importing it twice, and :func:`known_external_keys` a product's items'
``external_key`` values, so it can skip (or report) what it brought before.

**Errors and progress.** A broken rule is a :class:`ValidationError` of one line of at most
300 characters: the place, the message, the record's ``origin`` in brackets. ``progress`` is
called with the rows written so far every :data:`FLUSH_ROWS` rows; it cancels by raising
:class:`kanban.errors.CancelledError`. Either way nothing is written.

**Defaults.** ``created_at`` None is now; ``updated_at`` None is ``created_at``; an item's
``column_since`` None is the time of its last transition (else ``created_at``). Nothing else
is derived: an item's ``started_at``/``done_at`` and its transitions are written as given, so
an importer gives each item at least the transition that created it (``from_column_id``
None), as the services do, for the figures to count it.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, NamedTuple

from sqlalchemy import Connection, Date, Table, bindparam, func, select, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from kanban.domain import (
    COLUMN_CATEGORIES,
    CapacityUnit,
    ItemKind,
    QuestionState,
    ReleaseState,
    SprintState,
    Urgency,
)
from kanban.errors import ValidationError
from kanban.ranking import rank_between
from kanban.services.common import find_product
from kanban.services.records import ImportInfo, ProductInfo
from kanban.services.rules import (
    check_capacity_unit,
    check_category,
    check_definition,
    check_health,
    check_integer,
    check_kind,
    check_link_type,
    check_number,
    check_points,
    check_product_key,
    check_question_state,
    check_rank,
    check_readiness_rule,
    check_release_state,
    check_score,
    check_sprint_dates,
    check_sprint_state,
    check_status_period,
    check_text,
    check_urgency,
    check_wip,
    fold,
    shown,
)
from kanban.storage.database import Database, ReferenceMissingError
from kanban.storage.tables import FIBONACCI_SCALE, metadata, utcnow

Ref = int | str
"""A record's reference inside a batch (the row's id with ``keep_ids``)."""

DEFAULT_COLOR = "#808080"


# --- records ---------------------------------------------------------------------------------


class MemberRecord(NamedTuple):
    """A team member (assignees, askers of questions); matched by name unless ``keep_ids``."""

    ref: Ref
    name: str
    role: str = ""
    archived: bool = False


class StakeholderRecord(NamedTuple):
    """A stakeholder (requesters of items, recipients of status updates)."""

    ref: Ref
    name: str
    role: str = ""
    organization: str = ""
    contact: str = ""
    notes: str = ""
    archived: bool = False
    email: str = ""


class ColumnRecord(NamedTuple):
    """A board column, left to right in ``ProductRecord.columns``."""

    ref: Ref
    name: str
    category: str
    """backlog, todo, doing or done (:class:`kanban.domain.Category`)."""
    wip_limit: int | None = None
    position: int | None = None
    """None: after the columns before it."""


class LabelRecord(NamedTuple):
    ref: Ref
    name: str
    color: str = DEFAULT_COLOR


class SprintMemberRecord(NamedTuple):
    """A team member's capacity in a sprint (in the sprint's ``capacity_unit``)."""

    member_id: Ref
    capacity: float = 0.0
    days_off: float = 0.0


class SprintRecord(NamedTuple):
    ref: Ref
    name: str
    goal: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    state: str = SprintState.PLANNED
    started_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    goal_met: bool | None = None
    capacity_unit: str = CapacityUnit.POINTS
    members: tuple[SprintMemberRecord, ...] = ()


class ReleaseRecord(NamedTuple):
    ref: Ref
    name: str
    description: str = ""
    target_date: dt.date | None = None
    state: str = ReleaseState.PLANNED
    released_on: dt.date | None = None
    notes: str = ""


class ReadinessRuleRecord(NamedTuple):
    """A line of the Definition of Ready or Done."""

    ref: Ref
    definition: str
    rule: str
    text: str = ""
    enabled: bool = True
    position: int | None = None
    """None: after the lines before it."""


class ChecklistTemplateRecord(NamedTuple):
    """A checklist line new items start with (of one ``kind``, or of every kind: None)."""

    text: str
    kind: str | None = None
    position: int | None = None
    """None: after the lines before it."""
    ref: Ref | None = None


class TargetChangeRecord(NamedTuple):
    """The product's (``release_id`` None) or a release's target date moved."""

    at: dt.datetime
    previous: dt.date | None = None
    target: dt.date | None = None
    reason: str = ""
    actor: str = ""
    release_id: Ref | None = None
    ref: Ref | None = None


class TransitionRecord(NamedTuple):
    """One move of an item; the first has ``from_column_id`` None (the item was created).

    Categories are those of the columns at the time (kept when a column is recategorised
    later); a column ref may be None for a column deleted since.
    """

    at: dt.datetime
    to_column_id: Ref | None
    to_category: str
    from_column_id: Ref | None = None
    from_category: str | None = None
    ref: Ref | None = None


class CommentRecord(NamedTuple):
    text: str
    at: dt.datetime
    author: str = ""
    edited_at: dt.datetime | None = None
    deleted: bool = False
    ref: Ref | None = None


class ChecklistLineRecord(NamedTuple):
    """An acceptance criterion that can be checked off."""

    text: str
    done: bool = False
    done_at: dt.datetime | None = None
    position: int | None = None
    """None: after the lines before it."""
    ref: Ref | None = None


class LinkRecord(NamedTuple):
    """``this item <type> target`` (blocks, relates_to, duplicates)."""

    target_id: Ref
    """An item of ``target_product_id`` (it may come later in the batch)."""
    type: str
    created_at: dt.datetime | None = None
    ref: Ref | None = None
    target_product_id: Ref | None = None
    """The ref of the target's product; None: this product (with ``keep_ids``, the target may
    be any item of the batch, its ref being its id)."""


class ResourceLinkRecord(NamedTuple):
    target: str
    """A URL or a local path."""
    title: str = ""
    ref: Ref | None = None


class ItemFieldRecord(NamedTuple):
    """A field the source had and the app has no column for, kept as text."""

    name: str
    value: str = ""


class SprintEntryRecord(NamedTuple):
    """The item's time in a sprint's scope."""

    sprint_id: Ref
    added_at: dt.datetime
    removed_at: dt.datetime | None = None
    carried_from_id: Ref | None = None
    ref: Ref | None = None


class RuleConfirmationRecord(NamedTuple):
    """The item meets one of the product's custom readiness rules."""

    rule_id: Ref
    at: dt.datetime
    actor: str = ""


class ItemRecord(NamedTuple):
    """A backlog item with everything that hangs off it.

    ``origin`` says where the item came from in the source file (``line 36``,
    ``card 5f2a…``); errors about the item quote it.
    """

    ref: Ref
    title: str
    column_id: Ref
    kind: str = ItemKind.STORY
    number: int | None = None
    rank: str | None = None
    description: str = ""
    points: float | None = None
    business_value: int | None = None
    sprint_id: Ref | None = None
    epic_id: Ref | None = None
    release_id: Ref | None = None
    assignee_id: Ref | None = None
    requested_by_id: Ref | None = None
    due_date: dt.date | None = None
    blocked_reason: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    column_since: dt.datetime | None = None
    started_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    archived: bool = False
    version: int = 1
    external_key: str | None = None
    time_criticality: float | None = None
    risk_reduction: float | None = None
    job_size: float | None = None
    reach: float | None = None
    impact: float | None = None
    confidence: float | None = None
    effort: float | None = None
    labels: tuple[Ref, ...] = ()
    """Refs of the product's labels."""
    transitions: tuple[TransitionRecord, ...] = ()
    comments: tuple[CommentRecord, ...] = ()
    checklist: tuple[ChecklistLineRecord, ...] = ()
    links: tuple[LinkRecord, ...] = ()
    resources: tuple[ResourceLinkRecord, ...] = ()
    fields: tuple[ItemFieldRecord, ...] = ()
    sprint_entries: tuple[SprintEntryRecord, ...] = ()
    confirmations: tuple[RuleConfirmationRecord, ...] = ()
    origin: str = ""


class QuestionRecord(NamedTuple):
    text: str
    asked_at: dt.datetime
    item_id: Ref | None = None
    asked_by_id: Ref | None = None
    """A team member's ref."""
    urgency: str = Urgency.NORMAL
    state: str = QuestionState.OPEN
    answer: str = ""
    answered_by: str = ""
    answered_at: dt.datetime | None = None
    ref: Ref | None = None


class StatusUpdateRecord(NamedTuple):
    created_at: dt.datetime
    period_start: dt.date
    period_end: dt.date
    health: str
    headline: str = ""
    progress: str = ""
    problems: str = ""
    schedule_outlook: str = ""
    next_steps: str = ""
    snapshot: Mapping[str, Any] = MappingProxyType({})
    """The figures frozen into the update (stored as JSON)."""
    recipients: tuple[Ref, ...] = ()
    """Stakeholder refs."""
    target_date: dt.date | None = None
    forecast_p50: dt.date | None = None
    forecast_p85: dt.date | None = None
    ref: Ref | None = None


class ActivityRecord(NamedTuple):
    """A line of the audit trail; ``item_id`` an item of the same product, or None."""

    at: dt.datetime
    action: str
    actor: str = ""
    detail: str = ""
    item_id: Ref | None = None
    ref: Ref | None = None
    question_id: Ref | None = None
    """The ref of a question of the same product the line is about: its id goes in front of
    the detail (``#12 ...``), as the services write it."""


class ImportLogRecord(NamedTuple):
    """A row of the ``imports`` table as an export holds it (a restore writes it back)."""

    source: str
    sha256: str
    at: dt.datetime
    file_name: str = ""
    summary: str = "{}"
    product_id: Ref | None = None
    ref: Ref | None = None


class ProductRecord(NamedTuple):
    """A product with everything in it, written in the order of the fields below.

    ``next_number`` None: one above the highest item number. With ``into``, the product's own
    fields (key to points_scale) are not used: the existing product keeps its own.
    """

    ref: Ref
    key: str
    name: str
    vision: str = ""
    archived: bool = False
    next_number: int | None = None
    created_at: dt.datetime | None = None
    target_date: dt.date | None = None
    points_scale: str = FIBONACCI_SCALE
    followers: tuple[Ref, ...] = ()
    """Refs of the stakeholders who follow the product."""
    columns: tuple[ColumnRecord, ...] = ()
    labels: tuple[LabelRecord, ...] = ()
    sprints: tuple[SprintRecord, ...] = ()
    releases: tuple[ReleaseRecord, ...] = ()
    readiness_rules: tuple[ReadinessRuleRecord, ...] = ()
    checklist_templates: tuple[ChecklistTemplateRecord, ...] = ()
    items: Iterable[ItemRecord] = ()
    questions: Iterable[QuestionRecord] = ()
    status_updates: Iterable[StatusUpdateRecord] = ()
    target_changes: Iterable[TargetChangeRecord] = ()
    activities: Iterable[ActivityRecord] = ()


class ImportBatch(NamedTuple):
    """Everything one import brings, written in the order of the fields below."""

    members: Iterable[MemberRecord] = ()
    stakeholders: Iterable[StakeholderRecord] = ()
    products: Iterable[ProductRecord] = ()
    activities: Iterable[ActivityRecord] = ()
    """The audit rows of no product (people added and changed)."""
    imports: Iterable[ImportLogRecord] = ()


class ImportSource(NamedTuple):
    """The file an import came from, logged in the ``imports`` table with the summary."""

    source: str
    """``json``, ``trello``, ``jira`` or ``csv``."""
    file_name: str
    sha256: str
    """The file's fingerprint (:func:`previous_imports` finds earlier imports of it)."""
    notes: tuple[str, ...] = ()
    """The import's report: what was left out or changed, one line each (``card 5f2a: done
    before it was created; the impossible move is left out``). Kept in the summary."""


@dataclass(frozen=True, slots=True)
class BulkSummary:
    """What one :func:`write_batch` created: the products, and rows by table name."""

    products: tuple[ProductInfo, ...]
    counts: Mapping[str, int]
    notes: tuple[str, ...] = ()
    """The source's notes (:attr:`ImportSource.notes`)."""

    def count(self, table: str) -> int:
        """Rows written into a table (``items``, ``transitions``...)."""
        return self.counts.get(table, 0)


Progress = Callable[[int], None]
"""Called with the number of rows written so far, each time a few thousand more are sent to
the database (:data:`FLUSH_ROWS`); it may raise :class:`kanban.errors.CancelledError` to stop
(nothing is then written)."""

FLUSH_ROWS = 5000
"""Rows held before they are sent to the database (and progress is told)."""


# --- writing ---------------------------------------------------------------------------------


class NotEmptyError(ValidationError):
    """A restore (``keep_ids``) into a database that holds data."""


def write_batch(
    db: Database,
    batch: ImportBatch,
    *,
    keep_ids: bool = False,
    into: str | int | None = None,
    source: ImportSource | None = None,
    progress: Progress | None = None,
) -> BulkSummary:
    """Validate a batch and write it in one transaction; return what was created.

    Args:
        db: The database.
        batch: The records (see the module docstring).
        keep_ids: Every ref is the id its row gets (a restore); the database must be empty.
        into: A product (id, key or name) the batch's one product is added to.
        source: The file imported, logged with the summary in the ``imports`` table.
        progress: Told how many rows were written, now and then; may cancel.

    Raises:
        ValidationError: A record breaks a rule; the message names it. Nothing is written.
        NotFoundError: ``into`` names no product.
        CancelledError: ``progress`` cancelled. Nothing is written.
    """
    # A restore writes into an empty database: its references are checked once at the end.
    try:
        with db.bulk_write() if keep_ids else db.write() as session:
            writer = _Writer(session, keep_ids=keep_ids, progress=progress)
            if keep_ids:
                writer.require_empty(str(db.path or db.url))
            writer.batch(batch, into)
            if source is not None:
                writer.log_source(source)
            writer.flush()
            writer.finish()
            summary = writer.summary()
    except (IntegrityError, DataError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "a constraint failed"
        raise ValidationError(f"the data is inconsistent ({shown(reason, 200)})") from None
    except ReferenceMissingError as exc:
        raise ValidationError(f"the data is inconsistent ({exc})") from None
    return summary if source is None else replace(summary, notes=source.notes)


def previous_imports(db: Database, sha256: str) -> tuple[ImportInfo, ...]:
    """The earlier imports of the file with this fingerprint, newest first: an importer asks
    before it imports the same file twice."""
    table = _table("imports")
    query = select(table).where(table.c.sha256 == sha256).order_by(table.c.id.desc())
    with db.read() as session:
        rows = session.execute(query).all()
    found = []
    for row in rows:
        try:
            summary = json.loads(row.summary)
        except ValueError:
            summary = {}
        found.append(
            ImportInfo(
                row.id,
                row.product_id,
                row.source,
                row.file_name,
                row.sha256,
                row.at,
                summary if isinstance(summary, dict) else {},
            )
        )
    return tuple(found)


def known_external_keys(db: Database, product: str | int) -> frozenset[str]:
    """The external keys (``items.external_key``) of a product's items, archived ones too:
    an importer adding ``into`` it skips or reports the items it brought before."""
    items = _ITEMS
    with db.read() as session:
        product_id = find_product(session, product).id
        query = select(items.c.external_key).where(
            items.c.product_id == product_id, items.c.external_key.is_not(None)
        )
        return frozenset(session.scalars(query))


def _table(name: str) -> Table:
    return metadata.tables[name]


# Parents before children: a buffered row's references are always inserted before it.
INSERT_ORDER = tuple(
    _table(name)
    for name in (
        "team_members",
        "stakeholders",
        "products",
        "stakeholder_products",
        "board_columns",
        "labels",
        "sprints",
        "sprint_members",
        "releases",
        "readiness_rules",
        "checklist_templates",
        "items",
        "item_scores",
        "item_labels",
        "transitions",
        "comments",
        "checklist_items",
        "item_links",
        "resource_links",
        "item_fields",
        "sprint_entries",
        "rule_confirmations",
        "questions",
        "status_updates",
        "status_update_recipients",
        "target_changes",
        "activities",
        "imports",
    )
)
_LENGTHS: dict[str, dict[str, int]] = {
    table.name: {
        column.name: int(length)
        for column in table.columns
        if (length := getattr(column.type, "length", None)) is not None
    }
    for table in INSERT_ORDER
}
_ID_TABLES = frozenset(t.name for t in INSERT_ORDER if "id" in t.c)
_ITEMS = _table("items")
_ITEM_SCORES = _table("item_scores")
_TRANSITIONS = _table("transitions")
_ITEM_LABELS = _table("item_labels")
_ACTIVITIES = _table("activities")
_CATEGORIES = frozenset(COLUMN_CATEGORIES)
# The most numerous rows (an item, two or three moves and activities) are buffered as tuples
# of these fields, with the named ones already converted as the driver stores them: no dict
# to build, no conversion when they are sent.
_TUPLE_FIELDS = {
    _ITEMS: tuple(column.name for column in _ITEMS.columns),
    _TRANSITIONS: ("id", "item_id", "from_column_id", "to_column_id", "from_category",
                   "to_category", "at"),
    _ACTIVITIES: ("id", "product_id", "item_id", "at", "actor", "action", "detail"),
}  # fmt: skip
_CONVERTED = {
    _ITEMS: ("points", "due_date", "created_at", "updated_at", "column_since", "started_at",
             "done_at", "archived"),
    _TRANSITIONS: ("at",),
    _ACTIVITIES: ("at",),
}  # fmt: skip
"""The fields of each tuple the writer converts (in this order), by the column type's own
bind processor (:func:`_processor`); None stays None."""
_ITEM_ROW = operator.itemgetter(*_TUPLE_FIELDS[_ITEMS])
_ACTOR, _ACTION = _LENGTHS["activities"]["actor"], _LENGTHS["activities"]["action"]


_ITEM_TEXTS = ("title", "description", "blocked_reason", "external_key")
_SCORES = ("time_criticality", "risk_reduction", "job_size", "reach", "impact", "confidence",
           "effort")  # fmt: skip
_NO_SCORES = (None,) * len(_SCORES)
_TITLE = _LENGTHS["items"]["title"]


def _clean(texts: tuple[str | None, ...]) -> bool:
    """Whether texts hold no NUL (refused on PostgreSQL) and no lone surrogate (one pass in
    C over them all); False sends them to the slow check, which names the field."""
    joined = "".join(filter(None, texts))
    if "\x00" in joined:
        return False
    if joined.isascii():
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_SAMPLE_DAYS = (dt.date(2026, 3, 12), dt.date(2026, 12, 31), dt.date(999, 1, 2), dt.date.max)


def _stored_day(slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value.__class__ is dt.date:
            return value.isoformat()
        return None if value is None else slow(value)

    return convert


def _processor(kind: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """How a column type turns a value into what the driver stores (SQLAlchemy's own).

    SQLAlchemy's SQLite DATE formats each value with a ``%`` of a dict; ``isoformat`` writes
    the same text in C. It is used only when it gives exactly the type's own text for sample
    values, so a type that stores days otherwise keeps its own conversion. (Moments are
    :class:`kanban.storage.tables.Moment`, whose own processor is already plain arithmetic.)
    """
    slow = kind.dialect_impl(dialect).bind_processor(dialect)
    if slow is None or not isinstance(kind, Date):
        return slow  # type: ignore[no-any-return]
    fast = _stored_day(slow)
    if any(fast(value) != slow(value) for value in (*_SAMPLE_DAYS, None)):
        return slow  # type: ignore[no-any-return]
    return fast


class _Insert:
    """A table's INSERT compiled once by SQLAlchemy, fed to the driver's executemany.

    SQLAlchemy's own executemany spent more time preparing each row's parameters than
    SQLite spent inserting them; here the values go through the same conversions (each
    column type's bind processor), a column at a time.
    """

    def __init__(self, table: Table, dialect: Any) -> None:
        names = [column.name for column in table.columns]
        compiled = table.insert().compile(dialect=dialect, column_keys=names)
        self.sql = str(compiled)
        order = list(compiled.positiontup or names)
        self.values = operator.itemgetter(*order)
        self.processors = [
            (index, processor)
            for index, name in enumerate(order)
            if (processor := _processor(table.c[name].type, dialect))
        ]

    def parameters(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """The rows as the driver takes them: tuples in the statement's order."""
        params = list(map(self.values, rows))
        if not self.processors:
            return params
        columns = list(zip(*params, strict=True))
        for index, processor in self.processors:
            columns[index] = tuple(map(processor, columns[index]))
        return list(zip(*columns, strict=True))


Store = Callable[[Any], Any]
"""How a field's value becomes what the driver stores."""


def _same(value: Any) -> Any:
    return value


def _tuple_insert(table: Table, dialect: Any) -> tuple[str, tuple[Store, ...]] | None:
    """The INSERT taking a buffered tuple of ``_TUPLE_FIELDS`` as it is, and how each field
    of ``_CONVERTED`` becomes what the driver stores; None when a field the writer does not
    convert needs converting (then the rows are sent as dicts, converted at the flush)."""
    fields = _TUPLE_FIELDS[table]
    compiled = table.insert().compile(dialect=dialect, column_keys=list(fields))
    if tuple(compiled.positiontup or ()) != fields:
        return None
    processors = {
        name: processor for name in fields if (processor := _processor(table.c[name].type, dialect))
    }
    if set(processors) - set(_CONVERTED[table]):
        return None
    if any(processor(None) is not None for processor in processors.values()):
        return None
    return str(compiled), tuple(processors.get(name, _same) for name in _CONVERTED[table])


class _Located(Exception):
    """A rule broken at ``field`` of the record being checked (located by the caller)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _locate(where: str, error: _Located | ValidationError, origin: str = "") -> ValidationError:
    if isinstance(error, _Located):
        place, message = f"{where}.{error.field}", error.message
    else:
        place, message = where, str(error)
    first = message.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].islower()):  # not an acronym
        message = message[:1].lower() + message[1:]
    suffix = f" ({shown(origin, 60)[1:-1]})" if origin else ""
    line = f"{place}: {message}{suffix}"
    return ValidationError(line if len(line) <= 300 else line[:299] + "…")


@dataclass
class _Product:
    """What the writer knows of the product being written."""

    id: int
    where: str
    key: str
    ref: Ref | None = None  # set as soon as the product is opened
    columns: dict[Ref, int] = field(default_factory=dict)
    column_names: dict[str, int] = field(default_factory=dict)
    labels: dict[Ref, int] = field(default_factory=dict)
    label_names: dict[str, int] = field(default_factory=dict)
    sprints: dict[Ref, int] = field(default_factory=dict)
    sprint_names: dict[str, int] = field(default_factory=dict)
    active_sprint: bool = False
    releases: dict[Ref, int] = field(default_factory=dict)
    release_names: dict[str, int] = field(default_factory=dict)
    rules: dict[Ref, int] = field(default_factory=dict)
    column_position: int = 0
    rule_positions: int = 0
    template_positions: int = 0
    items: dict[Ref, int] = field(default_factory=dict)
    numbers: set[int] = field(default_factory=set)
    ranks: set[str] = field(default_factory=set)
    ranked: bool | None = None
    numbered: bool | None = None
    last_rank: str | None = None
    next_free: int = 1
    highest: int = 0
    epics: list[tuple[int, int, Ref]] = field(default_factory=list)  # index, item id, epic ref
    questions: dict[Ref, int] = field(default_factory=dict)  # the refs given
    links: list[tuple[int, int, int, LinkRecord]] = field(default_factory=list)


class _Writer:
    """Checks records and buffers their rows, table by table, in one session."""

    def __init__(self, session: Session, *, keep_ids: bool, progress: Progress | None) -> None:
        self.session = session
        self.conn: Connection = session.connection()
        self.postgres = self.conn.dialect.name == "postgresql"
        self.keep_ids = keep_ids
        self.progress = progress
        self.now = utcnow()
        self.rows: dict[Table, list[Any]] = {table: [] for table in INSERT_ORDER}
        self.inserts: dict[Table, _Insert] = {}
        self.tuple_sql: dict[Table, str] = {}  # SQLite: the tuples sent as they are
        self.stored: dict[Table, tuple[Store, ...]] = {
            table: (_same,) * len(fields) for table, fields in _CONVERTED.items()
        }  # how the fields of _CONVERTED are stored (as they are: converted at the flush)
        if not self.postgres:
            for table in _TUPLE_FIELDS:
                found = _tuple_insert(table, self.conn.dialect)
                if found is not None:
                    self.tuple_sql[table], self.stored[table] = found
        self.item_stores = [
            (name, store)
            for name, store in zip(_CONVERTED[_ITEMS], self.stored[_ITEMS], strict=True)
            if store is not _same
        ]
        self.buffered = 0
        self.written = 0
        self.counts: Counter[str] = Counter()
        self.ids: dict[str, int] = {}  # the next free id by table (ids not kept)
        self.reserved: dict[str, int] = {}  # PostgreSQL: the last id reserved by table
        self.taken: dict[str, set[int]] = {}  # ids kept, by table (tables others refer to)
        self.members: dict[Ref, int] = {}
        self.member_names: dict[str, int] = {}
        self.stakeholders: dict[Ref, int] = {}
        self.stakeholder_names: dict[str, int] = {}
        self.products: dict[Ref, int] = {}
        self.product_keys: dict[str, str] = {}
        self.product_names: dict[str, str] = {}
        self.written_products: list[ProductInfo] = []
        self.items_of: dict[Ref, dict[Ref, int]] = {}  # each product's items, by ref
        self.cross_links: list[tuple[str, int, int, LinkRecord]] = []
        self.first_product: int | None = None

    # --- the database ------------------------------------------------------------------------

    def require_empty(self, name: str) -> None:
        for table in ("products", "team_members", "stakeholders"):
            if self.conn.execute(select(func.count()).select_from(_table(table))).scalar():
                raise NotEmptyError(
                    f"{name} is not empty; import into a new database file "
                    "(for example --db new.db)"
                )

    def _load_existing(self) -> None:
        """People and product names already in the database (never duplicated)."""
        members, stakeholders, products = (
            _table(n) for n in ("team_members", "stakeholders", "products")
        )
        for member_id, name in self.conn.execute(select(members.c.id, members.c.name)):
            self.member_names[fold(name)] = member_id
        query = select(stakeholders.c.id, stakeholders.c.name).order_by(stakeholders.c.id)
        for person_id, name in self.conn.execute(query):
            self.stakeholder_names.setdefault(fold(name), person_id)
        for key, name in self.conn.execute(select(products.c.key, products.c.name)):
            self.product_keys[key.upper()] = key
            self.product_names[fold(name)] = key

    def new_id(self, table: str, ref: Ref | None, referred: bool = False) -> int:
        """The id of a new row: its ref when ids are kept, else the next of the database's.

        ``referred``: other rows point to this table's, so a kept id is checked unique here
        (the primary key refuses a duplicate of any other table's). A row nothing refers to
        may come without a ref even when ids are kept (an older export's checklist lines):
        it gets the database's next id.
        """
        if self.keep_ids and (referred or ref is not None):
            if ref.__class__ is not int or not 0 < ref < 2**31:
                raise _Located("id", f"an id must be a positive integer, not {shown(ref)}")
            if referred:
                taken = self.taken.setdefault(table, set())
                if ref in taken:
                    raise _Located("id", f"the id {ref} is used twice")
                taken.add(ref)
            return ref
        if table not in self.ids:
            self.ids[table] = self._first_free_id(table)
        value = self.ids[table]
        if self.postgres and value > self.reserved.get(table, 0):
            value = self._reserve(table)
        self.ids[table] = value + 1
        return value

    def _first_free_id(self, table: str) -> int:
        if self.postgres:
            return 1  # _reserve asks the sequence
        highest = self.conn.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0
        used = self.conn.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table}
        ).scalar()
        return max(int(highest), int(used or 0)) + 1

    def _reserve(self, table: str, block: int = 1000) -> int:
        """PostgreSQL: take ``block`` ids from the table's sequence; return the first."""
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        first = int(self.conn.execute(text(f"SELECT nextval({sequence})")).scalar_one())
        self.conn.execute(text(f"SELECT setval({sequence}, :last)"), {"last": first + block - 1})
        self.reserved[table] = first + block - 1
        return first

    def _located_id(self, where: str, table: str, ref: Ref | None, referred: bool = True) -> int:
        try:
            return self.new_id(table, ref, referred)
        except _Located as exc:
            raise _locate(where, exc) from None

    def add(self, table: Table, row: Any) -> None:
        """Buffer a row: a dict, or a tuple of ``_TUPLE_FIELDS`` for those tables."""
        self.rows[table].append(row)
        self.buffered += 1
        if self.buffered >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Send the buffered rows, parents first."""
        for table in INSERT_ORDER:
            rows = self.rows[table]
            if rows:
                if table in self.tuple_sql:
                    self.conn.exec_driver_sql(self.tuple_sql[table], rows)
                    self.counts[table.name] += len(rows)
                    self.written += len(rows)
                    rows.clear()
                    continue
                if table in _TUPLE_FIELDS:
                    fields = _TUPLE_FIELDS[table]
                    rows = [dict(zip(fields, row, strict=True)) for row in rows]
                    self.rows[table].clear()
                if self.postgres:
                    self.conn.execute(table.insert(), rows)
                else:
                    insert = self.inserts.get(table) or self.inserts.setdefault(
                        table, _Insert(table, self.conn.dialect)
                    )
                    self.conn.exec_driver_sql(insert.sql, insert.parameters(rows))
                self.counts[table.name] += len(rows)
                self.written += len(rows)
                rows.clear()
        self.buffered = 0
        if self.progress is not None:
            self.progress(self.written)

    def finish(self) -> None:
        if self.postgres and self.keep_ids:
            # Kept ids leave the sequences behind: move each past the table's highest id.
            for name in sorted(_ID_TABLES & set(self.counts)):
                sequence = f"pg_get_serial_sequence('{name}', 'id')"
                self.conn.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {name}))"))
        if self.progress is not None:
            self.progress(self.written)

    def summary(self) -> BulkSummary:
        return BulkSummary(tuple(self.written_products), MappingProxyType(dict(self.counts)))

    # --- the batch ---------------------------------------------------------------------------

    def batch(self, batch: ImportBatch, into: str | int | None) -> None:
        self._load_existing()
        for index, member in enumerate(batch.members):
            self.member(f"team_members[{index}]", member)
        for index, person in enumerate(batch.stakeholders):
            self.stakeholder(f"stakeholders[{index}]", person)
        count = 0
        for index, product in enumerate(batch.products):
            if into is not None and index:
                raise ValidationError(f"products[{index}]: an import into a product holds one")
            self.product(f"products[{index}]", product, into)
            count += 1
        if into is not None and not count:
            raise ValidationError("the import holds no product to add")
        self._cross_links()
        for index, activity in enumerate(batch.activities):
            self.activity("activities", index, activity, None)
        for index, log in enumerate(batch.imports):
            self.import_log(f"imports[{index}]", log)

    def member(self, where: str, record: MemberRecord) -> None:
        try:
            self._ref(record.ref, self.members, "team member")
            name = self._name(record.name, "team_members", "name")
            role = self._text(record.role, "team_members", "role")
            existing = self.member_names.get(fold(name))
            if existing is not None and self.keep_ids:
                raise _Located("name", f"two team members are named {shown(name)}")
            if existing is None:
                member_id = self.new_id("team_members", record.ref, referred=True)
        except _Located as exc:
            raise _locate(where, exc) from None
        if existing is not None:
            self.members[record.ref] = existing
            return
        self.members[record.ref] = member_id
        self.member_names[fold(name)] = member_id
        self.add(
            INSERT_ORDER[0],
            {"id": member_id, "name": name, "role": role, "archived": bool(record.archived)},
        )

    def stakeholder(self, where: str, record: StakeholderRecord) -> None:
        table = "stakeholders"
        try:
            self._ref(record.ref, self.stakeholders, "stakeholder")
            row = {
                "name": self._name(record.name, table, "name"),
                "role": self._text(record.role, table, "role"),
                "organization": self._text(record.organization, table, "organization"),
                "contact": self._text(record.contact, table, "contact"),
                "notes": self._text(record.notes, table, "notes"),
                "archived": bool(record.archived),
                "email": self._text(record.email, table, "email"),
            }
            existing = None if self.keep_ids else self.stakeholder_names.get(fold(row["name"]))
            if existing is None:
                row["id"] = self.new_id(table, record.ref, referred=True)
        except _Located as exc:
            raise _locate(where, exc) from None
        if existing is not None:
            self.stakeholders[record.ref] = existing
            return
        self.stakeholders[record.ref] = row["id"]
        self.stakeholder_names.setdefault(fold(row["name"]), row["id"])
        self.add(_table(table), row)

    # --- a product ---------------------------------------------------------------------------

    def product(self, where: str, record: ProductRecord, into: str | int | None) -> None:
        state = self._open_product(where, record) if into is None else self._existing(where, into)
        if record.ref in self.products:
            raise _locate(where, _Located("id", f"the product {shown(record.ref)} comes twice"))
        self.products[record.ref] = state.id
        state.ref = record.ref
        self.first_product = self.first_product or state.id
        self._followers(state, record.followers)
        for index, column in enumerate(record.columns):
            self.column(state, index, column)
        for index, label in enumerate(record.labels):
            self.label(state, index, label)
        for index, sprint in enumerate(record.sprints):
            self.sprint(state, index, sprint)
        for index, release in enumerate(record.releases):
            self.release(state, index, release)
        for index, rule in enumerate(record.readiness_rules):
            self.readiness_rule(state, index, rule)
        for index, template in enumerate(record.checklist_templates):
            self.template(state, index, template)
        for index, item in enumerate(record.items):
            self.item(state, index, item)
        self._end_items(state, record, into is not None)
        for index, question in enumerate(record.questions):
            self.question(state, index, question)
        for index, update in enumerate(record.status_updates):
            self.status_update(state, index, update)
        for index, change in enumerate(record.target_changes):
            self.target_change(state, index, change)
        activities = f"{where}.activities"
        for index, activity in enumerate(record.activities):
            self.activity(activities, index, activity, state)

    def _open_product(self, where: str, record: ProductRecord) -> _Product:
        table = "products"
        try:
            self._ref_type(record.ref)
            key = self._check("key", check_product_key, record.key)
            if key in self.product_keys:
                raise _Located("key", f"a product with the key {key} exists already")
            name = self._name(record.name, table, "name")
            if fold(name) in self.product_names:
                clash = self.product_names[fold(name)]
                raise _Located("name", f"a product named {shown(name)} ({clash}) exists already")
            row = {
                "id": self.new_id(table, record.ref, referred=True),
                "key": key,
                "name": name,
                "vision": self._text(record.vision, table, "vision"),
                "archived": bool(record.archived),
                "next_number": self._integer(record.next_number, "next_number", 1) or 1,
                "created_at": record.created_at or self.now,
                "target_date": record.target_date,
                "points_scale": self._text(record.points_scale, table, "points_scale"),
            }
        except _Located as exc:
            raise _locate(where, exc) from None
        self.product_keys[key] = key
        self.product_names[fold(name)] = key
        self.add(_table(table), row)
        self.written_products.append(
            ProductInfo(row["id"], key, name, row["vision"], row["archived"])
        )
        return _Product(row["id"], where, key)

    def _existing(self, where: str, into: str | int) -> _Product:
        """The product the batch goes into, with what the new rows must not clash with."""
        product = find_product(self.session, into)
        state = _Product(product.id, where, product.key, next_free=product.next_number)
        t = {n: _table(n) for n in ("board_columns", "labels", "sprints", "releases", "items")}
        for name in ("board_columns", "labels", "sprints", "releases"):
            query = select(t[name].c.id, t[name].c.name).where(t[name].c.product_id == product.id)
            names = {
                "board_columns": state.column_names,
                "labels": state.label_names,
                "sprints": state.sprint_names,
                "releases": state.release_names,
            }[name]
            for row_id, row_name in self.conn.execute(query):
                names[fold(row_name) if name == "board_columns" else row_name] = row_id
        sprints = t["sprints"]
        state.active_sprint = bool(
            self.conn.execute(
                select(func.count()).where(
                    sprints.c.product_id == product.id, sprints.c.state == SprintState.ACTIVE
                )
            ).scalar()
        )
        items = t["items"]
        for number, rank in self.conn.execute(
            select(items.c.number, items.c.rank).where(items.c.product_id == product.id)
        ):
            state.numbers.add(number)
            state.ranks.add(rank)
        state.highest = max(state.numbers, default=0)
        state.last_rank = max(state.ranks, default=None)
        for name, attr in (("board_columns", "column_position"),
                           ("readiness_rules", "rule_positions"),
                           ("checklist_templates", "template_positions")):  # fmt: skip
            table = _table(name)
            highest = self.conn.execute(
                select(func.max(table.c.position)).where(table.c.product_id == product.id)
            ).scalar()
            setattr(state, attr, 0 if highest is None else int(highest) + 1)
        self.written_products.append(
            ProductInfo(product.id, product.key, product.name, product.vision, product.archived)
        )
        return state

    def _followers(self, state: _Product, followers: tuple[Ref, ...]) -> None:
        seen: set[int] = set()
        for index, ref in enumerate(followers):
            person = self.stakeholders.get(ref)
            where = f"{state.where}.followers[{index}]"
            if person is None:
                raise _locate(where, ValidationError(f"no stakeholder {shown(ref)}"))
            if person in seen:
                raise _locate(where, ValidationError(f"stakeholder {shown(ref)} is listed twice"))
            seen.add(person)
            self.add(
                _table("stakeholder_products"), {"stakeholder_id": person, "product_id": state.id}
            )

    def column(self, state: _Product, index: int, record: ColumnRecord) -> None:
        table = "board_columns"
        where = f"{state.where}.columns[{index}]"
        try:
            self._ref(record.ref, state.columns, "column")
            name = self._name(record.name, table, "name")
            existing = state.column_names.get(fold(name))
            if existing is not None and existing in state.columns.values():
                raise _Located("name", f"there is already a column named {shown(name)}")
            category = self._check("category", check_category, record.category)
            wip = record.wip_limit
            if wip is not None:
                self._check("wip_limit", check_integer, wip, "The WIP limit")
                self._check("wip_limit", check_wip, wip)
            if existing is None:
                position = self._position(record.position, state.column_position)
                state.column_position = max(state.column_position, position + 1)
                row_id = self.new_id(table, record.ref, referred=True)
        except _Located as exc:
            raise _locate(where, exc) from None
        if existing is not None:  # into a product: the column it has
            state.columns[record.ref] = existing
            return
        state.columns[record.ref] = row_id
        state.column_names[fold(name)] = row_id
        self.add(
            _table(table),
            {"id": row_id, "product_id": state.id, "name": name, "position": position,
             "wip_limit": wip, "category": category},
        )  # fmt: skip

    def label(self, state: _Product, index: int, record: LabelRecord) -> None:
        table = "labels"
        where = f"{state.where}.labels[{index}]"
        try:
            self._ref(record.ref, state.labels, "label")
            name = self._name(record.name, table, "name")
            existing = state.label_names.get(name)
            if existing is not None and existing in state.labels.values():
                raise _Located("name", f"there is already a label named {shown(name)}")
            color = self._text(record.color, table, "color")
        except _Located as exc:
            raise _locate(where, exc) from None
        if existing is not None:
            state.labels[record.ref] = existing
            return
        row_id = self._located_id(where, table, record.ref)
        state.labels[record.ref] = row_id
        state.label_names[name] = row_id
        self.add(
            _table(table), {"id": row_id, "product_id": state.id, "name": name, "color": color}
        )

    def sprint(self, state: _Product, index: int, record: SprintRecord) -> None:
        table = "sprints"
        where = f"{state.where}.sprints[{index}]"
        try:
            self._ref(record.ref, state.sprints, "sprint")
            name = self._name(record.name, table, "name")
            existing = state.sprint_names.get(name)
            if existing is not None and existing in state.sprints.values():
                raise _Located("name", f"there is already a sprint named {shown(name)}")
            sprint_state = self._check("state", check_sprint_state, record.state)
            self._check("end_date", check_sprint_dates, record.start_date, record.end_date)
            unit = self._check("capacity_unit", check_capacity_unit, record.capacity_unit)
            row = {
                "product_id": state.id,
                "name": name,
                "goal": self._text(record.goal, table, "goal"),
                "start_date": record.start_date,
                "end_date": record.end_date,
                "state": sprint_state,
                "started_at": record.started_at,
                "closed_at": record.closed_at,
                "goal_met": record.goal_met,
                "capacity_unit": unit,
            }
            if existing is None and sprint_state == SprintState.ACTIVE:
                if state.active_sprint:
                    raise _Located("state", "a product runs one sprint at a time")
                state.active_sprint = True
        except _Located as exc:
            raise _locate(where, exc) from None
        if existing is not None:
            state.sprints[record.ref] = existing
            return
        row["id"] = self._located_id(where, table, record.ref)
        state.sprints[record.ref] = row["id"]
        state.sprint_names[name] = row["id"]
        self.add(_table(table), row)
        seen: set[int] = set()
        for number, member in enumerate(record.members):
            at = f"{where}.members[{number}]"
            try:
                member_id = self._member(member.member_id, "member_id") or 0
                if member_id in seen:
                    raise _Located("member_id", "the team member is listed twice")
                seen.add(member_id)
                self._check("capacity", check_number, member.capacity, "A capacity", 0)
                self._check("days_off", check_number, member.days_off, "Days off", 0)
            except _Located as exc:
                raise _locate(at, exc) from None
            self.add(
                _table("sprint_members"),
                {"sprint_id": row["id"], "member_id": member_id,
                 "capacity": member.capacity, "days_off": member.days_off},
            )  # fmt: skip

    def release(self, state: _Product, index: int, record: ReleaseRecord) -> None:
        table = "releases"
        where = f"{state.where}.releases[{index}]"
        try:
            self._ref(record.ref, state.releases, "release")
            name = self._name(record.name, table, "name")
            existing = state.release_names.get(name)
            if existing is not None and existing in state.releases.values():
                raise _Located("name", f"there is already a release named {shown(name)}")
            row = {
                "product_id": state.id,
                "name": name,
                "description": self._text(record.description, table, "description"),
                "target_date": record.target_date,
                "state": self._check("state", check_release_state, record.state),
                "released_on": record.released_on,
                "notes": self._text(record.notes, table, "notes"),
            }
        except _Located as exc:
            raise _locate(where, exc) from None
        if existing is not None:
            state.releases[record.ref] = existing
            return
        row["id"] = self._located_id(where, table, record.ref)
        state.releases[record.ref] = row["id"]
        state.release_names[name] = row["id"]
        self.add(_table(table), row)

    def readiness_rule(self, state: _Product, index: int, record: ReadinessRuleRecord) -> None:
        table = "readiness_rules"
        where = f"{state.where}.readiness_rules[{index}]"
        try:
            self._ref(record.ref, state.rules, "readiness rule")
            rule_text = self._text(record.text, table, "text")
            row = {
                "product_id": state.id,
                "definition": self._check("definition", check_definition, record.definition),
                "rule": self._check("rule", check_readiness_rule, record.rule, rule_text),
                "text": rule_text,
                "position": self._position(record.position, state.rule_positions),
                "enabled": bool(record.enabled),
            }
        except _Located as exc:
            raise _locate(where, exc) from None
        state.rule_positions = max(state.rule_positions, row["position"] + 1)
        row["id"] = self._located_id(where, table, record.ref)
        state.rules[record.ref] = row["id"]
        self.add(_table(table), row)

    def template(self, state: _Product, index: int, record: ChecklistTemplateRecord) -> None:
        table = "checklist_templates"
        where = f"{state.where}.checklist_templates[{index}]"
        try:
            row: dict[str, Any] = {
                "product_id": state.id,
                "kind": None
                if record.kind is None
                else self._check("kind", check_kind, record.kind),
                "position": self._position(record.position, state.template_positions),
                "text": self._required(record.text, table, "text"),
            }
        except _Located as exc:
            raise _locate(where, exc) from None
        state.template_positions = max(state.template_positions, row["position"] + 1)
        row["id"] = self._located_id(where, table, record.ref, referred=False)
        self.add(_table(table), row)

    # --- items -------------------------------------------------------------------------------

    def item(self, state: _Product, index: int, record: ItemRecord) -> None:
        # The hot path of a large import: rules are called directly, ``field`` names the
        # one being checked for the message, and the free texts are checked in one go.
        field_ = "id"
        try:
            self._ref(record.ref, state.items, "item")
            field_ = "number"
            number = self._item_number(state, record.number)
            field_ = "rank"
            rank = self._item_rank(state, record.rank)
            created = record.created_at or self.now
            moves = record.transitions
            epic = record.epic_id
            epic_id = None
            if epic is not None:
                if epic == record.ref:
                    raise _Located("epic_id", "an item cannot be its own epic")
                epic_id = state.items.get(epic)
            field_ = "kind"
            kind = check_kind(record.kind)
            field_ = "points"
            points = check_points(record.points)
            title, description = record.title, record.description
            if not title.strip():
                raise _Located("title", "must not be empty")
            texts = (title, description, record.blocked_reason, record.external_key)
            if not _clean(texts) or len(title) > _TITLE or len(record.external_key or "") > 100:
                for name, value in zip(_ITEM_TEXTS, texts, strict=True):
                    self._text(value, "items", name)
            scores = (record.time_criticality, record.risk_reduction, record.job_size,
                      record.reach, record.impact, record.confidence, record.effort)  # fmt: skip
            if scores != _NO_SCORES:
                self._scores(scores)
            item_id = self.new_id("items", record.ref, referred=True)
            values: dict[str, Any] = {
                "id": item_id,
                "product_id": state.id,
                "number": number,
                "kind": kind,
                "title": title,
                "description": description,
                "points": points,
                "business_value": None
                if record.business_value is None
                else self._integer(record.business_value, "business_value"),
                "column_id": self._in(record.column_id, state.columns, "column_id", "column"),
                "rank": rank,
                "sprint_id": None
                if record.sprint_id is None
                else self._in(record.sprint_id, state.sprints, "sprint_id", "sprint"),
                "epic_id": epic_id,
                "assignee_id": None
                if record.assignee_id is None
                else self._member(record.assignee_id, "assignee_id"),
                "requested_by_id": None
                if record.requested_by_id is None
                else self._stakeholder(record.requested_by_id, "requested_by_id"),
                "due_date": record.due_date,
                "blocked_reason": record.blocked_reason,
                "created_at": created,
                "updated_at": record.updated_at or created,
                "column_since": record.column_since or (moves[-1].at if moves else created),
                "started_at": record.started_at,
                "done_at": record.done_at,
                "archived": bool(record.archived),
                "version": self._integer(record.version, "version", 1),
                "release_id": None
                if record.release_id is None
                else self._in(record.release_id, state.releases, "release_id", "release"),
                "external_key": record.external_key,
            }
            for name, store in self.item_stores:
                if (given := values[name]) is not None:
                    values[name] = store(given)
            row = _ITEM_ROW(values)
        except ValidationError as exc:
            where = f"{state.where}.items[{index}]"
            raise _locate(where, _Located(field_, str(exc)), record.origin) from None
        except _Located as exc:
            raise _locate(f"{state.where}.items[{index}]", exc, record.origin) from None
        state.items[record.ref] = item_id
        if epic is not None and epic_id is None:
            state.epics.append((index, item_id, epic))
        self.add(_ITEMS, row)
        if scores != _NO_SCORES:
            self.add(_ITEM_SCORES, {"item_id": item_id, **dict(zip(_SCORES, scores, strict=True))})
        if record.labels or moves or record.comments or record.checklist or record.links \
                or record.resources or record.fields or record.sprint_entries \
                or record.confirmations:  # fmt: skip
            self._item_parts(state, index, item_id, record)

    def _scores(self, scores: tuple[float | None, ...]) -> None:
        for name, value in zip(_SCORES, scores, strict=True):
            self._check(name, check_score, name, value)

    def _item_number(self, state: _Product, number: int | None) -> int:
        numbered = number is not None
        if state.numbered is None:
            state.numbered = numbered
        elif state.numbered != numbered:
            raise _Located("number", "give every item of a product a number, or none")
        if number is None:
            number = state.next_free
            while number in state.numbers:
                number += 1
            state.next_free = number + 1
        else:
            self._check("number", check_integer, number, "An item number")
            if number < 1:
                raise _Located("number", f"an item number must be at least 1, not {number}")
            if number in state.numbers:
                raise _Located("number", f"two items have the number {number}")
        state.numbers.add(number)
        state.highest = max(state.highest, number)
        return number

    def _item_rank(self, state: _Product, rank: str | None) -> str:
        ranked = rank is not None
        if state.ranked is None:
            state.ranked = ranked
        elif state.ranked != ranked:
            raise _Located("rank", "give every item of a product a rank, or none")
        if rank is None:
            rank = rank_between(state.last_rank, None)
            state.last_rank = rank
        else:
            self._check("rank", check_rank, rank)
            if rank in state.ranks:
                raise _Located("rank", f"two items have the rank {shown(rank)}")
        state.ranks.add(rank)
        return rank

    def _item_parts(self, state: _Product, index: int, item_id: int, record: ItemRecord) -> None:
        part, number_ = "labels", -1  # the list being written, and where in it
        try:
            seen: set[Any] = set()
            for number, label in enumerate(record.labels):
                part, number_ = "labels", number
                label_id = state.labels.get(label)
                if label_id is None:
                    raise ValidationError(f"no label {shown(label)} in this product")
                if label_id in seen:
                    raise ValidationError(f"the label {shown(label)} is given twice")
                seen.add(label_id)
                self.add(_ITEM_LABELS, {"item_id": item_id, "label_id": label_id})
            for number, move in enumerate(record.transitions):
                part, number_ = "transitions", number
                self.transition(state, item_id, move)
            for number, comment in enumerate(record.comments):
                part, number_ = "comments", number
                self.comment(item_id, comment)
            position = 0
            for number, line in enumerate(record.checklist):
                part, number_ = "checklist", number
                position = self.checklist_line(item_id, position, line)
            seen = set()
            for number, link in enumerate(record.links):
                part, number_ = "links", number
                key = (link.target_id, link.type)
                if key in seen:
                    raise ValidationError("the same link is given twice")
                seen.add(key)
                self.link(state, index, item_id, record.ref, link)
            for number, resource in enumerate(record.resources):
                part, number_ = "resources", number
                self.resource(item_id, resource)
            seen = set()
            for number, extra in enumerate(record.fields):
                part, number_ = "fields", number
                if extra.name in seen:
                    raise ValidationError(f"the field {shown(extra.name)} is given twice")
                seen.add(extra.name)
                self.item_field(item_id, extra)
            for number, entry in enumerate(record.sprint_entries):
                part, number_ = "sprint_entries", number
                self.sprint_entry(state, item_id, entry)
            seen = set()
            for number, confirmation in enumerate(record.confirmations):
                part, number_ = "confirmations", number
                rule_id = self._in(confirmation.rule_id, state.rules, "rule_id", "readiness rule")
                if rule_id in seen:
                    raise ValidationError("the rule is confirmed twice")
                seen.add(rule_id)
                self.add(
                    _table("rule_confirmations"),
                    {"item_id": item_id, "rule_id": rule_id, "at": confirmation.at,
                     "actor": self._text(confirmation.actor, "rule_confirmations", "actor")},
                )  # fmt: skip
        except (_Located, ValidationError) as exc:
            place = f"{state.where}.items[{index}].{part}" + (
                f"[{number_}]" if number_ >= 0 else ""
            )
            raise _locate(place, exc, record.origin) from None

    def transition(self, state: _Product, item_id: int, record: TransitionRecord) -> None:
        columns = state.columns
        source, target = record.from_column_id, record.to_column_id
        previous, category = record.from_category, record.to_category
        if category not in _CATEGORIES:
            self._check("to_category", check_category, category)
        if previous is not None and previous not in _CATEGORIES:
            self._check("from_category", check_category, previous)
        self.add(
            _TRANSITIONS,
            (
                self.new_id("transitions", record.ref),
                item_id,
                None
                if source is None
                else columns.get(source) or self._in(source, columns, "from_column_id", "column"),
                None
                if target is None
                else columns.get(target) or self._in(target, columns, "to_column_id", "column"),
                previous,
                category,
                self.stored[_TRANSITIONS][0](record.at),
            ),
        )

    def comment(self, item_id: int, record: CommentRecord) -> None:
        table = "comments"
        self.add(
            _table(table),
            {
                "id": self.new_id(table, record.ref),
                "item_id": item_id,
                "author": self._text(record.author, table, "author"),
                "at": record.at,
                "text": self._text(record.text, table, "text"),
                "edited_at": record.edited_at,
                "deleted": bool(record.deleted),
            },
        )

    def checklist_line(self, item_id: int, free: int, record: ChecklistLineRecord) -> int:
        """Buffer a checklist line; return the next free position."""
        table = "checklist_items"
        position = self._position(record.position, free)
        self.add(
            _table(table),
            {
                "id": self.new_id(table, record.ref),
                "item_id": item_id,
                "position": position,
                "text": self._required(record.text, table, "text"),
                "done": bool(record.done),
                "done_at": record.done_at,
            },
        )
        return max(free, position + 1)

    def link(self, state: _Product, index: int, item_id: int, ref: Ref, link: LinkRecord) -> None:
        self._check("type", check_link_type, link.type)
        other = link.target_product_id
        if link.target_id == ref and other in (None, state.ref):
            raise _Located("target_id", "an item cannot be linked to itself")
        row_id = self.new_id("item_links", link.ref)
        target = state.items.get(link.target_id) if other in (None, state.ref) else None
        if target is not None:
            self._add_link(row_id, item_id, target, link)
        elif other is None or other == state.ref:  # further on: once every item is there
            state.links.append((index, row_id, item_id, link))
        else:  # another product's item: once every product is there
            self.cross_links.append((f"{state.where}.items[{index}].links", row_id, item_id, link))

    def _cross_links(self) -> None:
        """The links to another product's items, once every product is written."""
        kept = self.taken.get("items", set())
        for where, row_id, item_id, link in self.cross_links:
            product = link.target_product_id
            if product is None:
                target = link.target_id if link.target_id in kept else None
                missing = f"no item {shown(link.target_id)}"
            else:
                target = self.items_of.get(product, {}).get(link.target_id)
                missing = f"no item {shown(link.target_id)} in product {shown(product)}"
            if target is None:
                raise _locate(where, _Located("target_id", missing))
            self._add_link(row_id, item_id, int(target), link)
        self.cross_links.clear()

    def _add_link(self, row_id: int, source: int, target: int, link: LinkRecord) -> None:
        self.add(
            _table("item_links"),
            {"id": row_id, "source_id": source, "target_id": target, "type": link.type,
             "created_at": link.created_at or self.now},
        )  # fmt: skip

    def resource(self, item_id: int, record: ResourceLinkRecord) -> None:
        table = "resource_links"
        self.add(
            _table(table),
            {
                "id": self.new_id(table, record.ref),
                "item_id": item_id,
                "title": self._text(record.title, table, "title"),
                "target": self._required(record.target, table, "target"),
            },
        )

    def item_field(self, item_id: int, record: ItemFieldRecord) -> None:
        table = "item_fields"
        self.add(
            _table(table),
            {
                "item_id": item_id,
                "name": self._required(record.name, table, "name"),
                "value": self._text(record.value, table, "value"),
            },
        )

    def sprint_entry(self, state: _Product, item_id: int, record: SprintEntryRecord) -> None:
        table = "sprint_entries"
        self.add(
            _table(table),
            {
                "id": self.new_id(table, record.ref),
                "sprint_id": self._in(record.sprint_id, state.sprints, "sprint_id", "sprint"),
                "item_id": item_id,
                "added_at": record.added_at,
                "removed_at": record.removed_at,
                "carried_from_id": self._in(
                    record.carried_from_id, state.sprints, "carried_from_id", "sprint"
                ),
            },
        )

    def _end_items(self, state: _Product, record: ProductRecord, into: bool) -> None:
        """Epics and links that named a later item; the product's next item number."""
        items = _table("items")
        epics = []
        for index, item_id, epic in state.epics:
            epic_id = state.items.get(epic)
            if epic_id is None:
                raise _locate(
                    f"{state.where}.items[{index}]",
                    _Located("epic_id", f"no item {shown(epic)} in this product"),
                )
            epics.append({"item": item_id, "epic": epic_id})
        for index, row_id, item_id, link in state.links:
            target = state.items.get(link.target_id)
            where = f"{state.where}.items[{index}].links"
            if target is None and self.keep_ids:  # kept ids: maybe another product's item
                self.cross_links.append((where, row_id, item_id, link))
                continue
            if target is None:
                message = f"no item {shown(link.target_id)} in this product"
                raise _locate(where, _Located("target_id", message))
            self._add_link(row_id, item_id, target, link)
        if state.ref is not None:
            self.items_of[state.ref] = state.items
        self.flush()
        if epics:
            self.conn.execute(
                items.update()
                .where(items.c.id == bindparam("item"))
                .values(epic_id=bindparam("epic")),
                epics,
            )
        state.epics.clear()
        state.links.clear()
        wanted = record.next_number if not into else None
        if wanted is not None and wanted <= state.highest:
            raise _locate(
                state.where,
                _Located(
                    "next_number",
                    f"{wanted} is not above the highest item number ({state.highest})",
                ),
            )
        products = _table("products")
        next_number = wanted or state.highest + 1
        if into or wanted is None:
            current = self.conn.execute(
                select(products.c.next_number).where(products.c.id == state.id)
            ).scalar_one()
            next_number = max(int(current), state.highest + 1)
            self.conn.execute(
                products.update().where(products.c.id == state.id).values(next_number=next_number)
            )

    # --- after the items ---------------------------------------------------------------------

    def question(self, state: _Product, index: int, record: QuestionRecord) -> None:
        table = "questions"
        where = f"{state.where}.questions[{index}]"
        try:
            row = {
                "id": self.new_id(table, record.ref),
                "product_id": state.id,
                "item_id": self._in(record.item_id, state.items, "item_id", "item"),
                "asked_by_id": self._member(record.asked_by_id, "asked_by_id"),
                "asked_at": record.asked_at,
                "text": self._required(record.text, table, "text"),
                "urgency": self._check("urgency", check_urgency, record.urgency),
                "state": self._check("state", check_question_state, record.state),
                "answer": self._text(record.answer, table, "answer"),
                "answered_by": self._text(record.answered_by, table, "answered_by"),
                "answered_at": record.answered_at,
            }
            if record.ref is not None:
                self._ref(record.ref, state.questions, "question")
                state.questions[record.ref] = row["id"]
        except (_Located, ValidationError) as exc:
            raise _locate(where, exc) from None
        self.add(_table(table), row)

    def status_update(self, state: _Product, index: int, record: StatusUpdateRecord) -> None:
        table = "status_updates"
        where = f"{state.where}.status_updates[{index}]"
        try:
            self._check("period_end", check_status_period, record.period_start, record.period_end)
            row = {
                "id": self.new_id(table, record.ref, referred=True),
                "product_id": state.id,
                "created_at": record.created_at,
                "period_start": record.period_start,
                "period_end": record.period_end,
                "health": self._check("health", check_health, record.health),
                "headline": self._text(record.headline, table, "headline"),
                "progress": self._text(record.progress, table, "progress"),
                "problems": self._text(record.problems, table, "problems"),
                "schedule_outlook": self._text(record.schedule_outlook, table, "schedule_outlook"),
                "next_steps": self._text(record.next_steps, table, "next_steps"),
                "snapshot": json.dumps(dict(record.snapshot), default=str, sort_keys=True),
                "target_date": record.target_date,
                "forecast_p50": record.forecast_p50,
                "forecast_p85": record.forecast_p85,
            }
            recipients = []
            for number, ref in enumerate(record.recipients):
                person = self._stakeholder(ref, f"recipients[{number}]")
                if person in recipients:
                    raise _Located(f"recipients[{number}]", "the stakeholder is listed twice")
                recipients.append(person)
        except (_Located, ValidationError) as exc:
            raise _locate(where, exc) from None
        self.add(_table(table), row)
        for person in recipients:
            self.add(
                _table("status_update_recipients"),
                {"status_update_id": row["id"], "stakeholder_id": person},
            )

    def target_change(self, state: _Product, index: int, record: TargetChangeRecord) -> None:
        table = "target_changes"
        where = f"{state.where}.target_changes[{index}]"
        try:
            row = {
                "id": self.new_id(table, record.ref),
                "product_id": state.id,
                "release_id": None
                if record.release_id is None
                else self._in(record.release_id, state.releases, "release_id", "release"),
                "at": record.at,
                "previous": record.previous,
                "target": record.target,
                "reason": self._text(record.reason, table, "reason"),
                "actor": self._text(record.actor, table, "actor"),
            }
        except _Located as exc:
            raise _locate(where, exc) from None
        self.add(_table(table), row)

    def activity(
        self, where: str, index: int, record: ActivityRecord, state: _Product | None
    ) -> None:
        """Buffer an audit row, ``where[index]`` in the batch (put together only for a
        message)."""
        table = "activities"
        try:
            if state is None and record.item_id is not None:
                raise _Located("item_id", "an activity of no product names no item")
            actor, action, detail = record.actor, record.action, record.detail
            if record.question_id is not None:
                known = {} if state is None else state.questions
                question = self._in(record.question_id, known, "question_id", "question")
                detail = f"#{question} {detail}" if detail else f"#{question}"
            if not action.strip():
                raise _Located("action", "must not be empty")
            if not _clean((actor, action, detail)) or len(actor) > _ACTOR or len(action) > _ACTION:
                for name, value in (("actor", actor), ("action", action), ("detail", detail)):
                    self._text(value, table, name)
            row = (
                self.new_id(table, record.ref),
                None if state is None else state.id,
                None if state is None else self._in(record.item_id, state.items, "item_id", "item"),
                self.stored[_ACTIVITIES][0](record.at),
                actor,
                action,
                detail,
            )
        except _Located as exc:
            raise _locate(f"{where}[{index}]", exc) from None
        self.add(_ACTIVITIES, row)

    def import_log(self, where: str, record: ImportLogRecord) -> None:
        table = "imports"
        try:
            product = record.product_id
            product_id = None if product is None else self.products.get(product)
            if product is not None and product_id is None:
                raise _Located("product_id", f"no product {shown(product)}")
            row = {
                "id": self.new_id(table, record.ref),
                "product_id": product_id,
                "source": self._required(record.source, table, "source"),
                "file_name": self._text(record.file_name, table, "file_name"),
                "sha256": self._text(record.sha256, table, "sha256"),
                "at": record.at,
                "summary": self._text(record.summary, table, "summary"),
            }
        except _Located as exc:
            raise _locate(where, exc) from None
        self.add(_table(table), row)

    def log_source(self, source: ImportSource) -> None:
        """The ``imports`` row of this import, with the counts of what it made."""
        self.flush()
        counts = {name: count for name, count in sorted(self.counts.items())}
        summary: dict[str, Any] = {"created": counts}
        if source.notes:
            summary["notes"] = list(source.notes)
        self.import_log(
            "source",
            ImportLogRecord(
                source=source.source,
                file_name=source.file_name,
                sha256=source.sha256,
                at=self.now,
                summary=json.dumps(summary, sort_keys=True),
            ),
        )
        if self.first_product is not None:
            self.rows[_table("imports")][-1]["product_id"] = self.first_product

    # --- checks ------------------------------------------------------------------------------

    def _ref_type(self, ref: Ref) -> None:
        if not isinstance(ref, int | str) or isinstance(ref, bool):
            raise _Located("id", f"a reference must be a number or a text, not {shown(ref)}")

    def _ref(self, ref: Ref, known: dict[Ref, int], what: str) -> None:
        self._ref_type(ref)
        if ref in known:
            raise _Located("id", f"two records of {what}s have the reference {shown(ref)}")

    def _in(self, ref: Ref | None, known: dict[Ref, int], name: str, what: str) -> int | None:
        if ref is None:
            return None
        found = known.get(ref)
        if found is None:
            raise _Located(name, f"no {what} {shown(ref)} in this product")
        return found

    def _member(self, ref: Ref | None, name: str) -> int | None:
        if ref is None:
            return None
        found = self.members.get(ref)
        if found is None:
            raise _Located(name, f"no team member {shown(ref)}")
        return found

    def _stakeholder(self, ref: Ref | None, name: str) -> int | None:
        if ref is None:
            return None
        found = self.stakeholders.get(ref)
        if found is None:
            raise _Located(name, f"no stakeholder {shown(ref)}")
        return found

    @staticmethod
    def _check(name: str, check: Callable[..., Any], *args: Any) -> Any:
        try:
            return check(*args)
        except ValidationError as exc:
            raise _Located(name, str(exc)) from None

    @staticmethod
    def _position(given: int | None, free: int) -> int:
        """A position as given (an integer, not negative), or the next free one."""
        if given is None:
            return free
        try:
            check_integer(given, "The position")
        except ValidationError as exc:
            raise _Located("position", str(exc)) from None
        if given < 0:
            raise _Located("position", f"a position cannot be negative ({given})")
        return given

    @staticmethod
    def _integer(value: int | None, name: str, minimum: int | None = None) -> int | None:
        if value is None:
            return None
        try:
            check_integer(value, "The value")
        except ValidationError as exc:
            raise _Located(name, str(exc)) from None
        if minimum is not None and value < minimum:
            raise _Located(name, f"{value} is below {minimum}")
        return value

    def _text(self, value: str | None, table: str, name: str) -> Any:
        """Text the database stores, within the column's length; None stays None."""
        if value is None:
            return None
        if "\x00" in value or not value.isascii():
            try:
                check_text(value, "The value", self.postgres)
            except ValidationError as exc:
                raise _Located(name, str(exc)) from None
        limit = _LENGTHS[table].get(name)
        if limit is not None and len(value) > limit:
            message = f"longer than {limit:,} characters: {shown(value)}"
            raise _Located(name, message)
        return value

    def _required(self, value: str, table: str, name: str) -> str:
        if not value.strip():
            raise _Located(name, "must not be empty")
        return str(self._text(value, table, name))

    def _name(self, value: str, table: str, name: str) -> str:
        return self._required(value, table, name)
