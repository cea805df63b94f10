"""Importing a Trello board, a Jira export or a spreadsheet: preview, then one transaction.

:func:`read_import` parses the file (:mod:`kanban.importers`, no database) and fingerprints
it; :func:`preview_import` says what an import would create, what it cannot map and why, and
what was imported before, without writing; :func:`run_import` turns the records into the bulk
writer's (:mod:`kanban.services.bulk`) and writes them in one transaction, logged in the
``imports`` table. Nothing is written when anything is refused or cancelled.

**History.** A Trello card's moves are its recorded ones. A Jira issue or a spreadsheet row
has none: it enters a column of the board's first 'to do' (else 'backlog') category at its
creation, its own 'in progress' column (or the first one) at its start, its 'done' column at
its end; a start or end before the creation (or an end before the start) is not written and
is listed, so the figures never count the impossible. ``started_at`` and ``done_at`` follow
the moves as the services keep them (first entry into 'doing' or 'done'; the entry into the
'done' column the item is in).

**Duplicates.** An import into a product (``into``) skips the items whose external key (Trello
short link, Jira issue key, a spreadsheet's key column) the product already holds. A file
imported before (same SHA-256) as a new product is refused unless ``again``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kanban.domain import Category, is_started, plural
from kanban.errors import ValidationError
from kanban.importers import read_source
from kanban.importers.records import Skipped, SourceBoard, SourceItem, SourceMove
from kanban.services.bulk import (
    ChecklistLineRecord,
    ColumnRecord,
    CommentRecord,
    ImportBatch,
    ImportSource,
    ItemFieldRecord,
    ItemRecord,
    LabelRecord,
    MemberRecord,
    ProductRecord,
    SprintRecord,
    StakeholderRecord,
    TransitionRecord,
    known_external_keys,
    previous_imports,
    write_batch,
)
from kanban.services.products import get_product, list_columns, list_products
from kanban.services.records import ProductInfo
from kanban.storage.database import Database

TITLE_LENGTH = 500
COLUMN_NAME_LENGTH = 100
LABEL_NAME_LENGTH = 100
NAME_LENGTH = 200
FIELD_NAME_LENGTH = 200

Progress = Callable[[int, int], None]
"""Told (rows written, rows to write) as the import goes; may raise
:class:`kanban.errors.CancelledError` to stop it (nothing is then written)."""


class DuplicateImportError(ValidationError):
    """The same file was imported before; importing it again needs ``again``."""


class ImportFile(NamedTuple):
    """A parsed file and its fingerprint."""

    board: SourceBoard
    path: Path
    sha256: str


@dataclass(frozen=True, slots=True)
class ColumnPreview:
    ref: str
    name: str
    category: str
    reason: str
    items: int
    archived: bool


@dataclass(frozen=True, slots=True)
class PreviousImport:
    at: dt.datetime
    product: str | None
    """The key of the product it made or went into (None: deleted since)."""


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What :func:`run_import` would create, read without writing."""

    source: str
    file_name: str
    product: str
    """The name of the product created, or of the product imported into."""
    key: str
    into: bool
    columns: tuple[ColumnPreview, ...]
    items: int
    archived: int
    transitions: int
    comments: int
    criteria: int
    people: tuple[str, ...]
    labels: tuple[str, ...]
    sprints: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]
    history_from: dt.datetime | None
    previous: tuple[PreviousImport, ...]
    """Earlier imports of the same file, newest first."""
    existing: int
    """Items of the file already in the product imported into (skipped)."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    product: ProductInfo
    items: int
    transitions: int
    comments: int
    skipped: tuple[Skipped, ...]
    existing: int


def read_import(
    source: str,
    path: Path,
    mapping: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportFile:
    """Parse a file of ``source`` (``trello``, ``jira``, ``csv``) and fingerprint it; touches
    no database."""
    board = read_source(source, path, mapping, progress)
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            digest.update(block)
    return ImportFile(board, path, digest.hexdigest())


# --- the plan: what the file becomes ---------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key_for(name: str, own: str, taken: set[str]) -> str:
    """The source's own key (a Jira project's) if valid, else the name's initials (one word:
    its first letters); ``2``, ``3``... added while the key is taken."""
    if re.fullmatch(r"[A-Z][A-Z0-9]{0,9}", own):
        base = own
    else:
        words = re.findall(r"[A-Za-z][A-Za-z0-9]*", name)
        if len(words) > 1:
            base = "".join(word[0] for word in words)[:6]
        else:
            base = (words[0] if words else "IMP")[:4]
        base = base.upper()
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base[: 10 - len(str(number))]}{number}"
    return key


class _Plan:
    """The records of one import, worked out once for the preview and the write."""

    def __init__(
        self,
        board: SourceBoard,
        categories: Mapping[str, str],
        existing_keys: frozenset[str],
        existing_columns: Mapping[str, str],
    ) -> None:
        self.board = board
        self.skipped: list[Skipped] = list(board.skipped)
        self.category = {
            column.ref: categories.get(column.ref, column.category) for column in board.columns
        }
        for category in self.category.values():
            if category not in tuple(Category):
                raise ValidationError(f"no column category {category!r}")
        # Column names: cut to fit, unique without case (Trello allows two lists "Done").
        self.names: dict[str, str] = {}
        seen: set[str] = set()
        for column in board.columns:
            name = _cut(column.name.strip() or "Untitled", COLUMN_NAME_LENGTH)
            base, number = name, 1
            while name.casefold() in seen:
                number += 1
                name = f"{_cut(base, COLUMN_NAME_LENGTH - 5)} ({number})"
            seen.add(name.casefold())
            self.names[column.ref] = name
        # An existing column of that name keeps its own category (the writer matches names).
        for ref, name in self.names.items():
            kept = existing_columns.get(name.casefold())
            if kept is not None:
                self.category[ref] = kept
        self.first = {
            category: next(
                (column.ref for column in board.columns if self.category[column.ref] == category),
                None,
            )
            for category in Category
        }
        self.items = [item for item in board.items if item.external_key not in existing_keys]
        self.existing = len(board.items) - len(self.items)
        self.counts: Counter[str] = Counter(item.column for item in self.items)
        self.moves = 0

    def prepare(self) -> list[tuple[tuple[TransitionRecord, ...], ItemTimes]]:
        """Every item's moves and times, worked out once; ``skipped`` is complete after it
        (the titles to cut, the impossible moves left out)."""
        histories = [self.transitions(item) for item in self.items]
        for item in self.items:
            if len(" ".join(item.title.split())) > TITLE_LENGTH:
                why = f"cut to {TITLE_LENGTH} characters"
                self.skipped.append(Skipped(f"{item.origin}: title", why))
        return histories

    def start_column(self, item: SourceItem) -> str:
        if self.category[item.column] in (Category.BACKLOG, Category.TODO):
            return item.column
        return self.first[Category.TODO] or self.first[Category.BACKLOG] or item.column

    def history(self, item: SourceItem) -> tuple[list[SourceMove], dt.datetime]:
        """The item's moves in time order, and its creation time."""
        created = item.created_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if item.moves:
            moves = sorted(item.moves, key=lambda move: move.at)
            return moves, min(created, moves[0].at)
        category = self.category[item.column]
        moves = [SourceMove(created, self.start_column(item))]
        started, done = item.started_at, item.done_at
        if started is not None and started < created:
            self.skipped.append(Skipped(f"{item.origin}: start", "before its creation"))
            started = None
        if category == Category.DONE and done is not None and done < created:
            self.skipped.append(
                Skipped(f"{item.origin}: end", "before its creation: no move into 'done'")
            )
            done = None
        elif category == Category.DONE and done is None:
            self.skipped.append(Skipped(f"{item.origin}: end", "no date: no move into 'done'"))
        if started is not None and done is not None and done < started:
            self.skipped.append(Skipped(f"{item.origin}: start", "after its end"))
            started = None
        if started is not None and is_started(category):
            doing = item.column if category == Category.DOING else self.first[Category.DOING]
            if doing is not None:
                moves.append(SourceMove(started, doing))
        if category == Category.DONE and done is not None:
            moves.append(SourceMove(done, item.column))
        elif category == Category.DOING and (started is None or moves[-1].column != item.column):
            moves[0] = SourceMove(created, item.column)
            del moves[1:]
        return moves, created

    def transitions(self, item: SourceItem) -> tuple[tuple[TransitionRecord, ...], ItemTimes]:
        moves, created = self.history(item)
        records: list[TransitionRecord] = []
        before: str | None = None
        started: dt.datetime | None = None
        done: dt.datetime | None = None
        for move in moves:
            if move.column == before:
                continue
            category = self.category[move.column]
            from_category = None if before is None else self.category[before]
            records.append(TransitionRecord(move.at, move.column, category, before, from_category))
            if started is None and is_started(category):
                started = move.at
            done = move.at if category == Category.DONE and done is None else done
            if category != Category.DONE:
                done = None
            before = move.column
        self.moves += len(records)
        return tuple(records), ItemTimes(created, started, done)


