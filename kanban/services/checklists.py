"""Acceptance criteria as checklists: lines an item is done against, and per-product templates.

A line is checked off on its own (one intent, one transaction, one activity row); the item's
row is not written, so checking a line off never conflicts with someone editing the item's
fields. Lines are numbered from 1 in the item's order (``kanban criteria WEB-4 --done 2``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select

from kanban.domain import ITEM_KINDS
from kanban.errors import NotFoundError, ValidationError
from kanban.services.common import find_item, find_product, get_row, item_key, log_activity
from kanban.services.records import ChecklistLine, TemplateLine
from kanban.storage.database import Database
from kanban.storage.models import ChecklistItem, ChecklistTemplate, Item, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The same rules as revision 0004, which moved the Markdown criteria into checklists.
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])(?:\s+(.*))?$")
_BOX = re.compile(r"^\[([ xX])\](?:\s+(.*))?$")
_BREAK = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")


def criteria_lines(text: str) -> list[tuple[str, bool]]:
    """Markdown acceptance criteria as checklist lines: ``(text, done)``, in order.

    A list item (``- ``, ``* ``, ``+ ``, ``1. ``, ``1) ``) is a line without its marker, and a
    task box (``- [ ]``, ``- [x]``, or a bare ``[x]``) says whether it is done; an indented
    line that is not a list item continues the line above; any other non-empty line is a line
    as written. Blank lines, ``---`` breaks and markers without text are dropped.
    """
    lines: list[tuple[str, bool]] = []
    continuable = False
    for raw in text.splitlines():
        if not raw.strip() or _BREAK.match(raw):
            continuable = False
            continue
        item = _ITEM.match(raw)
        if item is None and continuable and raw[:1] in (" ", "\t"):
            previous, done = lines[-1]
            lines[-1] = (f"{previous} {raw.strip()}", done)
            continue
        body = (item[2] or "") if item else raw.strip()
        done = False
        box = _BOX.match(body.strip())
        if box:
            done = box[1] != " "
            body = box[2] or ""
        body = body.strip()
        continuable = bool(body)
        if body:
            lines.append((body, done))
    return lines


def as_markdown(lines: Sequence[ChecklistLine]) -> str:
    """Checklist lines as a Markdown task list (reports, previews)."""
    return "\n".join(f"- [{'x' if line.done else ' '}] {line.text}" for line in lines)


# --- reading -------------------------------------------------------------------------------


def _rows(session: Session, item_id: int) -> list[ChecklistItem]:
    query = (
        select(ChecklistItem)
        .where(ChecklistItem.item_id == item_id)
        .order_by(ChecklistItem.position, ChecklistItem.id)
    )
    return list(session.scalars(query))


def _line(row: ChecklistItem, number: int) -> ChecklistLine:
    return ChecklistLine(row.id, row.item_id, number, row.text, row.done, row.done_at)


def item_checklist(session: Session, item_id: int) -> tuple[ChecklistLine, ...]:
    """An item's lines in order, in the caller's session."""
    return tuple(_line(row, n) for n, row in enumerate(_rows(session, item_id), 1))


def get_checklist(db: Database, item_ref: str | int) -> list[ChecklistLine]:
    """An item's acceptance criteria, in order."""
    with db.read() as session:
        return list(item_checklist(session, find_item(session, item_ref).id))


# --- writing -------------------------------------------------------------------------------


