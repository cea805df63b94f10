"""Sprint figures: the burndown and burnup of a sprint with its scope changes, velocity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kanban.domain import SprintState
from kanban.errors import NotFoundError
from kanban.metrics.records import Flow, FlowItem, FlowSprint, days, points_of


@dataclass(frozen=True, slots=True)
class BurnDay:
    """A sprint at the end of one day: its scope, what of it was done, what was left."""

    day: dt.date
    scope_points: float
    scope_items: int
    done_points: float
    done_items: int
    ideal_points: float
    """The straight line from the committed points at the start to zero at the end."""
    ideal_items: float

    @property
    def remaining_points(self) -> float:
        """Points in scope not done yet (the burndown)."""
        return self.scope_points - self.done_points

    @property
    def remaining_items(self) -> int:
        """Items in scope not done yet (the burndown)."""
        return self.scope_items - self.done_items


@dataclass(frozen=True, slots=True)
class ScopeChange:
    """An item that came into a sprint, or left it, after it started."""

    day: dt.date
    key: str
    title: str
    points: float | None
    added: bool
    """True: it came in; False: it was taken out (or archived)."""


class ScopeSource(StrEnum):
    """Where a burn chart took the sprint's scope from."""

    ENTRIES = "entries"
    """The recorded sprint entries: when each item came in and left."""
    MEMBERSHIP = "membership"
    """The items in the sprint now (no entries recorded): a change is an item created or
    archived while the sprint ran."""


@dataclass(frozen=True, slots=True)
class SprintBurn:
    """A sprint's burndown and burnup, from its start to its end or the day asked for.

    Draw ``remaining_points`` (or items) for the burndown; ``scope_*`` and ``done_*`` for the
    burnup; ``changes`` mark the days the scope moved.
    """

    sprint: FlowSprint
    committed_points: float
    """The scope at the end of the first day."""
    committed_items: int
    days: tuple[BurnDay, ...]
    changes: tuple[ScopeChange, ...]
    source: str
    """A :class:`ScopeSource` value."""


def find_sprint(flow: Flow, sprint_id: int) -> FlowSprint:
    """The sprint of the flow with this id; NotFoundError otherwise."""
    sprint = next((s for s in flow.sprints if s.id == sprint_id), None)
    if sprint is None:
        raise NotFoundError(f"No sprint with id {sprint_id} in {flow.product_key}")
    return sprint


def sprint_items(flow: Flow, sprint_id: int) -> list[FlowItem]:
    """The live work items planned into a sprint."""
    return [i for i in flow.items if i.sprint_id == sprint_id and i.counts and not i.archived]


def _membership(
    flow: Flow, sprint: FlowSprint
) -> tuple[dict[int, list[tuple[dt.date, dt.date | None]]], str]:
    """Per item, the spans (first day in, first day out) it spent in the sprint's scope.

    A closed sprint's last day is its closing day: an entry ended that day (or later) was
    ended by the closing, which carried the unfinished item on; it stays in scope to the end,
    the work the sprint left undone."""
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    entries = [e for e in flow.sprint_entries if e.sprint_id == sprint.id]
    closed_on = sprint.end_date if sprint.state == SprintState.CLOSED else None
    if entries:
        for e in entries:
            out = e.removed_at.date() if e.removed_at is not None else None
            if out is not None and closed_on is not None and out >= closed_on:
                out = None
            spans.setdefault(e.item_id, []).append((e.added_at.date(), out))
        return spans, ScopeSource.ENTRIES
    for item in flow.items:
        if item.sprint_id == sprint.id:
            spans[item.id] = [(item.created.date(), None)]
    return spans, ScopeSource.MEMBERSHIP


def sprint_burn(flow: Flow, sprint_id: int, today: dt.date) -> SprintBurn:
    """Scope, done and remaining points and items of a sprint per day, with its scope changes.

    Work items only. An item is in scope on a day when it was in the sprint (by its entries,
    else its current membership) and live (not yet archived) at the end of that day.
    """
    sprint = find_sprint(flow, sprint_id)
    if sprint.start_date is None or sprint.end_date is None:
        return SprintBurn(sprint, 0.0, 0, (), (), ScopeSource.MEMBERSHIP)
    spans, source = _membership(flow, sprint)
    items = [i for i in flow.items if i.id in spans and i.counts]
    first, last = sprint.start_date, min(sprint.end_date, today)

    def in_scope(item: FlowItem, day: dt.date) -> bool:
        inside = any(a <= day and (b is None or b > day) for a, b in spans[item.id])
        return inside and item.live_on(day)

    length = max(1, (sprint.end_date - first).days)
    committed = [i for i in items if in_scope(i, first)]
    committed_points, committed_items = points_of(committed), len(committed)
    result = []
    changes: list[ScopeChange] = []
    before = {i.id for i in committed}
    for day in days(first, last):
        scope = [i for i in items if in_scope(i, day)]
        done = [i for i in scope if i.finished_on(day) is not None]
        share = max(0.0, 1 - (day - first).days / length)
        result.append(
            BurnDay(
                day,
                points_of(scope),
                len(scope),
                points_of(done),
                len(done),
                committed_points * share,
                committed_items * share,
            )
        )
        now = {i.id for i in scope}
        if day > first:
            for item in items:
                if (item.id in now) != (item.id in before):
                    changes.append(
                        ScopeChange(day, item.key, item.title, item.points, item.id in now)
                    )
        before = now
    return SprintBurn(
        sprint, committed_points, committed_items, tuple(result), tuple(changes), source
    )


@dataclass(frozen=True, slots=True)
class SprintVelocity:
    """Points and items a closed sprint finished."""

    sprint_id: int
    name: str
    end_date: dt.date | None
    points: float
    items: int


def velocity(flow: Flow) -> tuple[SprintVelocity, ...]:
    """Points done per closed sprint, oldest first (per week: see ``throughput``)."""
    result = []
    for sprint in flow.sprints:
        if sprint.state != SprintState.CLOSED:
            continue
        done = [i for i in flow.items if i.sprint_id == sprint.id and i.counts and i.done]
        result.append(
            SprintVelocity(sprint.id, sprint.name, sprint.end_date, points_of(done), len(done))
        )
    return tuple(result)