class ItemTimes(NamedTuple):
    created: dt.datetime
    started: dt.datetime | None
    done: dt.datetime | None


def _existing(
    db: Database, into: str | int | None
) -> tuple[str, str, frozenset[str], dict[str, str]]:
    """The product imported into: (key, name, its external keys, column categories by name)."""
    if into is None:
        return "", "", frozenset(), {}
    product = get_product(db, into)
    columns = {column.name.casefold(): column.category for column in list_columns(db, product.id)}
    return product.key, product.name, known_external_keys(db, product.id), columns


def _previous(db: Database, sha256: str) -> tuple[PreviousImport, ...]:
    keys = {product.id: product.key for product in list_products(db, include_archived=True)}
    return tuple(
        PreviousImport(found.at, keys.get(found.product_id) if found.product_id else None)
        for found in previous_imports(db, sha256)
    )


def _taken(db: Database) -> tuple[set[str], set[str]]:
    """The product keys, and the product names in lower case, already in the database."""
    known = list_products(db, include_archived=True)
    return {product.key for product in known}, {product.name.casefold() for product in known}


def _new_product(db: Database, board: SourceBoard, key: str | None) -> tuple[str, str]:
    """A key and a name for a new product that no product has yet (``Web shop (2)``)."""
    keys, names = _taken(db)
    name = board.name
    base = _cut(" ".join(name.split()) or "Imported", NAME_LENGTH - 5)
    unique, number = base, 1
    while unique.casefold() in names:
        number += 1
        unique = f"{base} ({number})"
    return key or _key_for(base, board.key.upper(), keys), unique


