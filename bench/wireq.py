"""A local dpa wireQ queue (for tests and this benchmark) and the wireQ ingest figure.

``WireQServer`` implements the queue protocol on 127.0.0.1 the way the issue describes it: ``GET
{base}entries.json`` hands out up to ``batch`` visible entries, each with a fresh ``_wireq_receipt``, and
hides them for ``visibility`` seconds; ``DELETE {base}entry/{receipt}`` removes the entry (204) while the
receipt is current, answers 410 once it expired and 404 for a receipt it never issued; ``POST
{base}dequeue-entries.json`` removes entries on delivery; ``Retry-After`` says 0 while entries wait and
``idle_retry`` when the queue is empty; ``throttle`` answers the next N fetches with 429.

Run: ``.venv/bin/python bench/wireq.py --entries 2000`` prints entries/s from the queue into SQLite.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@dataclass
class _Entry:
    body: dict[str, Any]
    receipt: str | None = None
    hidden_until: float = 0.0
    expired_receipts: set[str] = field(default_factory=set)


@dataclass
class WireQServer:
    """The queue's state; ``base_url`` ends in ``/``. Thread-safe (the HTTP server is threaded)."""

    batch: int = 50
    visibility: float = 30.0
    idle_retry: int = 30
    base_url: str = ""
    entries: list[_Entry] = field(default_factory=list)
    throttle: int = 0
    throttle_retry: int = 7
    fetches: int = 0
    deletes: int = 0
    expired_answers: int = 0
    hold_deletes: bool = False
    delete_arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen_auth: list[str] = field(default_factory=list)

    def put(self, *documents: dict[str, Any]) -> None:
        with self.lock:
            self.entries.extend(_Entry(dict(document)) for document in documents)

    @property
    def remaining(self) -> int:
        with self.lock:
            return len(self.entries)

    def take(self, dequeue: bool) -> tuple[list[dict[str, Any]], bool]:
        """Entries to hand out now, and whether more are visible after them."""
        now = time.monotonic()
        with self.lock:
            self.fetches += 1
            visible = [entry for entry in self.entries if entry.hidden_until <= now]
            chosen = visible[: self.batch]
            out = []
            for entry in chosen:
                if entry.receipt:
                    entry.expired_receipts.add(entry.receipt)
                entry.receipt = uuid.uuid4().hex
                entry.hidden_until = now + self.visibility
                out.append({**entry.body, "_wireq_receipt": entry.receipt})
            if dequeue:
                self.entries = [entry for entry in self.entries if entry not in chosen]
            return out, len(visible) > len(chosen)

    def delete(self, receipt: str) -> int:
        now = time.monotonic()
        with self.lock:
            for entry in self.entries:
                if entry.receipt == receipt and entry.hidden_until > now:
                    self.entries.remove(entry)
                    self.deletes += 1
                    return 204
                if receipt in entry.expired_receipts or entry.receipt == receipt:
                    self.expired_answers += 1
                    return 410
            return 404


def _handler(queue: WireQServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, payload: Any = None, retry: int | None = None) -> None:
            body = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            if retry is not None:
                self.send_header("Retry-After", str(retry))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _fetch(self, dequeue: bool) -> None:
            queue.seen_auth.append(self.headers.get("Authorization", ""))
            with queue.lock:
                throttled = queue.throttle > 0
                if throttled:
                    queue.throttle -= 1
            if throttled:
                self._answer(429, {"error": "slow down"}, retry=queue.throttle_retry)
                return
            entries, more = queue.take(dequeue)
            self._answer(200, {"entries": entries}, retry=0 if more else queue.idle_retry)

        def do_GET(self) -> None:
            if self.path.endswith("/entries.json"):
                self._fetch(dequeue=False)
            else:
                self._answer(404)

        def do_POST(self) -> None:
            if self.path.endswith("/dequeue-entries.json"):
                self._fetch(dequeue=True)
            else:
                self._answer(404)

        def do_DELETE(self) -> None:
            _head, _, receipt = self.path.rpartition("/entry/")
            if not receipt:
                self._answer(404)
                return
            if queue.hold_deletes:
                queue.delete_arrived.set()
                queue.release.wait(60)
            self._answer(queue.delete(receipt))

    return Handler


@contextmanager
def running_queue(**options: Any) -> Iterator[WireQServer]:
    """A ``WireQServer`` listening on 127.0.0.1 (a free port) for the duration of the block."""
    queue = WireQServer(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(queue))
    server.daemon_threads = True
    queue.base_url = f"http://127.0.0.1:{server.server_address[1]}/wireq/queue-1/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield queue
    finally:
        queue.release.set()
        server.shutdown()
        server.server_close()


_PLACES = ("Hamburg", "Kiel", "Bremen", "Rostock", "Lübeck", "Emden", "Husum", "Wismar")
_TOPICS = ("Hafen", "Werft", "Fähre", "Deich", "Schleuse", "Leuchtturm", "Kai", "Frachter")


def make_entry(number: int, version: int = 1) -> dict[str, Any]:
    """A digitalwires entry with its own urn and text (so no two are near duplicates)."""
    place, topic = _PLACES[number % len(_PLACES)], _TOPICS[(number // 8) % len(_TOPICS)]
    words = " ".join(f"wort{number}x{i}" for i in range(12))
    return {
        "format": "digitalwires@0.9.1",
        "type": "text",
        "urn": f"urn:newsml:dpa.com:20240305:240305-99-{number:06d}",
        "version": version,
        "version_created": "2024-03-05T10:05:00+01:00",
        "pubstatus": "usable",
        "language": "de",
        "urgency": 4,
        "headline": f"{topic} in {place}: Meldung Nummer {number}",
        "dateline": f"{place} (dpa) - ",
        "creditline": "dpa",
        "article_html": (
            f"<section class='main'><p>In {place} ist am Dienstag die Meldung {number} über den "
            f"{topic} eingegangen, die Behörden prüfen den Vorgang noch.</p>"
            f"<p>Weitere Angaben: {words}.</p></section>"
        ),
    }


def main(argv: list[str] | None = None) -> int:
    from config.settings import Settings
    from ingest.transports.base import TransportSpec
    from ingest.transports.runner import run_transport
    from ingest.transports.wireq import WireQTransport
    from storage.store import Store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder, running_queue(batch=args.batch) as queue:
        queue.put(*(make_entry(n) for n in range(args.entries)))
        store = Store.open(f"sqlite:///{Path(folder) / 'bench.db'}")
        spec = TransportSpec(
            name="bench-wireq",
            transport="dpa-wireq",
            url=queue.base_url,
            options={"max_per_poll": args.entries},
        )
        transport = WireQTransport(spec, Settings())
        started = time.perf_counter()
        run = run_transport(transport, store, spec)
        seconds = time.perf_counter() - started
        transport.close()
        articles = store.count_articles()
        store.close()
    print(
        f"wireQ -> SQLite: {run.documents} entries in {seconds:.1f} s = {run.documents / seconds:.0f} "
        f"entries/s ({articles} articles stored, {run.acknowledged} deleted, {queue.remaining} left, "
        f"batch {args.batch})"
    )
    return 0 if articles == args.entries and queue.remaining == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
