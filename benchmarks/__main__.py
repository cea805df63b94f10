"""`python -m benchmarks` (`make bench`): every benchmark, each figure beside its floor."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import (
    bench_board,
    bench_charts,
    bench_file_size,
    bench_forecast,
    bench_import,
    bench_portfolio,
    bench_reports,
    bench_startup,
    bench_transfer,
)


def main() -> int:
    """Run the board, report, chart, forecast, portfolio, start-up, export/import and file size
    and Trello import benchmarks; 1 when a budget is missed."""
    print("== board: open, move, filter ==", flush=True)
    board = bench_board.run()
    print("\n== status reports ==", flush=True)
    reports = bench_reports.main()
    print("\n== charts ==", flush=True)
    charts = bench_charts.main()
    print("\n== forecast ==", flush=True)
    forecast = bench_forecast.main()
    print("\n== portfolio ==", flush=True)
    portfolio = bench_portfolio.main()
    print("\n== start-up ==", flush=True)
    startup = bench_startup.main()
    print("\n== export and import ==", flush=True)
    transfer = bench_transfer.main()
    print("\n== file size ==", flush=True)
    size = bench_file_size.main()
    print("\n== Trello import ==", flush=True)
    trello = bench_import.main()
    missed = (board, reports, charts, forecast, portfolio, startup, transfer, size, trello)
    return 1 if any(missed) else 0


if __name__ == "__main__":
    sys.exit(main())
