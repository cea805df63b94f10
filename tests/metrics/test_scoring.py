"""Scores that suggest (issue 13.4, the formulas and the proposal): WSJF and RICE need every
input, a proposal reorders only the scored items, in the places they hold; the inputs are
item fields, checked on every edit."""

from __future__ import annotations

import pytest

from kanban.errors import ValidationError
from kanban.metrics.scoring import ScoreInputs, changed_ranks, missing, propose, score
from kanban.services import Database
from kanban.services.items import add_item, edit_item, get_item
from kanban.services.records import ProductInfo


def inputs(n: int, rank: str, **values: float | None) -> ScoreInputs:
    fields = dict.fromkeys(
        ("business_value", "time_criticality", "risk_reduction", "job_size", "reach", "impact",
         "confidence", "effort"),
    )  # fmt: skip
    fields.update(values)
    return ScoreInputs(n, f"WEB-{n}", f"Item {n}", rank, **fields)  # type: ignore[arg-type]


def test_wsjf_and_rice_follow_their_formulas() -> None:
    item = inputs(1, "a", business_value=8, time_criticality=5, risk_reduction=3, job_size=4,
                  reach=500, impact=2, confidence=0.8, effort=4)  # fmt: skip
    assert score(item, "wsjf") == (8 + 5 + 3) / 4
    assert score(item, "rice") == 500 * 2 * 0.8 / 4


def test_a_missing_input_or_a_zero_divisor_gives_no_score() -> None:
    item = inputs(1, "a", business_value=8, time_criticality=5, job_size=0)
    assert score(item, "wsjf") is None
    assert missing(item, "wsjf") == ("Risk reduction", "Job size above 0")


def test_a_proposal_moves_only_the_scored_items_into_their_own_places() -> None:
    items = [
        inputs(1, "a1", business_value=1, time_criticality=1, risk_reduction=1, job_size=3),
        inputs(2, "a2"),  # unscored: stays second
        inputs(3, "a3", business_value=9, time_criticality=9, risk_reduction=9, job_size=3),
        inputs(4, "a4", business_value=2, time_criticality=2, risk_reduction=2, job_size=3),
    ]
    proposal = propose(items, "wsjf")
    assert [s.inputs.key for s in proposal] == ["WEB-3", "WEB-2", "WEB-4", "WEB-1"]
    assert [s.proposed_rank for s in proposal] == ["a1", "a2", "a3", "a4"]
    assert changed_ranks(proposal) == {3: "a1", 4: "a3", 1: "a4"}


def test_equal_scores_keep_their_order() -> None:
    same = {"business_value": 1, "time_criticality": 1, "risk_reduction": 1, "job_size": 1}
    items = [inputs(n, f"a{n}", **same) for n in (1, 2, 3)]
    assert changed_ranks(propose(items, "wsjf")) == {}


def test_scoring_inputs_are_item_fields_checked_on_edit(db: Database, product: ProductInfo) -> None:
    card = add_item(db, "WEB", "Checkout")
    detail = edit_item(db, card.id, card.version, reach=500.0, confidence=0.8, job_size=3.0)
    assert (detail.reach, detail.confidence, detail.job_size) == (500.0, 0.8, 3.0)
    with pytest.raises(ValidationError, match="Confidence is a share from 0 to 1"):
        edit_item(db, card.id, detail.version, confidence=80.0)
    with pytest.raises(ValidationError, match="Effort must be a number of 0 or more"):
        edit_item(db, card.id, detail.version, effort=-1.0)
    assert get_item(db, card.id).confidence == 0.8
