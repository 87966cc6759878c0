"""RSS and Atom reading shared by ``parsers.rss`` and ``parsers.atom``: one entry -> one ``ParsedItem``.

Two readers feed one mapping. Well-formed documents (nearly all feeds) are read straight from the hardened
lxml tree (``parsers.xmlsafe``): about ten times faster than feedparser's pure-Python SAX handler, which
matters for 1000-entry feeds. Documents lxml refuses as malformed (undefined HTML entities, unclosed tags,
broken bytes) go to feedparser, whose loose parser recovers what a person would see. Both readers fill the
same ``RawEntry``, and ``tests/test_parser_feeds.py`` checks that they agree on every corpus feed and fixture.

feedparser is only ever handed a ``BytesIO``: given ``str`` it fetches URLs, and given ``bytes`` it first tries
``open(raw)`` as a *file name*. It replaces the DOCTYPE and disables external entities itself; documents
declaring entities are refused before either reader runs.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import html
import html.entities
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

from lxml import etree

from parsers._inline import clean_paragraphs, has_markup
from parsers._timelines import parse_time_line
from parsers.base import ParsedItem, ParseError
from parsers.dates import parse_datetime
from parsers.encoding import strip_bom
from parsers.furniture import LEAD_IN_MAX_CHARS, is_furniture
from parsers.limits import MAX_DOCUMENT_BYTES, MAX_ITEMS_PER_DOCUMENT
from parsers.markup import SKIP_TAGS, element_paragraphs, html_fragment_paragraphs
from parsers.xmlsafe import local_name, parse_xml, xml_root_name

logger = logging.getLogger(__name__)

FeedKind = Literal["rss", "atom"]
# guess: RSS titles, HTML only if they look like it; xhtml: an element holding real XHTML.
TextKind = Literal["text", "html", "guess", "xhtml"]

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
FEEDBURNER = "http://rssnamespace.org/feedburner/ext/1.0"
# RSS 2.0 in the Userland namespace (the RSS 2.0 draft told feeds to declare it; Simon Fell's test feeds).
USERLAND = ("http://backend.userland.com/rss2", "http://backend.userland.com/rss")
# iTunes podcast namespace: Apple's documents and feeds spell it in several cases, and namespace URIs
# compare case-sensitively.
ITUNES = (
    "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "http://www.itunes.com/DTDs/PodCast-1.0.dtd",
    "http://www.itunes.com/DTDs/Podcast-1.0.dtd",
)
MEDIA = ("http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss")
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RDF_ABOUT = f"{{{RDF}}}about"

_MEDIA_DESCRIPTIONS = frozenset(f"{{{ns}}}description" for ns in MEDIA)
_ATOM_NAMESPACES = (ATOM10.encode(), ATOM03.encode())
_RDF_FEED_MARKERS = re.compile(
    rb"purl\.org/rss/1\.0|my\.netscape\.com/rdf/simple|<(?:\w+:)?channel\b"
)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_LOOKS_LIKE_HTML = re.compile(r"</?[A-Za-z][^<>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+\d*);")
_LANGUAGE = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$")
_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Markup whose *content* is what a reader sees: libxml2 nests the text after an unclosed <embed>/<object>/
# <iframe> inside it, and the text inside <object> is its fallback content (feedparser keeps both too).
# Script, style and the other skipped elements never give text.
FEED_SKIP_TAGS = SKIP_TAGS - {"embed", "object", "iframe"}
# Rounds of reading text that still holds tags as HTML (escaped twice is common, three times seen).
_MAX_MARKUP_PASSES = 3
_BINARY_MEDIA = ("image/", "audio/", "video/", "font/", "model/")
_BASE64_WHITESPACE = re.compile(rb"\s+")
# Text a decoded base64 payload may hold; anything else (images, archives) is no text at all.
_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
# A date string that states its zone (offset, Z, or a zone name); without one the value stays naive.
_STATED_ZONE = re.compile(r"(?:\d[Zz]|[+-]\d{2}:?\d{2}|\b(?!AM\b|PM\b)[A-Z]{1,5})\)?\s*$")
_ATOM_TEXT_KINDS: dict[str, TextKind] = {
    "text": "text", "text/plain": "text",
    "html": "html", "text/html": "html", "xhtml": "xhtml", "application/xhtml+xml": "xhtml",
}  # fmt: skip

# C1 controls are cp1252 punctuation stored as code points (U+0092 for ’): "demoronise" them.
_C1_CONTROLS = re.compile("[\u0080-\u009f]")
_CP1252_C1 = {
    code: bytes([code]).decode("cp1252", errors="ignore") or None for code in range(0x80, 0xA0)
}
# UTF-8 read as cp1252 ("â€™", "Ã©"): a lead byte char followed by a continuation byte char.
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00e2][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)

# RFC 822 dates written with local day and month names (pt, es, fr, de, it, nl feeds).
_LOCAL_DATE = re.compile(
    r"^\s*(?:[^\W\d]+\.?,?\s+)?(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d]+\.?)\s+(?P<rest>\d{4}\b.*)$"
)
# Abbreviations as feeds write them; a full or inflected name (``noviembre``, ``listopada``, ``ноября``)
# is read by its longest listed prefix, so Finnish ``marraskuu`` is November, not ``mar``ch, and Czech
# ``července`` July, not ``červen`` June.
_LOCAL_MONTHS = {
    name: english
    for english, names in {
        "Jan": "jan janv jän ene gen genn ian sty led tammi oca янв січ ιαν",
        "Feb": "fev fév févr feb febr lut úno helmi şub şubat фев лют φεβ",
        "Mar": "mar mär märz mars marz mrt bře maalis мар бер μαρ",
        "Apr": "abr avr apr kwi dub huhti nis апр кві απρ",
        "May": "mai mag may mei maj kvě touko мая май тра μαΐ μαϊ μαι",
        "Jun": "jun juin giu iun cze čer červen června kesä haz июн чер ιουν",
        "Jul": "jul juil lug iul lip čvc červenec července heinä tem июл лип ιουλ",
        "Aug": "ago aoû août aug agu agt sie srp elo ağu авг сер αυγ",
        "Sep": "set sept sep wrz zář syys eyl сен вер σεπ",
        "Oct": "out oct okt ott paź říj loka eki окт жов οκτ",
        "Nov": "nov noi lis listopad marras kas ноя лис νοε",
        "Dec": "dez déc dic dec des gru pro joulu ara дек гру δεκ",
    }.items()
    for name in names.split()
}  # fmt: skip
# ``30/11/2026 14:05:00 +0100``, ``30.11.2026 14:05 MEZ``: a numeric date with a stated zone (day first,
# as outside the US; month first only when the second number is over 12 and so cannot be a month).
_NUMERIC_ZONED = re.compile(
    r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4}),?[ T]+(\d{1,2}:\d{2}(?::\d{2})?)\s*"
    r"([+-]\d{2}:?\d{2}|Z|GMT|UTC|[A-Z]{3,5})\s*$"
)
_ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_LOCAL_MONTH_PREFIXES = sorted(_LOCAL_MONTHS, key=len, reverse=True)
# ``1764511500``: a Unix time in seconds (or milliseconds) as some CMS feeds send it; read as a date string
# it would be the year 1764.
_EPOCH = re.compile(r"^\s*(\d{9,10}|\d{12,13})\s*$")

_RSS_ITEMS = etree.XPath(
    "./*[local-name()='item'] | ./*[local-name()='channel']/*[local-name()='item']"
)
_RSS_CHANNEL = etree.XPath("./*[local-name()='channel']")
_ATOM_ENTRIES = etree.XPath("./a:entry | ./a03:entry", namespaces={"a": ATOM10, "a03": ATOM03})


@dataclass(slots=True)
class Text:
    """A text construct: a string (plain or HTML) or an element whose content is XHTML."""

    value: str | etree._Element
    kind: TextKind
    language: str | None = None


@dataclass(slots=True)
class RawEntry:
    """What either reader found in one entry, before mapping; dates are the raw strings."""

    guid: str | None = None
    guid_is_link: bool = False
    link: str | None = None
    original_link: str | None = None
    title: Text | None = None
    content: Text | None = None
    summary: Text | None = None
    # Other vocabularies' title/summary (dc:title, media:title, dc:description, itunes:summary ...): used
    # only when the feed's own element is missing or empty.
    fallback_title: Text | None = None
    fallback_summary: Text | None = None
    published: str | None = None
    updated: str | None = None
    created: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    # Media RSS: the description of the item's picture (``media:content`` of an image), and whether the
    # item has one (then an item-level ``media:description`` beside the item's own text describes it).
    caption: Text | None = None
    has_image: bool = False
    media_description: Text | None = None
    itunes_authors: list[str] = field(default_factory=list)
    # RSS ``source``: the channel the item came from (``<source url="...">Reuters</source>``).
    sources: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- sniffing and entry point


def sniff_feed(raw: bytes) -> FeedKind | None:
    """``rss`` for a ``<rss>`` or RSS ``<rdf:RDF>`` root, ``atom`` for an Atom ``<feed>``; never raises."""
    head = raw[:8192]
    body, bom = strip_bom(head)
    if bom and bom != "utf-8":
        head = body.decode(bom, errors="ignore").encode("utf-8")
    name = xml_root_name(head)
    if name is None:
        return None
    if name.lower() == "rss":
        return "rss"
    if name == "RDF" and _RDF_FEED_MARKERS.search(head):
        return "rss"
    if name == "feed" and any(ns in head for ns in _ATOM_NAMESPACES):
        return "atom"
    return None


def parse_feed(raw: bytes, kind: FeedKind) -> list[ParsedItem]:
    """Items of an RSS or Atom document; ``kind`` labels items only when the document does not say."""
    _refuse_unsafe(raw)
    try:
        root = parse_xml(raw)
    except ParseError as strict_error:
        repaired = _html_entities_as_references(raw) if _UNDEFINED in strict_error.reason else None
        if repaired is not None:
            try:
                return items_from_tree(parse_xml(repaired))
            except ParseError:
                pass  # broken in other ways too: feedparser recovers what it can
        _check_recoverable(raw, strict_error.reason)
        return parse_with_feedparser(raw, kind, strict_error.reason)
    return items_from_tree(root)


# HTML's named entities (``&nbsp;``, ``&eacute;``, ``&rsquo;``) in a feed without a DTD are undefined in
# XML, and lxml refuses the document. Written as character references (outside CDATA sections, where they
# are text) the document is well-formed and is read exactly, by the fast reader, at any size; a large
# feed was otherwise refused for one ``&nbsp;`` (the feedparser fallback's tag limit).
_UNDEFINED = "not defined"
_ENTITY_OR_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>|&([A-Za-z][A-Za-z0-9]{1,31});", re.DOTALL)
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


def _html_entities_as_references(raw: bytes) -> bytes | None:
    """``raw`` with HTML named entities as numeric references; ``None`` when an unknown name remains."""
    unknown = False

    def reference(match: re.Match[bytes]) -> bytes:
        nonlocal unknown
        name = match.group(1)
        if name is None or name.decode("ascii") in _XML_ENTITIES:
            return match.group(0)
        value = html.entities.html5.get(name.decode("ascii") + ";")
        if value is None:
            unknown = True
            return match.group(0)
        return "".join(f"&#{ord(char)};" for char in value).encode("ascii")

    repaired = _ENTITY_OR_CDATA.sub(reference, raw)
    return None if unknown else repaired


# feedparser (the fallback for broken feeds) is pure Python: about 20-60 us per tag, so an unbounded
# broken document costs minutes of CPU (fuzzing: 300k empty tags after an early '&' took 18 s). Real
# feeds carry a few thousand tags; a broken one beyond this bound is refused with lxml's reason.
MAX_RECOVERY_TAGS = 20_000
_CLOSED_ROOT = re.compile(rb"</(?:[\w.-]+:)?(?:rss|RDF|feed)\s*>\s*(?:<!--.*?-->\s*)*$", re.DOTALL)


def _check_recoverable(raw: bytes, strict_reason: str) -> None:
    """Refuse the feedparser fallback where lxml stopped at a resource limit or the cost is unbounded."""
    if "Excessive depth" in strict_reason or "huge" in strict_reason.lower():
        raise ParseError(f"feed refused: {strict_reason}")
    if not _CLOSED_ROOT.search(raw[-1024:]):
        # A cut-off download (short Content-Length, dropped connection) would otherwise be "recovered"
        # into entries whose text silently ends mid-sentence.
        raise ParseError(
            f"feed is truncated: it does not end with its closing root tag ({strict_reason})"
        )
    tags = raw.count(b"<")
    if tags > MAX_RECOVERY_TAGS:
        raise ParseError(
            f"feed is not well-formed and too large to recover ({tags} tags, over "
            f"{MAX_RECOVERY_TAGS}): {strict_reason}"
        )


def _refuse_unsafe(raw: bytes) -> None:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"feed is {len(raw)} bytes, over the limit of {MAX_DOCUMENT_BYTES}")
    head = raw[: 64 * 1024]
    doctype = head.find(b"<!DOCTYPE")
    if doctype >= 0 and _ENTITY_DECLARATION.search(head, doctype):
        raise ParseError(
            "feed declares entities in its DOCTYPE; refused (entity expansion is unsafe)"
        )


def _checked_count(count: int) -> None:
    if count > MAX_ITEMS_PER_DOCUMENT:
        raise ParseError(f"feed has {count} entries, over the limit of {MAX_ITEMS_PER_DOCUMENT}")


# --------------------------------------------------------------------------- fast path: the lxml tree


def items_from_tree(root: etree._Element) -> list[ParsedItem]:
    """Read a well-formed feed straight from its tree: one pass over each entry's children."""
    name = local_name(root)
    if name.lower() == "rss" or name == "RDF":
        return _rss_items(root)
    if name == "feed" and etree.QName(root).namespace in (ATOM10, ATOM03):
        return _atom_items(root)
    raise ParseError(f"not an RSS or Atom feed: the root element is <{name}>")


