"""Drop folders polled in batches (issue 19): one transaction per batch, each file moved by its own outcome
only once its batch committed, parser processes kept for the poller's lifetime (and replaced when they
die), and the counts of the live path (a duplicate is stored: counted once in the feed health)."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from config.feeds import FeedConfig
from config.settings import Settings
from ingest import folderpoll
from ingest.backfill.engine import start_workers
from ingest.backfill.samples import documents
from ingest.pipeline import DocumentResult, IngestSummary
from ingest.poller import FeedPoller
from ingest.transports.base import Delivery, TransportSpec
from ingest.transports.runner import commit
from storage import rawcodec
from storage.feeds import load_state
from storage.store import Store, articles, quarantine, raw_documents

SETTLED = Settings(settle_seconds=0)


def poll_in_process(store: Store, inbox: Path, on_document: Any, **options: Any) -> None:
    """One drop-folder poll of ``inbox`` parsed in this process (no parser processes)."""
    folderpoll.poll_folder(
        store,
        FeedConfig(name="belga-drop", path=inbox),
        SETTLED,
        executor=start_workers(0),
        workers=0,
        stop=threading.Event(),
        on_document=on_document,
        **options,
    )


def belga(uri: str, headline: str, body: str) -> bytes:
    """A ninjs item in the style of a Belgian agency's JSON feed (French copy)."""
    item = {
        "uri": uri,
        "type": "text",
        "version": 1,
        "headline": headline,
        "body_text": body,
        "copyrightholder": "Agence Belga",
        "language": "fr",
    }
    return json.dumps(item, ensure_ascii=False).encode()


BODY = (
    "Bruxelles (Belga) - Le gouvernement fédéral a présenté mardi son budget pour l'année prochaine, "
    "avec des économies dans la fonction publique et de nouveaux moyens pour la justice."
)


