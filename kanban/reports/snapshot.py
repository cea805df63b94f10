"""Frozen dataclasses to JSON-able values and back, for the figures frozen into a status update."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from typing import Any


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
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)  # type: ignore[arg-type]
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
