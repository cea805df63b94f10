"""Asking first: before items that are not Ready join a sprint, before items go into a done
column without meeting the Definition of Done; and a warning when a blocked item goes into
progress. The services record every override in the item's history.

Each gate runs ``proceed`` at once when there is nothing to ask, and returns what it returned;
otherwise it opens the question without blocking (a drop must finish first) and returns False:
``proceed`` runs when the product owner says yes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from kanban.domain import Category, Definition, is_started
from kanban.services import readiness, refinement
from kanban.services.records import Card, ColumnInfo
from kanban.ui.context import AppContext
from kanban.ui.forms import open_dialog

YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No
LISTED = 8  # items named in a question; the rest are counted


def ask_first(
    parent: QWidget | None, title: str, text: str, proceed: Callable[[], object]
) -> QMessageBox:
    """A Yes/No question (No is the default), opened without blocking; Yes calls ``proceed``."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, YES | NO, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(NO)
    box.button(YES).clicked.connect(proceed)
    return open_dialog(box)


def _lines(reasons: dict[str, tuple[str, ...]]) -> str:
    shown = [f"• {key}: {' '.join(why)}" for key, why in list(reasons.items())[:LISTED]]
    if len(reasons) > LISTED:
        shown.append(f"• and {len(reasons) - LISTED} more")
    return "\n".join(shown)


def gate_sprint(
    ctx: AppContext,
    item_ids: Sequence[int],
    sprint_name: str,
    proceed: Callable[[], bool],
    parent: QWidget | None = None,
) -> bool:
    """Put items into a sprint; ask first when some are not Ready."""
    cards = ctx.read(refinement.live_cards, list(item_ids))
    unready = {c.key: c.not_ready_because for c in cards if c.ready is False}
    if not unready:
        return proceed()
    noun = "item is" if len(unready) == 1 else "items are"
    text = (
        f"{len(unready)} {noun} not Ready:\n{_lines(unready)}\n\n"
        f"Add them to {sprint_name} anyway? The override is recorded in each item's history."
    )
    ask_first(parent, "Not Ready", text, proceed)
    return False


def gate_move(
    ctx: AppContext,
    cards: Sequence[Card],
    target: ColumnInfo,
    columns: Sequence[ColumnInfo],
    proceed: Callable[[], bool],
    parent: QWidget | None = None,
) -> bool:
    """Move cards (as the window shows them) into ``target``: ask first when some go into a
    done column without meeting the Definition of Done; warn when blocked items go into
    progress.

    The blockers are the cards' as the window holds them (reading the cards again cost a move
    more than its 10 ms budget); the Definition of Done is checked in the database."""
    categories = {c.id: c.category for c in columns}

    def go() -> bool:
        done = proceed()
        if done:
            warn_blocked(parent, cards, target, categories)
        return done

    if target.category != Category.DONE:
        return go()
    finishing = [c.id for c in cards if categories.get(c.column_id) != Category.DONE]
    verdicts = ctx.read(readiness.check_items, finishing, Definition.DONE) if finishing else {}
    keys = {c.id: c.key for c in cards}
    unmet = {keys[i]: v.reasons for i, v in verdicts.items() if not v.met}
    if not unmet:
        return go()
    noun = "item does" if len(unmet) == 1 else "items do"
    text = (
        f"{len(unmet)} {noun} not meet the Definition of Done:\n{_lines(unmet)}\n\n"
        f"Move them to {target.name} anyway? The override is recorded in each item's history."
    )
    ask_first(parent, "Definition of Done not met", text, go)
    return False


def warn_blocked(
    parent: QWidget | None, cards: Sequence[Card], target: ColumnInfo, categories: dict[int, str]
) -> QMessageBox | None:
    """Say which items went into progress while items they wait on are not done."""
    if not is_started(target.category) or target.category == Category.DONE:
        return None
    blocked = {
        c.key: c.blocked_by
        for c in cards
        if c.blocked_by and not is_started(categories.get(c.column_id, Category.BACKLOG))
    }
    if not blocked:
        return None
    lines = "\n".join(f"• {key} waits on {', '.join(by)}" for key, by in blocked.items())
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Blocked",
        f"Moved into {target.name}, though blocked by unfinished items:\n{lines}",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    return open_dialog(box)
