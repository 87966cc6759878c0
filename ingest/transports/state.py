"""Per-feed delivery state (cursor, seen-list, page validators, acknowledgement counts), kept in the store.

No schema change: the state is one JSON text kept in the feed's own ``feed_state`` row, in the ``etag``
column (a queue, API cursor or remote folder has no HTTP validator of its own, and the column is ``TEXT`` on
SQLite and PostgreSQL). It is marked with ``MARKER`` so it can never be mistaken for -- or sent as -- an
HTTP ETag. It is written only after the documents it covers are committed, in its own short transaction.
A dedicated table is proposed in the issue-18 report (``transport_state``/``transport_seen``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, update

from storage.models import FeedState
from storage.store import Store

log = logging.getLogger(__name__)
MARKER = "wiredesk-transport/1 "
_feed_state = cast(Table, FeedState.__table__)


@dataclass(slots=True)
class TransportState:
    """Where a feed's delivery stands.

    ``cursor``: the position to continue from (AFP ``dateFrom``, AP ``next_page``, Reuters GraphQL cursor).
    ``seen``: remote file key -> ``"size:mtime"`` for read-only FTP/SFTP accounts, pruned to the current
    listing. ``validators``: page URL -> ``[etag, last_modified]`` for article pages. ``pending_acks``:
    documents committed whose acknowledgement failed on the last poll (they will be delivered again).
    """

    transport: str = ""
    cursor: str | None = None
    seen: dict[str, str] = field(default_factory=dict)
    validators: dict[str, list[str | None]] = field(default_factory=dict)
    acknowledged: int = 0
    pending_acks: int = 0
    expired_receipts: int = 0
    last_ack_error: str | None = None
    retry_after: float | None = None
    updated_at: str | None = None

    def to_text(self) -> str:
        return MARKER + json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_text(cls, text: str | None, transport: str) -> TransportState:
        """The state in ``text``; a fresh state when there is none, or it belongs to another transport
        (a feed switched from ``http`` keeps its old ETag there) or cannot be read."""
        if not text or not text.startswith(MARKER):
            return cls(transport=transport)
        try:
            values: dict[str, Any] = json.loads(text[len(MARKER) :])
            state = cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})
        except (ValueError, TypeError):
            log.warning(
                "transport state unreadable; starting afresh", extra={"transport": transport}
            )
            return cls(transport=transport)
        return state if state.transport == transport else cls(transport=transport)

    def summary(self) -> str:
        """One short line for the feed health table: transport, cursor/receipt state, pending acks."""
        parts = [self.transport]
        if self.cursor:
            parts.append(f"cursor {self.cursor[:40]}")
        if self.seen:
            parts.append(f"seen {len(self.seen)}")
        parts.append(f"acked {self.acknowledged}")
        parts.append(f"pending {self.pending_acks}")
        if self.expired_receipts:
            parts.append(f"expired {self.expired_receipts}")
        if self.retry_after:
            parts.append(f"retry-after {self.retry_after:g}s")
        return ", ".join(parts)


def summary_of(text: str | None) -> str | None:
    """The health line of a stored state whatever its transport; ``None`` when ``text`` holds none."""
    if not text or not text.startswith(MARKER):
        return None
    try:
        transport = json.loads(text[len(MARKER) :]).get("transport", "")
    except (ValueError, AttributeError):
        return None
    return TransportState.from_text(text, str(transport)).summary()


def load_transport_state(store: Store, feed: str, transport: str) -> TransportState:
    with store.engine.connect() as conn:
        text = conn.execute(select(_feed_state.c.etag).where(_feed_state.c.name == feed)).scalar()
    return TransportState.from_text(text, transport)


def save_transport_state(store: Store, feed: str, state: TransportState) -> str:
    """Write ``state`` into the feed's row (created when missing); returns the stored text."""
    state.updated_at = datetime.now(UTC).isoformat()
    text = state.to_text()
    with store.transaction() as conn:
        done = conn.execute(update(_feed_state).where(_feed_state.c.name == feed).values(etag=text))
        if done.rowcount == 0:
            conn.execute(insert(_feed_state).values(name=feed, etag=text, consecutive_failures=0))
    return text
