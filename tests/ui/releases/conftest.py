"""The release notes run on the sample products."""

from sample_fixtures import sample_db, sample_file, sample_window  # noqa: F401  (fixtures)
