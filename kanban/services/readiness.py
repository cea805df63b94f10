"""Definitions of Ready and Done per product, custom rules confirmed item by item, and the
verdicts (computed by :mod:`kanban.readiness` from facts read here).

The board read asks :class:`BoardRefinement` for the refinement fields of every card: one query
per fact over the product (checklist counts, comment counts, blockers, confirmations), then a
verdict per distinct set of facts, not per card.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Integer, Select, bindparam, func, select

from kanban.domain import (
    DEFINITIONS,
    Definition,
    ItemKind,
    QuestionState,
    ReadinessCheck,
    SprintState,
    is_started,
)
from kanban.errors import ValidationError
from kanban.readiness import BUILT_IN_CHECKS, Facts, Rule, default_rules, reason, unmet
from kanban.services.common import (
    current_actor,
    driver_rows,
    find_item,
    find_product,
    get_row,
    item_key,
    log_activity,
)
from kanban.services.links import unfinished_blockers
from kanban.services.records import Readiness, RuleCheck, RuleInfo
from kanban.storage import tables
from kanban.storage.database import Database
from kanban.storage.models import (
    BoardColumn,
    Item,
    Product,
    ReadinessRule,
    RuleConfirmation,
    Sprint,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kanban.metrics.status import Refinement as ReportRefinement


def _check_definition(definition: str) -> Definition:
    if definition not in DEFINITIONS:
        raise ValidationError(
            f"A definition is one of {', '.join(DEFINITIONS)}, not {definition!r}"
        )
    return Definition(definition)


# --- definitions ---------------------------------------------------------------------------


def rule_infos(session: Session | Connection, product_id: int, definition: str) -> list[RuleInfo]:
    """A product's rules of one definition, in order: its stored rules, then the built-in
    checks it never stored (off); a product that stored none gets the defaults."""
    params = {"product_id": product_id, "definition": definition}
    stored = driver_rows(session, _RULES, params)
    if not stored:
        return [_info(None, product_id, definition, rule) for rule in default_rules(definition)]
    rules = [
        _info(rule_id, product_id, definition, Rule(check, text, bool(enabled), rule_id))
        for rule_id, check, text, enabled in stored
    ]
    present = {check for _, check, _, _ in stored}
    rules += [
        _info(None, product_id, definition, Rule(check, enabled=False))
        for check in BUILT_IN_CHECKS
        if check not in present
    ]
    return rules


_RULE = tables.readiness_rules.c  # Core: the board read runs this before any ORM
_RULES = (
    select(_RULE.id, _RULE.rule, _RULE.text, _RULE.enabled)
    .where(_RULE.product_id == bindparam("product_id"), _RULE.definition == bindparam("definition"))
    .order_by(_RULE.position, _RULE.id)
)


def _info(rule_id: int | None, product_id: int, definition: str, rule: Rule) -> RuleInfo:
    return RuleInfo(
        rule_id, product_id, definition, rule.check, rule.text, rule.enabled, rule.label
    )


def _pure(info: RuleInfo) -> Rule:
    return Rule(info.rule, info.text, info.enabled, info.id)


def list_rules(db: Database, product_ref: str | int, definition: str) -> list[RuleInfo]:
    """A product's Definition of Ready (``ready``) or of Done (``done``), in order: what the
    product owner wrote, else the built-in definition (every built-in rule is listed, switched
    on or off)."""
    definition = _check_definition(definition)
    with db.read() as session:
        return rule_infos(session, find_product(session, product_ref).id, definition)


def check_rules(definition: str, rules: Sequence[RuleInfo]) -> Definition:
    """Refuse a definition that names an unknown rule, a built-in twice or an empty line."""
    checked = _check_definition(definition)
    seen: set[str] = set()
    for rule in rules:
        if rule.rule not in (*BUILT_IN_CHECKS, ReadinessCheck.CUSTOM):
            raise ValidationError(f"Unknown readiness rule {rule.rule!r}")
        if rule.rule != ReadinessCheck.CUSTOM:
            if rule.rule in seen:
                raise ValidationError(f"The rule {rule.label!r} is listed twice")
            seen.add(rule.rule)
        elif not rule.text.strip():
            raise ValidationError("A custom rule needs some text")
    return checked


def set_rules(
    db: Database, product_ref: str | int, definition: str, rules: Sequence[RuleInfo]
) -> list[RuleInfo]:
    """Write a product's definition: the built-in rules switched on or off and the custom lines,
    in the order given. A custom line that keeps its id keeps its confirmations."""
    checked = check_rules(definition, rules)
    with db.write() as session:
        product = find_product(session, product_ref)
        write_rules(session, product.id, checked, rules)
        return rule_infos(session, product.id, checked)


def write_rules(
    session: Session, product_id: int, definition: Definition, rules: Sequence[RuleInfo]
) -> None:
    """Write a checked definition (:func:`check_rules`), in the caller's transaction."""
    stored = {
        row.id: row
        for row in session.scalars(
            select(ReadinessRule).where(
                ReadinessRule.product_id == product_id, ReadinessRule.definition == definition
            )
        )
    }
    built_in = [(r.check, r.enabled) for r in default_rules(definition)]
    if [(r.rule, r.enabled) for r in rules] == built_in:
        rules = []  # the built-in definition: stored as no rows, so it follows the app's
    kept = {r.id for r in rules if r.id is not None and r.id in stored}
    for rule_id, gone in stored.items():
        if rule_id not in kept:
            session.delete(gone)
    session.flush()
    for position, rule in enumerate(rules):
        text = " ".join(rule.text.split()) if rule.rule == ReadinessCheck.CUSTOM else ""
        row: ReadinessRule | None = stored.get(rule.id) if rule.id is not None else None
        if row is None:
            row = ReadinessRule(product_id=product_id, definition=definition, rule=rule.rule)
            if rule.id is not None and session.get(ReadinessRule, rule.id) is None:
                row.id = rule.id  # undo: the line comes back with its id
            session.add(row)
        row.rule, row.text, row.position, row.enabled = rule.rule, text, position, rule.enabled
    session.flush()
    on = sum(1 for rule in rules or default_rules(definition) if rule.enabled)
    name = "Ready" if definition == Definition.READY else "Done"
    log_activity(session, product_id, "definition_changed", f"Definition of {name}: {on} rules on")


