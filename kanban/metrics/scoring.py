"""Scores that suggest an order and never impose one: WSJF and RICE, with their formulas shown.

**WSJF** (SAFe's weighted shortest job first): cost of delay over job size, where the cost of
delay is business value + time criticality + risk reduction (opportunity enablement). **RICE**
(Intercom): reach x impact x confidence / effort, confidence a share from 0 to 1 (shown as a
percentage). A score needs every one of its inputs, and a job size or effort above zero; an
item without them has no score (never a zero that would sink it).

A proposal (:func:`propose`) orders the scored items by score, highest first (equal scores
keep their current order), in the places those items hold now: items without a score stay
exactly where they are. The product owner reviews it and applies it, or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kanban.domain import ScoreMethod
from kanban.errors import ValidationError

WSJF_FIELDS = ("business_value", "time_criticality", "risk_reduction", "job_size")
RICE_FIELDS = ("reach", "impact", "confidence", "effort")

FORMULAS = {
    ScoreMethod.WSJF: "WSJF = (business value + time criticality + risk reduction) / job size",
    ScoreMethod.RICE: "RICE = reach × impact × confidence / effort",
}
"""Each method's formula, shown wherever a score is (the weights are all 1)."""

FIELD_LABELS = {
    "business_value": "Business value",
    "time_criticality": "Time criticality",
    "risk_reduction": "Risk reduction",
    "job_size": "Job size",
    "reach": "Reach",
    "impact": "Impact",
    "confidence": "Confidence",
    "effort": "Effort",
}


def method_fields(method: str) -> tuple[str, ...]:
    """The inputs a method's score is computed from."""
    return WSJF_FIELDS if method == ScoreMethod.WSJF else RICE_FIELDS


def check_method(method: str) -> ScoreMethod:
    """The method named, or ValidationError listing the methods there are."""
    try:
        return ScoreMethod(method)
    except ValueError:
        raise ValidationError(
            f"No scoring method {method!r}: use {' or '.join(ScoreMethod)}"
        ) from None


@dataclass(frozen=True, slots=True)
class ScoreInputs:
    """One item's scoring inputs, in its current backlog place."""

    item_id: int
    key: str
    title: str
    rank: str
    business_value: float | None
    time_criticality: float | None
    risk_reduction: float | None
    job_size: float | None
    reach: float | None
    impact: float | None
    confidence: float | None
    effort: float | None

    def value(self, name: str) -> float | None:
        """One input by name."""
        found: float | None = getattr(self, name)
        return found


def score(inputs: ScoreInputs, method: str) -> float | None:
    """An item's score by a method; None when an input is missing or the divisor is zero."""
    values = [inputs.value(name) for name in method_fields(method)]
    if any(v is None for v in values):
        return None
    a, b, c, d = (float(v) for v in values if v is not None)
    if method == ScoreMethod.WSJF:
        return (a + b + c) / d if d > 0 else None
    return a * b * c / d if d > 0 else None


def missing(inputs: ScoreInputs, method: str) -> tuple[str, ...]:
    """The inputs a score still needs (a zero divisor counts as missing)."""
    fields = method_fields(method)
    lacking = [FIELD_LABELS[n] for n in fields if inputs.value(n) is None]
    divisor = inputs.value(fields[-1])
    if divisor is not None and divisor <= 0:
        lacking.append(f"{FIELD_LABELS[fields[-1]]} above 0")
    return tuple(lacking)


@dataclass(frozen=True, slots=True)
class Scored:
    """One item of a proposal: its score (None: unscored), its place now and proposed."""

    inputs: ScoreInputs
    score: float | None
    place: int
    """1-based place in the current order."""
    proposed_place: int
    proposed_rank: str


def propose(items: Sequence[ScoreInputs], method: str) -> tuple[Scored, ...]:
    """The items (in their current order) with their scores and the proposed order: scored
    items sorted by score, highest first, into the ranks the scored items hold now; unscored
    items keep their place and rank. Returned in the proposed order."""
    scores = [score(item, method) for item in items]
    slots = [n for n, s in enumerate(scores) if s is not None]
    ordered = sorted(slots, key=lambda n: (-(scores[n] or 0.0), n))
    at = list(range(len(items)))  # the item placed at each position
    for slot, source in zip(slots, ordered, strict=True):
        at[slot] = source
    return tuple(
        Scored(items[source], scores[source], source + 1, position + 1, items[position].rank)
        for position, source in enumerate(at)
    )


def changed_ranks(proposal: Sequence[Scored]) -> dict[int, str]:
    """The items a proposal moves, each with its proposed rank."""
    return {s.inputs.item_id: s.proposed_rank for s in proposal if s.proposed_rank != s.inputs.rank}
