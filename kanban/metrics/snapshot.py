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

from kanban.metrics.status import Figures

SNAPSHOT_SCHEMA = 1


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


def thaw(snapshot: str | None) -> Figures | None:
    """The figures frozen into a snapshot; None for none, damaged or foreign JSON."""
    try:
        data = json.loads(snapshot or "{}")
        if not isinstance(data, dict) or data.get("schema") != SNAPSHOT_SCHEMA:
            return None
        figures: Figures = decode(Figures, data["figures"])
        return figures
    except (KeyError, TypeError, ValueError):  # damaged or foreign JSON: as if there were none
        return None