def _rss_items(root: etree._Element) -> list[ParsedItem]:
    channels = _elements(_RSS_CHANNEL, root)
    channel = channels[0] if channels else None
    feed_language = _first_language(
        [
            _child_text(channel, f"{{{ns}}}language" if ns else "language")
            for ns in (*_RSS_NAMESPACES, DC)
        ]
        if channel is not None
        else []
    )
    inherited = _xml_lang(channel) or _xml_lang(root)
    elements = _elements(_RSS_ITEMS, root)
    _checked_count(len(elements))
    items = []
    for element in elements:
        entry = _read_entry(element, _RSS_FIELDS)
        entry.guid = entry.guid or _attribute(element, RDF_ABOUT)
        entry.language = _first_language([entry.language, _xml_lang(element), inherited])
        items.append(map_entry(entry, "rss", feed_language))
    return _without_repeats(items)


def _atom_items(root: etree._Element) -> list[ParsedItem]:
    inherited = _xml_lang(root)
    elements = _elements(_ATOM_ENTRIES, root)
    _checked_count(len(elements))
    items = []
    for element in elements:
        entry = _read_entry(element, _ATOM_FIELDS)
        entry.language = _first_language([entry.language, _xml_lang(element), inherited])
        items.append(map_entry(entry, "atom", None))
    return _without_repeats(items)


