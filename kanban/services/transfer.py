"""The whole database as one JSON document (`kanban export json`), and back (`import json`).

The document is a stable, versioned contract::

    {
      "format": "kanban", "version": 2, "exported_at": "2026-05-01T09:30:00+00:00",
      "products": [{
        "id", "key", "name", "vision", "archived", "next_number", "created_at",
        "columns":  [{"id", "name", "position", "wip_limit", "category"}],
        "labels":   [{"id", "name", "color"}],
        "sprints":  [{"id", "name", "goal", "start_date", "end_date", "state"}],
        "items":    [{"id", "key", "number", "kind", "title", "description",
                      "points", "business_value", "column_id", "rank",
                      "sprint_id", "epic_id", "assignee_id", "requested_by_id", "due_date",
                      "blocked_reason", "created_at", "updated_at", "column_since",
                      "started_at", "done_at", "archived", "version",
                      "labels": [label names],
                      "transitions": [{"id", "from_column_id", "to_column_id",
                                       "from_category", "to_category", "at"}],
                      "checklist": [{"id", "position", "text", "done", "done_at"}],
                      "comments": [{"id", "author", "at", "text", "edited_at", "deleted"}],
                      "resources": [{"id", "title", "target"}],
                      "confirmations": [{"rule_id", "at", "actor"}],
                      "links": [{"id", "target_id", "type", "created_at"}]}],
        "questions": [{"id", "item_id", "asked_by_id", "asked_at", "text", "urgency", "state",
                       "answer", "answered_by", "answered_at"}],
        "status_updates": [{"id", "created_at", "period_start", "period_end", "health",
                            "headline", "progress", "problems", "schedule_outlook",
                            "next_steps", "recipients": [stakeholder ids],
                            "snapshot": {the figures, as an object}}],
        "activities": [{"id", "item_id", "at", "actor", "action", "detail"}],
        "checklist_templates": [{"id", "kind", "position", "text"}],
        "readiness_rules": [{"id", "definition", "rule", "text", "position", "enabled"}]
      }],
      "stakeholders": [{"id", "name", "role", "organization", "contact", "notes", "archived",
                        "products": [product ids]}],
      "team_members": [{"id", "name", "role", "archived"}],
      "activities": [the audit rows that belong to no product (people added and changed)]
    }

Ids are kept, so references inside the document (``column_id``, ``assignee_id``...) are the
ids of the exported rows and an import restores the database exactly. Times are ISO 8601 in
UTC without an offset (as stored), dates ``YYYY-MM-DD``. An item's ``key`` is informative
(the product key and the number); import ignores it. An item's ``links`` are the links it is
the source of (``A blocks B`` is listed under A; B may be another product's item).

Version 1 (before checklists) is still read: an item's Markdown ``acceptance_criteria`` become
its checklist lines, as revision 0004 of the schema turned them, and the refinement lists are
absent (none).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Table,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kanban.errors import NotFoundError, ValidationError
from kanban.files import write_atomically
from kanban.services.checklists import criteria_lines
from kanban.storage.database import Database
from kanban.storage.models import (
    Activity,
    BoardColumn,
    ChecklistItem,
    ChecklistTemplate,
    Comment,
    Item,
    ItemLink,
    Label,
    Product,
    Question,
    ReadinessRule,
    ResourceLink,
    RuleConfirmation,
    Sprint,
    Stakeholder,
    StatusUpdate,
    TeamMember,
    Transition,
    item_labels,
    stakeholder_products,
    status_update_recipients,
)

FORMAT = "kanban"
VERSION = 2

# The tables nested under each product, with their key in the document.
PRODUCT_PARTS: tuple[tuple[str, type[Any]], ...] = (
    ("columns", BoardColumn),
    ("labels", Label),
    ("sprints", Sprint),
    ("items", Item),
    ("questions", Question),
    ("status_updates", StatusUpdate),
    ("activities", Activity),
    ("checklist_templates", ChecklistTemplate),
    ("readiness_rules", ReadinessRule),
)
# The tables nested under each item: key in the document, model, the column naming the item.
ITEM_PARTS: tuple[tuple[str, type[Any], str], ...] = (
    ("checklist", ChecklistItem, "item_id"),
    ("comments", Comment, "item_id"),
    ("resources", ResourceLink, "item_id"),
    ("confirmations", RuleConfirmation, "item_id"),
    ("links", ItemLink, "source_id"),
)
# What a version 1 document lacks (absent: none).
ADDED_IN_2 = frozenset({"checklist_templates", "readiness_rules"} | {k for k, _, _ in ITEM_PARTS})
# Parents before children, so that every foreign key holds as soon as its row is inserted.
INSERT_ORDER = (
    TeamMember.__table__,
    Stakeholder.__table__,
    Product.__table__,
    stakeholder_products,
    BoardColumn.__table__,
    Label.__table__,
    Sprint.__table__,
    ChecklistTemplate.__table__,
    ReadinessRule.__table__,
    Item.__table__,
    item_labels,
    Transition.__table__,
    ChecklistItem.__table__,
    Comment.__table__,
    ResourceLink.__table__,
    ItemLink.__table__,
    RuleConfirmation.__table__,
    Question.__table__,
    StatusUpdate.__table__,
    status_update_recipients,
    Activity.__table__,
)


# --- values ----------------------------------------------------------------------------------


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _row(
    table: Table, row: Mapping[str, Any], skip: Iterable[str] = ("product_id",)
) -> dict[str, Any]:
    """A table row as a document object: JSON-ready values, ``skip`` left out."""
    return {c.key: _to_json(row[c.key]) for c in table.columns if c.key not in skip}


def _from_json(table: Table, name: str, value: Any, where: str) -> Any:
    """A document value checked and converted for ``table.name``; ValidationError if wrong."""
    column = table.columns[name]
    if value is None:
        if not column.nullable:
            raise ValidationError(f"{where}: '{name}' must not be null")
        return None
    kind = column.type
    try:
        if isinstance(kind, DateTime):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is not None:  # stored as naive UTC
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            return moment
        if isinstance(kind, Date):
            return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{where}: '{name}' is not an ISO 8601 date: {value!r}") from None
    if isinstance(kind, Boolean):
        ok = isinstance(value, bool)
    elif isinstance(kind, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(kind, Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ValidationError(
            f"{where}: '{name}' has the wrong type ({type(value).__name__}: {value!r})"
        )
    return value


def _columns_from(
    table: Table, obj: Any, where: str, implied: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """One table row from a document object: every column present and of the right type."""
    if not isinstance(obj, dict):
        raise ValidationError(f"{where} must be an object, not {type(obj).__name__}")
    row = dict(implied or {})
    for column in table.columns:
        if column.key in row:
            continue
        if column.key not in obj:
            raise ValidationError(f"{where}: '{column.key}' is missing")
        row[column.key] = _from_json(table, column.key, obj[column.key], where)
    return row


def _list(obj: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if not isinstance(value, list):
        shown = "missing" if value is None else f"a {type(value).__name__}, not a list"
        raise ValidationError(f"{where}: '{key}' is {shown}")
    return value


# --- export ----------------------------------------------------------------------------------


def export_data(db: Database) -> dict[str, Any]:
    """Everything in the database as one JSON-ready document (see the module docstring)."""
    with db.read() as session:
        products = _rows(session, Product.__table__)
        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "products": [_export_product(session, p) for p in products],
            "stakeholders": _export_stakeholders(session),
            "team_members": [
                _row(TeamMember.__table__, m) for m in _rows(session, TeamMember.__table__)
            ],
            "activities": [
                _row(Activity.__table__, a)
                for a in _rows(session, Activity.__table__, Activity.product_id.is_(None))
            ],
        }


def _rows(session: Session, table: Table, *where: Any) -> list[Mapping[str, Any]]:
    """A table's rows (plain column reads, no ORM objects), by id."""
    query = select(table).where(*where).order_by(*table.primary_key.columns)
    return list(session.execute(query).mappings())


