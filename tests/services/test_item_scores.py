"""The scoring inputs the backlog's score columns and the value/effort matrix read."""

from __future__ import annotations

import pytest

from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.items import add_item, archive_items, edit_item
from kanban.services.records import ProductInfo
from kanban.services.scoring import item_scores, no_inputs


def test_items_with_inputs_by_id_and_only_those_asked(db: Database, product: ProductInfo) -> None:
    scored = add_item(db, "WEB", "Scored")
    bare = add_item(db, "WEB", "No inputs")
    gone = add_item(db, "WEB", "Archived")
    edit_item(db, scored.id, scored.version, business_value=3, job_size=2.0, confidence=0.5)
    edit_item(db, gone.id, gone.version, reach=10.0)
    archive_items(db, [gone.id], True)
    found = item_scores(db, product.id)
    assert list(found) == [scored.id]  # no input at all, or archived: left out
    inputs = found[scored.id]
    assert (inputs.key, inputs.title, inputs.business_value, inputs.job_size) == (
        scored.key, "Scored", 3, 2.0,
    )  # fmt: skip
    assert inputs.confidence == 0.5 and inputs.reach is None
    assert item_scores(db, product.id, [bare.id]) == {}
    assert list(item_scores(db, product.id, [scored.id, bare.id])) == [scored.id]
    empty = no_inputs(bare.id, bare.key, bare.title, bare.rank)
    assert empty.business_value is None and empty.effort is None
    with pytest.raises(NotFoundError):
        item_scores(db, product.id + 99)


@pytest.mark.parametrize(
    "inputs", [{"confidence": 2.0}, {"job_size": -1.0}, {"reach": float("nan")}]
)
def test_a_new_item_with_an_unusable_input_is_refused_clearly(
    db: Database, product: ProductInfo, inputs: dict[str, float]
) -> None:
    """As an edit is: a one-line error naming the input, and no item made."""
    with pytest.raises(ValidationError, match=f"(?i)^{next(iter(inputs)).split('_')[0]}"):
        add_item(db, "WEB", "Sure thing", **inputs)
    assert item_scores(db, product.id) == {}
