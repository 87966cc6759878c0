"""One poll of a transport feed: fetch -> commit each document -> acknowledge it -> persist the state.

The order is the whole point (DESIGN.md: "a delivery is acknowledged ... only after its raw bytes are
committed"): ``ingest_document`` returns only once the document's raw bytes and articles -- or its
quarantine entry -- are committed, and only then is the handle acknowledged. A poisoned document is
quarantined and acknowledged like any other, so it never blocks the ones behind it. A cursor moves (the
batch's ``on_complete``) only after every document of its batch is committed and acknowledged.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from config.redact import redact
from ingest.pipeline import (
    DocumentResult,
    ingest_document,
    quarantine_failure,
    quarantine_oversized,
)
from ingest.transports.base import Batch, Delivery, Transport, TransportError, TransportSpec
from ingest.transports.state import TransportState, load_transport_state, save_transport_state
from storage.store import Store

log = logging.getLogger(__name__)
DEFAULT_MAX_PER_POLL = 500
MORE_WAITING_SECONDS = 1.0  # next poll after a capped one that left entries waiting


@dataclass(slots=True)
class TransportRun:
    """What one poll did; ``health`` is the feed's delivery line after it (``TransportState.summary``)."""

    feed: str
    documents: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    quarantined: int = 0
    bytes: int = 0
    acknowledged: int = 0
    ack_failures: int = 0
    retry_after: float | None = None
    error: str | None = None
    last_quarantine_error: str | None = None
    health: str = ""

    def add(self, result: DocumentResult, size: int) -> None:
        self.documents += 1
        self.bytes += size
        self.stored += result.stored
        self.duplicates += result.duplicates
        self.unchanged += result.unchanged
        if result.quarantined:
            self.quarantined += 1
            self.last_quarantine_error = result.error


def commit(store: Store, spec: TransportSpec, delivery: Delivery) -> DocumentResult:
    """Commit one delivered document (stored or quarantined); returns once it is durable."""
    if delivery.oversized:
        reason = (
            f"document is {delivery.size} bytes, over the limit (WIREDESK_MAX_DOCUMENT_BYTES); "
            f"its first {len(delivery.data)} bytes are kept"
        )
        return quarantine_oversized(
            store, delivery.data, delivery.size, reason, delivery.origin, feed=spec.name
        )
    if delivery.failure is not None:
        return quarantine_failure(
            store, delivery.data, delivery.size, delivery.failure, delivery.origin, feed=spec.name
        )
    return ingest_document(
        store,
        delivery.data,
        delivery.origin,
        feed=spec.name,
        format_name=delivery.format_name or spec.format,
        default_agency=spec.agency,
        language_hint=delivery.language_hint or spec.language,
        hints=delivery.hints or None,
    )


def run_transport(
    transport: Transport,
    store: Store,
    spec: TransportSpec,
    *,
    stop: threading.Event | None = None,
) -> TransportRun:
    """Poll ``transport`` once: batches until the source is drained or ``max_per_poll`` documents were
    taken. ``TransportError`` from fetching ends the poll with ``error`` set (already committed documents
    stay committed and acknowledged); a store outage propagates, as in the pipeline."""
    started = time.perf_counter()
    run = TransportRun(feed=spec.name)
    state = load_transport_state(store, spec.name, transport.kind)
    state.pending_acks = 0
    cap = spec.int_option("max_per_poll", DEFAULT_MAX_PER_POLL)
    halt = stop or threading.Event()
    try:
        while not halt.is_set():
            batch = transport.fetch(state)
            run.retry_after = state.retry_after = batch.retry_after
            complete = _deliver(transport, store, spec, batch, state, run, halt)
            if complete and batch.on_complete is not None:
                batch.on_complete(state)
            _save(store, spec, state)
            if not (complete and batch.more and batch.deliveries):
                break
            if run.documents >= cap:
                # More waits than one poll takes: come back soon unless the server said otherwise.
                if run.retry_after is None:
                    run.retry_after = MORE_WAITING_SECONDS
                break
    except TransportError as exc:
        run.error = redact(str(exc))
        if exc.retry_after is not None:
            run.retry_after = state.retry_after = exc.retry_after
        _save(store, spec, state)
    run.health = state.summary()
    log.log(
        logging.WARNING if run.error else logging.INFO,
        "transport poll %s",
        "failed" if run.error else "ok",
        extra={
            "feed": spec.name,
            "transport": transport.kind,
            "documents": run.documents,
            "new": run.stored,
            "dup": run.duplicates,
            "quarantined": run.quarantined,
            "acked": run.acknowledged,
            "ack_failures": run.ack_failures,
            "retry_after": run.retry_after,
            "error": run.error,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return run


def _save(store: Store, spec: TransportSpec, state: TransportState) -> None:
    if state.seen is not None:
        state.seen_total = state.seen.count()
    save_transport_state(store, spec.name, state)


def _deliver(
    transport: Transport,
    store: Store,
    spec: TransportSpec,
    batch: Batch,
    state: TransportState,
    run: TransportRun,
    halt: threading.Event,
) -> bool:
    """Commit and acknowledge each delivery in order; ``True`` when all were committed and acked."""
    complete = True
    for delivery in batch.deliveries:
        if halt.is_set():
            return False  # shutting down: what was committed is acknowledged, the rest comes again
        result = commit(store, spec, delivery)
        run.add(result, delivery.size)
        try:
            transport.acknowledge(delivery, result.quarantined, state)
        except TransportError as exc:
            complete = False
            run.ack_failures += 1
            state.pending_acks += 1
            state.last_ack_error = redact(str(exc))
            log.warning(
                "acknowledgement failed; the document will be delivered again",
                extra={"feed": spec.name, "origin": delivery.origin, "error": state.last_ack_error},
            )
            continue
        run.acknowledged += 1
        state.acknowledged += 1
    return complete
