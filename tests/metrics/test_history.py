"""The history of a date in rows and in one sentence, from plain records."""

from __future__ import annotations

import datetime as dt

from kanban.metrics.history import (
    TargetChangeRecord,
    UpdateForecast,
    date_history,
    long_day,
    target_on,
    with_now,
)

MARCH_1 = dt.date(2027, 3, 1)


def change(
    day: int, previous: dt.date | None, target: dt.date | None, why: str = ""
) -> TargetChangeRecord:
    return TargetChangeRecord(dt.datetime(2027, 1, day, 9), previous, target, why, "po")


def update(
    n: int, day: int, p85: dt.date | None, target: dt.date | None = MARCH_1
) -> UpdateForecast:
    return UpdateForecast(n, dt.datetime(2027, 1, day, 16), target, None, p85, "at_risk")


def test_the_issues_example_sentence_and_when_the_slip_began() -> None:
    updates = [
        update(1, 4, dt.date(2027, 2, 20)),
        update(2, 11, dt.date(2027, 2, 27)),
        update(3, 18, dt.date(2027, 3, 20)),
        update(4, 25, dt.date(2027, 5, 2)),
    ]
    history = date_history([change(2, None, MARCH_1)], updates, MARCH_1)
    assert history.sentence() == (
        "Target 1 March 2027; the 85% forecast moved from 20 February 2027 to 2 May 2027 over "
        "4 updates, past the target since the update of 18 January 2027."
    )
    assert [r.kind for r in history.rows] == ["target", "update", "update", "update", "update"]
    assert history.late_since() == history.rows[3]


def test_a_slip_that_recovered_is_not_late_any_more() -> None:
    updates = [update(1, 4, dt.date(2027, 3, 9)), update(2, 11, dt.date(2027, 2, 25))]
    history = date_history([], updates, MARCH_1)
    assert history.late_since() is None
    assert history.sentence().endswith("over 2 updates.")


def test_without_target_or_forecast_the_sentence_says_so() -> None:
    assert date_history([], [], None).sentence() == (
        "No target date; no status update has recorded a forecast yet."
    )
    none = date_history([], [update(1, 4, None, None)], None)
    assert none.sentence() == "No target date; no forecast in 1 update."
    live = with_now(date_history([], [], MARCH_1), dt.date(2027, 1, 5), None, dt.date(2027, 3, 3))
    assert live.sentence() == (
        "Target 1 March 2027; no status update has recorded a forecast yet; the 85% forecast "
        "today is 3 March 2027."
    )
    assert live.rows[-1].late_days == 2 and live.late_since() == live.rows[-1]


def test_the_target_in_effect_on_a_day() -> None:
    moves = [change(2, None, MARCH_1), change(20, MARCH_1, dt.date(2027, 4, 1), "slip")]
    assert target_on(moves, dt.date(2027, 4, 1), dt.date(2027, 1, 1)) is None
    assert target_on(moves, dt.date(2027, 4, 1), dt.date(2027, 1, 10)) == MARCH_1
    assert target_on(moves, dt.date(2027, 4, 1), dt.date(2027, 1, 20)) == dt.date(2027, 4, 1)
    assert target_on([], MARCH_1, dt.date(2020, 1, 1)) == MARCH_1  # no history: as it is now
    assert long_day(dt.date(2027, 12, 31)) == "31 December 2027"
