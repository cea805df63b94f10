"""The sprint review pack of a closed sprint: committed against done, what came in after the
start, what was taken out, what was carried over and where it went, the burndown, the goal,
and the questions answered while it ran.

Built from what ``kanban.services.review`` reads; the scope comes from the sprint's recorded
entries (``sprint_entries``): committed is what was in the sprint when it started, carried over
is what the closing sent on. A sprint without recorded entries (made before they were kept)
falls back to its items now, and its carry-over is not known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kanban.metrics.records import FlowItem, today_utc
from kanban.metrics.sprints import SprintBurn, sprint_burn
from kanban.metrics.status import QuestionRow, question_row
from kanban.services import Database
from kanban.services.records import SprintInfo
from kanban.services.review import ReviewEntry, ReviewSource, review_source

__all__ = ["ReviewItem", "SprintReview", "build_review", "carry_text", "points", "review_of"]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A work item of the reviewed sprint as the review shows it."""

    key: str
    title: str
    kind: str
    points: float | None
    column: str
    """Its column just before the closing."""
    done: dt.date | None = None
    """The day it was done, if it was done by the closing."""
    joined: dt.date | None = None
    """The day it came into the sprint (for those added after the start)."""
    left: dt.date | None = None
    """The day it was taken out of the sprint (or archived) before the closing."""
    carried_to: str | None = None
    """For an item carried over: the sprint that took it (None: the backlog)."""


def carry_text(item: ReviewItem) -> str:
    """Where a carried item went: 'carried to Sprint 5', or 'back to the backlog'."""
    return f"carried to {item.carried_to}" if item.carried_to else "back to the backlog"


def points(items: Iterable[ReviewItem]) -> float:
    """The items' points added up (unestimated ones count 0)."""
    return sum(i.points or 0.0 for i in items)


@dataclass(frozen=True, slots=True)
class SprintReview:
    """The review of one closed sprint, ready for any renderer."""

    product_key: str
    product_name: str
    sprint: SprintInfo
    closed_on: dt.date
    recorded: bool
    """Whether the scope comes from recorded entries (False: the sprint's items now)."""
    committed: tuple[ReviewItem, ...]
    """In the sprint when it started."""
    added: tuple[ReviewItem, ...]
    """Came in after the start (and were not in it then)."""
    removed: tuple[ReviewItem, ...]
    """Taken out (or archived) before the closing."""
    done: tuple[ReviewItem, ...]
    """In the sprint at the closing and done by then."""
    carried: tuple[ReviewItem, ...]
    """Unfinished at the closing, with where each went."""
    questions: tuple[QuestionRow, ...]
    """Answered from the start to the closing, in the order they were answered."""
    burn: SprintBurn
    """The burndown (``kanban.metrics.sprints``: the carried items in scope to the last day)."""

    @property
    def committed_points(self) -> float:
        """Points committed at the start."""
        return points(self.committed)

    @property
    def done_points(self) -> float:
        """Points done by the closing (committed or added)."""
        return points(self.done)

    @property
    def committed_done(self) -> tuple[ReviewItem, ...]:
        """The committed items that were done by the closing."""
        done = {i.key for i in self.done}
        return tuple(i for i in self.committed if i.key in done)

    @property
    def goal_verdict(self) -> str:
        """'met', 'not met' or 'not said' (the product owner's verdict at the closing)."""
        if self.sprint.goal_met is None:
            return "not said"
        return "met" if self.sprint.goal_met else "not met"

    def outcome(self, item: ReviewItem) -> str:
        """What became of a committed item: 'done 2026-11-20', 'carried to Sprint 5', 'back
        to the backlog', 'taken out 2026-11-12'."""
        for done in self.done:
            if done.key == item.key:
                return f"done {done.done.isoformat() if done.done else ''}".strip()
        for carried in self.carried:
            if carried.key == item.key:
                return carry_text(carried)
        for removed in self.removed:
            if removed.key == item.key:
                return f"taken out {removed.left.isoformat() if removed.left else ''}".strip()
        return "not done"

    @property
    def title(self) -> str:
        """'Sprint review: Sprint 3 of Web Shop (WEB)'."""
        return f"Sprint review: {self.sprint.name} of {self.product_name} ({self.product_key})"


