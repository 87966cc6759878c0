"""The SQL store: SQLAlchemy 2 models, Alembic migrations, idempotent saves, queries."""
