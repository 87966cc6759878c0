"""NTB info press-release XML (``<release>``): press releases NTB distributes for companies and bodies.

The body is HTML that is escaped twice (XML escaping around HTML entities: ``&amp;aring;``), so it is
parsed as an HTML fragment after XML parsing to get real characters. ``leadtext`` is a standfirst and
``boilerplate`` / ``contactsAsText`` / the publisher description are about the sender: none is body.
Dates are written ``dd.MM.yyyy HH:mm`` in Norwegian local time. The credit is NTB info, the distributor;
the publisher (the company) is the source of the text, not an agency.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsers._inline import clean_items
from parsers.base import ParsedItem
from parsers.markup import html_fragment_paragraphs
from parsers.xmlsafe import (
    StringQuery,
    parse_root,
    sniff_root,
    string_query,
)

FORMAT = "ntbinfo"
SNIFF_ORDER = 35
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise


_ROOT = "release"
_MARKERS = (b"<publicationDate", b"<leadtext")
AGENCY = "NTB info"
_FIELDS = ("title", "body", "publicationDate", "embargo", "keywords", "longurl")
_FIELD_XPATH: dict[str, StringQuery] = {name: string_query(f"{name}/text()") for name in _FIELDS}
_CAPTIONS = string_query("images/image/caption/text()")
_LOCAL_DATE = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?:\s+([0-9]{1,2}):([0-9]{2}))?$")
_KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")
_LANGUAGE = re.compile(r"^([a-zA-Z]{2})(?:[-_]|$)")


def _local_zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Oslo")
    except ZoneInfoNotFoundError:  # no tz database installed: UTC is off by 1-2 hours, not fatal
        return UTC


_LOCAL_ZONE = _local_zone()


def can_parse(raw: bytes) -> bool:
    """Root ``release`` with NTB info's ``publicationDate`` and ``leadtext`` children."""
    return sniff_root(raw, _ROOT) and all(marker in raw for marker in _MARKERS)


def parse(raw: bytes) -> list[ParsedItem]:
    """Every story in the document; escaped inline markup converted in every field (``parsers._inline``)."""
    return clean_items(_parse(raw))


def _parse(raw: bytes) -> list[ParsedItem]:
    root = parse_root(raw, _ROOT, "NTB info XML")
    field = {name: _text(xpath(root)) for name, xpath in _FIELD_XPATH.items()}
    body = html_fragment_paragraphs(field["body"])
    if not body:
        return []
    captions = [c for c in (_text([c]) for c in _CAPTIONS(root)) if c]
    return [
        ParsedItem(
            source_format=FORMAT,
            guid=root.get("id") or None,
            headline=field["title"] or None,
            caption=captions[0] if captions else None,
            body=body,
            agencies=[AGENCY],
            language=_language(root.get("lang")),
            embargo_until=_local_date(field["embargo"]),
            published_at=_local_date(field["publicationDate"]),
            keywords=[k for k in _KEYWORD_SPLIT.split(field["keywords"]) if k],
            url=field["longurl"] or None,
        )
    ]


def _text(values: list[str]) -> str:
    return " ".join(values[0].split()) if values else ""


def _local_date(text: str) -> datetime | None:
    """``28.09.2018 11:15`` in Oslo time, as aware UTC; ``None`` when empty or unreadable."""
    match = _LOCAL_DATE.match(text)
    if not match:
        return None
    day, month, year, hour, minute = match.groups()
    try:
        local = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        return local.replace(tzinfo=_LOCAL_ZONE).astimezone(UTC)
    except (ValueError, OverflowError):  # impossible date, or year 1 shifted out of range
        return None


def _language(lang: str | None) -> str | None:
    match = _LANGUAGE.match(lang.strip()) if lang else None
    return match.group(1).lower() if match else None