def _elements(xpath: etree.XPath, root: etree._Element) -> list[etree._Element]:
    found = xpath(root)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def _itertext(element: etree._Element) -> Iterator[str]:
    """Typed ``itertext``: on a tree parsed from text lxml yields ``str`` only."""
    return cast("Iterator[str]", element.itertext())


Handler = Callable[[RawEntry, etree._Element], None]


def _read_entry(element: etree._Element, handlers: dict[str, Handler]) -> RawEntry:
    entry = RawEntry()
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            handler = handlers.get(tag)
            if handler is not None:
                handler(entry, child)
    return entry


def _text_of(element: etree._Element) -> str:
    return "".join(_itertext(element)).strip()


def _attribute(element: etree._Element, name: str) -> str | None:
    value = element.get(name)
    return value.strip() or None if value else None


def _child_text(element: etree._Element, tag: str) -> str | None:
    child = element.find(tag)
    return _text_of(child) or None if child is not None else None


def _xml_lang(element: etree._Element | None) -> str | None:
    return element.get(XML_LANG) if element is not None else None


def _markup(element: etree._Element, kind: TextKind) -> Text:
    """Escaped or CDATA HTML arrives as text; unescaped tags arrive as child elements among that text."""
    language = _xml_lang(element)
    if kind == "text":
        return Text("".join(_itertext(element)), kind, language)
    return Text(_html_source(element) if len(element) else element.text or "", kind, language)


def _html_source(element: etree._Element) -> str:
    """Inner HTML of a mixed element: text nodes are HTML source as written, elements become tags again.

    Matches feedparser: ``<description>&amp;lt;b&amp;gt; <p>x</p></description>`` is the HTML
    ``&lt;b&gt; <p>x</p>``, whose reader sees a literal ``<b>``.
    """
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            name = local_name(child)
            attributes = "".join(
                f' {_attribute_name(str(key))}="{html.escape(str(value))}"'
                for key, value in child.attrib.items()
            )
            parts.append(f"<{name}{attributes}>")
            if name.lower() not in _VOID_TAGS:
                parts.append(_html_source(child))
                parts.append(f"</{name}>")
        parts.append(child.tail or "")
    return "".join(parts)


