"""Jira's exports: the CSV of an issue search (all fields) and its XML (RSS) view.

The CSV repeats a column for each value of a multi-valued field (``Labels``, ``Sprint``,
``Comment``, ``Watchers``...); custom fields are ``Custom field (Story Points)``; a comment
cell is ``12/Mar/24 3:15 PM;author;text``. The XML is one ``<item>`` per issue under
``<rss><channel>``, its description and comments HTML written as escaped text, its custom
fields ``<customfield><customfieldname>`` with ``<customfieldvalue>`` s. Both are read
issue by issue. Neither holds the status history: an item gets a move at its creation and one
at its resolution (see :mod:`kanban.services.importing`).

What becomes what: statuses are columns, their category from Jira's status category (the
``Status Category`` column, ``<statusCategory key=...>``), else guessed from the name; the
issue key is the item's external key; the order is the ``Rank`` field's LexoRank text
(``0|i0001r:``), sorted as text; epics are items of kind epic, and ``Epic Link`` or a parent
that is an epic makes the child's epic.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from kanban.domain import Category, ItemKind
from kanban.importers.common import (
    ESTIMATE_NAMES,
    check_size,
    guess_category,
    guess_kind,
    html_text,
    jira_category,
    number,
    parse_day,
    parse_time,
)
from kanban.importers.records import (
    ImportFileError,
    Skipped,
    SourceBoard,
    SourceColumn,
    SourceComment,
    SourceField,
    SourceItem,
)
from kanban.importers.tabular import read_table

_CUSTOM = re.compile(r"^Custom field \((.+)\)$")
_SPRINT_OBJECT = re.compile(r"\[.*\bname=([^,\]]+)")  # old server XML: Sprint@1a2b[id=1,name=X]
# Fields kept as text on the item (the rest of Jira's columns has no meaning here).
_KEPT = (
    "Priority",
    "Resolution",
    "Component/s",
    "Fix Version/s",
    "Affects Version/s",
    "Environment",
    "Watchers",
)
_ORDER = (Category.BACKLOG, Category.TODO, Category.DOING, Category.DONE)


class _Issue(NamedTuple):
    """An issue as read, before the board is put together."""

    item: SourceItem
    status: str
    status_category: str
    rank: str
    issue_id: str
    parent: str
    epic_link: str
    sprints: tuple[str, ...]
    project: str
    project_key: str


def read_jira(path: Path) -> SourceBoard:
    """Read a Jira CSV or XML export (by its content: XML starts with ``<``).

    Raises:
        ImportFileError: The file is not a Jira export or a value in it cannot be read; the
            message names the line (CSV) or issue (XML) and the field.
    """
    check_size(path)
    with path.open("rb") as raw:
        head = raw.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _board(path, list(_xml_issues(path)), "XML")
    return _board(path, list(_csv_issues(path)), "CSV")


# --- CSV -------------------------------------------------------------------------------------


def _comment(cell: str) -> SourceComment | None:
    """``12/Mar/24 3:15 PM;author;text`` (the text may hold more semicolons)."""
    parts = cell.split(";", 2)
    if len(parts) == 3:
        try:
            at = parse_time(parts[0])
        except ValueError:
            at = None
        if at is not None:
            text = html.unescape(parts[2]).strip()
            return SourceComment(text, at, parts[1].strip()) if text else None
    return None


def _csv_issues(path: Path) -> Iterator[_Issue]:
    with read_table(path) as table:
        header = table.header
        where_of: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            where_of.setdefault(name, []).append(index)
        for needed in ("Summary", "Issue key", "Status"):
            if needed not in where_of:
                raise ImportFileError(
                    f'{path}: line 1: no "{needed}" column: not a Jira CSV export '
                    "(export the search with all fields)"
                )
        custom = {
            index: found.group(1)
            for index, name in enumerate(header)
            if (found := _CUSTOM.match(name)) is not None
        }
        for row in table.rows:
            cells = row.cells
            line = row.line

            def one(name: str, cells: list[str] = cells) -> str:
                for index in where_of.get(name, ()):
                    if index < len(cells) and cells[index].strip():
                        return cells[index].strip()
                return ""

            def every(name: str, cells: list[str] = cells) -> list[str]:
                return [
                    cells[index].strip()
                    for index in where_of.get(name, ())
                    if index < len(cells) and cells[index].strip()
                ]

            def moment(name: str, line: int = line) -> dt.datetime | None:
                try:
                    return parse_time(one(name))
                except ValueError as exc:
                    raise ImportFileError(f'{path}: line {line}, "{name}": {exc}') from None

            key = one("Issue key")
            if not key:
                raise ImportFileError(f'{path}: line {line}: the "Issue key" is empty')
            fields: list[SourceField] = []
            points: float | None = None
            rank = epic_link = ""
            for index, name in custom.items():
                value = cells[index].strip() if index < len(cells) else ""
                if not value:
                    continue
                if ESTIMATE_NAMES.match(name):
                    try:
                        points = number(value)
                    except ValueError:
                        raise ImportFileError(
                            f'{path}: line {line}, "Custom field ({name})": '
                            f"{value!r} is not a number"
                        ) from None
                elif name == "Rank":
                    rank = value
                elif name == "Epic Link":
                    epic_link = value
                elif name not in ("Sprint", "Epic Name", "Epic Status", "Epic Colour"):
                    fields.append(SourceField(name, value))
            for name in _KEPT:
                values = every(name)
                if values:
                    fields.append(SourceField(name, ", ".join(values)))
            comments = tuple(
                comment for cell in every("Comment") if (comment := _comment(cell)) is not None
            )
            try:
                due = parse_day(one("Due Date") or one("Due date"))
            except ValueError as exc:
                raise ImportFileError(f'{path}: line {line}, "Due Date": {exc}') from None
            kind_name = one("Issue Type")
            item = SourceItem(
                ref=key,
                title=html.unescape(one("Summary")),
                column=one("Status"),
                kind=guess_kind(kind_name) or ItemKind.STORY,
                external_key=key,
                description=html.unescape(one("Description")),
                points=points,
                labels=tuple(dict.fromkeys(every("Labels"))),
                assignee=one("Assignee") or None,
                reporter=one("Reporter") or None,
                created_at=moment("Created"),
                updated_at=moment("Updated"),
                # When an item in progress last changed category: the day it started.
                started_at=moment("Status Category Changed")
                if jira_category(one("Status Category")) == Category.DOING
                else None,
                done_at=moment("Resolved"),
                due_date=due,
                sprint=next(reversed(every("Sprint")), None),
                comments=comments,
                fields=tuple(fields),
                origin=f"line {line} ({key})",
            )
            yield _Issue(
                item=item,
                status=item.column,
                status_category=one("Status Category"),
                rank=rank,
                issue_id=one("Issue id"),
                parent=one("Parent") or one("Parent id"),
                epic_link=epic_link,
                sprints=tuple(every("Sprint")),
                project=one("Project name"),
                project_key=one("Project key"),
            )


# --- XML -------------------------------------------------------------------------------------


def _check_prolog(path: Path) -> None:
    """Refuse a document type declaration: Jira writes none, and entities are an attack."""
    with path.open("rb") as raw:
        prolog = raw.read(1 << 16)
    start = re.search(rb"<[^?!]", prolog)
    if re.search(rb"<!DOCTYPE|<!ENTITY", prolog[: start.start() if start else None], re.I):
        raise ImportFileError(
            f"{path}: an XML document type declaration (DTD) is not read; Jira's export has none"
        )


def _rfc_time(text: str | None) -> dt.datetime | None:
    """Jira XML's ``Tue, 12 Mar 2024 15:15:00 +0000``, as naive UTC."""
    if not text or not text.strip():
        return None
    moment: dt.datetime | None
    try:
        moment = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        moment = parse_time(text)
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _xml_issues(path: Path) -> Iterator[_Issue]:
    _check_prolog(path)
    number_ = 0
    try:
        for _event, element in ET.iterparse(path, events=("end",)):
            if element.tag != "item":
                continue
            number_ += 1
            try:
                yield _xml_issue(element, number_)
            except ValueError as exc:
                raise ImportFileError(f"{path}: issue {number_}: {exc}") from None
            element.clear()
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise ImportFileError(
            f"{path}: not valid XML (line {line}, column {column + 1}: {reason})"
        ) from None
    if number_ == 0:
        raise ImportFileError(f"{path}: no <item> in the file: not a Jira XML export")


