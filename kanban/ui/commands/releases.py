"""Undoable release commands: items into a release (or out of one), a release added, a
release's target date moved, a release marked released (or planned again)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kanban.domain import ReleaseState, plural
from kanban.services import releases
from kanban.services.records import ReleaseInfo, ReleaseTargetMove
from kanban.ui.commands.items import ServiceCommand
from kanban.ui.context import AppContext


class ReleaseMembershipCommand(ServiceCommand):
    """Assign items to a release (``release_id=None``: to none); undo gives each item its
    previous release back. Items already there are left out (nothing to undo for them)."""

    def __init__(
        self, ctx: AppContext, item_ids: Sequence[int], release: ReleaseInfo | None
    ) -> None:
        count = plural(len(item_ids), "item")
        text = f"Assign {count} to {release.name}" if release else f"Take {count} out of release"
        super().__init__(ctx, text)
        self.item_ids = tuple(item_ids)
        self.release_id = release.id if release else None
        self.previous: dict[int, int | None] | None = None

    def do(self) -> None:
        if self.previous is None:
            wanted = dict.fromkeys(self.item_ids, self.release_id)
            change = self.ctx.change(releases.set_items_release, wanted)
            self.previous = {detail.id: detail.release_id for detail in change.previous}
            if not self.previous:
                self.setObsolete(True)  # nothing changed: keep it off the undo stack
        else:
            self.ctx.change(
                releases.set_items_release, dict.fromkeys(self.previous, self.release_id)
            )

    def undo_change(self) -> None:
        assert self.previous is not None
        self.ctx.change(releases.set_items_release, self.previous)


class AddReleaseCommand(ServiceCommand):
    """Add a release; undo deletes it, redo brings it back with the same id."""

    def __init__(
        self,
        ctx: AppContext,
        product_id: int,
        name: str,
        target: dt.date | None,
        description: str = "",
    ) -> None:
        super().__init__(ctx, f"Add release {name}")
        self.product_id = product_id
        self.name = name
        self.target = target
        self.description = description
        self.release: ReleaseInfo | None = None

    def do(self) -> None:
        if self.release is None:
            self.release = self.ctx.write(
                releases.create_release,
                self.product_id,
                self.name,
                target=self.target,
                description=self.description,
            )
        else:
            self.release = self.ctx.write(releases.restore_release, self.release)
        self.ctx.events.releases_changed.emit(self.product_id)

    def undo_change(self) -> None:
        assert self.release is not None
        self.release = self.ctx.write(releases.delete_release, self.release.id)
        self.ctx.events.releases_changed.emit(self.product_id)


class MoveReleaseTargetCommand(ServiceCommand):
    """Move a release's target date (kept in its date history, with the reason); undo takes
    the move back exactly, refused when the target moved again since."""

    def __init__(
        self, ctx: AppContext, release: ReleaseInfo, target: dt.date | None, reason: str
    ) -> None:
        day = f"{target:%d %b %Y}" if target else "none"
        super().__init__(ctx, f"Move the target of {release.name} to {day}")
        self.release = release
        self.target = target
        self.reason = reason
        self.move: ReleaseTargetMove | None = None

    def do(self) -> None:
        self.move = self.ctx.write(
            releases.set_release_target, self.release.id, self.target, self.reason
        )
        if self.move.change_id is None:
            self.setObsolete(True)
        self.ctx.events.releases_changed.emit(self.release.product_id)

    def undo_change(self) -> None:
        assert self.move is not None
        self.ctx.write(releases.revert_release_target, self.move)
        self.ctx.events.releases_changed.emit(self.release.product_id)


class ReleaseStateCommand(ServiceCommand):
    """Mark a release released (today) or planned again; undo gives it back its state and
    its day of release."""

    def __init__(self, ctx: AppContext, release: ReleaseInfo, state: str) -> None:
        text = (
            f"Mark {release.name} released"
            if state == ReleaseState.RELEASED
            else f"Plan {release.name} again"
        )
        super().__init__(ctx, text)
        self.release = release
        self.state = state

    def do(self) -> None:
        self.ctx.write(releases.edit_release, self.release.id, state=self.state)
        self.ctx.events.releases_changed.emit(self.release.product_id)

    def undo_change(self) -> None:
        before = self.release
        self.ctx.write(
            releases.edit_release, before.id, state=before.state, released_on=before.released_on
        )
        self.ctx.events.releases_changed.emit(before.product_id)
