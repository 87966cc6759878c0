"""AP Media API: the content feed with ``next_page`` kept per feed, each text item's NITF rendition.

Protocol (AP Media API, as the issue states it): ``GET {url}`` (the feed endpoint, e.g.
``https://api.ap.org/media/v/content/feed``) with the API key header (``auth = { type = "header", name =
"x-api-key", value_env = "AP_API_KEY" }``) and the feed's ``q``/``page_size`` answers ``{"data": {"items":
[{"item": {...}}], "next_page": URL}}``. ``next_page`` is where the next request continues; it is the
feed's cursor and moves only after every document of its page is committed. Each text item's
``renditions.nitf.href`` is fetched (the same key; a redirect to another host gets no key) and parsed by the
``nitf`` module, with the item's metadata as hints (headline, first created, version created, byline) and
its ``language`` as the language hint. Items of other types (photos, video) are skipped; a text item whose
rendition is gone (404/410) is quarantined with its metadata, so it never blocks the feed.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from config.redact import redact_url
from config.settings import Settings
from ingest.transports.base import Batch, Delivery, TransportError, TransportSpec, auth_headers
from ingest.transports.http import Oversize, TransportHttp, expect
from ingest.transports.state import TransportState

log = logging.getLogger(__name__)
GONE = frozenset({404, 410})


class ApMediaTransport:
    """``transport = "ap-media"``."""

    kind = "ap-media"

    def __init__(
        self, spec: TransportSpec, settings: Settings, http: TransportHttp | None = None
    ) -> None:
        if not spec.url:
            raise TransportError(f"feed {spec.name}: url must be the AP Media API feed endpoint")
        self.spec, self.settings = spec, settings
        self.origin = _origin(spec.url)
        self.http = http or TransportHttp(settings)
        self.page_size = spec.int_option("page_size", 50)
        self.query = spec.option("query")
        if self.query is not None and not isinstance(self.query, str):
            raise TransportError(f"feed {spec.name}: query must be a string")

    def close(self) -> None:
        self.http.close()

    def fetch(self, state: TransportState) -> Batch:
        headers = {**auth_headers(self.spec), "Accept": "application/json"}
        if state.cursor:
            if _origin(state.cursor) != self.origin:
                raise TransportError(
                    f"next_page {redact_url(state.cursor)} is not on the feed's host; not followed"
                )
            answer = self.http.request("GET", state.cursor, headers=headers, cap=8 << 20)
        else:
            params = {"page_size": str(self.page_size)}
            if self.query:
                params["q"] = self.query
            answer = self.http.request(
                "GET", self.spec.url or "", headers=headers, params=params, cap=8 << 20
            )
        payload = expect(answer, "AP feed").json()
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise TransportError("AP feed answer holds no data object")
        items = data.get("items")
        if not isinstance(items, list):
            raise TransportError("AP feed answer holds no data.items list")
        next_page = data.get("next_page")
        deliveries = []
        for entry in items:
            item = entry.get("item") if isinstance(entry, dict) else None
            if isinstance(item, dict):
                delivery = self._delivery(item, headers)
                if delivery is not None:
                    deliveries.append(delivery)

        def advance(done: TransportState) -> None:
            if isinstance(next_page, str) and next_page:
                done.cursor = next_page

        return Batch(
            deliveries,
            retry_after=answer.retry_after,
            more=bool(items) and isinstance(next_page, str),
            on_complete=advance,
        )

    def _delivery(self, item: dict[str, Any], headers: dict[str, str]) -> Delivery | None:
        ident = _item_id(item)
        if item.get("type") != "text":
            log.debug("AP item skipped: not text", extra={"feed": self.spec.name, "item": ident})
            return None
        origin = f"ap-media:{self.spec.name}/{ident}"
        language = item.get("language")
        hints = _hints(item)
        rendition = (item.get("renditions") or {}).get("nitf")
        href = rendition.get("href") if isinstance(rendition, dict) else None
        metadata = json.dumps(item, ensure_ascii=False).encode("utf-8")
        if not isinstance(href, str) or not href:
            return Delivery(
                metadata, origin, ident, failure="AP text item without a NITF rendition"
            )
        try:
            answer = self.http.request("GET", href, headers=headers)
        except Oversize as exc:
            return Delivery(exc.prefix, origin, ident, size=exc.size, oversized=True)
        if answer.status in GONE:
            return Delivery(
                metadata, origin, ident, failure=f"NITF rendition gone (HTTP {answer.status})"
            )
        expect(answer, "AP NITF rendition")
        return Delivery(
            answer.body,
            origin,
            ident,
            format_name="nitf",
            language_hint=language if isinstance(language, str) else None,
            hints=hints,
        )

    def acknowledge(self, delivery: Delivery, quarantined: bool, state: TransportState) -> None:
        """Nothing to tell the server: ``next_page`` moves once the page is committed."""


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc.lower())


def _item_id(item: dict[str, Any]) -> str:
    altids = item.get("altids")
    for value in (
        altids.get("itemid") if isinstance(altids, dict) else None,
        item.get("uri"),
    ):
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return "item"


def _hints(item: dict[str, Any]) -> dict[str, str]:
    hints: dict[str, str] = {}
    for key, name in (
        ("headline", "headline"),
        ("firstcreated", "published"),
        ("versioncreated", "updated"),
    ):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            hints[name] = value.strip()
    bylines = item.get("bylines")
    if isinstance(bylines, list) and bylines and isinstance(bylines[0], dict):
        by = bylines[0].get("by")
        if isinstance(by, str) and by.strip():
            hints["author"] = by.strip()
    return hints
