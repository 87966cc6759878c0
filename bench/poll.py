"""Poll cycle of many feeds whose server answers 304 Not Modified (the steady state of a wire service).

A local HTTP server on 127.0.0.1 serves N feeds (default 500). The first cycle fetches each feed once (200,
one small RSS document each) so ETags are stored; the timed cycles send ``If-None-Match`` and get 304 -- no
parse, no store write beyond the health row. Polls run on the same thread pool size the service uses.
Prints seconds per cycle, polls/s, and the process RSS.

    .venv/bin/python bench/poll.py [--feeds 500] [--cycles 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from config.feeds import FeedConfig
from config.settings import Settings
from ingest.fetch import HttpFetcher
from ingest.poller import FeedPoller
from ingest.service import MAX_PARALLEL_POLLS
from storage.store import Store


def document(n: int) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed</title>'
        f"<item><guid>bench-{n}</guid><title>Meldung {n}</title><description>Berlin (dpa) - Die Meldung "
        f"Nummer {n} berichtet über die Lage in der Stadt und die Pläne des Senats.</description></item>"
        "</channel></rss>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        etag = f'"{self.path}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = document(int(self.path.rsplit("/", 1)[-1]))
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def cycle(poller: FeedPoller, feeds: list[FeedConfig]) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=MAX_PARALLEL_POLLS) as pool:
        outcomes = list(pool.map(poller.poll, feeds))
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    return time.perf_counter() - started, statuses


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--db-url", default=None, help="store URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    url = args.db_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'poll.db'}"
    store = Store.open(url)
    settings = Settings(retries=0)
    poller = FeedPoller(store, settings, HttpFetcher(settings))
    feeds = [
        FeedConfig(name=f"feed-{n}", url=f"{base}/feed/{n}", interval=60) for n in range(args.feeds)
    ]
    first, first_statuses = cycle(poller, feeds)
    print(f"first cycle (200, parse + store): {first:.2f} s {first_statuses}")
    times = []
    for number in range(args.cycles):
        seconds, statuses = cycle(poller, feeds)
        times.append(seconds)
        print(f"cycle {number + 1} (conditional GET): {seconds:.2f} s {statuses}")
    median = statistics.median(times)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        f"{args.feeds} feeds answering 304: {median:.2f} s per poll cycle ({args.feeds / median:,.0f} polls/s), "
        f"peak RSS {rss_mb:.0f} MB, store {store.engine.dialect.name}"
    )
    poller.fetcher.close()
    store.close()
    server.shutdown()


if __name__ == "__main__":
    main()
