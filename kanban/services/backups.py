"""Backups of a database file: the app's daily copy, `kanban backup` and `kanban restore`.

Daily backups live in a ``backups`` folder beside the database file, named
``STEM-YYYY-MM-DDTHHMMSS.db`` (local time), the newest ``keep`` of them kept. Beside the data
rather than in the user's data folder: they move with the file (a shared drive, a USB stick),
and one folder per database never mixes two databases' copies.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

from kanban.errors import (
    FileWriteError,
    NotADatabaseError,
    NotFoundError,
    ValidationError,
)
from kanban.files import is_open_in_this_process
from kanban.services.records import BackupInfo, RestoreResult
from kanban.storage.backup import CopyProgress, copy_database, reading_uri, write_into
from kanban.storage.database import Database, inspect_sqlite_file, refuse_unknown_revision

DEFAULT_KEEP = 7
"""Daily backups kept per database, unless the user chose another number."""
FOLDER = "backups"
_STAMP = "%Y-%m-%dT%H%M%S"


def backup_folder(path: Path) -> Path:
    """Where the daily backups of the database file at ``path`` go."""
    return Path(path).parent / FOLDER


def _pattern(path: Path) -> re.Pattern[str]:
    suffix = re.escape(path.suffix or ".db")
    return re.compile(rf"^{re.escape(path.stem)}-(\d{{4}}-\d\d-\d\dT\d{{6}}){suffix}$")


def list_backups(path: Path) -> list[BackupInfo]:
    """The daily backups of the database file at ``path``, newest first."""
    folder, pattern = backup_folder(path), _pattern(Path(path))
    found = []
    if folder.is_dir():
        for entry in folder.iterdir():
            match = pattern.match(entry.name)
            if match and entry.is_file():
                made = dt.datetime.strptime(match[1], _STAMP)
                found.append(BackupInfo(entry, made, entry.stat().st_size))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def _file_of(db: Database) -> Path:
    if db.path is None:
        raise ValidationError(
            f"{db.url}: a PostgreSQL database is backed up on its server (pg_dump); "
            "'kanban export json -o FILE' keeps a portable copy"
        )
    return db.path


def back_up(
    db: Database,
    target: Path | None = None,
    *,
    replace: bool = False,
    now: dt.datetime | None = None,
    progress: CopyProgress | None = None,
    pages: int = -1,
) -> Path:
    """Copy the open database now (SQLite's backup API) to ``target``, by default a new
    daily-style backup in its backups folder; return the copy's path.

    Raises:
        FileWriteError: ``target`` is the database itself (or its -wal/-shm), or exists and
            ``replace`` is not given, or cannot be written; nothing is left behind.
    """
    source = _file_of(db)
    if target is None:
        folder = backup_folder(source)
        stamp = (now or dt.datetime.now()).strftime(_STAMP)
        target = folder / f"{source.stem}-{stamp}{source.suffix or '.db'}"
    target = Path(target).expanduser()
    _refuse_target(source, target, replace)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return copy_database(source, target, progress=progress, pages=pages)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise FileWriteError(f"Cannot write {target}: {reason}") from None


def _refuse_target(source: Path, target: Path, replace: bool) -> None:
    names = {source.resolve(), *(Path(f"{source.resolve()}{s}") for s in ("-wal", "-shm"))}
    if target.resolve() in names or is_open_in_this_process(target):
        raise FileWriteError(f"Cannot write {target}: it is the database itself")
    if target.is_dir():
        raise FileWriteError(f"Cannot write {target}: it is a folder")
    if target.exists() and not replace:
        raise FileWriteError(f"Cannot write {target}: it exists (add --replace to replace it)")


def daily_backup(
    db: Database,
    keep: int = DEFAULT_KEEP,
    *,
    now: dt.datetime | None = None,
    progress: CopyProgress | None = None,
    pages: int = -1,
) -> Path | None:
    """The app's backup on open: at most one a day (local date), the newest ``keep`` kept
    (``progress`` and ``pages`` as for :func:`back_up`).

    Returns the new backup, or None when today's exists already, ``keep`` is 0 (backups
    off) or the database is not a file. Raises FileWriteError when the folder cannot be
    written (the caller says so; the database is never touched).
    """
    if db.path is None or keep <= 0:
        return None
    now = now or dt.datetime.now()
    existing = list_backups(db.path)
    if existing and existing[0].made_at.date() == now.date():
        _prune(existing, keep)
        return None
    made = back_up(db, now=now, progress=progress, pages=pages)
    _prune(list_backups(db.path), keep)
    return made


def _prune(backups: list[BackupInfo], keep: int) -> None:
    for old in backups[keep:]:
        old.path.unlink(missing_ok=True)


def restore_backup(
    target: Path, backup: Path, *, replace: bool = False, now: dt.datetime | None = None
) -> RestoreResult:
    """Put a backup's content into the database file at ``target``.

    The backup must be a sound kanban database (it is checked in full first and never
    changed). An existing ``target`` is replaced only with ``replace``, and is first copied
    aside into its backups folder (``STEM-replaced-STAMP.db``). The content is written
    through SQLite's backup API into the file itself, in one transaction: a window or a
    command that has the file open sees the restored data (and a kill meanwhile leaves the
    old content); a target too damaged for SQLite to write is moved aside whole instead.

    Raises:
        NotFoundError: No such backup. DatabaseFileError: the backup is not a sound kanban
        database. FileWriteError: ``target`` exists and ``replace`` is not given, or it is
        open in this process, or it cannot be written.
    """
    target, backup = Path(target).expanduser(), Path(backup).expanduser()
    if not backup.is_file():
        raise NotFoundError(f"{backup}: no such backup")
    if backup.resolve() == target.resolve():
        raise ValidationError(f"{backup}: is the database itself")
    revision = inspect_sqlite_file(backup, full_check=True, writable=False)  # reads only
    if revision is None:
        raise NotADatabaseError(str(backup), "is empty, not a kanban backup")
    refuse_unknown_revision(str(backup), revision)
    if is_open_in_this_process(target):
        raise FileWriteError(f"Cannot restore into {target}: it is open in this process")
    if not target.exists():
        copy_database(backup, target, source_uri=reading_uri(backup))
        return RestoreResult(target, None)
    if not replace:
        raise FileWriteError(
            f"Cannot restore into {target}: it exists; add --replace to replace it (a copy "
            "of it is kept in its backups folder)"
        )
    stamp = (now or dt.datetime.now()).strftime(_STAMP)
    aside = backup_folder(target) / f"{target.stem}-replaced-{stamp}{target.suffix or '.db'}"
    aside.parent.mkdir(parents=True, exist_ok=True)
    try:
        copy_database(target, aside)
    except sqlite3.DatabaseError:
        return _restore_over_damaged(target, backup, aside)
    source = sqlite3.connect(reading_uri(backup), uri=True)
    try:
        destination = sqlite3.connect(target, timeout=5)
        try:
            write_into(source, destination, target.parent)  # one write transaction
        finally:
            destination.close()
    except sqlite3.Error as exc:
        raise FileWriteError(f"Cannot restore into {target}: {exc}") from None
    finally:
        source.close()
    return RestoreResult(target, aside)


def _restore_over_damaged(target: Path, backup: Path, aside: Path) -> RestoreResult:
    """A target SQLite cannot read: moved aside whole (its -wal and -shm too), byte for
    byte, and the backup copied in its place."""
    for side in ("-wal", "-shm", "-journal"):
        if Path(f"{target}{side}").exists():
            raise FileWriteError(
                f"Cannot restore into {target}: it is damaged and still in use (a {side} file "
                "is beside it); close every window and command using it, then try again"
            )
    aside = aside.with_name(aside.name.replace("-replaced-", "-damaged-"))
    target.rename(aside)
    try:
        copy_database(backup, target, source_uri=reading_uri(backup))
    except BaseException:
        aside.rename(target)
        raise
    return RestoreResult(target, aside)
