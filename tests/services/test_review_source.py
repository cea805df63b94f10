"""What a sprint review reads (kanban.services.review), on SQLite and PostgreSQL: the closed
sprint, its recorded scope with where each unfinished item went, the questions answered."""

from __future__ import annotations

import pytest
from review_sample import build_review_sample

from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.items import get_item
from kanban.services.review import review_source


def test_the_closing_sent_the_unfinished_items_on_and_says_where(db: Database) -> None:
    sample = build_review_sample(db)
    source = review_source(db, "WEB")
    assert source.sprint.name == "Sprint 1" and source.sprint.state == "closed"
    keys = {get_item(db, e.item_id).key: e for e in source.entries}
    assert set(keys) == {"WEB-1", "WEB-2", "WEB-3", "WEB-4", sample.added}
    assert {k for k, e in keys.items() if e.carried} == set(sample.carried)
    assert {keys[k].carried_to for k in sample.carried} == {"Sprint 2"}
    assert keys["WEB-1"].removed_at is None and not keys["WEB-1"].carried
    assert [q.text for q in source.questions] == ["Guest checkout too?"]
    assert {i.key for i in source.flow.items} >= set(keys)


def test_a_sprint_is_named_by_name_or_id_and_must_be_closed(db: Database) -> None:
    build_review_sample(db)
    one = review_source(db, "WEB", "SPRINT 1").sprint
    assert review_source(db, "WEB", one.id).sprint == one
    with pytest.raises(ValidationError, match="Sprint 2 of WEB is planned, not closed"):
        review_source(db, "WEB", "Sprint 2")
    with pytest.raises(NotFoundError, match="No sprint 'Sprint 7' in WEB"):
        review_source(db, "WEB", "Sprint 7")
