"""Record-boundary validation: every value is made storable, or the document is refused, before saving.

A parsed document is untrusted to its last field. What the store cannot hold must never reach it, because a
failure inside the write transaction costs more than the one document (a rolled-back batch, a health row
holding the SQL statement). The pipeline (``ingest.parse_stage``) calls ``clean_item`` on every parsed item
before normalizing and ``validate_record`` on every record after, so all formats and all paths (live feeds,
``wiredesk ingest``, backfill workers) pass the same gate.

Rules (and where they come from):

- text is valid Unicode: lone UTF-16 surrogates (``"\\ud800"`` escapes in JSON, broken entity references)
  cannot be encoded as UTF-8 by either store; they become U+FFFD, the Unicode replacement character. NUL
  cannot be stored in a PostgreSQL ``text`` value and is removed.
- integers fit their columns: ``version`` is a ``BIGINT`` (0 .. 2**63-1; beyond that the document is
  refused, since no agency numbers revisions that way); ``urgency`` is 1 (flash) .. 9 (DESIGN.md), other
  values are dropped with a warning.
- lengths: columns with a SQL length (``guid`` VARCHAR(512), agencies joined in VARCHAR(400), language
  VARCHAR(8)) always fit; free-text fields are cut at ``LIMITS`` with ``CUT_MARKER``; a field so large that
  no wire story has it (``ABSURD_CHARS``, ``MAX_BODY_CHARS``) refuses the document.
- datetimes are aware and convertible to UTC; an embargo that is not is refused (dropping it would release
  embargoed copy), other dates are dropped with a warning.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from typing import Any

from normalizers.record import ArticleRecord, Dateline, RelatedItem

log = logging.getLogger(__name__)
MAX_VERSION = 2**63 - 1
URGENCY_RANGE = range(1, 10)
GUID_CHARS = 512
AGENCY_TAGS_CHARS = 400
AGENCY_CHARS = 64
LANGUAGE_CHARS = 8
CUT_MARKER = " [… cut]"
# Free-text fields: cut beyond this many characters (a headline of 1,000 characters is already not one).
LIMITS = {
    "kicker": 500,
    "headline": 1_000,
    "caption": 4_000,
    "byline": 500,
    "place": 200,
    "date": 200,
    "title": 1_000,
    "teaser": 4_000,
    "url": 4_000,
    "paragraph": 100_000,
    "ednote": 4_000,
    "term": 500,
}
MAX_LIST_ITEMS = {"related": 500, "subjects": 500, "keywords": 500, "signals": 200, "ednotes": 200}
MAX_REPLACES = 200
ABSURD_CHARS = 1_000_000  # any single field longer than this: the document is refused
MAX_BODY_CHARS = 8_000_000
MAX_PARAGRAPHS = 200_000
_SURROGATE_LOW, _SURROGATE_HIGH = 0xD800, 0xDFFF


class RecordError(ValueError):
    """A document with a value no store can hold; ``reason`` is one short line for the quarantine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def valid_text(value: str) -> str:
    """``value`` as storable Unicode: surrogate pairs joined, lone surrogates -> U+FFFD, NUL removed."""
    if any(_SURROGATE_LOW <= ord(ch) <= _SURROGATE_HIGH for ch in value):
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value.replace("\x00", "") if "\x00" in value else value


