"""Tests of the fractional-index rank strings (kanban.ranking)."""

from __future__ import annotations

import itertools
import math
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kanban.ranking import initial_ranks, is_valid_rank, rank_between

DIGITS = string.digits + string.ascii_uppercase + string.ascii_lowercase
RESERVED = "A" + "0" * 26


def floor_log62(n: int) -> int:
    """Return floor(log62(n)) for n >= 1, in exact integer arithmetic."""
    power = 0
    while 62 ** (power + 1) <= n:
        power += 1
    return power


def assert_ordered(ranks: list[str]) -> None:
    assert all(is_valid_rank(rank) for rank in ranks)
    assert all(a < b for a, b in itertools.pairwise(ranks))


def test_alphabet_sorts_as_ascii() -> None:
    assert list(DIGITS) == sorted(DIGITS)
    assert rank_between(None, None) == "a0"


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, None, "a0"),
        (None, "a0", "Zz"),
        ("a0", None, "a1"),
        ("az", None, "b00"),
        ("bzz", None, "c000"),
        ("Zz", None, "a0"),
        (None, "b00", "az"),
        (None, "Y00", "Xzzz"),
        ("a0", "a1", "a0V"),
        ("a0", "a0V", "a0G"),
        ("a0V", "a1", "a0l"),
        ("Zz", "a0", "ZzV"),
        ("Zz", "a1", "a0"),
        ("a0", "a1V", "a1"),
        ("b125", "b129", "b127"),
        (None, "a0V", "a0"),
        (None, "b999", "b99"),
        ("a0z", "a1", "a0zV"),
        # The smallest and largest integer parts fall back to the fraction.
        (None, RESERVED + "1", RESERVED + "0V"),
        ("z" * 27, None, "z" * 27 + "V"),
        ("z" * 26 + "y", None, "z" * 27),
    ],
)
def test_reference_examples(before: str | None, after: str | None, expected: str) -> None:
    assert rank_between(before, after) == expected


@pytest.mark.parametrize("rank", ["a0", "az", "a0V", "b00", "Zz", "Z0", "Yzz1", RESERVED + "1"])
def test_valid_ranks(rank: str) -> None:
    assert is_valid_rank(rank)


@pytest.mark.parametrize(
    "rank",
    ["", "a", "b0", "a00", "a0V0", "Z", "0a", "a0!", "a0 ", "é0", RESERVED, "z" * 26],
)
def test_invalid_ranks(rank: str) -> None:
    assert not is_valid_rank(rank)
    with pytest.raises(ValueError, match="invalid rank"):
        rank_between(rank, None)
    with pytest.raises(ValueError, match="invalid rank"):
        rank_between(None, rank)


@pytest.mark.parametrize(
    ("before", "after"), [("a1", "a1"), ("a1", "a0"), ("a0V", "a0"), ("a0", "Zz")]
)
def test_before_not_less_than_after_raises(before: str, after: str) -> None:
    with pytest.raises(ValueError, match="is not before"):
        rank_between(before, after)


@st.composite
def ranks(draw: st.DrawFn) -> str:
    """Draw any valid rank, with integer parts of every width and either sign."""
    head = draw(st.sampled_from(string.ascii_letters))
    width = ord(head) - ord("a") + 1 if head.islower() else ord("Z") - ord(head) + 1
    digits = st.sampled_from(["0", "1", "y", "z", DIGITS])  # the extreme digits, or any digit
    integer = draw(st.text(draw(digits), min_size=width, max_size=width))
    fraction = draw(st.text(draw(digits), max_size=4)).rstrip("0")
    rank = head + integer + fraction
    return rank if rank != RESERVED else RESERVED + "1"


@settings(max_examples=200, deadline=None)
@given(ranks(), ranks())
def test_rank_between_any_two_ranks(x: str, y: str) -> None:
    assert is_valid_rank(x) and is_valid_rank(y)
    low, high = min(x, y), max(x, y)
    for before, after in [(None, low), (high, None), (low, high)]:
        if before == after:
            continue
        rank = rank_between(before, after)
        assert is_valid_rank(rank)
        assert before is None or before < rank
        assert after is None or rank < after
        assert len(rank) <= max(len(before or ""), len(after or "")) + 1


