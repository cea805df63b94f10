"""Undoable refinement intents: criteria, comments, links, resources, confirmations,
and the watcher that keeps cards blocked by a moved card current.

Each command holds ids and plain values and calls one service per step through ``ctx.write``
(see :class:`kanban.ui.commands.items.ServiceCommand`). Every step announces what it touched:
``refinement_changed`` with the items' ids (the editor's tabs reload) and a Change with their
cards as they are now (the board's and backlog's markers follow).
"""

from __future__ import annotations

from collections.abc import Iterable

from kanban.services import checklists, comments, links, readiness, refinement
from kanban.services.records import (
    Change,
    ChecklistLine,
    CommentInfo,
    LinkInfo,
    ResourceInfo,
    RuleInfo,
)
from kanban.ui.commands.items import ServiceCommand
from kanban.ui.context import AppContext


def announce(ctx: AppContext, item_ids: Iterable[int]) -> None:
    """Tell every screen that these items' refinement (and so their cards) changed."""
    ids = tuple(dict.fromkeys(item_ids))
    ctx.events.refinement_changed.emit(ids)
    cards = ctx.read(refinement.live_cards, ids)  # deleted or archived meanwhile: left out
    if cards:
        ctx.publish(Change(cards=tuple(cards)))


class _RefinementCommand(ServiceCommand):
    """A command on one item's refinement; ``touched`` are the items to announce."""

    def __init__(self, ctx: AppContext, item_id: int, text: str) -> None:
        super().__init__(ctx, text)
        self.item_id = item_id
        self.touched: tuple[int, ...] = (item_id,)

    def redo(self) -> None:
        super().redo()
        announce(self.ctx, self.touched)

    def undo(self) -> None:
        super().undo()
        announce(self.ctx, self.touched)


# --- criteria ------------------------------------------------------------------------------


class AddCriteriaCommand(_RefinementCommand):
    """Add one or more criteria (Markdown lines); undo takes them out again."""

    def __init__(self, ctx: AppContext, item_id: int, text: str, at: int | None = None) -> None:
        super().__init__(ctx, item_id, "Add acceptance criteria")
        self.markdown = text  # not "text": QUndoCommand.text() is the command's own
        self.at = at
        self.lines: list[ChecklistLine] = []

    def do(self) -> None:
        if not self.lines:
            self.lines = self.ctx.write(
                checklists.add_criteria, self.item_id, self.markdown, at=self.at
            )
        else:
            self.lines = [self.ctx.write(checklists.restore_line, line) for line in self.lines]

    def undo_change(self) -> None:
        self.lines = [
            self.ctx.write(checklists.remove_line, line.id) for line in reversed(self.lines)
        ][::-1]


class CheckLineCommand(_RefinementCommand):
    """Check a criterion off, or uncheck it."""

    def __init__(self, ctx: AppContext, line: ChecklistLine, done: bool) -> None:
        verb = "Check off" if done else "Uncheck"
        super().__init__(ctx, line.item_id, f"{verb} “{line.text}”")
        self.line_id = line.id
        self.done = done

    def do(self) -> None:
        self.ctx.write(checklists.set_line_done, self.line_id, self.done)

    def undo_change(self) -> None:
        self.ctx.write(checklists.set_line_done, self.line_id, not self.done)


class EditLineCommand(_RefinementCommand):
    """Change a criterion's text."""

    def __init__(self, ctx: AppContext, line: ChecklistLine, text: str) -> None:
        super().__init__(ctx, line.item_id, "Edit acceptance criterion")
        self.line_id = line.id
        self.before = line.text
        self.after = text

    def do(self) -> None:
        self.ctx.write(checklists.edit_line, self.line_id, self.after)

    def undo_change(self) -> None:
        self.ctx.write(checklists.edit_line, self.line_id, self.before)


class MoveLineCommand(_RefinementCommand):
    """Move a criterion to another number."""

    def __init__(self, ctx: AppContext, line: ChecklistLine, number: int) -> None:
        super().__init__(ctx, line.item_id, "Move acceptance criterion")
        self.line_id = line.id
        self.before = line.number
        self.after = number

    def do(self) -> None:
        self.ctx.write(checklists.move_line, self.line_id, self.after)

    def undo_change(self) -> None:
        self.ctx.write(checklists.move_line, self.line_id, self.before)


class RemoveLineCommand(_RefinementCommand):
    """Remove a criterion; undo puts it back where it was."""

    def __init__(self, ctx: AppContext, line: ChecklistLine) -> None:
        super().__init__(ctx, line.item_id, f"Remove “{line.text}”")
        self.line = line

    def do(self) -> None:
        self.line = self.ctx.write(checklists.remove_line, self.line.id)

    def undo_change(self) -> None:
        self.line = self.ctx.write(checklists.restore_line, self.line)


# --- comments ------------------------------------------------------------------------------


class AddCommentCommand(_RefinementCommand):
    """Comment on an item; undo deletes the comment (its text stays in the history)."""

    def __init__(self, ctx: AppContext, item_id: int, text: str) -> None:
        super().__init__(ctx, item_id, "Comment")
        self.body = text
        self.comment: CommentInfo | None = None

    def do(self) -> None:
        if self.comment is None:
            self.comment = self.ctx.write(comments.add_comment, self.item_id, self.body)
        else:
            self.comment = self.ctx.write(comments.delete_comment, self.comment.id, False)

    def undo_change(self) -> None:
        assert self.comment is not None
        self.comment = self.ctx.write(comments.delete_comment, self.comment.id)


