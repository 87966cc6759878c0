"""Feed health and conditional-GET state, one row per configured feed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_state",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("content_sha256", sa.String(64)),
        sa.Column("last_attempt", UTCDateTime),
        sa.Column("last_success", UTCDateTime),
        sa.Column("last_status", sa.String(20)),
        sa.Column("last_error", sa.Text),
        sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("items_new_last_run", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_new_item_at", UTCDateTime),
        sa.Column("next_run", UTCDateTime),
        sa.Column("last_duration_ms", sa.Integer),
    )


def downgrade() -> None:
    op.drop_table("feed_state")
