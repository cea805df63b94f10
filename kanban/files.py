"""Writing user-visible files safely (a temporary file in the same folder, then a rename), and
the database files this process holds open, which nothing may replace or open outside SQLite."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kanban.errors import FileWriteError

SQLITE_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")

# The database files this process holds open through SQLite, by (device, inode), with how
# many Database objects hold each. POSIX advisory locks belong
# to the process: closing *any* descriptor of the file drops every lock SQLite holds on it, and
# another process then believes it is alone, deletes the -wal under our connections and
# corrupts the file (SQLite's "How To Corrupt An SQLite Database File", 2.2). So no code may
# open the file outside SQLite while it is listed here, and no export may replace it.
_open_files: dict[tuple[int, int], int] = {}
_open_files_lock = threading.Lock()


def file_id(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode), from stat (which opens no descriptor); None if missing."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def is_open_in_this_process(path: Path) -> bool:
    """Whether a Database of this process holds the file open (under any of its names)."""
    found = file_id(path)
    with _open_files_lock:
        return found is not None and found in _open_files


def hold(found: tuple[int, int]) -> None:
    """Count one more Database holding the file."""
    with _open_files_lock:
        _open_files[found] = _open_files.get(found, 0) + 1


def release(found: tuple[int, int]) -> None:
    """Count one Database fewer holding the file."""
    with _open_files_lock:
        count = _open_files.get(found, 0) - 1
        if count > 0:
            _open_files[found] = count
        else:
            _open_files.pop(found, None)


def _reason(error: OSError, path: Path) -> str:
    if error.errno == errno.ENOENT and path.parent.is_dir():
        return f"no file can be created in {path.parent}"
    reasons = {
        errno.ENOENT: f"the folder {path.parent} does not exist",
        errno.ENOTDIR: f"{path.parent} is not a folder",
        errno.EISDIR: "it is a folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOSPC: "the disk is full",
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _database_problem(path: Path) -> str | None:
    """Why ``path`` must not be replaced by an export: it is a database (open in this
    process, or any SQLite file) or the -wal, -shm or -journal of one; None otherwise."""
    for suffix in _SIDE_FILES:
        base = path.with_name(path.name.removesuffix(suffix))
        if path.name.endswith(suffix) and base.exists():
            return f"it belongs to the database {base}; an export never replaces it"
    if is_open_in_this_process(path):
        # Never opened here: closing any descriptor of it would drop SQLite's locks.
        return "it is the open database; an export never replaces it"
    try:
        with path.open("rb") as handle:  # not open in this process: safe to read
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return None  # missing or unreadable: the write itself says why, if it fails
    if header == SQLITE_HEADER:
        return "it is a database; an export never replaces one"
    return None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the whole new one, never a part.

    Raises:
        FileWriteError: Naming the file and the reason (missing folder, permission, full
            disk, a database file that an export must never replace...); no temporary file is
            left behind and an existing file is unchanged.
    """
    with open_atomically(path) as stream:
        stream.write(data)


@contextlib.contextmanager
def open_atomically(path: Path) -> Iterator[BinaryIO]:
    """A binary stream whose bytes replace ``path`` when the block ends without an error.

    The bytes go to a temporary file in the same folder, which replaces ``path`` at the end
    (after an fsync), so readers see the old file or the whole new one. If the block raises
    (a full disk, a cancel), the temporary file is removed and ``path`` is unchanged.

    Raises:
        FileWriteError: As :func:`write_atomically`.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise FileWriteError(f"Cannot write {path}: it is a folder")
    problem = _database_problem(path)
    if problem is not None:
        raise FileWriteError(f"Cannot write {path}: {problem}")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as exc:
        raise FileWriteError(f"Cannot write {path}: {_reason(exc, path)}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; exports are not
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise FileWriteError(f"Cannot write {path}: {_reason(exc, path)}") from None
        raise
