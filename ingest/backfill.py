"""Backfill: re-ingest archives, directory trees, stored raw documents or the quarantine.

``wiredesk backfill ...`` and ``scripts/backfill.py ...`` are this module's ``main``.

Shape of a run (why it is fast, flat in memory and safe next to the live service):

- the main process reads documents from one source (files and archives streamed member by member, or
  stored raw documents page by page) in chunks;
- ``--workers N`` processes parse and normalize the chunks and compute MinHash signatures (the CPU work);
  at most ``WINDOW_PER_WORKER * N`` chunks are in flight, results come back in source order;
- the main thread is the one writer: it saves a batch of ``--batch`` documents in one short transaction
  (SQLite allows one writer at a time; the live service waits at most one batch), then records progress.

Every document's raw bytes and articles are committed together, saving is idempotent on
(story key, guid, version), and a resumed run skips documents whose raw bytes are already stored: killing
a run at any instant (SIGKILL included) and resuming it neither loses nor duplicates an article.
See ``ingest/backfill_checkpoint.py`` for what the checkpoint file holds and why.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from config.feeds import ConfigError, FeedConfig, load_feeds
from config.redact import short_error
from config.settings import Settings
from ingest import backfill_checkpoint as checkpoints
from ingest.backfill_checkpoint import Checkpoint
from ingest.backfill_progress import Counts, Reporter
from ingest.backfill_sources import count_path_documents, iter_path_documents
from ingest.backfill_worker import (
    Parsed,
    Task,
    parse_chunk,
    quiet_garbage_collector,
    restore_garbage_collector,
    worker_init,
    worker_ready,
)
from ingest.logsetup import configure_logging
from ingest.pipeline import safe_origin, store_parsed
from normalizers.record import ArticleRecord
from parsers import format_names
from storage import rawcodec, replay
from storage.errors import is_outage
from storage.replay import RawFilter
from storage.store import Store

log = logging.getLogger(__name__)
CHUNK = 16  # documents per task sent to a worker: amortises inter-process overhead
WINDOW_PER_WORKER = 8  # chunks in flight per worker: keeps workers busy while the writer commits
LOCK_RETRIES = 5
_DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


# -- options --------------------------------------------------------------------------------------


@dataclass(slots=True)
class BackfillOptions:
    """What a run does; kept in its checkpoint so ``--resume`` repeats exactly the same run."""

    paths: list[str] = field(default_factory=list)
    from_store: bool = False
    quarantine: bool = False
    feed: str | None = None
    format: str | None = None
    since: str | None = None  # ISO 8601, aware UTC
    until: str | None = None
    dry_run: bool = False

    @property
    def mode(self) -> str:
        return "quarantine" if self.quarantine else "store" if self.from_store else "paths"

    def window(self) -> tuple[datetime | None, datetime | None]:
        return (
            datetime.fromisoformat(self.since) if self.since else None,
            datetime.fromisoformat(self.until) if self.until else None,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BackfillOptions:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def parse_when(value: str, now: datetime | None = None) -> datetime:
    """``36h``, ``7d`` (before now) or an ISO date/datetime (UTC unless it carries an offset)."""
    text = value.strip()
    unit = _DURATION_UNITS.get(text[-1:])
    if unit and text[:-1].isdigit():
        return (now or datetime.now(UTC)) - timedelta(**{unit: int(text[:-1])})
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"want a duration like 36h/7d or a date like 2024-01-31: {value!r}"
        ) from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The backfill options, shared by ``wiredesk backfill`` and ``scripts/backfill.py``."""
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files, folders, .zip/.tar[.gz]/.tgz/.gz",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--from-store", action="store_true", help="re-parse stored raw documents, update in place"
    )
    source.add_argument("--quarantine", action="store_true", help="retry quarantined documents")
    source.add_argument("--resume", metavar="RUN", help="continue an interrupted run")
    parser.add_argument(
        "--feed", help="attribute documents to this feed (with --from-store: only this feed)"
    )
    parser.add_argument(
        "--format",
        choices=format_names(),
        help="force this format (with --from-store/--quarantine: only documents of this format)",
    )
    parser.add_argument("--since", type=parse_when, help="document date from (36h, 7d, 2024-01-31)")
    parser.add_argument("--until", type=parse_when, help="document date before")
    parser.add_argument(
        "--dry-run", action="store_true", help="parse and count; roll every batch back"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="parser processes (0 = in this process)"
    )
    parser.add_argument("--batch", type=int, default=200, help="documents per write transaction")
    parser.add_argument("--quiet", action="store_true", help="no progress, no summary line")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def options_from_args(args: argparse.Namespace) -> BackfillOptions:
    return BackfillOptions(
        paths=[str(p) for p in args.paths],
        from_store=args.from_store,
        quarantine=args.quarantine,
        feed=args.feed,
        format=args.format,
        since=args.since.isoformat() if args.since else None,
        until=args.until.isoformat() if args.until else None,
        dry_run=args.dry_run,
    )