def confirm_rule(
    db: Database, item_ref: str | int, rule_id: int, confirmed: bool = True
) -> Readiness:
    """Say that an item meets a custom rule of its product's definition (or no longer does);
    returns the item's verdict against that definition."""
    with db.write() as session:
        item = find_item(session, item_ref)
        rule = get_row(session, ReadinessRule, rule_id, "readiness rule")
        if rule.product_id != item.product_id or rule.rule != ReadinessCheck.CUSTOM:
            raise ValidationError("Only a custom rule of the item's own product is confirmed")
        row = session.get(RuleConfirmation, (item.id, rule.id))
        if confirmed and row is None:
            session.add(RuleConfirmation(item_id=item.id, rule_id=rule.id, actor=current_actor()))
        elif not confirmed and row is not None:
            session.delete(row)
        else:
            return item_readiness(session, item, rule.definition)
        action = "rule_confirmed" if confirmed else "rule_unconfirmed"
        log_activity(
            session, item.product_id, action, f"{item_key(session, item)}: {rule.text}", item.id
        )
        session.flush()
        return item_readiness(session, item, rule.definition)


# --- facts and verdicts for a few items ----------------------------------------------------


def item_facts(session: Session, item_ids: Sequence[int]) -> dict[int, Facts]:
    """The facts the rules look at, for some items (a few queries, whatever their number)."""
    return {item_id: facts for item_id, (_, facts) in _facts(session, item_ids).items()}


