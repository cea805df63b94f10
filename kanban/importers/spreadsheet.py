"""A spreadsheet saved as CSV: one row an item, the header naming the fields.

A column is mapped to a field by its header's name (any case; see :data:`FIELD_NAMES`), or
by ``--map FIELD=COLUMN``; columns mapped to no field are kept as text fields on each item.
Rows without a title are skipped and listed. Statuses become columns (the category guessed
from the name); without a status column an item is in "Done" when it has a done date, "In
Progress" when it has a start, else "To Do".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from kanban.domain import Category, ItemKind
from kanban.importers.common import guess_category, guess_kind, number, parse_day, parse_time
from kanban.importers.records import (
    ImportFileError,
    Skipped,
    SourceBoard,
    SourceColumn,
    SourceField,
    SourceItem,
)
from kanban.importers.tabular import read_table

FIELD_NAMES: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "summary", "name", "item", "story", "task"),
    "key": ("key", "id", "issue key", "ref", "reference", "ticket"),
    "type": ("type", "kind", "issue type", "item type"),
    "points": ("points", "estimate", "story points", "sp", "size", "estimation"),
    "status": ("status", "column", "state", "list", "stage"),
    "labels": ("labels", "label", "tags", "tag"),
    "assignee": ("assignee", "owner", "assigned to", "assigned"),
    "description": ("description", "desc", "details", "notes"),
    "created": ("created", "created at", "created on", "date created", "opened"),
    "started": ("started", "start", "started at", "started on", "start date"),
    "done": ("done", "resolved", "finished", "completed", "closed", "done at", "end date"),
    "due": ("due", "due date", "deadline"),
    "sprint": ("sprint", "iteration"),
    "epic": ("epic", "parent", "epic link"),
}
"""Each field and the header names that map to it, first match wins."""

_SPLIT = re.compile(r"\s*[,;|]\s*")


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("_", " ").split())


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``--map FIELD=COLUMN`` pairs as {field: column}; an unknown field is refused."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise ImportFileError(f"--map {pair!r}: write FIELD=COLUMN (e.g. title=Summary)")
        if field not in FIELD_NAMES:
            raise ImportFileError(
                f"--map {pair!r}: no field {field!r}; the fields are " + ", ".join(FIELD_NAMES)
            )
        mapping[field] = column.strip()
    return mapping


def map_header(header: list[str], given: Mapping[str, str]) -> dict[str, int]:
    """The column index of each field: ``given`` first, then by name."""
    folded = [_fold(name) for name in header]
    found: dict[str, int] = {}
    for field, column in given.items():
        if _fold(column) not in folded:
            shown = ", ".join(repr(name) for name in header if name)
            raise ImportFileError(
                f"--map {field}={column}: no column {column!r}; there are {shown}"
            )
        found[field] = folded.index(_fold(column))
    taken = set(found.values())
    for field, names in FIELD_NAMES.items():
        if field in found:
            continue
        for name in names:
            if name in folded and folded.index(name) not in taken:
                found[field] = folded.index(name)
                taken.add(found[field])
                break
    return found


def read_csv(path: Path, mapping: Mapping[str, str] | None = None) -> SourceBoard:
    """Read a spreadsheet's CSV file into a :class:`SourceBoard`.

    Raises:
        ImportFileError: No column maps to the title, a ``--map`` names no column, or a cell
            cannot be read (a date, a number); the message names the line and the column.
    """
    with read_table(path) as table:
        header = table.header
        fields = map_header(header, mapping or {})
        if "title" not in fields:
            raise ImportFileError(
                f"{path}: line 1: no column is the title (name one title, summary or name, or use "
                "--map title=COLUMN)"
            )
        mapped = set(fields.values())
        extra = [(index, name) for index, name in enumerate(header) if index not in mapped and name]
        skipped: list[Skipped] = []
        items: list[SourceItem] = []
        statuses: dict[str, None] = {}
        epics: list[tuple[int, str]] = []
        for row in table.rows:
            cells = row.cells
            line = row.line

            def cell(field: str, cells: list[str] = cells) -> str:
                index = fields.get(field)
                return cells[index].strip() if index is not None and index < len(cells) else ""

            def read(field: str, convert: Callable[[str], object], line: int = line) -> object:
                try:
                    return convert(cell(field))
                except ValueError as exc:
                    column = header[fields[field]]
                    raise ImportFileError(f'{path}: line {line}, "{column}": {exc}') from None

            title = cell("title")
            if not title:
                skipped.append(Skipped(f"line {line}", "no title"))
                continue
            created = read("created", parse_time)
            started = read("started", parse_time)
            done = read("done", parse_time)
            assert created is None or isinstance(created, dt.datetime)
            assert started is None or isinstance(started, dt.datetime)
            assert done is None or isinstance(done, dt.datetime)
            status = cell("status") or (
                "Done" if done is not None else "In Progress" if started is not None else "To Do"
            )
            statuses[status] = None
            kind_text = cell("type")
            kind = guess_kind(kind_text) if kind_text else ItemKind.STORY
            if kind is None:
                skipped.append(
                    Skipped(f'line {line}: type "{kind_text}"', "no such kind: imported as a story")
                )
                kind = ItemKind.STORY
            points = read("points", number)
            due = read("due", parse_day)
            extras = tuple(
                SourceField(name, cells[index].strip())
                for index, name in extra
                if index < len(cells) and cells[index].strip()
            )
            key = cell("key")
            if cell("epic"):
                epics.append((len(items), cell("epic")))
            items.append(
                SourceItem(
                    ref=f"line {line}",
                    title=title,
                    column=status,
                    kind=kind,
                    external_key=key or None,
                    description=cell("description"),
                    points=points if isinstance(points, float) else None,
                    labels=tuple(dict.fromkeys(x for x in _SPLIT.split(cell("labels")) if x)),
                    assignee=cell("assignee") or None,
                    created_at=created,
                    started_at=started,
                    done_at=done,
                    due_date=due if isinstance(due, dt.date) else None,
                    sprint=cell("sprint") or None,
                    fields=extras,
                    origin=f"line {line}",
                )
            )
        if not items:
            raise ImportFileError(f"{path}: no row with a title under the header")
        by_key = {item.external_key: item.ref for item in items if item.external_key}
        by_title = {item.title: item.ref for item in items if item.kind == ItemKind.EPIC}
        for index, epic in epics:
            ref = by_key.get(epic) or by_title.get(epic)
            if ref is None or ref == items[index].ref:
                skipped.append(Skipped(f"{items[index].origin}: epic {epic!r}", "not in the file"))
            else:
                items[index] = items[index]._replace(epic=ref)
        columns = []
        for name in statuses:
            category, reason = guess_category(name)
            columns.append(SourceColumn(name, name, category, reason))
        order = (Category.BACKLOG, Category.TODO, Category.DOING, Category.DONE)
        columns.sort(key=lambda column: order.index(Category(column.category)))
        unmapped = ", ".join(f'"{name}"' for _index, name in extra)
        notes = [
            "Mapped: "
            + ", ".join(f'{field} = "{header[index]}"' for field, index in sorted(fields.items()))
            + "."
        ]
        if unmapped:
            notes.append(f"Kept as text fields on each item: {unmapped}.")
        if table.encoding != "UTF-8":
            notes.append(f"The file was read as {table.encoding} (it is not UTF-8).")
        return SourceBoard(
            source="csv",
            name=path.stem,
            columns=tuple(columns),
            items=tuple(items),
            sprints=tuple(dict.fromkeys(item.sprint for item in items if item.sprint)),
            skipped=tuple(skipped),
            notes=tuple(notes),
        )
