"""Feed state: conditional-GET validators and health, one row per feed name."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from storage.models import feed_state
from storage.store import Store


@dataclass(slots=True)
class FeedHealth:
    name: str
    etag: str | None = None
    last_modified: str | None = None
    validators_url: str | None = (
        None  # the URL ``etag``/``last_modified`` came from (migration 0010)
    )
    content_sha256: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_status: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    items_new_last_run: int = 0
    last_new_item_at: datetime | None = None
    next_run: datetime | None = None
    last_duration_ms: int | None = None


_COLUMNS = [f.name for f in fields(FeedHealth)]


def _from_row(row: Any) -> FeedHealth:
    return FeedHealth(**{name: getattr(row, name) for name in _COLUMNS})


def load_state(store: Store, name: str) -> FeedHealth:
    with store.engine.connect() as conn:
        row = conn.execute(select(feed_state).where(feed_state.c.name == name)).first()
    return _from_row(row) if row else FeedHealth(name=name)


def all_states(store: Store) -> dict[str, FeedHealth]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(feed_state)).all()
    return {row.name: _from_row(row) for row in rows}


def save_state(store: Store, state: FeedHealth) -> None:
    values = {name: getattr(state, name) for name in _COLUMNS}
    with store.transaction() as conn:
        updated = conn.execute(
            update(feed_state).where(feed_state.c.name == state.name).values(**values)
        )
        if updated.rowcount == 0:
            conn.execute(insert(feed_state).values(**values))


def set_next_run(store: Store, name: str, when: datetime | None) -> None:
    with store.transaction() as conn:
        conn.execute(update(feed_state).where(feed_state.c.name == name).values(next_run=when))
