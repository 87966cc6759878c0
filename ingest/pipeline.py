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
    "format_of",
    "ingest_document",
    "parse_records",
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
    """What happened to one document."""

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
    """Counts over a run, for the CLI summary and the service's log line."""

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
        return (
            f"{self.documents} documents: {self.stored} stored, {self.duplicates} duplicates, "
            f"{self.unchanged} unchanged, {self.quarantined} quarantined"
            + (f", {self.empty} without a text story" if self.empty else "")
            + (f", {self.refused} unreadable" if self.refused else "")
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
    result = DocumentResult(origin=origin)
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
        result.error = exc.reason
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
                error=result.error,
            )
    except Exception as exc:
        if is_outage(exc):
            raise
        # The save failed and was rolled back: keep the bytes and the reason, as for a parse failure.
        result.error = f"could not be stored: {short_error(exc)}"
        records, outcomes = [], []
        with store.transaction() as conn:
            store_parsed(
                store, conn, raw, origin, [], [], feed=feed, source_format=fmt, error=result.error
            )
    for outcome in outcomes:
        result.article_ids.append(outcome.article_id)
        if outcome.result == "stored":
            result.stored += 1
        elif outcome.result == "duplicate":
            result.duplicates += 1
        else:
            result.unchanged += 1
    result.items = len(records)
    log.info(
        "document %s",
        "quarantined" if result.error else "ingested",
        extra={
            "origin": origin,
            "feed": feed,
            "items": result.items,
            "new": result.stored,
            "dup": result.duplicates,
            "unchanged": result.unchanged,
            "error": result.error,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return result


def quarantine_oversized(
    store: Store, prefix: bytes, size: int, reason: str, origin: str, *, feed: str | None = None
) -> DocumentResult:
    """Quarantine a document over the size cap without reading it: only ``prefix`` (its first bytes) is
    kept, marked ``truncated`` so that no re-run or replay parses it as if it were the whole document."""
    origin = safe_origin(origin)
    with store.transaction() as conn:
        store_parsed(
            store,
            conn,
            prefix,
            origin,
            [],
            [],
            feed=feed,
            source_format=TRUNCATED_FORMAT,
            error=reason,
        )
    log.warning(
        "document quarantined: over the size cap",
        extra={"origin": origin, "feed": feed, "bytes": size},
    )
    return DocumentResult(origin=origin, error=reason)
