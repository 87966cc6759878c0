"""Cross-process feed locks, so several ``wiredesk run`` workers on one PostgreSQL database split the feeds.

A feed is polled by one worker at a time: PostgreSQL session-level advisory locks, taken with
``pg_try_advisory_lock`` (never waiting) and released when the poll ends -- or by the server when a worker
dies, because the lock belongs to its connection. SQLite stores live on one host with one service, so the
lock is always granted there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import xxhash
from sqlalchemy import text

from storage.store import Store

_NAMESPACE = "wiredesk-feed:"


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a feed name (advisory locks take a bigint)."""
    value = xxhash.xxh3_64_intdigest((_NAMESPACE + name).encode())
    return value - (1 << 64) if value >= (1 << 63) else value


@contextmanager
def feed_lock(store: Store, name: str) -> Iterator[bool]:
    """Yield True when this process holds the feed's lock (and so should poll it), else False."""
    if store.engine.dialect.name != "postgresql":
        yield True
        return
    key = lock_key(name)
    with store.engine.connect() as conn:
        acquired = bool(
            conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        )
        conn.commit()
        try:
            yield acquired
        finally:
            if acquired:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()
