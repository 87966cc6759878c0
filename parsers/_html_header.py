"""What a news page prints around its headline: the time line and the byline.

Pages without structured data still show when a story was published and updated (``Pubblicato il 3
marzo 2024 alle ore 12:00 · Aggiornato il 3 marzo 2024 alle ore 14:05``, a ``<time datetime>`` and a
separate ``Updated ...`` line) and who wrote it (``<p class="byline">By Jane Roe</p>`` beside the ``h1``).
The time lines are read by the grammar text dumps use (``parsers._timelines``); such a line is page
chrome, never body text (``is_time_line``).
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from parsers._timelines import TimeLine, looks_like_time_line, parse_time_line

# Parts of one header line: ``date · author · reading time``, ``published | updated``.
TIME_LINE_PARTS = re.compile(r"\s+[|•·]\s+|\s*\|\s*")
# Trailing words cut off a header part when looking for a time in it (``erstellt: 01. April 2025,
# 15:25 in: Gesellschaft``).
TIME_LINE_TAIL = 3
# Leading words (an author's name, an agency) dropped before a time label in the same header part.
TIME_LINE_HEAD = 4
MAX_TIME_LINE = 160
# A byline is short; longer text in an author-classed box is a biography.
MAX_BYLINE = 100
# How far from the headline a byline is looked for: sibling elements after / before it, and wrappers
# around it (``<header><h1/></header><p class="author">``).
BYLINE_AFTER = 4
BYLINE_BEFORE = 2
BYLINE_LEVELS = 2
# An element beside the headline with more text than this is the article or a list, not its header.
MAX_NEAR_TEXT = 300
_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:by|by-?lines?|authors?|autore|autori|autor|autores|autorin|auteurs?|firma|"
    r"signature|verfasser)(?=$|[\s_-])|(?<=[a-z])(?:Author|Byline)",
    re.IGNORECASE,
)
_SEPARATORS = " \t|•·,;:-–—"
_STOP_AT = frozenset({"article", "main", "body", "html"})


def is_time_line(text: str) -> bool:
    """Whether a displayed line is a page's time line and nothing else: the whole line, or every part
    of it between ``|``/``•``/``·`` separators, reads as published/updated times (``parse_time_line``),
    or it is a time label with a relative value (``Updated 2 hours ago``), or it is one after an author's
    or agency's name (``_after_names``). Such a line is never body text."""
    text = " ".join(text.split())
    if len(text) > MAX_TIME_LINE or not any(map(str.isdigit, text)):
        return False
    if parse_time_line(text) is not None or looks_like_time_line(text):
        return True
    parts = [p for p in TIME_LINE_PARTS.split(text) if p.strip()]
    if len(parts) > 1 and all(
        parse_time_line(p) is not None or looks_like_time_line(p) for p in parts
    ):
        return True
    return any(parse_time_line(rest) is not None for rest in _after_names(text))


# A clock in a time line: ``14:05``, ``14.05 Uhr``, ``14h05``, ``2 PM``, ``9 a.m.``.
_CLOCK = re.compile(
    r"(?<![\d.])(?:[01]?\d|2[0-3])\s?[:h]\s?[0-5]\d(?![\d.])|\d{1,2}\.\d{2}\s*Uhr\b"
    r"|\d{1,2}\s*(?:[ap]\.?\s?m\b\.?|Uhr\b)",
    re.IGNORECASE,
)


def _after_names(text: str) -> list[str]:
    """``text`` without up to ``TIME_LINE_HEAD`` leading capitalised words (an author or agency set
    beside the time in one line: ``PAP Aktualizacja: 30.11.2026 14:05``, ``By Dana Whitfield Updated
    3:05 PM CST ...``), where what follows opens with a word (a label, a month or a weekday). A name
    ending in a comma is a dateline's place (``BERLIN, 30. November``), never cut off."""
    words = text.split()
    rests = []
    for cut in range(1, min(TIME_LINE_HEAD, len(words) - 1) + 1):
        name = words[cut - 1]
        if not name[:1].isupper() or name.endswith(","):
            break
        if words[cut][:1].isalpha():
            rests.append(" ".join(words[cut:]))
    return rests


