"""The vocabulary of the domain, once: item kinds, column categories, states, health, links.

Storage (CHECK constraints), services, metrics, reports, the command line and the UI all take
their words from here. Each vocabulary is a ``StrEnum``: a member *is* its stored string
(``Category.DONE == "done"``), so records and rows keep plain strings and still compare with
the members. Imports nothing of ours, and no third-party package.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class ItemKind(StrEnum):
    """What a backlog item is; an epic groups other items and does not flow itself."""

    STORY = "story"
    BUG = "bug"
    TASK = "task"
    SPIKE = "spike"
    EPIC = "epic"


class Category(StrEnum):
    """What a board column means to the figures, whatever the user names it."""

    BACKLOG = "backlog"
    TODO = "todo"
    DOING = "doing"
    DONE = "done"


class SprintState(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class QuestionState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    OBSOLETE = "obsolete"


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"


class Health(StrEnum):
    """A status update's verdict on the product."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class LinkType(StrEnum):
    """A stored link between two items, read from its source (``A blocks B``)."""

    BLOCKS = "blocks"
    RELATES_TO = "relates_to"
    DUPLICATES = "duplicates"


class LinkRole(StrEnum):
    """A link as one item sees it: the stored types, and their reverse from the target."""

    BLOCKS = "blocks"
    BLOCKED_BY = "blocked_by"
    RELATES_TO = "relates_to"
    DUPLICATES = "duplicates"
    DUPLICATED_BY = "duplicated_by"


REVERSE_ROLE = {
    LinkType.BLOCKS: LinkRole.BLOCKED_BY,
    LinkType.RELATES_TO: LinkRole.RELATES_TO,
    LinkType.DUPLICATES: LinkRole.DUPLICATED_BY,
}
"""How the target of a stored link sees it."""


class CapacityUnit(StrEnum):
    """What a sprint's capacity counts: story points, or person-days."""

    POINTS = "points"
    DAYS = "days"


class ScoreMethod(StrEnum):
    """How a backlog item is scored (``kanban.metrics.scoring``): SAFe's weighted shortest job
    first, or Intercom's reach, impact, confidence and effort."""

    WSJF = "wsjf"
    RICE = "rice"


SCORE_FIELDS = (
    "time_criticality",
    "risk_reduction",
    "job_size",
    "reach",
    "impact",
    "confidence",
    "effort",
)
"""An item's scoring inputs besides its business value: WSJF's (time criticality, risk
reduction, job size), then RICE's (reach, impact, confidence from 0 to 1, effort)."""


class ReleaseState(StrEnum):
    PLANNED = "planned"
    RELEASED = "released"


class Definition(StrEnum):
    """Which of a product's two checklists a readiness rule belongs to."""

    READY = "ready"
    DONE = "done"


class ReadinessCheck(StrEnum):
    """The built-in rules of a Definition of Ready (or Done) a product owner can switch on;
    ``CUSTOM`` is a line the product owner wrote, confirmed per item."""

    HAS_POINTS = "has_points"
    HAS_CRITERIA = "has_criteria"
    NO_OPEN_QUESTIONS = "no_open_questions"
    NOT_BLOCKED = "not_blocked"
    CRITERIA_DONE = "criteria_done"
    CUSTOM = "custom"


ITEM_KINDS: tuple[str, ...] = tuple(ItemKind)
COLUMN_CATEGORIES: tuple[str, ...] = tuple(Category)
SPRINT_STATES: tuple[str, ...] = tuple(SprintState)
QUESTION_STATES: tuple[str, ...] = tuple(QuestionState)
URGENCIES: tuple[str, ...] = tuple(Urgency)
HEALTHS: tuple[str, ...] = tuple(Health)
LINK_TYPES: tuple[str, ...] = tuple(LinkType)
RELEASE_STATES: tuple[str, ...] = tuple(ReleaseState)
CAPACITY_UNITS: tuple[str, ...] = tuple(CapacityUnit)
SCORE_METHODS: tuple[str, ...] = tuple(ScoreMethod)
DEFINITIONS: tuple[str, ...] = tuple(Definition)
READINESS_CHECKS: tuple[str, ...] = tuple(ReadinessCheck)

HEALTH_LABELS = {
    Health.ON_TRACK: "On track",
    Health.AT_RISK: "At risk",
    Health.OFF_TRACK: "Off track",
}

STARTED = frozenset({Category.DOING, Category.DONE})
"""Entering a column of one of these categories starts an item's clock (cycle time, age)."""


def is_started(category: str) -> bool:
    """Whether an item in a column of this category has started (doing or done)."""
    return category in STARTED


def over_wip_limit(count: int, limit: int | None) -> bool:
    """The WIP rule: a column is over its limit when it holds more items than the limit
    (reaching the limit is fine; no limit, never over)."""
    return limit is not None and count > limit


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 item``, ``2 items``, ``0 items`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def delay_text(days: int | None, missing: str = "–") -> str:
    """'5 days late', 'on time', '3 days early', or ``missing`` without a target or forecast."""
    if days is None:
        return missing
    if days == 0:
        return "on time"
    return f"{plural(abs(days), 'day')} {'late' if days > 0 else 'early'}"


def today_utc() -> dt.date:
    """Today's date in UTC, the calendar every figure and every age uses."""
    return dt.datetime.now(dt.UTC).date()


def question_age(
    asked_at: dt.datetime, answered_at: dt.datetime | None, state: str, today: dt.date
) -> int:
    """A question's age in days: the one rule of the Questions screen, the status reports and
    the command line.

    Calendar days in UTC (the day rule of every figure) from the day it was asked to the day
    it was answered, or to ``today`` while it waits; the hour does not count. A question asked
    yesterday at 10:17 is 1 day old all of today; one asked today is 0 days old ("today").
    Only an answered question stops ageing (a reopened one waits again, an obsolete one ages
    on). Timestamps are naive UTC, as stored; never negative.
    """
    answered = answered_at if state == QuestionState.ANSWERED else None
    until = answered.date() if answered is not None else today
    return max((until - asked_at.date()).days, 0)
