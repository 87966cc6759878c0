"""IPTC NewsML 1.2 (AFP classic and the newer AFP profile, ANA-MPA, ANP, Belga, EFE, Kyodo, SDA-ATS, TASS).

One ``NewsML`` document holds one or more ``NewsItem``s; each item yields one story. Inside an item,
``NewsComponent``s nest: the story is the first text ``ContentItem`` that is not a photo, a caption or a
title/lead part, and its metadata is read from the component that holds it outwards to the item, nearest
first -- so a photo component's own ``HeadLine`` (a caption) or advisory never reaches the story.

Where NewsML says what: ``NewsIdentifier`` (guid = ``PublicIdentifier`` without its revision, which all
revisions share; version = ``RevisionId``), ``NewsManagement`` (dates, ``Status``, ``StatusWillChange`` for
embargoes, the item's own ``Urgency`` -- never the envelope ``Priority``, which is transmission-level),
``NewsLines`` (``HeadLine``, ``SubHeadLine``, ``ByLine``, ``DateLine``, ``CreditLine``, advisory lines),
``DescriptiveMetadata`` (language, subjects, keywords, ``Location HowPresent="Origin"``). Bodies come as
NITF (``body.content``), bare bcNITF paragraphs, HTML in CDATA, escaped HTML or plain text.
What differs per agency is data in ``_PROFILES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from lxml import etree

from parsers._inline import clean_items
from parsers._placeholders import is_placeholder, real
from parsers._wiretext import lift_lead_notes, plain_text_paragraphs
from parsers.base import ParsedDateline, ParsedItem, ParseError, Status
from parsers.dates import parse_datetime
from parsers.limits import MAX_ITEMS_PER_DOCUMENT
from parsers.markup import SKIP_TAGS, element_paragraphs, element_text, html_fragment_paragraphs
from parsers.nitf import canonical_nitf_tags
from parsers.xmlsafe import (
    canonical_tags,
    element_query,
    has_attribute_variant,
    local_name,
    parse_xml,
    sniff_root,
    spelling_table,
    string_query,
)

FORMAT = "newsml12"
SNIFF_ORDER = 20
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise

_ROOT = "NewsML"
# NewsML 1.2 element names as the DTD spells them; case variants agencies send (Belga ``Headline``,
# ``Byline``, ``Dateline``) are read as these. Markup inside ``DataContent`` (XHTML, NITF) is left alone.
_SPELLINGS = spelling_table(
    (
        "NewsML", "Catalog", "Resource", "Urn", "Url", "TopicSet", "TopicSetRef", "Topic", "TopicType",
        "FormalName", "Description", "Property", "NewsEnvelope", "TransmissionId", "SentFrom", "SentTo",
        "DateAndTime", "NewsService", "NewsProduct", "Priority", "NewsItem", "Identification",
        "NewsIdentifier", "ProviderId", "DateId", "NewsItemId", "RevisionId", "PublicIdentifier",
        "NameLabel", "DateLabel", "Label", "LabelType", "LabelText", "NewsManagement", "NewsItemType",
        "FirstCreated", "ThisRevisionCreated", "Status", "StatusWillChange", "FutureStatus", "Urgency",
        "RevisionHistory", "DerivedFrom", "AssociatedWith", "Instruction", "NewsItemRef", "NewsComponent",
        "Role", "BasisForChoice", "NewsLines", "HeadLine", "SubHeadLine", "ByLine", "ByLineTitle",
        "DateLine", "CreditLine", "CopyrightLine", "RightsLine", "SeriesLine", "SlugLine", "KeywordLine",
        "NewsLine", "NewsLineType", "NewsLineText", "AdministrativeMetadata", "FileName",
        "SystemIdentifier", "Provider", "Creator", "Source", "Contributor", "Party", "RightsMetadata",
        "Copyright", "CopyrightHolder", "CopyrightDate", "UsageRights", "UsageType", "Geography",
        "RightsHolder", "Limitations", "StartDate", "EndDate", "DescriptiveMetadata", "Language", "Genre",
        "SubjectCode", "Subject", "SubjectMatter", "SubjectDetail", "SubjectQualifier", "OfInterestTo",
        "TargetAudience", "TopicOccurrence", "Location", "ContentItem", "MediaType", "Format", "MimeType",
        "Notation", "Characteristics", "SizeInBytes", "DataContent", "Encoding", "Comment", "Metadata",
        "MetadataType", "Update", "Delete", "Insert", "Replace",
    ),
    # attributes the parser reads; exporters send ``formalname``, ``DUID``, ``href``
    ("FormalName", "Vocabulary", "Scheme", "Duid", "Euid", "Href", "Value", "ValueRef", "HowPresent",
     "Topic", "Update", "PreviousRevision", "Version", "Size"),
)  # fmt: skip
_OPAQUE = frozenset({"DataContent"})
_NITF_ROOTS = frozenset({"nitf", "body"})
# The attribute whose variants are looked for in the bytes: an exporter that changes the spelling of
# attribute names changes this one, the commonest, too.
_VARIANT_PROBES = ("FormalName",)
_T = TypeVar("_T")


# --- item level -------------------------------------------------------------------------------------
_NEWS_ITEMS = element_query("NewsItem")
_IDENTIFIER = element_query("Identification/NewsIdentifier")
_MANAGEMENT = element_query("NewsManagement")
_TOP_COMPONENTS = element_query("NewsComponent")
_CONTENT_ITEMS = element_query(".//ContentItem")
_CAPTION_ITEMS = element_query(".//NewsComponent[Role/@FormalName='Caption']/ContentItem")
_LANG = string_query("ancestor-or-self::*[@xml:lang][1]/@xml:lang")
# --- one NewsComponent's own metadata (TASS misspells DescriptiveMetadata as DescriptiveMetada) --------
_DESCRIPTIVE = "*[starts-with(local-name(), 'DescriptiveMetad')]"
_HEADLINE = element_query("NewsLines/HeadLine")
_SUBHEADLINE = element_query("NewsLines/SubHeadLine")
_BYLINE = element_query("NewsLines/ByLine")
_DATELINE = element_query("NewsLines/DateLine")
_CREDIT_LINE = element_query("NewsLines/CreditLine")
_COPYRIGHT_LINE = element_query("NewsLines/CopyrightLine")
_KEYWORD_LINE = element_query("NewsLines/KeywordLine")
_NEWS_LINES = element_query("NewsLines/NewsLine")
_SOURCE_PARTY = string_query("AdministrativeMetadata/Source/Party/@FormalName")
_PROVIDER_PARTY = string_query("AdministrativeMetadata/Provider/Party/@FormalName")
_CREATOR_PARTY = string_query("AdministrativeMetadata/Creator/Party[not(@Topic)]/@FormalName")
_ADMIN_PROPERTY = element_query("AdministrativeMetadata/Property")
_LANGUAGE = string_query(f"{_DESCRIPTIVE}/Language/@FormalName")
_GENRE = string_query(f"{_DESCRIPTIVE}/Genre/@FormalName")
_SUBJECTS = string_query(f"{_DESCRIPTIVE}/SubjectCode/*/@FormalName")
_KEYWORD_PROPERTY = string_query(f"{_DESCRIPTIVE}/Property[@FormalName='Keyword']/@Value")
_ORIGIN_CITY = string_query(
    f"{_DESCRIPTIVE}/Location[@HowPresent='Origin']/Property[@FormalName='City']/@Value"
)
_GUID_ELEMENT = string_query(f"{_DESCRIPTIVE}/guid/text()")
_ITEM_KEYWORDS = string_query("item_keywords/item_keyword/text()")
# --- inside DataContent (NITF / bcNITF / XHTML) ---------------------------------------------------------
_BODY_CONTENT = element_query(".//body.content")
_BODY = element_query(".//body")
_HL1 = element_query(".//hedline/hl1")
_NITF_BYLINE = element_query(".//body.head/byline")
_NITF_KEYWORDS = string_query(".//docdata/key-list/keyword/@key")

# Parts of a NITF body that are not story text: headline block, teaser, byline, dateline, tagline.
_BODY_SKIP = SKIP_TAGS | frozenset(
    {"body.head", "body.end", "hedline", "abstract", "byline", "dateline", "note"}
)
# Component roles that are parts beside the story (Belga Title/Lead; Business Wire StyleSheet, HeadLine,
# Logo, Contact, TweetText) or a photo and its renditions. The story itself is the Main/Body component.
# Roles are compared folded (lower case, no spaces, dashes or underscores: ``Main Text`` = ``main_text``), in
# the languages of the agencies that name them (dpa/APA/SDA German, ANSA Italian, ANP Dutch, Belga/AFP French,
# EFE/Lusa Spanish/Portuguese, Nordic agencies). A component inside a photo, video or graphic component
# (its description, its caption) is never the story either.
_NOT_STORY_ROLES = frozenset(
    {"caption", "title", "lead", "abstract", "summary", "teaser", "highdef", "quicklook", "thumbnail",
     "preview", "photo", "picture", "image", "graphic", "video", "audio", "stylesheet", "style", "css",
     "logo", "contact", "contacts", "tweettext", "tweet", "headline", "subheadline", "byline", "dateline",
     "keywords", "disclaimer", "boilerplate", "multimedia", "attachment",
     "description", "photodescription", "imagedescription", "photocaption", "imagecaption", "cutline",
     "bildtext", "bildunterschrift", "bildbeschreibung", "foto", "bild", "grafik", "legende", "légende",
     "didascalia", "fotografia", "immagine", "piedefoto", "piefoto", "legenda", "bijschrift", "onderschrift",
     "fotobeschrijving", "bildtekst", "bildetekst", "kuvateksti",
     "kontakt", "kontakte", "contatto", "contatti", "contacto", "contactos", "contato", "kontaktinfo",
     "contactinfo", "contactinformation", "mediacontact", "pressecontact", "pressekontakt",
     "zusammenfassung", "sommario", "riassunto", "resumen", "resumo", "résumé", "resume", "samenvatting",
     "sammanfattning", "sammendrag", "resumé", "chapeau", "vorspann", "occhiello", "sottotitolo",
     "titel", "titolo", "titre", "titulo", "título", "kop", "überschrift", "ueberschrift", "rubrik",
     "stylesheets", "javascript", "script", "tweets", "socialmedia", "twitter", "signature", "footer",
     "infobox", "factbox"}
)  # fmt: skip
_STORY_ROLES = frozenset(
    {"main", "body", "maintext", "text", "story", "article", "bodytext",
     "haupttext", "fliesstext", "fließtext", "meldungstext", "artikel", "beitrag", "meldung",
     "testo", "testoprincipale", "corpo", "articolo", "tekst", "hoofdtekst", "bericht", "artikeltekst",
     "texte", "corps", "textecomplet", "texteprincipal", "cuerpo", "texto", "textoprincipal", "nota",
     "brödtext", "brodtext", "brødtekst", "leipäteksti", "teksti", "fulltext", "storytext", "content",
     "maincontent", "mainbody"}
)  # fmt: skip
_TEXT_MEDIA = frozenset({"text", "complexdata"})
# Content that is never story text whatever its role says: style sheets and scripts.
_NOT_TEXT_TYPES = frozenset({"text/css", "css", "text/javascript", "application/javascript"})
_STATUS: dict[str, Status] = {
    "usable": "usable",
    "embargoed": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
    "kill": "canceled",
    "killed": "canceled",
    "withdrawn": "canceled",
    "deleted": "canceled",
}
_KILL_ITEM_TYPES = frozenset({"kill", "withdrawal", "withdraw"})
_SIGNALS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^(?:correct(?:ion|ed|s)?|rectifi\w*|corrige\w*|berichtigung)\b", re.I),
        "correction",
    ),
    (re.compile(r"^(?:updates?|updated|adds?|refile|actualis\w*|new lead)\b", re.I), "update"),
)
_ADVISORY_LINE_TYPES = frozenset({"advisoryline", "editorialnote", "ednote", "advisory"})
_EDITORIAL_PROPERTIES = frozenset({"editorialinfo", "editorialnote", "ednote"})

_PUBLIC_ID = re.compile(r"^(urn:newsml:[^:\s]+:[^:\s]+:.+):\d+[A-Za-z]?$", re.IGNORECASE)
_LANGUAGE_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_]|$)")
_DIGIT = re.compile(r"\d")
_ROLE_SEPARATORS = re.compile(r"[\s_\-.]+")
_NUMBER = re.compile(r"[0-9]{1,6}")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_PARAGRAPH_BREAK = "<br><br>"
_HTML_BLOCK = re.compile(r"<\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|table|tr|blockquote)\b", re.I)
# DateLine tails: ``(AFP) -``, ``(أ ف ب)``, ``/TASS/.``, ``(EFE).-``; separators after them.
_DATELINE_TAIL = re.compile(r"[\s\-–—.:,]+$")
_DATELINE_CREDIT = re.compile(r"\s*(?:\(([^()]{1,40})\)|/([^/]{1,30})/)\s*$")
_COMMA = re.compile(r"\s*[,،]\s*")
# Desk sign-offs: lower-case or uncased initials joined by ``/`` (AFP ``ab/de/dl/hmw``,
# ``سب-لال/نور-كام``, ``ا ف ب/جص/ح س``). Credits like ``AFP/dpa`` have capitals and never match.
_SIGN_OFF = re.compile(
    r"^(?=[^/]{0,40}/)(?!.*[A-Z])[^\W\d_]{1,5}(?:[ -][^\W\d_]{1,5}){0,5}"
    r"(?:\s*/\s*[^\W\d_]{1,5}(?:[ -][^\W\d_]{1,5}){0,5})+$"
)
_MAX_SIGN_OFF = 60
_MAX_KICKER = 80
_MAX_DATELINE = 200


@dataclass(frozen=True, slots=True)
class _Profile:
    """What one agency does differently; matched on ``ProviderId`` (``www.`` ignored)."""

    name: str
    provider_ids: tuple[str, ...] = ()
    # AFP ends its stories with desk initials (``ab/de/dl/hmw``).
    drops_sign_off: bool = False
    # Trailing paragraphs that are boilerplate, not story (ANA-MPA's Greek copyright notice).
    trailing_boilerplate: tuple[re.Pattern[str], ...] = ()
    # Leading paragraphs that are editorial notes (ANP ``N i e u w bericht, vervangt: ...``).
    leading_ednotes: tuple[re.Pattern[str], ...] = ()
    # Belga carries its urgency as an AdministrativeMetadata property ``Priority``.
    urgency_property: str | None = None
    # Belga's DateId is the revision time, so it must stay out of a guid shared by revisions.
    stable_date_id: bool = True
    # AFP's text-component Creator is the author; elsewhere Creator holds desk initials.
    byline_from_creator: bool = False


_DEFAULT = _Profile("default")
_PROFILES: tuple[_Profile, ...] = (
    _Profile("AFP", ("afp.com",), drops_sign_off=True, byline_from_creator=True),
    _Profile(
        "ANA-MPA",
        ("ana-mpe.gr", "ana.gr", "amna.gr"),
        trailing_boilerplate=(re.compile(r"^©\s*ΑΠΕ-ΜΠΕ\b.*(?:δικαιώματα|rights)", re.I),),
    ),
    _Profile(
        "ANP",
        ("anp", "anp.nl"),
        leading_ednotes=(
            re.compile(r"^N ?i ?e ?u ?w ?b ?e ?r ?i ?c ?h ?t\b", re.I),
            re.compile(r"^(?:Vervangt|Correctie|Aanvulling|Let op)\b", re.I),
        ),
    ),
    _Profile("Belga", ("belga.be",), urgency_property="priority", stable_date_id=False),
)


def _profile(provider_id: str) -> _Profile:
    key = provider_id.strip().lower().removeprefix("www.")
    return next((p for p in _PROFILES if key in p.provider_ids), _DEFAULT)


# --- entry points -----------------------------------------------------------------------------------


def can_parse(raw: bytes) -> bool:
    """Root element ``NewsML`` (NewsML 1.x, with or without ``Version``), in any letter case."""
    return sniff_root(raw, _ROOT, any_case=True)


def parse(raw: bytes) -> list[ParsedItem]:
    """Every story in the document; escaped inline markup converted in every field (``parsers._inline``)."""
    return clean_items(_parse(raw))


def _parse(raw: bytes) -> list[ParsedItem]:
    root = parse_xml(raw)
    if local_name(root).lower() != "newsml":
        raise ParseError(f"not NewsML 1.2: root element is <{local_name(root)}>, expected <NewsML>")
    canonical_tags(
        root, _SPELLINGS, _OPAQUE, attributes=has_attribute_variant(raw, _VARIANT_PROBES)
    )
    news_items = _NEWS_ITEMS(root)
    if len(news_items) > MAX_ITEMS_PER_DOCUMENT:
        raise ParseError(
            f"NewsML document holds {len(news_items)} NewsItems, over the limit of {MAX_ITEMS_PER_DOCUMENT}"
        )
    items = [_item(news_item) for news_item in news_items]
    return [item for item in items if item is not None]


# --- one NewsItem -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Story:
    """The chosen text ContentItem and the NewsComponents around it, nearest first."""

    content: etree._Element
    chain: list[etree._Element]
    paragraphs: list[str]


def _item(news_item: etree._Element) -> ParsedItem | None:
    management = _first(_MANAGEMENT(news_item))
    status, embargo = _status_and_embargo(management)
    story = _find_story(news_item)
    if story is None:
        if status != "canceled":
            return None  # photo, audio or metadata-only item
        # A kill notice often carries no text; it is kept so the store can cancel the story.
        story = _Story(news_item, _TOP_COMPONENTS(news_item)[:1], [])
    identifier = _first(_IDENTIFIER(news_item))
    provider = _child_text(identifier, "ProviderId") or ""
    profile = _profile(provider)
    chain = story.chain
    version = _positive_int(_child_text(identifier, "RevisionId"))
    keywords = _unique(
        [
            *_all(chain, _KEYWORD_PROPERTY),
            *_texts(_all(chain, _KEYWORD_LINE)),
            *_NITF_KEYWORDS(story.content),
            *_all(chain, _ITEM_KEYWORDS),
        ]
    )
    body, body_notes = _clean_body(story.paragraphs, profile)
    lead = lift_lead_notes(body)
    body = lead.body
    headline = _headline(chain, story.content)
    advisories = _advisories(chain)
    return ParsedItem(
        source_format=FORMAT,
        guid=_guid(identifier, chain, profile),
        version=version,
        kicker=_kicker(chain, [*keywords, headline or ""], body),
        headline=headline,
        caption=_caption(news_item),
        byline=_byline(chain, story.content, profile) or lead.byline,
        dateline=_dateline(chain),
        body=body,
        agencies=_agencies(chain) or ([provider] if provider else []),
        language=_language(chain, story.content),
        urgency=_urgency(management, chain, profile),
        status=status,
        embargo_until=embargo,
        published_at=parse_datetime(_child_text(management, "FirstCreated")),
        updated_at=parse_datetime(_child_text(management, "ThisRevisionCreated")),
        subjects=_unique(_all(chain, _SUBJECTS)),
        keywords=keywords,
        ednotes=_unique([*advisories, *_editorial_properties(chain), *body_notes, *lead.ednotes]),
        signals=_signals(management, chain, advisories, version),
    )


def _find_story(news_item: etree._Element) -> _Story | None:
    """The ContentItem holding the story: the first text content of a Main/Body-role component, else the
    first text content whose role is not a part beside the story (caption, title, style sheet, logo ...)."""
    others: list[etree._Element] = []
    for content in _CONTENT_ITEMS(news_item):
        role = _role(content)
        if role in _NOT_STORY_ROLES or not _is_text_content(content):
            continue
        if role not in _STORY_ROLES:
            if not _inside_part(content, news_item):
                others.append(content)
            continue
        story = _story(content, news_item)
        if story is not None:
            return story
    return next((s for s in (_story(c, news_item) for c in others) if s is not None), None)


def _story(content: etree._Element, news_item: etree._Element) -> _Story | None:
    data = _child(content, "DataContent")
    paragraphs = _data_paragraphs(data) if data is not None else []
    if not paragraphs:
        return None
    return _Story(content, _component_chain(content, news_item), paragraphs)


def _is_text_content(content: etree._Element) -> bool:
    """Text media, and not a style sheet or script whatever its media type says."""
    for child in content:
        kind = child.tag
        if kind == "MediaType":
            media = child.get("FormalName")
            if media and media.lower() not in _TEXT_MEDIA:
                return False
        elif kind in ("MimeType", "Format"):
            value = child.get("FormalName")
            if value and value.strip().lower() in _NOT_TEXT_TYPES:
                return False
    return True


def _role(content: etree._Element) -> str:
    """The folded Role of the component holding ``content`` ('' when it has none)."""
    parent = content.getparent()
    return _component_role(parent) if parent is not None else ""


def _component_role(component: etree._Element) -> str:
    """A component's Role folded: lower case without spaces, dashes or underscores ('' when none)."""
    role = _formal_name(_child(component, "Role"))
    if not role:
        return ""
    folded = role.lower()
    return folded if folded.isalpha() else _ROLE_SEPARATORS.sub("", folded)


