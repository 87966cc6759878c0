"""Wire semantics: signals and editorial notes, cancellation time, MinHash LSH bands for near duplicates.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import IdType, UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("signals", sa.JSON, nullable=True))
        batch.add_column(sa.Column("ednotes", sa.JSON, nullable=True))
        batch.add_column(sa.Column("canceled_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("replaces", sa.JSON, nullable=True))
        batch.add_column(sa.Column("minhash", sa.LargeBinary, nullable=True))
    # One row per (LSH bucket, article): the band number is mixed into the bucket id, so a lookup is one
    # indexed IN query; clustered on the bucket (WITHOUT ROWID on SQLite) to keep it small and local.
    op.create_table(
        "article_bands",
        sa.Column("bucket", sa.BigInteger, nullable=False),
        sa.Column(
            "article_id", IdType, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.PrimaryKeyConstraint("bucket", "article_id", name="pk_article_bands"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_article_bands_article", "article_bands", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_article_bands_article", "article_bands")
    op.drop_table("article_bands")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("minhash")
        batch.drop_column("replaces")
        batch.drop_column("canceled_at")
        batch.drop_column("ednotes")
        batch.drop_column("signals")
