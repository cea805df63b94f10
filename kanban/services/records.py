"""Plain, immutable records the services return: no live ORM objects leave a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class ProductInfo:
    id: int
    key: str
    name: str
    vision: str
    archived: bool


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    id: int
    product_id: int
    name: str
    position: int
    wip_limit: int | None
    category: str


@dataclass(frozen=True, slots=True)
class LabelInfo:
    id: int
    product_id: int
    name: str
    color: str


class Card(NamedTuple):
    """One item as the board and the backlog show it (a named row: cheap at 100,000)."""

    id: int
    product_id: int
    key: str
    kind: str
    title: str
    points: float | None
    business_value: int | None
    column_id: int
    rank: str
    sprint_id: int | None
    assignee: str | None
    requested_by: str | None
    blocked_reason: str | None
    column_since: dt.datetime
    version: int
    labels: tuple[str, ...] = ()
    open_questions: int = 0


@dataclass(frozen=True, slots=True)
class Board:
    """A product's board: its columns in order and its cards in rank order."""

    product: ProductInfo
    columns: tuple[ColumnInfo, ...]
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class ItemDetail:
    """Every field of one item, for the item editor."""

    id: int
    product_id: int
    key: str
    number: int
    kind: str
    title: str
    description: str
    acceptance_criteria: str
    points: float | None
    business_value: int | None
    column_id: int
    column_name: str
    rank: str
    sprint_id: int | None
    epic_id: int | None
    assignee_id: int | None
    requested_by_id: int | None
    due_date: dt.date | None
    blocked_reason: str | None
    labels: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    column_since: dt.datetime
    started_at: dt.datetime | None
    done_at: dt.datetime | None
    archived: bool
    version: int


@dataclass(frozen=True, slots=True)
class Moved:
    """One card a move placed elsewhere: where it was before, to take the move back exactly.

    ``transition_id`` is the transition the move wrote (None when it stayed in its column);
    taking the move back deletes it, so the flow metrics never see a trip that was undone.
    """

    item_id: int
    from_column_id: int
    from_rank: str
    from_column_since: dt.datetime
    from_started_at: dt.datetime | None
    from_done_at: dt.datetime | None
    to_column_id: int
    to_rank: str
    transition_id: int | None


@dataclass(frozen=True, slots=True)
class Change:
    """What one operation on items changed (one transaction), as a screen needs to show it.

    Every multi-item service of ``kanban.services.items`` returns one, and the UI hands it on
    as it is (``AppContext.publish``). All fields are optional; an operation fills those it
    touched:

    * ``cards``: live items added, edited, moved or restored, as they are now (operation order);
    * ``removed``: ids of items that are no longer live (archived or deleted);
    * ``moves``: for each card a move placed elsewhere, where it came from (``revert_moves``);
    * ``deleted``: deleted items' last full state (``restore_items`` re-creates them);
    * ``details``: edited items' every field as now (an editor shows them);
    * ``previous``: edited items' every field as before (an undo writes the old values back).
    """

    cards: tuple[Card, ...] = ()
    removed: tuple[int, ...] = ()
    moves: tuple[Moved, ...] = ()
    deleted: tuple[ItemDetail, ...] = ()
    details: tuple[ItemDetail, ...] = ()
    previous: tuple[ItemDetail, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the operation changed nothing (e.g. cards dropped on their own place)."""
        return not (self.cards or self.removed or self.deleted)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of an item's history: a move between columns or an activity."""

    at: dt.datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class SprintInfo:
    id: int
    product_id: int
    name: str
    goal: str
    start_date: dt.date | None
    end_date: dt.date | None
    state: str


@dataclass(frozen=True, slots=True)
class MemberInfo:
    id: int
    name: str
    role: str
    archived: bool


@dataclass(frozen=True, slots=True)
class StakeholderInfo:
    id: int
    name: str
    role: str
    organization: str
    contact: str
    notes: str
    archived: bool
    product_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    id: int
    product_id: int
    item_id: int | None
    item_key: str | None
    asked_by: str | None
    asked_at: dt.datetime
    text: str
    urgency: str
    state: str
    answer: str
    answered_by: str
    answered_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class QuestionEvent:
    """One line of a question's history (from the activity log)."""

    at: dt.datetime
    actor: str
    action: str
    """``asked``, ``answered``, ``answer_replaced``, ``reopened``, ``obsolete``, ``restored``."""
    text: str
    """The question asked, the answer given, replaced or restored ("" if not recorded)."""


@dataclass(frozen=True, slots=True)
class CheckFinding:
    """One problem a database check found."""

    check: str
    """Which check: ``integrity``, ``references``, ``ranks``, ``item numbers``, ``products``."""
    problem: str


@dataclass(frozen=True, slots=True)
class DatabaseCheck:
    """What a check of the whole database found (see ``services.check``)."""

    database: str
    checks: tuple[str, ...]
    findings: tuple[CheckFinding, ...]

    @property
    def sound(self) -> bool:
        """Whether every check passed."""
        return not self.findings


@dataclass(frozen=True, slots=True)
class StatusUpdateInfo:
    id: int
    product_id: int
    created_at: dt.datetime
    period_start: dt.date
    period_end: dt.date
    health: str
    headline: str
    progress: str
    problems: str
    schedule_outlook: str
    next_steps: str
    recipient_ids: tuple[int, ...]
    snapshot: dict[str, object]
