"""Sprint figures: burndown (and burnup) of a sprint, velocity of the closed ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kanban.domain import SprintState
from kanban.errors import NotFoundError
from kanban.metrics.records import Flow, FlowItem, FlowSprint, days, points_of


@dataclass(frozen=True, slots=True)
class BurndownDay:
    """What was left of a sprint at the end of one day, and the straight line to zero."""

    day: dt.date
    remaining_points: float
    remaining_items: int
    ideal_points: float


@dataclass(frozen=True, slots=True)
class Burndown:
    """A sprint's burndown from its start to its end or today, whichever comes first."""

    sprint: FlowSprint
    total_points: float
    total_items: int
    days: tuple[BurndownDay, ...]


def find_sprint(flow: Flow, sprint_id: int) -> FlowSprint:
    """The sprint of the flow with this id; NotFoundError otherwise."""
    sprint = next((s for s in flow.sprints if s.id == sprint_id), None)
    if sprint is None:
        raise NotFoundError(f"No sprint with id {sprint_id} in {flow.product_key}")
    return sprint


def sprint_items(flow: Flow, sprint_id: int) -> list[FlowItem]:
    """The live work items planned into a sprint."""
    return [i for i in flow.items if i.sprint_id == sprint_id and i.counts and not i.archived]


def burndown(flow: Flow, sprint_id: int, today: dt.date) -> Burndown:
    """Remaining points and items of a sprint per day (its current scope, by done dates)."""
    sprint = find_sprint(flow, sprint_id)
    items = sprint_items(flow, sprint_id)
    total = points_of(items)
    if sprint.start_date is None or sprint.end_date is None:
        return Burndown(sprint, total, len(items), ())
    length = max(1, (sprint.end_date - sprint.start_date).days)
    result = []
    for day in days(sprint.start_date, min(sprint.end_date, today)):
        left = [i for i in items if i.finished_on(day) is None]
        ideal = total * max(0.0, 1 - (day - sprint.start_date).days / length)
        result.append(BurndownDay(day, points_of(left), len(left), ideal))
    return Burndown(sprint, total, len(items), tuple(result))


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
