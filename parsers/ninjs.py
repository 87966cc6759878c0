"""IPTC ninjs (News in JSON) 1.x and 2.x, including the AP Media API envelope around ninjs-shaped items.

Flavours differ in where they put things, so every field is looked up through an ordered list of places
(1.x ``headline`` / 2.x ``headlines``; ``body_html5`` (TT), ``body_html`` (Superdesk), ``body_text``,
2.x ``bodies``; ``guid`` / ``uri`` / AP ``altids.itemid``). Per the corpus conventions ``priority`` is not
urgency, and ``located`` is a dateline place only when it is not the byline spilling over (Superdesk's
360info output puts the author there). ``associations`` (photos and their captions) are ignored: in TT's
feed they belong to other stories. A text item without any body (AP Media API metadata) still yields a
record; pictures, audio, video and planning items yield nothing.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lxml import etree

from parsers._inline import unescaped
from parsers._jsonwire import (
    class_xpath,
    dicts,
    drop_elements,
    html_root,
    integer,
    json_sniff,
    parse_json_items,
    select,
    strings,
    text,
    unique,
    urgency,
)
from parsers._wiretext import lift_lead_notes, plain_text_paragraphs
from parsers.base import ParsedDateline, ParsedItem, ParseError, Status
from parsers.dates import parse_datetime
from parsers.markup import element_paragraphs, element_text

FORMAT = "ninjs"
SNIFF_ORDER = 15
SNIFF_OPENS = "{["  # JSON: registry skips it for documents opening otherwise

_SNIFF = re.compile(
    rb'"(?:versioncreated|firstcreated|body_html5?|body_text|bodies|headlines|representationtype)"\s*:'
    rb'|"api_version"\s*:'
)
_ITEM_KEYS = (
    "uri",
    "guid",
    "headline",
    "headlines",
    "body_html",
    "body_html5",
    "bodies",
    "body_text",
)
_LIST_KEYS = ("items", "_items")

#: body fields in order of preference; ``True`` marks HTML, ``False`` plain text.
_BODY_FIELDS: tuple[tuple[str, bool], ...] = (
    ("body_html5", True),
    ("body_html", True),
    ("body_text", False),
)
_STATUS: dict[str, Status] = {"usable": "usable", "canceled": "canceled", "withheld": "withheld"}
#: item types that never carry a text story.
_MEDIA_TYPES = frozenset({"picture", "audio", "video", "graphic", "planning", "event"})
#: subject relations that hold provider codes rather than subjects (AP one-letter categories).
_CODE_RELS = frozenset({"category"})
_HEADLINE_ROLES = ("main", "headline", None)

# Rendered bodies (TT body_html5) repeat the headline as <h1> and carry a label row (kicker "vignette",
# source) and in-body bylines; none of that is body text.
_NOT_BODY = etree.XPath(f"//h1 | //*[{class_xpath('dat', 'byline')}]")
_VIGNETTE = etree.XPath(f"//*[{class_xpath('vignette')}]")
_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")


def can_parse(raw: bytes) -> bool:
    """JSON whose first 8 KB holds ninjs keys (or the AP Media API envelope)."""
    return json_sniff(raw, _SNIFF)


def parse(raw: bytes) -> list[ParsedItem]:
    return parse_json_items(raw, "ninjs", _records, _item)


def _records(document: Any) -> list[dict[str, Any]]:
    """Items of a single ninjs object, a JSON list, an ``items`` list, or the AP Media API envelope
    (``data.item`` for one item, ``data.items[].item`` for a feed page)."""
    if isinstance(document, dict) and isinstance(document.get("data"), dict):
        document = document["data"]
        if isinstance(document.get("item"), dict):
            document = document["item"]
    if isinstance(document, dict):
        listed = next((document[k] for k in _LIST_KEYS if isinstance(document.get(k), list)), None)
        candidates = dicts(listed) if listed is not None else [document]
    elif isinstance(document, list):
        candidates = dicts(document)
    else:
        raise ParseError(f"ninjs document is a JSON {type(document).__name__}, not an object")
    candidates = [c["item"] if isinstance(c.get("item"), dict) else c for c in candidates]
    records = [c for c in candidates if any(key in c for key in _ITEM_KEYS)]
    if candidates and not records:
        raise ParseError("no ninjs item found (no uri, guid, headline or body)")
    return records


def _item(record: dict[str, Any]) -> ParsedItem | None:
    kind = text(record.get("type"))
    if kind in _MEDIA_TYPES:
        return None
    kicker, body = _body(record)
    if not body and kind != "text":
        return None
    headline = _headline(record)
    status = _STATUS.get((text(record.get("pubstatus")) or "usable").lower(), "usable")
    if not body and not headline and status == "usable":
        # A text item with nothing to read: most likely another JSON format forced or mis-sniffed as ninjs
        # (a Reuters Connect item spells ``headLine``/``bodyXhtml``). An empty record would be silent.
        raise ParseError(
            "ninjs text item has neither headline nor body (keys: "
            + ", ".join(sorted(record)[:12])
            + "); is it another JSON format?"
        )
    published, updated = _times(record)
    lead = lift_lead_notes(body)  # ``(Updates ...)`` and ``By ...`` opening the copy
    body = lead.body
    byline = _byline(record) or lead.byline
    return ParsedItem(
        source_format=FORMAT,
        guid=_guid(record),
        version=integer(record.get("version")),
        kicker=kicker,
        headline=headline,
        byline=byline,
        dateline=_dateline(text(record.get("located")), byline),
        body=body,
        agencies=_agencies(record),
        language=text(record.get("language")),
        urgency=urgency(record.get("urgency")),
        status=status,
        embargo_until=parse_datetime(text(record.get("embargoed"))),
        published_at=published,
        updated_at=updated,
        subjects=_subjects(record),
        keywords=unique(strings(record.get("keywords"))),
        ednotes=strings(record.get("ednote")) + lead.ednotes,
        signals=unique(strings(record.get("signals"))),
    )


def _guid(record: dict[str, Any]) -> str | None:
    """AP's ``altids.itemid`` is stable across versions (its ``uri`` carries a session token)."""
    altids = record.get("altids")
    if isinstance(altids, dict) and text(altids.get("itemid")):
        return text(altids.get("itemid"))
    return text(record.get("guid")) or text(record.get("uri"))


