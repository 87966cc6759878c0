"""Backfill's engine: sources -> parser processes -> one batched writer, with a checkpoint after every batch.

Shape of a run (why it is fast, flat in memory and safe next to the live service):

- the main process reads documents from one source (files and archives streamed member by member, or
  stored raw documents page by page) in chunks;
- ``workers`` processes parse and normalize the chunks and compute MinHash signatures (the CPU work);
  at most ``WINDOW_PER_WORKER * N`` chunks are in flight, results come back in source order;
- the main thread is the one writer (``ingest.backfill.writer``): it saves a batch of documents in one
  short transaction, then records progress.

Every document's raw bytes and articles are committed together, saving is idempotent on
(story key, guid, version), and a resumed run skips documents whose raw bytes are already stored: killing
a run at any instant (SIGKILL included) and resuming it neither loses nor duplicates an article.
See ``ingest/backfill/checkpoint.py`` for what the checkpoint file holds and why.

``pump`` (chunks -> parser -> writer, in order) and the writer are also how the service's drop-folder
polls parse and store (``ingest.folderpoll``): one code path for a batch of raw documents.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, Protocol

from config.settings import Settings
from ingest.backfill import checkpoint as checkpoints
from ingest.backfill.checkpoint import Checkpoint
from ingest.backfill.options import BackfillOptions, FeedDefaults, load_feed_defaults
from ingest.backfill.progress import Counts, Reporter
from ingest.backfill.sources import documents_at_most, input_bytes, iter_path_documents
from ingest.backfill.worker import (
    Parsed,
    Task,
    parse_chunk,
    quiet_garbage_collector,
    restore_garbage_collector,
    worker_init,
    worker_ready,
)
from ingest.backfill.writer import Work, Writer
from ingest.files import store_files
from ingest.pipeline import safe_origin
from storage import rawcodec, replay
from storage.replay import RawFilter
from storage.store import TRUNCATED_FORMAT, Store

log = logging.getLogger(__name__)
CHUNK = 16  # documents per task sent to a worker: amortises inter-process overhead
WINDOW_PER_WORKER = 8  # chunks in flight per worker: keeps workers busy while the writer commits


class Sources:
    """The documents of a run, in a stable order, as ``Work`` items (lazily: nothing is listed up front)."""

    def __init__(
        self,
        store: Store,
        options: BackfillOptions,
        checkpoint: Checkpoint,
        feeds: dict[str, FeedDefaults],
        settings: Settings,
        named: frozenset[Path] | None = None,
    ) -> None:
        """``named``: the paths the operator named (default: the options' paths), the only ones that may
        be pipes or devices (``sources.iter_path_documents``)."""
        self.store, self.options, self.checkpoint = store, options, checkpoint
        self.feeds, self.settings, self.named = feeds, settings, named
        # The store's own files are never read as documents, whatever a folder holds.
        self.protected = store_files(settings.db_url)
        self.filter = RawFilter(
            feed=options.feed if options.mode != "paths" else None,
            source_format=options.format if options.mode != "paths" else None,
        )
        # Files and archives are read again from the start when a run resumes; the first documents, in
        # the same order, are the ones the checkpoint counted already (issue 16, finding 12).
        self.counted = checkpoint.counts.get("documents", 0) if options.mode == "paths" else 0

    def total(self) -> tuple[int | None, str]:
        """What the progress bar measures: (documents, "documents") or (input bytes, "bytes")."""
        engine, cp = self.store.engine, self.checkpoint
        if self.options.mode == "store":
            remaining = replay.count_raw(engine, self.filter, cp.cursor, cp.upto)
            return cp.counts.get("documents", 0) + remaining, "documents"
        if self.options.mode == "quarantine":
            remaining = replay.count_quarantined(engine, self.filter, cp.cursor, cp.upto)
            return cp.counts.get("documents", 0) + remaining, "documents"
        return input_bytes([Path(p) for p in self.options.paths], self.protected), "bytes"

    def __iter__(self) -> Iterator[Work]:
        engine, cp = self.store.engine, self.checkpoint
        if self.options.mode == "store":
            for raw in replay.iter_raw(engine, self.filter, cp.cursor, cp.upto):
                yield Work(raw.origin, raw.data, raw.id, raw.feed, raw.id, raw.received_at)
        elif self.options.mode == "quarantine":
            for entry in replay.iter_quarantined(engine, self.filter, cp.cursor, cp.upto):
                raw = entry.raw
                yield Work(raw.origin, raw.data, entry.id, raw.feed, raw.id, raw.received_at)
        else:
            limit = self.settings.max_document_bytes
            paths = [Path(p) for p in self.options.paths]
            documents = iter_path_documents(
                paths, limit, protected=self.protected, named=self.named
            )
            for index, doc in enumerate(documents):
                work = Work(
                    safe_origin(doc.origin), doc.data, feed=self.options.feed, date=doc.date
                )
                work.counted, work.position = index < self.counted, doc.position
                if doc.data is None:
                    work.skip, work.error = "refused", doc.refused
                elif doc.oversized is not None:  # its first bytes, kept in quarantine unparsed
                    work.skip, work.error, work.format = "failed", doc.oversized, TRUNCATED_FORMAT
                yield work

    def task(self, work: Work) -> Task:
        assert work.data is not None
        defaults = self.feeds.get(work.feed or "", FeedDefaults())
        forced = self.options.format if self.options.mode == "paths" else None
        return (
            work.origin,
            work.data,
            work.feed,
            forced or defaults.format,
            defaults.agency,
            defaults.language,
            work.raw_id is None,  # documents already in the store keep their stored bytes
        )


class ParsedChunk(Protocol):
    """A chunk being parsed: a ``Future``, or anything whose ``result()`` waits for the chunk's results."""

    def result(self) -> list[Parsed]: ...


def pump(
    works: Iterable[Work],
    submit: Callable[[list[Work]], ParsedChunk],
    writer: Writer,
    *,
    window: int,
    stopping: Callable[[], bool],
    parsed: Callable[[list[Work]], None] | None = None,
) -> None:
    """The one way documents are parsed and stored in batches (backfill, ``wiredesk ingest``, the service's
    drop folders): ``works`` in chunks of ``CHUNK`` go to ``submit`` (which parses the chunk's documents
    to be parsed, in worker processes or inline), at most ``window`` chunks in flight; their results reach
    ``writer`` in source order. ``stopping`` is asked after each chunk: once true, no more documents are
    read and what is in flight is parsed and handed to the writer (the caller flushes it). Raises what the
    writer raises (a store outage), leaving uncommitted documents uncommitted."""
    in_flight: deque[tuple[list[Work], ParsedChunk]] = deque()
    for chunk in _chunks(works, CHUNK):
        in_flight.append((chunk, submit(chunk)))
        while len(in_flight) >= window:
            _collect(writer, *in_flight.popleft(), parsed)
        if stopping():
            break
    while in_flight:
        _collect(writer, *in_flight.popleft(), parsed)


def submit_chunk(
    executor: Executor, chunk: list[Work], task: Callable[[Work], Task]
) -> Future[list[Parsed]]:
    """Parse the documents of ``chunk`` that are not skipped (``task`` says how), on ``executor``."""
    return executor.submit(parse_chunk, [task(work) for work in chunk if work.skip is None])


def _collect(
    writer: Writer,
    chunk: list[Work],
    future: ParsedChunk,
    parsed: Callable[[list[Work]], None] | None = None,
) -> None:
    """Hand a parsed chunk to the writer: parse results go to the documents that were submitted."""
    results = iter(future.result())
    for work in chunk:
        if work.skip is None:
            work.records, work.signatures, work.error, work.format, work.packed = next(results)
    if parsed is not None:
        parsed(chunk)
    for work in chunk:
        writer.accept(work)


def _chunks(items: Iterable[Work], size: int) -> Iterator[list[Work]]:
    chunk: list[Work] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Inline(Executor):
    """``--workers 0``: parse in this process (debugging, tests that patch the parser in-process)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _executor(workers: int) -> Executor:
    if workers <= 0:
        return _Inline()
    # forkserver: workers never inherit the writer's open SQLite handles or the progress thread.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ingest.backfill.preload"])
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=worker_init,
        initargs=(os.getpid(), logging.getLevelName(logging.getLogger().getEffectiveLevel())),
    )


def start_workers(workers: int) -> Executor:
    """The executor of a run, its worker processes already starting while this process opens and migrates
    the store. Starting the first worker waits for the forkserver's preload, so the overlap is partial:
    measured, a 50-document run with two workers went from 1.98 s to 1.39 s."""
    executor = _executor(workers)
    for _ in range(workers):
        executor.submit(worker_ready)
    return executor


@dataclass(slots=True)
class RunResult:
    run_id: str
    state: str
    mode: str
    dry_run: bool
    elapsed_s: float
    docs_per_s: float
    counts: Counts
    checkpoint: str

    def to_json(self) -> str:
        data = asdict(self)
        data.update(data.pop("counts"))
        return json.dumps(data, sort_keys=True)


def default_workers() -> int:
    """One parser process per core but one (the writer's), at least one, at most four."""
    return max(1, min(4, (multiprocessing.cpu_count() or 2) - 1))


def warranted_workers(requested: int, paths: list[Path]) -> int:
    """``requested`` parser processes, but no more than the chunks of ``CHUNK`` documents ``paths`` fill
    (counted without reading a document, and only as far as needed: a zip by its directory, a tar as
    plenty); at least one unless ``requested`` is 0. Ten files need one process, not four."""
    if requested <= 0:
        return requested
    documents = documents_at_most(paths, requested * CHUNK)
    return max(1, min(requested, -(-documents // CHUNK)))


class Backfill:
    """One run: sources -> workers -> writer, with a checkpoint after every committed batch."""

    def __init__(
        self,
        store: Store,
        options: BackfillOptions,
        checkpoint: Checkpoint,
        *,
        directory: Path | None,
        workers: int,
        batch: int,
        quiet: bool,
        settings: Settings,
        executor: Executor | None = None,
        skip_known: bool = True,
        label: str = "backfill",
        named: frozenset[Path] | None = None,
    ) -> None:
        """``directory``: where the checkpoint is kept (None: no checkpoint, the run cannot be resumed);
        ``skip_known``: documents whose raw bytes are stored are skipped unparsed (a resumed or repeated
        backfill) instead of parsed and saved again (``wiredesk ingest``: reported as unchanged);
        ``named``: the paths the operator named, when ``options.paths`` are files found in folders."""
        self.store, self.options, self.checkpoint = store, options, checkpoint
        self.directory, self.workers, self.quiet = directory, workers, quiet
        self.executor, self.skip_known, self.label = executor, skip_known, label
        self.counts = Counts.from_dict(checkpoint.counts)
        needs_feeds = options.feed is not None or options.mode != "paths"
        feeds = load_feed_defaults(settings) if needs_feeds else {}
        self.sources = Sources(store, options, checkpoint, feeds, settings, named)
        self.writer = Writer(store, options, checkpoint, self.counts, batch, self._committed)
        self.stopping = False
        self.reporter: Reporter | None = None

    def _committed(self, _batch: list[Work] | None = None) -> None:
        self.checkpoint.counts = self.counts.to_dict()
        if not self.options.dry_run and self.directory is not None:
            checkpoints.save(self.directory, self.checkpoint)
        if self.reporter is not None:
            self.reporter.update(self.counts, self.writer.position)

    def _mark_known(self, chunk: list[Work]) -> None:
        """Skip documents whose raw bytes are stored: committed by an earlier (or the killed) run."""
        if self.options.mode != "paths" or not (self.skip_known or any(w.counted for w in chunk)):
            return
        for work in chunk:
            if work.data is not None:
                work.digest = rawcodec.digest(work.data)
        with self.store.engine.connect() as conn:
            known = replay.known_digests(conn, [w.digest for w in chunk if w.digest])
        for work in chunk:
            skippable = self.skip_known or work.counted
            if skippable and work.digest in known and work.skip in (None, "failed"):
                work.skip = "known"

    def _submit(self, executor: Executor, chunk: list[Work]) -> Future[list[Parsed]]:
        self._mark_known(chunk)
        return submit_chunk(executor, chunk, self.sources.task)

    def run(self) -> RunResult:
        started = time.monotonic()
        total, unit = (None, "documents") if self.quiet else self.sources.total()
        done = self.counts.documents
        with (
            Reporter(total, quiet=self.quiet, done=done, label=self.label, unit=unit) as reporter,
            self._signals(),
        ):
            self.reporter = reporter
            collector = quiet_garbage_collector()
            executor = self.executor or _executor(self.workers)
            try:
                self._pump(executor)
            except BrokenExecutor:
                if not self.stopping:
                    raise
                # Stopping, and the pool went with the signal: the chunks it held are read again by
                # a resumed run; what the writer holds is committed below.
                log.warning("parser processes ended while stopping", extra={"run": self.label})
            finally:
                executor.shutdown(wait=True, cancel_futures=True)
                restore_garbage_collector(collector)
            self.writer.flush()
            self.checkpoint.state = "interrupted" if self.stopping else "done"
            self._committed()
            rate = reporter.rate(self.counts)
        return RunResult(
            run_id=self.checkpoint.run_id,
            state=self.checkpoint.state,
            mode=self.options.mode,
            dry_run=self.options.dry_run,
            elapsed_s=round(time.monotonic() - started, 2),
            docs_per_s=round(rate, 1),
            counts=self.counts,
            checkpoint=(
                str(checkpoints.path_for(self.directory, self.checkpoint.run_id))
                if self.directory is not None
                else ""
            ),
        )

    def _pump(self, executor: Executor) -> None:
        # At least a batch more than the writer holds, so workers keep parsing while it commits.
        limit = max(max(1, self.workers) * WINDOW_PER_WORKER, 2 * self.writer.batch // CHUNK + 2)
        pump(
            self.sources,
            lambda chunk: self._submit(executor, chunk),
            self.writer,
            window=limit,
            stopping=lambda: self.stopping,
            parsed=self._parsed,
        )

    def _parsed(self, chunk: list[Work]) -> None:
        if self.reporter is not None:
            self.reporter.parsed(len(chunk), max((work.position for work in chunk), default=0))

    def _signals(self) -> _StopOnSignal:
        return _StopOnSignal(self)


class _StopOnSignal:
    """SIGINT/SIGTERM: stop reading, finish and commit what is in flight, mark the run interrupted."""

    def __init__(self, run: Backfill) -> None:
        self.run = run
        self.previous: dict[int, Any] = {}
        self.first: int | None = None

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.run.stopping:
            self.stop_now(signum, self.first)
        self.first = signum
        log.warning(
            f"{self.run.label} stopping after the batches in flight (again: stop at once)",
            extra={"signal": signum},
        )
        self.run.stopping = True

    @staticmethod
    def stop_now(signum: int, first: int | None = None) -> NoReturn:
        """A second Ctrl-C/SIGTERM: end now with 128 + the signal (130, 143), whatever the main thread is
        blocked in (an open, a read, a pool's shutdown). Unwinding instead ran ``finally`` blocks that wait
        for the pool, and a pool broken meanwhile printed a traceback. Nothing is lost: committed batches
        and the checkpoint stay valid, the open transaction is rolled back by the database, and the
        worker processes end with this one (``lifeline``)."""
        second = signal.Signals(signum).name
        signals = (
            f"{second} twice"
            if first in (None, signum)
            else f"{signal.Signals(first).name}, then {second}"
        )
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"wiredesk: stopped at once ({signals}); committed batches are kept\n")
            sys.stderr.flush()
        os._exit(128 + signum)

    def __enter__(self) -> _StopOnSignal:
        if threading.current_thread() is not threading.main_thread():
            return (
                self  # only the main thread may set handlers; elsewhere signals keep their meaning
            )
        for sig in (signal.SIGINT, signal.SIGTERM):
            self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
