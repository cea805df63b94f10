"""Definition of Ready and of Done: which rules an item meets, as a pure function of plain facts.

The services gather the facts (one query per fact over a product for the board, a few for one
item) and call :func:`unmet`; nothing here reads a database. A product that never wrote a
definition has the built-in one (:data:`DEFAULT_RULES`): for Ready, the item has story points,
acceptance criteria, no open question about it and no unfinished item blocking it; for Done,
every acceptance criterion is checked off. The questions log is the heart of it: an item with
an open question about it is not Ready until the question is answered (or marked obsolete).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from kanban.domain import Definition, ReadinessCheck, plural

BUILT_IN_CHECKS: tuple[ReadinessCheck, ...] = (
    ReadinessCheck.HAS_POINTS,
    ReadinessCheck.HAS_CRITERIA,
    ReadinessCheck.NO_OPEN_QUESTIONS,
    ReadinessCheck.NOT_BLOCKED,
    ReadinessCheck.CRITERIA_DONE,
)
"""The built-in rules in the order a definition lists them."""

CHECK_LABELS = {
    ReadinessCheck.HAS_POINTS: "It has story points",
    ReadinessCheck.HAS_CRITERIA: "It has acceptance criteria",
    ReadinessCheck.NO_OPEN_QUESTIONS: "No open question about it",
    ReadinessCheck.NOT_BLOCKED: "Not blocked by an unfinished item",
    ReadinessCheck.CRITERIA_DONE: "Every acceptance criterion is checked off",
}
"""How a built-in rule reads in a definition."""

DEFAULT_ON = {
    Definition.READY: frozenset(
        {
            ReadinessCheck.HAS_POINTS,
            ReadinessCheck.HAS_CRITERIA,
            ReadinessCheck.NO_OPEN_QUESTIONS,
            ReadinessCheck.NOT_BLOCKED,
        }
    ),
    Definition.DONE: frozenset({ReadinessCheck.CRITERIA_DONE}),
}
"""The built-in rules switched on in a definition the product owner has not written."""


class Rule(NamedTuple):
    """One line of a definition: a built-in check, or a custom line (``rule_id`` set) that the
    product owner confirms item by item."""

    check: str
    text: str = ""
    enabled: bool = True
    rule_id: int | None = None

    @property
    def label(self) -> str:
        """The line as a definition shows it."""
        if self.check == ReadinessCheck.CUSTOM:
            return self.text
        return CHECK_LABELS[ReadinessCheck(self.check)]


def default_rules(definition: str) -> tuple[Rule, ...]:
    """The built-in definition: every built-in rule, those of :data:`DEFAULT_ON` switched on."""
    on = DEFAULT_ON[Definition(definition)]
    return tuple(Rule(check, enabled=check in on) for check in BUILT_IN_CHECKS)


class Facts(NamedTuple):
    """What the rules look at, for one item."""

    points: float | None = None
    criteria: int = 0
    """How many checklist lines the item has."""
    criteria_done: int = 0
    open_questions: int = 0
    blocked_by: tuple[str, ...] = ()
    """Keys of the unfinished items that block it."""
    confirmed: frozenset[int] = frozenset()
    """Ids of the custom rules confirmed for it."""


def reason(rule: Rule, facts: Facts) -> str | None:
    """Why the item does not meet ``rule`` (one plain sentence), or None when it does."""
    check = rule.check
    if check == ReadinessCheck.HAS_POINTS:
        return None if facts.points is not None else "It has no story points."
    if check == ReadinessCheck.HAS_CRITERIA:
        return None if facts.criteria else "It has no acceptance criteria."
    if check == ReadinessCheck.NO_OPEN_QUESTIONS:
        if not facts.open_questions:
            return None
        return f"It has {plural(facts.open_questions, 'open question')}."
    if check == ReadinessCheck.NOT_BLOCKED:
        if not facts.blocked_by:
            return None
        verb = "is" if len(facts.blocked_by) == 1 else "are"
        return f"It is blocked by {_and(facts.blocked_by)}, which {verb} not done."
    if check == ReadinessCheck.CRITERIA_DONE:
        left = facts.criteria - facts.criteria_done
        if not left:
            return None
        verb = "is" if left == 1 else "are"
        return f"{left} of {facts.criteria} acceptance criteria {verb} not checked off."
    if rule.rule_id is not None and rule.rule_id in facts.confirmed:
        return None
    stop = "" if rule.text.endswith((".", "!", "?")) else "."
    return f"Not confirmed: {rule.text}{stop}"


def unmet(rules: Iterable[Rule], facts: Facts) -> tuple[str, ...]:
    """The reasons the item does not meet the enabled rules, in the definition's order; empty
    when it meets them all."""
    found = []
    for rule in rules:
        if rule.enabled:
            why = reason(rule, facts)
            if why is not None:
                found.append(why)
    return tuple(found)


def _and(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"