def _moment(day: dt.date) -> dt.datetime:
    """The end of a UTC day, as the stored naive UTC times count it."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)


def _column(names: dict[int, str], item: FlowItem, before: dt.datetime) -> str:
    """The item's column just before the closing (which may send it back to the backlog)."""
    column: int | None = item.column_id
    for move in item.moves:
        if move.at >= before:
            break
        column = move.column_id
    return names.get(column, "") if column is not None else ""


def review_of(source: ReviewSource) -> SprintReview:
    """The review of what the services read (see the module docstring)."""
    sprint, flow = source.sprint, source.flow
    items = {i.id: i for i in flow.items if i.counts}
    names = {c.id: c.name for c in flow.columns}
    start = sprint.start_date or (sprint.started_at.date() if sprint.started_at else today_utc())
    began = sprint.started_at or _moment(start)
    closed = sprint.closed_at or _moment(sprint.end_date or start)
    closed_on = closed.date()
    last = max(start, min(sprint.end_date or closed_on, closed_on))
    spans: dict[int, list[ReviewEntry]] = {}
    for entry in source.entries:
        if entry.item_id in items:
            spans.setdefault(entry.item_id, []).append(entry)
    recorded = bool(spans)
    if not recorded:  # no entries: the sprint's items now, each in it from its creation
        spans = {
            i.id: [ReviewEntry(i.id, i.created, None)]
            for i in items.values()
            if i.sprint_id == sprint.id
        }

    def shown(item: FlowItem, **fields: object) -> ReviewItem:
        return ReviewItem(
            item.key,
            item.title,
            item.kind,
            item.points,
            _column(names, item, closed),
            **fields,  # type: ignore[arg-type]
        )

    committed, added, removed, done, carried = [], [], [], [], []
    for item_id, entries in spans.items():
        item = items[item_id]
        archived = item.archived_at if item.archived and item.archived_at else None
        at_start = any(
            e.added_at <= began and (e.removed_at is None or e.removed_at > began) for e in entries
        )
        first_in = min(e.added_at for e in entries)
        joined = None if at_start else first_in
        if joined is not None and joined > closed:
            continue  # came in after the closing (cannot happen: a closed sprint takes none)
        carry = next((e for e in entries if e.carried), None)
        at_close = carry is not None or any(e.removed_at is None for e in entries)
        if archived is not None and archived <= closed:
            at_close = False
        finished = item.finished_on(closed_on)
        if at_start:
            committed.append(shown(item, done=finished.date() if finished and at_close else None))
        if joined is not None:
            added.append(shown(item, joined=joined.date()))
        if not at_close:
            outs = [e.removed_at for e in entries if e.removed_at is not None]
            left = archived or (max(outs) if outs else None)
            removed.append(shown(item, left=left.date() if left else None))
        elif finished is not None:
            done.append(shown(item, done=finished.date()))
        elif carry is not None:
            carried.append(shown(item, carried_to=carry.carried_to))
    rank = {item_id: n for n, item_id in enumerate(items)}

    def ordered(rows: list[ReviewItem]) -> tuple[ReviewItem, ...]:
        by_key = {i.key: i.id for i in items.values()}
        return tuple(sorted(rows, key=lambda r: rank[by_key[r.key]]))

    return SprintReview(
        product_key=source.product.key,
        product_name=source.product.name,
        sprint=sprint,
        closed_on=closed_on,
        recorded=recorded,
        committed=ordered(committed),
        added=tuple(sorted(added, key=lambda r: (r.joined or dt.date.min, r.key))),
        removed=ordered(removed),
        done=tuple(sorted(done, key=lambda r: (r.done or dt.date.min, r.key))),
        carried=ordered(carried),
        questions=tuple(question_row(q, closed_on) for q in source.questions),
        burn=sprint_burn(flow, sprint.id, last),
    )


def build_review(
    db: Database, product_ref: str | int, sprint: str | int | None = None
) -> SprintReview:
    """The review of a closed sprint of a product (default: the one closed last); see
    :func:`kanban.services.review.review_source` for the errors."""
    return review_of(review_source(db, product_ref, sprint))
