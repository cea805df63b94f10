"""The JSON stream reader's depth check: the nesting of each value, not its bracket count."""

from __future__ import annotations

import io

import pytest

from kanban.errors import ValidationError
from kanban.importers.jsonstream import MAX_DEPTH, JsonReader


def _read(text: str) -> object:
    reader = JsonReader(io.StringIO(text))
    value = reader.value()
    reader.end()
    return value


def test_a_value_nested_just_past_the_limit_is_refused_naming_its_place() -> None:
    deep = "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2)  # below Python's recursion limit
    with pytest.raises(ValidationError, match="nested too deeply"):
        _read('{"labels": ' + deep + "}")


def test_brackets_inside_strings_are_not_nesting() -> None:
    title = "[" * (MAX_DEPTH * 3) + "{" * MAX_DEPTH
    value = _read('{"items": [{"title": "' + title + '", "tags": [[["x"]]]}]}')
    assert value == {"items": [{"title": title, "tags": [[["x"]]]}]}


def test_many_shallow_lists_in_one_value_are_read() -> None:
    shallow = ", ".join(["[1, [2]]"] * (MAX_DEPTH * 4))
    assert _read("[" + shallow + "]") == [[1, [2]]] * (MAX_DEPTH * 4)
