"""Comments on items: Markdown text with an author and a time; edited and deleted by their
author only, the old text kept in the item's history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from kanban.errors import ValidationError
from kanban.services.common import (
    current_actor,
    find_item,
    get_row,
    item_key,
    log_activity,
    require_text,
)
from kanban.services.records import CommentInfo
from kanban.storage.database import Database
from kanban.storage.models import Comment, Item, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _info(row: Comment) -> CommentInfo:
    return CommentInfo(
        row.id, row.item_id, row.author, row.at, row.text, row.edited_at, row.deleted
    )


def item_comments(
    session: Session, item_id: int, include_deleted: bool = False
) -> tuple[CommentInfo, ...]:
    """An item's comments, oldest first, in the caller's session."""
    query = select(Comment).where(Comment.item_id == item_id).order_by(Comment.at, Comment.id)
    if not include_deleted:
        query = query.where(Comment.deleted.is_(False))
    return tuple(_info(row) for row in session.scalars(query))


def list_comments(
    db: Database, item_ref: str | int, include_deleted: bool = False
) -> list[CommentInfo]:
    """An item's comments, oldest first (deleted ones only when asked for)."""
    with db.read() as session:
        return list(item_comments(session, find_item(session, item_ref).id, include_deleted))


def add_comment(
    db: Database, item_ref: str | int, text: str, *, by: str | None = None
) -> CommentInfo:
    """Comment on an item as ``by`` (default: the current user)."""
    text = require_text(text, "A comment")
    author = (by or "").strip() or current_actor()
    with db.write() as session:
        item = find_item(session, item_ref)
        row = Comment(item_id=item.id, author=author, at=utcnow(), text=text, deleted=False)
        session.add(row)
        session.flush()
        log_activity(session, item.product_id, "commented", _detail(session, item, text), item.id)
        return _info(row)


def _own(session: Session, comment_id: int, verb: str) -> tuple[Comment, Item]:
    row = get_row(session, Comment, comment_id, "comment")
    if row.author != current_actor():
        raise ValidationError(
            f"Only {row.author} can {verb} this comment (you are {current_actor()})"
        )
    return row, get_row(session, Item, row.item_id, "item")


def edit_comment(db: Database, comment_id: int, text: str) -> CommentInfo:
    """Change one's own comment; the old text goes to the item's history."""
    text = require_text(text, "A comment")
    with db.write() as session:
        row, item = _own(session, comment_id, "edit")
        if row.deleted:
            raise ValidationError("This comment was deleted")
        if row.text != text:
            old = row.text
            row.text = text
            row.edited_at = utcnow()
            log_activity(
                session, item.product_id, "comment_edited", _detail(session, item, old), item.id
            )
        session.flush()
        return _info(row)


def delete_comment(db: Database, comment_id: int, deleted: bool = True) -> CommentInfo:
    """Delete one's own comment (or bring it back, ``deleted=False``: undo); its text stays in
    the item's history."""
    with db.write() as session:
        row, item = _own(session, comment_id, "delete")
        if row.deleted != deleted:
            row.deleted = deleted
            action = "comment_deleted" if deleted else "comment_restored"
            log_activity(
                session, item.product_id, action, _detail(session, item, row.text), item.id
            )
        session.flush()
        return _info(row)


def restore_comment_text(db: Database, comment: CommentInfo) -> CommentInfo:
    """Put a comment's text and edit time back as ``comment`` recorded them (undo of an edit)."""
    with db.write() as session:
        row, item = _own(session, comment.id, "edit")
        if row.text != comment.text:
            log_activity(
                session,
                item.product_id,
                "comment_edited",
                _detail(session, item, row.text),
                item.id,
            )
            row.text = comment.text
            row.edited_at = comment.edited_at
        session.flush()
        return _info(row)


def _detail(session: Session, item: Item, text: str) -> str:
    return f"{item_key(session, item)}: {text}"
