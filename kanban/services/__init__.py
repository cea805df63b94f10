"""Use cases: one function per thing a user does, one transaction each. No Qt here."""

from __future__ import annotations

from kanban.config import database_target, to_url
from kanban.storage.database import Database


def open_database(target: str | None = None) -> Database:
    """Open the database the user named (path or URL), else $KANBAN_DB, else the default."""
    return Database.open(to_url(database_target(target)))


__all__ = ["Database", "open_database"]