def _export_product(session: Session, product: Mapping[str, Any]) -> dict[str, Any]:
    product_id = product["id"]
    data = _row(Product.__table__, product, skip=())
    labels_of: dict[int, list[str]] = defaultdict(list)
    for item_id, name in session.execute(
        select(item_labels.c.item_id, Label.name)
        .join(Label, Label.id == item_labels.c.label_id)
        .where(Label.product_id == product_id)
        .order_by(item_labels.c.item_id, Label.name)
    ):
        labels_of[item_id].append(name)
    transitions_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    moves = Transition.__table__
    item_ids = select(Item.id).where(Item.product_id == product_id)
    for move in _rows(session, moves, moves.c.item_id.in_(item_ids)):
        transitions_of[move["item_id"]].append(_row(moves, move, skip=("item_id",)))
    parts_of: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for part, model, owner in ITEM_PARTS:
        table = model.__table__
        parts_of[part] = defaultdict(list)
        for each in _rows(session, table, table.c[owner].in_(item_ids)):
            parts_of[part][each[owner]].append(_row(table, each, skip=(owner,)))
    recipients_of: dict[int, list[int]] = defaultdict(list)
    for update_id, stakeholder_id in session.execute(
        select(status_update_recipients)
        .join(StatusUpdate, StatusUpdate.id == status_update_recipients.c.status_update_id)
        .where(StatusUpdate.product_id == product_id)
        .order_by(*status_update_recipients.c)
    ):
        recipients_of[update_id].append(stakeholder_id)
    for key, model in PRODUCT_PARTS:
        table = model.__table__
        rows = []
        for each in _rows(session, table, table.c.product_id == product_id):
            row = _row(table, each)
            if model is Item:
                row["key"] = f"{product['key']}-{each['number']}"
                row["labels"] = labels_of[each["id"]]
                row["transitions"] = transitions_of[each["id"]]
                for part, _model, _owner in ITEM_PARTS:
                    row[part] = parts_of[part][each["id"]]
            elif model is StatusUpdate:
                row["recipients"] = recipients_of[each["id"]]
                row["snapshot"] = json.loads(each["snapshot"] or "{}")
            rows.append(row)
        data[key] = rows
    return data


