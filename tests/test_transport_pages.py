"""Article-page feeds against a local site on 127.0.0.1: RSS/sitemap entries followed to their pages with
robots.txt, conditional GETs, a per-host pace, a cap per poll and the entry's data as hints."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from config.settings import Settings
from ingest.transports import open_transport
from ingest.transports.base import TransportSpec
from ingest.transports.runner import run_transport
from storage.store import Store, articles

FAST = Settings(retries=0, connect_timeout=2, read_timeout=5, total_timeout=10)


def page(number: int, *, titled: bool = True) -> bytes:
    title = f"<title>Harbor report {number} - Coast Daily</title>" if titled else ""
    words = " ".join(f"tide{number}w{i}" for i in range(40))  # no two pages are near duplicates
    return (
        f'<!doctype html><html lang="en"><head>{title}</head><body><article>'
        f"<p>Dock workers in Portland reported story {number} on Tuesday, and officials said the "
        f"review would continue into next week with further checks at pier {number}.</p>"
        f"<p>The harbor master said inspection {number} found no damage to the pier, though two "
        f"cranes remain out of service until repairs are done.</p>"
        f"<p>City officials plan to publish report {number} once the review is complete, a "
        f"spokesperson said on Wednesday afternoon.</p><p>Notes: {words}.</p></article></body></html>"
    ).encode()


@dataclass
class Site:
    base: str = ""
    pages: dict[str, bytes] = field(default_factory=dict)
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # path, title, pubDate
    index_version: int = 1
    robots: tuple[int, str] = (200, "User-agent: *\nDisallow: /private/\n")
    hits: list[tuple[str, float, int]] = field(default_factory=list)  # path, time, status
    sitemap: bool = False

    def rss(self) -> bytes:
        items = "".join(
            f"<item><title>{title}</title><link>{self.base}{path}</link><pubDate>{date}</pubDate>"
            f"<author>desk@coast.example (Robin Vale)</author></item>"
            for path, title, date in self.entries
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Coast</title>'
            f"<link>{self.base}/</link>{items}</channel></rss>"
        ).encode()

    def news_sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{self.base}{path}</loc><news:news><news:title>{title}</news:title>"
            f"<news:publication_date>2024-06-11T0{n}:00:00Z</news:publication_date></news:news></url>"
            for n, (path, title, _date) in enumerate(self.entries)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>"
        ).encode()

    def hit_paths(self) -> list[str]:
        return [path for path, _when, _status in self.hits]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", etag: str | None = None) -> None:
            site.hits.append((self.path, time.monotonic(), status))
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                self._send(site.robots[0], site.robots[1].encode())
                return
            if self.path == "/index":
                etag = f'"index-{site.index_version}"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, etag=etag)
                else:
                    body = site.news_sitemap() if site.sitemap else site.rss()
                    self._send(200, body, etag)
                return
            body = site.pages.get(self.path)
            if body is None:
                self._send(404, b"not here")
                return
            etag = f'"{hash(body) & 0xFFFFFF:x}"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, etag=etag)
            else:
                self._send(200, body, etag)

    return Handler


@contextmanager
def running_site() -> Iterator[Site]:
    site = Site()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    httpd.daemon_threads = True
    site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


def spec_for(site: Site, **options: Any) -> TransportSpec:
    return TransportSpec(
        name="coast",
        transport="pages",
        url=f"{site.base}/index",
        options={"rate_limit": 0, **options},
    )


def poll(store: Store, site: Site, **options: Any) -> Any:
    spec = spec_for(site, **options)
    transport = open_transport(spec, FAST)
    try:
        return run_transport(transport, store, spec)
    finally:
        transport.close()


def stored(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(
                articles.c.origin, articles.c.headline, articles.c.published_at, articles.c.byline
            )
        )
        return {row.origin: row for row in rows}


def fill(site: Site) -> None:
    site.pages["/news/1.html"] = page(1)
    site.pages["/news/2.html"] = page(2, titled=False)  # the entry's title becomes its headline
    site.pages["/private/3.html"] = page(3)
    site.entries = [
        ("/news/2.html", "Entry title two", "Tue, 11 Jun 2024 10:00:00 GMT"),
        ("/news/1.html", "Entry title one", "Tue, 11 Jun 2024 09:00:00 GMT"),
        ("/private/3.html", "Private three", "Tue, 11 Jun 2024 08:00:00 GMT"),
        ("/news/gone.html", "Gone", "Tue, 11 Jun 2024 07:00:00 GMT"),
    ]


def test_entries_followed_with_robots_hints_and_conditional_gets(store: Store) -> None:
    with running_site() as site:
        fill(site)
        first = poll(store, site)
        assert first.error is None, first.error
        assert (first.stored, first.documents) == (2, 2)
        assert "/private/3.html" not in site.hit_paths()  # robots.txt said no
        found = stored(store)
        assert set(found) == {f"{site.base}/news/1.html", f"{site.base}/news/2.html"}
        hinted = found[f"{site.base}/news/2.html"]
        assert hinted.headline == "Entry title two"
        assert hinted.published_at.isoformat().startswith("2024-06-11T10:00")
        assert hinted.byline and "Robin Vale" in hinted.byline
        assert found[f"{site.base}/news/1.html"].headline.startswith("Harbor report 1")

        site.hits.clear()
        assert poll(store, site).documents == 0
        assert site.hit_paths() == ["/index"]  # 304: no page asked

        site.index_version += 1  # entry 1 republished (same page), a new entry 4
        site.entries[1] = ("/news/1.html", "Entry title one", "Tue, 11 Jun 2024 11:00:00 GMT")
        site.entries.insert(0, ("/news/4.html", "Four", "Tue, 11 Jun 2024 12:00:00 GMT"))
        site.pages["/news/4.html"] = page(4)
        site.hits.clear()
        third = poll(store, site)
        assert (third.stored, third.documents) == (1, 1)
        statuses = {path: status for path, _when, status in site.hits}
        assert statuses["/news/1.html"] == 304 and statuses["/news/4.html"] == 200
        assert "/news/2.html" not in statuses and "/news/gone.html" not in statuses


def test_cap_per_poll_and_the_index_read_again_until_every_entry_is_handled(
    store: Store,
) -> None:
    with running_site() as site:
        fill(site)
        # oldest first: the gone page (requested: it counts), then page 1, then page 2
        runs = [poll(store, site, max_per_poll=1) for _ in range(3)]
        assert [(run.documents, run.stored) for run in runs] == [(0, 0), (1, 1), (1, 1)]
        assert [s for p, _w, s in site.hits if p == "/index"] == [200, 200, 200]
        site.hits.clear()
        assert poll(store, site, max_per_poll=1).documents == 0
        assert [s for p, _w, s in site.hits if p == "/index"] == [304]  # every entry handled


def test_pages_of_one_host_keep_the_pace(store: Store) -> None:
    with running_site() as site:
        fill(site)
        poll(store, site, rate_limit=0.4)
        times = [when for _path, when, _status in site.hits]
    assert len(times) == 5  # robots, index, 2 pages, the gone page
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.35, gaps


def test_news_sitemap_entries(store: Store) -> None:
    with running_site() as site:
        fill(site)
        site.sitemap = True
        run = poll(store, site)
        assert run.stored == 2
        found = stored(store)
    assert found[f"{site.base}/news/2.html"].headline == "Entry title two"


@pytest.mark.parametrize("status", [503, 404])
def test_robots_unavailable_blocks_the_host_robots_missing_allows_it(
    store: Store, status: int
) -> None:
    with running_site() as site:
        fill(site)
        site.robots = (status, "")
        run = poll(store, site)
    if status == 404:
        assert run.stored == 3  # no rules: the private page too
    else:
        assert run.documents == 0 and run.error is None
        assert [p for p in site.hit_paths() if p.startswith(("/news", "/private"))] == []
