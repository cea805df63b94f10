"""The status-report model: sections from the data, updates, frozen snapshots."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from report_helpers import SCRIPT, Sample

from kanban import metrics
from kanban.errors import NotFoundError
from kanban.metrics import status
from kanban.metrics.snapshot import decode, encode
from kanban.reports import model
from kanban.services.items import add_item, move_item
from kanban.services.products import create_product
from kanban.services.questions import answer_question, list_questions
from kanban.services.status_updates import create_status_update, get_status_update
from kanban.storage.models import StatusUpdate

TODAY = metrics.today_utc()


def keys(section: model.ItemList) -> list[str]:
    return [i.key for i in section.items]


def test_a_product_without_updates_reports_the_last_two_weeks(sample: Sample) -> None:
    report = model.build_status_report(sample.db, "WEB")
    f = report.figures
    assert (report.health, report.update, report.frozen) == ("unknown", None, False)
    assert (f.period_start, f.period_end, f.as_of) == (TODAY - dt.timedelta(days=14), TODAY, TODAY)
    assert keys(f.done) == [sample.done]
    assert (f.done.count, f.done.points) == (1, 5.0)
    assert set(keys(f.in_progress)) == set(sample.in_progress)
    assert all(i.age_days == 0 for i in f.in_progress.items)
    assert keys(f.blocked) == [sample.blocked]
    assert f.blocked.items[0].blocked_reason == "Waiting for the merchant account"
    assert sample.archived in keys(f.added) and sample.deleted not in keys(f.added)
    assert keys(f.removed) == [sample.archived, sample.deleted]
    assert f.removed.items[1].column == "(deleted)"
    assert f.removed.points == 13.0  # the deleted item's points are gone with it


def test_questions_open_oldest_first_and_answered_in_the_period(sample: Sample) -> None:
    f = model.build_status_report(sample.db, "WEB").figures
    (open_question,) = f.open_questions.items
    assert open_question.text == "Which cards <b>exactly</b>?"
    assert (open_question.asked_by, open_question.urgency) == ("Ben Carter", "high")
    assert (f.open_questions.count, f.open_questions.oldest_days) == (1, 0)
    (answered,) = f.answered_questions.items
    assert (answered.answer, answered.item_key) == ("Yes, guests can check out.", sample.done)


def test_sprint_progress_and_forecast(sample: Sample) -> None:
    f = model.build_status_report(sample.db, "WEB").figures
    assert f.sprint == model.SprintProgress(
        name="Sprint 1",
        goal="Take payments",
        start_date=TODAY,
        end_date=TODAY + dt.timedelta(days=13),  # two weeks, both ends counted
        days_left=13,
        done_points=5.0,
        total_points=17.0,
        done_items=1,
        total_items=4,
    )
    # Work items left (the epic and the archived item are not): 3 in the sprint + 4 tasks.
    assert (f.forecast.remaining_items, f.forecast.remaining_points) == (7, 20.0)
    # The sample was made today: its only whole ISO week is this one, if today is a Sunday.
    if TODAY.weekday() == 6:
        assert f.forecast.sample.weekly == (1,)
        assert f.forecast.finish_85 == TODAY + dt.timedelta(weeks=7)
    else:
        assert (f.forecast.sample.weeks, f.forecast.when) == (0, None)
        assert "whole ISO week" in f.forecast.reason
    assert f.throughput[-1] == metrics.WeekCount(metrics.week_start(TODAY), 1, 5.0)


def test_every_live_item_is_listed_for_the_csv_in_priority_order(sample: Sample) -> None:
    report = model.build_status_report(sample.db, "WEB")
    titles = [i.title for i in report.items]
    assert titles[:3] == ["Payments", "Checkout page", "Search by brand"]
    assert SCRIPT in titles and "Old loyalty programme" not in titles
    checkout = report.items[1]
    assert (checkout.column, checkout.assignee, checkout.done) == ("Done", "Ana Silva", TODAY)
    assert checkout.cycle_days == 0


def test_the_latest_update_gives_health_and_words(sample: Sample) -> None:
    for health in ("on_track", "at_risk"):
        create_status_update(
            sample.db,
            "WEB",
            health=health,
            period_start=TODAY - dt.timedelta(days=7),
            period_end=TODAY,
            headline=f"{health} headline",
            problems="PayPal is late",
            recipient_ids=[sample.stakeholder_id],
        )
    report = model.build_status_report(sample.db, "WEB")
    assert report.health == "at_risk"
    assert report.update is not None
    assert (report.update.headline, report.update.problems) == (
        "at_risk headline",
        "PayPal is late",
    )
    assert report.update.recipients == ("Maria Keller",)
    assert report.figures.period_start == TODAY - dt.timedelta(days=7)


def test_a_past_update_shows_the_figures_frozen_when_it_was_saved(sample: Sample) -> None:
    start = TODAY - dt.timedelta(days=3)
    update = create_status_update(
        sample.db, "WEB", health="on_track", period_start=start, period_end=TODAY
    )
    # Frozen by the service in the transaction that saved the update.
    assert get_status_update(sample.db, update.id).snapshot["figures"]["as_of"] == str(TODAY)
    before = model.build_status_report(sample.db, "WEB", update.id)
    # The data moves on: a second item is finished, more work arrives, a question is answered.
    search = next(i for i in before.items if i.key == sample.in_progress[0])
    move_item(sample.db, _id(sample, search.key), column_id=sample.columns["Done"])
    add_item(sample.db, "WEB", "New work after the update", points=3)
    (question,) = list_questions(sample.db, "WEB", state="open")
    answer_question(sample.db, question.id, "Visa and Mastercard")

    after = model.build_status_report(sample.db, "WEB", update.id)
    assert after.frozen and after.figures == before.figures
    assert keys(after.figures.done) == [sample.done]
    assert after.figures.open_questions.count == 1
    assert "New work after the update" not in [i.title for i in after.items]
    live = model.build_draft_report(sample.db, "WEB")
    assert sorted(keys(live.figures.done)) == sorted([sample.done, search.key])
    assert live.figures.open_questions.count == 0


def _id(sample: Sample, key: str) -> int:
    from kanban.services.items import get_item

    return get_item(sample.db, key).id


def test_an_update_saved_without_figures_says_so_and_uses_todays(sample: Sample) -> None:
    update = create_status_update(
        sample.db, "WEB", health="off_track", period_start=TODAY, period_end=TODAY
    )
    with sample.db.write() as session:  # as an update written before figures were frozen
        session.execute(
            sa.update(StatusUpdate).where(StatusUpdate.id == update.id).values(snapshot="{}")
        )
    report = model.build_status_report(sample.db, "WEB", update.id)
    assert not report.frozen
    assert "without frozen figures" in report.note
    assert report.health == "off_track"
    assert keys(report.figures.done) == [sample.done]


def test_the_next_period_starts_where_the_last_update_ended(sample: Sample) -> None:
    assert model.next_period(sample.db, "WEB", TODAY) == (TODAY - dt.timedelta(days=14), TODAY)
    end = TODAY - dt.timedelta(days=5)
    create_status_update(
        sample.db, "WEB", health="on_track", period_start=end - dt.timedelta(days=9),
        period_end=end,
    )  # fmt: skip
    assert model.next_period(sample.db, "WEB", TODAY) == (end, TODAY)
    draft = model.build_draft_report(sample.db, "WEB", model.UpdateText("at_risk", "Draft"))
    assert (draft.figures.period_start, draft.health) == (end, "at_risk")


def test_an_update_of_another_product_is_not_found(sample: Sample) -> None:
    create_product(sample.db, "APP", "Mobile app")
    other = create_status_update(
        sample.db, "APP", health="on_track", period_start=TODAY, period_end=TODAY
    )
    with pytest.raises(NotFoundError, match="not an update of WEB"):
        model.build_status_report(sample.db, "WEB", other.id)
    with pytest.raises(NotFoundError):
        model.build_status_report(sample.db, "WEB", 999)


def test_figures_survive_the_json_round_trip(sample: Sample) -> None:
    figures = model.build_status_report(sample.db, "WEB").figures
    again = decode(model.Figures, json.loads(json.dumps(encode(figures))))
    assert again == figures


def test_sections_list_a_limited_number_of_rows_but_count_all(
    sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status, "LIST_LIMIT", 2)
    added = model.build_status_report(sample.db, "WEB").figures.added
    assert (len(added.items), added.count, added.more) == (2, 10, 8)
    assert added.points == 1 + 5 + 3 + 8 + 4 * 2 + 13


def test_figures_as_of_a_day_before_the_work_existed_are_empty(sample: Sample) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    update = create_status_update(
        sample.db, "WEB", health="on_track", period_start=yesterday, period_end=yesterday,
        as_of=yesterday,
    )  # fmt: skip
    f = decode(model.Figures, update.snapshot["figures"])
    assert f.as_of == yesterday
    assert (f.done.count, f.in_progress.count, f.blocked.count, f.added.count) == (0, 0, 0, 0)
    assert (f.open_questions.count, f.answered_questions.count, f.sprint) == (0, 0, None)
    assert (f.forecast.remaining_items, f.forecast.sample.values) == (0, ())
