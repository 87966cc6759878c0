"""NITF 3.x (News Industry Text Format): one story per document.

Where NITF says what: headline in ``body.head/hedline/hl1`` (``head/title`` is only the fallback, it is
often a slug), item metadata in ``head/docdata`` (id, ``du-key`` version, urgency, management status,
dates, editorial message), author in ``byline``, the structured dateline in ``body.head/dateline``, the
credit in ``distributor`` or the copyright holder. ``abstract`` is a teaser held apart from the body and is
never body text. DOCTYPEs are never loaded (``parsers.xmlsafe``); entity declarations are refused.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from parsers._inline import clean_items
from parsers._placeholders import is_placeholder, real
from parsers._wiretext import lift_lead_notes
from parsers.base import ParsedDateline, ParsedItem, ParseError, Status
from parsers.dates import parse_datetime
from parsers.markup import element_paragraphs, element_text, remove_keeping_tail
from parsers.xmlsafe import (
    element_query,
    fold_name,
    local_name,
    parse_xml,
    sniff_root,
    string_query,
)

FORMAT = "nitf"
SNIFF_ORDER = 30
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise


_HL1 = element_query("body/body.head/hedline/hl1")
_TITLE = element_query("head/title")
_DOCDATA = element_query("head/docdata")
# CP puts <urgency> beside docdata instead of inside it; both places are the item's own field.
_URGENCY = string_query("head/docdata/urgency/@ed-urg | head/urgency/@ed-urg")
_DOC_ID = string_query("head/docdata/doc-id/@id-string")
_DU_KEY = element_query("head/docdata/du-key")
_ISSUE = string_query("head/docdata/date.issue/@norm")
_RELEASE = string_query("head/docdata/date.release/@norm")
_PUBLICATION = string_query("head/pubdata/@date.publication")
_ED_MSG = string_query("head/docdata/ed-msg/@info")
_COPYRIGHT_HOLDER = string_query("head/docdata/doc.copyright/@holder")
_KEYWORDS = string_query(
    "head/docdata/key-list/keyword/@key | head/docdata/key-list/keyword/text()"
)
_SUBJECTS = string_query("head/tobject/tobject.subject/@tobject.subject.refnum")
_BODY_HEAD = element_query("body/body.head")
_TEXTS = string_query(".//text()")
_BYLINE_TEXT = string_query(".//text()[not(ancestor::byttl)]")
_BYTTL = element_query("byline/byttl")
_BYLINE = element_query("byline")
_DISTRIBUTOR = element_query("distributor")
_DATELINE = element_query("dateline")
_LOCATION = element_query("location")
_STORY_DATE = element_query("story.date")
_HEAD_NOTES = element_query("note")
_BODY_CONTENT = element_query("body/body.content")
_BODY_END = element_query("body/body.end")
# Notes the desk must read but never print: non-publishable advisories and editors' notes.
_EDITORIAL_NOTES = element_query(".//note[@type='npa' or @noteclass='editorsnote']")
_MEDIA_CAPTION = element_query(".//media[not(@media-type) or @media-type='image']/media-caption")

_STATUS: dict[str, Status] = {
    "canceled": "canceled",
    "cancelled": "canceled",
    "withheld": "withheld",
}
_EMBARGOED = "embargoed"
# Trailing sign-off lines agencies put after the story: PA's ``ends``, AAP's desk + initials.
_SIGN_OFFS = (
    re.compile(r"^ends?$", re.IGNORECASE),
    re.compile(r"^(?:-0-|-30-|#{3})$"),
    re.compile(r"^AAP(?: [A-Z]{2,4})+ [a-z]{1,3}$"),
)
# A byline that is only editors' initials (EFE ``gr/bp``) is a sign-off, not an author.
_INITIALS_BYLINE = re.compile(r"^[a-z]{1,4}(?:/[a-z]{1,4})+$")
_PLACE_PUNCT = re.compile(r"^[\s,;/-]+|[\s,;/-]+$")
_SMALL_INT = re.compile(r"[0-9]{1,6}")
# A tag with a capital or an underscore in the bytes: names to canonicalise (an exporter that capitalises
# attribute names capitalises the tags too).
_CAPITAL_TAG = re.compile(rb"</?[a-z0-9.:-]*[A-Z_]")
# NITF names holding a separator (the DTD's spelling), keyed by their folded form (``fold_name``).
_COMPOUND_TAGS = {
    fold_name(name): name
    for name in (
        "body.head", "body.content", "body.end", "doc-id", "del-list", "doc-scope", "ed-msg", "du-key",
        "date.issue", "date.release", "date.expire", "doc.copyright", "doc.rights", "key-list",
        "identified-content", "story.date", "tobject.subject", "tobject.property", "media-caption",
        "media-reference", "media-metadata", "media-producer", "media-object", "object.title",
        "virtloc", "chron", "func", "org", "person", "location", "revision-history",
    )
}  # fmt: skip
_COMPOUND_ATTRIBUTES = {
    fold_name(name): name
    for name in (
        "id-string", "ed-urg", "management-status", "management-doc-idref", "date.publication",
        "tobject.subject.refnum", "tobject.subject.type", "tobject.type", "tobject.property.type",
        "media-type", "info", "holder", "norm", "key", "version", "baselang", "noteclass", "type",
    )
}  # fmt: skip
_LANGUAGE = re.compile(r"^([a-zA-Z]{2})(?:[-_]|$)")


def can_parse(raw: bytes) -> bool:
    """Root element ``nitf`` in any letter case (with or without the NITF namespace)."""
    return sniff_root(raw, "nitf", any_case=True)


def parse(raw: bytes) -> list[ParsedItem]:
    """Every story in the document; escaped inline markup converted in every field (``parsers._inline``)."""
    return clean_items(_parse(raw))


def _parse(raw: bytes) -> list[ParsedItem]:
    root = parse_xml(raw)
    if local_name(root).lower() != "nitf":
        raise ParseError(f"not NITF: root element is <{local_name(root)}>, expected <nitf>")
    if b"xmlns" in raw or _CAPITAL_TAG.search(raw):
        canonical_nitf_tags(root)
    item = _item(root)
    if not item.body and item.status != "canceled":
        return []  # no text story (photo or metadata-only NITF); a kill notice is kept even when empty
    return [item]


def canonical_nitf_tags(root: etree._Element) -> None:
    """(Run only when the bytes hold a namespace or a tag with a capital or an underscore.) Plain lower-case names: NITF 3.5+ may sit in the IPTC namespace, and every NITF element and
    attribute name is lower case in the DTD, so ``<HL1>``, ``<Body.Content>`` or ``ID-STRING`` from a
    hand-rolled exporter is read as the name it means; a compound name with its separator swapped or
    dropped (``<body_content>``, ``<body-head>``, ``<docid>``, ``id_string``) is the DTD's."""
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag.startswith("{") or not tag.islower() or "_" in tag:
            local = local_name(element).lower()
            element.tag = _COMPOUND_TAGS.get(fold_name(local), local)
        for raw_key in element.keys():  # noqa: SIM118 (iterating an lxml element yields its children)
            key = str(raw_key)
            if key.startswith("{") or (key.islower() and "_" not in key):
                continue  # xml:lang and the like, or already the DTD's spelling
            lowered = key.lower()
            wanted = _COMPOUND_ATTRIBUTES.get(fold_name(lowered), lowered)
            if element.get(wanted) is None:
                element.set(wanted, element.attrib.pop(key))


