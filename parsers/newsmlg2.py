"""IPTC NewsML-G2: ``newsMessage`` envelopes, bare ``newsItem``/``packageItem`` roots, and ``contentSet`` fragments.

One ``ParsedItem`` per text ``newsItem``. Pictures, video, audio, graphics, ``conceptItem``/``knowledgeItem``/
``planningItem`` carry no text story and yield nothing. A ``packageItem`` is one of three things:

- a story package (it references at least one text item directly, e.g. a Reuters ``pmt:composite`` with its
  own headline and byline): one item with ``body == []`` listing the referenced text items in ``related``;
- a link list (it references only other packages, e.g. Reuters' ranked ``OUSTPM Link List``): read like a
  feed of headlines, one body-less entry per referenced package that has a headline, in group order. An
  entry's guid is ``LIST-GUID#REFERENCED-GUID`` (stable across re-sends of the list, never the referenced
  package's own guid, so the package still arrives as its own item with its own version); its version,
  status and times are the reference's; an ``ednotes`` line names the list and the referenced item;
- an empty stub (no reference with a headline): nothing.

Agencies differ in where they put things; the differences are tables below (headline roles, signal codes,
ednote roles, XHTML classes), not branches in the code. Namespaces are dropped right after parsing, because
the same elements arrive as ``ns0:``-prefixed, default-namespaced, NITF-namespaced or namespace-less XML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from lxml import etree

from parsers._inline import clean_items
from parsers._placeholders import is_placeholder, real
from parsers._wiretext import ends_lead_line, lift_lead_notes, plain_text_paragraphs
from parsers.base import ParsedDateline, ParsedItem, ParsedRelated, ParseError, Status
from parsers.dates import parse_datetime
from parsers.limits import MAX_ITEMS_PER_DOCUMENT
from parsers.markup import SKIP_TAGS, element_paragraphs, element_text, remove_keeping_tail
from parsers.xmlsafe import (
    canonical_tags,
    fold_name,
    has_attribute_variant,
    parse_xml,
    spelling_table,
    xml_root_name,
)

FORMAT = "newsmlg2"
SNIFF_ORDER = 20
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise

_ITEM_ROOTS = frozenset({"newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem"})
_ROOTS = _ITEM_ROOTS | {"newsMessage", "contentSet"}
_ROOTS_BY_FOLD = {name.lower(): name for name in _ROOTS}
_G2_MARKERS = (b"iptc.org/std/nar/", b"newsml-g2")
_CONTENT_MARKERS = (b"<inlinexml", b"<inlinedata", b"<remotecontent")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# G2 element names as the specification spells them (camelCase); case variants (``<Headline>``,
# ``<ContentMeta>``, ``<inlineXml>``) are read as these. Markup inside inline content keeps its names.
_SPELLINGS = spelling_table(
    (
        "newsMessage", "header", "sent", "sender", "transmitId", "priority", "origin", "timestamp",
        "itemSet", "newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem", "catalogRef",
        "rightsInfo", "copyrightHolder", "copyrightNotice", "usageTerms", "itemMeta", "itemClass",
        "provider", "versionCreated", "firstCreated", "embargoed", "pubStatus", "role", "fileName",
        "generator", "profile", "service", "title", "edNote", "memberOf", "instanceOf", "signal",
        "altRep", "deliverableOf", "hash", "expires", "link", "contentMeta", "icon", "urgency",
        "contentCreated", "contentModified", "located", "infoSource", "creator", "contributor",
        "audience", "exclAudience", "altId", "originalTransmissionRef", "rating", "userInteraction",
        "language", "genre", "keyword", "subject", "slugline", "headline", "dateline", "by", "creditline",
        "description", "name", "definition", "note", "facet", "related", "broader", "narrower",
        "contentSet", "inlineXML", "inlineData", "remoteContent", "groupSet", "group", "itemRef",
        "partMeta", "assert", "inlineRef",
    ),
    # attributes the parser reads, lower case in the specification; exporters send ``QCode``,
    # ``contentType``, ``residRef``, ``guidRef``
    ("qcode", "uri", "literal", "role", "rendition", "contenttype", "href", "residref", "guidref", "guid",
     "version", "rel", "type", "standard", "standardversion", "rank", "format", "creator", "modified",
     "contentrefs", "sizeinbytes", "wordcount", "validfrom", "validto", "tag"),
)  # fmt: skip
_OPAQUE = frozenset({"inlineXML", "inlineData"})
# The attribute whose case variants (``QCode``) are looked for in the bytes: an exporter that changes the
# case of attribute names (``contentType``, ``Rendition``) changes this one, the commonest, too.
_VARIANT_PROBES = ("qcode",)

# itemClass codes (the part after the scheme) that carry no text story.
_NON_TEXT_CLASSES = frozenset(
    {
        "picture",
        "graphic",
        "video",
        "audio",
        "animated",
        "interactive",
        "concept",
        "planning",
        "event",
    }
)
_TEXT_CLASSES = frozenset({"text", "composite"})

# pubStatus code -> status; anything else is usable.
_STATUS: dict[str, Status] = {
    "canceled": "canceled",
    "cancelled": "canceled",
    "withheld": "withheld",
}

# Signal qcodes that mean something to the desk; routing/product signals (prodId, pmt, sig:routing ...) do not.
_SIGNALS: dict[str, str] = {
    "sig:correction": "correction",
    "sig:update": "update",
    "sig:repeat": "repeat",
    "update:append-major-content": "update",
    "edStat:C": "correction",  # Reuters editorial status: Correction
    "edStat:U": "update",  # Reuters editorial status: Update
    "tt_sig:replace": "update",  # TT: rewrite that replaces the referenced item
}

# edNote roles (suffix after the scheme) that are not notes: dpa's XHTML notepad repeats the single-role
# notes; closing lines (``dpa alv aae xxzz``, APA ``Schluss``, Kathpress ``(ende)``) are sign-offs.
_SKIPPED_EDNOTE_ROLES = frozenset({"notepad", "closingline", "closing"})

# Headline roles (suffix after the scheme, lower-cased). No role means main headline.
_MAIN_HEADLINE_ROLES = frozenset({"main", "title", "headline", "hl1"})
_KICKER_HEADLINE_ROLES = frozenset({"kicker", "overline", "dachzeile", "catchline"})
# dpa (and its digitalwires converter) write the kicker as an unroled ``headline rank="3"``.
_KICKER_RANKS = frozenset({"3"})

# XHTML classes that are not body text: dpa teaser/genre line/byline in the article header, slug lists.
_SKIPPED_CLASSES = frozenset(
    {"teaser", "genre", "genrenote", "byline", "slugline", "embargoed", "publicationDate"}
)
_HIDDEN_TAGS = frozenset({"head", "header"})
_NOTE_TAGS = frozenset({"p", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})

# contentSet renditions that are not the story text (dpa's IPTC 7901 headline/teaser/notepad renditions).
_SKIPPED_RENDITION_SUFFIXES = (
    "headline", "teaser", "public", "nonpublic", "notepad", "stylesheet", "style", "logo", "contact",
    "contacts", "tweettext", "tweet", "caption", "abstract", "summary", "description", "preview",
    "disclaimer", "boilerplate", "signature", "cutline",
)  # fmt: skip
# Renditions that name the story text itself: picked before any other part of the content set.
_STORY_RENDITIONS = frozenset(
    {"main", "body", "text", "story", "article", "fulltext", "bodytext", "maintext", "storytext"}
)
_NOT_TEXT_TYPES = ("text/css", "text/javascript", "application/javascript")
_PLAIN_TYPES = ("text/plain", "text/html", "text/xhtml", "application/xhtml")

_ISO639_2 = {
    "swe": "sv", "fin": "fi", "deu": "de", "ger": "de", "eng": "en", "fra": "fr", "fre": "fr",
    "ita": "it", "nor": "no", "nob": "no", "nno": "no", "dan": "da", "spa": "es", "nld": "nl",
    "dut": "nl", "por": "pt", "pol": "pl", "rus": "ru", "ara": "ar", "tur": "tr", "ell": "el",
}  # fmt: skip

_X_ITEM_CLASS = etree.XPath("string(itemMeta/itemClass/@qcode)")
_X_PUB_STATUS = etree.XPath("string(itemMeta/pubStatus/@qcode)")
_X_EMBARGO = etree.XPath("itemMeta/embargoed")
_X_SIGNALS = etree.XPath("itemMeta/signal/@qcode")
_X_EDNOTES = etree.XPath("itemMeta/edNote")
_X_ITEM_TITLE = etree.XPath("itemMeta/title")
_X_URGENCY = etree.XPath("string(contentMeta/urgency)")
_X_HEADLINES = etree.XPath("contentMeta/headline")
_X_LOCATED = etree.XPath("contentMeta/located")
_X_DATELINE = etree.XPath("contentMeta/dateline")
_X_BY = etree.XPath("contentMeta/by")
_X_CREDITLINES = etree.XPath("contentMeta/creditline")
_X_PROVIDER = etree.XPath("itemMeta/provider")
_X_INFO_SOURCES = etree.XPath("contentMeta/infoSource")
_X_SUBJECTS = etree.XPath("contentMeta/subject")
_X_KEYWORDS = etree.XPath("contentMeta/keyword")
_X_LANGUAGE = etree.XPath("string(contentMeta/language/@tag)")
_X_ITEM_REFS = etree.XPath(".//itemRef")
_X_LINKS = etree.XPath("itemMeta/link[@guidref]")
# Links that name an earlier version of this story (STT links its update to the original without a rel).
_REPLACE_RELS = frozenset({"", "irel:previousversion", "irel:replaces", "irel:supersedes"})

_INFO_SOURCE_ROLES = frozenset({"origProv", "source", "originfo"})
_TIME_PARTS = frozenset({"firstCreated", "contentCreated", "versionCreated", "contentModified"})

_DATELINE_WITH_CREDIT = re.compile(r"^(?P<place>[^()]*?)\s*\((?P<credit>[^()]+)\)\s*[-–—:]*\s*$")
_DISCLAIMER = re.compile(r"^\*{3}.*\*{3}$", re.DOTALL)
_ESCAPED_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|quot|amp|apos|lt|gt|nbsp);")
_DASH_RULE = re.compile(r"[-=_*]{4,}")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|h[1-6])\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TRAILING_DASHES = re.compile(r"[\s\-–—]+$")


# --- sniffing ----------------------------------------------------------------------------------------------


def can_parse(raw: bytes) -> bool:
    """G2 root element (by local name) plus the G2 namespace or NewsML-G2 marker near the top."""
    try:
        name = xml_root_name(raw)
    except Exception:  # sniffing must never raise
        return False
    if name not in _ROOTS:
        name = _ROOTS_BY_FOLD.get(name.lower()) if name else None  # ``<NewsItem>``: a case variant
        if name is None:
            return False
    head = raw[:8192].lower()
    if name == "contentSet":
        return any(marker in head for marker in _CONTENT_MARKERS)
    return any(marker in head for marker in _G2_MARKERS)


# --- entry point -------------------------------------------------------------------------------------------


def parse(raw: bytes) -> list[ParsedItem]:
    """Every text story in the document, in document order."""
    root = parse_xml(raw)
    canonical_tags(
        root, _SPELLINGS, _OPAQUE, attributes=has_attribute_variant(raw, _VARIANT_PROBES)
    )
    name = root.tag
    if name == "contentSet":
        return _from_content_set(root)
    if name == "newsMessage":
        elements = list(_message_items(root))
    elif name in _ITEM_ROOTS:
        elements = [root]
    else:
        raise ParseError(f"not a NewsML-G2 document: root element is <{name}>")
    if len(elements) > MAX_ITEMS_PER_DOCUMENT:
        raise ParseError(
            f"newsMessage holds {len(elements)} items, over the limit of {MAX_ITEMS_PER_DOCUMENT}"
        )
    items: list[ParsedItem] = []
    for element in elements:
        handler = _ITEM_HANDLERS.get(element.tag)
        if handler is not None:
            items.extend(handler(element))
    return clean_items(items)


def _message_items(root: etree._Element) -> Iterator[etree._Element]:
    """Items of a newsMessage: normally inside ``itemSet``, tolerated directly under the root."""
    for child in root:
        if child.tag == "itemSet":
            yield from (item for item in child if item.tag in _ITEM_ROOTS)
        elif child.tag in _ITEM_ROOTS:
            yield child


# --- items -------------------------------------------------------------------------------------------------


def _news_item(element: etree._Element) -> ParsedItem | None:
    item_class = _code(str(_X_ITEM_CLASS(element)))
    if item_class in _NON_TEXT_CLASSES:
        return None
    item = _metadata(element)
    content = element.find("contentSet")
    if content is not None:
        _apply_content(item, _content(content, _headline_texts(element)))
    if item.headline is None:
        item.headline = element_text(_first(_nodes(_X_ITEM_TITLE, element)))
    has_story = bool(item.body or item.headline)
    if not has_story and item_class not in _TEXT_CLASSES and item.status == "usable":
        return None
    return item


def _package_item(element: etree._Element) -> list[ParsedItem]:
    """A story package becomes a body-less item listing its text items, a link list one entry per listed
    package (see the module docstring); stubs yield nothing."""
    refs = _nodes(_X_ITEM_REFS, element)
    # an untyped news item counts when it is named (a stub's bare reference is no story)
    text_refs = [
        ref
        for ref in refs
        if _ref_class(ref) == "text" or (_ref_class(ref) == "" and _ref_title(ref) is not None)
    ]
    if not text_refs:
        return _link_list_entries(element, refs)
    item = _metadata(element)
    item.dateline = None  # a package has no text of its own; its ``located`` is the editing desk
    if item.headline is None:
        item.headline = element_text(_first(_nodes(_X_ITEM_TITLE, element)))
    for ref in text_refs:
        title = _ref_title(ref)
        if title:
            href = ref.get("href") or ref.get("residref") or ""
            url = href if href.startswith(("http://", "https://")) else None
            item.related.append(ParsedRelated(title=title, url=url))
    return [item]


def _ref_title(ref: etree._Element) -> str | None:
    return element_text(ref.find("headline")) or element_text(ref.find("title"))


def _ref_class(ref: etree._Element) -> str:
    """A reference's item class: its ``itemClass`` code, else ``composite`` for a package by its content
    type, else ``""`` (G2 makes ``itemClass`` optional: a news item of unknown class may be the text)."""
    code = _code(_attr(ref.find("itemClass"), "qcode"))
    if code:
        return code
    return "composite" if "packageitem" in (ref.get("contenttype") or "").lower() else ""


def _link_list_entries(element: etree._Element, refs: list[etree._Element]) -> list[ParsedItem]:
    """One headline entry per package a link list references (pictures, video etc. are skipped)."""
    listed = [
        ref
        for ref in refs
        if _ref_class(ref) == "composite"
        and (ref.get("residref") or ref.get("href"))
        and _ref_title(ref)
    ]
    if not listed:
        return []
    list_guid = element.get("guid") or None
    list_name = (
        _headlines(element)[0] or element_text(_first(_nodes(_X_ITEM_TITLE, element))) or list_guid
    )
    agencies = _agencies(element)
    language = _language(str(_X_LANGUAGE(element)) or element.get(_XML_LANG))
    entries = []
    for ref in listed:
        reference = ref.get("residref") or ref.get("href") or ""
        version = _int(ref.get("version"))
        times = {
            child.tag: parsed
            for child in ref
            if child.tag in _TIME_PARTS and (parsed := parse_datetime(child.text)) is not None
        }
        listed_as = f"{reference} version {version}" if version is not None else reference
        entries.append(
            ParsedItem(
                source_format=FORMAT,
                guid=f"{list_guid}#{reference}" if list_guid else None,
                version=version,
                headline=_ref_title(ref),
                agencies=list(agencies),
                language=language,
                status=_STATUS.get(_code(_attr(ref.find("pubStatus"), "qcode")), "usable"),
                published_at=times.get("firstCreated") or times.get("versionCreated"),
                updated_at=times.get("versionCreated"),
                ednotes=[f"Headline listed in {list_name}; the item itself is {listed_as}"]
                if list_name
                else [f"Headline of a link list; the item itself is {listed_as}"],
            )
        )
    return entries


def _metadata(element: etree._Element) -> ParsedItem:
    """Everything an item says outside its content: ids, status, urgency, headline, credits, topics."""
    headline, kicker = _headlines(element)
    times = _times(element)
    return ParsedItem(
        source_format=FORMAT,
        guid=element.get("guid") or None,
        version=_int(element.get("version")),
        kicker=kicker,
        headline=headline,
        byline=_byline(element),
        dateline=_metadata_dateline(element),
        agencies=_agencies(element),
        language=_language(str(_X_LANGUAGE(element)) or element.get(_XML_LANG)),
        urgency=_urgency(str(_X_URGENCY(element))),
        status=_STATUS.get(_code(str(_X_PUB_STATUS(element))), "usable"),
        embargo_until=parse_datetime(element_text(_first(_nodes(_X_EMBARGO, element)))),
        published_at=times.get("firstCreated")
        or times.get("contentCreated")
        or times.get("versionCreated"),
        updated_at=times.get("versionCreated") or times.get("contentModified"),
        subjects=_subjects(element),
        keywords=_unique(element_text(k) for k in _nodes(_X_KEYWORDS, element)),
        ednotes=_ednotes(element),
        signals=_unique(_SIGNALS.get(code) for code in _strings(_X_SIGNALS, element)),
        replaces=_replaces(element),
    )


def _replaces(element: etree._Element) -> list[str]:
    """Guids of earlier versions this item supersedes (``itemMeta/link`` without rel or with a replace rel)."""
    own = element.get("guid")
    found: list[str] = []
    for link in _nodes(_X_LINKS, element):
        guid = (link.get("guidref") or "").strip()
        if guid and guid != own and (link.get("rel") or "").strip().lower() in _REPLACE_RELS:
            found.append(guid)
    return _unique(found)


def _headlines(element: etree._Element) -> tuple[str | None, str | None]:
    """(headline, kicker): the main-role or best-ranked unroled headline; subtitles are not headlines."""
    mains: list[tuple[int, str]] = []
    kicker = None
    for position, headline in enumerate(_nodes(_X_HEADLINES, element)):
        text = element_text(headline)
        if not text:
            continue
        role = _code(headline.get("role") or "").lower()
        rank = (headline.get("rank") or "").strip()
        if role in _KICKER_HEADLINE_ROLES or (not role and rank in _KICKER_RANKS and position > 0):
            kicker = kicker or text
        elif not role or role in _MAIN_HEADLINE_ROLES:
            mains.append((_int(rank) or 1, text))
    mains.sort(key=lambda pair: pair[0])
    return (mains[0][1] if mains else None), kicker


def _headline_texts(element: etree._Element) -> frozenset[str]:
    """All headline texts (main, subtitle, kicker): body headings repeating them are not body."""
    return frozenset(
        t.casefold() for t in (element_text(h) for h in _nodes(_X_HEADLINES, element)) if t
    )


def _times(element: etree._Element) -> dict[str, datetime]:
    found: dict[str, datetime] = {}
    for part in ("itemMeta", "contentMeta"):
        section = element.find(part)
        if section is None:
            continue
        for child in section:
            if child.tag in _TIME_PARTS and child.tag not in found:
                value = parse_datetime(child.text)
                if value is not None:
                    found[child.tag] = value
    return found


def _byline(element: etree._Element) -> str | None:
    return _joined_text(_first(_nodes(_X_BY, element)))


def _agencies(element: etree._Element) -> list[str]:
    """The credit line when there is one; otherwise provider and originating sources, as written."""
    credits = _unique(_clean_credit(element_text(c)) for c in _nodes(_X_CREDITLINES, element))
    if credits:
        return credits
    names = [_party(p) for p in _nodes(_X_PROVIDER, element)]
    for source in _nodes(_X_INFO_SOURCES, element):
        if _code(source.get("role") or "") in _INFO_SOURCE_ROLES:
            names.append(_party(source))
    return _unique(_clean_credit(n) for n in names)


def _clean_credit(text: str | None) -> str | None:
    """STT writes ``STT–``: the trailing dash is layout, not part of the name."""
    if not text:
        return None
    return _TRAILING_DASHES.sub("", text) or None


def _subjects(element: etree._Element) -> list[str]:
    """Subject names (display names over mnemonics); points of interest are places, not topics."""
    names: list[str | None] = []
    for subject in _nodes(_X_SUBJECTS, element):
        if _code(subject.get("type") or "") == "poi":
            continue
        labels = [n for n in subject.findall("name") if element_text(n)]
        preferred = [n for n in labels if _code(n.get("role") or "") != "mnemonic"] or labels
        names.append(element_text(preferred[0]) if preferred else None)
    return _unique(names)


def _ednotes(element: etree._Element) -> list[str]:
    notes: list[str | None] = []
    for note in _nodes(_X_EDNOTES, element):
        if _code(note.get("role") or "") in _SKIPPED_EDNOTE_ROLES:
            continue
        notes.append(element_text(note))
    return _unique(notes)


def _metadata_dateline(element: etree._Element) -> ParsedDateline | None:
    """``<dateline>`` when it names a place (``Rom (dpa) -``, ``FORT WASHINGTON, Pa.``), else ``located``."""
    place, agencies = _split_dateline_text(real(element_text(_first(_nodes(_X_DATELINE, element)))))
    if place is None:
        located = [_name_or_literal(loc) for loc in _nodes(_X_LOCATED, element)]
        place = "/".join(name for name in located if name) or None
    if place is None and not agencies:
        return None
    return ParsedDateline(place=place, agencies=agencies)


def _split_dateline_text(text: str | None) -> tuple[str | None, list[str]]:
    """Place and credit of a metadata dateline; timestamps and prose (``ANSA TEST - ROMA, 01 LUG -``) give
    nothing, since a wrong place is worse than none."""
    if not text:
        return None, []
    match = _DATELINE_WITH_CREDIT.match(text)
    if match:
        place = match.group("place").strip(" ,-–—") or None
        return place, [match.group("credit").strip()]
    cleaned = text.strip(" -–—")
    if not cleaned or any(ch.isdigit() for ch in cleaned) or " - " in cleaned or len(cleaned) > 60:
        return None, []
    return cleaned, []


# --- content -----------------------------------------------------------------------------------------------


class _Content:
    """What the content set says: body paragraphs and the bits that sit beside them."""

    __slots__ = ("body", "byline", "caption", "dateline", "ednotes", "headline")

    def __init__(self) -> None:
        self.body: list[str] = []
        self.ednotes: list[str] = []
        self.headline: str | None = None
        self.byline: str | None = None
        self.caption: str | None = None
        self.dateline: ParsedDateline | None = None


def _apply_content(item: ParsedItem, content: _Content) -> None:
    item.body = content.body
    item.ednotes = _unique([*item.ednotes, *content.ednotes])
    item.headline = item.headline or content.headline
    item.byline = content.byline or item.byline
    item.caption = item.caption or content.caption
    if content.dateline is not None:
        if item.dateline is not None and not content.dateline.agencies:
            content.dateline.agencies = item.dateline.agencies
        item.dateline = content.dateline


def _content(content_set: etree._Element, headlines: frozenset[str]) -> _Content:
    """The story text: the first inline XML that yields paragraphs, else the first usable plain text."""
    result = _Content()
    plain: list[etree._Element] = []
    parts = [part for part in content_set if _is_text_part(part)]
    parts.sort(key=lambda part: _rendition(part) not in _STORY_RENDITIONS)
    for part in parts:
        if part.tag == "inlineXML":
            _inline_xml(part, headlines, result)
            if result.body:
                break
        elif part.tag == "inlineData" and _is_story_rendition(part):
            plain.append(part)
    if not result.body and plain:
        result.body = _plain_text_paragraphs(_markup_to_text(plain[0].text or ""))
    _tidy_body(result)
    return result


def _is_text_part(part: etree._Element) -> bool:
    """Not a style sheet or script, and not a rendition that sits beside the story (logo, contact ...)."""
    kind = (part.get("contenttype") or "").strip().lower()
    rendition = _rendition(part)
    return not kind.startswith(_NOT_TEXT_TYPES) and not (
        rendition and rendition.endswith(_SKIPPED_RENDITION_SUFFIXES)
    )


def _is_story_rendition(part: etree._Element) -> bool:
    kind = (part.get("contenttype") or "text/plain").lower()
    rendition = _rendition(part)
    return kind.startswith(_PLAIN_TYPES) and not rendition.endswith(_SKIPPED_RENDITION_SUFFIXES)


def _inline_xml(part: etree._Element, headlines: frozenset[str], out: _Content) -> None:
    root = next((child for child in part if isinstance(child.tag, str)), None)
    if root is None:
        out.body = _plain_text_paragraphs(part.text or "")
        return
    name = root.tag.lower()
    if name == "nitf":
        _nitf(root, out)
    elif name == "body" and root.find("TEXT") is not None:
        _tt_body(root, out)
    else:
        _xhtml(root, headlines, out)


def _xhtml(root: etree._Element, headlines: frozenset[str], out: _Content) -> None:
    body = root.find("body") if root.tag == "html" else root
    body = root if body is None else body
    out.headline = out.headline or element_text(root.find("head/title"))
    _sort_xhtml(body, headlines, out)
    if len(body) == 0:  # Reuters: bare text straight inside <body>, laid out with line breaks
        out.body = _plain_text_paragraphs(body.text or "")
    else:
        out.body = element_paragraphs(body, skip=SKIP_TAGS)


def _sort_xhtml(body: etree._Element, headlines: frozenset[str], out: _Content) -> None:
    """One walk that takes out everything that is not body text, before paragraphs are collected.

    Dropped: ``head``/``header`` (dpa's slugline, genre line, h1, byline), classed non-text (teaser, genre),
    ``pre`` blocks (APA correction notices -> ednotes), STT's ``*** DISCLAIMER ***`` paragraphs (-> ednotes),
    headings before the first text paragraph (headline/subtitle again) and headings repeating a metadata
    headline. Crossheads further down stay. dpa's ``span.dateline`` becomes the structured dateline but its
    text stays in the paragraph (the normalizer splits it off).
    """
    hidden: set[etree._Element] = set()
    drops: list[etree._Element] = []  # outermost hidden elements, in document order
    seen_text = False
    for element in body.iter():
        if not isinstance(element.tag, str) or element is body:
            continue
        if element.getparent() in hidden:
            hidden.add(element)
            continue
        tag = element.tag.lower()
        classes = frozenset((element.get("class") or "").split())
        if tag == "span" and "dateline" in classes and out.dateline is None:
            out.dateline = _span_dateline(element)
        drop = tag in _HIDDEN_TAGS or bool(classes & _SKIPPED_CLASSES)
        if not drop and tag in _NOTE_TAGS:
            text = element_text(element)
            if tag == "pre" or (text and _DISCLAIMER.match(text)):
                out.ednotes.append(_note_text(element))
                drop = True
            elif tag == "p":
                seen_text = seen_text or bool(text)
            else:  # a heading
                drop = not seen_text or bool(text and text.casefold() in headlines)
        if drop:
            hidden.add(element)
            drops.append(element)
    for element in drops:
        remove_keeping_tail(element)


def _note_text(element: etree._Element) -> str:
    """An editorial note's text without the dash rules APA draws around it."""
    return _DASH_RULE.sub(" ", _joined_text(element) or "").strip()


def _span_dateline(span: etree._Element) -> ParsedDateline:
    """dpa: ``<span class="dateline">Rom <span class="credit">(dpa)</span> - </span>``."""
    place = (span.text or "").strip(" -–—") or None
    credit = (element_text(span.find("span")) or "").strip("() ")
    return ParsedDateline(place=place, agencies=[credit] if credit else [])


def _nitf(root: etree._Element, out: _Content) -> None:
    """NITF carried in inlineXML (AP, BusinessDesk, IPTC examples): ``body.content`` is the story."""
    head = root.find("body/body.head")
    if head is not None:
        out.headline = element_text(head.find("hedline/hl1")) or element_text(
            head.find("headline/hl1")
        )
        out.byline = _joined_text(head.find("byline"))
    out.headline = out.headline or element_text(root.find("head/title"))
    content = root.find("body/body.content")
    if content is not None:
        out.body = element_paragraphs(content)


def _tt_body(root: etree._Element, out: _Content) -> None:
    """TT's NITF-like body: RUBRIK, DAT/ORT, INGRESS and BRODTEXT paragraphs; fact boxes follow."""
    for index, text in enumerate(root.iter("TEXT")):
        for child in text:
            tag = child.tag
            if tag == "RUBRIK":
                title = element_text(child)
                if index == 0:
                    out.headline = title
                elif title:
                    out.body.append(title)
            elif tag == "DAT" and out.dateline is None:
                place = element_text(child.find("ORT"))
                out.dateline = ParsedDateline(place=place) if place else None
            elif tag in {"INGRESS", "BRODTEXT"}:
                out.body.extend(_tt_paragraphs(child))
            elif tag == "BYLINE" and out.byline is None:
                out.byline = element_text(child)
            elif tag == "BILD" and out.caption is None:
                out.caption = element_text(child.find("BILDTEXT"))


def _tt_paragraphs(section: etree._Element) -> Iterator[str]:
    for element in section.iter("P", "CITAT", "MELLIS", "LI"):
        text = element_text(element)
        if text:
            yield text


def _from_content_set(root: etree._Element) -> list[ParsedItem]:
    """A bare ``contentSet`` fragment: no item metadata, so the item is what its content says."""
    content = _content(root, frozenset())
    if not content.body and not content.headline:
        raise ParseError(
            "NewsML-G2 contentSet fragment holds no inline text (no inlineXML/inlineData story)"
        )
    item = ParsedItem(source_format=FORMAT)
    _apply_content(item, content)
    return clean_items([item])


# --- body clean-up -----------------------------------------------------------------------------------------


def _tidy_body(out: _Content) -> None:
    """Leading advisories go to ednotes, an in-body byline to byline (``parsers._wiretext``); double-escaped entities
    (STT's ``&amp;#39;``) are decoded."""
    body = [_ESCAPED_ENTITY.sub(lambda m: html.unescape(m.group()), p) for p in out.body]
    lead = lift_lead_notes(body)
    out.ednotes.extend(lead.ednotes)
    out.byline = lead.byline or out.byline
    out.body = lead.body


def _markup_to_text(text: str) -> str:
    """text/plain that still wraps its text in ``<p>`` (ANSA): block tags become blank lines."""
    if "<" not in text:
        return text
    return html.unescape(_TAG.sub("", _BLOCK_TAG.sub("\n\n", text)))


def _plain_text_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs, and so does a line indented deeper than the one before it
    (ANSA's three-space paragraph indents; Reuters' indented result lines) and a line after a complete
    lead line (an advisory, a byline, its title line: ``parsers._wiretext.ends_lead_line``, for AP copy
    that indents them all alike). Wrapped lines join."""
    laid_out = plain_text_paragraphs(text, flush_margin=True)
    if laid_out is not None:  # AP/AFP copy: paragraphs indented, wrapped lines at the left edge
        return laid_out
    paragraphs: list[str] = []
    current: list[str] = []
    previous_indent: int | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            previous_indent = None
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        indent = len(line) - len(line.lstrip())
        if current and (
            (previous_indent is not None and indent > previous_indent)
            or ends_lead_line(paragraphs, current)
        ):
            paragraphs.append(" ".join(current))
            current = []
        current.append(stripped)
        previous_indent = indent
    if current:
        paragraphs.append(" ".join(current))
    return [_SPACES.sub(" ", p) for p in paragraphs]


# conceptItem, knowledgeItem and planningItem have no handler: they carry no story.
_ITEM_HANDLERS: dict[str, Callable[[etree._Element], list[ParsedItem]]] = {
    "newsItem": lambda element: [item] if (item := _news_item(element)) is not None else [],
    "packageItem": _package_item,
}


# --- small helpers -----------------------------------------------------------------------------------------


def _joined_text(element: etree._Element | None) -> str | None:
    """Text with child boundaries as spaces (NITF ``By<person>X</person><byttl>Y</byttl>``)."""
    if element is None:
        return None
    text = _SPACES.sub(" ", " ".join(str(part) for part in element.itertext())).strip()
    return text or None


def _name_or_literal(element: etree._Element) -> str | None:
    """A concept's name, else its literal; a placeholder (``No-Data-Available``) is no name."""
    name = element_text(element.find("name"))
    if is_placeholder(name):
        name = (element.get("literal") or "").strip()
    return real(name)


def _party(element: etree._Element) -> str | None:
    """A provider or source: its name or literal, else the code of its QCode (``nprov:ANSA`` -> ``ANSA``;
    G2 lets a party be given by QCode alone, and agencies do)."""
    return _name_or_literal(element) or real(_code(element.get("qcode") or "") or None)


def _nodes(xpath: etree.XPath, element: etree._Element) -> list[etree._Element]:
    """Elements an XPath selects (XPath results are typed as a union of everything XPath can return)."""
    found = xpath(element)
    return (
        [node for node in found if isinstance(node, etree._Element)]
        if isinstance(found, list)
        else []
    )


def _strings(xpath: etree.XPath, element: etree._Element) -> list[str]:
    found = xpath(element)
    return [str(value).strip() for value in found] if isinstance(found, list) else []


def _first(found: list[etree._Element]) -> etree._Element | None:
    return found[0] if found else None


def _attr(element: etree._Element | None, name: str) -> str:
    return (element.get(name) or "") if element is not None else ""


def _code(qcode: str) -> str:
    """``ninat:text`` -> ``text``; literal values pass through."""
    return qcode.strip().rsplit(":", 1)[-1]


def _rendition(part: etree._Element) -> str:
    """A part's rendition code folded (``rnd:Style-Sheet``, ``rnd:tweet_text`` -> ``stylesheet``, ``tweettext``)."""
    rendition = part.get("rendition")
    return fold_name(_code(rendition)) if rendition else ""


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 40 else None


def _urgency(value: str) -> int | None:
    """contentMeta ``urgency`` (1 flash .. 8 routine); empty or out of range is no urgency."""
    number = _int(value)
    return number if number is not None and 1 <= number <= 8 else None


def _language(tag: str | None) -> str | None:
    """``fi-FI`` -> ``fi``; TT's three-letter ``swe`` -> ``sv``."""
    code = (tag or "").strip().lower().replace("_", "-").split("-", 1)[0]
    if len(code) == 3:
        return _ISO639_2.get(code)
    return code if len(code) == 2 and code.isalpha() else None


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