def _attribute_name(clark: str) -> str:
    return clark.rsplit("}", 1)[-1]


def _atom_text(element: etree._Element) -> Text | None:
    """An Atom text construct or content; ``None`` for base64 content that is not text."""
    declared = (element.get("type") or "text").strip().lower()
    if _is_base64(element, declared):
        return _base64_text(element, declared)
    kind = _ATOM_TEXT_KINDS.get(declared, "html")
    if kind == "xhtml":
        div = element.find(f"{{{XHTML}}}div")
        return Text(div if div is not None else element, kind, _xml_lang(element))
    return _markup(element, kind)


def _is_base64(element: etree._Element, declared: str) -> bool:
    """Atom 0.3 says so with ``mode="base64"``; Atom 1.0 content of a MIME type that is neither text nor
    XML is base64 (RFC 4287 4.1.3.3). Titles and summaries of such a type are read the same way."""
    if etree.QName(element).namespace == ATOM03:
        return (element.get("mode") or "").strip().lower() == "base64"
    if declared in _ATOM_TEXT_KINDS or "/" not in declared:
        return False
    return not (declared.startswith("text/") or declared.endswith(("+xml", "/xml")) or len(element))


def _base64_text(element: etree._Element, declared: str) -> Text | None:
    """The decoded payload as HTML or text by its declared type; ``None`` when it is not UTF-8 text."""
    try:
        payload = base64.b64decode(
            _BASE64_WHITESPACE.sub(b"", "".join(_itertext(element)).encode("ascii")), validate=True
        )
        decoded = payload.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        logger.info("feed: base64 %s content is not UTF-8 text; dropped", declared)
        return None
    if _BINARY.search(decoded):
        logger.info("feed: base64 %s content is binary; dropped", declared)
        return None
    kind = _ATOM_TEXT_KINDS.get(declared, "guess")
    return Text(decoded, "html" if kind == "xhtml" else kind, _xml_lang(element))


def _set_first(name: str) -> Handler:
    def handler(entry: RawEntry, element: etree._Element) -> None:
        if getattr(entry, name) is None:
            setattr(entry, name, _text_of(element) or None)

    return handler


def _rss_text(name: str, kind: TextKind) -> Handler:
    def handler(entry: RawEntry, element: etree._Element) -> None:
        if getattr(entry, name) is None:
            setattr(entry, name, _markup(element, kind))

    return handler


def _atom_text_field(name: str) -> Handler:
    def handler(entry: RawEntry, element: etree._Element) -> None:
        if getattr(entry, name) is None:
            setattr(entry, name, _atom_text(element))

    return handler


def _atom_content(entry: RawEntry, element: etree._Element) -> None:
    if entry.content is None and element.get("src") is None:
        entry.content = _atom_text(element)


def _xhtml_body(entry: RawEntry, element: etree._Element) -> None:
    """``xhtml:body`` in an RSS item: real XHTML elements, read as a tree."""
    if entry.content is None:
        entry.content = Text(element, "xhtml", _xml_lang(element))


def _media_group(entry: RawEntry, element: etree._Element) -> None:
    """``media:group`` wraps the Media RSS elements of one item: read them as if they were its own."""
    for child in element:
        handler = _MEDIA_FIELDS.get(child.tag) if isinstance(child.tag, str) else None
        if handler is not None:
            handler(entry, child)


def _media_content(entry: RawEntry, element: etree._Element) -> None:
    """``media:content`` of an image: its ``media:description`` is the picture's caption (never the body;
    its ``media:credit`` credits the picture, not the story, and is not read)."""
    medium = (element.get("medium") or "").strip().lower()
    if medium != "image" and not (element.get("type") or "").strip().lower().startswith("image/"):
        return
    entry.has_image = True
    if entry.caption is None:
        for child in element:
            if isinstance(child.tag, str) and child.tag in _MEDIA_DESCRIPTIONS:
                entry.caption = _media_markup(child)
                break


def _media_markup(element: etree._Element) -> Text:
    return _markup(element, "html" if (element.get("type") or "").strip() == "html" else "text")


def _media_description(entry: RawEntry, element: etree._Element) -> None:
    if entry.media_description is None:
        entry.media_description = _media_markup(element)
    if entry.fallback_summary is None:
        entry.fallback_summary = entry.media_description


def _add_source(entry: RawEntry, element: etree._Element) -> None:
    entry.sources.append(_text_of(element))


def _media_text(name: str) -> Handler:
    """``media:title``/``media:description``: ``type="html"`` or plain (the Media RSS default)."""

    def handler(entry: RawEntry, element: etree._Element) -> None:
        if getattr(entry, name) is None:
            kind: TextKind = "html" if (element.get("type") or "").strip() == "html" else "text"
            setattr(entry, name, _markup(element, kind))

    return handler


def _rss_guid(entry: RawEntry, element: etree._Element) -> None:
    if entry.guid is None:
        entry.guid = _text_of(element) or None
        entry.guid_is_link = (element.get("isPermaLink") or "true").strip().lower() == "true"


def _atom_link(entry: RawEntry, element: etree._Element) -> None:
    rel = (element.get("rel") or "alternate").strip()
    media_type = (element.get("type") or "text/html").strip().lower()
    if entry.link is None and rel == "alternate" and media_type in _HTML_TYPES:
        entry.link = _attribute(element, "href")


def _add_author(entry: RawEntry, element: etree._Element) -> None:
    entry.authors.append(_text_of(element))


def _add_atom_author(entry: RawEntry, element: etree._Element) -> None:
    name = element.find(f"{{{etree.QName(element).namespace}}}name")
    entry.authors.append(_text_of(name) if name is not None else "")


