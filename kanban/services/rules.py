"""The domain's rules on single values, once: the services, the bulk writer (imports, the
sample) and so every way data comes in enforce the same ones.

Each ``check_*`` returns the value it accepts and raises :class:`ValidationError` with a
message fit to show as it is (a bad value is quoted shortened, see :func:`shown`). The bulk
writer puts the place in the file in front (``products[0].items[35].rank: ...``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from kanban.domain import (
    CAPACITY_UNITS,
    COLUMN_CATEGORIES,
    DEFINITIONS,
    HEALTHS,
    ITEM_KINDS,
    LINK_TYPES,
    QUESTION_STATES,
    READINESS_CHECKS,
    RELEASE_STATES,
    SPRINT_STATES,
    URGENCIES,
    ReadinessCheck,
)
from kanban.errors import ValidationError
from kanban.ranking import is_valid_rank

PRODUCT_KEY = re.compile(r"[A-Z][A-Z0-9]{0,9}")
"""A product key as stored: 1 to 10 ASCII capitals or digits, starting with a letter."""
INTEGER_RANGE = (-(2**31), 2**31 - 1)
"""What an ``Integer`` column holds on every supported database (PostgreSQL's ``integer``)."""
RANK_LENGTH = 64
"""The longest rank the ``items.rank`` column holds."""
TITLE_LENGTH = 500
NAME_LENGTH = 200
COLUMN_NAME_LENGTH = 100
LABEL_NAME_LENGTH = 100
_SHOWN = 40
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def shown(value: Any, limit: int = _SHOWN) -> str:
    """A value quoted for a message, shortened to about ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fold(name: str) -> str:
    """A name compared without case as SQLite's ``lower()`` does: ASCII letters only."""
    return name.translate(_ASCII_LOWER)


def check_text(value: str, what: str, postgres: bool = False) -> str:
    """Text the database stores: no lone surrogate (not UTF-8); on PostgreSQL (``postgres``)
    no NUL character either (SQLite stores one; for the services the database layer refuses
    it on PostgreSQL, in one line, whichever service the text came through)."""
    if postgres and "\x00" in value:
        raise ValidationError(f"{what} cannot hold the NUL character (\\x00) on PostgreSQL")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                f"{what} is not valid Unicode (a lone surrogate): {shown(value)}"
            ) from None
    return value


def check_length(value: str, what: str, limit: int | None) -> str:
    """Text of at most ``limit`` characters (None: any length)."""
    if limit is not None and len(value) > limit:
        raise ValidationError(f"{what} is longer than {limit:,} characters: {shown(value)}")
    return value


def require_text(value: str | None, what: str, limit: int | None = None) -> str:
    """The stripped text, or a ValidationError saying that ``what`` is required."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"{what} is required")
    return check_length(check_text(text, what), what, limit)


def check_product_key(key: str) -> str:
    """A product key exactly as stored (``WEB``); ``web`` or ``ÄPP`` are refused."""
    if not PRODUCT_KEY.fullmatch(key):
        raise ValidationError(
            f"Product key {shown(key)} must be 1 to 10 letters or digits (A-Z, 0-9), starting "
            "with a letter"
        )
    return key


def normalize_product_key(key: str) -> str:
    """A key as the user typed it, made a stored key (stripped, upper case), then checked."""
    return check_product_key(key.strip().upper())


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValidationError(f"{what} {shown(value)} must be one of {', '.join(allowed)}")
    return value


def check_kind(kind: str) -> str:
    return _one_of(kind, ITEM_KINDS, "Item kind")


def check_category(category: str) -> str:
    return _one_of(category, COLUMN_CATEGORIES, "Column category")


def check_sprint_state(state: str) -> str:
    return _one_of(state, SPRINT_STATES, "Sprint state")


def check_capacity_unit(unit: str) -> str:
    return _one_of(unit, CAPACITY_UNITS, "Capacity unit")


def check_question_state(state: str) -> str:
    return _one_of(state, QUESTION_STATES, "Question state")


def check_urgency(urgency: str) -> str:
    return _one_of(urgency, URGENCIES, "Urgency")


def check_health(health: str) -> str:
    return _one_of(health, HEALTHS, "Health")


def check_link_type(link_type: str) -> str:
    return _one_of(link_type, LINK_TYPES, "Link type")


def check_release_state(state: str) -> str:
    return _one_of(state, RELEASE_STATES, "Release state")


def check_definition(definition: str) -> str:
    return _one_of(definition, DEFINITIONS, "Definition")


def check_readiness_rule(rule: str, text: str) -> str:
    """A built-in readiness check, or ``custom`` with the line the product owner wrote."""
    _one_of(rule, READINESS_CHECKS, "Readiness rule")
    if rule == ReadinessCheck.CUSTOM and not text.strip():
        raise ValidationError("A custom readiness rule needs its text")
    return rule


def check_points(points: float | None) -> float | None:
    """Story points: a finite number, not negative, or None."""
    if points is not None and not math.isfinite(points):
        raise ValidationError(f"Story points must be a number, not {points}")
    if points is not None and points < 0:
        raise ValidationError("Story points cannot be negative")
    return points


def check_number(value: float | None, what: str, minimum: float | None = None) -> float | None:
    """A finite number (a score input, a capacity), at least ``minimum``, or None."""
    if value is not None and not math.isfinite(value):
        raise ValidationError(f"{what} must be a number, not {value}")
    if value is not None and minimum is not None and value < minimum:
        raise ValidationError(f"{what} cannot be below {minimum:g}")
    return value


def check_score(name: str, value: float | None) -> float | None:
    """A scoring input (``kanban.domain.SCORE_FIELDS``): a finite number of 0 or more, a
    confidence a share from 0 to 1; None (not scored yet) passes. The one check of every
    way an input comes in: an edit, the item editor as one types, an import, the sample."""
    if value is None:
        return None
    label = name.replace("_", " ").capitalize()
    if not math.isfinite(value) or value < 0:
        raise ValidationError(f"{label} must be a number of 0 or more, not {value:g}")
    if name == "confidence" and value > 1:
        raise ValidationError(f"Confidence is a share from 0 to 1 (80% is 0.8), not {value:g}")
    return value


def check_integer(value: int, what: str) -> int:
    """An integer the database can store (see INTEGER_RANGE)."""
    low, high = INTEGER_RANGE
    if not low <= value <= high:
        raise ValidationError(f"{what} {shown(value)} is out of range ({low:,} to {high:,})")
    return value


def check_wip(wip_limit: int | None) -> int | None:
    if wip_limit is not None and wip_limit < 1:
        raise ValidationError("A WIP limit must be at least 1 (or none)")
    return wip_limit


def check_rank(rank: str) -> str:
    """A rank of kanban.ranking that fits the rank column."""
    if len(rank) > RANK_LENGTH or not is_valid_rank(rank):
        raise ValidationError(f"Rank {shown(rank)} is not a valid rank")
    return rank


def check_sprint_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError("A sprint cannot end before it starts")


def check_status_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError("A status period cannot end before it starts")
