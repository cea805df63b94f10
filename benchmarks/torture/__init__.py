"""`make torture`: the app under abuse (issue 8.8). Each part is a module with ``run()``
returning :class:`~benchmarks.torture.common.Figures`; ``python -m benchmarks.torture`` runs
them all at full size and prints the table; tests/torture runs each one short."""