def _clean(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValidationError("A criterion needs some text")
    return cleaned


def _renumber(rows: Sequence[ChecklistItem]) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position


def _line_at(session: Session, item: Item, number: int) -> ChecklistItem:
    rows = _rows(session, item.id)
    if not 1 <= number <= len(rows):
        key = item_key(session, item)
        have = f"lines 1 to {len(rows)}" if rows else "no criteria"
        raise NotFoundError(f"{key} has no criterion {number} (it has {have})")
    return rows[number - 1]


def _result(session: Session, row: ChecklistItem) -> ChecklistLine:
    session.flush()
    ids = [r.id for r in _rows(session, row.item_id)]
    return _line(row, ids.index(row.id) + 1)


def insert_lines(
    session: Session, item: Item, lines: Sequence[tuple[str, bool]], at: int | None = None
) -> list[ChecklistItem]:
    """Put lines into an item's checklist before line number ``at`` (None: at the end), in
    the caller's transaction; returns the new rows."""
    rows = _rows(session, item.id)
    index = len(rows) if at is None else max(0, min(len(rows), at - 1))
    now = utcnow()
    new = [
        ChecklistItem(item_id=item.id, position=0, text=_clean(text), done=done,
                      done_at=now if done else None)
        for text, done in lines
    ]  # fmt: skip
    session.add_all(new)
    _renumber([*rows[:index], *new, *rows[index:]])
    session.flush()
    return new


def withdraw_line(session: Session, item: Item, text: str) -> bool:
    """Take the last line reading ``text`` out of an item's checklist, in the caller's
    transaction; False when there is none."""
    rows = _rows(session, item.id)
    row = next((r for r in reversed(rows) if r.text == text), None)
    if row is None:
        return False
    session.delete(row)
    _renumber([r for r in rows if r is not row])
    session.flush()
    return True


def add_criteria(
    db: Database, item_ref: str | int, text: str, *, at: int | None = None
) -> list[ChecklistLine]:
    """Add acceptance criteria to an item: one line, or several when ``text`` is Markdown
    with several lines (``- [x] done`` comes in checked). ``at`` is the number the first new
    line gets (default: after the last)."""
    lines = criteria_lines(text)
    if not lines:
        raise ValidationError("A criterion needs some text")
    with db.write() as session:
        item = find_item(session, item_ref)
        new = insert_lines(session, item, lines, at)
        key = item_key(session, item)
        for row in new:
            log_activity(session, item.product_id, "criterion_added", f"{key}: {row.text}", item.id)
        return [_result(session, row) for row in new]


def check_criterion(
    db: Database, item_ref: str | int, number: int, done: bool = True
) -> ChecklistLine:
    """Check a line off (or uncheck it), by its number in the item's checklist."""
    with db.write() as session:
        item = find_item(session, item_ref)
        return _set_done(session, item, _line_at(session, item, number), done)


def set_line_done(db: Database, line_id: int, done: bool) -> ChecklistLine:
    """Check a line off (or uncheck it), by id."""
    with db.write() as session:
        row = get_row(session, ChecklistItem, line_id, "criterion")
        return _set_done(session, get_row(session, Item, row.item_id, "item"), row, done)


def _set_done(session: Session, item: Item, row: ChecklistItem, done: bool) -> ChecklistLine:
    if row.done != done:
        row.done = done
        row.done_at = utcnow() if done else None
        action = "criterion_done" if done else "criterion_undone"
        log_activity(
            session, item.product_id, action, f"{item_key(session, item)}: {row.text}", item.id
        )
    return _result(session, row)


def edit_line(db: Database, line_id: int, text: str) -> ChecklistLine:
    """Change a line's text; the old text stays in the item's history."""
    text = _clean(text)
    with db.write() as session:
        row = get_row(session, ChecklistItem, line_id, "criterion")
        if row.text != text:
            item = get_row(session, Item, row.item_id, "item")
            detail = f"{item_key(session, item)}: {row.text} → {text}"
            row.text = text
            log_activity(session, item.product_id, "criterion_edited", detail, item.id)
        return _result(session, row)


def move_line(db: Database, line_id: int, number: int) -> ChecklistLine:
    """Move a line to another place (its new number) in the item's checklist."""
    with db.write() as session:
        row = get_row(session, ChecklistItem, line_id, "criterion")
        rows = [r for r in _rows(session, row.item_id) if r.id != row.id]
        index = max(0, min(len(rows), number - 1))
        _renumber([*rows[:index], row, *rows[index:]])
        return _result(session, row)


def remove_line(db: Database, line_id: int) -> ChecklistLine:
    """Take a line out of its checklist; returns it as it was (undo puts it back)."""
    with db.write() as session:
        row = get_row(session, ChecklistItem, line_id, "criterion")
        item = get_row(session, Item, row.item_id, "item")
        rows = _rows(session, item.id)
        line = _line(row, rows.index(row) + 1)
        session.delete(row)
        _renumber([r for r in rows if r is not row])
        detail = f"{item_key(session, item)}: {row.text}"
        log_activity(session, item.product_id, "criterion_removed", detail, item.id)
        return line


def restore_line(db: Database, line: ChecklistLine) -> ChecklistLine:
    """Put a removed line back at its number, with its id, text and state."""
    with db.write() as session:
        item = get_row(session, Item, line.item_id, "item")
        if session.get(ChecklistItem, line.id) is not None:
            raise ValidationError("That criterion is there already")
        rows = _rows(session, item.id)
        row = ChecklistItem(
            id=line.id, item_id=item.id, position=0, text=line.text, done=line.done,
            done_at=line.done_at,
        )  # fmt: skip
        session.add(row)
        index = max(0, min(len(rows), line.number - 1))
        _renumber([*rows[:index], row, *rows[index:]])
        detail = f"{item_key(session, item)}: {line.text}"
        log_activity(session, item.product_id, "criterion_added", detail, item.id)
        return _result(session, row)


# --- templates -----------------------------------------------------------------------------


def _template(row: ChecklistTemplate) -> TemplateLine:
    return TemplateLine(row.id, row.product_id, row.kind, row.position, row.text)


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in ITEM_KINDS:
        raise ValidationError(f"Item kind {kind!r} must be one of {', '.join(ITEM_KINDS)}")


def list_templates(db: Database, product_ref: str | int) -> list[TemplateLine]:
    """A product's checklist templates: the lines for every kind first, then kind by kind."""
    with db.read() as session:
        product = find_product(session, product_ref)
        query = (
            select(ChecklistTemplate)
            .where(ChecklistTemplate.product_id == product.id)
            .order_by(
                ChecklistTemplate.kind.is_not(None),
                ChecklistTemplate.kind,
                ChecklistTemplate.position,
                ChecklistTemplate.id,
            )
        )
        return [_template(row) for row in session.scalars(query)]


def set_template(
    db: Database, product_ref: str | int, kind: str | None, lines: Sequence[str]
) -> list[TemplateLine]:
    """Replace the lines new items of ``kind`` (None: of every kind) start with."""
    with db.write() as session:
        product = find_product(session, product_ref)
        return write_template(session, product.id, kind, lines)


def write_template(
    session: Session, product_id: int, kind: str | None, lines: Sequence[str]
) -> list[TemplateLine]:
    """Replace a template with these (non-empty) lines, in the caller's transaction."""
    _check_kind(kind)
    texts = [_clean(line) for line in lines if line.strip()]
    old = session.scalars(
        select(ChecklistTemplate).where(
            ChecklistTemplate.product_id == product_id,
            ChecklistTemplate.kind.is_(None) if kind is None else ChecklistTemplate.kind == kind,
        )
    ).all()
    for row in old:
        session.delete(row)
    new = [
        ChecklistTemplate(product_id=product_id, kind=kind, position=position, text=text)
        for position, text in enumerate(texts)
    ]
    session.add_all(new)
    session.flush()
    log_activity(
        session, product_id, "template_changed", f"{kind or 'every kind'}: {len(texts)} lines"
    )
    return [_template(row) for row in new]


def apply_templates(session: Session, item: Item) -> None:
    """Give a new item its product's template lines (every kind's, then its kind's), in the
    caller's transaction."""
    rows = session.execute(
        select(ChecklistTemplate.text)
        .where(
            ChecklistTemplate.product_id == item.product_id,
            ChecklistTemplate.kind.is_(None) | (ChecklistTemplate.kind == item.kind),
        )
        .order_by(
            ChecklistTemplate.kind.is_not(None), ChecklistTemplate.position, ChecklistTemplate.id
        )
    ).all()
    if rows:
        insert_lines(session, item, [(text, False) for (text,) in rows])
