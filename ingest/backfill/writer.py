"""The one writer of a run: batches of documents, one short transaction each, then the checkpoint.

SQLite allows one writer at a time, so the live service waits at most one batch. A batch that fails for a
reason other than the store itself is written again document by document: one bad row never costs the
others (issue 16, finding 1). Backfill, ``wiredesk ingest`` and the service's drop-folder polls
(``ingest.folderpoll``) all write through it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from config.redact import short_error
from ingest.backfill.checkpoint import Checkpoint
from ingest.backfill.options import BackfillOptions
from ingest.backfill.progress import Counts
from normalizers.record import ArticleRecord
from storage import replay
from storage.errors import is_outage
from storage.store import DocumentToStore, SaveOutcome, Store

log = logging.getLogger(__name__)
LOCK_RETRIES = 5
MAX_REFUSED_KEPT = 1000


@dataclass(slots=True)
class Work:
    """One document on its way through a run."""

    origin: str
    data: bytes | None
    cursor: int = 0  # raw document / quarantine id (stored sources), else 0
    feed: str | None = None
    raw_id: int | None = None
    date: datetime | None = None  # fallback document date (delivery time)
    skip: str | None = None  # known | refused: no parsing, no writing; failed: quarantined unparsed
    counted: bool = False  # resumed run: counted by the run before it was killed (source order)
    position: int = 0  # input bytes consumed once this document was read (files and archives)
    records: list[ArticleRecord] = field(default_factory=list)
    signatures: list[bytes | None] = field(default_factory=list)
    error: str | None = None
    format: str | None = None
    digest: str | None = None  # sha256 of ``data``, once computed
    packed: bytes | None = None  # ``data`` compressed by the worker
    saved: list[SaveOutcome] = field(default_factory=list)  # per record, once its batch committed


class Writer:
    """The one writer: batches of documents, one short transaction each, then the checkpoint."""

    def __init__(
        self,
        store: Store,
        options: BackfillOptions,
        checkpoint: Checkpoint,
        counts: Counts,
        batch: int,
        on_commit: Callable[[list[Work]], None],
        max_wait: float | None = None,
    ) -> None:
        """``batch``: documents per transaction; ``on_commit`` is called with each batch once it committed
        (its documents' ``error`` and ``saved`` are final then); ``max_wait``: seconds after which a batch
        is written however few documents it holds (a live feed must not wait for a full batch)."""
        self.store, self.options, self.checkpoint = store, options, checkpoint
        self.counts, self.batch, self.on_commit = counts, max(1, batch), on_commit
        self.max_wait = max_wait
        self.since, self.until = options.window()
        self.pending: list[Work] = []
        self.opened = 0.0  # time.monotonic() when the first pending document came
        self.position = 0  # of the last committed document, for the progress display
        self.refused: list[tuple[str, str]] = []  # (origin, why), the first MAX_REFUSED_KEPT

    def accept(self, work: Work) -> None:
        if not self.pending:
            self.opened = time.monotonic()
        self.pending.append(work)
        if len(self.pending) >= self.batch or (
            self.max_wait is not None and time.monotonic() - self.opened >= self.max_wait
        ):
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        delta = self._commit_with_retry(batch)
        for name, value in delta.to_dict().items():
            setattr(self.counts, name, getattr(self.counts, name) + value)
        cursors = [w.cursor for w in batch if w.cursor]
        if cursors:
            self.checkpoint.cursor = max(self.checkpoint.cursor, max(cursors))
        self.position = max(self.position, batch[-1].position)
        self.on_commit(batch)

    def _in_range(self, work: Work) -> bool:
        if self.since is None and self.until is None:
            return True
        if work.error is not None:
            return True  # a failure has no date; never hide it behind a filter
        dates = [r.published_at or r.updated_at for r in work.records]
        known = [d for d in dates if d is not None] or ([work.date] if work.date else [])
        if not known:
            return True
        first = min(known)
        return (self.since is None or first >= self.since) and (
            self.until is None or first < self.until
        )

    def _commit_with_retry(self, batch: list[Work]) -> Counts:
        """Commit ``batch``; when it fails for a reason other than the store itself, write its documents one
        by one instead, quarantining the ones that fail alone: one bad row never costs the others."""
        try:
            return self._commit_locked(batch)
        except Exception as exc:
            if is_outage(exc):
                raise
            log.warning(
                "batch failed; writing its documents one by one",
                extra={"documents": len(batch), "error": short_error(exc)},
            )
        delta = Counts()
        for work in batch:
            try:
                part = self._commit_locked([work])
            except Exception as exc:
                if is_outage(exc):
                    raise
                work.error = f"could not be stored: {short_error(exc)}"
                work.records, work.signatures = [], []
                log.warning(
                    "document quarantined: save failed",
                    extra={"origin": work.origin, "error": work.error},
                )
                part = self._commit_locked([work])
            for name, value in part.to_dict().items():
                setattr(delta, name, getattr(delta, name) + value)
        return delta

    def _commit_locked(self, batch: list[Work]) -> Counts:
        """``_write`` with retries while another writer holds the SQLite lock."""
        for attempt in range(LOCK_RETRIES):
            try:
                return self._write(batch)
            except OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                log.warning("store busy, retrying batch", extra={"attempt": attempt + 1})
                time.sleep(0.5 * 2**attempt)
        return self._write(batch)

    def _write(self, batch: list[Work]) -> Counts:
        """Write the batch in one transaction (rolled back on --dry-run); counts only what committed.
        Consecutive documents to store go to ``Store.save_documents`` together (one set of look-ups, one
        raw insert, one bands insert, the article lock taken once); a replayed document goes alone."""
        delta = Counts()
        with self.store.engine.connect() as conn:
            transaction = conn.begin()
            try:
                run: list[tuple[Work, DocumentToStore]] = []
                for work in batch:
                    document = self._prepare(conn, work, delta)
                    if document is not None:
                        run.append((work, document))
                    elif run:
                        self._save_run(conn, run, delta)
                        run = []
                if run:
                    self._save_run(conn, run, delta)
            except BaseException:
                transaction.rollback()
                raise
            if self.options.dry_run:
                transaction.rollback()
            else:
                transaction.commit()
        return delta

    def _prepare(self, conn: Connection, work: Work, delta: Counts) -> DocumentToStore | None:
        """Count ``work`` and return it as a document to store, or None once it is dealt with here
        (skipped, refused, filtered, or replayed in place)."""
        if work.counted and (
            work.skip in ("known", "refused") or work.data is None or not self._in_range(work)
        ):
            return None  # a resumed run meets it again: its outcome is in the checkpoint's counts already
        delta.documents += 1
        if work.skip == "known":
            delta.known += 1
            return None
        if work.skip == "refused" or work.data is None:
            delta.refused += 1
            if len(self.refused) < MAX_REFUSED_KEPT:
                self.refused.append((work.origin, work.error or "refused"))
            return None
        if not self._in_range(work):
            delta.filtered += 1
            return None
        if work.error is None and not work.records:
            delta.empty += 1
        if self.options.mode == "store" and work.error is None and work.raw_id is not None:
            results = replay.replay_document(
                conn, self.store, work.raw_id, work.records, work.signatures
            )
            self._count(conn, work.raw_id, results, delta)
            return None
        return DocumentToStore(
            work.data,
            work.origin,
            work.records,
            work.signatures,
            feed=work.feed,
            source_format=work.format,
            error=work.error,
            raw_id=work.raw_id,
            digest=work.digest,
            packed=work.packed,
        )

    def _save_run(
        self, conn: Connection, run: list[tuple[Work, DocumentToStore]], delta: Counts
    ) -> None:
        saved = self.store.save_documents(conn, [document for _work, document in run])
        for (work, _document), stored in zip(run, saved, strict=True):
            work.saved = stored.outcomes  # set again if the batch is retried document by document
            if work.error is not None:
                delta.quarantined += 1
                continue
            self._count(conn, stored.raw_id, [o.result for o in stored.outcomes], delta)

    def _count(self, conn: Connection, raw_id: int, results: Sequence[str], delta: Counts) -> None:
        for result in results:
            # A duplicate is stored too (linked by ``duplicate_of``): it counts as stored, and among the
            # duplicates, so the summary's "S stored, D duplicates" says what is in the store.
            if result in ("stored", "duplicate"):
                delta.new += 1
            if result != "stored":
                name = "duplicates" if result == "duplicate" else result
                setattr(delta, name, getattr(delta, name) + 1)
        if self.options.mode != "paths":
            delta.resolved += 1 if replay.resolve_quarantine(conn, raw_id) else 0
