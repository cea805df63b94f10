"""Persistence: SQLAlchemy models, the database file, and its Alembic migrations."""
