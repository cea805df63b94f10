"""The Monte Carlo engine against its definition: a plain loop over ``random.Random(seed)``."""

from __future__ import annotations

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kanban.metrics.simulation import BLOCK_TABLE, Stream, simulate, simulate_targets


def block_size(count: int) -> int:
    """The longest block whose sequences number at most BLOCK_TABLE (1 to 8 periods)."""
    return max([1] + [s for s in range(1, 9) if count**s <= BLOCK_TABLE])


def by_definition(
    values: list[int],
    targets: list[int],
    runs: int,
    seed: int,
    periods: int,
    head_start: int,
    count_periods: int,
) -> list[tuple[dict[int, int], tuple[int, ...]]]:
    """What the engine's docstring says, one run and one period at a time: per block, each run
    in turn takes ``u = random()`` and reads the digits of ``floor(u * len(values) ** size)``
    in base ``len(values)``, most significant first, as its draws for the block's periods."""
    rng = random.Random(seed)
    base = len(values)
    totals = [0] * runs
    reached: list[list[int | None]] = [[None] * runs for _ in targets]
    counts: list[int] = []
    period = 0
    while period < periods:
        first = period == 0 and head_start > 0
        size = 1 if first else min(block_size(base), periods - period)
        for run in range(runs):
            index = math.floor(rng.random() * base**size)
            digits = [(index // base ** (size - 1 - k)) % base for k in range(size)]
            for k, digit in enumerate(digits):
                got = values[digit]
                totals[run] += max(0, got - head_start) if first else got
                if period + k + 1 == count_periods:
                    counts.append(totals[run])
                for at, target in enumerate(targets):
                    if reached[at][run] is None and totals[run] >= target:
                        reached[at][run] = period + k
        period += size
    result = []
    for periods_reached in reached:
        finished: dict[int, int] = {}
        for p in periods_reached:
            if p is not None:
                finished[p] = finished.get(p, 0) + 1
        result.append((finished, tuple(sorted(counts, reverse=True))))
    return result


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.integers(0, 40), min_size=1, max_size=14).filter(any),
    targets=st.sets(st.integers(1, 400), min_size=1, max_size=3).map(sorted),
    runs=st.integers(1, 30),
    seed=st.integers(0, 2**32),
    periods=st.sampled_from([1, 2, 5, 13, 60]),
    head_start=st.integers(0, 4),
    count_periods=st.integers(0, 20),
)
def test_the_engine_is_its_definition(
    values: list[int],
    targets: list[int],
    runs: int,
    seed: int,
    periods: int,
    head_start: int,
    count_periods: int,
) -> None:
    count_periods = min(count_periods, periods)
    got = simulate_targets(values, targets, runs, seed, periods, head_start, count_periods)
    expected = by_definition(values, targets, runs, seed, periods, head_start, count_periods)
    assert [(r.finished, r.counts if count_periods else ()) for r in got] == [
        (finished, counts if count_periods else ()) for finished, counts in expected
    ]
    assert all(r.runs == runs for r in got)


def test_ten_thousand_runs_replay_python_random_exactly() -> None:
    # The first block of 12 weekly values covers 4 weeks (12**4 <= 32,768 < 12**5): run r
    # finishes 1 item in the week of the first nonzero digit of floor(random() * 12**4).
    values = [0] * 11 + [1]
    rng = random.Random(20240101)
    indexes = [math.floor(rng.random() * 12**4) for _ in range(10_000)]
    expected: dict[int, int] = {}
    for index in indexes:
        digits = [(index // 12 ** (3 - k)) % 12 for k in range(4)]
        if 11 in digits:
            week = digits.index(11)
            expected[week] = expected.get(week, 0) + 1
    got = simulate(values, 1, 10_000, 20240101, periods=4)
    assert got.finished == expected
    assert got.beyond_horizon == 10_000 - sum(expected.values())


@given(seed=st.integers(0, 2**64), count=st.integers(0, 700))
def test_the_stream_is_python_random_bit_for_bit(seed: int, count: int) -> None:
    rng = random.Random(seed)
    stream = Stream(seed)
    first = stream.uniforms(count).tolist()
    assert first == [rng.random() for _ in range(count)]
    assert stream.uniforms(3).tolist() == [rng.random() for _ in range(3)]  # and goes on
