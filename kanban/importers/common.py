"""What the importers share: guessing a column's category, reading times, numbers and HTML."""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
from html.parser import HTMLParser
from pathlib import Path

from kanban.domain import Category, ItemKind
from kanban.importers.records import MAX_FILE_BYTES, ImportFileError

# Checked in this order: "Ready for review" is in progress, "Not started" is to do.
_CATEGORY_WORDS: tuple[tuple[Category, re.Pattern[str]], ...] = (
    (
        Category.DONE,
        re.compile(
            r"\b(done|closed|complete[d]?|finished|resolved|released|shipped|deployed|live"
            r"|accepted|fertig|erledigt|termin[ée]e?)\b"
        ),
    ),
    (
        Category.DOING,
        re.compile(
            r"\b(doing|in[ -]?progress|wip|review|reviewing|testing|test|qa|develop\w*|dev"
            r"|working|implement\w*|verif\w*|staging|blocked|in arbeit)\b"
        ),
    ),
    (Category.BACKLOG, re.compile(r"\b(backlog|icebox|ideas?|inbox|someday|new|parking)\b")),
    (
        Category.TODO,
        re.compile(r"\b(to[ -]?do|ready|next|selected|planned|open|not started|up next)\b"),
    ),
)

_JIRA_CATEGORIES = {
    # The status category's name and its key, as Jira's exports write them.
    "to do": Category.TODO,
    "new": Category.TODO,
    "in progress": Category.DOING,
    "indeterminate": Category.DOING,
    "done": Category.DONE,
    "complete": Category.DONE,
}


def guess_category(name: str) -> tuple[Category, str]:
    """The category a column's name suggests, and why (``named "Done"``)."""
    folded = " ".join(name.casefold().split())
    for category, words in _CATEGORY_WORDS:
        found = words.search(folded)
        if found:
            return category, f'the name has "{found.group(0)}"'
    return Category.TODO, "no word of the name says otherwise"


def jira_category(status_category: str) -> Category | None:
    """The category of a Jira status category (its name or key); None when unknown."""
    return _JIRA_CATEGORIES.get(" ".join(status_category.casefold().split()))


_KIND_WORDS = {
    "bug": ItemKind.BUG,
    "defect": ItemKind.BUG,
    "incident": ItemKind.BUG,
    "problem": ItemKind.BUG,
    "task": ItemKind.TASK,
    "sub-task": ItemKind.TASK,
    "subtask": ItemKind.TASK,
    "chore": ItemKind.TASK,
    "spike": ItemKind.SPIKE,
    "research": ItemKind.SPIKE,
    "epic": ItemKind.EPIC,
    "story": ItemKind.STORY,
    "user story": ItemKind.STORY,
    "feature": ItemKind.STORY,
    "improvement": ItemKind.STORY,
    "new feature": ItemKind.STORY,
}


def guess_kind(name: str) -> ItemKind | None:
    """The item kind an issue type names (``Bug``, ``Sub-task``); None when none fits."""
    return _KIND_WORDS.get(" ".join(name.casefold().split()))


ESTIMATE_NAMES = re.compile(
    r"^\s*(story[ _-]?points?|points?|estimates?|estimation|sp|size|story point estimate)\s*$",
    re.IGNORECASE,
)
"""Field names that hold an estimate in points."""


def check_size(path: Path, limit: int = MAX_FILE_BYTES) -> int:
    """The file's size; a file larger than ``limit`` or not a regular file is refused."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror or exc}") from None
    if not os.path.isfile(path):
        raise ImportFileError(f"{path}: not a regular file")
    if info.st_size > limit:
        raise ImportFileError(
            f"{path}: {info.st_size / 2**20:,.0f} MiB is larger than the import limit of "
            f"{limit // 2**20:,} MiB"
        )
    return info.st_size


def number(text: str) -> float | None:
    """A finite, non-negative number written in ``text`` (``3``, ``2.5``, ``2,5``); None
    when it is empty; ValueError when it is something else."""
    cleaned = text.strip().replace(",", ".") if text.count(",") == 1 else text.strip()
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value) or value < 0 or value > 1e9:
        raise ValueError(f"{text!r} is not an estimate")
    return value


_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "janv", "jän"),
            ("feb", "févr", "fev"),
            ("mar", "mär", "mars"),
            ("apr", "avr"),
            ("may", "mai"),
            ("jun", "juin"),
            ("jul", "juil"),
            ("aug", "aoû", "aou"),
            ("sep", "sept"),
            ("oct", "okt"),
            ("nov",),
            ("dec", "déc", "dez"),
        ),
        start=1,
    )
    for name in names
}
# Jira's default "dd/MMM/yy h:mm a" (12/Mar/24 3:15 PM), with or without the time.
_JIRA_DATE = re.compile(
    r"^(\d{1,2})/([^\W\d_]{3,5})\.?/(\d{2}|\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_time(text: str) -> dt.datetime | None:
    """A moment written as ISO 8601, Jira's ``12/Mar/24 3:15 PM`` or ``12.03.2024 15:15``,
    as naive UTC (a time without a zone is taken as UTC); None when empty.

    Raises:
        ValueError: The text is no date this reads, or is ambiguous (``03/04/2024``).
    """
    text = text.strip()
    if not text:
        return None
    found = _JIRA_DATE.match(text)
    if found:
        day, month_name, year, hour, minute, second, half = found.groups()
        month = _MONTHS.get(month_name.casefold()[:4]) or _MONTHS.get(month_name.casefold()[:3])
        if month is None:
            raise ValueError(f"{text!r} has no month this reads")
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        hours = int(hour or 0)
        if half:
            if not 1 <= hours <= 12:
                raise ValueError(f"{text!r} is not a time")
            hours = hours % 12 + (12 if half.lower() == "pm" else 0)
        return dt.datetime(full_year, month, int(day), hours, int(minute or 0), int(second or 0))
    found = _DOTTED.match(text)
    if found:
        numbers = [int(part or 0) for part in found.groups()]
        day_, month_, year_, hour_, minute_, second_ = numbers
        return dt.datetime(year_, month_, day_, hour_, minute_, second_)
    if re.match(r"^\d{1,2}/\d{1,2}/\d{2,4}", text):
        raise ValueError(f"{text!r} could be day/month or month/day: write it as YYYY-MM-DD")
    moment = dt.datetime.fromisoformat(text.replace("/", "-") if text[:4].isdigit() else text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def parse_day(text: str) -> dt.date | None:
    """A day in any form :func:`parse_time` reads; None when empty."""
    moment = parse_time(text)
    return None if moment is None else moment.date()


class _Text(HTMLParser):
    _BREAKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "pre", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(markup: str) -> str:
    """The plain text of an HTML fragment (Jira's rendered fields): tags dropped, entities
    decoded, paragraphs and list items on their own lines."""
    if "<" not in markup:
        return html.unescape(markup).strip()
    reader = _Text()
    reader.feed(markup)
    reader.close()
    text = "".join(reader.parts)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