def _clean_any(value: Any) -> Any:
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, list):
        return [_clean_any(v) for v in value]
    if isinstance(value, dict):
        return {_clean_any(k): _clean_any(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        for spec in fields(value):
            current = getattr(value, spec.name)
            cleaned = _clean_any(current)
            if cleaned is not current:
                setattr(value, spec.name, cleaned)
        return value
    return value


def clean_item(item: Any) -> Any:
    """Make every string of a parsed item (a dataclass, edited in place) valid Unicode; returns it.

    Runs before normalizing, so text cleanup, hashing and language detection never see a lone surrogate."""
    _clean_any(item)
    return item


def _absurd(name: str, value: str) -> None:
    if len(value) > ABSURD_CHARS:
        raise RecordError(
            f"{name} of {len(value)} characters (over {ABSURD_CHARS}): not a wire story"
        )


def cut(value: str | None, limit: int, name: str, origin: str = "") -> str | None:
    """``value`` cut to ``limit`` characters (marker included) when longer; absurd lengths raise."""
    if value is None:
        return None
    _absurd(name, value)
    if len(value) <= limit:
        return value
    log.warning("field cut", extra={"field": name, "chars": len(value), "origin": origin or None})
    return value[: limit - len(CUT_MARKER)].rstrip() + CUT_MARKER


def _bounded_guid(guid: str) -> str:
    """A guid that fits VARCHAR(512): long ones keep a prefix plus a digest of the whole (stable, unique)."""
    if len(guid) <= GUID_CHARS:
        return guid
    _absurd("guid", guid)
    digest = hashlib.sha256(guid.encode("utf-8")).hexdigest()[:32]
    return f"{guid[: GUID_CHARS - 34]}~{digest}"


def _agencies(agencies: list[str]) -> list[str]:
    """Agencies that fit the joined ``|a|b|`` tag column; the first (the story key) always stays."""
    kept: list[str] = []
    used = 1
    for agency in agencies:
        name = agency[:AGENCY_CHARS]
        if used + len(name) + 1 > AGENCY_TAGS_CHARS:
            log.warning("agencies cut", extra={"count": len(agencies), "kept": len(kept)})
            break
        kept.append(name)
        used += len(name) + 1
    return kept


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise RecordError(f"{name} has no time zone")
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        if name == "embargo_until":
            raise RecordError(f"{name} {value.isoformat()} is out of range") from None
        log.warning("date dropped: out of range", extra={"field": name, "value": str(value)})
        return None


def _dateline(value: Dateline | None) -> Dateline | None:
    if value is None:
        return None
    return Dateline(
        cut(value.place, LIMITS["place"], "dateline place"),
        cut(value.date, LIMITS["date"], "dateline date"),
        _agencies(value.agencies),
    )


def _related(items: list[RelatedItem]) -> list[RelatedItem]:
    kept = []
    for item in items[: MAX_LIST_ITEMS["related"]]:
        url = item.url if item.url is None or len(item.url) <= LIMITS["url"] else None
        kept.append(
            RelatedItem(
                cut(item.title, LIMITS["title"], "related title") or "",
                cut(item.teaser, LIMITS["teaser"], "related teaser"),
                url,
                _dateline(item.dateline),
            )
        )
    return kept


def _terms(values: list[str], name: str, limit: int) -> list[str]:
    if len(values) > MAX_LIST_ITEMS[name]:
        log.warning("list cut", extra={"field": name, "count": len(values)})
    return [cut(v, limit, name) or "" for v in values[: MAX_LIST_ITEMS[name]]]


def _body(paragraphs: list[str], origin: str) -> list[str]:
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise RecordError(f"body of {len(paragraphs)} paragraphs (over {MAX_PARAGRAPHS})")
    total = sum(len(p) for p in paragraphs)
    if total > MAX_BODY_CHARS:
        raise RecordError(f"body of {total} characters (over {MAX_BODY_CHARS})")
    return [cut(p, LIMITS["paragraph"], "body paragraph", origin) or "" for p in paragraphs]


def _version(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"version {value!r} is not an integer")
    if not 0 <= value <= MAX_VERSION:
        shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
        raise RecordError(f"version {shown} out of range (0..{MAX_VERSION})")
    return value


def _urgency(value: Any, origin: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value in URGENCY_RANGE:
        return value
    log.warning(
        "urgency dropped: out of range 1..9", extra={"value": repr(value)[:40], "origin": origin}
    )
    return None


def validate_record(record: ArticleRecord, origin: str = "") -> ArticleRecord:
    """``record`` with every value inside what the store holds (edited in place and returned).

    Raises ``RecordError`` for a document no cut can make sensible (version beyond BIGINT, a field over
    ``ABSURD_CHARS``, an embargo that is not a real instant, an unknown status)."""
    _clean_any(record)
    if record.status not in ("usable", "withheld", "canceled"):
        raise RecordError(f"status {record.status[:40]!r} is not usable/withheld/canceled")
    record.version = _version(record.version)
    record.urgency = _urgency(record.urgency, origin)
    record.guid = _bounded_guid(record.guid)
    record.agencies = _agencies(record.agencies)
    record.kicker = cut(record.kicker, LIMITS["kicker"], "kicker", origin)
    record.headline = cut(record.headline, LIMITS["headline"], "headline", origin)
    record.caption = cut(record.caption, LIMITS["caption"], "caption", origin)
    record.byline = cut(record.byline, LIMITS["byline"], "byline", origin)
    record.dateline = _dateline(record.dateline)
    record.body = _body(record.body, origin)
    record.related = _related(record.related)
    record.subjects = _terms(record.subjects, "subjects", LIMITS["term"])
    record.keywords = _terms(record.keywords, "keywords", LIMITS["term"])
    record.signals = _terms(record.signals, "signals", LIMITS["term"])
    record.ednotes = _terms(record.ednotes, "ednotes", LIMITS["ednote"])
    record.replaces = [_bounded_guid(r) for r in record.replaces[:MAX_REPLACES]]
    if record.language is not None and len(record.language) > LANGUAGE_CHARS:
        record.language = None
    record.embargo_until = _aware(record.embargo_until, "embargo_until")
    record.published_at = _aware(record.published_at, "published_at")
    record.updated_at = _aware(record.updated_at, "updated_at")
    return record
