"""The whole database as one JSON document (`kanban export json`), and back (`import json`).

The document is a stable, versioned contract (version 3; versions 1 and 2 are still read)::

    {
      "format": "kanban", "version": 3, "exported_at": "2026-05-01T09:30:00+00:00",
      "team_members": [{"id", "name", "role", "archived"}],
      "stakeholders": [{"id", "name", "role", "organization", "contact", "notes", "archived",
                        "email", "products": [product ids]}],
      "products": [{
        "id", "key", "name", "vision", "archived", "next_number", "created_at", "target_date",
        "points_scale",
        "columns":  [{"id", "name", "position", "wip_limit", "category"}],
        "labels":   [{"id", "name", "color"}],
        "sprints":  [{"id", "name", "goal", "start_date", "end_date", "state", "started_at",
                      "closed_at", "goal_met", "capacity_unit",
                      "members": [{"member_id", "capacity", "days_off"}]}],
        "releases": [{"id", "name", "description", "target_date", "state", "released_on",
                      "notes"}],
        "readiness_rules": [{"id", "definition", "rule", "text", "position", "enabled"}],
        "checklist_templates": [{"id", "kind", "position", "text"}],
        "items":    [{"id", "number", "kind", "title", "description",
                      "points", "business_value", "column_id", "rank", "sprint_id", "epic_id",
                      "assignee_id", "requested_by_id", "due_date", "blocked_reason",
                      "created_at", "updated_at", "column_since", "started_at", "done_at",
                      "archived", "version", "release_id", "external_key",
                      "time_criticality", "risk_reduction", "job_size", "reach", "impact",
                      "confidence", "effort", "key",
                      "labels": [label names],
                      "transitions": [{"id", "from_column_id", "to_column_id",
                                       "from_category", "to_category", "at"}],
                      "comments": [{"id", "author", "at", "text", "edited_at", "deleted"}],
                      "checklist": [{"id", "position", "text", "done", "done_at"}],
                      "links": [{"id", "target_id", "type", "created_at"}],
                      "resources": [{"id", "title", "target"}],
                      "fields": {name: value},
                      "sprint_entries": [{"id", "sprint_id", "added_at", "removed_at",
                                          "carried_from_id"}],
                      "confirmations": [{"rule_id", "at", "actor"}]}],
        "questions": [{"id", "item_id", "asked_by_id", "asked_at", "text", "urgency", "state",
                       "answer", "answered_by", "answered_at"}],
        "status_updates": [{"id", "created_at", "period_start", "period_end", "health",
                            "headline", "progress", "problems", "schedule_outlook",
                            "next_steps", "target_date", "forecast_p50", "forecast_p85",
                            "recipients": [stakeholder ids],
                            "snapshot": {the figures, as an object}}],
        "target_changes": [{"id", "release_id", "at", "previous", "target", "reason",
                            "actor"}],
        "activities": [{"id", "item_id", "at", "actor", "action", "detail"}]
      }],
      "activities": [the audit rows that belong to no product (people added and changed)],
      "imports": [{"id", "product_id", "source", "file_name", "sha256", "at", "summary"}]
    }

Ids are kept, so references inside the document (``column_id``, ``assignee_id``...) are the
ids of the exported rows and an import restores the database exactly. Times are ISO 8601 in
UTC without an offset (as stored), dates ``YYYY-MM-DD``. An item's ``key`` is informative
(the product key and the number); import ignores it, as it ignores keys it does not know.
An item's ``links`` are the links it is the source of (``A blocks B`` is listed under A; B
may be another product's item). An item's lists after ``transitions``, and its ``fields``,
are left out when empty.

Older documents are read too. Version 2 (checklists, comments, links, readiness rules and
templates, after a product's activities) lacks releases, target changes, sprint members, sprint
entries, item fields and imports; version 1 lacks all of these, and an item's Markdown
``acceptance_criteria`` become its checklist lines, as revision 0004 of the schema turned them.
Absent lists are none; the fields revision 0003 added to products, sprints, stakeholders,
items and status updates may be absent too (their defaults).

The export is written, and the import read, a record at a time: memory stays bounded
whatever the size of the database. This version writes the people first and a product's
small lists before its items, so an import reads the file once; an older file, whose products
come first, is read twice (people first), and a product whose items come before lists they
refer to is held in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import operator
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from sqlalchemy import Boolean, Connection, Date, Float, Integer, Table, func, select
from sqlalchemy.orm import Session

from kanban.domain import SCORE_FIELDS
from kanban.errors import NotFoundError, ValidationError
from kanban.files import open_atomically
from kanban.importers.jsonstream import JsonReader
from kanban.services import readahead
from kanban.services.bulk import (
    ActivityRecord,
    BulkSummary,
    ChecklistLineRecord,
    ChecklistTemplateRecord,
    ColumnRecord,
    CommentRecord,
    ImportBatch,
    ImportLogRecord,
    ItemFieldRecord,
    ItemRecord,
    LabelRecord,
    LinkRecord,
    MemberRecord,
    NotEmptyError,
    ProductRecord,
    QuestionRecord,
    ReadinessRuleRecord,
    ReleaseRecord,
    ResourceLinkRecord,
    RuleConfirmationRecord,
    SprintEntryRecord,
    SprintMemberRecord,
    SprintRecord,
    StakeholderRecord,
    StatusUpdateRecord,
    TargetChangeRecord,
    TransitionRecord,
    write_batch,
)
from kanban.services.checklists import criteria_lines
from kanban.services.common import gc_paused, to_date, to_datetime
from kanban.services.rules import shown
from kanban.storage.database import Database
from kanban.storage.tables import FIBONACCI_SCALE, is_moment, metadata

FORMAT = "kanban"
VERSION = 3

TransferProgress = Callable[[int, int], None]
"""Told ``(done, total)`` now and then (items for an export, bytes for an import); it may
raise :class:`kanban.errors.CancelledError`, and then nothing is written."""


def _table(name: str) -> Table:
    return metadata.tables[name]


# The lists of a product, in the order they are written and read, with their tables.
PRODUCT_LISTS = (
    ("columns", "board_columns"),
    ("labels", "labels"),
    ("sprints", "sprints"),
    ("releases", "releases"),
    ("readiness_rules", "readiness_rules"),
    ("checklist_templates", "checklist_templates"),
    ("items", "items"),
    ("questions", "questions"),
    ("status_updates", "status_updates"),
    ("target_changes", "target_changes"),
    ("activities", "activities"),
)
# An item's lists after its labels: key, table, the column naming the item.
ITEM_LISTS = (
    ("transitions", "transitions", "item_id"),
    ("comments", "comments", "item_id"),
    ("checklist", "checklist_items", "item_id"),
    ("links", "item_links", "source_id"),
    ("resources", "resource_links", "item_id"),
    ("sprint_entries", "sprint_entries", "item_id"),
    ("confirmations", "rule_confirmations", "item_id"),
)
# What version 1 always had; anything else may be absent (none).
REQUIRED = frozenset(
    {"columns", "labels", "sprints", "items", "questions", "status_updates", "activities"}
)
REQUIRED_IN_ITEM = frozenset({"labels", "transitions"})
# Fields revision 0003 added to existing tables: older exports lack them.
ADDED_FIELDS: dict[str, dict[str, Any]] = {
    "products": {"target_date": None, "points_scale": FIBONACCI_SCALE},
    "sprints": {"started_at": None, "closed_at": None, "goal_met": None,
                "capacity_unit": "points"},
    "stakeholders": {"email": ""},
    "items": dict.fromkeys(("release_id", "external_key", "time_criticality", "risk_reduction",
                            "job_size", "reach", "impact", "confidence", "effort")),
    "status_updates": {"target_date": None, "forecast_p50": None, "forecast_p85": None},
}  # fmt: skip


_NO_SCORES = dict.fromkeys(SCORE_FIELDS)


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote."""

    products: int
    items: int
    questions: int


