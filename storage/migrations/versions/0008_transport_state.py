"""Per-feed delivery state for the transports (issue 18): ``transport_state`` and ``transport_seen``.

``transport_state`` holds one row per transport feed: the cursor to continue from (AFP ``dateFrom``, AP
``next_page``, Reuters GraphQL cursor) and the acknowledgement counters the health table shows.
``transport_seen`` is the seen-list of read-only remote folders (FTP/SFTP: name, size, mtime) and of article
pages (entry URL, its feed timestamp, the page's HTTP validators), one row per key, so a listing of
thousands of files is a keyed lookup, not one ever-growing JSON value.

Until this revision the state was a JSON text kept in ``feed_state.etag`` behind a marker; ``upgrade``
moves any such text into the new tables and clears the column.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_MARKER = "wiredesk-transport/1 "  # the stopgap's prefix in feed_state.etag
_COUNTERS = ("acknowledged", "pending_acks", "expired_receipts", "last_ack_error", "retry_after")


def upgrade() -> None:
    state = op.create_table(
        "transport_state",
        sa.Column("feed", sa.String(100), primary_key=True),
        sa.Column("transport", sa.String(40), nullable=False),
        sa.Column("cursor", sa.Text),
        sa.Column("counters", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    seen = op.create_table(
        "transport_seen",
        sa.Column("feed", sa.String(100), nullable=False),
        sa.Column("key", sa.String(1000), nullable=False),
        sa.Column("size", sa.BigInteger),
        sa.Column("mtime", sa.String(64)),
        sa.Column("validator", sa.Text),
        sa.PrimaryKeyConstraint("feed", "key", name="pk_transport_seen"),
    )
    _move_stopgap(state, seen)


def _move_stopgap(state: sa.Table, seen: sa.Table) -> None:
    """Carry a stopgap JSON state over (cursor, counters, seen-list) and clear ``feed_state.etag``."""
    from datetime import UTC, datetime

    bind = op.get_bind()
    feed_state = sa.table("feed_state", sa.column("name", sa.String), sa.column("etag", sa.Text))
    rows = bind.execute(
        sa.select(feed_state.c.name, feed_state.c.etag).where(feed_state.c.etag.like(_MARKER + "%"))
    ).all()
    for name, text in rows:
        try:
            values: dict[str, Any] = json.loads(text[len(_MARKER) :])
        except ValueError:
            values = {}
        if isinstance(values, dict) and values.get("transport"):
            bind.execute(
                state.insert().values(
                    feed=name,
                    transport=str(values["transport"])[:40],
                    cursor=values.get("cursor"),
                    counters={k: values[k] for k in _COUNTERS if k in values},
                    updated_at=datetime.now(UTC),
                )
            )
            for key, size_mtime in (values.get("seen") or {}).items():
                size, _, mtime = str(size_mtime).partition(":")
                bind.execute(
                    seen.insert().values(
                        feed=name,
                        key=str(key)[:1000],
                        size=int(size) if size.isdigit() else None,
                        mtime=mtime or None,
                    )
                )
        bind.execute(feed_state.update().where(feed_state.c.name == name).values(etag=None))


def downgrade() -> None:
    op.drop_table("transport_seen")
    op.drop_table("transport_state")