def _add_itunes_author(entry: RawEntry, element: etree._Element) -> None:
    """``itunes:author`` names the item's author only where the feed's own author fields are absent
    (wherever in the item they stand: a podcast studio before ``dc:creator`` is not the byline)."""
    entry.itunes_authors.append(_text_of(element))


def _add_tag(entry: RawEntry, element: etree._Element) -> None:
    entry.tags.append(_text_of(element))


def _add_atom_tag(entry: RawEntry, element: etree._Element) -> None:
    entry.tags.append(_keyword(element.get("term"), element.get("label")))


_IDENTIFIER = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|urn:|tag:)|^(?:[\w-]+:)?\d[\d.-]*$", re.IGNORECASE
)


def _keyword(term: object, label: object) -> str:
    """An Atom category's keyword: its term, or its label where the term is an identifier (a URI, a URN
    or a code such as ``medtop:20000763`` or ``11000000``) and the label is what a reader sees."""
    term_text = str(term or "").strip()
    label_text = str(label or "").strip()
    if label_text and (not term_text or _IDENTIFIER.match(term_text)):
        return label_text
    return term_text


def _add_keywords(entry: RawEntry, element: etree._Element) -> None:
    entry.tags.extend(_text_of(element).split(","))


def _namespaced(namespaces: Iterable[str | None], fields: dict[str, Handler]) -> dict[str, Handler]:
    return {
        (f"{{{ns}}}{name}" if ns else name): handler
        for ns in namespaces
        for name, handler in fields.items()
    }


# Media RSS, directly in an item or inside its media:group.
_MEDIA_FIELDS: dict[str, Handler] = _namespaced(
    MEDIA,
    {
        "keywords": _add_keywords,
        "category": _add_tag,
        "title": _media_text("fallback_title"),
        "description": _media_description,
        "content": _media_content,
    },
)
# Extensions both kinds of feed use, by Clark name.
_EXTENSION_FIELDS: dict[str, Handler] = {
    f"{{{CONTENT}}}encoded": _rss_text("content", "html"),
    f"{{{XHTML}}}body": _xhtml_body,
    f"{{{DC}}}title": _rss_text("fallback_title", "guess"),
    f"{{{DC}}}description": _rss_text("fallback_summary", "html"),
    f"{{{DC}}}creator": _add_author,
    f"{{{DC}}}author": _add_author,
    f"{{{DC}}}date": _set_first("updated"),
    f"{{{DC}}}subject": _add_tag,
    f"{{{DC}}}language": _set_first("language"),
    f"{{{DCTERMS}}}issued": _set_first("published"),
    f"{{{DCTERMS}}}modified": _set_first("updated"),
    f"{{{DCTERMS}}}created": _set_first("created"),
    f"{{{FEEDBURNER}}}origLink": _set_first("original_link"),
    **_MEDIA_FIELDS,
    **_namespaced(MEDIA, {"group": _media_group}),
    **_namespaced(
        ITUNES, {"summary": _rss_text("fallback_summary", "text"), "author": _add_itunes_author}
    ),
}
# RSS 0.9x/2.0 elements are un-namespaced; RSS 1.0 and the Netscape 0.90 RDF put them in a namespace, and
# so do RSS 2.0 feeds written for the Userland namespace.
_RSS_NAMESPACES = (None, RSS10, RSS090, *USERLAND)
_RSS_FIELDS: dict[str, Handler] = {
    **_namespaced(
        _RSS_NAMESPACES,
        {
            "title": _rss_text("title", "guess"),
            "link": _set_first("link"),
            "guid": _rss_guid,
            "description": _rss_text("summary", "html"),
            "pubDate": _set_first("published"),
            "author": _add_author,
            "category": _add_tag,
            # Full-text item bodies of the RSS 0.9x era: <body> (XHTML without its namespace) and
            # <fullitem> (escaped HTML), read as content like content:encoded.
            "body": _rss_text("content", "html"),
            "fullitem": _rss_text("content", "html"),
            "source": _add_source,
        },
    ),
    **_EXTENSION_FIELDS,
}
_ATOM_FIELDS: dict[str, Handler] = {
    **_namespaced(
        (ATOM10, ATOM03),
        {
            "id": _set_first("guid"),
            "title": _atom_text_field("title"),
            "link": _atom_link,
            "summary": _atom_text_field("summary"),
            "content": _atom_content,
            "published": _set_first("published"),
            "updated": _set_first("updated"),
            "author": _add_atom_author,
            "category": _add_atom_tag,
        },
    ),
    # Atom 0.3 names.
    f"{{{ATOM03}}}issued": _set_first("published"),
    f"{{{ATOM03}}}modified": _set_first("updated"),
    f"{{{ATOM03}}}created": _set_first("created"),
    **_EXTENSION_FIELDS,
}


# --------------------------------------------------------------------------- fallback: feedparser


def parse_with_feedparser(raw: bytes, kind: FeedKind, strict_reason: str = "") -> list[ParsedItem]:
    """Recover entries of a document lxml refuses; no entries from a broken document is an error."""
    import feedparser  # only for feeds lxml cannot read: importing it costs more than a parse

    try:
        result = feedparser.parse(io.BytesIO(raw), sanitize_html=False, resolve_relative_uris=False)
    except (ValueError, UnicodeError) as exc:
        # feedparser's own bugs on hostile bytes (fuzzing): chr() of a reference beyond U+10FFFF, a lone
        # surrogate reference re-encoded as UTF-8, undecodable bytes after its encoding guess.
        raise ParseError(
            f"feed is not well-formed and cannot be recovered: {type(exc).__name__}: {exc}"
            + (f" (lxml: {strict_reason})" if strict_reason else "")
        ) from exc
    entries = result.get("entries") or []
    if not entries and result.get("bozo"):
        raise ParseError(
            f"feed is not well-formed and yields no entries: {_bozo_reason(result)}"
            + (f" (lxml: {strict_reason})" if strict_reason else "")
        )
    _checked_count(len(entries))
    version = str(result.get("version") or "")
    actual: FeedKind = "atom" if version.startswith("atom") else "rss" if version else kind
    feed = result.get("feed") or {}
    feed_language = _first_language([feed.get("language")]) if actual == "rss" else None
    return _without_repeats(
        [map_entry(_entry_from_feedparser(e, actual), actual, feed_language) for e in entries]
    )


