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
    op.create_table(
        "article_bands",
        sa.Column(
            "article_id", IdType, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("band", sa.SmallInteger, nullable=False),
        sa.Column("bucket", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "band", name="pk_article_bands"),
    )
    op.create_index("ix_article_bands_lookup", "article_bands", ["band", "bucket"])


def downgrade() -> None:
    op.drop_index("ix_article_bands_lookup", "article_bands")
    op.drop_table("article_bands")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("canceled_at")
        batch.drop_column("ednotes")
        batch.drop_column("signals")
