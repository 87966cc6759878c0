"""Article pages: an RSS/Atom feed or a sitemap whose entries are followed to the pages they link.

Each poll reads the index (conditional GET), lists its entries (link, title, time, author) and fetches the
pages that are new or whose entry time changed, at most ``max_per_poll`` per poll (default 20), each:

- allowed by the host's robots.txt (``ingest.transports.politeness``), at the host's pace
  (``rate_limit`` seconds, default 1, or its ``Crawl-delay``);
- with a conditional GET (``If-None-Match``/``If-Modified-Since`` from the last fetch): 304 costs nothing;
- parsed as ``page_format`` (default ``html``) with the entry's title, time, author and link as hints
  (``ingest.transports.hints``: the page's own data wins), the entry's link as the page's origin.

A page counts as taken (seen-list: entry link -> entry time and the page's validators) only after it is
committed. A page gone (404/410) or refused by robots.txt is remembered too and asked again only when its
entry changes; a page failing otherwise is asked again next poll. The index's validators are kept only once
every entry was handled, so entries left over by the cap are not lost behind a 304.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from config.settings import Settings
from ingest.transports.base import Batch, Delivery, TransportError, TransportSpec
from ingest.transports.http import HttpAnswer, Oversize, TransportHttp, expect
from ingest.transports.politeness import Manners
from ingest.transports.state import SeenList, TransportState
from parsers import ParseError
from parsers.xmlsafe import parse_xml

log = logging.getLogger(__name__)
INDEX_KEY = "(index)"  # the seen-list entry of the index itself (entry links are http(s) URLs)
INDEX_CAP = 16 << 20
MAX_ENTRIES = 5000
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One index entry: the page ``link`` and what the index says of it (hints)."""

    link: str
    title: str | None = None
    published: str | None = None
    updated: str | None = None
    author: str | None = None

    @property
    def stamp(self) -> str:
        """The entry's time as written (changes when the page is republished)."""
        return self.updated or self.published or ""

    def hints(self) -> dict[str, str]:
        values = {
            "headline": self.title,
            "published": self.published,
            "updated": self.updated,
            "author": self.author,
            "url": self.link,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True, slots=True)
class _Taken:
    """A delivery's handle: what goes to the seen-list once the page is committed."""

    link: str
    stamp: str
    validator: str | None


def _validators(answer: HttpAnswer) -> str | None:
    etag, modified = answer.headers.get("ETag"), answer.headers.get("Last-Modified")
    return json.dumps([etag, modified]) if etag or modified else None


def _conditional(validator: str | None) -> dict[str, str]:
    if not validator:
        return {}
    try:
        etag, modified = json.loads(validator)
    except (ValueError, TypeError):
        return {}
    headers = {}
    if isinstance(etag, str):
        headers["If-None-Match"] = etag
    if isinstance(modified, str):
        headers["If-Modified-Since"] = modified
    return headers


def feed_entries(body: bytes) -> list[Entry]:
    """Entries of an RSS/Atom feed (feedparser); raises ``TransportError`` when it is neither."""
    import feedparser

    parsed: Any = feedparser.parse(body)
    if not parsed.get("version") and not parsed.get("entries"):
        raise TransportError("index is neither RSS/Atom nor a sitemap")
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        link = item.get("link")
        if not isinstance(link, str) or not link.startswith(("http://", "https://")):
            continue
        entries.append(
            Entry(
                link=link,
                title=item.get("title") or None,
                published=item.get("published") or None,
                # plain dict lookup: FeedParserDict maps a missing "updated" to "published" (deprecated)
                updated=dict.get(item, "updated") or None,
                author=item.get("author") or None,
            )
        )
    return entries


def sitemap_entries(body: bytes) -> tuple[list[Entry], list[str]]:
    """``(entries, child sitemaps)`` of a sitemap (sitemaps.org 0.9, with Google News titles/dates)."""
    try:
        root = parse_xml(body)
    except ParseError as exc:
        raise TransportError(f"sitemap unreadable: {exc.reason}") from None
    children = [
        loc.text.strip()
        for loc in root.iter(f"{_SITEMAP}loc")
        if root.tag == f"{_SITEMAP}sitemapindex" and loc.text
    ]
    entries = []
    for url in root.iter(f"{_SITEMAP}url"):
        loc = url.findtext(f"{_SITEMAP}loc")
        if not loc or not loc.strip().startswith(("http://", "https://")):
            continue
        entries.append(
            Entry(
                link=loc.strip(),
                title=url.findtext(f"{_NEWS}news/{_NEWS}title"),
                published=url.findtext(f"{_NEWS}news/{_NEWS}publication_date"),
                updated=url.findtext(f"{_SITEMAP}lastmod"),
            )
        )
        if len(entries) >= MAX_ENTRIES:
            break
    return entries, children[:20]


def _is_sitemap(body: bytes) -> bool:
    head = body[:2048]
    return b"sitemaps.org/schemas/sitemap" in head


