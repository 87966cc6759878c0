"""The parse stage alone: raw bytes -> normalized records, with no storage import.

Kept apart from ``ingest.pipeline`` so that parser processes (backfill workers) load parsers and normalizers
only, not SQLAlchemy and Alembic: less start-up time and memory per worker.
"""

from __future__ import annotations

import logging

from normalizers.normalize import normalize
from normalizers.record import ArticleRecord
from parsers import ParseError, parse_document
from parsers.registry import detect_format

log = logging.getLogger(__name__)


def parse_records(
    raw: bytes,
    origin: str,
    *,
    feed: str | None = None,
    format_name: str | None = None,
    default_agency: str | None = None,
    language_hint: str | None = None,
) -> list[ArticleRecord]:
    """Parse and normalize one document (no storage); raises ``ParseError`` only."""
    try:
        items = parse_document(raw, format_name)
        return [
            normalize(
                item,
                feed=feed,
                default_agency=default_agency,
                language_hint=language_hint,
            )
            for item in items
        ]
    except ParseError:
        raise
    except RecursionError as exc:
        raise ParseError("document nests too deeply to read") from exc
    except Exception as exc:  # a parser bug must cost one document, never the run
        log.exception("parser failure", extra={"origin": origin})
        raise ParseError(f"internal parser error: {type(exc).__name__}: {exc}") from exc


def format_of(raw: bytes, forced: str | None) -> str | None:
    """The forced format, else the sniffed one, else None (for the raw document's record)."""
    if forced:
        return forced
    try:
        return detect_format(raw)
    except ParseError:
        return None
