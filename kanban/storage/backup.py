"""Copies of a SQLite database file made with SQLite's online backup API, never half a copy.

A copy is written to a temporary ``.NAME.PID.part`` beside its target, flushed to disk, then
renamed over the target: a process killed meanwhile leaves the target as it was and a
temporary file that no one takes for a backup, removed by the next copy into that folder
(once the process that wrote it is gone).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kanban.files import SQLITE_HEADER, is_open_in_this_process

CopyProgress = Callable[[int, int], None]
"""``progress(pages_copied, pages_total)``, after each step of a copy."""

_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.part(-journal|-wal|-shm)?$")


def _fsync(path: Path) -> None:
    # Only ever called on a file no SQLite connection of this process has open.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove the temporary files of copies whose process died (a kill, a crash); return
    them. Copies still being written by a live process are left alone."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            match = _PART.match(entry.name)
            if match and not _alive(int(match["pid"])):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def reading_uri(path: Path) -> str:
    """How to read a database file no one writes (a backup) without creating anything beside
    it: immutable when it is in WAL mode with no -wal beside it (a read-only connection would
    leave -wal and -shm files), else read-only."""
    path = Path(path).resolve()
    uri = f"{path.as_uri()}?mode=ro"
    if is_open_in_this_process(path):
        return uri  # never read outside SQLite (see kanban.files)
    with contextlib.suppress(OSError), path.open("rb") as handle:
        header = handle.read(20)
        in_use = any(Path(f"{path}{s}").exists() for s in ("-wal", "-journal"))
        if header.startswith(SQLITE_HEADER) and header[18:19] == b"\x02" and not in_use:
            uri += "&immutable=1"
    return uri


def copy_database(
    source: Path,
    target: Path,
    *,
    progress: CopyProgress | None = None,
    pages: int = -1,
    source_uri: str | None = None,
) -> Path:
    """Copy the database at ``source`` (live: what is committed, the -wal included) to
    ``target``, replacing it only once the whole copy is on disk; returns ``target``.

    ``pages`` copies in steps of that many pages (the default, -1, copies in one step: one
    consistent snapshot however busy the writers are; with steps, a commit by another
    connection makes SQLite start the copy again). The source is read through an ordinary
    connection (a read-only one would keep the last connection of this process from removing
    the -wal when it closes), or through ``source_uri`` (see :func:`reading_uri`). Raises
    ``sqlite3.Error`` or ``OSError``; the target is then unchanged and no temporary file is
    left.
    """
    target = Path(target)
    remove_stale_parts(target.parent)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    if source_uri is None:
        source_conn = sqlite3.connect(Path(source))
    else:
        source_conn = sqlite3.connect(source_uri, uri=True)
    try:
        copy = sqlite3.connect(temporary)
        try:
            with copy:
                source_conn.backup(
                    copy,
                    pages=pages,
                    progress=(lambda _s, left, total: progress(total - left, total))
                    if progress
                    else None,
                )
            # A copy of a WAL database is a WAL database: fold everything into the file, so
            # the copy is one self-contained file.
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            copy.close()
        _fsync(temporary)
        os.replace(temporary, target)
        _fsync(target.parent)
    except BaseException:
        for leftover in (temporary, *(Path(f"{temporary}{s}") for s in ("-journal", "-wal"))):
            with contextlib.suppress(OSError):
                leftover.unlink()
        with contextlib.suppress(OSError):
            Path(f"{temporary}-shm").unlink()
        raise
    finally:
        source_conn.close()
    return target


def write_into(source: sqlite3.Connection, destination: sqlite3.Connection, folder: Path) -> None:
    """Write ``source``'s content into the live database of ``destination`` with the backup
    API, in one step (one write transaction there).

    A database in WAL mode cannot take pages of another size (SQLite refuses the backup as
    read-only): a source of another page size (a backup made before revision 0006 gave new
    files 2 KiB pages, or one of such a file into an older one) is first copied into a
    temporary ``.restore.PID.part`` in ``folder``, out of WAL mode, and VACUUMed there to the
    destination's page size; the temporary file is removed afterwards.
    """
    (size,) = destination.execute("PRAGMA page_size").fetchone()
    if source.execute("PRAGMA page_size").fetchone() == (size,):
        source.backup(destination)
        return
    remove_stale_parts(folder)
    temporary = folder / f".restore.{os.getpid()}.part"
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as resized:
            source.backup(resized)
            resized.execute("PRAGMA journal_mode=DELETE")  # a WAL file keeps its page size
            resized.execute(f"PRAGMA page_size = {int(size)}")
            resized.execute("VACUUM")
            resized.backup(destination)
    finally:
        for leftover in (
            temporary,
            *(Path(f"{temporary}{s}") for s in ("-journal", "-wal", "-shm")),
        ):
            with contextlib.suppress(OSError):
                leftover.unlink()
