"""acceptance criteria become checklist lines; items.acceptance_criteria goes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08

Each item's Markdown criteria become checklist lines, in order, nothing lost:

- a list item (``- ``, ``* ``, ``+ ``, ``1. ``, ``1) ``) is one line, its marker taken off;
  a task-list box (``- [ ] ``, ``- [x] ``, or a bare ``[x] ``) says whether it is done;
- an indented line that is not a list item continues the line above it (Markdown's
  continuation), joined with one space;
- any other non-empty line (a heading, a sentence, ``Given ... when ... then``) is a line as
  written;
- blank lines, thematic breaks (``---``) and markers with no text carry nothing and are dropped.

A done line's ``done_at`` is the item's ``updated_at`` (the last moment known). The column is
then dropped: the checklist is the one place criteria live. Downgrading writes the lines back
as a Markdown task list and deletes them from the checklist, so upgrading again makes them anew.

The parser is a frozen copy of ``kanban.services.checklists.criteria_lines`` as it was when this
revision was written: a migration must do tomorrow what it did today.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])(?:\s+(.*))?$")
_BOX = re.compile(r"^\[([ xX])\](?:\s+(.*))?$")
_BREAK = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")


def criteria_lines(text: str) -> list[tuple[str, bool]]:
    """Markdown acceptance criteria as checklist lines: (text, done), in order."""
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


_items = sa.table(
    "items",
    sa.column("id", sa.Integer),
    sa.column("acceptance_criteria", sa.Text),
    sa.column("updated_at", sa.DateTime),
)
_checklist = sa.table(
    "checklist_items",
    sa.column("id", sa.Integer),
    sa.column("item_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("done", sa.Boolean),
    sa.column("done_at", sa.DateTime),
)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_items.c.id, _items.c.acceptance_criteria, _items.c.updated_at)
        .where(_items.c.acceptance_criteria != "")
        .order_by(_items.c.id)
    ).all()
    for item_id, criteria, updated_at in rows:
        start = bind.execute(
            sa.select(sa.func.coalesce(sa.func.max(_checklist.c.position) + 1, 0)).where(
                _checklist.c.item_id == item_id
            )
        ).scalar_one()
        lines = [
            {
                "item_id": item_id,
                "position": start + number,
                "text": text,
                "done": done,
                "done_at": updated_at if done else None,
            }
            for number, (text, done) in enumerate(criteria_lines(criteria))
        ]
        if lines:
            bind.execute(_checklist.insert(), lines)
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table(
            "items", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            batch.drop_column("acceptance_criteria")
    else:
        op.drop_column("items", "acceptance_criteria")


def downgrade() -> None:
    bind = op.get_bind()
    column = sa.Column("acceptance_criteria", sa.Text(), nullable=False, server_default="")
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table(
            "items", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            batch.add_column(column)
    else:
        op.add_column("items", column)
    rows = bind.execute(
        sa.select(_checklist.c.item_id, _checklist.c.text, _checklist.c.done).order_by(
            _checklist.c.item_id, _checklist.c.position, _checklist.c.id
        )
    ).all()
    criteria: dict[int, list[str]] = {}
    for item_id, text, done in rows:
        criteria.setdefault(item_id, []).append(f"- [{'x' if done else ' '}] {text}")
    for item_id, lines in criteria.items():
        bind.execute(
            _items.update().where(_items.c.id == item_id).values(acceptance_criteria="\n".join(lines))
        )
    bind.execute(_checklist.delete())
