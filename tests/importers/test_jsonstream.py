"""The JSON stream reader's depth check: the nesting of each value, not its bracket count."""

from __future__ import annotations

import io
import json

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


def test_a_list_read_value_by_value_across_the_buffer() -> None:
    rows = [{"id": n, "text": "é" * (n % 50), "at": [n, {"x": None}]} for n in range(3000)]
    text = '{"rows": [\n' + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]}"
    reader = JsonReader(io.StringIO(text))
    keys = reader.keys()
    assert next(keys) == "rows"
    assert list(reader.values()) == rows  # longer than a chunk: refilled as it goes
    assert list(keys) == []
    reader.end()
    empty = JsonReader(io.StringIO("[ ]"))
    assert list(empty.values()) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"a": 1} {"a": 2}]', r"line 1, column 11: expected ',' or '\]' after a value"),
        ('{"a": 1}', r"expected a list, found '\{'"),
        ('[{"a": 1},\n {"a": 1, "a": 2}]', "line 2, column 2: the key 'a' comes twice"),
        ("[1, 2", r"expected ',' or '\]' after a value"),
    ],
    ids=["no comma", "not a list", "a key twice", "cut"],
)
def test_a_list_read_value_by_value_refuses_what_is_broken(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        list(JsonReader(io.StringIO(text)).values())
