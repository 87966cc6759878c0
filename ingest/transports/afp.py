"""AFP API: OAuth2 password grant, ``POST {url}/v1/api/search`` from the last ``published`` seen.

One poll asks for documents published since the cursor (``dateRange.from``; ``now-1d`` the first time,
or the feed's ``date_from``), oldest first, ``page_size`` per page, paging with ``startAt`` until a short
page or the feed's cap. Each document becomes one raw document for the ``afpjson`` format. The cursor is the
newest ``published`` of the poll and moves only after the poll's documents are committed; the window is
inclusive, so the newest document comes once more next time and dedup (uno + revision) absorbs it. A 401
drops the token and the request is sent once more with a fresh one.
"""

from __future__ import annotations

import json
from typing import Any

from config.settings import Settings
from ingest.transports.base import Batch, Delivery, TransportError, TransportSpec
from ingest.transports.http import HttpAnswer, TransportHttp, expect
from ingest.transports.oauth import TokenSource
from ingest.transports.state import TransportState
from parsers.dates import parse_datetime


class AfpApiTransport:
    """``transport = "afp-api"``; ``url`` is the API base (``https://api.afp.com``)."""

    kind = "afp-api"

    def __init__(
        self, spec: TransportSpec, settings: Settings, http: TransportHttp | None = None
    ) -> None:
        if not spec.url:
            raise TransportError(f"feed {spec.name}: url must be the AFP API base URL")
        self.spec, self.base = spec, spec.url.rstrip("/")
        self.http = http or TransportHttp(settings)
        self.tokens = TokenSource(spec, self.http, "password", self.base + "/oauth/token")
        self.page_size = spec.int_option("page_size", 50)
        self.cap = spec.int_option("max_per_poll", 500)

    def close(self) -> None:
        self.http.close()

    def _query(self) -> dict[str, Any]:
        """The feed's filter in the API's query language: ``{"and": [{"name": ..., "in": [...]}]}``."""
        terms: list[dict[str, Any]] = []
        for option, name in (("langs", "lang"), ("products", "product"), ("urgencies", "urgency")):
            values = self.spec.option(option)
            if values:
                terms.append(
                    {"name": name, "in": list(values) if isinstance(values, list) else [values]}
                )
        free = self.spec.option("query")
        if isinstance(free, str) and free.strip():
            terms.append({"in": [free.strip()]})
        return {"and": terms}

    def _search(self, body: dict[str, Any]) -> HttpAnswer:
        url = self.base + "/v1/api/search"
        answer = self.http.request("POST", url, headers=self.tokens.headers(), json=body)
        if answer.status == 401:
            self.tokens.invalidate()
            answer = self.http.request("POST", url, headers=self.tokens.headers(), json=body)
        return expect(answer, "AFP search")

    def fetch(self, state: TransportState) -> Batch:
        since = state.cursor or str(self.spec.option("date_from", "now-1d"))
        deliveries: list[Delivery] = []
        newest = state.cursor
        while len(deliveries) < self.cap:
            body = {
                "dateRange": {"from": since, "to": "now"},
                "sortField": "published",
                "sortOrder": "asc",
                "maxRows": self.page_size,
                "startAt": len(deliveries),
                "query": self._query(),
            }
            payload = self._search(body).json()
            response = payload.get("response") if isinstance(payload, dict) else None
            docs = response.get("docs") if isinstance(response, dict) else None
            if not isinstance(docs, list):
                raise TransportError("AFP search answer holds no response.docs list")
            for doc in docs[: self.cap - len(deliveries)]:
                deliveries.append(self._delivery(doc))
                published = doc.get("published") if isinstance(doc, dict) else None
                if isinstance(published, str) and _later(published, newest):
                    newest = published
            if len(docs) < self.page_size:
                break

        def advance(done: TransportState) -> None:
            done.cursor = newest

        return Batch(deliveries, on_complete=advance)

    def _delivery(self, doc: Any) -> Delivery:
        uno = doc.get("uno") if isinstance(doc, dict) else None
        ident = uno if isinstance(uno, str) and uno else "document"
        data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        return Delivery(data=data, origin=f"afp-api:{self.spec.name}/{ident[:200]}", handle=ident)

    def acknowledge(self, delivery: Delivery, quarantined: bool, state: TransportState) -> None:
        """Nothing to tell the server: the cursor moves once the whole poll is committed."""


def _later(candidate: str, current: str | None) -> bool:
    """Whether ``candidate`` is a later ``published`` than ``current`` (compared as instants)."""
    new = parse_datetime(candidate)
    if new is None or new.tzinfo is None:
        return False
    old = parse_datetime(current) if current else None
    return old is None or old.tzinfo is None or new > old