class PagesTransport:
    """``transport = "pages"``; ``url`` is the RSS/Atom feed or sitemap listing the pages."""

    kind = "pages"

    def __init__(
        self, spec: TransportSpec, settings: Settings, http: TransportHttp | None = None
    ) -> None:
        if not spec.url:
            raise TransportError(f"feed {spec.name}: url must be the feed or sitemap of the pages")
        self.spec, self.url = spec, spec.url
        self.http = http or TransportHttp(settings)
        self.cap = spec.int_option("max_per_poll", 20)
        rate = spec.option("rate_limit", 1.0)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or rate < 0:
            raise TransportError(f"feed {spec.name}: rate_limit must be seconds >= 0")
        self.format = str(spec.option("page_format", "html"))
        self.manners = Manners(self.http, settings.user_agent, float(rate))

    def close(self) -> None:
        self.http.close()

    def _get(self, url: str, headers: dict[str, str], cap: int | None = None) -> HttpAnswer:
        self.manners.wait_turn(url)
        return self.http.request("GET", url, headers=headers, cap=cap)

    def _index(self, seen: SeenList) -> tuple[list[Entry], str | None] | None:
        """The index's entries and validators; ``None`` when it is unchanged (304)."""
        stored = seen.get(INDEX_KEY)
        answer = self._get(self.url, _conditional(stored.validator if stored else None), INDEX_CAP)
        if answer.status == 304:
            return None
        expect(answer, "pages index")
        if not _is_sitemap(answer.body):
            return feed_entries(answer.body), _validators(answer)
        entries, children = sitemap_entries(answer.body)
        for child in children:
            part, _more = sitemap_entries(expect(self._get(child, {}, INDEX_CAP), "sitemap").body)
            entries.extend(part)
        return entries[:MAX_ENTRIES], _validators(answer)

    def fetch(self, state: TransportState) -> Batch:
        if state.seen is None:
            raise TransportError("pages transport needs the store's seen-list")
        seen = state.seen
        index = self._index(seen)
        if index is None:
            return Batch()
        entries, index_validator = index
        seen.prune({INDEX_KEY, *(entry.link for entry in entries)})
        deliveries: list[Delivery] = []
        asked, left_over, retry_after = 0, False, None
        for entry in _oldest_first(_unique(entries)):
            known = seen.get(entry.link)
            if known is not None and known.mtime == entry.stamp:
                continue
            allowed = self.manners.allowed(entry.link)
            if not allowed:
                if allowed is None:
                    left_over = True  # the host's robots.txt is unreadable: ask again later
                else:
                    log.info("page skipped: robots.txt disallows it", extra={"url": entry.link})
                    seen.add(entry.link, None, entry.stamp, None)
                continue
            if asked >= self.cap:  # pages requested (robots-refused ones cost no request)
                left_over = True
                break
            asked += 1
            try:
                outcome = self._page(entry, known.validator if known else None, seen)
            except _Throttled as exc:
                left_over, retry_after = True, exc.retry_after
                break
            if isinstance(outcome, Delivery):
                deliveries.append(outcome)
            elif not outcome:
                left_over = True  # failing for now: the index must be read again next poll

        def advance(done: TransportState) -> None:
            if not left_over and done.seen is not None:
                done.seen.add(INDEX_KEY, None, None, index_validator)

        return Batch(deliveries, retry_after=retry_after, on_complete=advance)

    def _page(self, entry: Entry, validator: str | None, seen: SeenList) -> Delivery | bool:
        """The page of ``entry`` as a delivery; ``True`` when there is nothing to commit and the entry is
        remembered (unchanged: 304, or gone), ``False`` when it failed for now."""
        try:
            answer = self._get(entry.link, _conditional(validator))
        except Oversize as exc:
            taken = _Taken(entry.link, entry.stamp, None)
            return Delivery(exc.prefix, entry.link, taken, size=exc.size, oversized=True)
        except TransportError as exc:
            log.warning(
                "page not fetched; asked again next poll",
                extra={"url": entry.link, "error": str(exc)},
            )
            return False
        if answer.status == 304:
            seen.add(entry.link, None, entry.stamp, validator)
            return True
        if answer.status in (404, 410):
            log.warning("page gone", extra={"url": entry.link, "status": answer.status})
            seen.add(entry.link, None, entry.stamp, None)
            return True
        if answer.status == 429:
            raise _Throttled(answer.retry_after)
        if answer.status != 200:
            log.warning(
                "page not fetched; asked again next poll",
                extra={"url": entry.link, "status": answer.status},
            )
            return False
        return Delivery(
            answer.body,
            entry.link,
            _Taken(entry.link, entry.stamp, _validators(answer)),
            format_name=self.format,
            hints=entry.hints(),
        )

    def acknowledge(self, delivery: Delivery, quarantined: bool, state: TransportState) -> None:
        taken = delivery.handle
        if not isinstance(taken, _Taken) or state.seen is None:
            raise TransportError("page delivery without its entry")
        state.seen.add(taken.link, delivery.size, taken.stamp, taken.validator)


class _Throttled(Exception):
    """A page host answered 429: the poll ends with what it has, the rest waits for ``retry_after``."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def _unique(entries: list[Entry]) -> list[Entry]:
    """The first entry of each link (an index may list a page twice)."""
    firsts: dict[str, Entry] = {}
    for entry in entries:
        firsts.setdefault(entry.link, entry)
    return list(firsts.values())


def _oldest_first(entries: list[Entry]) -> list[Entry]:
    """Entries by their time, oldest first (feeds list newest first); undated ones keep their order last."""
    from parsers.dates import parse_datetime

    def when(entry: Entry) -> tuple[int, float]:
        moment: datetime | None = parse_datetime(entry.stamp) if entry.stamp else None
        if moment is None or moment.tzinfo is None:
            return (1, 0.0)
        return (0, moment.timestamp())

    return sorted(entries, key=when)
