"""`python -m benchmarks.torture` (`make torture`): every part at full size, then the table.

``--seconds N`` is the whole run's budget (default 600), shared out between the parts; a part
stops at its full size (1,000 kills, 10 writers x 500 attempts...) or at its share, whichever
comes first, and says what it did. ``--only kills,soak`` runs some parts. PostgreSQL is
tortured too when $KANBAN_TEST_POSTGRES_URL names a server. Exit 1 when anything was lost,
corrupt or a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = tempfile.mkdtemp(prefix="kanban-torture-")  # the soak's window keeps its settings here
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")

from benchmarks.torture import (  # noqa: E402
    exports,
    imports,
    kills,
    migrations,
    oddfiles,
    soak,
    writers,
)
from benchmarks.torture.common import Figures, table  # noqa: E402

PARTS: dict[str, tuple[float, Callable[[float], list[Figures]]]] = {
    # name: (share of the budget, run it with that many seconds)
    "kills": (0.3, lambda s: kills.run(seconds=s)),
    "writers": (0.15, lambda s: writers.run(seconds=s)),
    "soak": (0.25, lambda s: soak.run(seconds=s)),
    "migrations": (0.1, lambda s: migrations.run(seconds=s)),
    "damaged-files": (0.1, lambda s: oddfiles.run(seconds=s)),
    "exports": (0.1, lambda s: exports.run(seconds=s)),
    "imports": (0.1, lambda s: imports.run(seconds=s)),
}


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for; print each part's figures as it ends, then the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.torture")
    parser.add_argument("--seconds", type=float, default=600, help="the whole run's budget")
    parser.add_argument("--only", default=",".join(PARTS), help="parts, comma-separated")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        parser.error(f"no part {', '.join(unknown)} (the parts: {', '.join(PARTS)})")
    total = sum(PARTS[name][0] for name in chosen)
    results: list[Figures] = []
    for name in chosen:
        share, part = PARTS[name]
        print(f"== {name} ({args.seconds * share / total:.0f} s) ==", flush=True)
        for figures in part(args.seconds * share / total):
            print(figures.line(), flush=True)
            results.append(figures)
    print()
    print(table(results))
    return 0 if all(f.ok for f in results) else 1


if __name__ == "__main__":
    sys.exit(main())