def _facts(session: Session, item_ids: Sequence[int]) -> dict[int, tuple[int, Facts]]:
    """Item id -> (its product id, its facts), with statements built once (a move into a done
    column runs them twice: the question before it, the override's record in it)."""
    params = {"item_ids": list(item_ids)}
    items = driver_rows(session, _FACT_ITEMS, params)
    checklists = {
        item_id: (int(done or 0), total)
        for item_id, total, done in driver_rows(session, _CHECKLISTS[1], params)
    }
    questions = dict(driver_rows(session, _FACT_QUESTIONS, params))
    blockers = unfinished_blockers(session, params["item_ids"])
    confirmed: dict[int, set[int]] = {}
    for item_id, rule_id in driver_rows(session, _CONFIRMED[1], params):
        confirmed.setdefault(item_id, set()).add(rule_id)
    return {
        item_id: (
            product_id,
            Facts(
                points=points,
                criteria=checklists.get(item_id, (0, 0))[1],
                criteria_done=checklists.get(item_id, (0, 0))[0],
                open_questions=questions.get(item_id, 0),
                blocked_by=blockers.get(item_id, ()),
                confirmed=frozenset(confirmed.get(item_id, ())),
            ),
        )
        for item_id, product_id, points in items
    }


def verdict(rules: Iterable[RuleInfo], definition: str, facts: Facts) -> Readiness:
    """An item's verdict against a definition's rules, given its facts."""
    checks = []
    for info in rules:
        if info.enabled:
            why = reason(_pure(info), facts)
            checks.append(RuleCheck(info, why is None, why or ""))
    return Readiness(definition, all(c.met for c in checks), tuple(checks))


def item_readiness(session: Session, item: Item, definition: str) -> Readiness:
    rules = rule_infos(session, item.product_id, definition)
    return verdict(rules, definition, item_facts(session, [item.id])[item.id])


def check_items(db: Database, item_ids: Sequence[int], definition: str) -> dict[int, Readiness]:
    """Item id -> its verdict against its product's definition (``ready`` or ``done``)."""
    definition = _check_definition(definition)
    with db.read() as session:
        return _check(session, item_ids, definition)


def _check(session: Session, item_ids: Sequence[int], definition: str) -> dict[int, Readiness]:
    rules: dict[int, list[RuleInfo]] = {}
    out = {}
    for item_id, (product_id, facts) in _facts(session, item_ids).items():
        if product_id not in rules:
            rules[product_id] = rule_infos(session, product_id, definition)
        out[item_id] = verdict(rules[product_id], definition, facts)
    return out


def record_overrides(session: Session, items: Sequence[Item], definition: str, where: str) -> None:
    """Write into the history, in the caller's transaction, that these items went ``where``
    (``"into Sprint 5"``, ``"into Done"``) while not meeting the definition: the record of the
    product owner's override."""
    ready = definition == Definition.READY
    if ready:  # Ready is asked of items not started yet, and not of epics
        columns = {item.column_id for item in items}
        started = {
            cid
            for cid, category in session.execute(
                select(BoardColumn.id, BoardColumn.category).where(BoardColumn.id.in_(columns))
            )
            if is_started(category)
        }
        items = [i for i in items if i.kind != ItemKind.EPIC and i.column_id not in started]
    if not items:
        return
    session.flush()
    verdicts = _check(session, [item.id for item in items], definition)
    action = "ready_overridden" if ready else "done_overridden"
    unmet = "while not Ready" if ready else "without meeting its Definition of Done"
    for item in items:
        found = verdicts.get(item.id)
        if found is not None and not found.met:
            reasons = " ".join(found.reasons)
            detail = f"{item_key(session, item)} went {where} {unmet}: {reasons}"
            log_activity(session, item.product_id, action, detail, item.id)


