"""Per-feed delivery state (cursor, acknowledgement counters, seen-list) as the transports see it.

Kept in the store's ``transport_state``/``transport_seen`` tables (``storage.transport_state``, Alembic
revision 0008). The runner loads it before a poll and saves it after the documents it covers are committed,
in its own short transaction; a seen-list entry is added only in ``acknowledge``, i.e. after commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from storage import transport_state as stored
from storage.store import Store

log = logging.getLogger(__name__)


class SeenList:
    """A feed's seen-list in the store: remote files (size, mtime) or article pages (validators)."""

    def __init__(self, store: Store, feed: str) -> None:
        self.store, self.feed = store, feed

    def contains(self, key: str, size: int | None, mtime: str | None) -> bool:
        return stored.seen_contains(self.store, self.feed, key, size, mtime)

    def get(self, key: str) -> stored.SeenEntry | None:
        return stored.seen_get(self.store, self.feed, key)

    def add(
        self, key: str, size: int | None, mtime: str | None, validator: str | None = None
    ) -> None:
        stored.seen_add(self.store, self.feed, key, size, mtime, validator)

    def prune(self, keep: set[str]) -> int:
        return stored.seen_prune(self.store, self.feed, keep)

    def count(self) -> int:
        return stored.seen_count(self.store, self.feed)


@dataclass(slots=True)
class TransportState:
    """Where a feed's delivery stands.

    ``cursor``: the position to continue from (AFP ``dateFrom``, AP ``next_page``, Reuters GraphQL cursor).
    ``pending_acks``: documents committed whose acknowledgement failed on the last poll (they will be
    delivered again). ``seen``: the feed's seen-list (``None`` when the state is not bound to a store)."""

    transport: str = ""
    cursor: str | None = None
    acknowledged: int = 0
    pending_acks: int = 0
    expired_receipts: int = 0
    last_ack_error: str | None = None
    retry_after: float | None = None
    updated_at: str | None = None
    seen: SeenList | None = field(default=None, repr=False, compare=False)
    seen_total: int = 0

    def counters(self) -> dict[str, Any]:
        return {
            "acknowledged": self.acknowledged,
            "pending_acks": self.pending_acks,
            "expired_receipts": self.expired_receipts,
            "last_ack_error": self.last_ack_error,
            "retry_after": self.retry_after,
            "seen": self.seen_total,
        }

    def summary(self) -> str:
        """One short line for the feed health table: transport, cursor/receipt state, pending acks."""
        parts = [self.transport]
        if self.cursor:
            parts.append(f"cursor {self.cursor[:40]}")
        if self.seen_total:
            parts.append(f"seen {self.seen_total}")
        parts.append(f"acked {self.acknowledged}")
        parts.append(f"pending {self.pending_acks}")
        if self.expired_receipts:
            parts.append(f"expired {self.expired_receipts}")
        if self.retry_after:
            parts.append(f"retry-after {self.retry_after:g}s")
        if self.pending_acks and self.last_ack_error:
            parts.append(f"last ack error: {self.last_ack_error[:60]}")
        return ", ".join(parts)


def _from_stored(row: stored.StoredState) -> TransportState:
    state = TransportState(transport=row.transport, cursor=row.cursor)
    for name, kind in (
        ("acknowledged", int),
        ("pending_acks", int),
        ("expired_receipts", int),
        ("seen_total", int),
    ):
        value = row.counters.get("seen" if name == "seen_total" else name)
        if isinstance(value, kind) and not isinstance(value, bool):
            setattr(state, name, value)
    error = row.counters.get("last_ack_error")
    state.last_ack_error = error if isinstance(error, str) else None
    retry = row.counters.get("retry_after")
    state.retry_after = float(retry) if isinstance(retry, int | float) else None
    state.updated_at = row.updated_at.isoformat() if row.updated_at else None
    return state


def load_transport_state(store: Store, feed: str, transport: str) -> TransportState:
    """The feed's state, bound to its seen-list; a fresh one when it has none or had another transport
    (the cursor of one API means nothing to another)."""
    row = stored.load(store, feed)
    if row is not None and row.transport == transport:
        state = _from_stored(row)
    else:
        if row is not None:
            log.info(
                "transport changed; delivery state starts afresh",
                extra={"feed": feed, "old": row.transport, "new": transport},
            )
        state = TransportState(transport=transport)
    state.seen = SeenList(store, feed)
    return state


def save_transport_state(store: Store, feed: str, state: TransportState) -> None:
    """Write ``state`` (cursor and counters) into the feed's ``transport_state`` row."""
    stored.save(store, stored.StoredState(feed, state.transport, state.cursor, state.counters()))


def transport_summaries(store: Store) -> dict[str, str]:
    """Feed name -> health line of its stored delivery state (for ``wiredesk feeds``)."""
    return {name: _from_stored(row).summary() for name, row in stored.load_all(store).items()}
