"""A short run of the import fuzzing (tests/import_fuzz.py; `make torture` runs a long one):
hostile variants of a real export are imported whole, or refused in one line with nothing
written; never a traceback."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_fuzz import _nodes, _parent, check, fuzz, sample_export

from kanban.services import open_database


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """A folder, the sample's export text, an empty database to copy."""
    folder = tmp_path_factory.mktemp("fuzz")
    text = sample_export(folder)
    template = folder / "empty.db"
    open_database(str(template)).close()
    return folder, text, template


def test_mutated_exports(work: tuple[Path, str, Path]) -> None:
    folder, text, _template = work
    result = fuzz(30, seed=20260312, folder=folder, text=text)
    assert result.failures == [], result.line()
    assert result.inputs == 30
    assert result.accepted and result.refused, "the run covers both outcomes"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(JSON, min_size=1, max_size=3), picks=st.randoms(use_true_random=False))
def test_any_json_value_anywhere(
    work: tuple[Path, str, Path], values: list[Any], picks: random.Random
) -> None:
    folder, text, template = work
    document = json.loads(text)
    for value in values:
        path, _old = picks.choice([node for node in _nodes(document) if node[0]])
        _parent(document, path)[path[-1]] = value
    assert check(json.dumps(document).encode(), folder, template) in ("accepted", "refused")
