"""The single path raw document -> parse -> normalize -> store, used by the CLI, the service and backfill.

Parsing and normalizing (the CPU work) happen outside the write transaction; the transaction that keeps the
raw bytes and the articles is short and all-or-nothing, so a crash never leaves half a document stored.
A document that fails anywhere after fetching (parse, normalize, validate, fingerprint, save) is quarantined
with its raw bytes and one short reason, and the run goes on; only a store outage (``storage.errors``)
stops it, because then no document is at fault.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection

from config.redact import redact, short_error
from ingest.parse_stage import format_of, parse_records
from normalizers.minhash import signature as minhash_signature
from normalizers.record import ArticleRecord
from normalizers.validate import valid_text
from parsers import ParseError
from storage.errors import is_outage
from storage.store import TRUNCATED_FORMAT, DocumentToStore, SaveOutcome, Store

log = logging.getLogger(__name__)
__all__ = [
    "DocumentResult",
    "IngestSummary",
    "document_result",
    "format_of",
    "ingest_document",
    "log_document",
    "parse_records",
    "quarantine_failure",
    "quarantine_oversized",
    "safe_origin",
    "store_parsed",
]


def safe_origin(origin: str) -> str:
    """An origin fit for the store, logs and pages: credentials redacted, valid Unicode (a file name that is
    not UTF-8 arrives with surrogate escapes)."""
    return redact(valid_text(origin))


@dataclass(slots=True)
class DocumentResult:
    """What happened to one document. A duplicate is stored too (linked by ``duplicate_of``): ``stored``
    counts it, and ``duplicates`` says how many of the stored ones are duplicates (the meaning of
    ``wiredesk ingest``'s summary, the poll line and the feed health)."""

    origin: str
    items: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    error: str | None = None
    article_ids: list[int] = field(default_factory=list)

    @property
    def quarantined(self) -> bool:
        return self.error is not None


@dataclass(slots=True)
class IngestSummary:
    """Counts over a run, for the CLI summary and the service's log line: ``stored`` articles (the
    ``duplicates`` among them: a duplicate is stored, linked by ``duplicate_of``), ``unchanged`` articles
    (stored before), ``documents``, ``quarantined``, ``empty`` (no text story) and ``refused`` files."""

    documents: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    quarantined: int = 0
    empty: int = 0
    refused: int = 0  # files or archive members that could not be read (not counted as documents)
    interrupted: bool = False  # stopped by SIGINT/SIGTERM after committing what was in flight

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        self.stored += result.stored
        self.duplicates += result.duplicates
        self.unchanged += result.unchanged
        if result.quarantined:
            self.quarantined += 1
        elif result.items == 0:
            self.empty += 1

    def line(self) -> str:
        """``N documents: S stored, D duplicates, U unchanged, Q quarantined`` (singular for 1); the
        duplicates are among the stored."""
        return (
            f"{_counted(self.documents, 'document')}: {self.stored} stored, "
            f"{_counted(self.duplicates, 'duplicate')}, "
            f"{self.unchanged} unchanged, {self.quarantined} quarantined"
            + (f", {self.empty} without a text story" if self.empty else "")
            + (f", {self.refused} unreadable" if self.refused else "")
        )


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def document_result(
    origin: str, items: int, error: str | None, outcomes: list[SaveOutcome]
) -> DocumentResult:
    """One document's result from its save outcomes (none when quarantined): the one counting rule of
    the live paths (a duplicate counts as stored and as a duplicate)."""
    result = DocumentResult(origin=origin, items=items, error=error)
    for outcome in outcomes:
        result.article_ids.append(outcome.article_id)
        if outcome.result == "unchanged":
            result.unchanged += 1
            continue
        result.stored += 1
        if outcome.result == "duplicate":
            result.duplicates += 1
    return result


def log_document(result: DocumentResult, feed: str | None, ms: float) -> None:
    """The per-document log line of the live paths (``ms``: parse and store, milliseconds)."""
    log.info(
        "document %s",
        "quarantined" if result.error else "ingested",
        extra={
            "origin": result.origin,
            "feed": feed,
            "items": result.items,
            "new": result.stored,
            "dup": result.duplicates,
            "unchanged": result.unchanged,
            "error": result.error,
            "ms": round(ms, 1),
        },
    )


def store_parsed(
    store: Store,
    conn: Connection,
    raw: bytes,
    origin: str,
    records: list[ArticleRecord],
    signatures: list[bytes | None],
    *,
    feed: str | None,
    source_format: str | None,
    error: str | None,
    raw_id: int | None = None,
    digest: str | None = None,
    packed: bytes | None = None,
) -> tuple[int, list[SaveOutcome]]:
    """The store step of one parsed document, inside the caller's transaction: keep the raw bytes, then
    quarantine the failure or save every record. Shared by the live pipeline and backfill: a batch of one
    on ``Store.save_documents``, the store's one save path."""
    document = DocumentToStore(
        raw,
        origin,
        records,
        signatures,
        feed=feed,
        source_format=source_format,
        error=error,
        raw_id=raw_id,
        digest=digest,
        packed=packed,
    )
    saved = store.save_documents(conn, [document])[0]
    return saved.raw_id, saved.outcomes


def ingest_document(
    store: Store,
    raw: bytes,
    origin: str,
    *,
    feed: str | None = None,
    format_name: str | None = None,
    default_agency: str | None = None,
    language_hint: str | None = None,
    hints: Mapping[str, str] | None = None,
) -> DocumentResult:
    """Parse, normalize and store one document; failures are quarantined, never raised. ``hints``: a
    transport's metadata for fields the document leaves empty (``ingest.transports.hints``)."""
    started = time.perf_counter()
    origin = safe_origin(origin)
    error: str | None = None
    records: list[ArticleRecord] = []
    try:
        records = parse_records(
            raw,
            origin,
            feed=feed,
            format_name=format_name,
            default_agency=default_agency,
            language_hint=language_hint,
            hints=hints,
        )
    except ParseError as exc:
        error = exc.reason
    fmt = records[0].source_format if records else format_of(raw, format_name)
    try:
        signatures = [minhash_signature(record.body) for record in records]  # CPU work, no lock
        with store.transaction() as conn:
            _raw_id, outcomes = store_parsed(
                store,
                conn,
                raw,
                origin,
                records,
                signatures,
                feed=feed,
                source_format=fmt,
                error=error,
            )
    except Exception as exc:
        if is_outage(exc):
            raise
        # The save failed and was rolled back: keep the bytes and the reason, as for a parse failure.
        error = f"could not be stored: {short_error(exc)}"
        records, outcomes = [], []
        with store.transaction() as conn:
            store_parsed(
                store, conn, raw, origin, [], [], feed=feed, source_format=fmt, error=error
            )
    result = document_result(origin, len(records), error, outcomes)
    log_document(result, feed, (time.perf_counter() - started) * 1000)
    return result


def _keep_unparsed(
    store: Store, data: bytes, reason: str, origin: str, feed: str | None
) -> DocumentResult:
    """Quarantine ``data`` without parsing it, marked ``truncated``: it is not the whole document, so no
    re-run or replay may parse it as if it were (``storage.replay`` skips that format)."""
    with store.transaction() as conn:
        store_parsed(
            store,
            conn,
            data,
            origin,
            [],
            [],
            feed=feed,
            source_format=TRUNCATED_FORMAT,
            error=reason,
        )
    return DocumentResult(origin=origin, error=reason)


def quarantine_oversized(
    store: Store, prefix: bytes, size: int, reason: str, origin: str, *, feed: str | None = None
) -> DocumentResult:
    """Quarantine a document over the size cap without reading it: only ``prefix`` (its first bytes) is
    kept; ``size`` is the whole document's, in bytes."""
    origin = safe_origin(origin)
    result = _keep_unparsed(store, prefix, reason, origin, feed)
    log.warning(
        "document quarantined: over the size cap",
        extra={"origin": origin, "feed": feed, "bytes": size},
    )
    return result


def quarantine_failure(
    store: Store, data: bytes, size: int, reason: str, origin: str, *, feed: str | None = None
) -> DocumentResult:
    """Quarantine a delivery that cannot become a document (``Delivery.failure``: an AP item whose NITF
    rendition is gone): ``data`` is what is known of it (``size`` bytes), ``reason`` says why."""
    origin = safe_origin(origin)
    result = _keep_unparsed(store, data, reason, origin, feed)
    log.warning(
        "document quarantined: delivery failed",
        extra={"origin": origin, "feed": feed, "bytes": size, "error": reason},
    )
    return result
