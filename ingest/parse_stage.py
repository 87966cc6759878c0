"""The parse stage alone: raw bytes -> normalized records, with no storage import.

Kept apart from ``ingest.pipeline`` so that parser processes (backfill workers) load parsers and normalizers
only, not SQLAlchemy and Alembic: less start-up time and memory per worker.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from config.logcontext import about_document
from config.redact import short_error
from normalizers.normalize import normalize
from normalizers.record import ArticleRecord
from normalizers.validate import RecordError, clean_item, validate_record
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
    hints: Mapping[str, str] | None = None,
) -> list[ArticleRecord]:
    """Parse, normalize and validate one document (no storage); raises ``ParseError`` only.

    Every item is made valid Unicode before normalizing and every record is checked at the record
    boundary (``normalizers.validate``) after, so what reaches the store always fits it. ``hints`` (a
    transport's metadata: ``ingest.transports.hints``) fill fields the document leaves empty.

    Each record's ``origin`` is ``origin``: where this document came from (a path, ``archive!member``, a
    URL; callers pass it redacted: ``ingest.pipeline.safe_origin``). The store keeps raw bytes once, so
    their raw document's origin is the first place they came under, not necessarily this one."""
    with about_document(origin):
        try:
            items = parse_document(raw, format_name)
            if hints:  # imported only then: the transports package loads the store (parser processes don't)
                from ingest.transports.hints import apply_hints

                items = apply_hints(items, hints)
            records = [
                validate_record(
                    normalize(
                        clean_item(item),
                        feed=feed,
                        default_agency=default_agency,
                        language_hint=language_hint,
                    ),
                    origin,
                )
                for item in items
            ]
        except ParseError:
            raise
        except RecordError as exc:
            raise ParseError(f"record refused: {exc.reason}") from exc
        except RecursionError as exc:
            raise ParseError("document nests too deeply to read") from exc
        except Exception as exc:  # a parser bug must cost one document, never the run
            log.exception("parser failure", extra={"origin": origin})
            raise ParseError(f"internal parser error: {short_error(exc)}") from exc
    for record in records:
        record.origin = origin
    return records


def format_of(raw: bytes, forced: str | None) -> str | None:
    """The forced format, else the sniffed one, else None (for the raw document's record)."""
    if forced:
        return forced
    try:
        return detect_format(raw)
    except ParseError:
        return None
