"""Opening a database: validate the file, back it up, migrate it, and hand out sessions."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from kanban.errors import (
    CorruptDatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
)
from kanban.storage.models import Activity

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def _alembic_config() -> Config:
    config = Config()
    location = resources.files("kanban.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    """The newest schema revision this version of the app knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _is_read_only(path: Path) -> bool:
    # Mode bits too: root may write anywhere, but a file marked read-only means "hands off".
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _inspect_sqlite_file(path: Path) -> str | None:
    """Check a database file without writing to it; return its schema revision.

    Returns None for a file that does not exist yet or holds no tables (a new database).
    Raises a DatabaseFileError naming the problem otherwise.
    """
    name = str(path)
    if not path.exists():
        if not path.parent.exists():
            return None
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(name, "the folder is read-only; cannot create a database")
        return None
    if path.is_dir():
        raise NotADatabaseError(name, "is a folder, not a database file")
    size = path.stat().st_size
    if size:
        with path.open("rb") as handle:
            header = handle.read(100)
        if not header.startswith(SQLITE_HEADER):
            raise NotADatabaseError(name, "is not a kanban database (not a SQLite file)")
        if len(header) < 100:
            raise CorruptDatabaseError(name, "is truncated (the SQLite header is incomplete)")
    if _is_read_only(path):
        raise ReadOnlyDatabaseError(name, "is read-only; kanban needs to write to it")
    if not size:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise CorruptDatabaseError(name, f"cannot be opened ({exc})") from exc
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise CorruptDatabaseError(name, f"is damaged ({check[0] if check else 'no answer'})")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise NotADatabaseError(name, "is a SQLite database, but not one made by kanban")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(name, f"is damaged or truncated ({exc})") from exc
    finally:
        conn.close()
    if row is None:
        raise CorruptDatabaseError(name, "has no schema version")
    return str(row[0])


def backup_sqlite_file(path: Path, revision: str) -> Path:
    """Copy a database aside with SQLite's online backup API; return the copy's path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    return target


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # WORKAROUND: pysqlite issues its own BEGINs; take transaction control over so that
        # writes start with BEGIN IMMEDIATE (a deferred read-then-write fails at once when busy).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        conn.exec_driver_sql(begin)  # type: ignore[attr-defined]

    return engine


class Database:
    """One open kanban database: sessions for reading and writing, and change detection."""

    def __init__(self, url: str, path: Path | None, backup: Path | None = None) -> None:
        self.url = url
        self.path = path
        self.backup = backup
        """Where the file was copied before a migration in this open, if one ran."""
        if path is not None:
            self._write_engine = _sqlite_engine(url, "BEGIN IMMEDIATE")
            self._read_engine = _sqlite_engine(url, "BEGIN")
            self._watch: sqlite3.Connection | None = sqlite3.connect(path, check_same_thread=False)
        else:
            self._write_engine = self._read_engine = create_engine(url)
            self._watch = None
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self._read_engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> Database:
        """Open (creating or migrating) the database at a SQLAlchemy URL.

        A SQLite file is checked first without being written; a file that is not a kanban
        database, damaged, read-only or newer than this app raises a DatabaseFileError and
        stays byte-for-byte unchanged. An older file is copied aside before it is migrated.
        """
        parsed = make_url(url)
        path: Path | None = None
        backup: Path | None = None
        revision: str | None = None
        if parsed.get_backend_name() == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                raise NotADatabaseError(url, "an in-memory database cannot be shared; use a file")
            path = Path(parsed.database)
            revision = _inspect_sqlite_file(path)
            if revision is not None and revision not in _known_revisions():
                raise NewerDatabaseError(
                    str(path),
                    "was made by a newer version of kanban "
                    f"(schema {revision}); update the app to open it",
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            if revision is not None and revision != head_revision():
                backup = backup_sqlite_file(path, revision)
        database = cls(url, path, backup)
        database.migrate()
        return database

    def migrate(self) -> None:
        """Bring the schema up to this app's newest revision (Alembic)."""
        config = _alembic_config()
        with self._write_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed on success, rolled back on error."""
        with self._writer() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session on one consistent snapshot, for reading only."""
        with self._reader() as session, session.begin():
            yield session

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the database."""
        if self._watch is not None:
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
        with self.read() as session:
            return int(session.scalar(select(func.coalesce(func.max(Activity.id), 0))) or 0)

    def close(self) -> None:
        """Release every connection to the database."""
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self._write_engine.dispose()
        self._read_engine.dispose()
