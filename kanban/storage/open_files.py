"""The database files this process holds open through SQLite (no SQLAlchemy here: the atomic
file writer asks it too)."""

from __future__ import annotations

import threading
from pathlib import Path

# By (device, inode), with how many Database objects hold each. POSIX advisory locks belong
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