def preview_import(
    db: Database,
    file: ImportFile,
    into: str | int | None = None,
    categories: Mapping[str, str] | None = None,
    key: str | None = None,
) -> ImportPreview:
    """What :func:`run_import` with the same arguments would create; writes nothing.

    ``categories`` corrects the guessed category of columns (by :class:`ColumnPreview` ref).
    """
    board = file.board
    into_key, into_name, keys, columns = _existing(db, into)
    plan = _Plan(board, categories or {}, keys, columns)
    archived = comments = criteria = 0
    people: dict[str, None] = {}
    labels: dict[str, None] = {}
    plan.prepare()
    for item in plan.items:
        archived += item.archived
        comments += len(item.comments)
        criteria += len(item.checklist)
        for person in (item.assignee, item.reporter):
            if person:
                people[person] = None
        labels.update(dict.fromkeys(item.labels))
    if into is None:
        into_key, into_name = _new_product(db, board, key)
    return ImportPreview(
        source=board.source,
        file_name=file.path.name,
        product=into_name,
        key=into_key,
        into=into is not None,
        columns=tuple(
            ColumnPreview(
                column.ref,
                plan.names[column.ref],
                plan.category[column.ref],
                column.reason,
                plan.counts[column.ref],
                column.archived,
            )
            for column in board.columns
        ),
        items=len(plan.items),
        archived=archived,
        transitions=plan.moves,
        comments=comments,
        criteria=criteria,
        people=tuple(sorted(people, key=str.casefold)),
        labels=tuple(sorted(labels, key=str.casefold)),
        sprints=board.sprints,
        skipped=tuple(plan.skipped),
        notes=board.notes,
        history_from=board.history_from,
        previous=_previous(db, file.sha256),
        existing=plan.existing,
    )


