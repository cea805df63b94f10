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
    started_at: dt.datetime | None
    done_at: dt.datetime | None
    archived: bool
    version: int


@dataclass(frozen=True, slots=True)
class MoveResult:
    """What one move changed: the card as it is now and where it came from."""

    card: Card
    from_column_id: int
    from_rank: str


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
