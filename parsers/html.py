"""News article web pages (HTML): one story per page.

Metadata comes first from the page's JSON-LD (``NewsArticle``/``Article``/``ReportageNewsArticle``, also in
``@graph`` and lists), then from meta tags (Open Graph, ``article:*``, ``description``), then from the site
profile (``parsers._html_profiles``). A page with no machine-readable publication date gives it as the
article's ``<time datetime>`` or as a displayed time line near the headline, read by the same grammar as
text dumps (``parsers._timelines``). The body comes from the profile's markup when the site is known
(JSON-LD ``articleBody`` often loses paragraph breaks), else from a real ``articleBody`` with breaks, else
from the largest cluster of ``<p>`` in ``<article>``/``<main>``.

Pages are untrusted: parsed once with lxml's HTML parser (no network, no entity expansion beyond the
HTML named characters), and values meant as plain text (JSON-LD headlines with literal ``&uuml;`` or even
``<script>``) are unescaped and stripped of markup.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from parsers._datelead import is_dateline_lead
from parsers._html_body import DROP_LINK_DENSITY, GenericBody, extract_body
from parsers._html_header import MAX_TIME_LINE, displayed_byline, displayed_times, is_time_line
from parsers._html_profiles import PROFILES, SiteProfile
from parsers._timelines import parse_time_line
from parsers.base import ParsedDateline, ParsedItem, ParsedRelated, ParseError
from parsers.dates import parse_datetime
from parsers.encoding import decode_bytes, strip_bom
from parsers.furniture import is_furniture
from parsers.markup import BLOCK_TAGS, SKIP_TAGS, element_paragraphs, html_fragment_paragraphs
from parsers.xmlsafe import xml_root_name

log = logging.getLogger(__name__)

FORMAT = "html"
SNIFF_ORDER = 50
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BackgroundNewsArticle",
        "OpinionNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "LiveBlogPosting",
    }
)  # fmt: skip
GENERIC_ARTICLE_TYPES = frozenset({"Article", "BlogPosting", "TechArticle", "Report"})
# Pages whose only structured data is a fact check still name headline, author and date there.
SECONDARY_TYPES = frozenset({"ClaimReview", "WebPage"})

_KICKER_SEPARATOR = re.compile(r"^\s*(?::|\||-|–|—)\s+")
_TITLE_SUFFIX = re.compile(
    r"^(?P<title>.*\S)\s+(?:\||-|–|—)\s+(?P<site>[^|]{2,60})$"
)  # last separator
_HAS_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})\s*$")
_TAG = re.compile(r"<[A-Za-z/!]")
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_TRUNCATED = re.compile(r"(?:\.\.\.|…|\[\.\.\.\])\s*$")
# A markup body with less than this share of the words of ``articleBody`` is a truncation.
_TRUNCATED_SHARE = 0.6
_MIN_LD_WORDS = 40
_WORD = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
_MEDIA_TAGS = ("img", "picture", "video", "source", "iframe", "svg")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADINGS_SCANNED = 20
_MAX_KICKER = 120
_DOCTYPE_HTML = re.compile(rb"<!doctype\s+html", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_HTML_ROOTS = frozenset({"html", "head", "body"})

_HTML_LANG = etree.XPath("/html/@lang | /html/@xml:lang")
_KICKER_CLASS = (
    "contains(@class, 'kicker') or contains(@class, 'topline') or contains(@class, 'overline')"
    " or contains(@class, 'dachzeile') or contains(@class, 'roofline') or contains(@class, 'catchline')"
)
_KICKER_IN_H1 = etree.XPath(f"(.//*[{_KICKER_CLASS}])[1]")
_KICKER_IN_HEADER = etree.XPath(f"(.//header//*[{_KICKER_CLASS}])[1]")
# A text credit at the end of the article (``Quelle: sid/dpa``), searched in the body's article/main.
_ARTICLE_SCOPE = etree.XPath("ancestor-or-self::*[self::article or self::main][1]")
_GENERIC_CREDIT = etree.XPath(
    "(.//text()[contains(., 'Quelle:')][starts-with(normalize-space(.), 'Quelle:')])[last()]"
)
# Descendants that need the full paragraph walker; a block without them is one paragraph of plain text.
_SLOW_TAGS = BLOCK_TAGS | SKIP_TAGS | {"br"}
_XPATH_FIELDS = tuple(
    f.name
    for f in fields(SiteProfile)
    if f.name not in {"name", "hosts", "site_names", "loose_text"}
)


def _compile_profiles() -> dict[str, etree.XPath]:
    compiled: dict[str, etree.XPath] = {}
    for profile in PROFILES:
        for name in _XPATH_FIELDS:
            expression = getattr(profile, name)
            if isinstance(expression, str) and expression not in compiled:
                compiled[expression] = etree.XPath(expression)
    return compiled


_XP = _compile_profiles()
_MARKER_UNION = " | ".join(p.marker for p in PROFILES if p.marker)
_MARKERS = etree.XPath(_MARKER_UNION) if _MARKER_UNION else None


# ---------------------------------------------------------------------------------------------- sniffing


def can_parse(raw: bytes) -> bool:
    """An HTML document: ``<!DOCTYPE html>`` or an ``html``/``head``/``body`` root in the first KB."""
    try:
        head = strip_bom(raw[:1024])[0].lstrip()
        if not head.startswith(b"<"):  # markup from the first byte, not text that mentions <html>
            return False
        if _DOCTYPE_HTML.search(head):
            return True
        return (xml_root_name(head) or "").lower() in _HTML_ROOTS
    except Exception:  # a sniff must never raise
        return False


# ---------------------------------------------------------------------------------------------- helpers


def _squash(text: str | None) -> str:
    """Text as compared, not as returned: invisible characters gone, whitespace collapsed."""
    if not text:
        return ""
    return " ".join(_INVISIBLE.sub("", text).split())


def _unescape(text: str) -> str:
    """Literal entities in JSON/meta values (``R&uuml;ckbau``, even ``K&amp;uuml;hl``) become characters."""
    for _ in range(3):
        if "&" not in text:
            break
        unescaped = html_lib.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def _plain(value: Any) -> str | None:
    """A metadata value as plain text: entities decoded, markup (and any script in it) removed."""
    if not isinstance(value, str):
        return None
    text = _unescape(value)
    if _TAG.search(text):
        text = " ".join(html_fragment_paragraphs(text))
    text = _squash(text)
    return text or None


def _text(element: etree._Element | None) -> str | None:
    """Visible text of an element (scripts, styles, figures skipped), as one line."""
    if element is None:
        return None
    # The element itself may be a figcaption/button the walker skips inside bodies; read it anyway.
    skip = SKIP_TAGS - {element.tag} if element.tag in SKIP_TAGS else SKIP_TAGS
    text = _squash(" ".join(element_paragraphs(element, skip=skip)))
    return text or None


def _first(result: Any) -> etree._Element | str | None:
    if isinstance(result, list):
        for value in result:
            if isinstance(value, etree._Element | str):
                return value
        return None
    return result if isinstance(result, str) else None


def _first_element(result: Any) -> etree._Element | None:
    value = _first(result)
    return value if isinstance(value, etree._Element) else None


def _elements(result: Any) -> list[etree._Element]:
    if not isinstance(result, list):
        return []
    return [value for value in result if isinstance(value, etree._Element)]


def _value_text(value: etree._Element | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _squash(value) or None
    return _text(value)


def _remove(element: etree._Element, *, paragraph_break: bool = False) -> None:
    """Take ``element`` out of the tree, keeping the loose text that follows it; ``paragraph_break``
    leaves two ``<br>`` in its place, for bodies of loose text where the element separated paragraphs."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if paragraph_break:
        first, second = etree.Element("br"), etree.Element("br")
        second.tail = tail
        element.addprevious(first)
        element.addprevious(second)
        parent.remove(element)
        return
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def _host_matches(host: str, suffixes: tuple[str, ...]) -> bool:
    return any(host == suffix or host.endswith("." + suffix) for suffix in suffixes)


