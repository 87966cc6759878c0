"""Canadian Press "Publish" XML: ``<Publish><ContentItem>...`` with the story as escaped HTML.

The body sits HTML-escaped in ``ContentText``; ``DirectoryText`` is only a teaser. ``Credit`` names the agency
that wrote the story (CP relays AP copy this way), so it is the credit, not CP. ``EmbargoTime``
``0001-01-01T00:00:00`` is .NET's empty date and means "no embargo". ``RankingValue`` is an editorial
ranking, not an urgency, and ``AuthorVersion`` counts saves, not releases, so neither is used.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml import etree

from parsers._inline import clean_items
from parsers._wiretext import lift_item_lead_notes
from parsers.base import ParsedDateline, ParsedItem, Status
from parsers.dates import assume_zone, parse_datetime
from parsers.markup import html_fragment_paragraphs
from parsers.xmlsafe import (
    StringQuery,
    element_query,
    parse_root,
    sniff_root,
    string_query,
)

FORMAT = "cpxml"
SNIFF_ORDER = 35
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise


_ROOT = "Publish"
_MARKER = b"<ContentItem"
_ITEMS = element_query("ContentItem")
# The fields read from each ContentItem, by element name.
_FIELDS = (
    "ContentItemID", "Headline", "Byline", "Credit", "ContentText", "Placeline", "EmbargoTime",
    "UpdateNote", "Keyword", "Category", "IndexCode", "UpdatedDateTime", "CreatedDateTime",
    "HoldFlag", "TrashFlag", "WritethruValue",
)  # fmt: skip
_FIELD_XPATH: dict[str, StringQuery] = {name: string_query(f"{name}/text()") for name in _FIELDS}
_PUBLISH_TIME = string_query("PublishDateTime/text()")
# Flags that take an item off the wire: held copy is withheld, trashed copy is withdrawn.
_STATUS_FLAGS: tuple[tuple[str, Status], ...] = (
    ("TrashFlag", "canceled"),
    ("HoldFlag", "withheld"),
)
# AP-style write-through notes (``CORRECTS: ...``, ``UPDATES: ...``) name what changed.
_CORRECTION_NOTE = re.compile(r"^\s*CORRECT", re.IGNORECASE)
_WRITETHRU = re.compile(r"[0-9]{1,4}")
_KEYWORD_SPLIT = re.compile(r"\s*,\s*")
_NO_DATE_BEFORE_YEAR = 1900


def can_parse(raw: bytes) -> bool:
    """Root ``Publish`` holding a ``ContentItem``."""
    return sniff_root(raw, _ROOT, _MARKER)


def parse(raw: bytes) -> list[ParsedItem]:
    """Every story in the document; escaped inline markup converted in every field (``parsers._inline``)."""
    return clean_items(_parse(raw))


def _parse(raw: bytes) -> list[ParsedItem]:
    root = parse_root(raw, _ROOT, "CP Publish XML")
    published = _date(_first_text(_PUBLISH_TIME(root)))
    items = [_item(content, published) for content in _ITEMS(root)]
    return [item for item in items if item.body]


def _first_text(values: list[str]) -> str:
    return " ".join(values[0].split()) if values else ""


def _date(text: str) -> datetime | None:
    """Naive CP times are UTC (``CreatedDateTime`` equals ``UpdatedDateTime``'s -04:00 time in UTC)."""
    value = assume_zone(parse_datetime(text), UTC)
    return value if value is not None and value.year >= _NO_DATE_BEFORE_YEAR else None


def _item(content: etree._Element, published: datetime | None) -> ParsedItem:
    field = {name: _first_text(xpath(content)) for name, xpath in _FIELD_XPATH.items()}
    raw_body = _FIELD_XPATH["ContentText"](content)
    note = field["UpdateNote"]
    return lift_item_lead_notes(  # ``(Updates ...)`` and ``By ...`` opening the text
        ParsedItem(
            source_format=FORMAT,
            guid=field["ContentItemID"] or None,
            headline=field["Headline"] or None,
            byline=field["Byline"] or None,
            dateline=ParsedDateline(place=field["Placeline"]) if field["Placeline"] else None,
            body=html_fragment_paragraphs(raw_body[0]) if raw_body else [],
            agencies=[field["Credit"]] if field["Credit"] else [],
            status=_status(field),
            embargo_until=_date(field["EmbargoTime"]),
            published_at=published or _date(field["CreatedDateTime"]),
            updated_at=_date(field["UpdatedDateTime"]),
            subjects=_unique([field["Category"], field["IndexCode"]]),
            keywords=_unique(_KEYWORD_SPLIT.split(field["Keyword"])),
            ednotes=[note] if note else [],
            signals=_signals(note, field["WritethruValue"]),
        )
    )


def _status(field: dict[str, str]) -> Status:
    for name, status in _STATUS_FLAGS:
        if field[name].lower() == "true":
            return status
    return "usable"


def _signals(note: str, writethru: str) -> list[str]:
    if note and _CORRECTION_NOTE.match(note):
        return ["correction"]
    if note or (_WRITETHRU.fullmatch(writethru) and int(writethru) > 0):
        return ["update"]
    return []


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
