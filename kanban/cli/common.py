"""What every sub-command shares: exit codes, the database the user named, printing."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kanban.config import database_target
from kanban.errors import NotFoundError

if TYPE_CHECKING:
    from kanban.storage.database import Database

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]


class AddCommand(Protocol):
    """Adds one sub-command: ``add(name, handler, help)`` returns its parser for arguments."""

    def __call__(self, name: str, handler: Handler, text: str) -> argparse.ArgumentParser: ...


@contextlib.contextmanager
def database(args: argparse.Namespace, must_exist: bool = False) -> Iterator[Database]:
    """The database the user named; with ``must_exist``, a missing file is an error."""
    from kanban.services import open_database  # SQLAlchemy loads only when a command runs

    target = database_target(getattr(args, "db", None))
    if must_exist and "://" not in target and not Path(target).expanduser().exists():
        raise NotFoundError(
            f"{target}: no such database (create one with the app, 'kanban demo' or "
            "'kanban import json FILE')"
        )
    db = open_database(target)
    try:
        yield db
    finally:
        db.close()


def iso(moment: dt.datetime | None) -> str | None:
    """A stored (naive UTC) timestamp as ISO 8601 with its offset, for --json output."""
    return moment.replace(tzinfo=dt.UTC).isoformat() if moment else None


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Rows in aligned columns under a header; the last column is not padded."""
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    lines = []
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def one_line(text: str) -> str:
    """User text on one line: runs of whitespace (newlines too) become one space."""
    return " ".join(text.split())


JsonObject = dict[str, Any]