# -- work items and the worker side ---------------------------------------------------------------


@dataclass(slots=True)
class FeedDefaults:
    """What the feed configuration says about a feed's documents (as the service would parse them)."""

    format: str | None = None
    agency: str | None = None
    language: str | None = None


@dataclass(slots=True)
class Work:
    """One document on its way through a run."""

    origin: str
    data: bytes | None
    cursor: int = 0  # raw document / quarantine id (stored sources), else 0
    feed: str | None = None
    raw_id: int | None = None
    date: datetime | None = None  # fallback document date (delivery time)
    skip: str | None = None  # known | refused: no parsing, no writing
    records: list[ArticleRecord] = field(default_factory=list)
    signatures: list[bytes | None] = field(default_factory=list)
    error: str | None = None
    format: str | None = None
    digest: str | None = None  # sha256 of ``data``, once computed
    packed: bytes | None = None  # ``data`` compressed by the worker


# -- sources --------------------------------------------------------------------------------------


class Sources:
    """The documents of a run, in a stable order, as ``Work`` items (lazily: nothing is listed up front)."""

    def __init__(
        self,
        store: Store,
        options: BackfillOptions,
        checkpoint: Checkpoint,
        feeds: dict[str, FeedDefaults],
        settings: Settings,
    ) -> None:
        self.store, self.options, self.checkpoint = store, options, checkpoint
        self.feeds, self.settings = feeds, settings
        self.filter = RawFilter(
            feed=options.feed if options.mode != "paths" else None,
            source_format=options.format if options.mode != "paths" else None,
        )

    def total(self) -> int | None:
        engine, cp = self.store.engine, self.checkpoint
        if self.options.mode == "store":
            return cp.counts.get("documents", 0) + replay.count_raw(
                engine, self.filter, cp.cursor, cp.upto
            )
        if self.options.mode == "quarantine":
            return cp.counts.get("documents", 0) + replay.count_quarantined(
                engine, self.filter, cp.cursor, cp.upto
            )
        return count_path_documents([Path(p) for p in self.options.paths])

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
            for doc in iter_path_documents([Path(p) for p in self.options.paths], limit):
                skip = "refused" if doc.data is None else None
                origin = safe_origin(doc.origin)
                yield Work(origin, doc.data, feed=self.options.feed, date=doc.date, skip=skip)

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


def load_feed_defaults(settings: Settings) -> dict[str, FeedDefaults]:
    """Per-feed format/agency/language from ``config/feeds.toml``; none when there is no feed file."""
    if not settings.feeds_file.exists():
        return {}
    try:
        feeds: list[FeedConfig] = load_feeds(settings.feeds_file, format_names())
    except ConfigError as exc:
        log.warning("feed file unusable; parsing without feed defaults", extra={"error": str(exc)})
        return {}
    return {f.name: FeedDefaults(f.format, f.agency, f.language) for f in feeds}


def _chunks(items: Iterable[Work], size: int) -> Iterator[list[Work]]:
    chunk: list[Work] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- the writer -----------------------------------------------------------------------------------