def _candidates(part: str) -> list[str]:
    """A header part, then the same without up to ``TIME_LINE_TAIL`` trailing words, then without the
    names before it (``_after_names``). Each must still open with a label or a date for the grammar:
    a caption ending in a date is not a time line."""
    words = part.split()
    tails = [" ".join(words[:-cut]) for cut in range(1, min(TIME_LINE_TAIL, len(words) - 1) + 1)]
    return [part, *tails, *_after_names(part)]


def displayed_times(lines: list[str]) -> TimeLine:
    """(published, updated) printed in the header lines (document order): each is the first value
    any line, else any line part, gives, so a ``Published ... · Updated ...`` line sets both, and so do a
    published line and an updated line below it. Times without a zone stay naive (local time); a line
    with a day but no clock gives nothing (a page's ``30.11.2026`` is no instant)."""
    published: datetime | None = None
    updated: datetime | None = None
    for line in lines:
        parts = TIME_LINE_PARTS.split(line)
        # the whole line first: ``30.11.2026 | 14:05`` is one time, its parts a day and a clock
        for part in [line, *parts] if len(parts) > 1 else parts:
            for candidate in _candidates(part.strip()):
                if not _CLOCK.search(candidate):
                    continue  # a day without a clock is no instant (midnight would misdate the story)
                shown = parse_time_line(candidate)
                if shown is not None and (shown.published or shown.updated):
                    published = published or shown.published
                    updated = updated or shown.updated
                    break
            if published and updated:
                return TimeLine(published, updated)
    return TimeLine(published, updated)


def _class_of(element: etree._Element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _is_byline_element(element: etree._Element) -> bool:
    return (
        bool(_BYLINE_CLASS.search(_class_of(element)))
        or (element.get("itemprop") or "").strip().lower() == "author"
        or "author" in (element.get("rel") or "").lower().split()
    )


_COMMAS = re.compile(r"\s*(?:,\s*)+")
_LINE_BREAKING = frozenset({"br", "div", "p", "li"})


def _squashed(element: etree._Element) -> str:
    """The element's text on one line; a ``<br>`` or a child block between two names is a comma
    (``Jane Smith<br><span>Australian Associated Press</span>``: ``Jane Smith, Australian ...``)."""
    pieces: list[str] = [element.text or ""]
    for child in element.iterchildren():
        if isinstance(child.tag, str) and child.tag in _LINE_BREAKING:
            pieces.append(", ")
        if isinstance(child.tag, str):
            pieces.append(etree.tostring(child, method="text", encoding="unicode", with_tail=False))
        pieces.append(child.tail or "")
    text = " ".join("".join(pieces).split())
    return " ".join(_COMMAS.sub(", ", text).split()).strip(" ,")


def _byline_text(element: etree._Element) -> str | None:
    """The element's text without time parts (``di Mario Rossi · 3 marzo 2024``), when short."""
    text = _squashed(element)
    parts = [p for p in TIME_LINE_PARTS.split(text) if p.strip() and not is_time_line(p)]
    found = " · ".join(parts).strip(_SEPARATORS)
    if not found or len(found) > MAX_BYLINE or not any(map(str.isalpha, found)):
        return None
    return found


def _near(headline: etree._Element) -> list[etree._Element]:
    """Elements beside the headline, nearest first: its siblings after it, then before it, then the
    same around each of up to ``BYLINE_LEVELS`` wrappers (not past the article)."""
    found: list[etree._Element] = []
    node: etree._Element | None = headline
    for _level in range(BYLINE_LEVELS + 1):
        if node is None or node.tag in _STOP_AT:
            break
        after = [e for e in node.itersiblings() if isinstance(e.tag, str)][:BYLINE_AFTER]
        before = [e for e in node.itersiblings(preceding=True) if isinstance(e.tag, str)]
        found.extend(after + before[:BYLINE_BEFORE])
        node = node.getparent()
    return found


def displayed_byline(headline: etree._Element | None) -> str | None:
    """The text of a byline element beside the headline (class ``byline``/``author``/``autore``/...,
    ``itemprop="author"``, ``rel="author"``), as printed (``di Mario Rossi``: the normalizer reads the
    person out of it); ``None`` when there is none or its text is long (an author biography)."""
    if headline is None:
        return None
    for element in _near(headline):
        if len(_squashed(element)) > MAX_NEAR_TEXT:
            continue  # the article's text or a teaser list: a byline inside is not the headline's
        for candidate in element.iter():
            if isinstance(candidate.tag, str) and _is_byline_element(candidate):
                text = _byline_text(candidate)
                if text:
                    return text
    return None
