"""The Release menu of a backlog selection: assign the items to a release, or to none."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from kanban.domain import ReleaseState
from kanban.errors import KanbanError
from kanban.services.records import ReleaseInfo
from kanban.ui.commands.items import push
from kanban.ui.context import AppContext


def release_menu(ctx: AppContext, parent: QWidget, selected: Callable[[], Sequence[int]]) -> QMenu:
    """A "Release" menu for the selected items: the product's planned releases (the one all
    of them are in checked) and "No release"; each choice is one undoable change."""
    menu = QMenu("Release", parent)
    menu.aboutToShow.connect(lambda: _fill(ctx, menu, list(selected())))
    if ctx.product is None:
        menu.setEnabled(False)
    return menu


def _fill(ctx: AppContext, menu: QMenu, ids: list[int]) -> None:
    from kanban.services import releases  # the forecasts' modules: loaded when first shown

    menu.clear()
    if ctx.product is None or not ids:
        menu.addAction("No item selected").setEnabled(False)
        return
    try:
        found = ctx.read(releases.list_releases, ctx.product.id)
        held = ctx.read(releases.releases_of, ids)
    except KanbanError:
        found, held = [], {}
    shared = set(held.values())
    current = next(iter(shared)) if len(shared) == 1 else -1
    group = QActionGroup(menu)
    for release in [r for r in found if r.state == ReleaseState.PLANNED]:
        day = f" · {release.target_date:%d %b %Y}" if release.target_date else ""
        _choice(ctx, menu, group, ids, release, f"{release.name}{day}", current == release.id)
    if found:
        menu.addSeparator()
    _choice(ctx, menu, group, ids, None, "No release", current is None)
    if not found:
        menu.addAction("(add releases on the Roadmap screen)").setEnabled(False)


def _choice(
    ctx: AppContext,
    menu: QMenu,
    group: QActionGroup,
    ids: list[int],
    release: ReleaseInfo | None,
    text: str,
    checked: bool,
) -> QAction:
    action = menu.addAction(text)
    action.setCheckable(True)
    action.setChecked(checked)
    group.addAction(action)
    from kanban.ui.commands.releases import ReleaseMembershipCommand

    action.triggered.connect(lambda: push(ctx, ReleaseMembershipCommand(ctx, ids, release)))
    return action


def rank_by_score(ctx: AppContext, parent: QWidget) -> QDialog | None:
    """Open Rank by score (non-blocking) for the current product."""
    from kanban.ui.forms import open_dialog
    from kanban.ui.releases.scores import ScoreDialog  # the figures load when first used

    if ctx.product is None:
        return None
    return open_dialog(ScoreDialog(ctx, ctx.product.id, parent))