def drop(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    past = time.time() - 60
    for name, data in files.items():
        (folder / name).write_bytes(data)
        os.utime(folder / name, (past, past))


def count(store: Store, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_poll_commits_in_batches_and_moves_each_file_after_its_commit(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    sample = dict(documents(23))
    assert all(not name.startswith("zz") for name in sample)
    drop(inbox, {**sample, "zz-broken.xml": b"<NewsML><unfinished"})
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _conn: commits.append(1))
    moved_while_stored: list[bool] = []
    original = folderpoll.move_processed

    def move_checked(path: Path, failed: bool) -> Path:
        # Seen from another connection: the file's bytes are committed before it leaves the folder.
        digest = rawcodec.digest(path.read_bytes())
        with store.engine.connect() as conn:
            found = conn.execute(select(raw_documents.c.id).where(raw_documents.c.sha256 == digest))
            moved_while_stored.append(found.first() is not None)
        return original(path, failed)

    monkeypatch.setattr(folderpoll, "move_processed", move_checked)
    results: list[DocumentResult] = []
    poll_in_process(store, inbox, lambda result, _size: results.append(result), batch=10)
    assert len(commits) == 3, "24 documents in batches of 10: three transactions"
    assert len(moved_while_stored) == 24 and all(moved_while_stored)
    assert [r.quarantined for r in results] == [False] * 23 + [True]
    assert sum(r.stored for r in results) == 23
    assert names(inbox / "done") == sorted(sample) and names(inbox / "failed") == ["zz-broken.xml"]
    assert count(store, articles) == 23 and count(store, quarantine) == 1


def test_a_batch_waits_at_most_max_wait(store: Store, tmp_path: Path) -> None:
    """A slow drip of documents is not held back until a full batch: ``max_wait`` 0 writes each at once."""
    inbox = tmp_path / "inbox"
    drop(inbox, dict(documents(3)))
    committed: list[int] = []
    poll_in_process(
        store, inbox, lambda _result, _size: committed.append(count(store, articles)), max_wait=0.0
    )
    assert committed == [1, 2, 3]  # each file reported once its own transaction committed


def test_parser_processes_parse_and_a_dead_pool_is_replaced(store: Store, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    poller = FeedPoller(store, SETTLED, workers=1)
    feed = FeedConfig(name="belga-drop", path=inbox)
    try:
        drop(inbox, dict(documents(5)))
        first = poller.poll(feed)
        pool = poller._executor
        assert isinstance(pool, ProcessPoolExecutor) and first.new == 5
        for pid in list(pool._processes):  # the pool's worker processes, killed under it
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        drop(inbox, dict(documents(5, start=5)))
        second = poller.poll(feed)  # parsed in the service process: nothing read is dropped
        assert (second.status, second.new) == ("ok", 5)
        assert poller._executor is not pool, "the dead pool must be replaced"
        drop(inbox, dict(documents(5, start=10)))
        third = poller.poll(feed)
        assert (third.status, third.new) == ("ok", 5) and isinstance(
            poller._executor, ProcessPoolExecutor
        )
        assert len(names(inbox / "done")) == 15 and not names(inbox / "failed")
    finally:
        poller.close()
    assert poller._executor is None


def test_a_duplicate_is_counted_as_stored_once_in_the_poll_and_the_health(
    store: Store, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    drop(
        inbox,
        {
            "a.json": belga("urn:belga:1", "Budget fédéral présenté", BODY),
            "b.json": belga("urn:belga:2", "Le budget fédéral présenté", BODY),
        },
    )
    poller = FeedPoller(store, SETTLED)
    outcome = poller.poll(FeedConfig(name="belga-drop", path=inbox))
    assert (outcome.documents, outcome.new, outcome.duplicates) == (2, 2, 1)
    assert count(store, articles) == 2
    assert load_state(store, "belga-drop").items_new_last_run == 2  # not 3


def test_summary_line_says_one_document_and_one_duplicate() -> None:
    summary = IngestSummary()
    summary.add(DocumentResult(origin="a", items=2, stored=2, duplicates=1))
    assert summary.line() == "1 document: 2 stored, 1 duplicate, 0 unchanged, 0 quarantined"
    summary.add(DocumentResult(origin="b", items=1, unchanged=1))
    assert summary.line() == "2 documents: 2 stored, 1 duplicate, 1 unchanged, 0 quarantined"


def test_a_failed_delivery_is_logged_as_such_not_as_oversized(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    spec = TransportSpec(name="ap-api", transport="ap")
    gone = Delivery(
        b'{"altids": {"itemid": "x1"}}', "ap:x1", failure="NITF rendition gone (HTTP 404)"
    )
    big = Delivery(b"<nitf>", "ap:x2", size=10**9, oversized=True)
    with caplog.at_level(logging.WARNING, logger="ingest.pipeline"):
        first = commit(store, spec, gone)
        second = commit(store, spec, big)
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "document quarantined: delivery failed",
        "document quarantined: over the size cap",
    ]
    assert first.error == "NITF rendition gone (HTTP 404)" and second.quarantined
    assert count(store, quarantine) == 2


WIREDESK = Path(sys.executable).parent / "wiredesk"


def test_sigterm_to_the_whole_process_group_still_commits_what_was_read(tmp_path: Path) -> None:
    """systemd's default stop (KillMode=control-group) sends SIGTERM to the service and its parser
    processes at once: the chunks the dead workers held are parsed in the service, committed and moved;
    every file is then either in ``done/`` with its article stored, or still waiting in the folder."""
    inbox = tmp_path / "inbox"
    sample = dict(documents(1500))
    drop(inbox, sample)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "drop"\npath = "{inbox}"\ninterval = "1s"\n', "utf-8")
    url = f"sqlite:///{tmp_path / 'svc.db'}"
    env = {
        **os.environ,
        "WIREDESK_DB_URL": url,
        "WIREDESK_FEEDS": str(feeds),
        "WIREDESK_SETTLE_SECONDS": "0",
        "WIREDESK_DESK_PORT": "0",
    }
    log = (tmp_path / "service.log").open("wb")
    process = subprocess.Popen(
        [str(WIREDESK), "run"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not names(inbox / "done"):
            time.sleep(0.05)
        assert names(inbox / "done"), "the service never ingested a file"
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
    text = (tmp_path / "service.log").read_text(errors="replace")
    assert process.returncode == 0, text[-3000:]
    done, waiting = names(inbox / "done"), [p.name for p in inbox.iterdir() if p.is_file()]
    assert not names(inbox / "failed") and sorted(done + waiting) == sorted(sample)
    store = Store.open(url)
    try:
        assert count(store, articles) == len(done) == count(store, raw_documents), text[-3000:]
    finally:
        store.close()


def test_a_file_that_cannot_be_moved_holds_back_no_other(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    sample = dict(documents(4))
    stuck = sorted(sample)[1]
    drop(inbox, sample)
    original = folderpoll.move_processed

    def move_or_fail(path: Path, failed: bool) -> Path:
        if path.name == stuck:
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, failed)

    monkeypatch.setattr(folderpoll, "move_processed", move_or_fail)
    poller = FeedPoller(store, SETTLED)
    feed = FeedConfig(name="belga-drop", path=inbox)
    first = poller.poll(feed)
    assert (first.documents, first.new) == (4, 4)
    assert names(inbox / "done") == sorted(set(sample) - {stuck}) and (inbox / stuck).is_file()
    monkeypatch.setattr(folderpoll, "move_processed", original)
    again = poller.poll(feed)  # stored already: unchanged, and moved now
    assert (again.documents, again.new, again.unchanged) == (1, 0, 1)
    assert names(inbox / "done") == sorted(sample) and count(store, articles) == 4