def _xml_issue(element: ET.Element, index: int) -> _Issue:
    def text(tag: str) -> str:
        found = element.find(tag)
        return (found.text or "").strip() if found is not None else ""

    key = text("key")
    if not key:
        raise ValueError("it has no <key>")
    where = f"issue {key}"

    def moment(tag: str) -> dt.datetime | None:
        try:
            return _rfc_time(text(tag))
        except ValueError as exc:
            raise ValueError(f"<{tag}>: {exc}") from None

    points: float | None = None
    rank = epic_link = ""
    sprints: list[str] = []
    fields: list[SourceField] = []
    for custom in element.iterfind("customfields/customfield"):
        name = (custom.findtext("customfieldname") or "").strip()
        values = [
            (value.text or "").strip()
            for value in custom.iterfind("customfieldvalues/customfieldvalue")
            if (value.text or "").strip()
        ]
        if not name or not values:
            continue
        if ESTIMATE_NAMES.match(name):
            try:
                points = number(values[0])
            except ValueError:
                raise ValueError(f'"{name}" {values[0]!r} is not a number') from None
        elif name == "Rank":
            rank = values[0]
        elif name == "Epic Link":
            epic_link = values[0]
        elif name == "Sprint":
            for value in values:
                found = _SPRINT_OBJECT.search(value)
                sprints.append(found.group(1).strip() if found else value)
        elif name not in ("Epic Name", "Epic Status", "Epic Colour"):
            fields.append(SourceField(name, html_text(", ".join(values))))
    for tag, name in (
        ("priority", "Priority"),
        ("resolution", "Resolution"),
        ("component", "Component/s"),
        ("fixVersion", "Fix Version/s"),
        ("version", "Affects Version/s"),
    ):
        values = [(one.text or "").strip() for one in element.iterfind(tag) if one.text]
        if values and values != ["Unresolved"]:
            fields.append(SourceField(name, ", ".join(values)))
    comments = []
    for comment in element.iterfind("comments/comment"):
        said = html_text(comment.text or "")
        at = _rfc_time(comment.get("created"))
        if said and at is not None:
            comments.append(SourceComment(said, at, comment.get("author") or ""))
    status_category = element.find("statusCategory")
    category = ""
    if status_category is not None:
        category = status_category.get("key") or status_category.get("name") or ""
    parent = element.find("parent")
    issue_type = text("type")
    due = moment("due")
    resolved = moment("resolved")
    item = SourceItem(
        ref=key,
        title=html.unescape(text("summary")) or html_text(text("title")).removeprefix(f"[{key}] "),
        column=text("status"),
        kind=guess_kind(issue_type) or ItemKind.STORY,
        external_key=key,
        description=html_text(text("description")),
        points=points,
        labels=_labels(element),
        assignee=_person(text("assignee")),
        reporter=_person(text("reporter")),
        created_at=moment("created"),
        updated_at=moment("updated"),
        done_at=resolved,
        due_date=None if due is None else due.date(),
        sprint=sprints[-1] if sprints else None,
        comments=tuple(sorted(comments, key=lambda one: one.at)),
        fields=tuple(fields),
        origin=where,
    )
    key_element = element.find("key")
    return _Issue(
        item=item,
        status=item.column,
        status_category=category,
        rank=rank,
        issue_id=key_element.get("id", "") if key_element is not None else "",
        parent=(parent.text or "").strip() if parent is not None else "",
        epic_link=epic_link,
        sprints=tuple(sprints),
        project=text("project"),
        project_key=(project.get("key") or "")
        if (project := element.find("project")) is not None
        else "",
    )


