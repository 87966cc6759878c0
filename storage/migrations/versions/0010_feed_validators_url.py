"""Feed state remembers which URL its conditional-GET validators came from (``validators_url``).

An ``ETag`` or ``Last-Modified`` belongs to one resource (RFC 9110, 8.8): sent to another URL after an
operator changes a feed's ``url``, an older ``Last-Modified`` made the new server answer 304 on every poll
and the new feed was never ingested. The poller now sends the validators only to the URL they came from.
Rows of earlier versions have no URL: their validators are not sent, so the first poll after the upgrade
fetches in full (an unchanged document is then stored as unchanged) and records the URL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feed_state", sa.Column("validators_url", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("feed_state", "validators_url")