def _bozo_reason(result: Any) -> str:
    exc = result.get("bozo_exception")
    if exc is None:
        return "unknown error"
    line = getattr(exc, "getLineNumber", None)
    column = getattr(exc, "getColumnNumber", None)
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    return f"line {line()}, column {column()}: {message}" if line and column else str(message)


def _fp_text(detail: Any, kind: FeedKind, rss_kind: TextKind) -> Text | None:
    if not detail:
        return None
    value = str(detail.get("value") or "")
    if kind == "rss":
        return Text(value, rss_kind)
    declared = str(detail.get("type") or "text/plain").lower()
    if declared.startswith(_BINARY_MEDIA):
        return None  # feedparser leaves image/audio/video payloads base64-encoded: never text
    return Text(value, "text" if declared == "text/plain" else "html")


def _fp_authors(e: Any, kind: FeedKind) -> list[str]:
    """Author strings as given where feedparser keeps them: its ``author`` is the raw RSS string (the
    last one), ``authors`` the parsed names; an Atom author is its name."""
    details = dict.get(e, "authors") or []
    raw = dict.get(e, "author")
    if kind == "rss" and len(details) == 1 and raw:
        return [str(raw)]
    return [str(a.get("name") or "") for a in details]


def _entry_from_feedparser(e: Any, kind: FeedKind) -> RawEntry:
    """``dict.get``, not ``e.get``: FeedParserDict answers ``updated`` with ``published`` when absent."""
    get = dict.get
    guid = get(e, "id") or None
    link = get(e, "link") or None
    link_from_guid = bool(get(e, "guidislink")) and link == guid
    contents = get(e, "content") or []
    summary = get(e, "summary_detail")
    caption = None
    media = get(e, "media_content") or []
    has_image = any(
        str(m.get("medium") or "").lower() == "image"
        or str(m.get("type") or "").lower().startswith("image/")
        for m in media
    )
    first = get(e, "summary")
    if has_image and kind == "rss":
        # feedparser reads a picture's media:description as one more description: it becomes the
        # summary_detail (the last one read; the summary string keeps the item's own, the first), or,
        # after the item's own description, a plain-text content (content:encoded is HTML).
        captions = [c for c in contents if str(c.get("type") or "") == "text/plain"]
        contents = [c for c in contents if str(c.get("type") or "") != "text/plain"]
        if summary and first is not None and summary.get("value") != first:
            captions.insert(0, summary)
            summary = {**summary, "value": first}
        caption = _fp_text(captions[0], kind, "text") if captions else None
    details = [*contents, summary, get(e, "title_detail")]
    return RawEntry(
        guid=guid,
        guid_is_link=link_from_guid and kind == "rss",
        link=None if link_from_guid else link,
        original_link=get(e, "feedburner_origlink") or None,
        title=_fp_text(get(e, "title_detail"), kind, "guess"),
        content=_fp_text(contents[0], kind, "html") if contents else None,
        summary=_fp_text(summary, kind, "html"),
        published=get(e, "published") or None,
        updated=get(e, "updated") or None,
        created=get(e, "created") or None,
        authors=_fp_authors(e, kind),
        tags=[_keyword(t.get("term"), t.get("label")) for t in get(e, "tags") or []],
        language=_first_language([d.get("language") for d in details if d]),
        caption=caption,
        has_image=has_image,
        sources=[str((get(e, "source") or {}).get("title") or "")] if kind == "rss" else [],
    )


# --------------------------------------------------------------------------- the shared mapping


def map_entry(entry: RawEntry, kind: FeedKind, feed_language: str | None) -> ParsedItem:
    """One ``ParsedItem`` from one entry, whichever reader found it.

    Author strings go to ``authors`` exactly as given (the normalizer credits agencies among them); the
    body's own ``xml:lang`` is the best language hint, then the entry's, then the feed's."""
    permalink = entry.guid if entry.guid_is_link and _is_web_url(entry.guid) else None
    link = entry.link or permalink
    published = _date(entry.published) or _date(entry.created)
    updated = _date(entry.updated)
    headline = _headline(entry.title) or _headline(entry.fallback_title)
    body, body_language = _body(entry, headline)
    return ParsedItem(
        source_format=kind,
        guid=entry.guid or link,
        headline=headline,
        authors=_unique(_clean_line(author) for author in entry.authors or entry.itunes_authors),
        body=body,
        language=_first_language([body_language]) or entry.language or feed_language,
        published_at=published or updated,
        updated_at=updated,
        keywords=_unique(_clean_line(tag) for tag in entry.tags),
        url=entry.original_link or link,
        caption=_caption(entry) if entry.has_image else None,
        agencies=_unique(_clean_line(source) for source in entry.sources) if entry.sources else [],
    )


def _caption(entry: RawEntry) -> str | None:
    """The picture's description: of the image itself, else the item-level ``media:description`` of an
    item with an image and a text of its own (Media RSS: item-level elements describe its media)."""
    text = entry.caption
    if text is None and entry.has_image and (entry.content or entry.summary):
        text = entry.media_description
    return _clean_line(" ".join(_paragraphs(text))) or None if text is not None else None


def _without_repeats(items: list[ParsedItem]) -> list[ParsedItem]:
    """A feed listing the same item twice (same id, title, text and time: a CMS joining two sections)
    gives it once; an item re-sent under its id with other text is kept (a revision)."""
    if len(items) < 2:
        return items
    seen: dict[tuple[object, ...], list[ParsedItem]] = {}
    kept = []
    for item in items:
        # cheap key first (hashing whole bodies costs more than the rare full comparison)
        key = (item.guid, item.headline, item.published_at, len(item.body))
        earlier = seen.setdefault(key, [])
        if any(e.body == item.body and e.updated_at == item.updated_at for e in earlier):
            logger.info("feed: item %s listed twice; kept once", item.guid)
            continue
        earlier.append(item)
        kept.append(item)
    return kept