def run_import(
    db: Database,
    file: ImportFile,
    *,
    into: str | int | None = None,
    categories: Mapping[str, str] | None = None,
    key: str | None = None,
    again: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Write what the file holds in one transaction: a new product, or into ``into``.

    Raises:
        DuplicateImportError: The file was imported before as a product, and not ``again``.
        ValidationError: A record breaks a rule (the message names the item's place in the
            file); nothing is written.
        CancelledError: ``progress`` cancelled; nothing is written.
    """
    board = file.board
    if into is None and not again:
        previous = _previous(db, file.sha256)
        if previous:
            last = previous[0]
            made = f" as product {last.product}" if last.product else ""
            raise DuplicateImportError(
                f"{file.path.name} was imported on {last.at:%Y-%m-%d %H:%M}{made}; import it "
                "into that product to add only what is new, or again to make a second copy"
            )
    into_key, into_name, keys, columns = _existing(db, into)
    plan = _Plan(board, categories or {}, frozenset() if again else keys, columns)
    histories = plan.prepare()
    people: dict[str, None] = {}
    stakeholders: dict[str, None] = {}
    for item in plan.items:
        if item.assignee:
            people[_cut(item.assignee, NAME_LENGTH)] = None
        if item.reporter:
            stakeholders[_cut(item.reporter, NAME_LENGTH)] = None
    label_names = dict.fromkeys(label for item in plan.items for label in item.labels)
    colors = dict(board.label_colors)
    product_key, product_name = into_key, into_name
    if into is None:
        product_key, product_name = _new_product(db, board, key)
    # The rows the writer will report (an item, its moves, labels, comments, lines, fields).
    total = max(1, sum(_rows(item) for item in plan.items))

    def told(rows: int) -> None:
        if progress is not None:
            progress(min(rows, total), total)

    product = ProductRecord(
        ref="product",
        key=product_key,
        name=product_name,
        columns=tuple(
            ColumnRecord(
                ref=column.ref, name=plan.names[column.ref], category=plan.category[column.ref]
            )
            for column in board.columns
        ),
        labels=tuple(
            LabelRecord(
                ref=name, name=_cut(name, LABEL_NAME_LENGTH), color=colors.get(name) or "#808080"
            )
            for name in label_names
        ),
        sprints=tuple(
            SprintRecord(ref=name, name=_cut(name, NAME_LENGTH)) for name in board.sprints
        ),
        items=_items(plan, histories),
    )
    batch = ImportBatch(
        members=[MemberRecord(ref=name, name=name) for name in people],
        stakeholders=[StakeholderRecord(ref=name, name=name) for name in stakeholders],
        products=[product],
    )
    summary = write_batch(
        db,
        batch,
        into=into,
        source=ImportSource(
            board.source,
            file.path.name,
            file.sha256,
            tuple(f"{entry.what}: {entry.why}" for entry in plan.skipped),
        ),
        progress=told if progress is not None else None,
    )
    if progress is not None:
        progress(total, total)
    return ImportResult(
        product=summary.products[0],
        items=summary.count("items"),
        transitions=summary.count("transitions"),
        comments=summary.count("comments"),
        skipped=tuple(plan.skipped),
        existing=plan.existing,
    )


def _rows(item: SourceItem) -> int:
    parts = (item.labels, item.comments, item.checklist, item.fields)
    return 1 + (len(item.moves) or 2) + sum(len(part) for part in parts)


def _items(
    plan: _Plan, histories: list[tuple[tuple[TransitionRecord, ...], ItemTimes]]
) -> Iterator[ItemRecord]:
    refs = {item.ref for item in plan.items}
    for item, (transitions, times) in zip(plan.items, histories, strict=True):
        title = " ".join(item.title.split()) or "Untitled"
        description = item.description
        if len(title) > TITLE_LENGTH:
            description = f"{title}\n\n{description}".strip()
            title = _cut(title, TITLE_LENGTH)
        yield ItemRecord(
            ref=item.ref,
            title=title,
            column_id=item.column,
            kind=item.kind,
            description=description,
            points=item.points,
            sprint_id=item.sprint,
            epic_id=item.epic if item.epic in refs else None,
            assignee_id=_cut(item.assignee, NAME_LENGTH) if item.assignee else None,
            requested_by_id=_cut(item.reporter, NAME_LENGTH) if item.reporter else None,
            due_date=item.due_date,
            created_at=times.created,
            updated_at=max(
                item.updated_at or times.created,
                transitions[-1].at if transitions else times.created,
            ),
            started_at=times.started,
            done_at=times.done,
            archived=item.archived,
            external_key=_cut(item.external_key, 100) if item.external_key else None,
            labels=tuple(item.labels),
            transitions=transitions,
            comments=tuple(
                CommentRecord(comment.text, comment.at, _cut(comment.author, NAME_LENGTH))
                for comment in item.comments
            ),
            checklist=tuple(
                ChecklistLineRecord(check.text, check.done) for check in item.checklist
            ),
            fields=_fields(item),
            origin=item.origin,
        )


def _fields(item: SourceItem) -> tuple[ItemFieldRecord, ...]:
    seen: dict[str, str] = {}
    for field in item.fields:
        name = _cut(field.name.strip() or "Field", FIELD_NAME_LENGTH)
        seen[name] = f"{seen[name]}, {field.value}" if name in seen else field.value
    return tuple(ItemFieldRecord(name, value) for name, value in seen.items())


def describe(preview: ImportPreview) -> Sequence[str]:
    """The preview as lines of text (the command line's ``--dry-run``)."""
    where = (
        f"into {preview.key} ({preview.product})"
        if preview.into
        else (f"as a new product {preview.key} ({preview.product})")
    )
    lines = [
        f"{preview.file_name}: {plural(preview.items, 'item')} {where}, "
        f"{plural(preview.transitions, 'move')}, {plural(preview.comments, 'comment')}, "
        f"{plural(preview.criteria, 'acceptance criterion', 'acceptance criteria')}",
        "Columns:",
    ]
    for column in preview.columns:
        closed = ", closed" if column.archived else ""
        lines.append(
            f"  {column.name}: {column.category} ({column.reason}{closed}), "
            f"{plural(column.items, 'item')}"
        )
    if preview.people:
        lines.append("People: " + ", ".join(preview.people))
    if preview.labels:
        lines.append("Labels: " + ", ".join(preview.labels))
    if preview.sprints:
        lines.append("Sprints: " + ", ".join(preview.sprints))
    if preview.existing:
        lines.append(f"Already in {preview.key}, skipped: {plural(preview.existing, 'item')}")
    for previous in preview.previous:
        made = f" ({previous.product})" if previous.product else ""
        lines.append(f"Imported before on {previous.at:%Y-%m-%d %H:%M}{made}")
    lines.extend(preview.notes)
    if preview.skipped:
        lines.append(f"Not imported ({len(preview.skipped):,}):")
        lines.extend(f"  {entry.what}: {entry.why}" for entry in preview.skipped)
    return lines
