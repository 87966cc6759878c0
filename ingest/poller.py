"""Polling one feed: fetch (HTTP, drop folder, file or a delivery transport) -> pipeline -> feed health.
Never raises.

A feed with ``transport = "..."`` (queue, agency API, remote folder, article pages) is polled through
``ingest.transports.runner``: each document committed, then acknowledged. Its transport object is kept per
feed between polls (OAuth2 tokens and connections survive) and reopened when the feed's settings change.

A drop folder is polled in batches (``ingest.folderpoll``): its files are parsed -- in this process, or in
worker processes kept for the poller's lifetime (``workers``) -- and saved up to ``LIVE_BATCH`` per
transaction, each file moved once its batch committed.

Used by the scheduler (one job per feed) and by ``wiredesk poll NAME``. Every poll writes one structured log
line (feed, status, bytes, items new/dup/quarantined, ms) and updates the feed's health row. ``new`` counts
every article stored, duplicates included (``dup`` says how many of them are duplicates), as
``wiredesk ingest``'s summary does.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from config.feeds import FeedConfig
from config.redact import SHORT_ERROR_CHARS, redact, short_error
from config.settings import Settings
from ingest.backfill.engine import start_workers
from ingest.fetch import FetchError, HttpFetcher
from ingest.files import Oversized, read_capped
from ingest.folderpoll import poll_folder
from ingest.pipeline import DocumentResult, ingest_document, quarantine_oversized
from ingest.transports import open_transport
from ingest.transports.base import Transport, TransportError, TransportSpec
from ingest.transports.runner import run_transport
from parsers import ParseError, detect_format
from storage.feeds import FeedHealth, load_state, save_state
from storage.locks import feed_lock
from storage.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PollOutcome:
    feed: str
    status: str = (
        "ok"  # ok | not_modified | quarantined | error | skipped (another worker polls it)
    )
    documents: int = 0
    new: int = 0
    duplicates: int = 0
    unchanged: int = 0
    quarantined: int = 0
    bytes: int = 0
    ms: float = 0.0
    error: str | None = None
    #: seconds the source asked us to wait before the next poll (Retry-After; short when more waits)
    retry_after: float | None = None

    @property
    def failed(self) -> bool:
        """The feed failed: its fetch, or every document of the poll was quarantined (an agency that
        changed its format). A poll that kept some documents and quarantined others worked: the bad ones
        wait in the quarantine, the feed's health shows their reason, and its failure count stays 0."""
        if self.status == "error":
            return True
        return self.status == "quarantined" and self.new + self.unchanged == 0

    def add(self, result: DocumentResult, size: int) -> None:
        """Count one document; ``result.stored`` includes its duplicates (``DocumentResult``)."""
        self.documents += 1
        self.bytes += size
        self.new += result.stored
        self.duplicates += result.duplicates
        self.unchanged += result.unchanged
        if result.quarantined:
            self.quarantined += 1
            self.error = result.error


def _is_html_page(content: bytes) -> bool:
    try:
        return detect_format(content) == "html"
    except ParseError:
        return False


