"""Several ``wiredesk run`` workers on one PostgreSQL database split the feeds (issue 8).

Real subprocesses, one shared ``feeds.toml``, ``WIREDESK_DB_URL`` pointing both at one database:

- drop-folder feeds: every document is ingested exactly once (one ``document ingested`` log line per file,
  over both workers' logs), and both workers take part;
- HTTP feeds on a local server that counts requests in flight per feed: a feed is never fetched by both
  workers at the same time;
- a worker killed with SIGKILL in the middle of a poll releases its feed lock: the other worker takes over.

Needs ``WIREDESK_TEST_POSTGRES_URL`` (skips with a clear reason otherwise).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ingest.backfill.samples import document
from storage.store import Store, articles
from tests.conftest import postgres_database

WIREDESK = Path(sys.executable).parent / "wiredesk"
DROP_FEEDS = 4
DOCS_PER_FEED = 12
WAVES = 3
HTTP_FEEDS = 2
DEADLINE = 40.0
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{name}</title><link>http://example.com/</link><description>t</description>
<item><title>Meldung aus dem Feed {name}</title><guid>urn:pgworkers:{name}</guid>
<pubDate>Mon, 27 Nov 2026 08:00:00 GMT</pubDate>
<description>Berlin (dpa) - Der Feed {name} liefert diese Meldung mit ausreichend langem Text, damit sie
gespeichert wird, und sie erzählt von den Plänen des Senats für die Stadt und die Bezirke.</description>
</item></channel></rss>
"""


