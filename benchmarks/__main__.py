"""`python -m benchmarks` (`make bench`): every benchmark, each figure beside its floor."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import (
    bench_board,
    bench_charts,
    bench_forecast,
    bench_portfolio,
    bench_reports,
    bench_startup,
    bench_transfer,
)


def main() -> int:
    """Run the board, report, chart, forecast, portfolio, start-up and export/import
    benchmarks; 1 when a budget is missed."""
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
    return 1 if board or reports or charts or forecast or portfolio or startup or transfer else 0


if __name__ == "__main__":
    sys.exit(main())