class Writer:
    """The one writer: batches of documents, one short transaction each, then the checkpoint."""

    def __init__(
        self,
        store: Store,
        options: BackfillOptions,
        checkpoint: Checkpoint,
        counts: Counts,
        batch: int,
        on_commit: Callable[[], None],
    ) -> None:
        self.store, self.options, self.checkpoint = store, options, checkpoint
        self.counts, self.batch, self.on_commit = counts, max(1, batch), on_commit
        self.since, self.until = options.window()
        self.pending: list[Work] = []

    def accept(self, work: Work) -> None:
        self.pending.append(work)
        if len(self.pending) >= self.batch:
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
        self.on_commit()

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
        """Write the batch in one transaction (rolled back on --dry-run); counts only what committed."""
        delta = Counts()
        with self.store.engine.connect() as conn:
            transaction = conn.begin()
            try:
                for work in batch:
                    self._write_one(conn, work, delta)
            except BaseException:
                transaction.rollback()
                raise
            if self.options.dry_run:
                transaction.rollback()
            else:
                transaction.commit()
        return delta

    def _write_one(self, conn: Connection, work: Work, delta: Counts) -> None:
        delta.documents += 1
        if work.skip == "known":
            delta.known += 1
            return
        if work.skip == "refused" or work.data is None:
            delta.refused += 1
            return
        if not self._in_range(work):
            delta.filtered += 1
            return
        if work.error is None and not work.records:
            delta.empty += 1
        mode = self.options.mode
        if mode == "store" and work.error is None and work.raw_id is not None:
            results = replay.replay_document(
                conn, self.store, work.raw_id, work.records, work.signatures
            )
            raw_id = work.raw_id
        else:
            raw_id, outcomes = store_parsed(
                self.store,
                conn,
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
            if work.error is not None:
                delta.quarantined += 1
                return
            results = [outcome.result for outcome in outcomes]
        for result in results:
            name = {"stored": "new", "duplicate": "duplicates"}.get(result, result)
            setattr(delta, name, getattr(delta, name) + 1)
        if mode != "paths":
            delta.resolved += 1 if replay.resolve_quarantine(conn, raw_id) else 0


# -- the run --------------------------------------------------------------------------------------


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
    context.set_forkserver_preload(["ingest.backfill_preload"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=worker_init)


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


class Backfill:
    """One run: sources -> workers -> writer, with a checkpoint after every committed batch."""

    def __init__(
        self,
        store: Store,
        options: BackfillOptions,
        checkpoint: Checkpoint,
        *,
        directory: Path,
        workers: int,
        batch: int,
        quiet: bool,
        settings: Settings,
        executor: Executor | None = None,
    ) -> None:
        self.store, self.options, self.checkpoint = store, options, checkpoint
        self.directory, self.workers, self.quiet = directory, workers, quiet
        self.executor = executor
        self.counts = Counts.from_dict(checkpoint.counts)
        self.sources = Sources(store, options, checkpoint, load_feed_defaults(settings), settings)
        self.writer = Writer(store, options, checkpoint, self.counts, batch, self._committed)
        self.stopping = False
        self.reporter: Reporter | None = None

    def _committed(self) -> None:
        self.checkpoint.counts = self.counts.to_dict()
        if not self.options.dry_run:
            checkpoints.save(self.directory, self.checkpoint)
        if self.reporter is not None:
            self.reporter.update(self.counts)

    def _mark_known(self, chunk: list[Work]) -> None:
        """Skip documents whose raw bytes are stored: committed by an earlier (or the killed) run."""
        if self.options.mode != "paths":
            return
        for work in chunk:
            if work.data is not None:
                work.digest = rawcodec.digest(work.data)
        with self.store.engine.connect() as conn:
            known = replay.known_digests(conn, [w.digest for w in chunk if w.digest])
        for work in chunk:
            if work.skip is None and work.digest in known:
                work.skip = "known"

    def _submit(self, executor: Executor, chunk: list[Work]) -> Future[list[Parsed]]:
        self._mark_known(chunk)
        tasks = [self.sources.task(w) for w in chunk if w.skip is None]
        return executor.submit(parse_chunk, tasks)

    def _collect(self, chunk: list[Work], future: Future[list[Parsed]]) -> None:
        results = iter(future.result())
        for work in chunk:
            if work.skip is None:
                work.records, work.signatures, work.error, work.format, work.packed = next(results)
            self.writer.accept(work)

    def run(self) -> RunResult:
        started = time.monotonic()
        total = None if self.quiet else self.sources.total()
        done = self.counts.documents
        with Reporter(total, quiet=self.quiet, done=done) as reporter, self._signals():
            self.reporter = reporter
            collector = quiet_garbage_collector()
            executor = self.executor or _executor(self.workers)
            try:
                self._pump(executor)
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
            checkpoint=str(checkpoints.path_for(self.directory, self.checkpoint.run_id)),
        )

    def _pump(self, executor: Executor) -> None:
        """Keep a bounded window of chunks in flight; hand results to the writer in source order."""
        window: deque[tuple[list[Work], Future[list[Parsed]]]] = deque()
        # At least a batch more than the writer holds, so workers keep parsing while it commits.
        limit = max(max(1, self.workers) * WINDOW_PER_WORKER, 2 * self.writer.batch // CHUNK + 2)
        for chunk in _chunks(self.sources, CHUNK):
            window.append((chunk, self._submit(executor, chunk)))
            while len(window) >= limit:
                self._collect(*window.popleft())
            if self.stopping:
                break
        while window:
            self._collect(*window.popleft())

    def _signals(self) -> _StopOnSignal:
        return _StopOnSignal(self)


class _StopOnSignal:
    """SIGINT/SIGTERM: stop reading, finish and commit what is in flight, mark the run interrupted."""

    def __init__(self, run: Backfill) -> None:
        self.run = run
        self.previous: dict[int, Any] = {}

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.run.stopping:
            raise KeyboardInterrupt  # a second Ctrl-C: stop now (the checkpoint is still valid)
        log.warning("backfill stopping after the batches in flight", extra={"signal": signum})
        self.run.stopping = True

    def __enter__(self) -> _StopOnSignal:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


# -- entry points ---------------------------------------------------------------------------------


def _default_workers() -> int:
    return max(1, min(4, (multiprocessing.cpu_count() or 2) - 1))


def _prepare(
    args: argparse.Namespace, store: Store, directory: Path
) -> tuple[BackfillOptions, Checkpoint]:
    """Options and checkpoint of a new run, or of the run named by ``--resume``."""
    if args.resume:
        checkpoint = checkpoints.load(directory, args.resume)
        return BackfillOptions.from_dict(checkpoint.options), checkpoint
    options = options_from_args(args)
    if options.mode == "paths" and not options.paths:
        raise ValueError("name files, folders or archives, or use --from-store / --quarantine")
    if options.mode != "paths" and options.paths:
        raise ValueError("paths cannot be combined with --from-store / --quarantine")
    checkpoint = Checkpoint(run_id=checkpoints.new_run_id(), options=asdict(options))
    if options.mode == "store":
        checkpoint.upto = replay.max_raw_id(store.engine)
    elif options.mode == "quarantine":
        checkpoint.upto = replay.max_quarantine_id(store.engine)
    return options, checkpoint


def run_backfill(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """``wiredesk backfill``: returns the exit status (0 done, 2 usage error, 130 interrupted)."""
    settings = settings or Settings.from_env()
    directory = checkpoints.checkpoint_dir()
    workers = _default_workers() if args.workers is None else args.workers
    executor = start_workers(workers)
    try:
        return _run_with(args, settings, directory, workers, executor)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _run_with(
    args: argparse.Namespace, settings: Settings, directory: Path, workers: int, executor: Executor
) -> int:
    store = Store.open(settings.db_url)
    try:
        try:
            options, checkpoint = _prepare(args, store, directory)
        except FileNotFoundError:
            print(f"wiredesk: no backfill run {args.resume!r} in {directory}", file=sys.stderr)
            return 2
        except ValueError as exc:
            print(f"wiredesk: {exc}", file=sys.stderr)
            return 2
        if not args.quiet:
            verb = "resuming" if args.resume else "starting"
            print(
                f"backfill run {checkpoint.run_id} ({verb}; resume with --resume {checkpoint.run_id})",
                file=sys.stderr,
                flush=True,
            )
        if not options.dry_run:
            checkpoint.state = "running"
            checkpoints.save(directory, checkpoint)
        log.info(
            "backfill started",
            extra={"run_id": checkpoint.run_id, "mode": options.mode, "dry_run": options.dry_run},
        )
        result = Backfill(
            store,
            options,
            checkpoint,
            directory=directory,
            workers=workers,
            batch=args.batch,
            quiet=args.quiet,
            settings=settings,
            executor=executor,
        ).run()
    finally:
        store.close()
    _report(result, args)
    return 130 if result.state == "interrupted" else 0


def _report(result: RunResult, args: argparse.Namespace) -> None:
    log.info("backfill finished", extra={"run_id": result.run_id, **result.counts.to_dict()})
    if args.json:
        print(result.to_json())
    elif not args.quiet:
        prefix = "dry run (nothing stored): " if result.dry_run else ""
        print(
            f"{prefix}{result.counts.line()} — {result.elapsed_s:.1f} s, "
            f"{result.docs_per_s:.0f} docs/s, run {result.run_id} {result.state}"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backfill",
        description="Re-ingest archives, folders, stored raw documents or the quarantine.",
        epilog="The store is WIREDESK_DB_URL; checkpoints go to WIREDESK_BACKFILL_DIR (var/backfill).",
    )
    parser.add_argument("--log-level", default="WARNING")
    add_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.log_level)
    try:
        return run_backfill(args)
    except ConfigError as exc:
        print(f"wiredesk: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
