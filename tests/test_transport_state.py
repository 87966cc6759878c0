"""The transports' delivery state in the store (revision 0008), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from ingest.transports.state import (
    load_transport_state,
    save_transport_state,
    transport_summaries,
)
from storage import transport_state as stored
from storage.db import make_engine, migrate
from storage.store import Store


def test_state_round_trips_and_a_new_transport_starts_afresh(store: Store) -> None:
    state = load_transport_state(store, "afp", "afp-api")
    assert state.cursor is None and state.acknowledged == 0
    state.cursor, state.acknowledged, state.pending_acks = "2024-06-11T10:03:00Z", 7, 2
    state.last_ack_error, state.retry_after = "HTTP 503", 9.5
    save_transport_state(store, "afp", state)
    again = load_transport_state(store, "afp", "afp-api")
    assert (again.cursor, again.acknowledged, again.pending_acks, again.retry_after) == (
        "2024-06-11T10:03:00Z",
        7,
        2,
        9.5,
    )
    assert again.updated_at is not None
    summary = transport_summaries(store)["afp"]
    assert summary.startswith("afp-api, cursor 2024-06-11T10:03:00Z, acked 7, pending 2")
    assert "retry-after 9.5s" in summary and "HTTP 503" in summary
    assert load_transport_state(store, "afp", "reuters-connect").cursor is None  # switched


def test_seen_list_add_contains_prune(store: Store) -> None:
    stored.seen_add(store, "ftp", "in/a.xml", 10, "20240611100300")
    stored.seen_add(store, "ftp", "in/b.xml", 20, "20240611100400")
    stored.seen_add(store, "other", "in/a.xml", 10, "20240611100300")
    assert stored.seen_contains(store, "ftp", "in/a.xml", 10, "20240611100300")
    assert not stored.seen_contains(store, "ftp", "in/a.xml", 11, "20240611100300")  # grew
    assert not stored.seen_contains(store, "ftp", "in/c.xml", 10, "20240611100300")
    stored.seen_add(store, "ftp", "in/a.xml", 11, "20240611100500")  # replaced, not doubled
    assert stored.seen_contains(store, "ftp", "in/a.xml", 11, "20240611100500")
    assert stored.seen_count(store, "ftp") == 2
    assert stored.seen_prune(store, "ftp", {"in/b.xml"}) == 1
    assert stored.seen_count(store, "ftp") == 1 and stored.seen_count(store, "other") == 1
    long_key = "https://example.org/" + "x" * 3000
    stored.seen_add(store, "pages", long_key, None, "t1", validator='["e1", null]')
    entry = stored.seen_get(store, "pages", long_key)
    assert entry is not None and entry.validator == '["e1", null]'
    assert stored.seen_get(store, "pages", long_key[:-1] + "y") is None
    assert stored.seen_prune(store, "pages", {long_key}) == 0


def test_the_stopgap_state_in_feed_state_moves_to_the_new_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0007")
    stopgap = "wiredesk-transport/1 " + json.dumps(
        {"transport": "ftp", "cursor": None, "seen": {"in/a.xml": "12:20240611"}, "acknowledged": 3}
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO feed_state (name, etag, consecutive_failures, items_new_last_run) "
                "VALUES ('remote', :etag, 0, 0), ('web', 'W/\"abc\"', 0, 0)"
            ),
            {"etag": stopgap},
        )
    engine.dispose()
    store = Store.open(url)
    try:
        state = load_transport_state(store, "remote", "ftp")
        assert state.acknowledged == 3
        assert stored.seen_contains(store, "remote", "in/a.xml", 12, "20240611")
        with store.engine.connect() as conn:
            etags = dict(conn.execute(text("SELECT name, etag FROM feed_state")).all())
        assert etags == {"remote": None, "web": 'W/"abc"'}  # a real ETag stays
    finally:
        store.close()
