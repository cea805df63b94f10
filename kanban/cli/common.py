"""What every sub-command shares: exit codes, the database the user named, printing.

Printing: human-readable output goes through :func:`echo` (and :func:`table`,
:func:`one_line`, :func:`shown` for the pieces), which show every character a terminal would
act on escaped (``\\x1b``, ``\\u202e``): user text must never drive the reader's terminal.
``--json`` output goes through :func:`echo_json`, exact. A test keeps ``print`` out of
every other module of ``kanban/cli``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kanban.config import database_target
from kanban.errors import NotFoundError, UnknownNameError

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


@contextlib.contextmanager
def new_member_hint() -> Iterator[None]:
    """Add "--new-member" to the refusal of a person's name that matches no one."""
    try:
        yield
    except UnknownNameError as error:
        if not error.unknown:
            raise
        raise UnknownNameError(f"{error} (or add --new-member to add them)", True) from None


def iso(moment: dt.datetime | None) -> str | None:
    """A stored (naive UTC) timestamp as ISO 8601 with its offset, for --json output."""
    return moment.replace(tzinfo=dt.UTC).isoformat() if moment else None


# What a terminal acts on or reorders: C0 and C1 control characters and DEL, the bidi
# embeddings, overrides, isolates and marks, the line and paragraph separators, and lone
# surrogates (which cannot even be encoded for output).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, keep: str = "") -> str:
    """User text made safe for a terminal: control characters, bidi controls and lone
    surrogates escaped as ``\\x1b`` / ``\\u202e`` (``\\n``, ``\\t``, ``\\r`` by name), except the
    characters in ``keep``; everything else (accents, scripts, emoji) is left as it is."""
    return _UNSAFE.sub(lambda m: m[0] if m[0] in keep else _escape(m), text)


def echo(text: str = "", *, err: bool = False) -> None:
    """Print human-readable output (stderr with ``err``), line breaks kept, everything else a
    terminal would act on escaped (see :func:`shown`)."""
    print(shown(text, keep="\n"), file=sys.stderr if err else sys.stdout)


def echo_json(data: object) -> None:
    """Print a ``--json`` document exactly (JSON escapes control characters itself)."""
    print(json.dumps(data, indent=2))


def echo_document(content: bytes) -> None:
    """Write a document (a report) to stdout: exact bytes into a pipe or a file; on a
    terminal, as text with control characters escaped (line breaks and tabs kept)."""
    if sys.stdout.isatty():
        sys.stdout.write(shown(content.decode("utf-8", "replace"), keep="\n\t"))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
    sys.stdout.flush()


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """Rows in aligned columns under a header; the last column is not padded. Cells are
    shown terminal-safe (see :func:`shown`)."""
    cells_of = [tuple(shown(cell) for cell in row) for row in rows]
    widths = [max(width_of(row[i]) for row in (header, *cells_of)) for i in range(len(header) - 1)]
    lines = []
    for row in (header, *cells_of):
        cells = [
            cell + " " * (width - width_of(cell)) for cell, width in zip(row, widths, strict=False)
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def width_of(text: str) -> int:
    """How many terminal cells ``text`` takes: wide (East Asian) characters two, combining
    marks none."""
    return sum(_cell_width(char) for char in text)


def _cell_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` terminal cells, ending in "…" when it was cut."""
    if width_of(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        cells = _cell_width(char)
        if used + cells > width - 1:
            break
        kept.append(char)
        used += cells
    return "".join(kept) + "…"


def one_line(text: str) -> str:
    """User text on one line, terminal-safe: runs of whitespace (newlines too) become one
    space, and what a terminal would act on is escaped (see :func:`shown`)."""
    return shown(" ".join(text.split()))


JsonObject = dict[str, Any]
