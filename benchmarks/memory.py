"""A process's own peak memory, for the benchmarks that report memory.

``getrusage(RUSAGE_SELF).ru_maxrss`` will not do: Linux keeps it across ``execve``, so a
fresh child of a large process reports at least its parent's size. ``make bench`` runs every
benchmark in one process that grows to ~700 MB, and its children's "added memory" read
+666 MB where a child started from a small process read +99 MB. ``VmHWM`` in
``/proc/self/status`` is the peak of the process's own memory image.
"""

from __future__ import annotations

import inspect


def peak_mb() -> float:
    """The process's peak resident size so far, in MiB (``VmHWM``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


PEAK_MB_SOURCE = inspect.getsource(peak_mb)
"""The same function as source, for the scripts the benchmarks run with ``python -c``."""
