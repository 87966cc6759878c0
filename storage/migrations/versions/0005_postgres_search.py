"""PostgreSQL full-text search: folded ``tsvector`` per article in its language's configuration + GIN.

SQLite keeps its FTS5 index (0004); this revision does nothing there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

from storage.pgsearch import CREATE_SQL, DROP_SQL

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in CREATE_SQL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DROP_SQL:
        op.execute(statement)
