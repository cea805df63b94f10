"""Import fuzzing (issue 8.2, 8.8): mutated exports of the sample fed to `kanban import json`.

The fuzzer is ``tests/import_fuzz.py`` (the hostile-import work keeps it with its short run in
the suite); this part runs it for its share of the budget, a batch of mutants at a time, and
puts its figures in the table. Every mutant must be refused in one line leaving the database
empty, or accepted and then usable by every command.
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from pathlib import Path

from benchmarks.torture.common import REPO, Figures

FUZZER = REPO / "tests" / "import_fuzz.py"
BATCH = 50


def run(*, seconds: float = 60, count: int = 2000, seed: int = 1) -> list[Figures]:
    """Up to ``count`` mutants (fewer if ``seconds`` run out first)."""
    figures = Figures("import fuzzing (mutated exports)")
    if not FUZZER.exists():
        figures.note(f"{FUZZER.relative_to(REPO)} is not in this tree yet: nothing fuzzed")
        return [figures]
    spec = importlib.util.spec_from_file_location("import_fuzz", FUZZER)
    assert spec is not None and spec.loader is not None
    fuzzer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzzer)
    start = time.perf_counter()
    deadline = time.monotonic() + seconds
    inputs = accepted = refused = 0
    with tempfile.TemporaryDirectory(prefix="kanban-imports-") as name:
        folder = Path(name)
        text = fuzzer.sample_export(folder)
        batch = 0
        while inputs < count and time.monotonic() < deadline:
            result = fuzzer.fuzz(min(BATCH, count - inputs), seed * 1000 + batch, folder, text)
            batch += 1
            inputs += result.inputs
            accepted += result.accepted
            refused += result.refused
            for failure in result.failures:  # an exception's name, or a broken rule
                if "Error" in failure:
                    figures.tracebacks += 1
                else:
                    figures.corrupt += 1
                figures.note(failure[-300:])
    figures.counts.update(inputs=inputs, accepted=accepted, refused=refused)
    figures.note(f"{inputs} mutants: {refused} refused in one line, {accepted} accepted and used")
    figures.seconds = time.perf_counter() - start
    return [figures]