# --- export ----------------------------------------------------------------------------------


def write_export(
    db: Database, path: Path, progress: TransferProgress | None = None
) -> ExportSummary:
    """Export the database to a JSON file, atomically and a record at a time.

    The document goes to a temporary file in the same folder, which then replaces ``path``,
    so a crash, a full disk or a cancel never leaves a half-written export behind.
    """
    with db.read() as session, open_atomically(Path(path)) as handle:
        out = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        try:
            summary = _Exporter(session, out, progress).run()
            out.flush()
        finally:
            out.detach()
    return summary


def export_data(db: Database) -> dict[str, Any]:
    """Everything in the database as one document in memory (small databases, tests)."""
    with db.read() as session:
        out = io.StringIO()
        _Exporter(session, out, None).run()
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


class _Exporter:
    """Writes the document as it reads the rows: one record per line, lists streamed."""

    def __init__(self, session: Session, out: TextIO, progress: TransferProgress | None) -> None:
        self.conn: Connection = session.connection()
        self.postgres = self.conn.dialect.name == "postgresql"
        self.out = out
        self.progress = progress
        self.encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
        self.items = 0
        self.total = 0

    def run(self) -> ExportSummary:
        count = func.count()
        self.total = int(self.conn.execute(select(count).select_from(_table("items"))).scalar_one())
        questions = self.conn.execute(select(count).select_from(_table("questions"))).scalar_one()
        write = self.out.write
        write("{\n")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        for key, value in (("format", FORMAT), ("version", VERSION), ("exported_at", now)):
            write(f'  "{key}": {self.encode(value)},\n')
        members = _table("team_members")
        self._list("team_members", 1, self._rows(members, order=(members.c.id,)))
        write(",\n")
        self._list("stakeholders", 1, self._stakeholders())
        write(",\n")
        write('  "products": [')
        products = 0
        for products, product in enumerate(self._rows(_table("products")), start=1):
            write(",\n    {\n" if products > 1 else "\n    {\n")
            self._product(product)
            write("\n    }")
        write("\n  ]" if products else "]")
        write(",\n")
        activities = _table("activities")
        self._list("activities", 1, self._rows(activities, activities.c.product_id.is_(None)))
        write(",\n")
        self._list("imports", 1, self._rows(_table("imports"), skip=()))
        write("\n}\n")
        if self.progress is not None:
            self.progress(self.items, self.total)
        return ExportSummary(products, self.items, int(questions))

    # --- rows --------------------------------------------------------------------------------

    def _stream(self, query: Any) -> Iterator[Sequence[Any]]:
        """The rows of a query as the driver gives them, a batch at a time."""
        if self.postgres:  # a server-side cursor: the rows are not all held at once
            result = self.conn.execution_options(stream_results=True).execute(query)
            try:
                while batch := result.fetchmany(2000):
                    yield from batch
            finally:
                result.close()
            return
        result = self.conn.execute(query)
        try:
            cursor = result.cursor
            while batch := cursor.fetchmany(2000):
                yield from batch
        finally:
            result.close()

    def _rows(
        self,
        table: Table,
        *where: Any,
        skip: tuple[str, ...] = ("product_id",),
        order: Sequence[Any] = (),
    ) -> Iterator[dict[str, Any]]:
        """A table's rows as document objects (``skip`` left out), in primary-key order."""
        columns = [c for c in table.columns if c.name not in skip]
        convert = _converter(columns)
        query = select(*columns).where(*where).order_by(*(order or table.primary_key.columns))
        for row in self._stream(query):
            yield convert(row)

    def _grouped(
        self, table: Table, owner: str, owners: Any, order: Sequence[Any] = ()
    ) -> _Grouped:
        """A child table's rows of the given owners, handed out owner by owner."""
        columns = [c for c in table.columns if c.name != owner]
        convert = _converter(columns)
        key = table.c[owner]
        order = order or [c for c in table.primary_key.columns if c is not key]
        query = select(key, *columns).where(key.in_(owners)).order_by(key, *order)
        return _Grouped(self._stream(query), convert)

    def _list(self, key: str, depth: int, rows: Iterable[Any]) -> None:
        """``"key": [row, row...]`` with one row per line."""
        indent = "  " * depth
        write, encode = self.out.write, self.encode
        write(f'{indent}"{key}": [')
        first = True
        for row in rows:
            write(f"\n{indent}  " if first else f",\n{indent}  ")
            write(encode(row))
            first = False
        write("]" if first else f"\n{indent}]")

    # --- parts of the document ---------------------------------------------------------------

    def _stakeholders(self) -> Iterator[dict[str, Any]]:
        links = _table("stakeholder_products")
        follows: dict[int, list[int]] = {}
        for person, product in self._stream(
            select(links.c.stakeholder_id, links.c.product_id).order_by(*links.c)
        ):
            follows.setdefault(person, []).append(product)
        for row in self._rows(_table("stakeholders")):
            row["products"] = follows.get(row["id"], [])
            yield row

    def _product(self, product: dict[str, Any]) -> None:
        write = self.out.write
        for key, value in product.items():
            write(f'      "{key}": {self.encode(value)},\n')
        product_id = product["id"]
        for index, (key, table_name) in enumerate(PRODUCT_LISTS):
            if index:
                write(",\n")
            table = _table(table_name)
            mine = table.c.product_id == product_id
            if key == "items":
                self._list(key, 3, self._items(product))
            elif key == "sprints":
                self._list(key, 3, self._sprints(product_id))
            elif key == "status_updates":
                self._list(key, 3, self._status_updates(product_id))
            else:
                self._list(key, 3, self._rows(table, mine))

    def _sprints(self, product_id: int) -> Iterator[dict[str, Any]]:
        sprints = _table("sprints")
        members = self._grouped(
            _table("sprint_members"),
            "sprint_id",
            select(sprints.c.id).where(sprints.c.product_id == product_id),
        )
        for sprint in self._rows(sprints, sprints.c.product_id == product_id):
            sprint["members"] = members.take(sprint["id"])
            yield sprint

    def _status_updates(self, product_id: int) -> Iterator[dict[str, Any]]:
        updates, recipients = _table("status_updates"), _table("status_update_recipients")
        sent = self._grouped(
            recipients,
            "status_update_id",
            select(updates.c.id).where(updates.c.product_id == product_id),
        )
        for update in self._rows(updates, updates.c.product_id == product_id):
            update["recipients"] = [r["stakeholder_id"] for r in sent.take(update["id"])]
            update["snapshot"] = json.loads(update["snapshot"] or "{}")
            yield update

    def _items(self, product: dict[str, Any]) -> Iterator[dict[str, Any]]:
        items = _table("items")
        owners = select(items.c.id).where(items.c.product_id == product["id"])
        labels, item_labels = _table("labels"), _table("item_labels")
        names = _Grouped(
            self._stream(
                select(item_labels.c.item_id, labels.c.name)
                .join(labels, labels.c.id == item_labels.c.label_id)
                .where(labels.c.product_id == product["id"])
                .order_by(item_labels.c.item_id, labels.c.name)
            ),
            lambda row: row[0],
        )
        parts = [
            (key, self._grouped(_table(table), owner, owners)) for key, table, owner in ITEM_LISTS
        ]
        item_fields = _table("item_fields")
        extra = self._grouped(item_fields, "item_id", owners, order=(item_fields.c.name,))
        scored = self._grouped(_table("item_scores"), "item_id", owners)
        prefix = f"{product['key']}-"
        for item in self._rows(items, items.c.product_id == product["id"]):
            item_id = item["id"]
            scores = scored.take(item_id)  # the inputs' own table: a row if it has any
            item.update(scores[0] if scores else _NO_SCORES)
            item["key"] = prefix + str(item["number"])
            item["labels"] = names.take(item_id)
            for key, grouped in parts:
                rows = grouped.take(item_id)
                if rows or key in REQUIRED_IN_ITEM:  # the others are left out when empty
                    item[key] = rows
            fields = extra.take(item_id)
            if fields:
                item["fields"] = {f["name"]: f["value"] for f in fields}
            self.items += 1
            if self.progress is not None and not self.items % 1000:
                self.progress(self.items, self.total)
            yield item


