"""Ritzau RBNews XML (Ritzaus Bureau, Denmark): one ``<RBNews>`` story per document.

The body is escaped HTML in ``<content>``; ``<subtitle>`` is a standfirst and ``<ContentShort>`` a teaser,
neither is body. Flashes come with ``<headline i:nil="true"/>``: no headline. ``Priority`` is the item's
own integer priority (used as urgency), ``version`` its revision. Flags in Danish: ``Annuleret``
(withdrawn), ``Korrektion`` (correction), ``NyVersion`` (new version); ``TilRedaktionen`` is a note to the
desk. Timestamps carry no offset and are Copenhagen local time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsers._inline import clean_items
from parsers.base import ParsedDateline, ParsedItem
from parsers.dates import parse_datetime
from parsers.markup import html_fragment_paragraphs
from parsers.xmlsafe import (
    StringQuery,
    parse_root,
    sniff_root,
    string_query,
)

FORMAT = "ritzau"
SNIFF_ORDER = 35
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise


_ROOT = "RBNews"
_MARKER = b"<NewsID>"
_FIELDS = (
    "NewsID", "PublishDate", "headline", "town", "origin", "version", "content", "Priority",
    "Annuleret", "Korrektion", "NyVersion", "TilRedaktionen", "byLine", "section",
)  # fmt: skip
# RBNews declares no namespace (xmlns=""), so plain child names work.
_FIELD_XPATH: dict[str, StringQuery] = {name: string_query(f"{name}/text()") for name in _FIELDS}
_IPTC_CODES = string_query("IPTCList/*/text()")
_SMALL_INT = re.compile(r"[0-9]{1,8}")
_HAS_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_SIGNAL_FLAGS = (("Korrektion", "correction"), ("NyVersion", "update"))
_CANCEL_FLAG = "Annuleret"
_IPTC_CODE_DIGITS = 8  # subject codes arrive as ints: 4000000 is IPTC 04000000


def _local_zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Copenhagen")
    except ZoneInfoNotFoundError:  # no tz database installed: UTC is off by 1-2 hours, not fatal
        return UTC


_LOCAL_ZONE = _local_zone()


def can_parse(raw: bytes) -> bool:
    """Root ``RBNews`` with a ``NewsID`` child."""
    return sniff_root(raw, _ROOT, _MARKER)


def parse(raw: bytes) -> list[ParsedItem]:
    """Every story in the document; escaped inline markup converted in every field (``parsers._inline``)."""
    return clean_items(_parse(raw))


def _parse(raw: bytes) -> list[ParsedItem]:
    root = parse_root(raw, _ROOT, "Ritzau XML")
    field = {name: _text(xpath(root)) for name, xpath in _FIELD_XPATH.items()}
    body = html_fragment_paragraphs(field["content"])
    canceled = _flag(field[_CANCEL_FLAG])
    if not body and not canceled:
        return []
    origin = field["origin"].strip("/ ")
    return [
        ParsedItem(
            source_format=FORMAT,
            guid=field["NewsID"] or None,
            version=_positive_int(field["version"]),
            headline=field["headline"] or None,
            byline=field["byLine"] or None,
            dateline=ParsedDateline(place=field["town"]) if field["town"] else None,
            body=body,
            agencies=[origin] if origin else [],
            urgency=_urgency(field["Priority"]),
            status="canceled" if canceled else "usable",
            published_at=_local_date(field["PublishDate"]),
            subjects=_subjects(_IPTC_CODES(root)),
            keywords=[field["section"]] if field["section"] else [],
            ednotes=[field["TilRedaktionen"]] if field["TilRedaktionen"] else [],
            signals=[signal for name, signal in _SIGNAL_FLAGS if _flag(field[name])],
        )
    ]


def _text(values: list[str]) -> str:
    return " ".join(values[0].split()) if values else ""


def _flag(text: str) -> bool:
    return text.lower() == "true"


def _positive_int(text: str) -> int | None:
    value = int(text) if _SMALL_INT.fullmatch(text) else 0
    return value if value > 0 else None


def _urgency(text: str) -> int | None:
    value = _positive_int(text)
    return value if value is not None and value <= 8 else None


def _local_date(text: str) -> datetime | None:
    try:
        value = parse_datetime(text)
        if value is None or _HAS_OFFSET.search(text):
            return value  # unreadable, or the value states its own offset
        return value.replace(tzinfo=_LOCAL_ZONE).astimezone(UTC)
    except OverflowError:  # year 1 or 9999 shifted out of range
        return None


def _subjects(codes: list[str]) -> list[str]:
    cleaned = (c.strip() for c in codes)
    return list(
        dict.fromkeys(c.zfill(_IPTC_CODE_DIGITS) for c in cleaned if _SMALL_INT.fullmatch(c))
    )