@dataclass
class FeedServer:
    """Counts requests in flight per path; ``hold`` paths block their first request until released."""

    base_url: str = ""
    delay: float = 0.3
    in_flight: Counter[str] = field(default_factory=Counter)
    max_in_flight: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    hold: set[str] = field(default_factory=set)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self.lock:
            self.in_flight[path] += 1
            self.hits[path] += 1
            first = self.hits[path] == 1
            self.max_in_flight[path] = max(self.max_in_flight[path], self.in_flight[path])
        try:
            if path in self.hold and first:
                self.release.wait(DEADLINE)
                return  # the client was killed meanwhile; nothing to answer
            time.sleep(self.delay)  # a slow agency server: polls overlap if locking fails
            body = RSS.format(name=path.strip("/")).encode()
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        finally:
            with self.lock:
                self.in_flight[path] -= 1


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.feeds.serve(self)

    def log_message(self, format: str, *args: object) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    feeds: FeedServer


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = _Server(("127.0.0.1", 0), _Handler)
    host, port = server.server_address[:2]
    server.feeds = FeedServer(base_url=f"http://{host!s}:{port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.feeds
    finally:
        server.feeds.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, migrated before any worker starts."""
    with postgres_database() as url:
        Store.open(url).close()
        yield url


class Worker:
    """``wiredesk run --no-desk`` as a real subprocess, its log in a file."""

    def __init__(self, name: str, tmp_path: Path, url: str, feeds: Path) -> None:
        self.name = name
        self.log_path = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "WIREDESK_DB_URL": url,
            "WIREDESK_FEEDS": str(feeds),
            "WIREDESK_SETTLE_SECONDS": "0",
            "WIREDESK_RETRIES": "0",
            "WIREDESK_READ_TIMEOUT": str(DEADLINE),
            "WIREDESK_TOTAL_TIMEOUT": str(DEADLINE),
        }
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(WIREDESK), "run", "--no-desk"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=self.log_file,
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, pattern: str, deadline: float = DEADLINE) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if re.search(pattern, self.log()):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{self.name} never logged {pattern!r}:\n{self.log()[-3000:]}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        return self.process.returncode


def _write_feeds(path: Path, drop: list[Path], http: list[str]) -> None:
    lines = []
    for index, folder in enumerate(drop):
        lines += [
            "[[feed]]",
            f'name = "inbox-{index}"',
            f'path = "{folder}"',
            # different intervals, so the two workers' poll phases drift against each other
            f'interval = "{1 + 0.25 * index}s"',
            "",
        ]
    for url in http:
        name = url.rsplit("/", 1)[1]
        lines += ["[[feed]]", f'name = "{name}"', f'url = "{url}"', 'interval = "1s"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _drop(folder: Path, n: int) -> str:
    """Write document ``n`` into ``folder`` atomically (``*.part`` then rename); returns its path."""
    name, data = document(n)
    final = folder / f"{n:05d}-{name}"
    partial = final.with_name(final.name + ".part")
    partial.write_bytes(data)
    past = time.time() - 5
    os.utime(partial, (past, past))
    partial.rename(final)
    return str(final)


def _article_count(url: str) -> int:
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
    finally:
        store.close()


def _ingested_origins(log: str) -> list[str]:
    return re.findall(r"document ingested origin=(\S+)", log)


def test_two_workers_split_the_feeds_and_ingest_every_document_once(
    tmp_path: Path, pg_url: str
) -> None:
    folders = [tmp_path / f"inbox-{i}" for i in range(DROP_FEEDS)]
    for folder in folders:
        folder.mkdir()
    with feed_server() as server:
        urls = [f"{server.base_url}/wire-{i}" for i in range(HTTP_FEEDS)]
        feeds = tmp_path / "feeds.toml"
        _write_feeds(feeds, folders, urls)
        workers = [Worker(name, tmp_path, pg_url, feeds) for name in ("worker-a", "worker-b")]
        try:
            for worker in workers:
                worker.wait_for("service started")
            dropped: list[str] = []
            n = 0
            for _wave in range(WAVES):  # documents keep arriving while both workers poll
                for folder in folders:
                    for _ in range(DOCS_PER_FEED // WAVES):
                        dropped.append(_drop(folder, n))
                        n += 1
                time.sleep(0.5)
            expected = len(dropped) + HTTP_FEEDS
            end = time.monotonic() + DEADLINE
            while time.monotonic() < end:
                done = all(not any(f.is_file() for f in folder.iterdir()) for folder in folders)
                if done and _article_count(pg_url) >= expected:
                    break
                time.sleep(0.2)
            time.sleep(1.2)  # a few more polls of every feed by both workers
        finally:
            codes = [worker.stop() for worker in workers]
        logs = {worker.name: worker.log() for worker in workers}
    assert codes == [0, 0], logs

    # every dropped file ingested exactly once, over both workers
    drop_origins = {
        name: [o for o in _ingested_origins(log) if o in set(dropped)] for name, log in logs.items()
    }
    all_origins = Counter(o for origins in drop_origins.values() for o in origins)
    assert set(all_origins) == set(dropped), "some documents were never ingested"
    assert max(all_origins.values()) == 1, [o for o, c in all_origins.items() if c > 1]
    assert _article_count(pg_url) == expected
    for folder in folders:
        assert len(list((folder / "done").iterdir())) == DOCS_PER_FEED
        assert not (folder / "failed").exists()
    # both workers did part of the work (the split; how the drop folders divide varies), no errors
    assert all(re.search(r"poll ok", log) for log in logs.values()), logs
    for log in logs.values():
        assert "poll error" not in log and "internal error" not in log, log[-3000:]
    # HTTP feeds: fetched many times, never by both workers at once
    for url in urls:
        path = url[len(server.base_url) :]
        assert server.hits[path] >= 3, (path, server.hits)
        assert server.max_in_flight[path] == 1, (path, server.max_in_flight)
    skipped = sum(log.count("poll skipped") for log in logs.values())
    polled = {name: len(re.findall(r"poll (ok|not_modified)", log)) for name, log in logs.items()}
    print(f"polls per worker: {polled}, skipped (lock held by the other): {skipped}")
    print(f"drop-folder documents per worker: { {k: len(v) for k, v in drop_origins.items()} }")


def _advisory_locks(url: str) -> list[int]:
    """Backend pids holding advisory locks in this database."""
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()"
                )
            ).all()
        return [int(row.pid) for row in rows]
    finally:
        store.close()


def test_a_killed_worker_releases_its_feed_lock_and_the_other_takes_over(
    tmp_path: Path, pg_url: str
) -> None:
    with feed_server() as server:
        server.hold.add("/slow")  # the first fetch hangs: worker A holds the lock, mid-poll
        feeds = tmp_path / "feeds.toml"
        _write_feeds(feeds, [], [f"{server.base_url}/slow"])
        first = Worker("worker-a", tmp_path, pg_url, feeds)
        second: Worker | None = None
        try:
            end = time.monotonic() + DEADLINE
            while server.hits["/slow"] < 1 and time.monotonic() < end:
                time.sleep(0.05)
            assert server.hits["/slow"] == 1, first.log()
            assert len(_advisory_locks(pg_url)) == 1
            second = Worker("worker-b", tmp_path, pg_url, feeds)
            second.wait_for(r"poll skipped.*feed=slow")  # the lock is held by A
            assert _article_count(pg_url) == 0
            first.process.send_signal(signal.SIGKILL)
            first.process.wait(10)
            second.wait_for(r"poll ok.*feed=slow")  # B took the feed over
            assert _article_count(pg_url) == 1
            assert server.hits["/slow"] >= 2
        finally:
            first.stop()
            if second is not None:
                assert second.stop() == 0, second.log()
    assert first.process.returncode == -signal.SIGKILL