def _headline(title: Text | None) -> str | None:
    """One line of visible text: markup (inline XHTML, HTML, or tags sent as text) never shows."""
    if title is None:
        return None
    value = title.value
    plain = isinstance(value, str) and (
        title.kind == "text" or (title.kind == "guess" and not _LOOKS_LIKE_HTML.search(value))
    )
    if plain and isinstance(value, str) and not has_markup(value):
        return _clean_line(value) or None  # the common case: plain text, one regex pass
    return _clean_line(" ".join(_paragraphs(title))) or None


def _body(entry: RawEntry, headline: str | None) -> tuple[list[str], str | None]:
    """Full content beats the summary, the feed's own summary beats other vocabularies', and only one of
    them is the body (a teaser repeated by the full text is never doubled). A text that is only furniture,
    links or an image is no body, and the next one serves (``content:encoded`` holding just "Read more"
    beside a real description); a content that only truncates the summary (``... first sentence…``) gives
    way to the summary holding it in full. Returns the paragraphs and the ``xml:lang`` of their element."""
    chosen: tuple[list[str], str | None] | None = None
    for text in (entry.content, entry.summary, entry.fallback_summary):
        if text is None or (chosen is not None and not _may_hold(text, chosen[0])):
            continue
        paragraphs = _readable(_paragraphs(text), headline)
        if not paragraphs:
            continue
        if chosen is None:
            chosen = paragraphs, text.language
        elif _truncates(chosen[0], paragraphs):
            return paragraphs, text.language
    return chosen or ([], None)


def _may_hold(text: Text, chosen: list[str]) -> bool:
    """Cheap test before reading another candidate: only a chosen text ending in an ellipsis is a cut-off
    copy, and only a longer source can hold it in full."""
    if not _ELLIPSIS_END.search(chosen[-1][-8:]):
        return False
    return not isinstance(text.value, str) or len(text.value) > sum(map(len, chosen)) + 20


# Feed bodies end in a link to the page (``... on Monday. Read more »``, ``[Leer más]``, ``Weiterlesen ›``):
# the link's words after the last sentence are no text. Phrases that can only be such a link.
_READ_ON = re.compile(
    r"(?<=[.!?…\"”»)\]])\s*[\[(«]?\s*(?:read more|read on|continue reading|keep reading|"
    r"read (?:the )?full (?:story|article)|full story|weiterlesen|mehr lesen|lesen sie mehr|"
    r"zum (?:vollständigen )?artikel|leer más|seguir leyendo|sigue leyendo|lire la suite|lire plus|"
    r"leggi tutto|leggi di più|continua a leggere|leia mais|continue lendo|continuar lendo|lees meer|"
    r"lees verder|läs mer|les mer|læs mere|lue lisää|czytaj więcej|czytaj dalej|číst dál|čtěte dál|"
    r"devamını oku|читать далее|читать полностью)\s*(?:[.…]+|[»›→>]+|&raquo;)?\s*[\])»]?\s*$",
    re.IGNORECASE,
)
# Furniture lines are short (``parsers.furniture``: at most LEAD_IN_MAX_CHARS after trailing punctuation
# is stripped); a longer paragraph, whitespace already collapsed, is not tested (speed).
_FURNITURE_MAX_CHARS = LEAD_IN_MAX_CHARS + 40
_READ_ON_TAIL = 40  # the longest phrase with its decoration and the sentence end before it
_ELLIPSIS_END = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|…|\.{3,})\s*$")
# A paragraph that is only a link's address, or a short label and one (``Article URL: https://...``).
_URL_LINE = re.compile(r"^(?P<label>[^\s:]+(?:\s[^\s:]+){0,2}:\s*)?<?https?://\S+?>?$")
# The generator's footer after an excerpt (WordPress/Yoast ``The post <title> appeared first on <site>.``,
# ``Der Beitrag <title> erschien zuerst auf <site>.``): the item's own title with a few words around it.
_FOOTER_EXTRA_CHARS = 80


def _readable(paragraphs: list[str], headline: str | None) -> list[str]:
    """The paragraphs that are text: no page furniture ("Lea también: ...", newsletter and rights lines,
    as on article pages), no trailing "read more" link, no bare addresses, no generator footer naming
    the item's title; a body of labelled addresses only (link aggregators) is no body."""
    kept = [
        p
        for p in paragraphs
        if not ("://" in p and _bare_address(p))
        and (len(p) > _FURNITURE_MAX_CHARS or not is_furniture(p))
    ]
    if kept:  # the link to the page closes the text
        last = kept[-1]
        tail = last[-_READ_ON_TAIL:]
        read_on = _READ_ON.search(tail)
        if read_on is not None:
            last = last[: len(last) - len(tail) + read_on.start()]
            if last and not is_furniture(last):
                kept[-1] = last
            else:
                kept.pop()
    if kept and "://" in kept[0] and all(_URL_LINE.match(p) for p in kept):
        return []
    if (
        len(kept) > 1
        and headline
        and len(kept[-1]) <= len(headline) + _FOOTER_EXTRA_CHARS
        and _is_footer(kept[-1], headline)
    ):
        kept.pop()
    return kept


def _is_footer(paragraph: str, headline: str) -> bool:
    """``The post <title> appeared first on <site>.``: the title (three words or more) after one to three
    words and before three to eight, as the generators' templates write it in every language; a closing
    sentence that merely repeats a short title's words is text."""
    if len(headline.split()) < 3:
        return False
    at = paragraph.casefold().find(headline.casefold())
    if at <= 0:
        return False
    before = paragraph[:at].split()
    after = paragraph[at + len(headline) :].split()
    return 1 <= len(before) <= 3 and 3 <= len(after) <= 8


