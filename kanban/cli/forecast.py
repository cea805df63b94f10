"""`kanban forecast`: when will the work be done, and how much by a date, from past throughput.

``kanban forecast PRODUCT --json`` prints one JSON object, a stable contract::

    {
      "product": "WEB",
      "as_of": "2026-11-04",                  # the forecast uses the history up to this day
      "scope": {"kind": "backlog" | "items" | "sprint" | "epic" | "until" | "release",
                "label": "the backlog"},
      "remaining": {"items": 42, "points": 118.0, "unestimated": 3},
      "window": {"from": "2026-08-10", "to": "2026-11-01", "weeks": 12},   # whole ISO weeks
      "sampling": "week" | "day",             # what one draw of a run stands for
      "sample": [3, 5, 0, ...],               # the values the runs draw from, oldest first
      "weekly": [3, 5, 0, ...],               # items finished per ISO week of the window
      "runs": 10000,
      "seed": 20240101,
      "horizon": "2036-10-26",                # runs not done by then are beyond the horizon
      "percentile": "nearest rank",
      "when": {"items": 42, "p50": "2026-12-13", "p70": "...", "p85": "...", "p95": "...",
               "beyond_horizon": 0,           # runs that never finished
               "distribution": [{"date": "2026-12-06", "runs": 812}, ...]}
              | null,                         # no forecast: "reason" says why
      "reason": null | "No item was finished in the 12 weeks of the window.",
      "how_many": {"by": "2026-12-31", "p50": 30, "p70": 27, "p85": 24, "p95": 21}
              | null,                         # only with --by; null without a forecast
      "target": "2026-12-20" | null,          # the product's target (or the scope's)
      "late_days": 5 | null,                  # the p85 date minus the target
      "warnings": ["Only 3 weeks of the window had finished work ..."],
      "data_quality": {"checked": 120, "left_out": 1,   # items whose history is missing or
                       "note": "1 of 120 items is left out ...",  # impossible: in neither
                       "items": [{"key": "WEB-7", "title": "...",  # the sample nor the scope
                                  "problem": "done_before_created", "detail": "..."}]}
    }

A ``pNN`` date is null when that run is beyond the horizon. ``how_many.pNN`` is the count at
least NN% of the runs reach. New keys may be added; existing ones keep their meaning. The
same options and seed always give the same answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from kanban.cli.common import EXIT_OK, AddCommand, database, echo, echo_json, table
from kanban.domain import plural

if TYPE_CHECKING:
    from kanban.metrics.forecast import Forecast
    from kanban.services.figures import ProductForecast

# The defaults of kanban.metrics.forecast, repeated so --help needs no import of it.
WINDOW_WEEKS = 12
RUNS = 10_000
SEED = 20240101


def day(text: str) -> dt.date:
    """An argparse type: a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    forecast = add(
        "forecast",
        _forecast,
        "when will the work be done (and how much by a date): a Monte Carlo of past throughput",
    )
    forecast.add_argument("product", metavar="PRODUCT", help="product key or name")
    scope = forecast.add_mutually_exclusive_group()
    scope.add_argument("--items", type=positive, metavar="N", help="any N items")
    scope.add_argument("--epic", metavar="KEY", help="the open items of an epic")
    scope.add_argument("--until", metavar="KEY", help="the backlog down to this item")
    scope.add_argument("--sprint", metavar="NAME", help="the open items of a sprint")
    scope.add_argument("--release", metavar="NAME", help="the open items of a release")
    forecast.add_argument("--by", type=day, metavar="YYYY-MM-DD", help="also: how many by then")
    forecast.add_argument(
        "--as-of", type=day, metavar="YYYY-MM-DD", help="forecast from the history up to this day"
    )
    forecast.add_argument(
        "--window-weeks",
        type=positive,
        default=WINDOW_WEEKS,
        metavar="N",
        help=f"whole ISO weeks of throughput to draw from (default {WINDOW_WEEKS})",
    )
    forecast.add_argument(
        "--sample", choices=("week", "day"), default="week", help="draw per week or per day"
    )
    forecast.add_argument("--runs", type=positive, default=RUNS, help=f"default {RUNS:,}")
    forecast.add_argument("--seed", type=int, default=SEED, help=f"default {SEED}")
    forecast.add_argument("--json", action="store_true", help="print JSON (see the README)")


