"""kanban: the product owner's backlog, board, sprints, status reports and questions."""

# Used when the package is run from a source tree without being installed; kept equal to
# pyproject.toml's version by tests/cli/test_cli.py.
__version__ = "0.1.0"
