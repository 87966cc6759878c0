"""One poll of a drop folder, in batches: the ready files are parsed and saved through backfill's engine
(``pump`` -> ``Writer``: one transaction per batch, a failing batch written again document by document),
and each file is moved to ``done/`` or ``failed/`` by its own outcome once its batch has committed.

Why batches: parsing and saving one file at a time, one transaction each, took 6-10 ms per document and
the service fell behind a drop folder fed at 200 documents/s (issue 19). Why the move after the commit: a
crash between the two leaves the file in the folder, and the next poll finds its bytes and articles stored
(unchanged) and moves it then; a file is never moved before its document is durable, and never twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass
from pathlib import Path

from config.feeds import FeedConfig
from config.settings import Settings
from ingest.backfill import worker
from ingest.backfill.checkpoint import Checkpoint
from ingest.backfill.engine import CHUNK, WINDOW_PER_WORKER, pump
from ingest.backfill.options import BackfillOptions
from ingest.backfill.progress import Counts
from ingest.backfill.worker import Parsed, Task
from ingest.backfill.writer import Work, Writer
from ingest.dropfolder import move_processed, ready_files
from ingest.files import Oversized, identities, read_capped, store_files
from ingest.pipeline import DocumentResult, document_result, log_document, safe_origin
from storage.store import TRUNCATED_FORMAT, Store

log = logging.getLogger(__name__)
#: Documents per write transaction, and the longest a parsed document waits for its batch (seconds):
#: about a second of work per transaction, so files leave the folder soon after they arrive.
LIVE_BATCH = 200
LIVE_MAX_WAIT = 1.0


@dataclass(slots=True)
class _Dropped:
    """A file of this poll, until its batch commits."""

    path: Path
    size: int  # bytes on disk (an oversized file's whole size, not the prefix kept)
    read_at: float  # time.perf_counter() when it was read


def poll_folder(
    store: Store,
    feed: FeedConfig,
    settings: Settings,
    *,
    executor: Executor,
    workers: int,
    stop: threading.Event,
    on_document: Callable[[DocumentResult, int], None],
    on_broken: Callable[[], None] = lambda: None,
    batch: int = LIVE_BATCH,
    max_wait: float = LIVE_MAX_WAIT,
) -> None:
    """Ingest the finished files of ``feed``'s folder (``ingest.dropfolder.ready_files``), oldest first.

    ``executor`` parses (``ingest.backfill.engine.start_workers``: worker processes, or inline for 0
    ``workers``); when its processes are gone (killed, out of memory), the chunks they held are parsed in
    this process and ``on_broken`` is called, so the owner starts a new pool for the next poll.
    ``on_document(result, bytes)`` is called for each file once its batch committed, right after it was
    moved. An unreadable or vanished file is logged and left alone; a file over the size cap
    is quarantined from its first bytes, unparsed. ``stop`` set: no further file is read, the ones read
    are parsed, committed and moved, then this returns. Raises only what the writer raises (a store
    outage): the files of the uncommitted batch stay in the folder for the next poll."""
    assert feed.path is not None
    folder = feed.path
    dropped: dict[int, _Dropped] = {}

    def works() -> Iterator[Work]:
        protected = identities(store_files(settings.db_url))
        for path in ready_files(
            folder, settings.settle_seconds, patterns=feed.patterns, protected=protected
        ):
            if stop.is_set():
                return  # shutting down: what was read is finished and committed
            started = time.perf_counter()
            try:
                data = read_capped(path, settings.max_document_bytes)
            except OSError as exc:
                # Vanished or unreadable: it must not hold back the files after it.
                log.warning(
                    "drop-folder file unreadable",
                    extra={"feed": feed.name, "path": str(path), "error": exc.strerror},
                )
                continue
            origin = safe_origin(str(path))
            if isinstance(data, Oversized):
                work = Work(origin, data.prefix, feed=feed.name, skip="failed", error=data.reason)
                work.format, size = TRUNCATED_FORMAT, data.size
            else:
                work, size = Work(origin, data, feed=feed.name), len(data)
            dropped[id(work)] = _Dropped(path, size, started)
            yield work

    def task(work: Work) -> Task:
        assert work.data is not None
        return (work.origin, work.data, feed.name, feed.format, feed.agency, feed.language, True)

    def submit(chunk: list[Work]) -> _ParseOrFallback:
        tasks = [task(work) for work in chunk if work.skip is None]
        try:
            return _ParseOrFallback(executor.submit(worker.parse_chunk, tasks), tasks, on_broken)
        except BrokenExecutor:
            return _ParseOrFallback(None, tasks, on_broken)

    def committed(done: list[Work]) -> None:
        for work in done:
            file = dropped.pop(id(work))
            result = document_result(work.origin, len(work.records), work.error, work.saved)
            _log(result, feed.name, work, file)
            try:
                move_processed(file.path, failed=result.quarantined)
            except OSError as exc:
                # Committed but still here: the next poll finds it stored (unchanged) and moves it then;
                # it must not keep the rest of its batch in the folder.
                log.warning(
                    "drop-folder file stored but not moved",
                    extra={"feed": feed.name, "path": str(file.path), "error": exc.strerror},
                )
            on_document(result, file.size)

    writer = Writer(
        store,
        BackfillOptions(feed=feed.name),
        Checkpoint(run_id=f"poll-{feed.name}", options={}),
        Counts(),
        batch,
        committed,
        max_wait=max_wait,
    )
    # Parsing stays ahead of the writer by about one batch, never more (memory stays flat).
    window = max(max(1, workers) * WINDOW_PER_WORKER, batch // CHUNK + 1)
    pump(works(), submit, writer, window=window, stopping=stop.is_set)
    writer.flush()


class _ParseOrFallback:
    """A chunk parsed by the pool, or -- when the pool's processes are gone -- in this process, when its
    result is asked for (in the polling thread): documents already read are never dropped for that."""

    def __init__(
        self, pooled: Future[list[Parsed]] | None, tasks: list[Task], on_broken: Callable[[], None]
    ) -> None:
        self.pooled, self.tasks, self.on_broken = pooled, tasks, on_broken

    def result(self) -> list[Parsed]:
        if self.pooled is not None:
            try:
                return self.pooled.result()
            except BrokenExecutor:
                pass
        self.on_broken()
        return worker.parse_chunk(self.tasks)


def _log(result: DocumentResult, feed: str, work: Work, file: _Dropped) -> None:
    if work.format == TRUNCATED_FORMAT and work.skip == "failed":
        log.warning(
            "document quarantined: over the size cap",
            extra={"origin": result.origin, "feed": feed, "bytes": file.size},
        )
        return
    log_document(result, feed, (time.perf_counter() - file.read_at) * 1000)
