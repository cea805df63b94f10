"""`python -m kanban`: the same as the `kanban` command."""

from __future__ import annotations

import sys

from kanban.cli import main

if __name__ == "__main__":
    sys.exit(main())