def _converter(columns: Sequence[Any]) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """Turns a driver row of these columns into a document object (JSON-ready values)."""
    names = [c.name for c in columns]
    stamps = [c.name for c in columns if is_moment(c)]
    days = [c.name for c in columns if isinstance(c.type, Date)]
    flags = [c.name for c in columns if isinstance(c.type, Boolean)]

    def convert(row: Sequence[Any]) -> dict[str, Any]:
        obj = dict(zip(names, row, strict=True))
        for name in stamps:
            if (value := obj[name]) is not None:
                obj[name] = to_datetime(value).isoformat()
        for name in days:
            if (value := obj[name]) is not None:
                obj[name] = to_date(value).isoformat()
        for name in flags:
            if (value := obj[name]) is not None:
                obj[name] = bool(value)
        return obj

    return convert


class _Grouped:
    """Rows sorted by their owner's id (first column), handed out owner by owner as the
    owners are read in id order: a merge join, holding one row ahead."""

    def __init__(
        self, rows: Iterator[Sequence[Any]], convert: Callable[[Sequence[Any]], Any]
    ) -> None:
        self._rows = rows
        self._convert = convert
        self._next = next(rows, None)

    def take(self, owner: int) -> list[Any]:
        found = []
        while self._next is not None and self._next[0] <= owner:
            if self._next[0] == owner:
                found.append(self._convert(self._next[1:]))
            self._next = next(self._rows, None)
        return found


