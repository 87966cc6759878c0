"""dpa wireQ transport against a real queue on 127.0.0.1 (``bench.wireq.WireQServer``).

Covers the acknowledge-after-commit rule end to end, including SIGKILL of a real ingest process after
commit but before the receipt is deleted, and before commit: every entry ends up stored exactly once.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bench.wireq import WireQServer, make_entry, running_queue
from config.settings import Settings
from ingest.transports import open_transport
from ingest.transports.base import TransportSpec
from ingest.transports.runner import run_transport
from ingest.transports.state import load_transport_state
from ingest.transports.wireq import WireQTransport
from storage.store import Store, articles, quarantine

ROOT = Path(__file__).resolve().parents[1]
FAST = Settings(retries=0, connect_timeout=2, read_timeout=5, total_timeout=10)


def spec_for(queue: WireQServer, **options: Any) -> TransportSpec:
    return TransportSpec(name="dpa-q", transport="dpa-wireq", url=queue.base_url, options=options)


def guids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [row[0] for row in conn.execute(select(articles.c.guid).order_by(articles.c.guid))]


def test_entries_are_stored_then_deleted_and_state_is_kept(store: Store) -> None:
    with running_queue(batch=3) as queue:
        queue.put(*(make_entry(n) for n in range(7)))
        spec = spec_for(queue)
        run = run_transport(open_transport(spec, FAST), store, spec)
        assert run.error is None
        assert (run.documents, run.stored, run.acknowledged) == (7, 7, 7)
        assert queue.remaining == 0 and queue.deletes == 7
        assert queue.fetches == 4  # 3 + 3 + 1, then an empty answer ends the poll
        assert run.retry_after == queue.idle_retry
    state = load_transport_state(store, "dpa-q", "dpa-wireq")
    assert state.acknowledged == 7 and state.pending_acks == 0
    assert "dpa-wireq" in run.health and "acked 7" in run.health
    assert len(set(guids(store))) == 7


def test_poisoned_entry_is_quarantined_and_deleted_and_later_entries_ingested(store: Store) -> None:
    with running_queue(batch=10) as queue:
        queue.put(make_entry(1), {"nonsense": True, "value": [1, 2]}, make_entry(2))
        spec = spec_for(queue)
        run = run_transport(open_transport(spec, FAST), store, spec)
        assert queue.remaining == 0, "the poisoned entry must be acknowledged too"
    assert (run.documents, run.stored, run.quarantined) == (3, 2, 1)
    with store.engine.connect() as conn:
        origins = [row[0] for row in conn.execute(select(quarantine.c.origin))]
    assert origins == ["dpa-wireq:dpa-q/entry-1"]


def test_expired_receipt_is_logged_not_fatal_and_redelivery_is_absorbed(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with running_queue(batch=10, visibility=0.0) as queue:  # every receipt is expired at once
        queue.put(make_entry(5))
        spec = spec_for(queue, max_per_poll=1)
        with caplog.at_level(logging.WARNING):
            run = run_transport(open_transport(spec, FAST), store, spec)
        assert run.error is None and run.stored == 1 and queue.expired_answers == 1
        assert "receipt expired" in caplog.text
        queue.visibility = 30.0
        again = run_transport(open_transport(spec, FAST), store, spec)
        assert again.stored == 0 and again.unchanged == 1 and queue.remaining == 0
    assert guids(store) == ["urn:newsml:dpa.com:20240305:240305-99-000005"]
    assert load_transport_state(store, "dpa-q", "dpa-wireq").expired_receipts == 1


def test_429_backs_off_by_retry_after(store: Store) -> None:
    with running_queue(throttle=1, throttle_retry=9) as queue:
        queue.put(make_entry(1))
        spec = spec_for(queue)
        run = run_transport(open_transport(spec, FAST), store, spec)
        assert run.error is not None and "429" in run.error
        assert run.retry_after == 9
        assert load_transport_state(store, "dpa-q", "dpa-wireq").retry_after == 9
        assert run_transport(open_transport(spec, FAST), store, spec).stored == 1


def test_dequeue_mode_removes_on_delivery(store: Store) -> None:
    with running_queue() as queue:
        queue.put(make_entry(1), make_entry(2))
        spec = spec_for(queue, mode="dequeue")
        run = run_transport(open_transport(spec, FAST), store, spec)
        assert run.stored == 2 and queue.remaining == 0 and queue.deletes == 0


def test_bearer_token_is_sent_and_never_logged(
    store: Store, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIREQ_TOKEN", "s3cr3t-wireq-token")
    with running_queue() as queue:
        queue.put({"bad": 1})
        spec = TransportSpec(
            name="dpa-q",
            transport="dpa-wireq",
            url=queue.base_url,
            auth={"type": "bearer", "token_env": "WIREQ_TOKEN"},
        )
        with caplog.at_level(logging.DEBUG):
            run_transport(open_transport(spec, FAST), store, spec)
        assert queue.seen_auth[0] == "Bearer s3cr3t-wireq-token"
    assert "s3cr3t-wireq-token" not in caplog.text


def test_missing_token_variable_names_the_variable(store: Store) -> None:
    with running_queue() as queue:
        spec = TransportSpec(
            name="dpa-q",
            transport="dpa-wireq",
            url=queue.base_url,
            auth={"type": "bearer", "token_env": "NO_SUCH_WIREQ_VARIABLE"},
        )
        run = run_transport(open_transport(spec, FAST), store, spec)
    assert run.error == "environment variable NO_SUCH_WIREQ_VARIABLE (bearer token) is not set"


def test_url_must_end_in_slash() -> None:
    from ingest.transports.base import TransportError

    with pytest.raises(TransportError, match="ending in '/'"):
        WireQTransport(TransportSpec(name="x", transport="dpa-wireq", url="http://h/q"), FAST)


# -- SIGKILL crash tests: a real ingest process, killed at a known point ----------------------------


def _spawn(db: Path, queue: WireQServer) -> subprocess.Popen[bytes]:
    spec = {"name": "dpa-q", "transport": "dpa-wireq", "url": queue.base_url}
    env = {**os.environ, "WIREDESK_RETRIES": "0", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ingest.transports",
            "--db",
            f"sqlite:///{db}",
            "--spec",
            json.dumps(spec),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def _wait(predicate: Any, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _finish(db: Path, queue: WireQServer) -> None:
    """Restart after the crash and run until the queue is drained; check each entry is stored once."""
    queue.hold_deletes = False
    queue.release.set()
    child = _spawn(db, queue)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode(errors="replace")[-2000:]
    assert queue.remaining == 0
    store = Store.open(f"sqlite:///{db}")
    try:
        assert guids(store) == sorted(make_entry(n)["urn"] for n in range(3))
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(quarantine)).scalar() == 0
    finally:
        store.close()


def test_sigkill_after_commit_before_delete_stores_the_entry_exactly_once(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    Store.open(f"sqlite:///{db}").close()
    with running_queue(batch=3, visibility=1.0) as queue:
        queue.put(*(make_entry(n) for n in range(3)))
        queue.hold_deletes = (
            True  # the first DELETE waits: the entry is committed, not acknowledged
        )
        child = _spawn(db, queue)
        try:
            assert queue.delete_arrived.wait(60), "the transport never acknowledged"
            assert _count(db) == 1, "the DELETE must come only after the commit"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
        assert queue.deletes == 0 and queue.remaining == 3
        time.sleep(1.1)  # the visibility timeout passes: all three entries are delivered again
        _finish(db, queue)


def test_sigkill_before_commit_redelivers_and_stores_once(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    Store.open(f"sqlite:///{db}").close()
    with running_queue(batch=3, visibility=1.0) as queue:
        queue.put(*(make_entry(n) for n in range(3)))
        blocker = sqlite3.connect(db, timeout=1)
        blocker.execute("BEGIN EXCLUSIVE")  # the child's first commit waits for this lock
        child = _spawn(db, queue)
        try:
            _wait(lambda: queue.fetches >= 1)
            time.sleep(0.5)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
            blocker.rollback()
            blocker.close()
        assert _count(db) == 0 and queue.deletes == 0
        time.sleep(1.1)
        _finish(db, queue)
