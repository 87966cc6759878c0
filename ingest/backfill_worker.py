"""The worker side of a backfill: parse, normalize and fingerprint chunks of documents.

It imports parsers and normalizers only (no SQLAlchemy, no Alembic, no HTTP client), so the forkserver that
preloads it and the workers forked from it stay small; ``ingest.backfill`` is the writer side.
"""

from __future__ import annotations

import signal

from ingest.parse_stage import format_of, parse_records
from normalizers.minhash import signature as minhash_signature
from normalizers.record import ArticleRecord
from parsers import ParseError

# (origin, raw bytes, feed, forced format, default agency, language hint)
Task = tuple[str, bytes, str | None, str | None, str | None, str | None]
# (records, their MinHash signatures, error, detected format)
Parsed = tuple[list[ArticleRecord], list[bytes | None], str | None, str | None]


def worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which drains and commits before it exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def parse_one(task: Task) -> Parsed:
    """Parse, normalize and fingerprint one document; never raises."""
    origin, data, feed, format_name, agency, language = task
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
        return [], [], exc.reason, format_of(data, format_name)
    detected = records[0].source_format if records else format_of(data, format_name)
    return records, [minhash_signature(r.body) for r in records], None, detected


def parse_chunk(tasks: list[Task]) -> list[Parsed]:
    return [parse_one(task) for task in tasks]