def _export_stakeholders(session: Session) -> list[dict[str, Any]]:
    follows: dict[int, list[int]] = defaultdict(list)
    for stakeholder_id, product_id in session.execute(
        select(stakeholder_products).order_by(*stakeholder_products.c)
    ):
        follows[stakeholder_id].append(product_id)
    people = []
    for person in _rows(session, Stakeholder.__table__):
        row = _row(Stakeholder.__table__, person)
        row["products"] = follows[person["id"]]
        people.append(row)
    return people


def write_export(db: Database, path: Path) -> dict[str, Any]:
    """Export the database to a JSON file, atomically; return the document written.

    The document goes to a temporary file in the same folder, which then replaces ``path``,
    so a crash or a full disk never leaves a half-written export behind.
    """
    data = export_data(db)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomically(Path(path), text.encode("utf-8"))
    return data


# --- import ----------------------------------------------------------------------------------


def read_export(path: Path) -> dict[str, Any]:
    """Read an export file: NotFoundError if missing, ValidationError if not JSON."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValidationError(f"{path}: is a folder, not an export file") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path}: is not a kanban export (not UTF-8 text)") from None
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{path}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise ValidationError(f"{path}: is not a kanban export (no top-level object)")
    return data


def check_export(data: Any) -> None:
    """Check that a document is an export this version can import, without writing anything.

    Raises:
        ValidationError: Naming what is wrong (not an export, a newer version, a missing or
            mistyped field and where it is).
    """
    _check_header(data)
    _collect_rows(data)


def load_export(path: Path) -> dict[str, Any]:
    """Read and check an export file; errors name the file."""
    data = read_export(path)
    try:
        check_export(data)
    except ValidationError as exc:
        raise ValidationError(f"{path}: {exc}") from None
    return data


def import_file(db: Database, path: Path) -> dict[str, Any]:
    """Restore an export file into an empty database; return the document read."""
    data = load_export(path)
    import_data(db, data)
    return data


def import_data(db: Database, data: dict[str, Any]) -> None:
    """Restore an exported document into an empty database, in one transaction.

    Raises:
        ValidationError: The document is not a kanban export, is from a newer version, is
            malformed or inconsistent, or the database already holds data. Nothing is written.
    """
    _check_header(data)
    rows = _collect_rows(data)
    with db.write() as session:
        for model in (Product, TeamMember, Stakeholder):
            if session.scalar(select(func.count()).select_from(model)):
                raise ValidationError(
                    f"{db.path or db.url} is not empty; import into a new database file "
                    "(for example --db new.db)"
                )
        try:
            _insert(session, rows)
            session.flush()
        except IntegrityError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig else "a constraint failed"
            raise ValidationError(f"the document's data is inconsistent ({reason})") from None


def _check_header(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError('not a kanban export (no "format": "kanban")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError(f"unknown export version {version!r}")
    if version > VERSION:
        raise ValidationError(
            f"the export is format version {version}, from a newer kanban; this version "
            f"reads up to version {VERSION}. Update the app to import it."
        )


class _Rows:
    """The rows to insert, by table, and the items' epic links (set once all items exist)."""

    def __init__(self) -> None:
        self.tables: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        self.epics: list[dict[str, Any]] = []
        self.criteria: list[dict[str, Any]] = []  # a version 1 document's, given no ids

    def add(self, model: Any, obj: Any, where: str, **implied: Any) -> dict[str, Any]:
        row = _columns_from(model.__table__, obj, where, implied)
        self.tables[model.__table__].append(row)
        return row


