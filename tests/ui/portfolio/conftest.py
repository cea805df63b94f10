"""The Portfolio screen's tests may use the sample products (tests/ui/sample_fixtures.py)."""

from sample_fixtures import sample_db, sample_file, sample_window  # noqa: F401  (fixtures)