def _item(root: etree._Element) -> ParsedItem:
    docdata = _first(_DOCDATA(root))
    status_value = (docdata.get("management-status", "") if docdata is not None else "").lower()
    version, guid = _version_and_guid(root)
    body_head = _first(_BODY_HEAD(root))
    content = _first(_BODY_CONTENT(root))
    ednotes = [note for note in (_collapse(m) for m in _ED_MSG(root)) if note]
    if body_head is not None:
        ednotes += _take_notes(_HEAD_NOTES(body_head))
    if content is not None:
        ednotes += _take_notes(_EDITORIAL_NOTES(content))
    lead = lift_lead_notes(_body(root, content))
    return ParsedItem(
        source_format=FORMAT,
        guid=guid,
        version=version,
        headline=_headline(root),
        caption=element_text(_first(_MEDIA_CAPTION(content))) if content is not None else None,
        byline=_byline(body_head) or lead.byline,
        dateline=_dateline(body_head),
        body=lead.body,
        agencies=_agencies(root, body_head),
        language=_language(root.get("baselang")),
        urgency=_urgency(_URGENCY(root)),
        status=_STATUS.get(status_value, "usable"),
        embargo_until=_first_date(_RELEASE(root)) if status_value == _EMBARGOED else None,
        published_at=_first_date(_ISSUE(root)) or _first_date(_PUBLICATION(root)),
        subjects=_unique(_SUBJECTS(root)),
        keywords=_unique(_KEYWORDS(root)),
        ednotes=ednotes + lead.ednotes,
        signals=_signals(docdata, version),
    )


def _first(elements: list[etree._Element]) -> etree._Element | None:
    return elements[0] if elements else None


