"""Every chart the app draws, by name, and how to draw one from a product's flow: the one
place the Charts screen and ``kanban chart`` choose their pictures from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kanban.charts import cycle, flow, forecast, sprint, weekly
from kanban.charts.base import KanbanChart
from kanban.charts.palette import ChartPalette
from kanban.errors import NotFoundError
from kanban.metrics import Flow, FlowSprint
from kanban.metrics import charts as data
from kanban.metrics.forecast import forecast as forecast_of
from kanban.metrics.history import DateHistory, with_now

UNITS = sprint.UNITS
NO_HISTORY = DateHistory(None, ())


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


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the charts are drawn from: a product's flow and the history of its target date."""

    flow: Flow
    history: DateHistory = NO_HISTORY


Draw = Callable[[ChartData, ChartRequest, ChartPalette], KanbanChart]


@dataclass(frozen=True, slots=True)
class ChartKind:
    """A chart the app offers: its name (``cfd``), its title, the choices it takes."""

    name: str
    title: str
    draw: Draw
    uses_range: bool = False
    uses_sprint: bool = False


def default_range(as_of: dt.date, product_flow: Flow | None = None) -> tuple[dt.date, dt.date]:
    """The twelve ISO weeks up to ``as_of`` (this week included), from the product's first
    item's creation when that is later."""
    if product_flow is None:
        return data.default_range(as_of)
    return data.flow_range(product_flow, as_of)


def started_sprints(product_flow: Flow, as_of: dt.date) -> list[FlowSprint]:
    """The sprints started by the end of ``as_of``, the latest first."""
    started = [
        s for s in product_flow.sprints if s.start_date is not None and s.start_date <= as_of
    ]
    return sorted(started, key=lambda s: (s.start_date or dt.date.min, s.id), reverse=True)


def sprint_named(product_flow: Flow, name: str) -> FlowSprint:
    """A sprint of the flow by its name (any case); NotFoundError naming the sprints there are."""
    wanted = name.strip().casefold()
    found = next((s for s in product_flow.sprints if s.name.casefold() == wanted), None)
    if found is None:
        names = ", ".join(s.name for s in product_flow.sprints) or "none"
        raise NotFoundError(f"No sprint {name!r} in {product_flow.product_key} (sprints: {names})")
    return found


def _sprint_chart(
    chart_data: ChartData,
    request: ChartRequest,
    palette: ChartPalette,
    draw: Callable[[sprint.SprintBurnLike, ChartPalette, str], KanbanChart],
) -> KanbanChart:
    product_flow = chart_data.flow
    chosen: FlowSprint | None
    if request.sprint_id is not None:
        chosen = next((s for s in product_flow.sprints if s.id == request.sprint_id), None)
    else:
        started = started_sprints(product_flow, request.as_of)
        chosen = started[0] if started else None
    if chosen is None:
        chart = KanbanChart(request.kind, request.kind.capitalize(), palette)
        chart.set_empty(f"No sprint of {product_flow.product_key} started by {request.as_of}")
        return chart
    burn = data.sprint_burn_chart(product_flow, chosen.id, request.as_of)
    return draw(burn, palette, request.unit)


def _target_history(
    chart_data: ChartData, request: ChartRequest, palette: ChartPalette
) -> KanbanChart:
    """The history recorded by ``as_of``, and that day's forecast as its last point."""
    rows = tuple(r for r in chart_data.history.rows if r.day <= request.as_of)
    target = rows[-1].target if rows else chart_data.history.target
    then = forecast_of(chart_data.flow, request.as_of, target=target)
    history = with_now(DateHistory(target, rows), request.as_of, then.finish_50, then.finish_85)
    return forecast.target_history_chart(history.rows, palette)


KINDS: tuple[ChartKind, ...] = (
    ChartKind(
        "cfd",
        "Cumulative flow",
        lambda d, r, p: flow.cumulative_flow_chart(
            data.cumulative_flow_chart(d.flow, r.start, r.end), p
        ),
        uses_range=True,
    ),
    ChartKind(
        "burndown",
        "Burndown",
        lambda d, r, p: _sprint_chart(d, r, p, sprint.burndown_chart),
        uses_sprint=True,
    ),
    ChartKind(
        "burnup",
        "Burnup",
        lambda d, r, p: _sprint_chart(d, r, p, sprint.burnup_chart),
        uses_sprint=True,
    ),
    ChartKind(
        "cycle-time",
        "Cycle time",
        lambda d, r, p: cycle.cycle_time_chart(data.cycle_time_chart(d.flow, r.start, r.end), p),
        uses_range=True,
    ),
    ChartKind(
        "throughput",
        "Throughput",
        lambda d, r, p: weekly.throughput_chart(data.throughput_chart(d.flow, r.start, r.end), p),
        uses_range=True,
    ),
    ChartKind(
        "aging",
        "Aging WIP",
        lambda d, r, p: cycle.aging_chart(data.aging_chart(d.flow, r.as_of), p),
    ),
    ChartKind(
        "forecast",
        "Forecast",
        lambda d, r, p: forecast.forecast_chart(
            data.forecast_chart(forecast_of(d.flow, r.as_of, target=d.history.target)), p
        ),
    ),
    ChartKind("target-history", "Target date", _target_history),
)
BY_NAME = {kind.name: kind for kind in KINDS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def draw(chart_data: ChartData, request: ChartRequest, palette: ChartPalette) -> KanbanChart:
    """The chart a request asks for, from a product's flow and date history."""
    return BY_NAME[request.kind].draw(chart_data, request, palette)
