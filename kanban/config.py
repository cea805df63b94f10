"""Where the database lives: a path or SQLAlchemy URL from --db, KANBAN_DB, or the default."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL

APP_NAME = "kanban"
DB_ENV = "KANBAN_DB"


def default_database_path() -> Path:
    """The per-user default database file (platformdirs' user data folder)."""
    import platformdirs  # only when no database is named

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "kanban.db"


def database_target(explicit: str | None = None) -> str:
    """The database the user asked for: --db, then $KANBAN_DB, then the default file."""
    return explicit or os.environ.get(DB_ENV) or str(default_database_path())


def to_url(target: str) -> str:
    """A SQLAlchemy URL for a path or URL (``postgresql+psycopg://...`` is kept as is)."""
    if "://" in target:
        return target
    path = str(Path(target).expanduser().resolve())
    # Escaped: a folder named "what?" or "x%20y" must not become another file.
    return URL.create("sqlite", database=path).render_as_string(hide_password=False)