class FeedPoller:
    """Polls feeds into one store. Thread-safe: the scheduler may poll several feeds at once."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        fetcher: HttpFetcher | None = None,
        stop: threading.Event | None = None,
        *,
        workers: int = 0,
    ) -> None:
        """``workers``: parser processes for drop folders, started on the first folder poll and kept
        until ``close`` (0: parse in this process)."""
        self.store = store
        self.settings = settings
        self.fetcher = fetcher or HttpFetcher(settings)
        self.stop = stop or threading.Event()
        self.workers = max(0, workers)
        # per feed: the transport and the spec it was opened with (tokens survive between polls)
        self._transports: dict[str, tuple[TransportSpec, Transport]] = {}
        self._transports_lock = threading.Lock()
        self._executor: Executor | None = None
        self._executor_lock = threading.Lock()

    def close(self) -> None:
        """Close every kept transport (connections, sessions) and end the parser processes; the service
        calls it on stop, after the in-flight polls finished."""
        with self._transports_lock:
            kept, self._transports = list(self._transports.values()), {}
        for _spec, transport in kept:
            _close_quietly(transport)
        with self._executor_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _parsers(self) -> Executor:
        """The one parser pool of this poller (shared by its drop folders), started on first use."""
        with self._executor_lock:
            if self._executor is None:
                self._executor = start_workers(self.workers)
                if self.workers:
                    log.info("parser processes started", extra={"workers": self.workers})
            return self._executor

    def _retire(self, executor: Executor) -> None:
        """Drop a pool whose processes are gone: the next folder poll starts a new one."""
        with self._executor_lock:
            if self._executor is not executor:
                return  # retired already (several chunks or polls saw it break)
            self._executor = None
        log.warning(
            "parser processes gone: what they held is parsed in this process; "
            "the next folder poll starts new ones",
            extra={"workers": self.workers},
        )
        executor.shutdown(wait=False, cancel_futures=True)

    def poll(self, feed: FeedConfig) -> PollOutcome:
        """Poll ``feed`` unless another worker on the same database is polling it right now."""
        with feed_lock(self.store, feed.name) as mine:
            if not mine:
                log.info("poll skipped: another worker holds the feed", extra={"feed": feed.name})
                return PollOutcome(feed=feed.name, status="skipped")
            return self._poll_locked(feed)

    def _poll_locked(self, feed: FeedConfig) -> PollOutcome:
        started = time.perf_counter()
        outcome = PollOutcome(feed=feed.name)
        state = load_state(self.store, feed.name)
        now = datetime.now(UTC)
        state.last_attempt = now
        try:
            if feed.transport:
                self._poll_transport(feed, outcome)
            elif feed.url:
                self._poll_http(feed, state, outcome)
            elif feed.path is not None and feed.path.is_dir():
                self._poll_folder(feed, outcome)
            elif feed.path is not None:
                self._poll_file(feed, state, outcome)
        except (FetchError, TransportError) as exc:
            outcome.status, outcome.error = "error", redact(str(exc))
        except OSError as exc:
            outcome.status, outcome.error = (
                "error",
                f"{exc.strerror or exc}: {exc.filename or feed.source}",
            )
        except Exception as exc:  # one broken feed must never stop the others
            log.exception("poll failed", extra={"feed": feed.name})
            outcome.status, outcome.error = "error", f"internal error: {short_error(exc)}"
        if outcome.status == "ok" and outcome.quarantined:
            outcome.status = "quarantined"
        outcome.ms = round((time.perf_counter() - started) * 1000, 1)
        self._record_health(feed, state, outcome, now)
        log.log(
            logging.WARNING if outcome.failed or outcome.quarantined else logging.INFO,
            "poll %s",
            outcome.status,
            extra={
                "feed": feed.name,
                "status": outcome.status,
                "bytes": outcome.bytes,
                "new": outcome.new,
                "dup": outcome.duplicates,
                "quarantined": outcome.quarantined,
                "ms": outcome.ms,
                "error": outcome.error,
            },
        )
        return outcome

    def _ingest(self, feed: FeedConfig, data: bytes, origin: str) -> DocumentResult:
        return ingest_document(
            self.store,
            data,
            origin,
            feed=feed.name,
            format_name=feed.format,
            default_agency=feed.agency,
            language_hint=feed.language,
        )

    def _oversized(self, feed: FeedConfig, data: Oversized, path: object) -> DocumentResult:
        return quarantine_oversized(
            self.store, data.prefix, data.size, data.reason, str(path), feed=feed.name
        )

    def _poll_http(self, feed: FeedConfig, state: FeedHealth, outcome: PollOutcome) -> None:
        # Validators belong to the URL that sent them: after a changed ``url`` the first fetch is full,
        # and so is the first after an upgrade (validators kept before 0010 name no URL).
        same_url = state.validators_url == feed.url
        etag, modified = (state.etag, state.last_modified) if same_url else (None, None)
        result = self.fetcher.fetch(feed, etag, modified)
        if result.not_modified or result.content is None:
            outcome.status = "not_modified"
            return
        if feed.format is None and _is_html_page(result.content):
            # A feed URL answering a web page is an error page ("503 Service Unavailable" with status 200,
            # a login wall), not an article: it must not reach the desk. Article-page feeds say format="html".
            raise FetchError(
                f"the server answered a web page ({result.content_type or 'no content type'}), not a feed; "
                'set format = "html" if this feed delivers article pages'
            )
        outcome.add(self._ingest(feed, result.content, result.url), len(result.content))
        # The document is kept (stored or quarantined): the same bytes need not be fetched again.
        state.etag, state.last_modified = result.etag, result.last_modified
        state.validators_url = feed.url

    def _transport(self, feed: FeedConfig) -> tuple[TransportSpec, Transport]:
        """The feed's kept transport, opened (again) when missing or the feed's settings changed."""
        spec = transport_spec(feed)
        with self._transports_lock:
            kept = self._transports.get(feed.name)
            if kept is not None and kept[0] == spec:
                return kept
            if kept is not None:
                _close_quietly(kept[1])
                del self._transports[feed.name]
            transport = open_transport(spec, self.settings)
            self._transports[feed.name] = (spec, transport)
            return spec, transport

    def _poll_transport(self, feed: FeedConfig, outcome: PollOutcome) -> None:
        """Queue/API/remote-folder/pages feeds: each document committed, then acknowledged."""
        spec, transport = self._transport(feed)
        run = run_transport(transport, self.store, spec, stop=self.stop)
        outcome.documents, outcome.bytes = run.documents, run.bytes
        outcome.new, outcome.duplicates = run.stored, run.duplicates
        outcome.unchanged, outcome.quarantined = run.unchanged, run.quarantined
        outcome.error = run.last_quarantine_error
        outcome.retry_after = run.retry_after
        if run.error:
            raise TransportError(run.error)

    def _poll_file(self, feed: FeedConfig, state: FeedHealth, outcome: PollOutcome) -> None:
        assert feed.path is not None
        data = read_capped(feed.path, self.settings.max_document_bytes)
        if isinstance(data, Oversized):
            digest = f"oversized:{data.size}:{hashlib.sha256(data.prefix).hexdigest()}"[:64]
            if digest != state.content_sha256:
                outcome.add(self._oversized(feed, data, feed.path), len(data.prefix))
                state.content_sha256 = digest
            else:
                outcome.status = "not_modified"
            return
        digest = hashlib.sha256(data).hexdigest()
        if digest == state.content_sha256:
            outcome.status = "not_modified"
            return
        outcome.add(self._ingest(feed, data, str(feed.path)), len(data))
        state.content_sha256 = digest

    def _poll_folder(self, feed: FeedConfig, outcome: PollOutcome) -> None:
        executor = self._parsers()
        poll_folder(
            self.store,
            feed,
            self.settings,
            executor=executor,
            workers=self.workers,
            stop=self.stop,
            on_document=outcome.add,
            on_broken=lambda: self._retire(executor),
        )

    def _record_health(
        self, feed: FeedConfig, state: FeedHealth, outcome: PollOutcome, now: datetime
    ) -> None:
        state.last_status = outcome.status
        # Rounded up: a local poll under a millisecond still took time (int() showed it as 0).
        state.last_duration_ms = math.ceil(outcome.ms)
        if outcome.failed:
            state.consecutive_failures += 1
            error = redact(outcome.error or "")
            # One short line: the health table shows it, and a reason must never carry a document's fields.
            state.last_error = error.splitlines()[0][:SHORT_ERROR_CHARS] if error else None
        else:
            state.consecutive_failures = 0
            state.last_success = now
            error = redact(outcome.error or "") if outcome.status == "quarantined" else ""
            state.last_error = error.splitlines()[0][:SHORT_ERROR_CHARS] if error else None
        # A 304 (or an unchanged file) brought nothing new in this run: 0, not the last run's count.
        # ``new`` includes the duplicates (they are stored too): adding them again would count them twice.
        state.items_new_last_run = outcome.new
        if outcome.new:
            state.last_new_item_at = now
        idle_since = state.last_new_item_at or state.last_success
        if feed.idle_alert and idle_since and now - idle_since > timedelta(seconds=feed.idle_alert):
            log.warning(
                "feed idle: no new item for longer than its idle_alert",
                extra={
                    "feed": feed.name,
                    "since": idle_since.isoformat(),
                    "idle_alert_s": feed.idle_alert,
                },
            )
        save_state(self.store, state)


def transport_spec(feed: FeedConfig) -> TransportSpec:
    """What a transport needs of ``feed`` (compared between polls to notice a changed feed)."""
    assert feed.transport is not None
    return TransportSpec(
        name=feed.name,
        transport=feed.transport,
        url=feed.url,
        path=str(feed.path) if feed.path else None,
        auth=dict(feed.auth_table),
        options=dict(feed.options),
        format=feed.format,
        agency=feed.agency,
        language=feed.language,
        include=feed.include,
        exclude=feed.exclude,
    )


def _close_quietly(transport: Transport) -> None:
    try:
        transport.close()
    except Exception:  # closing a dead connection must not break a poll or a shutdown
        log.warning("transport did not close cleanly", extra={"transport": transport.kind})
