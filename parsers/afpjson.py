"""AFP API JSON documents (``POST /v1/api/search`` answers and single documents).

Shapes: ``{"response": {"docs": [...], "numFound": N}}``, a list of documents, or one document. Fields as
the AFP API names them: ``uno`` (the id), ``revision``, ``headline``, ``news`` (the paragraphs, a list of
strings), ``urgency`` (1 flash .. 5), ``published``, ``status`` (``Usable``/``Canceled``/``Embargoed``) with
``embargoed``, ``signal``, ``lang``, ``city``/``country``, ``slug``, ``keyword``, ``creator``,
``advisory``, ``provider``/``source``. Flashes and alerts (urgency below 4) often carry no headline of their
own: their first news line is the headline. Documents without ``news`` (photos, video) yield nothing; JSON
without any AFP document is refused with a reason.
"""

from __future__ import annotations

import re
from typing import Any

from parsers._jsonwire import (
    dicts,
    integer,
    json_sniff,
    parse_json_items,
    strings,
    text,
    unique,
    urgency,
)
from parsers._wiretext import lift_item_lead_notes
from parsers.base import ParsedDateline, ParsedItem, ParseError, Status
from parsers.dates import parse_datetime

FORMAT = "afpjson"
SNIFF_ORDER = 12  # before ninjs: "uno" is AFP's own key
SNIFF_OPENS = "{["  # JSON: registry skips it for documents opening otherwise

_SNIFF = re.compile(rb'"uno"\s*:\s*"')
_DOC_KEYS = ("uno", "news")
_STATUS: dict[str, Status] = {"usable": "usable", "canceled": "canceled", "withheld": "withheld"}
HEADLINE_FROM_NEWS_BELOW = 4
DEFAULT_AGENCY = "AFP"


def can_parse(raw: bytes) -> bool:
    """JSON whose first 8 KB holds an AFP ``uno`` string."""
    return json_sniff(raw, _SNIFF)


def parse(raw: bytes) -> list[ParsedItem]:
    return parse_json_items(raw, "AFP", _docs, _item)


def _docs(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, dict) and isinstance(document.get("response"), dict):
        candidates = dicts(document["response"].get("docs"))
        empty_ok = True
    elif isinstance(document, list):
        candidates, empty_ok = dicts(document), False
    elif isinstance(document, dict):
        candidates, empty_ok = [document], False
    else:
        raise ParseError(f"AFP document is a JSON {type(document).__name__}, not an object")
    docs = [doc for doc in candidates if any(key in doc for key in _DOC_KEYS)]
    if not docs and not empty_ok:
        raise ParseError("no AFP document found (no uno or news)")
    return docs


def _item(doc: dict[str, Any]) -> ParsedItem | None:
    news = strings(doc.get("news"))
    if not news:
        return None  # photo, video, graphic: no text story
    level = urgency(doc.get("urgency"))
    headline = text(doc.get("headline")) or text(doc.get("title"))
    if headline is None and level is not None and level < HEADLINE_FROM_NEWS_BELOW:
        headline, news = news[0], news[1:]
    embargo = parse_datetime(text(doc.get("embargoed")))
    city, country = text(doc.get("city")), text(doc.get("country"))
    item = ParsedItem(
        source_format=FORMAT,
        guid=text(doc.get("uno")),
        version=integer(doc.get("revision")),
        headline=headline,
        body=news,
        dateline=ParsedDateline(place=city) if city else None,
        agencies=_agencies(doc),
        authors=strings(doc.get("creator")),
        language=text(doc.get("lang")) or text(doc.get("language")),
        urgency=level,
        status=_status(doc),
        embargo_until=embargo,
        published_at=parse_datetime(text(doc.get("published"))),
        updated_at=parse_datetime(text(doc.get("modified"))),
        subjects=unique(strings(doc.get("topic")) + ([country] if country else [])),
        keywords=unique(strings(doc.get("slug")) + strings(doc.get("keyword"))),
        ednotes=strings(doc.get("advisory")),
        signals=[s.rsplit(":", 1)[-1].lower() for s in strings(doc.get("signal"))],
    )
    return lift_item_lead_notes(item)  # ``(Ajoute ...)`` and ``Par ...`` opening the news


def _agencies(doc: dict[str, Any]) -> list[str]:
    for key in ("provider", "source"):
        credit = text(doc.get(key))
        if credit:
            return unique([part.strip() for part in credit.split("/") if part.strip()])
    return [DEFAULT_AGENCY]


def _status(doc: dict[str, Any]) -> Status:
    value = text(doc.get("status"))
    return _STATUS.get(value.lower(), "usable") if value else "usable"
