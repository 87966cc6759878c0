"""Per-feed delivery state of the transports: one ``transport_state`` row and a seen-list per feed.

The transports (``ingest.transports``) write here only after the documents a value covers are committed
(DESIGN.md: a cursor advances, a file counts as seen, only after its raw bytes are stored), each write in its
own short transaction. Works the same on SQLite and PostgreSQL (plain inserts/updates, no upsert dialects).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from storage.models import transport_seen as _seen
from storage.models import transport_state as _state
from storage.store import Store

KEY_CHARS = 1000  # transport_seen.key is VARCHAR(1000)
_IN_CHUNK = 500  # keys per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


@dataclass(slots=True)
class StoredState:
    """A feed's ``transport_state`` row: ``counters`` is a small JSON object of numbers and short texts."""

    feed: str
    transport: str
    cursor: str | None = None
    counters: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SeenEntry:
    """One seen-list entry: ``size`` in bytes and ``mtime`` as the source states it (compared for
    equality only: FTP ``MDTM``/``MLSD`` text, SFTP seconds, a feed entry's update time)."""

    key: str
    size: int | None = None
    mtime: str | None = None
    validator: str | None = None


def seen_key(key: str) -> str:
    """``key`` bounded to the column: longer keys keep a prefix plus a digest of the whole (stable)."""
    if len(key) <= KEY_CHARS:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key[: KEY_CHARS - 65] + "#" + digest


def load(store: Store, feed: str) -> StoredState | None:
    """The feed's stored state, or ``None`` when it has none."""
    with store.engine.connect() as conn:
        row = conn.execute(select(_state).where(_state.c.feed == feed)).first()
    if row is None:
        return None
    counters = row.counters if isinstance(row.counters, dict) else {}
    return StoredState(row.feed, row.transport, row.cursor, dict(counters), row.updated_at)


def load_all(store: Store) -> dict[str, StoredState]:
    """Every feed's stored state by feed name (for the health table)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(_state)).all()
    return {
        row.feed: StoredState(
            row.feed,
            row.transport,
            row.cursor,
            dict(row.counters) if isinstance(row.counters, dict) else {},
            row.updated_at,
        )
        for row in rows
    }


def save(store: Store, state: StoredState) -> None:
    """Write ``state`` (insert or replace the feed's row); sets ``updated_at`` to now."""
    state.updated_at = datetime.now(UTC)
    values = {
        "transport": state.transport,
        "cursor": state.cursor,
        "counters": state.counters,
        "updated_at": state.updated_at,
    }
    with store.transaction() as conn:
        done = conn.execute(update(_state).where(_state.c.feed == state.feed).values(**values))
        if done.rowcount == 0:
            conn.execute(insert(_state).values(feed=state.feed, **values))


def seen_get(store: Store, feed: str, key: str) -> SeenEntry | None:
    """The seen-list entry for ``key``, or ``None``."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(_seen).where(_seen.c.feed == feed, _seen.c.key == seen_key(key))
        ).first()
    return None if row is None else SeenEntry(key, row.size, row.mtime, row.validator)


def seen_contains(
    store: Store, feed: str, key: str, size: int | None = None, mtime: str | None = None
) -> bool:
    """Whether ``key`` was taken with this ``size`` and ``mtime`` (a changed file counts as new)."""
    entry = seen_get(store, feed, key)
    return entry is not None and entry.size == size and entry.mtime == mtime


def seen_add(
    store: Store,
    feed: str,
    key: str,
    size: int | None = None,
    mtime: str | None = None,
    validator: str | None = None,
) -> None:
    """Record ``key`` as taken (replacing an older entry for it)."""
    bounded = seen_key(key)
    values = {"size": size, "mtime": mtime, "validator": validator}
    with store.transaction() as conn:
        done = conn.execute(
            update(_seen).where(_seen.c.feed == feed, _seen.c.key == bounded).values(**values)
        )
        if done.rowcount == 0:
            conn.execute(insert(_seen).values(feed=feed, key=bounded, **values))


def seen_count(store: Store, feed: str) -> int:
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(_seen).where(_seen.c.feed == feed)
            ).scalar_one()
        )


def seen_prune(store: Store, feed: str, keep: Iterable[str]) -> int:
    """Drop every entry of ``feed`` whose key is not in ``keep`` (files gone from the remote listing, entries
    gone from the feed), so the list stays as long as the source. Returns the number dropped."""
    wanted = {seen_key(key) for key in keep}
    with store.engine.connect() as conn:
        stored = {row[0] for row in conn.execute(select(_seen.c.key).where(_seen.c.feed == feed))}
    gone = sorted(stored - wanted)
    with store.transaction() as conn:
        for start in range(0, len(gone), _IN_CHUNK):
            conn.execute(
                delete(_seen).where(
                    _seen.c.feed == feed, _seen.c.key.in_(gone[start : start + _IN_CHUNK])
                )
            )
    return len(gone)