def _language(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    code = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if len(code) == 2 and code.isalpha() else None


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    value = text.strip()
    if value.isdigit() and 9 <= len(value) <= 11:
        return datetime.fromtimestamp(int(value), tz=UTC)
    return parse_datetime(value)


def _best_date(candidates: list[str | None]) -> datetime | None:
    """The first date that states its offset; a naive one only when nothing better exists."""
    fallback: datetime | None = None
    for candidate in candidates:
        parsed = _parse_date(candidate)
        if parsed is None or candidate is None:
            continue
        if _HAS_OFFSET.search(candidate.strip()) or candidate.strip().isdigit():
            return parsed
        fallback = fallback or parsed
    return fallback


# ---------------------------------------------------------------------------------------------- JSON-LD


def _ld_type_names(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {n.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in names if isinstance(n, str)}


def _ld_nodes(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every typed object in a JSON-LD document: lists, ``@graph`` and nested ``mainEntity`` included."""
    if depth > 6:
        return []
    found: list[dict[str, Any]] = []
    if isinstance(data, list):
        for entry in data:
            found.extend(_ld_nodes(entry, depth + 1))
    elif isinstance(data, dict):
        if "@type" in data:
            found.append(data)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
            if key in data:
                found.extend(_ld_nodes(data[key], depth + 1))
    return found


def _ld_rank(node: dict[str, Any]) -> int:
    types = _ld_type_names(node)
    if types & ARTICLE_TYPES:
        return 3
    if types & GENERIC_ARTICLE_TYPES:
        return 2
    if (
        types & SECONDARY_TYPES
        and (node.get("headline") or node.get("name"))
        and node.get("author")
    ):
        return 1
    return 0


def _json_ld_article(scripts: list[etree._Element]) -> dict[str, Any]:
    """The page's article object: the best-ranked typed node with a headline (``{}`` if none)."""
    best: dict[str, Any] = {}
    best_rank = 0
    for script in scripts:
        payload = (script.text or "").strip()
        if not payload:
            continue
        try:
            data = json.loads(payload, strict=False)
        except ValueError:
            continue
        for node in _ld_nodes(data):
            rank = _ld_rank(node)
            if rank > best_rank and (node.get("headline") or node.get("name") or rank >= 2):
                best, best_rank = node, rank
    return best


def _ld_names(value: Any) -> list[tuple[str, str | None]]:
    """``author``/``publisher`` values as ``(name, type)`` pairs; plain strings have no type."""
    items = value if isinstance(value, list) else [value]
    names: list[tuple[str, str | None]] = []
    for item in items:
        if isinstance(item, str):
            plain = _plain(item)
            if plain:
                names.append((plain, None))
        elif isinstance(item, dict):
            name = _plain(item.get("name"))
            if name:
                types = _ld_type_names(item)
                names.append((name, "Organization" if "Organization" in types else "Person"))
    return names


def _article_body(value: Any) -> list[str]:
    """``articleBody`` paragraphs when it is real text (not a teaser cut off with '...')."""
    if not isinstance(value, str):
        return []
    text = _unescape(value)
    if _TAG.search(text):
        paragraphs = html_fragment_paragraphs(text)
    else:
        paragraphs = [p for p in (_squash(c) for c in _LINE_BREAKS.split(text)) if p]
    total = sum(len(p) for p in paragraphs)
    if total < 150 or _TRUNCATED.search(paragraphs[-1]):
        return []
    return paragraphs


# ---------------------------------------------------------------------------------------------- page


@dataclass(slots=True)
class _Page:
    """What one parse of the page offers, gathered once and read by the field resolvers."""

    root: etree._Element
    marks: _Landmarks
    ld: dict[str, Any]
    meta: dict[str, list[str]]
    url: str | None
    publishers: set[str] = field(default_factory=set)

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return value
        return None


@dataclass(slots=True)
class _Landmarks:
    """The few elements read from all over the page, found in one pass over the tree."""

    ld_scripts: list[etree._Element] = field(default_factory=list)
    metas: list[etree._Element] = field(default_factory=list)
    canonical: str | None = None
    title: etree._Element | None = None
    h1: etree._Element | None = None
    articles: list[etree._Element] = field(default_factory=list)


def _landmarks(root: etree._Element) -> _Landmarks:
    found = _Landmarks()
    for element in root.iter("script", "meta", "link", "title", "h1", "article"):
        tag = element.tag
        if tag == "script":
            if (element.get("type") or "").strip().lower() == "application/ld+json":
                found.ld_scripts.append(element)
        elif tag == "meta":
            found.metas.append(element)
        elif tag == "link":
            if (
                found.canonical is None
                and "canonical" in (element.get("rel") or "").lower().split()
            ):
                found.canonical = _squash(element.get("href")) or None
        elif tag == "title":
            found.title = found.title if found.title is not None else element
        elif tag == "h1":
            found.h1 = found.h1 if found.h1 is not None else element
        else:
            found.articles.append(element)
    return found


def _collect_meta(metas: list[etree._Element]) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in metas:
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    return meta


def _publisher_names(page: _Page) -> set[str]:
    names = {name for name, _ in _ld_names(page.ld.get("publisher"))}
    for key in ("og:site_name", "application-name", "publisher", "copyright"):
        names.update(page.meta.get(key, ()))
    if page.url:
        host = _host(page.url) or ""
        names.update({host, host.removeprefix("www.")})
    return {_squash(n).casefold() for n in names if n and n.strip()}


def _choose_profile(page: _Page) -> SiteProfile | None:
    hosts = [h for h in (_host(page.url), _host(page.meta_first("og:url"))) if h]
    for host in hosts:
        for profile in PROFILES:
            if _host_matches(host, profile.hosts):
                return profile
    site_names = {
        _squash(v).casefold()
        for k in ("og:site_name", "application-name")
        for v in page.meta.get(k, ())
    }
    for profile in PROFILES:
        if site_names & set(profile.site_names):
            return profile
    # Markup markers only for pages that name no URL (archived copies): they cost a document scan.
    if not hosts and _MARKERS is not None and _elements(_MARKERS(page.root)):
        for profile in PROFILES:
            if profile.marker and _elements(_XP[profile.marker](page.root)):
                return profile
    return None


def _profile_value(page: _Page, expression: str | None) -> str | None:
    if not expression:
        return None
    return _value_text(_first(_XP[expression](page.root)))


def _profile_all(page: _Page, expression: str | None) -> list[str]:
    if not expression:
        return []
    texts = []
    for element in _elements(_XP[expression](page.root)):
        texts.extend(element_paragraphs(element))
    return [t for t in (_squash(t) for t in texts) if t]


# ---------------------------------------------------------------------------------------------- headline


def _strip_kicker(headline: str, kicker: str | None, *, bare: bool) -> str:
    """``Kicker: Title`` -> ``Title``; ``bare`` also allows a plain space (h1 = kicker span + title)."""
    if not kicker or not headline.startswith(kicker) or len(headline) <= len(kicker):
        return headline
    rest = headline[len(kicker) :]
    separator = _KICKER_SEPARATOR.match(rest)
    if separator:
        return rest[separator.end() :].strip() or headline
    if bare and rest[:1].isspace():
        return rest.strip() or headline
    return headline


def _strip_site_suffix(title: str, publishers: set[str]) -> str:
    match = _TITLE_SUFFIX.search(title)
    if match and _squash(match.group("site")).casefold() in publishers:
        return match.group("title")
    return title


def _kicker(page: _Page, profile: SiteProfile | None) -> str | None:
    kicker = _profile_value(page, profile.kicker) if profile else None
    kicker = kicker or _plain(page.meta_first("kicker", "cxenseparse:kicker"))
    if not kicker and page.marks.h1 is not None:
        kicker = _text(_first_element(_KICKER_IN_H1(page.marks.h1)))
    for article in page.marks.articles[:3] if not kicker else ():
        kicker = kicker or _text(_first_element(_KICKER_IN_HEADER(article)))
    if not kicker:
        return None
    return kicker.rstrip(" :").strip() or None


def _displayed_kicker(page: _Page, headline: str | None) -> str | None:
    """The kicker shown with the headline when no markup names it: a paragraph before the ``h1`` in an
    ``<hgroup>`` (HTML's heading group), else the text a displayed heading puts before the headline
    (``Kicker – Headline`` in one ``h1``/``h2``)."""
    h1 = page.marks.h1
    parent = h1.getparent() if h1 is not None else None
    if h1 is not None and parent is not None and parent.tag == "hgroup":
        for sibling in h1.itersiblings(preceding=True):
            text = _text(sibling)
            if text and sibling.tag not in _HEADINGS:
                return text.rstrip(" :").strip() or None
    if not headline:
        return None
    wanted = _squash(headline)
    for index, heading in enumerate(page.root.iter("h1", "h2")):
        if index >= _HEADINGS_SCANNED:
            break
        text = _text(heading) or ""
        if text.endswith(wanted) and len(text) > len(wanted):
            kicker = text[: -len(wanted)].strip(" :|-–—")
            if kicker and len(kicker) <= _MAX_KICKER:
                return kicker
    return None


def _headline(page: _Page, profile: SiteProfile | None, kicker: str | None) -> str | None:
    structured = [
        _plain(page.ld.get("headline")) or _plain(page.ld.get("name")),
        _plain(page.meta_first("og:title")),
    ]
    for candidate in structured:
        if candidate:
            return _strip_kicker(_strip_site_suffix(candidate, page.publishers), kicker, bare=False)
    marked_up = _profile_value(page, profile.headline) if profile else None
    if marked_up:
        return _strip_kicker(marked_up, kicker, bare=True)
    h1 = _text(page.marks.h1)
    for candidate in (
        _plain(page.meta_first("twitter:title")),
        _text(page.marks.title),
    ):
        if candidate:
            suffix = _TITLE_SUFFIX.search(candidate)
            if h1 and suffix and _squash(suffix.group("title")) == _squash(h1):
                break  # "Headline | Site name" with the headline as the page's h1: the site unnamed
            return _strip_kicker(_strip_site_suffix(candidate, page.publishers), kicker, bare=False)
    return _strip_kicker(h1, kicker, bare=True) if h1 else None


# ---------------------------------------------------------------------------------------------- credits


def _authors(page: _Page, profile: SiteProfile | None) -> list[str]:
    """Author/creator strings exactly as the page gives them (JSON-LD authors incl. organisations,
    else meta authors, then the profile's byline box, else a byline printed beside the headline when
    it names no one already found). Whether one names an agency or a person is the normalizer's call,
    through the one agency table (``normalizers.agencies``)."""
    authors = [name for name, _kind in _ld_names(page.ld.get("author"))]
    if not authors:
        for key in ("article:author", "author", "cxenseparse:author", "dc.creator"):
            authors.extend(plain for plain in map(_plain, page.meta.get(key, ())) if plain)
    if profile and profile.byline:
        marked_up = _profile_value(page, profile.byline)
        if marked_up:
            authors.append(marked_up)
    shown = displayed_byline(page.marks.h1) if not (profile and profile.byline) else None
    if shown:
        authors.extend(_new_parts(shown, authors))
    unique: list[str] = []
    for name in authors:
        if name not in unique and "://" not in name:
            unique.append(name)
    return unique


def _new_parts(shown: str, known: list[str]) -> list[str]:
    """What a displayed byline adds to the authors already known (meta, JSON-LD): ``[shown]`` when it
    names someone new (``By REBECCA BOONE Associated Press`` beside the meta author ``Associated
    Press``), its new comma parts when it repeats a known name (``Jane Smith, Australian Associated
    Press`` beside ``Jane Smith, AAP``), nothing when it only repeats them."""
    names = {_key(part) for name in known for part in name.split(",") if _key(part)}
    rest = _key(_BY_WORD.sub("", shown))
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, "")
    if not rest:
        return []
    parts = [part.strip() for part in shown.split(",") if part.strip()]
    if len(parts) > 1 and any(_key(part) in names for part in parts):
        return [part for part in parts if _key(part) not in names]
    return [shown]


_BY_WORD = re.compile(r"^\s*(?:by|von|par|por|di|da|av|door|przez)\s+", re.IGNORECASE)


def _key(text: str) -> str:
    return "".join(filter(str.isalnum, text.casefold()))


# ---------------------------------------------------------------------------------------------- body


def _plain_text(element: etree._Element) -> str:
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def _block_texts(block: etree._Element, raw: str | None = None) -> list[str]:
    """Paragraphs of one block; the common plain ``<p>`` skips the general walker (the hot path).
    ``raw`` is the block's text when the caller has it already."""
    for descendant in block.iterdescendants():
        if not isinstance(descendant.tag, str) or descendant.tag in _SLOW_TAGS:
            return element_paragraphs(block)
    text = " ".join((_plain_text(block) if raw is None else raw).split())
    return [text] if text else []


def _mostly_links(element: etree._Element, plain: str) -> bool:
    """A block whose text (``plain``: its ``_plain_text``) is mostly link text (a teaser list item),
    counted on text, not markup."""
    links = [a for a in element.iter("a")]
    if not links:
        return False
    text = len("".join(plain.split()))
    linked = sum(len("".join(_plain_text(a).split())) for a in links)
    return linked > DROP_LINK_DENSITY * text


def _block_paragraphs(elements: list[etree._Element]) -> list[str]:
    """Paragraphs of a profile's block elements. Link lists among them are teasers, not text, and a
    heading followed by no text before the next heading is a teaser box title, not a subhead."""
    kept: list[tuple[bool, list[str]]] = []  # (is a heading, paragraphs)
    for element in elements:
        plain = None  # read once, only for a block with links
        if next(element.iter("a"), None) is not None:
            plain = _plain_text(element)
            if _mostly_links(element, plain):
                if kept and kept[-1][0]:
                    kept.pop()  # the title of this link box
                continue
        texts = _block_texts(element, plain)
        if texts:
            kept.append((element.tag in _HEADINGS, texts))
    while kept and kept[-1][0]:
        kept.pop()
    paragraphs: list[str] = []
    for _is_heading, texts in kept:
        paragraphs.extend(texts)
    return paragraphs


def _clean_body(paragraphs: list[str], clean: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Drop empty lines, page furniture (``parsers.furniture``: ``Anzeige``, ``À lire aussi ...``),
    time lines (``Published ... · Updated ...``: the header's, read into the record's times) and exact
    repeats. ``clean``: texts already found neither furniture nor a time line."""
    kept: list[str] = []
    for paragraph in paragraphs:
        text = paragraph.strip()
        if not text.strip(_INVISIBLE_CHARS):
            continue
        if text not in clean and (is_furniture(text) or is_time_line(text)):
            continue
        if kept and kept[-1] == text:
            continue
        kept.append(text)
    return kept


def _profile_body(page: _Page, profile: SiteProfile) -> tuple[list[str], list[str]]:
    """Body paragraphs from the site markup, and the lead paragraphs (removed from the body)."""
    lead_elements = _elements(_XP[profile.lead](page.root)) if profile.lead else []
    lead = [p for element in lead_elements for p in element_paragraphs(element)]
    container = _first_element(_XP[profile.body](page.root))
    if container is None:
        return [], lead
    for element in lead_elements:
        _remove(element, paragraph_break=profile.loose_text)
    if profile.drop:
        for element in _elements(_XP[profile.drop](container)):
            _remove(element, paragraph_break=profile.loose_text)
    if profile.loose_text:
        return element_paragraphs(container), lead
    return _block_paragraphs(_elements(_XP[profile.blocks](container))), lead


def _generic_credit(container: etree._Element | None) -> str | None:
    if container is None:
        return None
    scope = _first_element(_ARTICLE_SCOPE(container))
    if scope is None or "Quelle:" not in _plain_text(scope):
        return None
    found = _first(_GENERIC_CREDIT(scope))
    parent = found.getparent() if isinstance(found, etree._ElementUnicodeResult) else None
    credit = _text(parent) if parent is not None else None
    return credit if credit and len(credit) <= 80 else None


def _starts_with(squashed: str, lead: list[str]) -> bool:
    """Whether already squashed text begins with the first lead paragraph (its first 80 characters)."""
    if not squashed or not lead:
        return False
    head = _squash(lead[0])[:80]
    return bool(head) and squashed.startswith(head)


def _trim_to_article_body(paragraphs: list[str], ld_text: str, page: _Page) -> list[str]:
    """Drop leading paragraphs the site's own ``articleBody`` does not start with (a standfirst, a
    teaser repeating the description)."""
    if ld_text:
        for index, paragraph in enumerate(paragraphs[:4]):
            if _starts_with(ld_text, [paragraph]):
                return paragraphs[index:]
        description = _plain(page.meta_first("og:description", "description"))
        if paragraphs and description and _squash(paragraphs[0]) == _squash(description):
            return paragraphs[1:]
    return paragraphs


def _words(paragraphs: list[str]) -> int:
    """Words as a reader counts them; each ideograph/kana counts as one (scripts without spaces)."""
    return sum(len(_WORD.findall(p)) for p in paragraphs)


def _generic_paragraphs(page: _Page, found: GenericBody, ld_text: str) -> list[str]:
    generic = _trim_to_article_body(found.paragraphs, ld_text, page)
    # A standfirst is kept when the structured body starts with it, or when it opens with a wire
    # dateline (``Warszawa (PAP) - ...``): then it is the story's first paragraph set in bold.
    if found.lead and (_starts_with(ld_text, found.lead) or is_dateline_lead(found.lead[0])):
        generic = found.lead + generic
    credit = _generic_credit(found.container)
    if generic and credit and credit not in generic:
        generic.append(credit)
    return generic


def _profile_agrees(
    paragraphs: list[str],
    generic: list[str],
    ld_words: int,
    words: Callable[[list[str]], int] = _words,
) -> bool:
    """A profile's body is trusted unless it is empty or much shorter than the generic body or the
    page's own ``articleBody`` (the site changed its layout: a selector now finds one block)."""
    found = words(paragraphs)
    if not found:
        return False
    return found >= _TRUNCATED_SHARE * max(words(generic), ld_words)


def _word_counter() -> Callable[[list[str]], int]:
    """``_words`` remembering its answer per list: ``_body`` weighs the same lists several times, and
    none of them changes while it does."""
    counted: dict[int, tuple[list[str], int]] = {}  # the list is held so its id stays its own

    def words(paragraphs: list[str]) -> int:
        hit = counted.get(id(paragraphs))
        if hit is None:
            hit = counted[id(paragraphs)] = (paragraphs, _words(paragraphs))
        return hit[1]

    return words


def _body(
    page: _Page, profile: SiteProfile | None, headline: str | None, kicker: str | None
) -> tuple[list[str], GenericBody]:
    """Body paragraphs: the site profile's when it agrees with the generic extraction, else the generic
    body, else (markup body missing or much shorter) the page's JSON-LD ``articleBody``."""
    ld_body = _article_body(page.ld.get("articleBody"))
    ld_text = " ".join(ld_body)  # its lines are squashed already
    words = _word_counter()
    ld_words = words(ld_body)
    found = extract_body(
        page.root, headline=headline, kicker=kicker
    )  # before a profile edits the tree
    generic = _generic_paragraphs(page, found, ld_text)
    path = "generic"
    paragraphs = generic
    if profile:
        marked_up, lead = _profile_body(page, profile)
        first = _squash(marked_up[0]) if marked_up else ""
        if lead and _starts_with(ld_text, lead) and not _starts_with(first, lead):
            marked_up = lead + marked_up
        if _profile_agrees(marked_up, generic, ld_words, words):
            paragraphs, path = marked_up, f"profile {profile.name}"
        else:
            path = f"generic (profile {profile.name} found {words(marked_up)} words)"
    # Boxes the generic extractor left out on purpose are in articleBody too: not a truncation.
    left_out = words(found.left_out) if paragraphs is generic else 0
    if ld_words >= _MIN_LD_WORDS and words(paragraphs) + left_out < _TRUNCATED_SHARE * ld_words:
        # The markup body is a truncation of the page's own text (or missing): take articleBody.
        path = f"articleBody ({path} found {words(paragraphs)} of {ld_words} words)"
        paragraphs = list(ld_body)
    if profile and profile.credit:
        credit = _profile_value(page, profile.credit)
        if credit and (not paragraphs or _squash(paragraphs[-1]) != credit):
            paragraphs.append(credit)
    log.debug("html body: %s", path, extra={"url": page.url})
    return _clean_body(paragraphs, found.clean), found


# ---------------------------------------------------------------------------------------------- the rest


def _time_element(page: _Page) -> datetime | None:
    """The first ``<time datetime>`` of the headline's article (or ``main``), else of the page; a
    ``<time>`` without the attribute gives the date its text shows (``<time>30 novembre 2026
    12:40</time>``, read by the time-line grammar; an ``Updated ...`` text is no publication time)."""
    h1 = page.marks.h1
    scope = next((a for a in h1.iterancestors("article", "main")), None) if h1 is not None else None
    for element in (scope if scope is not None else page.root).iter("time"):
        machine = element.get("datetime")
        parsed = _parse_date(machine)
        if parsed is None and machine is None:
            shown = parse_time_line(
                " ".join("".join(str(text) for text in element.itertext()).split())[:MAX_TIME_LINE]
            )
            parsed = shown.published if shown is not None else None
        if parsed is not None:
            return parsed
    return None


def _displayed_times(page: _Page, lines: list[str]) -> tuple[datetime | None, datetime | None]:
    """(published, updated) shown on the page: published from a ``<time datetime>`` of the article,
    else from the time lines printed around the headline; updated from those lines
    (``parsers._html_header.displayed_times``). A time without a zone stays naive."""
    shown = displayed_times(lines)
    machine = _time_element(page)
    return machine or shown.published, shown.updated


def _keywords(page: _Page) -> list[str]:
    value = page.ld.get("keywords")
    if isinstance(value, list):
        return [k for k in (_plain(v) for v in value) if k]
    meta = page.meta_first("news_keywords", "keywords")
    source = meta if meta else value if isinstance(value, str) else None
    if not source:
        return []
    return [k for k in (_plain(part) for part in source.split(",")) if k]


def _subjects(page: _Page) -> list[str]:
    value = page.ld.get("articleSection") or page.meta_first("article:section")
    values = value if isinstance(value, list) else str(value or "").split(",")
    return [s for s in (_plain(v) for v in values) if s]


def _photo_caption(page: _Page, expression: str) -> str | None:
    """A profile's caption, unless the element is an author/date box (``<address>``, ``<time>``) in a
    figure without a picture: layouts put bylines in ``<figcaption>`` too."""
    element = _first(_XP[expression](page.root))
    if isinstance(element, etree._Element):
        figure = next((a for a in element.iterancestors("figure")), None)
        has_media = figure is not None and next(figure.iter(*_MEDIA_TAGS), None) is not None
        if not has_media and next(element.iter("address", "time"), None) is not None:
            return None
    return _value_text(element)


# A caption longer than this is an article text or a gallery description, not a picture's caption.
MAX_CAPTION = 400
# Figure captions that are a rights line or a chart's source, not a description of the picture.
_NOT_A_CAPTION = re.compile(
    r"^(?:©|\(c\)\s|(?:Sources?|Quelle|Fuente|Fonte|Bron|Źródło|Kilde|Källa|Lähde)\s*:)",
    re.IGNORECASE,
)


def _story_caption(page: _Page, container: etree._Element | None) -> str | None:
    """The caption of the story's first picture on a page without a profile or JSON-LD caption: the
    ``<figcaption>`` of the first ``<figure>`` holding an image inside the body's container, else inside
    the headline's ``<article>``. A figure inside a link is a teaser card's; a caption that is only a
    picture credit (``Foto: dpa``) is no caption."""
    h1 = page.marks.h1
    article = next(h1.iterancestors("article"), None) if h1 is not None else None
    for scope in (container, article):
        if scope is None:
            continue
        for figure in scope.iter("figure"):
            if next(figure.iter(*_MEDIA_TAGS), None) is None:
                continue
            if (
                next(figure.iterancestors("a"), None) is not None
                or figure.find(".//a//img") is not None
            ):
                continue
            text = _value_text(next(figure.iter("figcaption"), None))
            if (
                text
                and len(text) <= MAX_CAPTION
                and " " in text  # one word is a credit or a label (``Privat``, ``Reuters``)
                and not _NOT_A_CAPTION.match(text)
                and not is_furniture(text)
            ):
                return text
    return None


def _caption(page: _Page, profile: SiteProfile | None) -> str | None:
    caption = _photo_caption(page, profile.caption) if profile and profile.caption else None
    if caption:
        return caption
    images = page.ld.get("image")
    for image in images if isinstance(images, list) else [images]:
        if isinstance(image, dict):
            text = _plain(image.get("caption")) or _plain(image.get("description"))
            if text:
                return text
    return None


def _related(page: _Page, profile: SiteProfile | None) -> list[ParsedRelated]:
    if not profile or not profile.related_item:
        return []
    items = []
    for element in _elements(_XP[profile.related_item](page.root)):
        title = _value_text(_first(_XP[profile.related_title](element)))
        if not title:
            continue
        href = _value_text(_first(_XP[profile.related_url](element)))
        teaser = (
            _value_text(_first(_XP[profile.related_teaser](element)))
            if profile.related_teaser
            else None
        )
        url = urljoin(page.url, href) if href and page.url else href
        items.append(ParsedRelated(title=title, teaser=teaser, url=url))
    return items


def _dateline(page: _Page, profile: SiteProfile | None) -> ParsedDateline | None:
    place = _profile_value(page, profile.dateline) if profile else None
    place = place.strip(" .:-–—") if place else None
    return ParsedDateline(place=place) if place else None


def _page_language(page: _Page) -> str | None:
    for value in (
        page.ld.get("inLanguage"),
        _first(_HTML_LANG(page.root)),
        page.meta_first("og:locale"),
        page.meta_first("content-language", "language", "dc.language"),
    ):
        code = _language(value)
        if code:
            return code
    return None


def _parse_tree(raw: bytes) -> etree._Element:
    text, encoding = decode_bytes(raw)
    data = (
        raw if encoding == "utf-8" and not raw.startswith(b"\xef\xbb\xbf") else text.encode("utf-8")
    )
    data = _XML_DECLARATION.sub(b"", data, count=1)
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
        raise ParseError(f"unreadable HTML: {exc}") from exc
    if root is None:
        raise ParseError("HTML document has no elements")
    return root


def parse(raw: bytes) -> list[ParsedItem]:
    """One item for an article page; ``[]`` for a page with neither headline nor text."""
    root = _parse_tree(raw)
    marks = _landmarks(root)
    page = _Page(
        root=root,
        marks=marks,
        ld=_json_ld_article(marks.ld_scripts),
        meta=_collect_meta(marks.metas),
        url=None,
    )
    page.url = marks.canonical or page.meta_first("og:url")
    page.publishers = _publisher_names(page)
    profile = _choose_profile(page)
    kicker = _kicker(page, profile)
    headline = _headline(page, profile, kicker)
    kicker = kicker or _displayed_kicker(page, headline)
    ednotes = _profile_all(page, profile.ednotes) if profile else []
    item = ParsedItem(
        source_format=FORMAT,
        kicker=kicker if kicker != headline else None,
        headline=headline,
        caption=_caption(page, profile),
        dateline=_dateline(page, profile),
        related=_related(page, profile),
        agencies=list(profile.agencies) if profile else [],
        authors=_authors(page, profile),
        language=_page_language(page),
        published_at=_best_date(
            [
                page.ld.get("datePublished")
                if isinstance(page.ld.get("datePublished"), str)
                else None,
                page.meta_first("article:published_time", "og:published_time"),
                _profile_value(page, profile.published) if profile else None,
                page.meta_first("date", "dc.date.issued", "pubdate", "publishdate"),
                page.meta_first("datepublished", "datecreated"),  # schema.org microdata
            ]
        ),
        updated_at=_best_date(
            [
                page.ld.get("dateModified")
                if isinstance(page.ld.get("dateModified"), str)
                else None,
                page.meta_first("article:modified_time", "og:updated_time", "last-modified"),
            ]
        ),
        subjects=_subjects(page),
        keywords=_keywords(page),
        ednotes=ednotes,
        url=page.url,
    )
    # last: a profile removes dropped elements
    item.body, found = _body(page, profile, headline, kicker)
    item.caption = item.caption or _story_caption(page, found.container)
    if item.published_at is None or item.updated_at is None:
        shown_published, shown_update = _displayed_times(page, found.header_lines)
        item.published_at = item.published_at or shown_published
        item.updated_at = item.updated_at or shown_update
    if not item.body:
        raise ParseError("no article text found on the page")
    return [item]
