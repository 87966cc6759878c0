"""Reuters Connect API items (GraphQL JSON): ``{"data": {"item": {...}}}``, a search page
``{"data": {"search": {"items": [...]}}}``, a list of items, or one bare item object.

Field names are the API's own camel case (``uri``, ``usn``, ``versionedGuid``, ``versionCreated``,
``firstCreated``, ``headLine``, ``byLine``, ``bodyXhtml``, ``urgency``, ``language``, ``slug``,
``subject`` = ``[{code, name}]``, ``credit``, ``pubStatus``). ``bodyXhtml`` is an XHTML document whose
paragraphs are the body; the first may open with a wire dateline (``April 14 (Reuters) -``), which the
normalizer reads. Items without a text body (pictures, video) yield nothing. The item's credit names the
agency; the API delivers Reuters copy, so Reuters is credited when it names none. A JSON document that holds
no item of this shape is refused with a reason, never turned into an empty record.
"""

from __future__ import annotations

import re
from typing import Any

from parsers._jsonwire import (
    candidate_objects,
    dicts,
    html_root,
    integer,
    json_sniff,
    parse_json_items,
    strings,
    text,
    unique,
    urgency,
    with_keys,
)
from parsers.base import ParsedItem, ParseError, Status
from parsers.dates import parse_datetime
from parsers.markup import element_paragraphs

FORMAT = "reutersconnect"
SNIFF_ORDER = 12  # before ninjs: the camel-case keys below are this API's own
SNIFF_OPENS = "{["  # JSON: registry skips it for documents opening otherwise

_SNIFF = re.compile(rb'"(?:headLine|bodyXhtml|versionedGuid|byLine)"\s*:')
_ITEM_KEYS = ("uri", "usn", "versionedGuid", "headLine", "bodyXhtml")
_STATUS: dict[str, Status] = {"usable": "usable", "canceled": "canceled", "withheld": "withheld"}
_VERSION_SUFFIX = re.compile(r":(\d{1,9})$")
DEFAULT_AGENCY = "Reuters"


def can_parse(raw: bytes) -> bool:
    """JSON whose first 8 KB uses the API's distinctive camel-case keys."""
    return json_sniff(raw, _SNIFF)


def parse(raw: bytes) -> list[ParsedItem]:
    return parse_json_items(raw, "Reuters Connect", _items, _item)


def _items(document: Any) -> list[dict[str, Any]]:
    """The item objects wherever the API's envelopes put them."""
    if (
        isinstance(document, dict)
        and isinstance(document.get("errors"), list)
        and "data" not in document
    ):
        messages = [text(e.get("message")) or "?" for e in dicts(document["errors"])]
        raise ParseError(f"Reuters Connect answer holds only errors: {'; '.join(messages)[:200]}")
    data = document.get("data") if isinstance(document, dict) else None
    if isinstance(data, dict):
        if isinstance(data.get("item"), dict):
            candidates = [data["item"]]
        elif isinstance(data.get("search"), dict):
            candidates = dicts(data["search"].get("items"))
        else:
            candidates = []
    else:
        candidates = candidate_objects(document, "Reuters Connect")
    searched = isinstance(data, dict) and "search" in data
    return with_keys(candidates, _ITEM_KEYS, "Reuters Connect item", empty_ok=searched)


def _item(item: dict[str, Any]) -> ParsedItem | None:
    root = html_root(text(item.get("bodyXhtml")))
    body = element_paragraphs(root) if root is not None else []
    headline = text(item.get("headLine"))
    if not body and text(item.get("type")) not in (None, "text"):
        return None  # picture / video / graphic: no text story
    if not body and headline is None:
        return None
    version_created = parse_datetime(text(item.get("versionCreated")))
    return ParsedItem(
        source_format=FORMAT,
        guid=text(item.get("uri")) or text(item.get("usn")),
        version=_version(item),
        headline=headline,
        caption=text(item.get("caption")),
        byline=text(item.get("byLine")),
        body=body,
        agencies=_agencies(item),
        language=text(item.get("language")),
        urgency=urgency(item.get("urgency")),
        status=_status(item),
        published_at=parse_datetime(text(item.get("firstCreated"))) or version_created,
        updated_at=version_created,
        subjects=unique(
            [s for s in (text(d.get("name")) for d in dicts(item.get("subject"))) if s]
        ),
        keywords=strings(item.get("keyword")) + strings(item.get("slug")),
    )


def _version(item: dict[str, Any]) -> int | None:
    """``version`` when given, else the number ending ``versionedGuid`` (``...RC2EQZ9KEA2R:3``)."""
    number = integer(item.get("version"))
    if number is not None:
        return number
    match = _VERSION_SUFFIX.search(text(item.get("versionedGuid")) or "")
    return int(match.group(1)) if match else None


def _agencies(item: dict[str, Any]) -> list[str]:
    credit = text(item.get("credit"))
    if credit:
        return unique([part.strip() for part in credit.split("/") if part.strip()])
    return [DEFAULT_AGENCY]


def _status(item: dict[str, Any]) -> Status:
    value = text(item.get("pubStatus"))
    if value is None:
        return "usable"
    return _STATUS.get(value.rsplit(":", 1)[-1].lower(), "usable")
