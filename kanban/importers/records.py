"""What an importer reads out of a file: plain records, the same for Trello, Jira and CSV.

A parser turns a file into one :class:`SourceBoard` and touches no database; the services
(:mod:`kanban.services.importing`) preview it, let the user correct the column categories,
and hand it to the one bulk writer. References between records are the source's own ids
(a Trello list id, a Jira status name, a CSV status text), unique within their kind.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from kanban.domain import ItemKind
from kanban.errors import ValidationError

MAX_FILE_BYTES = 256 * 1024 * 1024
"""The largest file an importer reads (256 MiB); a larger one is refused before reading."""


class ImportFileError(ValidationError):
    """A file an importer cannot read; the message names the file's place (line, card, field)."""


class SourceColumn(NamedTuple):
    """A list (Trello), a status (Jira) or a status text (CSV), left to right."""

    ref: str
    name: str
    category: str
    """The guessed :class:`kanban.domain.Category` (the preview lets the user correct it)."""
    reason: str = ""
    """Why this category: ``named "Done"``, ``Jira status category "In Progress"``."""
    archived: bool = False
    """A closed Trello list: kept as a column for its history, its cards archived."""


class SourceMove(NamedTuple):
    """The item entered a column at a time; an item's first move is its creation."""

    at: dt.datetime
    column: str
    """A :class:`SourceColumn` ref."""


class SourceComment(NamedTuple):
    text: str
    at: dt.datetime
    author: str = ""


class SourceCheck(NamedTuple):
    """A checklist line (Trello), kept as an acceptance criterion."""

    text: str
    done: bool = False


class SourceField(NamedTuple):
    """A field the app has no place for, kept as text on the item."""

    name: str
    value: str


class SourceItem(NamedTuple):
    """A card, an issue or a row. Times are naive UTC.

    ``moves`` is the recorded history (Trello); without one (Jira, CSV) the services build it
    from ``created_at``, ``started_at`` and ``done_at``.
    """

    ref: str
    title: str
    column: str
    """The :class:`SourceColumn` ref the item is in now."""
    kind: str = ItemKind.STORY
    external_key: str | None = None
    """The source's key (``PROJ-12``, a Trello short link): shown, searched, deduplicated on."""
    description: str = ""
    points: float | None = None
    labels: tuple[str, ...] = ()
    assignee: str | None = None
    reporter: str | None = None
    created_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    due_date: dt.date | None = None
    updated_at: dt.datetime | None = None
    """The last change (of an archived item: when it was archived, where the file says)."""
    archived: bool = False
    epic: str | None = None
    """The ref of the epic this item belongs to (an item of the same board)."""
    sprint: str | None = None
    """The name of the (last) sprint the item is in."""
    moves: tuple[SourceMove, ...] = ()
    comments: tuple[SourceComment, ...] = ()
    checklist: tuple[SourceCheck, ...] = ()
    fields: tuple[SourceField, ...] = ()
    origin: str = ""
    """Where in the file: ``line 12``, ``card "Checkout" (5f2a…)``, ``PROJ-12``."""


class Skipped(NamedTuple):
    """Something of the file that is not imported, or imported without a part, and why."""

    what: str
    why: str


class SourceBoard(NamedTuple):
    """Everything one file holds, in the order it is written: the items in backlog order."""

    source: str
    """``trello``, ``jira`` or ``csv``."""
    name: str
    columns: tuple[SourceColumn, ...]
    items: tuple[SourceItem, ...]
    label_colors: tuple[tuple[str, str], ...] = ()
    """(label name, ``#rrggbb``) for the labels the file gives a colour."""
    sprints: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()
    """What the preview says about the file as a whole (how far back the history goes)."""
    history_from: dt.datetime | None = None
    """The oldest recorded move of the file (a capped Trello export starts late)."""
    key: str = ""
    """The source's own short key for the board (a Jira project key), if it has one."""