# --- import ----------------------------------------------------------------------------------


def import_file(db: Database, path: Path, progress: TransferProgress | None = None) -> BulkSummary:
    """Restore an export file into an empty database, in one transaction.

    Raises:
        NotFoundError: No such file.
        ValidationError: The file is not a kanban export, is from a newer version, is
            malformed or breaks a rule (the message names the file and the place), or the
            database already holds data. Nothing is written.
        CancelledError: ``progress`` cancelled; nothing is written.
    """
    path = Path(path)
    size = _check_file(path)
    bytes_read: Callable[[], int] = lambda: 0  # noqa: E731

    def report(_rows: int) -> None:
        if progress is not None:
            progress(bytes_read(), size)

    try:
        with gc_paused(), _reading(path, size) as (batch, bytes_read):
            return write_batch(db, batch, keep_ids=True, progress=report)
    except NotEmptyError:
        raise
    except ValidationError as exc:
        raise ValidationError(f"{path}: {exc}") from None


@contextlib.contextmanager
def _reading(path: Path, size: int) -> Iterator[tuple[ImportBatch, Callable[[], int]]]:
    """The file's batch and how far it has been read: a large file is read by a second
    process while this one writes (:mod:`kanban.services.readahead`)."""
    if size >= readahead.READ_AHEAD_BYTES:
        with readahead.read_ahead(path) as reading:
            if reading is not None:
                yield reading
                return
    with open_document(path) as reading:
        yield reading


@contextlib.contextmanager
def open_document(path: Path) -> Iterator[tuple[ImportBatch, Callable[[], int]]]:
    """The batch of an export file, read in this process as the writer asks for its
    records, and how many of the file's bytes have been read."""
    document = _Document(lambda: _open_text(path))
    try:
        yield document.batch(), document.bytes_read
    finally:
        document.close()


def import_data(db: Database, data: Mapping[str, Any]) -> BulkSummary:
    """Restore a document held in memory (as :func:`export_data` returns) into an empty
    database, in one transaction; raises as :func:`import_file` does."""
    text = json.dumps(data)
    document = _Document(lambda: (io.StringIO(text), None))
    try:
        return write_batch(db, document.batch(), keep_ids=True)
    finally:
        document.close()


def restore_into(target: str, path: Path, progress: TransferProgress | None = None) -> BulkSummary:
    """Open (creating) the database ``target`` (a path or URL) and restore an export into
    it. A database file this call created is removed again when the import fails."""
    from kanban.services import open_database

    _check_file(Path(path))
    file = None if "://" in target else Path(target).expanduser()
    created = file is not None and not file.exists()
    try:
        db = open_database(target)
        try:
            return import_file(db, path, progress)
        finally:
            db.close()
    except BaseException:
        if created and file is not None:
            for name in (file, *(file.with_name(file.name + s) for s in ("-wal", "-shm"))):
                with contextlib.suppress(OSError):
                    name.unlink()
        raise


