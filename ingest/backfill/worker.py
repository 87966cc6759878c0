"""The worker side of a backfill: parse, normalize and fingerprint chunks of documents.

It imports parsers and normalizers only (no SQLAlchemy, no Alembic, no HTTP client), so the forkserver that
preloads it and the workers forked from it stay small; ``ingest.backfill.engine`` and
``ingest.backfill.writer`` are the writer side.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal

from ingest.backfill import lifeline
from ingest.logsetup import configure_logging
from ingest.parse_stage import format_of, parse_records
from normalizers import language_profiles
from normalizers.language import configured_languages
from normalizers.minhash import signature as minhash_signature
from normalizers.record import ArticleRecord
from parsers import ParseError
from storage import rawcodec

# (origin, raw bytes, feed, forced format, default agency, language hint, pack the raw bytes?)
Task = tuple[str, bytes, str | None, str | None, str | None, str | None, bool]
# (records, their MinHash signatures, error, detected format, raw bytes packed for the store or None)
Parsed = tuple[list[ArticleRecord], list[bytes | None], str | None, str | None, bytes | None]


def preload() -> None:
    """Load what every worker needs before the forkserver forks them (``ingest.backfill.preload``): they
    then share one copy of the language profile matrix instead of building their own (about 20 MB each),
    and score with numpy from their first document (a backfill is a bulk run)."""
    with contextlib.suppress(
        ValueError
    ):  # a bad WIREDESK_LANGUAGES is reported by the first document
        language_profiles.load(configured_languages()).vectorise()


WORKER_NICENESS = 10
GC_YOUNG_THRESHOLD = (
    10_000  # allocations between young-generation collections (CPython's default: 700)
)


def worker_init(writer_pid: int, log_level: str = "WARNING") -> None:
    """Workers log as the run does (``log_level``, the key=value lines naming the document a line is
    about: a forkserver child starts with no logging set up), leave Ctrl-C to the main process, which drains and commits before it exits, and run at a
    lower CPU priority than the writer: the single writer is the run's bottleneck, and with more workers
    than free cores it would otherwise get only its share of a core (--workers 2 on two cores: 2/3).
    They end with the forkserver that forked them and with the writer ``writer_pid``, however those end
    (``ingest.backfill.lifeline``): a killed run leaves no process behind."""
    configure_logging(log_level)
    lifeline.die_with_parent()
    lifeline.watch(writer_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    quiet_garbage_collector()


def quiet_garbage_collector() -> tuple[int, int, int]:
    """Long runs allocate millions of short-lived objects and few cycles: the modules and profiles loaded
    so far are moved out of the collector's sight (``gc.freeze``) and young collections run less often.
    Measured: 3-6% of a worker's time went to collections that found almost nothing. Returns the previous
    thresholds, for ``restore_garbage_collector``."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)
    return previous


def restore_garbage_collector(previous: tuple[int, int, int]) -> None:
    """Undo ``quiet_garbage_collector`` (a backfill run inside a longer-lived process: tests, the CLI)."""
    gc.unfreeze()
    gc.set_threshold(*previous)


def worker_ready() -> None:
    """A no-op task: submitting one per worker makes the pool start its processes right away."""


def parse_one(task: Task) -> Parsed:
    """Parse, normalize, fingerprint and pack one document: all the CPU work, none left to the writer;
    never raises."""
    origin, data, feed, format_name, agency, language, pack = task
    packed = rawcodec.pack(data) if pack else None  # stored raw documents are packed already
    try:
        records = parse_records(
            data,
            origin,
            feed=feed,
            format_name=format_name,
            default_agency=agency,
            language_hint=language,
        )
    except ParseError as exc:
        return [], [], exc.reason, format_of(data, format_name), packed
    detected = records[0].source_format if records else format_of(data, format_name)
    return records, [minhash_signature(r.body) for r in records], None, detected, packed


def parse_chunk(tasks: list[Task]) -> list[Parsed]:
    return [parse_one(task) for task in tasks]
