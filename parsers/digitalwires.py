"""dpa digitalwires JSON (wireQ API / s3push): one entry, a list of entries, or an envelope with ``entries``.

An entry carries its text as XHTML in ``article_html``; the teaser, infobox, linkbox and notepad are held
apart and are not body. The ``dateline`` field (``Waghäusel (dpa) - ``) is *not* repeated in the body of
most entries, so it becomes the structured dateline; where the body does open with a
``<span class="dateline">`` the paragraph keeps it (the normalizer strips it) and the span fills the
structured dateline when the field is empty. Audio and photo entries have no ``article_html`` and yield
nothing.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lxml import etree

from parsers._jsonwire import (
    candidate_objects,
    class_xpath,
    dicts,
    drop_elements,
    html_root,
    integer,
    json_sniff,
    parse_json_items,
    select,
    split_dateline_text,
    strings,
    text,
    unique,
    urgency,
    with_keys,
)
from parsers._wiretext import lift_item_lead_notes
from parsers.base import ParsedDateline, ParsedItem, Status
from parsers.dates import parse_datetime
from parsers.markup import element_paragraphs, element_text

FORMAT = "digitalwires"
SNIFF_ORDER = 10
SNIFF_OPENS = "{["  # JSON: registry skips it for documents opening otherwise

_SNIFF = re.compile(
    rb'"format"\s*:\s*"digitalwires|"(?:article_html|entry_id|version_created)"\s*:'
)
_ENTRY_KEYS = ("urn", "entry_id", "article_html", "headline")

#: ``pubstatus`` values (bare or as ``stat:`` qcodes); null or unknown means usable.
_STATUS: dict[str, Status] = {"usable": "usable", "canceled": "canceled", "withheld": "withheld"}
#: ednote roles that are not editorial notes: routing sign-offs and personal contact data.
_EDNOTE_ROLES_SKIPPED = frozenset(
    {"dpaednoterole:closingline", "dpaednoterole:contacts", "dpaednoterole:dpacontacts"}
)
#: category types -> ParsedItem list field.
_SUBJECT_TYPES = frozenset({"dnltype:dpasubject", "dnltype:subject"})
_KEYWORD_TYPES = frozenset({"dnltype:keyword"})
#: qcode schemes whose names are codes, not words (AP one-letter category codes).
_CODE_SCHEMES = frozenset({"apcategorycode"})

# dnl-* elements are embeds (tweets, videos, images, charts) referenced by attributes; a table may sit
# inside <figure class="table">, which the shared markup would otherwise drop with image figures.
_EMBEDS = etree.XPath("//*[starts-with(local-name(), 'dnl-')]")
_TABLE_FIGURES = etree.XPath(f"//figure[{class_xpath('table')}]")
_DATELINE_SPAN = etree.XPath(f"(//p)[1]//span[{class_xpath('dateline')}][1]")


def can_parse(raw: bytes) -> bool:
    """JSON whose first 8 KB names the digitalwires format or its distinctive keys."""
    return json_sniff(raw, _SNIFF)


def parse(raw: bytes) -> list[ParsedItem]:
    return parse_json_items(raw, "digitalwires", _entries, _item)


def _entries(document: Any) -> list[dict[str, Any]]:
    """The entries of a single-entry document, a JSON list, or an ``{"entries": [...]}`` envelope."""
    if isinstance(document, dict) and isinstance(document.get("entries"), list):
        candidates = dicts(document["entries"])
    else:
        candidates = candidate_objects(document, "digitalwires")
    return with_keys(candidates, _ENTRY_KEYS, "digitalwires entry", empty_ok=True)


def _item(entry: dict[str, Any]) -> ParsedItem | None:
    root = html_root(text(entry.get("article_html")))
    if root is None:
        return None  # audio / photo / metadata-only entry
    drop_elements(select(_EMBEDS, root))
    for figure in select(_TABLE_FIGURES, root):
        figure.drop_tag()
    published, updated = _times(entry)
    categories = dicts(entry.get("categories"))
    return lift_item_lead_notes(  # ``(Updates ...)`` and ``By ...`` opening the text
        ParsedItem(
            source_format=FORMAT,
            guid=text(entry.get("urn")) or text(entry.get("entry_id")),
            version=integer(entry.get("version")),
            kicker=text(entry.get("kicker")),
            headline=text(entry.get("headline")),
            caption=_feature_caption(entry),
            byline=text(entry.get("byline")),
            dateline=split_dateline_text(entry.get("dateline")) or _span_dateline(root),
            body=element_paragraphs(root),
            agencies=_agencies(entry, categories),
            language=text(entry.get("language")),
            urgency=urgency(entry.get("urgency")),
            status=_status(entry, categories),
            embargo_until=parse_datetime(text(entry.get("embargoed"))),
            published_at=published,
            updated_at=updated,
            subjects=_category_names(categories, _SUBJECT_TYPES)
            or strings(entry.get("dpasubject_names")),
            keywords=_category_names(categories, _KEYWORD_TYPES)
            or strings(entry.get("keyword_names")),
            ednotes=_ednotes(entry),
            signals=_signals(entry, categories),
        )
    )


def _times(entry: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """``firstcreated`` is the story's first publication when present; ``version_created`` dates this
    version (``updated`` is only the API's bookkeeping time, used when nothing better exists)."""
    version_created = parse_datetime(text(entry.get("version_created")))
    first = parse_datetime(text(entry.get("firstcreated"))) or version_created
    return first, version_created or parse_datetime(text(entry.get("updated")))


def _span_dateline(root: etree._Element) -> ParsedDateline | None:
    found = select(_DATELINE_SPAN, root)
    return split_dateline_text(element_text(found[0])) if found else None


def _agencies(entry: dict[str, Any], categories: list[dict[str, Any]]) -> list[str]:
    """The creditline as written (``dpa/AFP`` -> two credits); the provider when there is none."""
    credit = text(entry.get("creditline"))
    if credit:
        return unique([part.strip() for part in credit.split("/") if part.strip()])
    return _category_names(categories, frozenset({"dnltype:provider"}))


def _status(entry: dict[str, Any], categories: list[dict[str, Any]]) -> Status:
    value = text(entry.get("pubstatus"))
    if value is None:
        value = next(iter(_category_names(categories, frozenset({"dnltype:pubstatus"}))), None)
    if value is None:
        return "usable"
    return _STATUS.get(value.removeprefix("stat:").lower(), "usable")


def _signals(entry: dict[str, Any], categories: list[dict[str, Any]]) -> list[str]:
    """``signal`` (one qcode), ``signals`` (a list) and signal categories, scheme prefix removed."""
    codes = strings(entry.get("signal")) + strings(entry.get("signals"))
    codes += [text(c.get("qcode")) or "" for c in categories if c.get("type") == "dnltype:signal"]
    return unique([code.rsplit(":", 1)[-1] for code in codes if code])


def _ednotes(entry: dict[str, Any]) -> list[str]:
    notes = []
    for note in dicts(entry.get("ednotes")):
        value = text(note.get("ednote"))
        if value and note.get("role") not in _EDNOTE_ROLES_SKIPPED:
            notes.append(value)
    return unique(notes)


def _category_names(categories: list[dict[str, Any]], types: frozenset[str]) -> list[str]:
    names = []
    for category in categories:
        name = text(category.get("name"))
        scheme = (text(category.get("qcode")) or "").partition(":")[0]
        if name and category.get("type") in types and scheme not in _CODE_SCHEMES:
            names.append(name)
    return unique(names)


def _feature_caption(entry: dict[str, Any]) -> str | None:
    """Caption of the entry's feature image, the photo shown with the story."""
    for association in dicts(entry.get("associations")):
        if association.get("type") == "image" and association.get("is_featureimage") is True:
            return text(association.get("caption"))
    return None
