"""The Definition of Ready and of Done as a pure function of facts, checked over every
combination of rules switched on and of facts that matter to them."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from kanban.domain import Definition, ReadinessCheck
from kanban.readiness import BUILT_IN_CHECKS, DEFAULT_ON, Facts, Rule, default_rules, unmet

CUSTOM = Rule(ReadinessCheck.CUSTOM, "Designs signed off by UX", rule_id=7)

# What each rule asks, said independently of the code under test.
MEETS: dict[str, Callable[[Facts], bool]] = {
    ReadinessCheck.HAS_POINTS: lambda f: f.points is not None,
    ReadinessCheck.HAS_CRITERIA: lambda f: f.criteria > 0,
    ReadinessCheck.NO_OPEN_QUESTIONS: lambda f: f.open_questions == 0,
    ReadinessCheck.NOT_BLOCKED: lambda f: not f.blocked_by,
    ReadinessCheck.CRITERIA_DONE: lambda f: f.criteria_done == f.criteria,
    ReadinessCheck.CUSTOM: lambda f: 7 in f.confirmed,
}

FACTS = [
    Facts(points, criteria, done, questions, blocked, confirmed)
    for points in (None, 0.0, 3.0)
    for criteria, done in ((0, 0), (3, 0), (3, 2), (3, 3))
    for questions in (0, 1, 2)
    for blocked in ((), ("WEB-1",), ("WEB-1", "APP-2"))
    for confirmed in (frozenset(), frozenset({7}), frozenset({8}))
]
RULES = [*BUILT_IN_CHECKS, ReadinessCheck.CUSTOM]


@pytest.mark.parametrize("switched_on", list(itertools.product((False, True), repeat=len(RULES))))
def test_an_item_meets_a_definition_exactly_when_it_meets_every_rule_switched_on(
    switched_on: tuple[bool, ...],
) -> None:
    rules = [
        Rule(check, CUSTOM.text, on, CUSTOM.rule_id)
        if check == ReadinessCheck.CUSTOM
        else Rule(check, enabled=on)
        for check, on in zip(RULES, switched_on, strict=True)
    ]
    for facts in FACTS:
        reasons = unmet(rules, facts)
        failing = [r for r in rules if r.enabled and not MEETS[r.check](facts)]
        # Not met exactly when an enabled rule is not; one reason per such rule, in order.
        assert reasons == tuple(unmet([r], facts)[0] for r in failing), facts
        assert all(len(unmet([r], facts)) == 1 for r in failing)
        assert all(not r[0].islower() and "\n" not in r for r in reasons)


@pytest.mark.parametrize(
    ("rule", "facts", "reason"),
    [
        (ReadinessCheck.HAS_POINTS, Facts(), "It has no story points."),
        (ReadinessCheck.HAS_CRITERIA, Facts(points=1), "It has no acceptance criteria."),
        (ReadinessCheck.NO_OPEN_QUESTIONS, Facts(open_questions=1), "It has 1 open question."),
        (ReadinessCheck.NO_OPEN_QUESTIONS, Facts(open_questions=2), "It has 2 open questions."),
        (
            ReadinessCheck.NOT_BLOCKED,
            Facts(blocked_by=("WEB-1",)),
            "It is blocked by WEB-1, which is not done.",
        ),
        (
            ReadinessCheck.NOT_BLOCKED,
            Facts(blocked_by=("WEB-1", "WEB-4", "APP-2")),
            "It is blocked by WEB-1, WEB-4 and APP-2, which are not done.",
        ),
        (
            ReadinessCheck.CRITERIA_DONE,
            Facts(criteria=5, criteria_done=4),
            "1 of 5 acceptance criteria is not checked off.",
        ),
        (
            ReadinessCheck.CRITERIA_DONE,
            Facts(criteria=5, criteria_done=2),
            "3 of 5 acceptance criteria are not checked off.",
        ),
    ],
)
def test_each_reason_reads_as_a_plain_sentence(rule: str, facts: Facts, reason: str) -> None:
    assert unmet([Rule(rule)], facts) == (reason,)


def test_a_custom_rule_is_met_once_confirmed_for_the_item() -> None:
    assert unmet([CUSTOM], Facts()) == ("Not confirmed: Designs signed off by UX.",)
    assert unmet([CUSTOM], Facts(confirmed=frozenset({8}))) == unmet([CUSTOM], Facts())
    assert unmet([CUSTOM], Facts(confirmed=frozenset({7}))) == ()


def test_reasons_follow_the_definitions_order() -> None:
    rules = [Rule(ReadinessCheck.NOT_BLOCKED), Rule(ReadinessCheck.HAS_POINTS)]
    facts = Facts(blocked_by=("WEB-1",))
    assert unmet(rules, facts) == (
        "It is blocked by WEB-1, which is not done.",
        "It has no story points.",
    )
    assert unmet(rules[::-1], facts) == unmet(rules, facts)[::-1]


def test_the_built_in_definitions() -> None:
    ready = default_rules(Definition.READY)
    assert [r.check for r in ready] == list(BUILT_IN_CHECKS)
    assert {r.check for r in ready if r.enabled} == DEFAULT_ON[Definition.READY]
    # The heart of it: an open question alone keeps an otherwise refined item from Ready.
    refined = Facts(points=3, criteria=2)
    assert unmet(ready, refined) == ()
    assert unmet(ready, Facts(points=3, criteria=2, open_questions=1)) == (
        "It has 1 open question.",
    )
    done = default_rules(Definition.DONE)
    assert {r.check for r in done if r.enabled} == {ReadinessCheck.CRITERIA_DONE}
    assert unmet(done, Facts(criteria=2, criteria_done=2)) == ()
    assert unmet(done, Facts()) == ()  # no criteria: nothing left to check off