def _labels(element: ET.Element) -> tuple[str, ...]:
    names = ((one.text or "").strip() for one in element.iterfind("labels/label"))
    return tuple(dict.fromkeys(name for name in names if name))


def _person(name: str) -> str | None:
    return None if not name or name == "Unassigned" else name


# --- the board -------------------------------------------------------------------------------


def _board(path: Path, issues: list[_Issue], form: str) -> SourceBoard:
    if not issues:
        raise ImportFileError(f"{path}: no issue in the file")
    skipped: list[Skipped] = []
    notes: list[str] = []
    by_key = {issue.item.ref: issue for issue in issues}
    by_id = {issue.issue_id: issue.item.ref for issue in issues if issue.issue_id}
    if len(by_key) < len(issues):
        seen: set[str] = set()
        for issue in issues:
            if issue.item.ref in seen:
                raise ImportFileError(
                    f"{path}: {issue.item.origin}: the issue key {issue.item.ref} comes twice"
                )
            seen.add(issue.item.ref)

    # Columns: one per status, by category, then in the order they first come.
    statuses: dict[str, tuple[Category, str]] = {}
    for issue in issues:
        if not issue.status:
            raise ImportFileError(f"{path}: {issue.item.origin}: the issue has no status")
        if issue.status in statuses:
            continue
        known = jira_category(issue.status_category) if issue.status_category else None
        if known is not None:
            statuses[issue.status] = (known, f'Jira status category "{issue.status_category}"')
        else:
            statuses[issue.status] = guess_category(issue.status)
    columns = tuple(
        SourceColumn(name, name, category, reason)
        for name, (category, reason) in sorted(
            statuses.items(), key=lambda entry: _ORDER.index(entry[1][0])
        )
    )

    # Order: the Rank field as text; issues without one after those with one, as in the file.
    ranked = sorted(enumerate(issues), key=lambda pair: (not pair[1].rank, pair[1].rank, pair[0]))
    if not any(issue.rank for issue in issues):
        notes.append("The file has no Rank field: the items keep the file's order.")

    sprints: dict[str, None] = {}
    for issue in issues:
        sprints.update(dict.fromkeys(issue.sprints))

    items: list[SourceItem] = []
    for _index, issue in ranked:
        item = issue.item
        epic = issue.epic_link or by_id.get(issue.parent, issue.parent)
        if epic and epic != item.ref:
            target = by_key.get(epic)
            if target is None:
                skipped.append(Skipped(f"{item.ref}: epic {epic}", "not in the file"))
                epic = ""
            elif target.item.kind != ItemKind.EPIC and not issue.epic_link:
                epic = ""  # a sub-task's parent story: no epic
        else:
            epic = ""
        if item.created_at is None:
            skipped.append(Skipped(f"{item.ref}: created", "empty: the import time is used"))
        items.append(item._replace(epic=epic or None))
    notes.append(
        f"Jira's {form} export holds no status history: each item gets a move at its creation "
        "and one at its resolution (an item in progress, one when its status category last "
        "changed, when the file says), so finished items have no cycle time."
    )
    if form == "CSV":
        notes.append("Jira's CSV times carry no time zone: they are read as UTC.")
    return SourceBoard(
        source="jira",
        name=next((issue.project for issue in issues if issue.project), "") or path.stem,
        key=next((issue.project_key for issue in issues if issue.project_key), ""),
        columns=columns,
        items=tuple(items),
        sprints=tuple(sprints),
        skipped=tuple(skipped),
        notes=tuple(notes),
    )
