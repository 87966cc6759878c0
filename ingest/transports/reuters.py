"""Reuters Connect: OAuth2 client credentials, items since the last cursor through GraphQL.

One poll: ``search`` pages (``cursor`` = where the last committed page ended, ``limit`` per page) until
``hasNextPage`` is false or the feed's cap is reached; for every hit the full item (``item(id:)``, with
``bodyXhtml``) becomes one raw document ``{"data": {"item": {...}}}`` -- the shape the ``reutersconnect``
format reads. The cursor moves only after every document of the poll is committed. A 401 drops the token
and the request is sent once more with a fresh one.
"""

from __future__ import annotations

import json
from typing import Any

from config.settings import Settings
from ingest.transports.base import Batch, Delivery, TransportError, TransportSpec
from ingest.transports.http import HttpAnswer, TransportHttp, expect
from ingest.transports.oauth import TokenSource
from ingest.transports.state import TransportState

ITEM_FIELDS = (
    "uri usn versionedGuid version type versionCreated firstCreated headLine byLine caption credit "
    "language urgency slug pubStatus bodyXhtml subject { code name }"
)
SEARCH_QUERY = (
    "query Search($cursor: String, $limit: Int, $filter: SearchFilter, $query: String) "
    "{ search(cursor: $cursor, limit: $limit, filter: $filter, query: $query) "
    "{ pageInfo { endCursor hasNextPage } items { uri versionCreated } } }"
)
ITEM_QUERY = f"query Item($id: ID!) {{ item(id: $id) {{ {ITEM_FIELDS} }} }}"


class ReutersConnectTransport:
    """``transport = "reuters-connect"``; ``url`` is the GraphQL endpoint."""

    kind = "reuters-connect"

    def __init__(
        self, spec: TransportSpec, settings: Settings, http: TransportHttp | None = None
    ) -> None:
        if not spec.url:
            raise TransportError(f"feed {spec.name}: url must be the GraphQL endpoint")
        self.spec, self.url = spec, spec.url
        self.http = http or TransportHttp(settings)
        self.tokens = TokenSource(
            spec, self.http, "client_credentials", spec.url.rstrip("/") + "/oauth/token"
        )
        self.page_size = spec.int_option("page_size", 50)
        self.cap = spec.int_option("max_per_poll", 500)

    def close(self) -> None:
        self.http.close()

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """POST one GraphQL request; its ``data``. Raises ``TransportError`` on errors."""
        body = {"query": query, "variables": variables}
        answer = self._post(body)
        if answer.status == 401:
            self.tokens.invalidate()
            answer = self._post(body)
        payload = expect(answer, "Reuters Connect").json()
        if not isinstance(payload, dict):
            raise TransportError("Reuters Connect answer is not a JSON object")
        errors = payload.get("errors")
        if errors:
            first = (
                errors[0].get("message")
                if isinstance(errors, list) and isinstance(errors[0], dict)
                else None
            )
            raise TransportError(f"Reuters Connect GraphQL error: {str(first or errors)[:200]}")
        data = payload.get("data")
        if not isinstance(data, dict):
            raise TransportError("Reuters Connect answer holds no data")
        return data

    def _post(self, body: dict[str, Any]) -> HttpAnswer:
        return self.http.request("POST", self.url, headers=self.tokens.headers(), json=body)

    def fetch(self, state: TransportState) -> Batch:
        cursor = state.cursor
        deliveries: list[Delivery] = []
        more = True
        while more and len(deliveries) < self.cap:
            variables: dict[str, Any] = {"cursor": cursor, "limit": self.page_size}
            for key in ("filter", "query"):
                if self.spec.option(key) is not None:
                    variables[key] = self.spec.option(key)
            search = self.graphql(SEARCH_QUERY, variables).get("search")
            if not isinstance(search, dict):
                raise TransportError("Reuters Connect answer holds no search result")
            hits = [h for h in search.get("items") or [] if isinstance(h, dict)]
            info = search.get("pageInfo")
            page: dict[str, Any] = info if isinstance(info, dict) else {}
            for hit in hits:
                deliveries.append(self._item(hit))
            end = page.get("endCursor")
            cursor = end if isinstance(end, str) and end else cursor
            more = bool(page.get("hasNextPage")) and bool(hits)
        final = cursor

        def advance(done: TransportState) -> None:
            done.cursor = final

        return Batch(deliveries, on_complete=advance, more=False)

    def _item(self, hit: dict[str, Any]) -> Delivery:
        ident = hit.get("uri")
        if not isinstance(ident, str) or not ident:
            raise TransportError("Reuters Connect search hit without uri")
        item = self.graphql(ITEM_QUERY, {"id": ident}).get("item")
        data = json.dumps({"data": {"item": item}}, ensure_ascii=False).encode("utf-8")
        return Delivery(
            data=data, origin=f"reuters-connect:{self.spec.name}/{ident[:200]}", handle=ident
        )

    def acknowledge(self, delivery: Delivery, quarantined: bool, state: TransportState) -> None:
        """Nothing to tell the server: the cursor moves once the whole poll is committed."""