def _check_file(path: Path) -> int:
    """The size of an export file that can be read; NotFoundError or ValidationError."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except OSError as exc:
        raise ValidationError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ValidationError(f"{path}: is a folder, not an export file")
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise ValidationError(f"{path}: is not a regular file")
    return info.st_size


def _open_text(path: Path) -> tuple[TextIO, BinaryIO]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ValidationError(f"cannot be read ({exc.strerror or exc})") from None
    return io.TextIOWrapper(raw, encoding="utf-8-sig"), raw


# --- reading the document ---------------------------------------------------------------------


_KIND_TEXT, _KIND_INT, _KIND_FLOAT, _KIND_BOOL, _KIND_DATETIME, _KIND_DATE = range(6)


_TYPES: dict[int, tuple[type, ...]] = {
    _KIND_TEXT: (str,),
    _KIND_INT: (int,),
    _KIND_FLOAT: (float, int),
    _KIND_BOOL: (bool,),
    _KIND_DATETIME: (str,),
    _KIND_DATE: (str,),
}


def _kind(column: Any) -> int:
    kind = column.type
    if is_moment(column):
        return _KIND_DATETIME
    if isinstance(kind, Date):
        return _KIND_DATE
    if isinstance(kind, Boolean):
        return _KIND_BOOL
    if isinstance(kind, Integer):
        return _KIND_INT
    if isinstance(kind, Float):
        return _KIND_FLOAT
    return _KIND_TEXT


_fromisoformat = dt.datetime.fromisoformat
_day_fromisoformat = dt.date.fromisoformat


def _type_name(value: Any) -> str:
    return {dict: "dict", list: "list", str: "str", bool: "bool", int: "int", float: "float"}.get(
        type(value), type(value).__name__
    )


class _Shape:
    """The fields of a table's rows in the document, checked and converted, in the order of
    the fields of the record they make (a row's ``id`` is its record's ``ref``)."""

    def __init__(
        self,
        table: str,
        record: Any = None,
        skip: tuple[str, ...] = ("product_id",),
        side: str | None = None,
    ) -> None:
        columns = {c.key: c for c in _table(table).columns if c.key not in skip}
        if side is not None:  # a table of the same rows' further fields (keyed by the row)
            columns |= {c.key: c for c in _table(side).columns if not c.primary_key}
        fields = [
            f for f in getattr(record, "_fields", ()) if ("id" if f == "ref" else f) in columns
        ]
        if not fields:
            fields = ["ref" if key == "id" else key for key in columns]
        self.record = record
        self.fields = fields
        keys = ["id" if f == "ref" else f for f in fields]
        self.columns = [(key, _kind(columns[key]), columns[key].nullable) for key in keys]
        self.optional = ADDED_FIELDS.get(table, {})
        self.extras: tuple[str, ...] = tuple(getattr(record, "_fields", ())[len(fields) :])
        """The record's fields after the table's."""
        self.positional = record is not None and tuple(record._fields[: len(fields)]) == tuple(
            fields
        )
        """Whether the table's fields come first in the record (built from a tuple then)."""
        # The fast path: every field there and of its type, checked in C (map, operator).
        self._get = operator.itemgetter(*keys)
        self._allowed = [
            frozenset(_TYPES[kind]) | ({type(None)} if nullable else set())
            for _key, kind, nullable in self.columns
        ]
        self._stamps = [
            i for i, (_k, kind, _n) in enumerate(self.columns) if kind == _KIND_DATETIME
        ]
        self._days = [i for i, (_k, kind, _n) in enumerate(self.columns) if kind == _KIND_DATE]
        self._one = len(keys) == 1

    def _values(self, obj: Any) -> list[Any] | None:
        """The values when every field is there and of its type (checked in C), else None:
        the slow path then names what is wrong."""
        try:
            found = self._get(obj)
        except (KeyError, TypeError):
            return None
        if self._one:
            found = (found,)
        if not all(map(operator.contains, self._allowed, map(type, found))):
            return None
        out = list(found)
        try:
            for at in self._stamps:
                if (value := out[at]) is not None:
                    moment = _fromisoformat(value)
                    if moment.tzinfo is not None:
                        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
                    out[at] = moment
            for at in self._days:
                if (value := out[at]) is not None:
                    out[at] = _day_fromisoformat(value)
        except ValueError:
            return None
        return out

    def values(self, obj: Any, where: str, index: int = -1) -> list[Any]:
        """The values, in the order of ``fields``; ValidationError naming what is wrong.

        ``where`` is the place of the object in the document (``index``: its place in the
        list named ``where``; the message is put together only when there is one to give).
        """
        out = self._values(obj)
        return self._slow(obj, _at(where, index)) if out is None else out

    def mapping(self, obj: Any, where: str) -> dict[str, Any]:
        """The values by record field name."""
        return dict(zip(self.fields, self.values(obj, where), strict=True))

    def make(self, obj: Any, where: str, index: int = -1, **extras: Any) -> Any:
        """The record, given the values of its fields that are not the table's."""
        values = self._values(obj)
        if values is None:
            values = self._slow(obj, _at(where, index))
        if self.positional and len(extras) == len(self.extras):
            if extras:
                values.extend(extras[name] for name in self.extras)
            return self.record._make(values)
        return self.record(**dict(zip(self.fields, values, strict=True)), **extras)

    def make_all(self, rows: list[Any], items: str, index: int, key: str) -> tuple[Any, ...]:
        """The records of the list ``key`` of ``items[index]`` (the place is put together
        only for a message)."""
        if not self.positional:
            base = f"{items}[{index}].{key}"
            return tuple([self.make(obj, base, n) for n, obj in enumerate(rows)])
        fast, slow = self._values, self._slow
        make = self.record._make if not self.extras else self._with_defaults
        out: list[Any] = []
        for obj in rows:
            values = fast(obj)
            if values is None:
                values = slow(obj, f"{items}[{index}].{key}[{len(out)}]")
            out.append(make(values))
        return tuple(out)

    def _with_defaults(self, values: list[Any]) -> Any:
        return self.record(*values)

    def _slow(self, obj: Any, where: str) -> list[Any]:
        """The same values field by field, naming the first one that is wrong (or filling
        in those an older export lacks)."""
        if type(obj) is not dict:
            raise ValidationError(f"{where} must be an object, not {_type_name(obj)}")
        out = []
        for name, kind, nullable in self.columns:
            if name not in obj:
                if name in self.optional:
                    out.append(self.optional[name])
                    continue
                raise ValidationError(f"{where}: '{name}' is missing")
            value = obj[name]
            if value is None:
                if not nullable:
                    raise ValidationError(f"{where}: '{name}' must not be null")
            elif kind == _KIND_DATETIME:
                value = _moment(value, where, name)
            elif kind == _KIND_DATE:
                value = _day(value, where, name)
            elif type(value) not in _TYPES[kind]:
                self._wrong(where, name, value)
            out.append(value)
        return out

    @staticmethod
    def _wrong(where: str, name: str, value: Any) -> None:
        raise ValidationError(
            f"{where}: '{name}' has the wrong type ({_type_name(value)}: {shown(value)})"
        )


def _at(where: str, index: int) -> str:
    return where if index < 0 else f"{where}[{index}]"