def _inside_part(content: etree._Element, news_item: etree._Element) -> bool:
    """Whether an outer component of ``content`` is a part beside the story (a photo, a contact block): a
    text in it without a story role is that part's (a photo's description), not the story. (A Body text
    inside Belga's Audio component is still the story.)"""
    node = content.getparent()
    node = node.getparent() if node is not None else None
    while node is not None and node is not news_item:
        if node.tag == "NewsComponent" and _component_role(node) in _NOT_STORY_ROLES:
            return True
        node = node.getparent()
    return False


def _component_chain(content: etree._Element, news_item: etree._Element) -> list[etree._Element]:
    chain = []
    node = content.getparent()
    while node is not None and node is not news_item:
        if node.tag == "NewsComponent":
            chain.append(node)
        node = node.getparent()
    return chain


# --- body ---------------------------------------------------------------------------------------------


def _data_paragraphs(data: etree._Element) -> list[str]:
    """NITF ``body.content`` / XHTML ``body`` / bare paragraphs; or markup or plain text held as a string."""
    if len(data):
        first = data[0]
        if (
            isinstance(first.tag, str)
            and first.tag.lower() in _NITF_ROOTS
            and not first.tag.islower()
        ):
            canonical_nitf_tags(first)  # NITF in capitals or with ``BODY_CONTENT``: the DTD's names
        contents = _BODY_CONTENT(data)
        if contents:
            return [p for content in contents for p in element_paragraphs(content, skip=_BODY_SKIP)]
        bodies = _BODY(data)
        return element_paragraphs(bodies[0] if bodies else data, skip=_BODY_SKIP)
    return _string_paragraphs(data.text or "")