operations = st.lists(
    st.tuples(st.sampled_from(["insert", "move"]), st.integers(0, 10**6), st.integers(0, 10**6)),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 70), operations)
def test_random_inserts_and_moves_keep_order(start: int, ops: list[tuple[str, int, int]]) -> None:
    ranks = initial_ranks(start)
    assert_ordered(ranks)
    for kind, source, target in ops:
        if kind == "move" and ranks:
            ranks.pop(source % len(ranks))
        position = target % (len(ranks) + 1)
        before = ranks[position - 1] if position > 0 else None
        after = ranks[position] if position < len(ranks) else None
        ranks.insert(position, rank_between(before, after))
        assert_ordered(ranks)
        assert len(set(ranks)) == len(ranks)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["start", "end"]), max_size=300))
def test_inserts_at_either_end_stay_short(ends: list[str]) -> None:
    ranks = ["a0"]
    for count, end in enumerate(ends, start=1):
        if end == "start":
            ranks.insert(0, rank_between(None, ranks[0]))
        else:
            ranks.append(rank_between(ranks[-1], None))
        assert len(ranks[0 if end == "start" else -1]) <= 2 + floor_log62(count)
    assert_ordered(ranks)


def test_ten_thousand_moves_to_the_top_stay_short() -> None:
    column = initial_ranks(50)
    assert column[0] == "a0"  # integer part 0, so after n moves the top rank encodes -n
    for moves in range(1, 10_001):
        column.pop()
        column.insert(0, rank_between(None, column[0]))
        assert len(column[0]) <= 2 + floor_log62(moves)
    assert_ordered(column)
    assert max(len(rank) for rank in column) == 4


def test_ten_thousand_moves_to_the_bottom_stay_short() -> None:
    column = initial_ranks(50)
    assert column[-1] == "az"  # integer part 61, so after n moves the bottom rank encodes 61 + n
    for moves in range(1, 10_001):
        column.pop(0)
        column.append(rank_between(column[-1], None))
        assert len(column[-1]) <= 2 + floor_log62(61 + moves)
    assert_ordered(column)
    assert max(len(rank) for rank in column) == 4


def test_repeated_insertion_just_after_the_same_rank() -> None:
    first, nearest = "a0", "a1"
    for count in range(1, 1001):
        nearest = rank_between(first, nearest)
        assert first < nearest
        assert len(nearest) <= 2 + math.ceil(count / 5)
    # Going down, each digit position takes 6 insertions: V, G, 8, 4, 2, 1.
    assert len(nearest) == 2 + math.ceil(1000 / 6) == 169


def test_repeated_insertion_just_before_the_same_rank() -> None:
    nearest, last = "a0", "a1"
    for count in range(1, 1001):
        nearest = rank_between(nearest, last)
        assert nearest < last
        assert len(nearest) <= 2 + math.ceil(count / 5)
    # Going up, each digit position takes 5 insertions: V, l, t, x, z.
    assert len(nearest) == 2 + math.ceil(1000 / 5) == 202


def test_initial_ranks_for_a_large_import() -> None:
    ranks = initial_ranks(100_000)
    assert len(ranks) == 100_000
    assert_ordered(ranks)
    assert len(set(ranks)) == len(ranks)
    assert {len(rank) for rank in ranks} == {4}  # 1 + ceil(log62(100,000)) = 1 + 3


@pytest.mark.parametrize(("count", "length"), [(1, 2), (62, 2), (63, 3), (3844, 3), (3845, 4)])
def test_initial_ranks_lengths(count: int, length: int) -> None:
    ranks = initial_ranks(count)
    assert_ordered(ranks)
    assert {len(rank) for rank in ranks} == {length}


def test_initial_ranks_are_spread_and_leave_room() -> None:
    assert initial_ranks(0) == []
    assert initial_ranks(1) == ["aV"]
    ranks = initial_ranks(5)
    assert ranks == ["a6", "aI", "aV", "ah", "at"]
    assert rank_between(ranks[0], ranks[1]) == "a7"
    with pytest.raises(ValueError, match="negative"):
        initial_ranks(-1)