def _collect_rows(data: dict[str, Any]) -> _Rows:
    """Every row to insert, checked against the schema (nothing is written)."""
    rows = _Rows()

    for index, obj in enumerate(_list(data, "team_members", "the export")):
        rows.add(TeamMember, obj, f"team_members[{index}]")
    for index, obj in enumerate(_list(data, "stakeholders", "the export")):
        where = f"stakeholders[{index}]"
        person = rows.add(Stakeholder, obj, where)
        rows.tables[stakeholder_products].extend(
            {"stakeholder_id": person["id"], "product_id": product_id}
            for product_id in _ids(obj, "products", where)
        )
    for index, obj in enumerate(_list(data, "activities", "the export")):
        rows.add(Activity, obj, f"activities[{index}]", product_id=None)
    for index, obj in enumerate(_list(data, "products", "the export")):
        where = f"products[{index}]"
        product = rows.add(Product, obj, where)
        _collect_product(rows, obj, where, product["id"], data["version"])
    return rows


def _collect_product(
    rows: _Rows, data: dict[str, Any], where: str, product_id: int, version: int
) -> None:
    label_ids: dict[str, Any] = {}
    for key, model in PRODUCT_PARTS:
        for index, obj in enumerate(_parts(data, key, where, version)):
            at = f"{where}.{key}[{index}]"
            implied: dict[str, Any] = {"product_id": product_id}
            if model is Item:
                implied["epic_id"] = None  # set once every item exists (a self-reference)
            elif model is StatusUpdate and isinstance(obj, dict):
                if not isinstance(obj.get("snapshot"), dict):
                    raise ValidationError(f"{at}: 'snapshot' must be an object")
                implied["snapshot"] = json.dumps(obj["snapshot"], default=str, sort_keys=True)
            row = rows.add(model, obj, at, **implied)
            if model is Label:
                label_ids[row["name"]] = row["id"]
            elif model is Item:
                _collect_item(rows, obj, at, row, label_ids, version)
            elif model is StatusUpdate:
                rows.tables[status_update_recipients].extend(
                    {"status_update_id": row["id"], "stakeholder_id": s}
                    for s in _ids(obj, "recipients", at)
                )


def _parts(obj: Mapping[str, Any], key: str, where: str, version: int) -> list[Any]:
    """A list of the document, which a version 1 document may lack."""
    if version < 2 and key in ADDED_IN_2 and key not in obj:
        return []
    return _list(obj, key, where)


def _collect_item(
    rows: _Rows,
    obj: dict[str, Any],
    where: str,
    row: dict[str, Any],
    label_ids: dict[str, Any],
    version: int,
) -> None:
    epic_id = obj.get("epic_id")
    if epic_id is not None:
        rows.epics.append(
            {"id": row["id"], "epic_id": _from_json(Item.__table__, "epic_id", epic_id, where)}
        )
    for name in _list(obj, "labels", where):
        if name not in label_ids:
            raise ValidationError(f"{where}: label {name!r} is not among the product's labels")
        rows.tables[item_labels].append({"item_id": row["id"], "label_id": label_ids[name]})
    for index, move in enumerate(_list(obj, "transitions", where)):
        rows.add(Transition, move, f"{where}.transitions[{index}]", item_id=row["id"])
    for part, model, owner in ITEM_PARTS:
        for index, each in enumerate(_parts(obj, part, where, version)):
            rows.add(model, each, f"{where}.{part}[{index}]", **{owner: row["id"]})
    if version < 2:
        _collect_criteria(rows, obj, where, row)


def _collect_criteria(rows: _Rows, obj: dict[str, Any], where: str, row: dict[str, Any]) -> None:
    """A version 1 item's Markdown acceptance criteria, as checklist lines."""
    criteria = obj.get("acceptance_criteria", "")
    if not isinstance(criteria, str):
        raise ValidationError(f"{where}: 'acceptance_criteria' must be text")
    for position, (line, done) in enumerate(criteria_lines(criteria)):
        rows.criteria.append(
            {"item_id": row["id"], "position": position, "text": line, "done": done,
             "done_at": row["updated_at"] if done else None}
        )  # fmt: skip


def _ids(obj: dict[str, Any], key: str, where: str) -> list[int]:
    ids = _list(obj, key, where)
    for value in ids:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(f"{where}: '{key}' must hold ids (integers), not {value!r}")
    return ids


def _insert(session: Session, rows: _Rows) -> None:
    for table in INSERT_ORDER:
        if rows.tables[table]:
            session.execute(table.insert(), rows.tables[table])
    if rows.criteria:
        session.execute(ChecklistItem.__table__.insert(), rows.criteria)
    items = Item.__table__
    if rows.epics:
        session.execute(
            items.update().where(items.c.id == bindparam("item")).values(epic_id=bindparam("epic")),
            [{"item": link["id"], "epic": link["epic_id"]} for link in rows.epics],
        )
    if session.get_bind().dialect.name == "postgresql":
        # Explicit ids leave PostgreSQL's sequences behind; move them past the imported ids.
        for table in INSERT_ORDER:
            if "id" in table.c and rows.tables[table]:
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"
                    )
                )
