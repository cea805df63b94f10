"""The figures frozen into a status update: dataclasses to JSON-able values and back.

``freeze`` gives what ``status_updates.snapshot`` stores (``{"schema": N, "figures": ...}``);
``thaw`` reads it back, for every schema this app ever wrote.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import types
import typing
from typing import Any

from kanban.metrics.forecast import BACKLOG, HORIZON_WEEKS, Sampling
from kanban.metrics.status import Figures, Refinement

SNAPSHOT_SCHEMA = 3
"""1: the first figures (a 50%/85% forecast from rolling 7-day windows, the median cycle
time); 2: the forecast with its window, sample, runs, seed and four percentiles, the cycle-time
percentiles and the data-quality note; 3: refinement (the sprint's items not Ready, blocked-by
chains)."""
LEGACY_RUNS = 1000
LEGACY_SEED = 20240101
"""What every schema-1 forecast ran with."""


def encode(value: Any) -> Any:
    """A JSON-able copy of a dataclass tree: dates as ISO strings, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(kind: Any, data: Any) -> Any:
    """Rebuild a value of type ``kind`` (a dataclass, tuple, date, scalar...) from ``encode``'s.

    Raises KeyError, TypeError or ValueError when ``data`` does not have that shape.
    """
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            if type(None) not in typing.get_args(kind):
                raise TypeError(f"{kind} cannot be null")
            return None
        (inner,) = [a for a in typing.get_args(kind) if a is not type(None)]
        return decode(inner, data)
    if origin is tuple:
        inner, _ellipsis = typing.get_args(kind)
        return tuple(decode(inner, v) for v in data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(
            **{f.name: decode(hints[f.name], data[f.name]) for f in dataclasses.fields(kind)}
        )
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if kind is dt.date:
        return dt.date.fromisoformat(data)
    if kind in (int, float, str, bool):
        if not isinstance(data, int | float | str | bool):
            raise TypeError(f"{data!r} is not a {kind.__name__}")
        return kind(data)
    raise TypeError(f"Cannot decode a {kind}")


def freeze(figures: Figures) -> dict[str, Any]:
    """The JSON-able snapshot of figures (what ``StatusUpdate.snapshot`` stores)."""
    return {"schema": SNAPSHOT_SCHEMA, "figures": encode(figures)}


def _upgrade_1(figures: dict[str, Any]) -> dict[str, Any]:
    """Schema 1's figures in schema 2's shape, saying only what schema 1 knew."""
    old = figures["forecast"]
    as_of = dt.date.fromisoformat(old["as_of"])
    weekly = list(old["weekly_throughput"])
    start = as_of - dt.timedelta(days=7 * len(weekly) - 1)
    remaining = old["remaining_items"]
    when = None
    reason = ""
    if remaining == 0 or old["finish_50"] is not None:
        when = {
            "items": remaining,
            "p50": old["finish_50"],
            "p70": None,
            "p85": old["finish_85"],
            "p95": None,
            "beyond_horizon": 0,
            "distribution": [],
        }
    else:
        reason = f"No item was finished in the last {len(weekly)} weeks."
    forecast = {
        "as_of": old["as_of"],
        "scope": encode(BACKLOG),
        "sample": {
            "start": start.isoformat(),
            "end": old["as_of"],
            "weeks": len(weekly),
            "sampling": Sampling.WEEK,
            "values": weekly,
            "weekly": weekly,
        },
        "runs": LEGACY_RUNS,
        "seed": LEGACY_SEED,
        "horizon": (as_of + dt.timedelta(weeks=HORIZON_WEEKS)).isoformat(),
        "remaining_items": remaining,
        "remaining_points": old["remaining_points"],
        "unestimated_items": old["unestimated_items"],
        "when": when,
        "reason": reason,
        "how_many": None,
        "warnings": ["Saved before forecasts stated their window: 7-day windows, 50% and 85%."],
        "target": old["target"],
    }
    cycle = figures["cycle_time"]
    cycle_time = {
        "count": cycle["count"],
        "mean_days": cycle["mean_days"],
        "p50_days": cycle["median_days"],
        "p85_days": cycle["p85_days"],
        "p95_days": None,
    }
    quality = {"checked": 0, "issues": []}
    return figures | {"forecast": forecast, "cycle_time": cycle_time, "quality": quality}


def _upgrade_2(figures: dict[str, Any]) -> dict[str, Any]:
    """Schema 2's figures in schema 3's shape: refinement was not recorded then."""
    return figures | {"refinement": encode(Refinement(recorded=False))}


_UPGRADES = {1: _upgrade_1, 2: _upgrade_2}
"""Schema N's figures to schema N + 1's."""


def thaw(snapshot: str | None) -> Figures | None:
    """The figures frozen into a snapshot, of any schema; None for none, damaged or foreign."""
    try:
        data = json.loads(snapshot or "{}")
        if not isinstance(data, dict):
            return None
        schema, figures = data.get("schema"), data["figures"]
        if not isinstance(schema, int) or not 1 <= schema <= SNAPSHOT_SCHEMA:
            return None
        for version in range(schema, SNAPSHOT_SCHEMA):
            figures = _UPGRADES[version](figures)
        thawed: Figures = decode(Figures, figures)
        return thawed
    except (KeyError, TypeError, ValueError, AttributeError):  # damaged or foreign JSON
        return None