def _string_paragraphs(text: str) -> list[str]:
    """HTML in CDATA (ANA-MPA), escaped HTML (Belga) or plain text; without block markup, each line (or
    each blank-line separated block, when there are any) is a paragraph."""
    if not text.strip():
        return []
    if _HTML_BLOCK.search(text):
        return html_fragment_paragraphs(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in text and (laid_out := plain_text_paragraphs(text)) is not None:
        return laid_out  # hard-wrapped wire copy: indented or blank-line paragraphs, wrapped lines join
    chunks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    if "<" in text:  # inline markup only: keep the line breaks as paragraph breaks, parse once
        return html_fragment_paragraphs(_PARAGRAPH_BREAK.join(chunks))
    return [paragraph for paragraph in map(_collapse, chunks) if paragraph]


def _clean_body(paragraphs: list[str], profile: _Profile) -> tuple[list[str], list[str]]:
    """Drop sign-offs and boilerplate at the end; move editorial notes at the start to ``ednotes``."""
    body = [p for p in paragraphs if p.strip()]
    notes: list[str] = []
    while body and any(pattern.match(body[0]) for pattern in profile.leading_ednotes):
        notes.append(body.pop(0))
    while body and (
        (profile.drops_sign_off and _is_sign_off(body[-1]))
        or any(pattern.match(body[-1]) for pattern in profile.trailing_boilerplate)
    ):
        body.pop()
    return body, notes


def _is_sign_off(text: str) -> bool:
    return len(text) <= _MAX_SIGN_OFF and _SIGN_OFF.match(text) is not None


# --- metadata -----------------------------------------------------------------------------------------


def _guid(
    identifier: etree._Element | None, chain: list[etree._Element], profile: _Profile
) -> str | None:
    """The id every revision shares: ``PublicIdentifier`` minus ``:RevisionId[Update]``, else built from
    ProviderId, DateId and NewsItemId, else an agency ``guid`` element (TASS)."""
    public = _collapse(_child_text(identifier, "PublicIdentifier"))
    match = _PUBLIC_ID.match(public)
    if match:
        return match.group(1)
    provider = _collapse(_child_text(identifier, "ProviderId"))
    item_id = _collapse(_child_text(identifier, "NewsItemId"))
    date_id = _collapse(_child_text(identifier, "DateId")) if profile.stable_date_id else ""
    if provider and item_id:
        return ":".join(part for part in ("urn:newsml", provider, date_id, item_id) if part)
    return next((g for g in (_collapse(v) for v in _all(chain, _GUID_ELEMENT)) if g), None)


def _headline(chain: list[etree._Element], content: etree._Element) -> str | None:
    """The nearest non-empty ``HeadLine``; NITF ``hl1`` only when NewsLines have none."""
    return _first_text(_all(chain, _HEADLINE)) or _first_text(_HL1(content))


def _kicker(chain: list[etree._Element], not_kickers: list[str], body: list[str]) -> str | None:
    """A short ``SubHeadLine`` that is neither a keyword (EFE ``INDIA SUCESOS``) or the headline nor the
    lead repeated (ANA-MPA) nor a long standfirst."""
    text = _first_text(_all(chain, _SUBHEADLINE))
    if not text or len(text) > _MAX_KICKER:
        return None
    folded = text.casefold()
    if any(folded == other.casefold() for other in not_kickers):
        return None
    if body and body[0].casefold().startswith(folded.rstrip(".")):
        return None
    return text


def _byline(chain: list[etree._Element], content: etree._Element, profile: _Profile) -> str | None:
    """``ByLine`` (NewsLines, then NITF); AFP's Creator party. Editors' initials are not a byline."""
    elements = (*_all(chain, _BYLINE), *_NITF_BYLINE(content))
    creators: list[str] = _all(chain, _CREATOR_PARTY) if profile.byline_from_creator else []
    for text in (*(_collapse(element_text(e)) for e in elements), *map(_collapse, creators)):
        if text and not _is_sign_off(text):
            return text
    return None


def _caption(news_item: etree._Element) -> str | None:
    for content in _CAPTION_ITEMS(news_item):
        data = _child(content, "DataContent")
        paragraphs = _data_paragraphs(data) if data is not None else []
        if paragraphs:
            return " ".join(paragraphs)
    return None


def _dateline(chain: list[etree._Element]) -> ParsedDateline | None:
    """Place, date and credit from the ``DateLine`` text; the origin city when the text names no place."""
    place: str | None = None
    date: str | None = None
    agencies: list[str] = []
    text = real(_first_text(_all(chain, _DATELINE)))
    if text:
        place, date, agencies = _split_dateline(text)
    place = real(place)
    if place is None:
        cities = (_collapse(v) for v in _all(chain, _ORIGIN_CITY))
        place = next((c for c in cities if not is_placeholder(c)), None)
    if place is None and date is None and not agencies:
        return None
    return ParsedDateline(place=place, date=date, agencies=agencies)


def _split_dateline(text: str) -> tuple[str | None, str | None, list[str]]:
    """``Ouagadougou, Dec 20, 2017 (AFP) -`` -> place, date, [credit]; ``4/4/2018`` -> date only.
    The first comma segment holding a digit starts the date (``ROSCOE, South Dakota`` stays a place)."""
    head = _DATELINE_TAIL.sub("", text[:_MAX_DATELINE])
    agencies: list[str] = []
    credit = _DATELINE_CREDIT.search(head)
    if credit:
        agencies.append(_collapse(credit.group(1) or credit.group(2)))
        head = _DATELINE_TAIL.sub("", head[: credit.start()])
    segments = [s for s in _COMMA.split(head.strip()) if s]
    for index, segment in enumerate(segments):
        if _DIGIT.search(segment):
            return ", ".join(segments[:index]) or None, ", ".join(segments[index:]), agencies
    return ", ".join(segments) or None, None, agencies


def _agencies(chain: list[etree._Element]) -> list[str]:
    """Credits as written: ``CreditLine``, else the ``Source`` party, else the ``Provider`` party, else a
    short ``CopyrightLine`` (TASS ``(c) ITAR-TASS 2019``). (Without any, the caller credits the
    ``ProviderId``: ``anp.nl``, ``kyodonews.net`` name their agency through the agency table.)"""
    credits = _texts(_all(chain, _CREDIT_LINE))
    if credits:
        return credits[:1]
    for parties in (_all(chain, _SOURCE_PARTY), _all(chain, _PROVIDER_PARTY)):
        named = _unique(parties)
        if named:
            return named
    copyright_lines = [c for c in _texts(_all(chain, _COPYRIGHT_LINE)) if len(c) <= 40]
    return copyright_lines[:1]


def _language(chain: list[etree._Element], content: etree._Element) -> str | None:
    """``Language/@FormalName`` (``nl-nl``, ``EN``, ``es-ES``), else the nearest ``xml:lang``."""
    for value in (*_all(chain, _LANGUAGE), *_LANG(content)):
        match = _LANGUAGE_CODE.match(value.strip())
        if match and value.strip().lower() != "x-default":
            return match.group(1).lower()
    return None


def _urgency(
    management: etree._Element | None, chain: list[etree._Element], profile: _Profile
) -> int | None:
    """The item's ``Urgency`` (``FormalName`` or, TASS, element text); Belga's ``Priority`` property."""
    urgency = _child(management, "Urgency")
    values = [urgency.get("FormalName"), urgency.text] if urgency is not None else []
    if profile.urgency_property:
        values += [
            prop.get("Value")
            for prop in _all(chain, _ADMIN_PROPERTY)
            if (prop.get("FormalName") or "").lower() == profile.urgency_property
        ]
    for value in values:
        number = _positive_int(value)
        if number is not None and number <= 8:
            return number
    return None


def _status_and_embargo(management: etree._Element | None) -> tuple[Status, datetime | None]:
    """``Status`` (``Embargoed`` is usable with an embargo); ``StatusWillChange`` gives the time the
    item becomes usable, which is the embargo for embargoed and withheld items."""
    value = (_formal_name(_child(management, "Status")) or "").strip().lower()
    status = _STATUS.get(value, "usable")
    item_type = (_formal_name(_child(management, "NewsItemType")) or "").strip().lower()
    if item_type in _KILL_ITEM_TYPES:
        status = "canceled"
    embargo = None
    change = _child(management, "StatusWillChange")
    if change is not None and value in {"embargoed", "withheld"}:
        future = (_formal_name(_child(change, "FutureStatus")) or "usable").strip().lower()
        if _STATUS.get(future, "usable") == "usable":
            embargo = parse_datetime(_child_text(change, "DateAndTime"))
    return status, embargo


def _advisories(chain: list[etree._Element]) -> list[str]:
    notes = []
    for line in _all(chain, _NEWS_LINES):
        kind = (_formal_name(_child(line, "NewsLineType")) or "").lower()
        text = _collapse(_child_text(line, "NewsLineText"))
        if kind in _ADVISORY_LINE_TYPES and text:
            notes.append(text)
    return notes


def _editorial_properties(chain: list[etree._Element]) -> list[str]:
    return [
        _collapse(prop.get("Value"))
        for prop in _all(chain, _ADMIN_PROPERTY)
        if (prop.get("FormalName") or "").lower() in _EDITORIAL_PROPERTIES
    ]


def _signals(
    management: etree._Element | None,
    chain: list[etree._Element],
    advisories: list[str],
    version: int | None,
) -> list[str]:
    """``update``/``correction`` from Genre, Instruction and advisory lines; ``update`` for revisions."""
    instruction = _formal_name(_child(management, "Instruction"))
    named = [*_all(chain, _GENRE), *([instruction] if instruction else []), *advisories]
    found: dict[str, None] = {}
    for text in named:
        for pattern, signal in _SIGNALS:
            if pattern.match(text.strip()):
                found.setdefault(signal, None)
    if version is not None and version > 1:
        found.setdefault("update", None)
    return list(found)


# --- small helpers --------------------------------------------------------------------------------------


def _all(chain: list[etree._Element], query: Callable[[etree._Element], list[_T]]) -> list[_T]:
    """Results of ``query`` on every component of the chain, nearest component first."""
    return [result for component in chain for result in query(component)]


def _first(elements: list[etree._Element]) -> etree._Element | None:
    return elements[0] if elements else None


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    """The first child named ``name`` (a plain name): ``element.find(name)`` without the ElementPath
    machinery (tests/test_parser_speed.py)."""
    return next(element.iterchildren(name), None) if element is not None else None


def _child_text(element: etree._Element | None, name: str) -> str | None:
    return element_text(_child(element, name))


def _formal_name(element: etree._Element | None) -> str | None:
    return element.get("FormalName") if element is not None else None


def _first_text(elements: Iterable[etree._Element]) -> str | None:
    return next((t for t in (element_text(e) for e in elements) if t), None)


def _texts(elements: Iterable[etree._Element]) -> list[str]:
    return [t for t in (element_text(e) for e in elements) if t]


def _collapse(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        text = _collapse(value)
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _positive_int(text: str | None) -> int | None:
    match = _NUMBER.fullmatch(text.strip()) if text else None
    return int(match.group()) or None if match else None
