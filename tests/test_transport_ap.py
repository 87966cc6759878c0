"""AP Media API transport against a local feed server on 127.0.0.1 (API key, next_page, NITF renditions)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from config.settings import Settings
from ingest.transports import open_transport
from ingest.transports.base import TransportSpec
from ingest.transports.runner import run_transport
from ingest.transports.state import load_transport_state
from storage.store import Store, articles, quarantine

FAST = Settings(retries=0, connect_timeout=2, read_timeout=5, total_timeout=10)
KEY = "ap-key-9f8e7d6c"


def nitf(number: int, *, headline: bool = True, dated: bool = True) -> bytes:
    """A NITF text rendition of an AP-style story (its own words, so no two are near duplicates)."""
    words = " ".join(f"term{number}n{i}" for i in range(14))
    hedline = f"<hedline><hl1>Harbor story number {number}</hl1></hedline>" if headline else ""
    date = '<date.issue norm="20240611T100300Z"/>' if dated else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><nitf><head><docdata>'
        f'<doc-id id-string="ap-doc-{number}"/>{date}</docdata></head><body><body.head>{hedline}'
        f"</body.head><body.content><p>PORTLAND, Maine (AP) — Dock workers in Portland reported "
        f"story {number} on Tuesday, and officials said the review would continue.</p>"
        f"<p>Further details: {words}.</p></body.content></body></nitf>"
    ).encode()


@dataclass
class ApServer:
    items: list[dict[str, Any]] = field(default_factory=list)
    renditions: dict[str, bytes] = field(default_factory=dict)
    base: str = ""
    other: str = ""  # a second origin that renditions may redirect to
    throttle: int = 0
    keys_seen: list[tuple[str, str | None]] = field(default_factory=list)
    feed_requests: list[str] = field(default_factory=list)

    def add_text(self, number: int, **nitf_options: bool) -> None:
        ident = f"ap{number:04d}"
        self.items.append(
            {
                "item": {
                    "uri": f"{self.base}/media/v/content/{ident}",
                    "altids": {"itemid": ident},
                    "version": 0,
                    "type": "text",
                    "headline": f"Metadata headline {number}",
                    "firstcreated": "2024-06-11T09:00:00Z",
                    "versioncreated": "2024-06-11T09:30:00Z",
                    "language": "en",
                    "bylines": [{"by": "By Dana Whitfield"}],
                    "renditions": {
                        "nitf": {
                            "href": f"{self.base}/media/v/content/{ident}/download?format=nitf"
                        }
                    },
                }
            }
        )
        self.renditions[ident] = nitf(number, **nitf_options)


def _handler(server: ApServer, role: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            key = self.headers.get("x-api-key")
            server.keys_seen.append((role, key))
            url = urlsplit(self.path)
            if role == "other":
                self._send(200, server.renditions["moved"], {"Content-Type": "text/xml"})
                return
            if key != KEY:
                self._send(401, b'{"error": "invalid key"}')
                return
            if url.path == "/media/v/content/feed":
                server.feed_requests.append(self.path)
                if server.throttle:
                    server.throttle -= 1
                    self._send(429, b"{}", {"Retry-After": "5"})
                    return
                query = parse_qs(url.query)
                start = int(query.get("seq", ["0"])[0])
                size = int(query.get("page_size", ["2"])[0])
                page = server.items[start : start + size]
                end = start + len(page)
                body = {
                    "data": {
                        "items": page,
                        "next_page": f"{server.base}/media/v/content/feed?seq={end}&page_size={size}",
                    }
                }
                self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
                return
            ident = url.path.split("/")[4] if url.path.count("/") >= 5 else ""
            if ident == "moved":
                self._send(302, b"", {"Location": f"{server.other}/blob/moved.xml"})
            elif ident in server.renditions:
                self._send(200, server.renditions[ident], {"Content-Type": "text/xml"})
            else:
                self._send(404, b"gone")

    return Handler


@contextmanager
def running_ap() -> Iterator[ApServer]:
    state = ApServer()
    servers = []
    for role in ("api", "other"):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, role))
        httpd.daemon_threads = True
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        if role == "api":
            state.base = url
        else:
            state.other = url
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
    try:
        yield state
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()


def spec_for(server: ApServer, **options: Any) -> TransportSpec:
    return TransportSpec(
        name="ap",
        transport="ap-media",
        url=f"{server.base}/media/v/content/feed",
        auth={"type": "header", "name": "x-api-key", "value_env": "AP_TEST_KEY"},
        options={"page_size": 2, **options},
    )


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AP_TEST_KEY", KEY)


def rows(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                select(
                    articles.c.guid,
                    articles.c.headline,
                    articles.c.published_at,
                    articles.c.byline,
                    articles.c.language,
                ).order_by(articles.c.guid)
            )
        )


def test_feed_pages_renditions_hints_and_next_page_kept(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with running_ap() as server:
        server.add_text(1)
        server.add_text(2, headline=False, dated=False)  # the metadata fills what NITF lacks
        server.items.append({"item": {"type": "picture", "altids": {"itemid": "photo1"}}})
        server.add_text(3)
        server.renditions.pop("ap0003")  # its rendition is gone: quarantined, not blocking
        server.add_text(4)
        spec = spec_for(server)
        with caplog.at_level(logging.DEBUG):
            run = run_transport(open_transport(spec, FAST), store, spec)
        assert run.error is None, run.error
        assert (run.stored, run.quarantined) == (3, 1)
        cursor = load_transport_state(store, "ap", "ap-media").cursor
        assert cursor is not None and cursor.endswith("seq=5&page_size=2")
        server.add_text(5)
        again = run_transport(open_transport(spec, FAST), store, spec)
        assert (again.stored, again.documents) == (1, 1)  # only what came after the cursor
        assert server.feed_requests[-2].startswith("/media/v/content/feed?seq=5")
    found = {row.guid: row for row in rows(store)}
    assert len(found) == 4
    (hinted,) = [row for row in found.values() if row.headline == "Metadata headline 2"]
    assert hinted.published_at is not None and hinted.published_at.isoformat().startswith(
        "2024-06-11T09:00"
    )
    own = [row for row in found.values() if row.headline == "Harbor story number 1"]
    assert own and own[0].byline and "Dana Whitfield" in own[0].byline
    with store.engine.connect() as conn:
        (reason,) = conn.execute(select(quarantine.c.error)).scalars()
    assert reason == "NITF rendition gone (HTTP 404)"
    assert KEY not in caplog.text


def test_a_rendition_on_another_host_gets_no_api_key(store: Store) -> None:
    with running_ap() as server:
        server.add_text(7)
        server.items[0]["item"]["renditions"]["nitf"]["href"] = (
            f"{server.base}/media/v/content/moved/download?format=nitf"
        )
        server.renditions["moved"] = nitf(7)
        spec = spec_for(server)
        run = run_transport(open_transport(spec, FAST), store, spec)
        assert run.stored == 1, run.error
    assert ("other", None) in server.keys_seen
    assert all(key == KEY for role, key in server.keys_seen if role == "api")


def test_429_keeps_the_cursor_and_reports_retry_after(store: Store) -> None:
    with running_ap() as server:
        server.add_text(1)
        server.throttle = 1
        spec = spec_for(server)
        run = run_transport(open_transport(spec, FAST), store, spec)
        assert run.error is not None and "429" in run.error and run.retry_after == 5
        assert load_transport_state(store, "ap", "ap-media").cursor is None
        assert run_transport(open_transport(spec, FAST), store, spec).stored == 1


def test_wrong_key_is_an_error_naming_the_status(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AP_TEST_KEY", "wrong-key-123")
    with running_ap() as server:
        server.add_text(1)
        spec = spec_for(server)
        run = run_transport(open_transport(spec, FAST), store, spec)
    assert run.error == "AP feed: HTTP 401" and run.stored == 0
