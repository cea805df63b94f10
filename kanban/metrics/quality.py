"""Data quality: items whose recorded history is missing or impossible are left out, and listed.

An imported or hand-edited history can say things that cannot be: an item done before it was
created, finished before it started, moves whose times contradict the order they were recorded
in, or an item in a 'done' column with no record of ever getting there. Such an item would
bend every figure it touches (a negative cycle time, a week with a throughput that never
happened), so :func:`screened` takes it out of the flow and names it in ``Flow.quality``; the
reports print the note, the Charts screen shows it, and nothing crashes on it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection

from kanban.domain import Category
from kanban.metrics.records import DataIssue, DataQuality, Flow, FlowItem, Problem

TOLERANCE = dt.timedelta(minutes=1)
"""Clock slack between an item's creation stamp and its first move (written apart)."""


def _day(moment: dt.datetime) -> str:
    return moment.date().isoformat()


def problem_of(item: FlowItem, out_of_order: bool = False) -> tuple[Problem, str] | None:
    """What is wrong with one item's history, with a detail in words; None when it is sound."""
    if out_of_order:
        return Problem.OUT_OF_ORDER, "a later-recorded move carries an earlier time"
    if item.moves and item.moves[0].at < item.created - TOLERANCE:
        return (
            Problem.MOVED_BEFORE_CREATED,
            f"first move {_day(item.moves[0].at)}, created {_day(item.created)}",
        )
    if item.done is not None and item.done < item.created - TOLERANCE:
        return Problem.DONE_BEFORE_CREATED, f"done {_day(item.done)}, created {_day(item.created)}"
    if item.started is not None and item.done is not None and item.done < item.started:
        return Problem.NEGATIVE_TIME, f"started {_day(item.started)}, done {_day(item.done)}"
    if item.category == Category.DONE and item.done is None:
        return Problem.MISSING, "in a 'done' column without a recorded move into one"
    if not item.moves:
        return Problem.MISSING, "no move recorded"
    return None


def screened(flow: Flow, out_of_order: Collection[int] = ()) -> Flow:
    """The flow without the items whose history is unsound; they are listed in its quality.

    ``out_of_order`` holds the ids of items whose moves were recorded in an order their times
    contradict (the reader sees the recording order; the records only keep the times).
    """
    good: list[FlowItem] = []
    issues: list[DataIssue] = []
    for item in flow.items:
        found = problem_of(item, item.id in out_of_order)
        if found is None:
            good.append(item)
        else:
            problem, detail = found
            issues.append(DataIssue(item.id, item.key, item.title, problem, detail))
    quality = DataQuality(len(flow.items), tuple(issues))
    return dataclasses.replace(flow, items=tuple(good), quality=quality)