class EditCommentCommand(_RefinementCommand):
    """Change one's own comment; undo puts the old text back."""

    def __init__(self, ctx: AppContext, comment: CommentInfo, text: str) -> None:
        super().__init__(ctx, comment.item_id, "Edit comment")
        self.before = comment
        self.body = text

    def do(self) -> None:
        self.ctx.write(comments.edit_comment, self.before.id, self.body)

    def undo_change(self) -> None:
        self.ctx.write(comments.restore_comment_text, self.before)


class DeleteCommentCommand(_RefinementCommand):
    """Delete one's own comment; undo brings it back."""

    def __init__(self, ctx: AppContext, comment: CommentInfo) -> None:
        super().__init__(ctx, comment.item_id, "Delete comment")
        self.comment_id = comment.id

    def do(self) -> None:
        self.ctx.write(comments.delete_comment, self.comment_id)

    def undo_change(self) -> None:
        self.ctx.write(comments.delete_comment, self.comment_id, False)


# --- links ---------------------------------------------------------------------------------


class LinkCommand(_RefinementCommand):
    """Link an item to another (``role`` as the item sees it); undo removes the link."""

    def __init__(self, ctx: AppContext, item_id: int, role: str, other_ref: str | int) -> None:
        super().__init__(ctx, item_id, f"Link: {links.ROLE_LABELS[links.parse_role(role)]}")
        self.role = role
        self.other_ref = other_ref
        self.link: LinkInfo | None = None

    def do(self) -> None:
        if self.link is None:
            self.link = self.ctx.write(links.link_items, self.item_id, self.role, self.other_ref)
        else:
            self.link = self.ctx.write(links.restore_link, self.item_id, self.link)
        self.touched = (self.item_id, self.link.other_id)

    def undo_change(self) -> None:
        assert self.link is not None
        self.ctx.write(links.remove_link, self.link.id, self.item_id)


class UnlinkCommand(_RefinementCommand):
    """Remove a link; undo re-creates it."""

    def __init__(self, ctx: AppContext, item_id: int, link: LinkInfo) -> None:
        super().__init__(ctx, item_id, f"Unlink {link.other_key}")
        self.link = link
        self.touched = (item_id, link.other_id)

    def do(self) -> None:
        self.link = self.ctx.write(links.remove_link, self.link.id, self.item_id)

    def undo_change(self) -> None:
        self.link = self.ctx.write(links.restore_link, self.item_id, self.link)


class AddResourceCommand(_RefinementCommand):
    """Link an item to a URL or a local path; undo removes it."""

    def __init__(self, ctx: AppContext, item_id: int, target: str, title: str) -> None:
        super().__init__(ctx, item_id, "Add a resource link")
        self.target = target
        self.title = title
        self.resource: ResourceInfo | None = None

    def do(self) -> None:
        if self.resource is None:
            self.resource = self.ctx.write(
                links.add_resource, self.item_id, self.target, self.title
            )
        else:
            self.resource = self.ctx.write(links.restore_resource, self.resource)

    def undo_change(self) -> None:
        assert self.resource is not None
        self.ctx.write(links.remove_resource, self.resource.id)


class RemoveResourceCommand(_RefinementCommand):
    """Remove a resource link; undo puts it back."""

    def __init__(self, ctx: AppContext, resource: ResourceInfo) -> None:
        super().__init__(
            ctx, resource.item_id, f"Remove link “{resource.title or resource.target}”"
        )
        self.resource = resource

    def do(self) -> None:
        self.resource = self.ctx.write(links.remove_resource, self.resource.id)

    def undo_change(self) -> None:
        self.resource = self.ctx.write(links.restore_resource, self.resource)


# --- readiness -----------------------------------------------------------------------------


class ConfirmRuleCommand(_RefinementCommand):
    """Confirm (or withdraw) that an item meets a custom rule of its definition."""

    def __init__(self, ctx: AppContext, item_id: int, rule: RuleInfo, confirmed: bool) -> None:
        verb = "Confirm" if confirmed else "Withdraw"
        super().__init__(ctx, item_id, f"{verb} “{rule.label}”")
        assert rule.id is not None
        self.rule_id = rule.id
        self.confirmed = confirmed

    def do(self) -> None:
        self.ctx.write(readiness.confirm_rule, self.item_id, self.rule_id, self.confirmed)

    def undo_change(self) -> None:
        self.ctx.write(readiness.confirm_rule, self.item_id, self.rule_id, not self.confirmed)


class BlockedCardsWatcher:
    """When cards change column, are archived or come back, the cards they block may be
    blocked no longer (or again): announce those, so their markers and verdicts follow."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        ctx.events.items_changed.connect(self._changed)

    def _changed(self, change: Change) -> None:
        moved = [m.item_id for m in change.moves if m.to_column_id != m.from_column_id]
        ids = [*moved, *change.removed]
        if not ids:
            return
        blocked = self.ctx.read(links.blocked_by_these, ids)
        if blocked:
            announce(self.ctx, blocked)