def _collapse(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        text = _collapse(value)
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _headline(root: etree._Element) -> str | None:
    """``hl1`` is the published headline; ``title`` is often a slug (PA ``1 POLITICS UnitedKingdom``)."""
    for element in (*_HL1(root), *_TITLE(root)):
        text = element_text(element)
        if text:
            return text
    return None


def _version_and_guid(root: etree._Element) -> tuple[int | None, str | None]:
    """``du-key@version`` is the revision; the guid is the doc-id, minus a revision suffix when the
    doc-id is just the du-key plus a counter (NTB ``<key>_47``). A bare du-key is not used as guid: some
    agencies fill it with a slug (Ritzau via NTB: ``NU-FLASH-K``) that many stories share."""
    du_key = _first(_DU_KEY(root))
    version = _positive_int(du_key.get("version") if du_key is not None else None)
    doc_id = next((_collapse(v) for v in _DOC_ID(root) if v.strip()), None)
    key = _collapse(du_key.get("key")) if du_key is not None else ""
    if doc_id and key and re.fullmatch(re.escape(key) + r"[_:.-]\d+", doc_id):
        return version, key
    return version, doc_id


def _positive_int(text: str | None) -> int | None:
    match = _SMALL_INT.fullmatch(text.strip()) if text else None
    value = int(match.group()) if match else 0
    return value if value > 0 else None


def _urgency(values: list[str]) -> int | None:
    for value in values:
        number = _positive_int(value)
        if number is not None and 1 <= number <= 8:
            return number
    return None


def _first_date(values: list[str]) -> datetime | None:
    for value in values:
        try:
            parsed = parse_datetime(value)
        except OverflowError:  # year 1 or 9999 shifted out of range by its offset
            continue
        if parsed is not None:
            return parsed
    return None


def _language(baselang: str | None) -> str | None:
    match = _LANGUAGE.match(baselang.strip()) if baselang else None
    return match.group(1).lower() if match else None


def _byline(body_head: etree._Element | None) -> str | None:
    """Author names without the ``byttl`` title; the title alone when that is all there is."""
    if body_head is None:
        return None
    for byline in _BYLINE(body_head):
        text = _collapse(" ".join(_BYLINE_TEXT(byline)))
        if text and not _INITIALS_BYLINE.match(text):
            return text
    titles = [element_text(t) for t in _BYTTL(body_head)]
    return next((t for t in titles if t), None)


def _dateline(body_head: etree._Element | None) -> ParsedDateline | None:
    """``<dateline><location><city>X</city>, <state>Y</state></location>`` or plain ``<dateline>X``."""
    if body_head is None:
        return None
    dateline = _first(_DATELINE(body_head))
    if dateline is None:
        return None
    location = _first(_LOCATION(dateline))
    story_date = _first(_STORY_DATE(dateline))
    place = real(_place(location) if location is not None else _plain_place(dateline))
    date = (element_text(story_date) or story_date.get("norm")) if story_date is not None else None
    if not place and not date:
        return None
    return ParsedDateline(place=place or None, date=date or None)


def _place(location: etree._Element) -> str | None:
    """Join the parts (city, state, country ...) with commas, whatever the markup put between them."""
    parts = [_PLACE_PUNCT.sub("", _collapse(text)) for text in _TEXTS(location)]
    return ", ".join(part for part in parts if not is_placeholder(part)) or None


def _plain_place(dateline: etree._Element) -> str | None:
    """Text directly in ``<dateline>``, without the ``story.date`` child."""
    pieces = [dateline.text or ""]
    for child in dateline:
        if local_name(child) != "story.date":
            pieces.append("".join(_TEXTS(child)))
        pieces.append(child.tail or "")
    return _PLACE_PUNCT.sub("", _collapse(" ".join(pieces))) or None


def _take_notes(notes: list[etree._Element]) -> list[str]:
    """Editorial notes' text, removing each note from the tree so it cannot reach the body."""
    texts = []
    for note in notes:
        text = element_text(note)
        if text:
            texts.append(text)
        remove_keeping_tail(note)
    return texts


def _body(root: etree._Element, content: etree._Element | None) -> list[str]:
    """``body.content`` paragraphs, then ``body.end`` (tagline), minus trailing sign-off lines."""
    paragraphs = element_paragraphs(content) if content is not None else []
    for end in _BODY_END(root):
        paragraphs += element_paragraphs(end)
    while paragraphs and any(p.match(paragraphs[-1]) for p in _SIGN_OFFS):
        paragraphs.pop()
    return paragraphs


def _agencies(root: etree._Element, body_head: etree._Element | None) -> list[str]:
    """The distributor as written; the copyright holder when there is no (non-empty) distributor."""
    if body_head is not None:
        distributors = [element_text(d) for d in _DISTRIBUTOR(body_head)]
        found = [d for d in distributors if d]
        if found:
            return found
    return _unique(_COPYRIGHT_HOLDER(root))[:1]


def _signals(docdata: etree._Element | None, version: int | None) -> list[str]:
    """``update`` when the document names the one it replaces or is a later du-key version."""
    refers_back = docdata is not None and bool(_collapse(docdata.get("management-doc-idref")))
    return ["update"] if refers_back or (version is not None and version > 1) else []