def _bare_address(paragraph: str) -> bool:
    url = _URL_LINE.match(paragraph)
    return url is not None and url.group("label") is None


def _truncates(shorter: list[str], longer: list[str]) -> bool:
    """Whether ``shorter`` (ending in an ellipsis) is a cut-off copy of ``longer``: its text, without the
    ellipsis, stands in ``longer``'s text, which says more."""
    cut = _ELLIPSIS_END.sub("", " ".join(shorter))
    full = " ".join(longer)
    return len(full) > len(cut) + 20 and len(cut) >= 20 and cut.casefold() in full.casefold()


def _paragraphs(text: Text) -> list[str]:
    """Visible paragraphs of a text construct. Tags that are still in the text after reading it (escaped
    twice, markup in a plain-text field, or the raw text libxml2 keeps after an unclosed ``<iframe>``)
    are read as HTML again, so neither tags nor script/style text reach a headline or body; whatever is
    still tag-shaped after a few passes is dropped, content kept (``parsers._inline``)."""
    if isinstance(text.value, etree._Element):
        found = element_paragraphs(text.value, skip=FEED_SKIP_TAGS)  # inline XHTML: real elements
    elif text.kind == "text" or (text.kind == "guess" and not _LOOKS_LIKE_HTML.search(text.value)):
        found = _plain_paragraphs(text.value)
    else:
        found = _html_paragraphs(text.value)
    for _ in range(_MAX_MARKUP_PASSES):
        if not any(has_markup(p) for p in found):
            break
        found = [q for p in found for q in (_html_paragraphs(p) if has_markup(p) else [p])]
    else:
        found = clean_paragraphs(found)
    return [p for p in (_clean_line(p) for p in found) if p]


def _html_paragraphs(markup: str) -> list[str]:
    if "<" in markup:
        return html_fragment_paragraphs(markup, skip=FEED_SKIP_TAGS)
    return _plain_paragraphs(html.unescape(markup))


def _plain_paragraphs(text: str) -> list[str]:
    return [p for p in (" ".join(c.split()) for c in _BLANK_LINE.split(text)) if p]


def _clean_line(text: str) -> str:
    # str.split() and re's \s agree on what whitespace is: this is \s+ -> " " and strip, in one C pass.
    return _repair(" ".join(text.split()))


def _repair(text: str) -> str:
    """Undo the two encoding accidents feeds carry: cp1252 code points as C1 controls, and mojibake."""
    if text.isascii():  # both accidents need characters beyond ASCII
        return text
    if _C1_CONTROLS.search(text):
        text = text.translate(_CP1252_C1)
    if _MOJIBAKE.search(text):
        try:
            return text.encode("cp1252").decode("utf-8")
        except UnicodeError:
            return text
    return text


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _first_language(candidates: Iterable[str | None]) -> str | None:
    for candidate in candidates:
        match = _LANGUAGE.match(candidate.strip()) if candidate else None
        if match:
            return match.group(1).lower()
    return None


def _date(text: str | None) -> datetime | None:
    """Our parser first (keeps offsets exact); feedparser's for the odd formats feeds use."""
    if not text:
        return None
    parsed = parse_datetime(text)
    if parsed is not None:
        return parsed
    epoch = _EPOCH.match(text)
    if epoch:
        seconds = int(epoch.group(1))
        return datetime.fromtimestamp(seconds / 1000 if seconds > 10**11 else seconds, UTC)
    localized = _localized_rfc822(text)
    parsed = parse_datetime(localized) if localized else None
    if parsed is not None:
        return parsed
    # ``June 11, 2023 10:00 AM EST``, ``11. Juni 2023 10:00 MESZ``: the time-line grammar of page dumps
    # knows zone abbreviations and month names in five languages; feedparser would drop the zone.
    line = parse_time_line(text.strip())
    if line is not None and line.published is not None:
        return line.published
    from feedparser.datetimes import _parse_date as feedparser_date  # the odd formats only

    struct = feedparser_date(text)
    if not struct:
        return None
    try:
        if not _STATED_ZONE.search(text.strip()):
            # feedparser reads an offset-less value as UTC; it is the source's local time (naive).
            return datetime(*struct[:6])
        return datetime.fromtimestamp(calendar.timegm(struct), UTC)
    except (OverflowError, ValueError, OSError):
        return None  # placeholder years (0000, 99999) are no date, not a crash


def _localized_rfc822(text: str) -> str | None:
    """``Seg, 24 Set 2018 19:42:40 -0300`` (UOL) -> ``24 Sep 2018 19:42:40 -0300``: month names as data;
    ``30/11/2026 14:05 +0100`` -> ``30 Nov 2026 14:05 +0100``."""
    numeric = _NUMERIC_ZONED.match(text)
    if numeric:
        day, _, month, year, clock, zone = numeric.groups()
        if int(day) <= 12 < int(month):
            day, month = month, day
        if not 1 <= int(month) <= 12:
            return None
        return f"{day} {_ENGLISH_MONTHS[int(month) - 1]} {year} {clock} {zone.replace(':', '')}"
    match = _LOCAL_DATE.match(text)
    if not match:
        return None
    word = match.group("month").lower().rstrip(".")
    month = _LOCAL_MONTHS.get(word) or next(
        (_LOCAL_MONTHS[p] for p in _LOCAL_MONTH_PREFIXES if len(p) >= 3 and word.startswith(p)),
        None,
    )
    # ``14h05`` (French clocks) is ``14:05``
    rest = re.sub(r"\b(\d{1,2})h(\d{2})\b", r"\1:\2", match.group("rest"))
    return f"{match.group('day')} {month} {rest}" if month else None


def _is_web_url(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://"))
