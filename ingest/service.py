"""The background service: one APScheduler interval job per feed, with backoff, health and clean shutdown.

Each feed has its own job (``max_instances=1``, ``coalesce=True``, jitter), so a slow or broken feed never
delays another. A failing feed backs off: its next run is pushed to ``interval * 2**failures`` (capped),
then the normal interval resumes after a success. SIGTERM/SIGINT stop new polls, let the in-flight document
finish and commit, and exit 0.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from config.feeds import FeedConfig
from config.settings import Settings
from ingest.poller import FeedPoller, PollOutcome
from storage.feeds import set_next_run
from storage.store import Store

log = logging.getLogger(__name__)
MAX_PARALLEL_POLLS = 8


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
    ):
        self.store = store
        self.settings = settings
        self.feeds = {feed.name: feed for feed in feeds if feed.enabled}
        self.stopping = threading.Event()
        self.poller = poller or FeedPoller(store, settings, stop=self.stopping)
        self.poller.stop = self.stopping
        self.failures: dict[str, int] = {}
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            executors={
                "default": ThreadPoolExecutor(
                    max_workers=min(MAX_PARALLEL_POLLS, max(1, len(self.feeds)))
                )
            },
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
        self.on_poll: Callable[[PollOutcome], None] | None = None
        self._idle = threading.Condition()
        self._in_flight = 0

    def start(self) -> None:
        now = datetime.now(UTC)
        for index, feed in enumerate(self.feeds.values()):
            self.scheduler.add_job(
                self._poll_job,
                trigger=IntervalTrigger(
                    seconds=feed.interval, jitter=jitter_for(feed.interval), timezone=UTC
                ),
                args=[feed.name],
                id=feed.name,
                name=f"poll {feed.name}",
                # stagger the first polls a little so a restart does not hit every agency at once
                next_run_time=now + timedelta(seconds=min(index * 0.2, 10)),
            )
        self.scheduler.start()
        log.info("service started", extra={"feeds": len(self.feeds)})

    def _poll_job(self, name: str) -> None:
        with self._idle:
            if self.stopping.is_set():
                return
            self._in_flight += 1
        try:
            self._poll_and_reschedule(self.feeds[name])
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _poll_and_reschedule(self, feed: FeedConfig) -> None:
        outcome = self.poller.poll(feed)
        failures = self.failures.get(feed.name, 0) + 1 if outcome.failed else 0
        self.failures[feed.name] = failures
        delay = backoff_delay(feed.interval, failures, self.settings.backoff_cap)
        if failures:
            delay *= 1 + random.random() * 0.1
            # Safe: stop() waits for in-flight polls before it shuts the scheduler down.
            self.scheduler.modify_job(
                feed.name, next_run_time=datetime.now(UTC) + timedelta(seconds=delay)
            )
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
        log.info("service stopped")

    def run_until_stopped(self) -> int:
        """Start, block until SIGTERM/SIGINT, stop cleanly; returns the exit status (0)."""
        stop_requested = threading.Event()

        def _on_signal(signum: int, _frame: FrameType | None) -> None:
            log.info("signal received", extra={"signal": signal.Signals(signum).name})
            stop_requested.set()

        previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            while not stop_requested.wait(0.5):
                pass
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0