def refinement_figures(session: Session, product_id: int) -> ReportRefinement:
    """What a status report says of refinement, as it is now: the running sprint's (else the
    next planned sprint's) items not started that are not Ready, and the blocked-by chains."""
    # The figures load with the first report, not at start-up.
    from kanban.metrics.status import LIST_LIMIT, NotReadyRow
    from kanban.metrics.status import Refinement as ReportRefinement
    from kanban.services.links import chains_in

    sprint = session.execute(
        select(Sprint.id, Sprint.name)
        .where(Sprint.product_id == product_id, Sprint.state != SprintState.CLOSED)
        .order_by(Sprint.state != SprintState.ACTIVE, Sprint.start_date, Sprint.id)
        .limit(1)
    ).first()
    rows: list[NotReadyRow] = []
    if sprint is not None:
        started = {
            cid
            for cid, category in session.execute(
                select(BoardColumn.id, BoardColumn.category).where(
                    BoardColumn.product_id == product_id
                )
            )
            if is_started(category)
        }
        members = session.execute(
            select(Item.id, Item.number, Item.title, Item.kind, Item.column_id)
            .where(Item.sprint_id == sprint.id, Item.archived.is_(False))
            .order_by(Item.rank)
        ).all()
        judged = [m for m in members if m.kind != ItemKind.EPIC and m.column_id not in started]
        verdicts = _check(session, [m.id for m in judged], Definition.READY)
        key = session.scalar(select(Product.key).where(Product.id == product_id))
        rows = [
            NotReadyRow(f"{key}-{m.number}", m.title, verdicts[m.id].reasons)
            for m in judged
            if not verdicts[m.id].met
        ]
    return ReportRefinement(
        sprint=sprint.name if sprint is not None else None,
        not_ready=tuple(rows[:LIST_LIMIT]),
        not_ready_count=len(rows),
        chains=tuple(chains_in(session, product_id)[:LIST_LIMIT]),
    )


# --- the board -----------------------------------------------------------------------------

Tail = tuple[int, int, int, tuple[str, ...], bool | None, tuple[str, ...]]
"""The refinement fields at the end of a ``Card``: checklist done, checklist lines, comments,
blocked by, ready, not ready because."""