def _byline(record: dict[str, Any]) -> str | None:
    """1.x ``byline``, 2.x ``by``, else the first entry of a ``bylines`` list (TT, AP)."""
    for entry in [record, *dicts(record.get("bylines"))]:
        found = text(entry.get("byline")) or text(entry.get("by"))
        if found:
            return found
    return None


def _headline(record: dict[str, Any]) -> str | None:
    single = text(record.get("headline"))
    if single:
        return single
    headlines = dicts(record.get("headlines"))
    for role in _HEADLINE_ROLES:
        for headline in headlines:
            if headline.get("role") == role and text(headline.get("value")):
                return text(headline.get("value"))
    return text(headlines[0].get("value")) if headlines else None


def _body(record: dict[str, Any]) -> tuple[str | None, list[str]]:
    """(kicker found in a rendered body, paragraphs) from the first body field that has text."""
    for key, is_html in _BODY_FIELDS:
        value = text(record.get(key))
        if value:
            return _html_body(value) if is_html else (None, _text_paragraphs(value))
    bodies = dicts(record.get("bodies"))
    bodies.sort(key=lambda b: "html" not in (text(b.get("contenttype")) or "html"))
    for body in bodies:
        value = text(body.get("value"))
        if value:
            is_html = "html" in (text(body.get("contenttype")) or "html") and "<" in value
            return _html_body(value) if is_html else (None, _text_paragraphs(value))
    return None, []


def _html_body(markup: str) -> tuple[str | None, list[str]]:
    root = html_root(markup)
    if root is None:
        return None, []
    vignettes = select(_VIGNETTE, root)
    kicker = element_text(vignettes[0]) if vignettes else None
    drop_elements(select(_NOT_BODY, root))
    return kicker, element_paragraphs(root)


def _text_paragraphs(value: str) -> list[str]:
    """Plain-text bodies: blank lines separate paragraphs; without any, every line is one. A body that
    holds entity-escaped tags (``&lt;b&gt;``) is entity-escaped throughout (``AT&amp;T``)."""
    value = unescaped(value)
    laid_out = plain_text_paragraphs(value)
    if laid_out is not None:
        return laid_out
    chunks = _BLANK_LINES.split(value)
    if len(chunks) == 1:
        chunks = value.splitlines()
    return [p for p in (_SPACES.sub(" ", chunk).strip() for chunk in chunks) if p]


def _dateline(located: str | None, byline: str | None) -> ParsedDateline | None:
    """``located`` names where the story was written -- unless it merely repeats the byline's start
    (Superdesk/360info: located ``Aaron J. Staples, Michigan`` for byline ``Aaron J. Staples, Michigan
    State University``)."""
    if located is None:
        return None
    if byline and byline.casefold().startswith(located.casefold()):
        return None
    return ParsedDateline(place=located)


def _agencies(record: dict[str, Any]) -> list[str]:
    """``source`` (1.x), ``provider`` (AP), ``infosources`` (2.x); the copyright holder only when none."""
    provider = record.get("provider")
    names = strings(record.get("source")) + strings(provider)
    if isinstance(provider, dict):
        names += strings(provider.get("name"))
    names += [n for n in (text(s.get("name")) for s in dicts(record.get("infosources"))) if n]
    return unique(names) or strings(record.get("copyrightholder"))


def _subjects(record: dict[str, Any]) -> list[str]:
    names = []
    for subject in dicts(record.get("subject")) + dicts(record.get("subjects")):
        name = text(subject.get("name"))
        rels = subject.get("rels")
        if name and not (isinstance(rels, list) and _CODE_RELS.intersection(map(str, rels))):
            names.append(name)
    return unique(names)


def _times(record: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    version_created = parse_datetime(text(record.get("versioncreated")))
    first = (
        parse_datetime(text(record.get("firstpublished")))
        or parse_datetime(text(record.get("firstcreated")))
        or version_created
    )
    return first, version_created
