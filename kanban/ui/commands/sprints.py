"""Undoable sprint steps: start, close (with where the unfinished work goes), capacity.

Each step is one service call (one transaction) that returns what it did; undo hands that
back to the service that takes it back exactly (``sprints.undo_start``,
``sprints.reopen_sprint``). Redo runs the step again.
"""

from __future__ import annotations

import datetime as dt

from kanban.services import sprints
from kanban.services.records import SprintCapacity, SprintInfo, SprintStep
from kanban.ui.commands.items import ServiceCommand
from kanban.ui.context import AppContext


class _SprintCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, text: str, sprint: SprintInfo) -> None:
        super().__init__(ctx, text)
        self.sprint = sprint
        self.step: SprintStep | None = None

    def _changed(self) -> None:
        self.ctx.events.sprints_changed.emit(self.sprint.product_id)


class StartSprintCommand(_SprintCommand):
    """Start a planned sprint on these dates; its items waiting in the backlog move to the
    first to-do column. Undo plans it again and moves them back."""

    def __init__(
        self,
        ctx: AppContext,
        sprint: SprintInfo,
        start: dt.date | None = None,
        end: dt.date | None = None,
        allow_overlap: bool = False,
    ) -> None:
        super().__init__(ctx, f"Start {sprint.name}", sprint)
        self.start, self.end, self.allow_overlap = start, end, allow_overlap

    def do(self) -> None:
        self.step = self.ctx.write(
            sprints.start_sprint,
            self.sprint.id,
            self.start,
            self.end,
            allow_overlap=self.allow_overlap,
        )
        self.ctx.publish(self.step.change)
        self._changed()

    def undo_change(self) -> None:
        assert self.step is not None
        self.ctx.change(sprints.undo_start, self.step)
        self._changed()


class CloseSprintCommand(_SprintCommand):
    """Close the running sprint; its unfinished items go to ``carry_to`` (a planned sprint)
    or back to the backlog. Undo runs it again as it was."""

    def __init__(
        self,
        ctx: AppContext,
        sprint: SprintInfo,
        carry_to: int | None,
        goal_met: bool | None = None,
    ) -> None:
        super().__init__(ctx, f"Close {sprint.name}", sprint)
        self.carry_to, self.goal_met = carry_to, goal_met

    def do(self) -> None:
        self.step = self.ctx.write(
            sprints.close_sprint, self.sprint.id, self.carry_to, goal_met=self.goal_met
        )
        self.ctx.publish(self.step.change)
        self._changed()

    def undo_change(self) -> None:
        assert self.step is not None
        self.ctx.change(sprints.reopen_sprint, self.step)
        self._changed()


class CapacityCommand(ServiceCommand):
    """Set a sprint's capacity (unit, and per member capacity and days off); undo gives the
    sprint back the capacity it had."""

    def __init__(
        self,
        ctx: AppContext,
        sprint: SprintInfo,
        before: SprintCapacity,
        unit: str,
        members: dict[int, tuple[float, float]],
    ) -> None:
        super().__init__(ctx, f"Capacity of {sprint.name}")
        self.sprint, self.before, self.unit, self.members = sprint, before, unit, members
        self.after: SprintCapacity | None = None

    def do(self) -> None:
        self.after = self.ctx.write(sprints.set_capacity, self.sprint.id, self.unit, self.members)
        self.ctx.events.sprints_changed.emit(self.sprint.product_id)

    def undo_change(self) -> None:
        self.ctx.write(sprints.restore_capacity, self.before)
        self.ctx.events.sprints_changed.emit(self.sprint.product_id)
