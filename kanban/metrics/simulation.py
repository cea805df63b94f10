"""The Monte Carlo engine of the forecasts: runs that draw past throughput, period by period.

Every run draws one of the sample's ``values`` per period, uniformly and with replacement, from
one ``random.Random(seed)``: the stream a stakeholder can replay with Python alone. The runs are
computed together with NumPy, which reads the very same stream (its MT19937 generator started
from the state ``random.Random(seed)`` holds, and ``random()``'s own 53-bit rule), so a run's
draws are those a loop over ``random.Random(seed).random()`` makes, a hundred times faster.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

BLOCK_TABLE = 32_768
"""At most this many sequences in the table of a block of periods (see :func:`simulate_targets`)."""
_HIGH = 67108864.0
"""2**26: ``random()`` puts 27 bits of its first 32-bit draw above 26 of its second."""
_UNIT = 1.0 / 9007199254740992.0
"""2**-53: ``random()``'s 53 bits as a fraction of one."""


@dataclass(frozen=True, slots=True)
class Runs:
    """What the runs of a simulation did: when each finished, and how much by a date."""

    runs: int
    finished: dict[int, int]
    """Period (0 first) -> runs that finished in it; runs not in it are beyond the horizon."""
    counts: tuple[int, ...]
    """Items each run had finished after ``count_periods`` periods, most first (if asked)."""

    @property
    def beyond_horizon(self) -> int:
        """Runs that had not finished at the horizon."""
        return self.runs - sum(self.finished.values())

    def finish_period(self, share: float) -> int | None:
        """The period of the run at a nearest-rank percentile (None: beyond the horizon)."""
        rank = max(1, math.ceil(share * self.runs - 1e-9))
        seen = 0
        for period in sorted(self.finished):
            seen += self.finished[period]
            if seen >= rank:
                return period
        return None


class Stream:
    """``random.Random(seed).random()``, many values at a time."""

    def __init__(self, seed: int) -> None:
        words = random.Random(seed).getstate()[1]
        self._bits = np.random.MT19937()
        key = np.array(words[:-1], dtype=np.uint32)
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": words[-1]}}

    def uniforms(self, count: int) -> npt.NDArray[np.float64]:
        """The next ``count`` values of ``random()``."""
        raw = self._bits.random_raw(2 * count)
        high = (raw[0::2] >> 5).astype(np.float64)
        low = (raw[1::2] >> 6).astype(np.float64)
        return (high * _HIGH + low) * _UNIT

    def indices(self, count: int, size: int) -> npt.NDArray[np.intp]:
        """The next ``count`` values of ``floor(random() * size)``."""
        return np.floor(self.uniforms(count) * size).astype(np.intp)


def _block(values: tuple[int, ...], size: int) -> Ints:
    """The running sums, period by period, of every sequence of ``size`` draws, at the index
    that encodes the sequence in base ``len(values)`` (the first period's draw most
    significant): shape ``(len(values) ** size, size)``."""
    draws = np.array(values, dtype=np.int64)
    axes = np.meshgrid(*([draws] * size), indexing="ij")
    return np.cumsum(np.stack([axis.ravel() for axis in axes], axis=1), axis=1)


def _block_size(count: int) -> int:
    """How many periods one draw from the block table covers (at least 1)."""
    size = 1
    while size < 8 and count ** (size + 1) <= BLOCK_TABLE:
        size += 1
    return size


def simulate_targets(
    values: Sequence[int],
    targets: Sequence[int],
    runs: int,
    seed: int,
    periods: int,
    head_start: int = 0,
    count_periods: int = 0,
) -> list[Runs]:
    """Run the Monte Carlo once for several numbers of items: every run draws one of
    ``values`` per period, uniformly and with replacement, until it has finished the largest
    of ``targets`` or ``periods`` periods have passed; the period in which its running total
    reached each target is recorded on the way. One :class:`Runs` per target, in order.

    All runs advance together, a block of periods at a time, and each block takes ``runs``
    uniform draws from one ``random.Random(seed)``, run 0's first: run r's draws are the same
    whatever the values, the items remaining or the date asked about, so more throughput never
    finishes a run later and more items never earlier, and the runs for one target are exactly
    what a simulation of that target alone gives. One draw ``u`` picks the sequence at index
    ``floor(u * len(values) ** size)`` of a block of ``size`` periods (its digits in base
    ``len(values)``, most significant first, are the draws of its periods), which is exactly
    ``size`` independent draws of a value. The first block is one period long when
    ``head_start`` items of it were finished already (they do not count again); the others
    are as long as keeps ``len(values) ** size`` within ``BLOCK_TABLE`` (at most 8 periods).
    ``count_periods``: also record each run's items after that many periods (for "how many
    by a date").
    """
    stream = Stream(seed)
    values = tuple(values)
    best = max(values)
    totals: Ints = np.zeros(runs, dtype=np.int64)
    # Per target: the runs that have not reached it yet, and the periods the others did in.
    waiting = [np.arange(runs) for _ in targets]
    finished: list[dict[int, int]] = [{} for _ in targets]
    counts: tuple[int, ...] = ()
    tables: dict[int, Ints] = {}
    period = 0
    while period < periods and (any(w.size for w in waiting) or period < count_periods):
        first = period == 0 and head_start > 0
        size = 1 if first else min(_block_size(len(values)), periods - period)
        running = tables.get(size)
        if running is None:
            running = tables[size] = _block(values, size)
        drawn = stream.indices(runs, len(running))
        sums = running[drawn]
        if first:
            sums = np.maximum(sums - head_start, 0)
        before, totals = totals, totals + sums[:, -1]
        if period < count_periods <= period + size:
            partial = before + sums[:, count_periods - period - 1]
            counts = tuple(sorted(partial.tolist(), reverse=True))
        for at, target in enumerate(targets):
            runs_waiting = waiting[at]
            reached = totals[runs_waiting] >= target
            if reached.any():
                done = runs_waiting[reached]
                # The period inside the block in which the run's running sum got there.
                steps = (sums[done] < (target - before[done])[:, None]).sum(axis=1)
                tally = finished[at]
                for step, many in zip(*np.unique(steps, return_counts=True), strict=True):
                    tally[period + int(step)] = tally.get(period + int(step), 0) + int(many)
                runs_waiting = runs_waiting[~reached]
            period_after = period + size
            # No run still short of it could get there drawing the best value every time.
            if (
                period_after >= count_periods
                and runs_waiting.size
                and int(np.max(totals[runs_waiting])) + best * (periods - period_after) < target
            ):
                runs_waiting = runs_waiting[:0]
            waiting[at] = runs_waiting
        period += size
    return [Runs(runs, done, counts) for done in finished]


def simulate(
    values: Sequence[int],
    remaining: int,
    runs: int,
    seed: int,
    periods: int,
    head_start: int = 0,
    count_periods: int = 0,
) -> Runs:
    """Run the Monte Carlo for one number of items (see :func:`simulate_targets`)."""
    return simulate_targets(values, [remaining], runs, seed, periods, head_start, count_periods)[0]
