"""dpa wireQ: a queue of digitalwires entries, fetched over HTTPS.

Protocol (dpa digitalwires wireQ API, as the issue states it):

- get-and-delete (default, at-least-once): ``GET {url}entries.json`` answers ``{"entries": [...]}``; each
  entry carries ``_wireq_receipt``. An entry not deleted within the queue's visibility timeout is delivered
  again. We ``DELETE {url}entry/{receipt}`` only after the entry is committed: 204 is done; 404/410 mean the
  receipt expired (the entry comes again and the idempotent store absorbs it) -- logged, not fatal.
- dequeue (``mode = "dequeue"``, at-most-once): ``POST {url}dequeue-entries.json`` removes the entries on
  delivery; a crash before commit loses them. Documented as such; use it only when the queue holds copies.
- ``Retry-After`` on an answer says when to poll next; 429 backs off by it.

Each entry becomes its own raw document: the entry object re-serialised *without* its receipt, so the same
entry delivered twice has the same bytes (one raw row) and the same guid/version (one article).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

from config.settings import Settings
from ingest.transports.base import (
    Batch,
    Delivery,
    TransportError,
    TransportSpec,
    auth_headers,
)
from ingest.transports.http import TransportHttp, expect
from ingest.transports.state import TransportState

log = logging.getLogger(__name__)
RECEIPT = "_wireq_receipt"
MODES = ("get-and-delete", "dequeue")


class WireQTransport:
    """``transport = "dpa-wireq"``."""

    kind = "dpa-wireq"

    def __init__(
        self, spec: TransportSpec, settings: Settings, http: TransportHttp | None = None
    ) -> None:
        if not spec.url or not spec.url.endswith("/"):
            raise TransportError(
                f"feed {spec.name}: url must be the queue's base URL ending in '/'"
            )
        self.spec = spec
        self.mode = str(spec.option("mode", "get-and-delete"))
        if self.mode not in MODES:
            raise TransportError(f"feed {spec.name}: mode must be one of {', '.join(MODES)}")
        self.http = http or TransportHttp(settings)
        self.base = spec.url

    def close(self) -> None:
        self.http.close()

    def fetch(self, state: TransportState) -> Batch:
        headers = auth_headers(self.spec)
        if self.mode == "dequeue":
            answer = self.http.request("POST", self.base + "dequeue-entries.json", headers=headers)
        else:
            answer = self.http.request("GET", self.base + "entries.json", headers=headers)
        expect(answer, "wireQ entries")
        document = answer.json()
        entries = document.get("entries") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise TransportError("wireQ answer holds no 'entries' list")
        deliveries = [self._delivery(index, entry) for index, entry in enumerate(entries)]
        return Batch(deliveries, retry_after=answer.retry_after, more=bool(entries))

    def _delivery(self, index: int, entry: Any) -> Delivery:
        receipt: str | None = None
        if isinstance(entry, dict):
            value = entry.get(RECEIPT)
            receipt = value if isinstance(value, str) and value else None
            entry = {key: val for key, val in entry.items() if key != RECEIPT}
        data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        ident = _entry_id(entry) or f"entry-{index}"
        return Delivery(data=data, origin=f"dpa-wireq:{self.spec.name}/{ident}", handle=receipt)

    def acknowledge(self, delivery: Delivery, quarantined: bool, state: TransportState) -> None:
        if self.mode == "dequeue":
            return  # removed on delivery (at-most-once)
        receipt = delivery.handle
        if not isinstance(receipt, str):
            raise TransportError("entry without _wireq_receipt cannot be deleted")
        answer = self.http.request(
            "DELETE",
            self.base + "entry/" + quote(receipt, safe=""),
            headers=auth_headers(self.spec),
        )
        if answer.status in (404, 410):
            state.expired_receipts += 1
            log.warning(
                "wireQ receipt expired; the entry will be delivered again",
                extra={"feed": self.spec.name, "origin": delivery.origin, "status": answer.status},
            )
            return
        expect(answer, "wireQ delete", frozenset({200, 202, 204}))


def _entry_id(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return None
    for key in ("urn", "entry_id"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return None
