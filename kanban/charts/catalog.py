"""Every chart the app draws, by name, and how to draw one from a product's flow: the one
place the Charts screen, ``kanban chart`` and the reports choose their pictures from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kanban import metrics
from kanban.charts.base import KanbanChart
from kanban.charts.flow import cumulative_flow_chart
from kanban.charts.palette import ChartPalette
from kanban.charts.sprint import UNITS, burndown_chart
from kanban.charts.weekly import throughput_chart
from kanban.errors import NotFoundError

DEFAULT_WEEKS = 12
"""Without a range, a chart covers the twelve ISO weeks up to its day (this week included)."""


@dataclass(frozen=True, slots=True)
class ChartRequest:
    """What to draw: a chart, the day its data is as of, a range of days, a sprint, a unit."""

    kind: str
    as_of: dt.date
    start: dt.date
    end: dt.date
    sprint_id: int | None = None
    """A sprint chart's sprint (None: the latest one started by ``as_of``)."""
    unit: str = UNITS[0]
    """``points`` or ``items`` (sprint charts)."""


Draw = Callable[[metrics.Flow, ChartRequest, ChartPalette], KanbanChart]


@dataclass(frozen=True, slots=True)
class ChartKind:
    """A chart the app offers: its name (``cfd``), its title, the choices it takes."""

    name: str
    title: str
    draw: Draw
    uses_range: bool = False
    uses_sprint: bool = False


def default_range(as_of: dt.date, weeks: int = DEFAULT_WEEKS) -> tuple[dt.date, dt.date]:
    """From the Monday ``weeks`` ISO weeks back (this week included) to ``as_of``."""
    return metrics.week_start(as_of) - dt.timedelta(weeks=weeks - 1), as_of


def started_sprints(flow: metrics.Flow, as_of: dt.date) -> list[metrics.FlowSprint]:
    """The sprints started by the end of ``as_of``, the latest first."""
    started = [s for s in flow.sprints if s.start_date is not None and s.start_date <= as_of]
    return sorted(started, key=lambda s: (s.start_date or dt.date.min, s.id), reverse=True)


def sprint_named(flow: metrics.Flow, name: str) -> metrics.FlowSprint:
    """A sprint of the flow by its name (any case); NotFoundError naming the sprints there are."""
    wanted = name.strip().casefold()
    found = next((s for s in flow.sprints if s.name.casefold() == wanted), None)
    if found is None:
        names = ", ".join(s.name for s in flow.sprints) or "none"
        raise NotFoundError(f"No sprint {name!r} in {flow.product_key} (sprints: {names})")
    return found


def _sprint(flow: metrics.Flow, request: ChartRequest) -> metrics.FlowSprint | None:
    if request.sprint_id is not None:
        return next((s for s in flow.sprints if s.id == request.sprint_id), None)
    started = started_sprints(flow, request.as_of)
    return started[0] if started else None


def _cfd(flow: metrics.Flow, request: ChartRequest, palette: ChartPalette) -> KanbanChart:
    days = metrics.cumulative_flow(flow, request.start, request.end)
    return cumulative_flow_chart(days, palette)


def _throughput(flow: metrics.Flow, request: ChartRequest, palette: ChartPalette) -> KanbanChart:
    return throughput_chart(metrics.throughput(flow, request.start, request.end), palette)


def _burndown(flow: metrics.Flow, request: ChartRequest, palette: ChartPalette) -> KanbanChart:
    sprint = _sprint(flow, request)
    if sprint is None:
        chart = KanbanChart("burndown", "Burndown", palette)
        chart.set_empty(f"No sprint of {flow.product_key} started by {request.as_of}")
        return chart
    return burndown_chart(metrics.burndown(flow, sprint.id, request.as_of), palette, request.unit)


KINDS: tuple[ChartKind, ...] = (
    ChartKind("cfd", "Cumulative flow", _cfd, uses_range=True),
    ChartKind("burndown", "Burndown", _burndown, uses_sprint=True),
    ChartKind("throughput", "Throughput", _throughput, uses_range=True),
)
BY_NAME = {kind.name: kind for kind in KINDS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def draw(flow: metrics.Flow, request: ChartRequest, palette: ChartPalette) -> KanbanChart:
    """The chart a request asks for, from a product's flow."""
    return BY_NAME[request.kind].draw(flow, request, palette)