class BoardRefinement:
    """The refinement fields of a product's cards, read with one query per fact (for the
    cards ``item_ids``, or for the whole product when None); ``questions`` holds the cards'
    open question counts, read by the caller.

    A card in :attr:`special` (it has refinement rows or open questions) gets its fields from
    :meth:`tail`; every other card's are ``plain[points is None][judged]``, where *judged*
    means Ready is asked of it (not an epic, not in a started column: :attr:`started`).
    """

    def __init__(
        self,
        session: Session | Connection,
        product_id: int,
        item_ids: Sequence[int] | None,
        questions: dict[int, int],
    ) -> None:
        ids = None if item_ids is None else list(item_ids)
        self.checklists = {
            item_id: (int(done or 0), total)
            for item_id, total, done in self._rows(session, _CHECKLISTS, product_id, ids)
        }
        self.comments: dict[int, int] = dict(self._rows(session, _COMMENTS, product_id, ids))
        self.blockers = unfinished_blockers(session, ids, product_id if ids is None else None)
        confirmed: dict[int, set[int]] = {}
        for item_id, rule_id in self._rows(session, _CONFIRMED, product_id, ids):
            confirmed.setdefault(item_id, set()).add(rule_id)
        self.confirmed = {item_id: frozenset(rules) for item_id, rules in confirmed.items()}
        self.rules = tuple(
            _pure(info) for info in rule_infos(session, product_id, Definition.READY)
        )
        columns = driver_rows(session, _COLUMNS, {"product_id": product_id})
        self.started = frozenset(cid for cid, category in columns if is_started(category))
        self.special = (
            self.checklists.keys() | self.comments.keys() | self.blockers.keys()
            | self.confirmed.keys() | {i for i, count in questions.items() if count}
        )  # fmt: skip
        self._verdicts: dict[tuple[Any, ...], tuple[bool, tuple[str, ...]]] = {}
        self.plain = tuple(
            (
                (0, 0, 0, (), None, ()),
                (0, 0, 0, (), *self._judge(Facts(points=None if unestimated else 1.0))),
            )
            for unestimated in (False, True)
        )

    def _judge(self, facts: Facts) -> tuple[bool, tuple[str, ...]]:
        reasons = unmet(self.rules, facts)
        return not reasons, reasons

    @staticmethod
    def _rows(
        session: Session | Connection,
        queries: tuple[Any, Any],
        product_id: int,
        ids: list[int] | None,
    ) -> list[Any]:
        """Run a fact's query (``queries``: for a product, for some items)."""
        if ids is None:
            return driver_rows(session, queries[0], {"product_id": product_id})
        return driver_rows(session, queries[1], {"item_ids": ids})

    def tail(
        self, item_id: int, kind: str, points: float | None, column_id: int, questions: int
    ) -> Tail:
        """The refinement fields of one card."""
        done, total = self.checklists.get(item_id, (0, 0))
        blocked = self.blockers.get(item_id, ())
        ready: bool | None = None
        because: tuple[str, ...] = ()
        if kind != ItemKind.EPIC and column_id not in self.started:
            confirmed = self.confirmed.get(item_id, frozenset())
            key = (points is None, total, done, questions, blocked, confirmed)
            found = self._verdicts.get(key)
            if found is None:
                facts = Facts(points, total, done, questions, blocked, confirmed)
                found = self._verdicts[key] = self._judge(facts)
            ready, because = found
        return (done, total, self.comments.get(item_id, 0), blocked, ready, because)


# Core (kanban.storage.tables), built once at import: they run on the window's first screen,
# and for the moved card on every move (building them per read cost more than running them).
_ITEM = tables.items.c
_CHECKLIST = tables.checklist_items.c
_COMMENT = tables.comments.c
_CONFIRMATION = tables.rule_confirmations.c
_COLUMNS = select(tables.board_columns.c.id, tables.board_columns.c.category).where(
    tables.board_columns.c.product_id == bindparam("product_id")
)


def _per_product_and_items(query: Select[Any]) -> tuple[Select[Any], Select[Any]]:
    """A fact's query for a whole product, and for some items (``item_ids``)."""
    return (
        query.where(_ITEM.product_id == bindparam("product_id")),
        query.where(_ITEM.id.in_(bindparam("item_ids", expanding=True))),
    )


_CHECKLISTS = _per_product_and_items(
    select(_CHECKLIST.item_id, func.count(), func.sum(_CHECKLIST.done.cast(Integer)))
    .join(tables.items, _ITEM.id == _CHECKLIST.item_id)
    .group_by(_CHECKLIST.item_id)
)
_COMMENTS = _per_product_and_items(
    select(_COMMENT.item_id, func.count())
    .join(tables.items, _ITEM.id == _COMMENT.item_id)
    .where(_COMMENT.deleted.is_(False))
    .group_by(_COMMENT.item_id)
)
_CONFIRMED = _per_product_and_items(
    select(_CONFIRMATION.item_id, _CONFIRMATION.rule_id).join(
        tables.items, _ITEM.id == _CONFIRMATION.item_id
    )
)
_FACT_ITEMS = select(_ITEM.id, _ITEM.product_id, _ITEM.points).where(
    _ITEM.id.in_(bindparam("item_ids", expanding=True))
)
_QUESTION = tables.questions.c
_FACT_QUESTIONS = (
    select(_QUESTION.item_id, func.count())
    .where(
        _QUESTION.item_id.in_(bindparam("item_ids", expanding=True)),
        _QUESTION.state == QuestionState.OPEN,
    )
    .group_by(_QUESTION.item_id)
)