def _moment(value: Any, where: str, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(
            f"{where}: '{name}' is not an ISO 8601 date and time: {shown(value)}"
        ) from None
    if moment.tzinfo is not None:  # stored as naive UTC
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _day(value: Any, where: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(
            f"{where}: '{name}' is not an ISO 8601 date: {shown(value)}"
        ) from None


def _ids(value: Any, where: str, key: str) -> tuple[int, ...]:
    if value is None:
        raise ValidationError(f"{where}: '{key}' is missing")
    if type(value) is not list:
        raise ValidationError(f"{where}: '{key}' is a {_type_name(value)}, not a list")
    for each in value:
        if type(each) is not int:
            raise ValidationError(f"{where}: '{key}' must hold ids (integers), not {shown(each)}")
    return tuple(value)


def _sublist(obj: Any, key: str, where: str, required: bool) -> list[Any]:
    if type(obj) is not dict:
        raise ValidationError(f"{where} must be an object, not {_type_name(obj)}")
    value = obj.get(key)
    if value is None:
        if required or key in obj:
            shown_as = "null" if key in obj else "missing"
            raise ValidationError(f"{where}: '{key}' is {shown_as}")
        return []
    if type(value) is not list:
        raise ValidationError(f"{where}: '{key}' is a {_type_name(value)}, not a list")
    return value


_SHAPES = {
    "team_members": _Shape("team_members", MemberRecord, skip=()),
    "stakeholders": _Shape("stakeholders", StakeholderRecord, skip=()),
    "products": _Shape("products", ProductRecord, skip=()),
    "board_columns": _Shape("board_columns", ColumnRecord),
    "labels": _Shape("labels", LabelRecord),
    "sprints": _Shape("sprints", SprintRecord),
    "sprint_members": _Shape("sprint_members", SprintMemberRecord, skip=("sprint_id",)),
    "releases": _Shape("releases", ReleaseRecord),
    "readiness_rules": _Shape("readiness_rules", ReadinessRuleRecord),
    "checklist_templates": _Shape("checklist_templates", ChecklistTemplateRecord),
    "items": _Shape("items", ItemRecord, side="item_scores"),
    "transitions": _Shape("transitions", TransitionRecord, skip=("item_id",)),
    "comments": _Shape("comments", CommentRecord, skip=("item_id",)),
    "checklist_items": _Shape("checklist_items", ChecklistLineRecord, skip=("item_id",)),
    "item_links": _Shape("item_links", LinkRecord, skip=("source_id",)),
    "resource_links": _Shape("resource_links", ResourceLinkRecord, skip=("item_id",)),
    "sprint_entries": _Shape("sprint_entries", SprintEntryRecord, skip=("item_id",)),
    "rule_confirmations": _Shape("rule_confirmations", RuleConfirmationRecord, skip=("item_id",)),
    "questions": _Shape("questions", QuestionRecord),
    "status_updates": _Shape("status_updates", StatusUpdateRecord, skip=("product_id", "snapshot")),
    "target_changes": _Shape("target_changes", TargetChangeRecord),
    "activities": _Shape("activities", ActivityRecord),
    "imports": _Shape("imports", ImportLogRecord, skip=()),
}


def _record(table: str, obj: Any, where: str, index: int = -1) -> Any:
    """The record of a plain row of the document (its ``id`` becomes the ``ref``)."""
    return _SHAPES[table].make(obj, where, index)


def _sprint(obj: Any, where: str) -> SprintRecord:
    members = tuple(
        _record("sprint_members", each, f"{where}.members[{n}]")
        for n, each in enumerate(_sublist(obj, "members", where, required=False))
    )
    record: SprintRecord = _SHAPES["sprints"].make(obj, where, members=members)
    return record


def _status_update(obj: Any, where: str) -> StatusUpdateRecord:
    values = _SHAPES["status_updates"].mapping(obj, where)
    snapshot = obj.get("snapshot")
    if type(snapshot) is not dict:
        raise ValidationError(f"{where}: 'snapshot' must be an object")
    recipients = _ids(obj.get("recipients"), where, "recipients")
    return StatusUpdateRecord(snapshot=snapshot, recipients=recipients, **values)


_ITEM_SHAPE: _Shape = _SHAPES["items"]
_PART_SHAPES = {key: _SHAPES[table] for key, table, _owner in ITEM_LISTS}
assert _ITEM_SHAPE.positional and _ITEM_SHAPE.extras[0] == "labels"
assert _ITEM_SHAPE.extras[-1] == "origin"
assert set(_ITEM_SHAPE.extras[1:-1]) == {*_PART_SHAPES, "fields"}
_ITEM_PARTS = tuple((key, _PART_SHAPES.get(key)) for key in _ITEM_SHAPE.extras[1:-1])
"""An item's lists in the order of its record's fields (``fields``: None, not a list)."""


def _item(obj: Any, items: str, index: int, labels: Mapping[str, int], version: int) -> ItemRecord:
    """The record of ``items[index]`` of a document of this version.

    The hot path of a large import: the place is put together only for a message.
    """
    if type(obj) is not dict:
        raise ValidationError(f"{items}[{index}] must be an object, not {_type_name(obj)}")
    names = obj.get("labels")
    if names.__class__ is not list:
        names = _sublist(obj, "labels", f"{items}[{index}]", required=True)
    try:
        label_refs = tuple(map(labels.__getitem__, names))
    except (KeyError, TypeError):
        bad = next(n for n in names if type(n) is not str or n not in labels)
        raise ValidationError(
            f"{items}[{index}]: label {shown(bad)} is not among the product's labels"
        ) from None
    extras: list[Any] = [label_refs]
    for key, shape in _ITEM_PARTS:
        rows = obj.get(key)
        if shape is None:  # the fields, an object of texts
            if not rows:  # none (absent, null or empty)
                extras.append(())
                continue
            if type(rows) is not dict or any(type(v) is not str for v in rows.values()):
                raise ValidationError(f"{items}[{index}]: 'fields' must be an object of texts")
            extras.append(tuple([ItemFieldRecord(name, value) for name, value in rows.items()]))
            continue
        if rows.__class__ is not list and (
            rows is not None or key in obj or key in REQUIRED_IN_ITEM
        ):  # not a list, null, or missing though required: the message says which
            rows = _sublist(obj, key, f"{items}[{index}]", required=key in REQUIRED_IN_ITEM)
        extras.append(shape.make_all(rows, items, index, key) if rows else ())
    values = _ITEM_SHAPE._values(obj)
    if values is None:
        values = _ITEM_SHAPE._slow(obj, f"{items}[{index}]")
    values.extend(extras)
    values.append("")  # origin
    record: ItemRecord = ItemRecord._make(values)
    if version < 2:
        where = f"{items}[{index}]"
        record = record._replace(checklist=_criteria(obj, where, record.updated_at))
    return record


def _criteria(obj: dict[str, Any], where: str, updated: dt.datetime | None) -> tuple[Any, ...]:
    """A version 1 item's Markdown acceptance criteria, as checklist lines (revision 0004)."""
    criteria = obj.get("acceptance_criteria", "")
    if type(criteria) is not str:
        raise ValidationError(f"{where}: 'acceptance_criteria' must be text")
    return tuple(
        ChecklistLineRecord(text=text, done=done, done_at=updated if done else None)
        for text, done in criteria_lines(criteria)
    )


class _Document:
    """An export file read as the bulk writer asks for its parts (see the module docstring).

    The people come before the products in this version's files: the file is read once,
    the products streamed. When the products come first (version 1), the first reading
    takes everything else and skips them, and a second one streams them.
    """

    def __init__(self, opener: Callable[[], tuple[TextIO, BinaryIO | None]]) -> None:
        self._opener = opener
        self._files: list[TextIO] = []
        self.reader = self._open()
        self.top: dict[str, Any] = {}
        self.version = 0
        self._keys: Iterator[str] = iter(())
        self.followers: dict[int, list[Any]] = {}
        self.products_seen: set[Any] = set()

    def _open(self) -> JsonReader:
        text, raw = self._opener()
        self._files.append(text)
        return JsonReader(text, raw)

    def close(self) -> None:
        for file in self._files:
            file.close()

    def bytes_read(self) -> int:
        return self.reader.bytes_read()

    def batch(self) -> ImportBatch:
        """Read up to the products (or the whole document but them); the rest streams."""
        reader = self.reader
        if reader.peek() != "{":
            reader.value()
            raise ValidationError("is not a kanban export (no top-level object)")
        keys = reader.keys()
        streaming = False
        for key in keys:
            if key in self.top:
                raise reader.error(f"the key {shown(key)} comes twice")
            if key == "products":
                if {"format", "version", "team_members", "stakeholders"} <= set(self.top):
                    streaming = True
                    break
                self.top[key] = None
                reader.skip()
            else:
                self._top_value(key)
        if not streaming:
            reader.end()
            self._header()
            if "products" not in self.top:
                raise ValidationError("the export: 'products' is missing")
            self.reader = reader = self._open()  # the second reading: to the products
            keys = reader.keys()
            for key in keys:
                if key == "products":
                    break
                reader.skip()
        self._keys = keys
        members = self._people("team_members")
        stakeholders = self._people("stakeholders")
        return ImportBatch(
            members=members,
            stakeholders=stakeholders,
            products=self._products(streaming),
            activities=self._activities(),
            imports=self._imports(),
        )

    def _top_value(self, key: str) -> None:
        reader = self.reader
        if key in ("format", "version", "exported_at"):
            self.top[key] = reader.value()
            if key in ("format", "version"):
                self._header(early=True)
        elif key in ("team_members", "stakeholders", "activities", "imports"):
            if reader.peek() != "[":
                value = reader.value()
                raise ValidationError(f"the export: '{key}' is a {_type_name(value)}, not a list")
            self.top[key] = list(reader.values())
        else:
            self.top[key] = None
            reader.skip()

    def _header(self, early: bool = False) -> None:
        """Check the format and version (``early``: as soon as one is read)."""
        if ("format" in self.top or not early) and self.top.get("format") != FORMAT:
            raise ValidationError('is not a kanban export (no "format": "kanban")')
        if "version" in self.top or not early:
            version = self.top.get("version")
            if type(version) is not int or version < 1:
                raise ValidationError(f"unknown export version {shown(version)}")
            if version > VERSION:
                raise ValidationError(
                    f"the export is format version {version}, from a newer kanban; this version "
                    f"reads up to version {VERSION}. Update the app to import it."
                )
            self.version = version

    def _people(self, key: str) -> list[Any]:
        if self.top.get(key) is None:
            raise ValidationError(f"the export: '{key}' is missing")
        people = []
        for index, obj in enumerate(self.top[key]):
            where = f"{key}[{index}]"
            if key == "stakeholders" and type(obj) is dict:
                for product in _ids(obj.get("products"), where, "products"):
                    self.followers.setdefault(product, []).append(obj.get("id"))
            people.append(_record(key, obj, where))
        return people

    def _products(self, streaming: bool) -> Iterator[ProductRecord]:
        reader = self.reader
        if reader.peek() != "[":
            value = reader.value()
            raise ValidationError(f"the export: 'products' is a {_type_name(value)}, not a list")
        for index in reader.elements():
            product = _ProductReader(self, f"products[{index}]")
            yield product.record()
            product.finish()
        for key in self._keys:  # what follows the products
            if key in self.top and (streaming or key == "products"):
                raise reader.error(f"the key {shown(key)} comes twice")
            if streaming:
                self._top_value(key)
            else:
                reader.skip()
        reader.end()
        for product_id, people in self.followers.items():
            if product_id not in self.products_seen:
                raise ValidationError(
                    f"stakeholders: stakeholder {shown(people[0])} follows no product "
                    f"{shown(product_id)}"
                )

    def _activities(self) -> Iterator[ActivityRecord]:
        if self.top.get("activities") is None:
            raise ValidationError("the export: 'activities' is missing")
        for index, obj in enumerate(self.top["activities"]):
            yield _record("activities", obj, f"activities[{index}]")

    def _imports(self) -> Iterator[ImportLogRecord]:
        for index, obj in enumerate(self.top.get("imports") or ()):
            yield _record("imports", obj, f"imports[{index}]")


class _ProductReader:
    """One product object of the document, read as the writer asks for its lists: the lists
    it asks for later that come earlier in the file are held until then."""

    def __init__(self, document: _Document, where: str) -> None:
        self.document = document
        self.reader = document.reader
        self.where = where
        self.keys = self.reader.keys()
        self.seen: set[str] = set()
        self.held: dict[str, list[Any]] = {}
        self.fields: dict[str, Any] = {}
        self.labels: dict[str, int] = {}

    def _advance(self, wanted: str | None) -> bool:
        """Read on to the list ``wanted`` (True), holding what comes before it; False at the
        end of the object."""
        lists = {key for key, _table in PRODUCT_LISTS}
        for key in self.keys:
            if key in self.seen:
                raise self.reader.error(f"{self.where}: the key {shown(key)} comes twice")
            self.seen.add(key)
            if key == wanted:
                if self.reader.peek() != "[":
                    value = self.reader.value()
                    raise ValidationError(
                        f"{self.where}: '{key}' is a {_type_name(value)}, not a list"
                    )
                return True
            if key in lists:
                if self.reader.peek() != "[":
                    value = self.reader.value()
                    raise ValidationError(
                        f"{self.where}: '{key}' is a {_type_name(value)}, not a list"
                    )
                self.held[key] = list(self.reader.values())
            else:
                self.fields[key] = self.reader.value()
        return False

    def record(self) -> ProductRecord:
        at_items = self._advance("items")
        expected = {key for key, _table in PRODUCT_LISTS[:6]}
        if self.document.version < 3:  # version 2 put rules and templates after the items
            expected &= REQUIRED | ({"readiness_rules"} if self.document.version == 2 else set())
        if at_items and not expected <= self.seen | set(self.fields):
            # A list the items need comes after them (a file edited by hand): hold them.
            self.held["items"] = list(self.reader.values())
            self._advance(None)
            at_items = False
        values = _SHAPES["products"].mapping(self.fields, self.where)
        self.document.products_seen.add(values["ref"])
        small: dict[str, Any] = {}
        for key, table in PRODUCT_LISTS[:6]:
            rows = self._held(key)
            small[key] = tuple(
                _sprint(obj, at) if key == "sprints" else _record(table, obj, at)
                for n, obj in enumerate(rows)
                for at in (f"{self.where}.{key}[{n}]",)
            )
        self.labels = {label.name: label.ref for label in small["labels"]}
        followers = tuple(self.document.followers.get(values["ref"], ()))
        return ProductRecord(
            followers=followers,
            items=self._items(at_items),
            questions=self._lazy("questions"),
            status_updates=self._lazy("status_updates"),
            target_changes=self._lazy("target_changes"),
            activities=self._lazy("activities"),
            **small,
            **values,
        )

    def _held(self, key: str) -> list[Any]:
        if key in self.held:
            return self.held.pop(key)
        if key in REQUIRED:
            raise ValidationError(f"{self.where}: '{key}' is missing")
        return []

    def _elements(self, key: str, ready: bool) -> Iterator[tuple[int, Any]]:
        """The list's elements after their index: streamed from the file, or held.

        Called by a generator, when it starts: the file is read on only then.
        """
        if not ready and key in self.held:
            return enumerate(self.held.pop(key))
        if ready or (key not in self.seen and self._advance(key)):
            return enumerate(self.reader.values())
        if key in REQUIRED:
            raise ValidationError(f"{self.where}: '{key}' is missing")
        return enumerate(())

    def _items(self, ready: bool) -> Iterator[ItemRecord]:
        labels = self.labels
        where = f"{self.where}.items"
        version = self.document.version
        for index, obj in self._elements("items", ready):
            yield _item(obj, where, index, labels, version)

    def _lazy(self, key: str) -> Iterator[Any]:
        table = dict(PRODUCT_LISTS)[key]
        base = f"{self.where}.{key}"
        if key == "status_updates":
            for index, obj in self._elements(key, False):
                yield _status_update(obj, f"{base}[{index}]")
            return
        make = _SHAPES[table].make
        for index, obj in self._elements(key, False):
            yield make(obj, base, index)

    def finish(self) -> None:
        """Read to the end of the product object."""
        self._advance(None)
        for key in self.held:  # a list the writer had asked for before it came
            raise ValidationError(f"{self.where}: '{key}' must come before 'items'")
