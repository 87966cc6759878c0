"""The background service: one APScheduler interval job per feed, with backoff, health and clean shutdown.

Each feed has its own job (``max_instances=1``, ``coalesce=True``, jitter), so a slow or broken feed never
delays another. A failing feed backs off: its next run is pushed to ``interval * 2**failures`` (capped),
then the normal interval resumes after a success. A source that says when to come back (a transport's
``Retry-After``, or more entries waiting beyond the poll's cap) gets its next poll then instead. SIGTERM/SIGINT stop new polls, let the in-flight document
finish and commit, and exit 0. Drop folders are parsed by ``parse_workers`` processes (started on the
first folder poll, kept for the service's lifetime, ended on stop). SIGHUP re-reads the feed list (``reload``): new feeds are scheduled, removed
or disabled ones dropped, changed ones rescheduled; a broken file keeps the running list (the error is
logged), so ``systemctl reload`` can never stop the service.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from config.feeds import MIN_INTERVAL, FeedConfig
from config.settings import Settings
from ingest.poller import FeedPoller, PollOutcome
from storage.errors import is_outage, outage_line
from storage.feeds import set_next_run
from storage.store import Store

log = logging.getLogger(__name__)
MAX_PARALLEL_POLLS = 8
MAX_PARSE_WORKERS = 2


def default_parse_workers() -> int:
    """Parser processes for drop folders: one per core but one (this process writes every batch and
    serves the desk), at most ``MAX_PARSE_WORKERS``; none on one core. Measured (bench/live_dropfolder.py,
    PostgreSQL, two loaded cores): parsing in the service process kept 166 documents/s, one worker 194/s."""
    return max(0, min(MAX_PARSE_WORKERS, (os.cpu_count() or 1) - 1))


def backoff_delay(interval: float, failures: int, cap: float) -> float:
    """Seconds until the next attempt after ``failures`` consecutive failures (doubling, capped)."""
    if failures <= 0:
        return interval
    return float(min(cap, interval * 2 ** min(failures, 30)))


def jitter_for(interval: float) -> int:
    """Up to 10% of the interval (max 30 s), so feeds with equal intervals do not poll in lockstep."""
    return int(min(30.0, interval * 0.1))


class WireService:
    """Schedules every enabled feed; ``run_until_stopped`` blocks until SIGTERM/SIGINT or ``stop()``."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        feeds: list[FeedConfig],
        poller: FeedPoller | None = None,
        reload: Callable[[], list[FeedConfig]] | None = None,
        parse_workers: int | None = None,
    ):
        """``parse_workers``: parser processes of the poller made here (default
        ``default_parse_workers()``); a given ``poller`` keeps its own."""
        self.store = store
        self.settings = settings
        self.feeds = {feed.name: feed for feed in feeds if feed.enabled}
        self.reload = reload
        self.stopping = threading.Event()
        if parse_workers is None:
            parse_workers = settings.parse_workers
        workers = default_parse_workers() if parse_workers < 0 else parse_workers
        self.poller = poller or FeedPoller(store, settings, stop=self.stopping, workers=workers)
        self.poller.stop = self.stopping
        self.failures: dict[str, int] = {}
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers=MAX_PARALLEL_POLLS)},
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
        self.on_poll: Callable[[PollOutcome], None] | None = None
        self._idle = threading.Condition()
        self._in_flight = 0

    def _schedule(self, feed: FeedConfig, first_run: datetime) -> None:
        self.scheduler.add_job(
            self._poll_job,
            trigger=IntervalTrigger(
                seconds=feed.interval, jitter=jitter_for(feed.interval), timezone=UTC
            ),
            args=[feed.name],
            id=feed.name,
            name=f"poll {feed.name}",
            next_run_time=first_run,
            replace_existing=True,
        )

    def start(self) -> None:
        now = datetime.now(UTC)
        for index, feed in enumerate(self.feeds.values()):
            # stagger the first polls a little so a restart does not hit every agency at once
            self._schedule(feed, now + timedelta(seconds=min(index * 0.2, 10)))
        self.scheduler.start()
        log.info("service started", extra={"feeds": len(self.feeds)})

    def apply_feeds(self, feeds: list[FeedConfig]) -> dict[str, list[str]]:
        """Make the schedule follow ``feeds`` (a re-read feed list): returns the names ``added``,
        ``removed`` (gone or disabled) and ``rescheduled`` (any setting changed; polled again soon)."""
        wanted = {feed.name: feed for feed in feeds if feed.enabled}
        changes: dict[str, list[str]] = {"added": [], "removed": [], "rescheduled": []}
        now = datetime.now(UTC)
        for name in [n for n in self.feeds if n not in wanted]:
            del self.feeds[name]
            self.failures.pop(name, None)
            if self.scheduler.get_job(name) is not None:
                self.scheduler.remove_job(name)
            changes["removed"].append(name)
        for index, (name, feed) in enumerate(wanted.items()):
            old = self.feeds.get(name)
            if old == feed:
                continue
            self.feeds[name] = feed
            self.failures.pop(name, None)
            self._schedule(feed, now + timedelta(seconds=min(index * 0.2, 10)))
            changes["added" if old is None else "rescheduled"].append(name)
        return changes

    def reload_feeds(self) -> bool:
        """Re-read the feed list (SIGHUP); on any error keep the running list. True if applied."""
        if self.reload is None:
            log.warning("feed reload requested, but this service has no feed file")
            return False
        try:
            feeds = self.reload()
        except Exception as exc:  # a broken file must never stop a running service
            # The file is named twice on purpose: ConfigError's text locates the mistake (file:line),
            # and feeds_file names it even for an error that does not (a bug, a driver error).
            log.error(
                "feed list not reloaded: keeping the running feeds",
                extra={
                    "feeds_file": str(self.settings.feeds_file),
                    "error": str(exc) or type(exc).__name__,
                    "feeds": len(self.feeds),
                },
            )
            return False
        changes = self.apply_feeds(feeds)
        log.warning(
            "feed list reloaded",
            extra={**{k: ",".join(v) or "-" for k, v in changes.items()}, "feeds": len(self.feeds)},
        )
        return True

    def _poll_job(self, name: str) -> None:
        with self._idle:
            if self.stopping.is_set():
                return
            feed = self.feeds.get(name)
            if feed is None:  # removed by a reload since this run was scheduled
                return
            self._in_flight += 1
        try:
            self._poll_and_reschedule(feed)
        except (
            Exception
        ) as exc:  # the store itself (its feed state, its lock) failed: not the feed's fault
            self._store_failed(feed, exc)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _store_failed(self, feed: FeedConfig, exc: Exception) -> None:
        """One WARNING line and the feed's backoff when the store is down (no traceback per poll: a
        stopped database logged a hundred lines every second); anything else is logged with its
        traceback once per attempt, backed off the same way. The next poll after recovery goes on."""
        failures = self.failures.get(feed.name, 0) + 1
        self.failures[feed.name] = failures
        delay = backoff_delay(feed.interval, failures, self.settings.backoff_cap)
        if is_outage(exc):
            log.warning(
                "store unavailable: poll postponed",
                extra={"feed": feed.name, "error": outage_line(exc), "next_in_s": round(delay, 1)},
            )
        else:
            log.exception("poll failed", extra={"feed": feed.name, "next_in_s": round(delay, 1)})
        if self.scheduler.get_job(feed.name) is not None:
            self.scheduler.modify_job(
                feed.name, next_run_time=datetime.now(UTC) + timedelta(seconds=delay)
            )

    def _poll_and_reschedule(self, feed: FeedConfig) -> None:
        outcome = self.poller.poll(feed)
        failures = self.failures.get(feed.name, 0) + 1 if outcome.failed else 0
        self.failures[feed.name] = failures
        delay = backoff_delay(feed.interval, failures, self.settings.backoff_cap)
        if failures:
            delay *= 1 + random.random() * 0.1
        if outcome.retry_after is not None:
            # The server said when to come back (429/503 Retry-After, a queue's pacing): that wins over
            # both the interval and our own backoff, never less than the minimum interval.
            delay = max(outcome.retry_after, MIN_INTERVAL)
        # Safe: stop() waits for in-flight polls before it shuts the scheduler down; a reload may have
        # removed the job.
        if (failures or outcome.retry_after is not None) and self.scheduler.get_job(
            feed.name
        ) is not None:
            self.scheduler.modify_job(
                feed.name, next_run_time=datetime.now(UTC) + timedelta(seconds=delay)
            )
        if failures:
            log.warning(
                "feed backing off",
                extra={"feed": feed.name, "failures": failures, "next_in_s": round(delay, 1)},
            )
        set_next_run(self.store, feed.name, datetime.now(UTC) + timedelta(seconds=delay))
        if self.on_poll is not None:
            self.on_poll(outcome)

    def stop(self) -> None:
        """Stop scheduling; wait for in-flight polls (each finishes its current document and commits)."""
        with self._idle:
            if self.stopping.is_set():
                return
            self.stopping.set()
            log.info(
                "service stopping: finishing in-flight documents",
                extra={"in_flight": self._in_flight},
            )
            while self._in_flight:
                self._idle.wait()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.poller.close()
        log.info("service stopped")

    def run_until_stopped(self) -> int:
        """Start, block until SIGTERM/SIGINT, stop cleanly; returns the exit status (0). SIGHUP reloads
        the feed list (in this loop, not in the signal handler)."""
        stop_requested = threading.Event()
        reload_requested = threading.Event()

        def _on_signal(signum: int, _frame: FrameType | None) -> None:
            log.info("signal received", extra={"signal": signal.Signals(signum).name})
            (reload_requested if signum == signal.SIGHUP else stop_requested).set()

        signals = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        previous = {sig: signal.signal(sig, _on_signal) for sig in signals}
        try:
            self.start()
            while not stop_requested.wait(0.5):
                if reload_requested.is_set():
                    reload_requested.clear()
                    self.reload_feeds()
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0
