"""Articles carry ``origin``: the path, URL or queue entry their raw document came from (DESIGN's record).

A ``wiredesk parse`` of many files, a search result or an API item can then be attributed without a second
lookup. Stored articles take the origin of their raw document (the same value, redacted when it was kept).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE on both stores (no batch copy: SQLite keeps the table and its FTS triggers).
    op.add_column("articles", sa.Column("origin", sa.Text(), nullable=True))
    op.execute(
        "UPDATE articles SET origin = (SELECT raw_documents.origin FROM raw_documents "
        "WHERE raw_documents.id = articles.raw_document_id) WHERE raw_document_id IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column("articles", "origin")  # SQLite >= 3.35 drops a column in place