def _forecast(args: argparse.Namespace) -> int:
    from kanban.services.figures import product_forecast

    with database(args, must_exist=True) as db:
        result = product_forecast(
            db,
            args.product,
            items=args.items,
            epic=args.epic,
            until=args.until,
            sprint=args.sprint,
            release=args.release,
            by=args.by,
            as_of=args.as_of,
            window_weeks=args.window_weeks,
            sampling=args.sample,
            runs=args.runs,
            seed=args.seed,
        )
    if args.json:
        echo_json(forecast_json(result, asked_by=args.by is not None))
    else:
        echo(forecast_text(result, args.window_weeks))
    return EXIT_OK


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def forecast_json(result: ProductForecast, asked_by: bool = False) -> dict[str, Any]:
    """The documented ``--json`` object of a forecast."""
    fc = result.forecast
    sample = fc.sample
    data: dict[str, Any] = {
        "product": result.product_key,
        "as_of": fc.as_of.isoformat(),
        "scope": {"kind": str(fc.scope.kind), "label": fc.scope.label},
        "remaining": {
            "items": fc.remaining_items,
            "points": fc.remaining_points,
            "unestimated": fc.unestimated_items,
        },
        "window": {
            "from": sample.start.isoformat(),
            "to": sample.end.isoformat(),
            "weeks": sample.weeks,
        },
        "sampling": str(sample.sampling),
        "sample": list(sample.values),
        "weekly": list(sample.weekly),
        "runs": fc.runs,
        "seed": fc.seed,
        "horizon": fc.horizon.isoformat(),
        "percentile": "nearest rank",
        "when": None,
        "reason": fc.reason or None,
    }
    if fc.when is not None:
        data["when"] = {
            "items": fc.when.items,
            **{f"p{p}": _date(fc.when.at(p)) for p in (50, 70, 85, 95)},
            "beyond_horizon": fc.when.beyond_horizon,
            "distribution": [
                {"date": bar.date.isoformat(), "runs": bar.runs} for bar in fc.when.distribution
            ],
        }
    if asked_by:
        data["how_many"] = None
        if fc.how_many is not None:
            data["how_many"] = {
                "by": fc.how_many.by.isoformat(),
                **{f"p{p}": fc.how_many.at(p) for p in (50, 70, 85, 95)},
            }
    data["target"] = _date(fc.target)
    data["late_days"] = fc.delay_days
    data["warnings"] = list(fc.warnings)
    data["data_quality"] = {
        "checked": result.quality.checked,
        "left_out": result.quality.count,
        "note": result.quality.note() or None,
        "items": [
            {"key": i.key, "title": i.title, "problem": i.problem, "detail": i.detail}
            for i in result.quality.issues
        ],
    }
    return data


def _finish(fc: Forecast, share: int) -> str:
    assert fc.when is not None
    value = fc.when.at(share)
    return value.isoformat() if value is not None else "beyond the horizon (10 years)"


def forecast_text(result: ProductForecast, window_weeks: int) -> str:
    """The human summary: scope, window, sample, runs and seed, then the answer."""
    fc = result.forecast
    sample = fc.sample
    points = f"{fc.remaining_points:g} points"
    if fc.unestimated_items:
        points += f", {fc.unestimated_items} unestimated"
    lines = [
        f"{result.product_key} ({result.product_name}), forecast as of {fc.as_of.isoformat()}",
        f"Scope:   {fc.scope.label}: {plural(fc.remaining_items, 'item')} left ({points})",
    ]
    if sample.weeks:
        asked = "" if sample.weeks == window_weeks else f" ({window_weeks} asked)"
        lines.append(
            f"Window:  {plural(sample.weeks, 'ISO week')}{asked}, "
            f"{sample.start.isoformat()} to {sample.end.isoformat()}"
        )
        per = "per week" if sample.sampling == "week" else f"per day ({len(sample.values)} days)"
        lines.append(
            f"Sample:  items finished per week {' '.join(map(str, sample.weekly))}"
            f" (mean {sample.mean_per_week:.1f}); drawn {per}"
        )
    lines.append(f"Runs:    {fc.runs:,}, seed {fc.seed}; percentiles by nearest rank")
    if fc.when is None:
        lines.append(f"No forecast: {fc.reason}")
    else:
        rows: list[tuple[str, ...]] = [(f"{p}%", _finish(fc, p)) for p in (50, 70, 85, 95)]
        lines += ["", f"When will the {plural(fc.when.items, 'item')} be done?", table(
            ("likely", "done by"), rows)]  # fmt: skip
    if fc.how_many is not None:
        rows = [(f"{p}%", f"at least {fc.how_many.at(p)}") for p in (50, 70, 85, 95)]
        lines += [
            "",
            f"How many by {fc.how_many.by.isoformat()}?",
            table(("likely", "items"), rows),
        ]
    if fc.target is not None:
        late = fc.delay_days
        verdict = (
            "no 85% date to compare"
            if late is None
            else f"the 85% date is {plural(late, 'day')} late"
            if late > 0
            else "the 85% date meets it"
        )
        lines += ["", f"Target {fc.target.isoformat()}: {verdict}"]
    if fc.warnings or result.quality.issues:
        lines.append("")
    lines += [f"Warning: {w}" for w in fc.warnings]
    if result.quality.issues:
        lines.append(f"Data quality: {result.quality.note()}")
    return "\n".join(lines)
