"""News Bites tagged text (``AN#``/``TI#``/``TX#`` lines), as relayed by AAP.

Each story starts with ``zczc`` (optional) and carries two-letter tags: ``AN#`` item id, ``KN#`` source,
``PD#`` date, ``CO#`` company codes, ``KY#`` keywords, ``BY#`` byline, ``TI#`` headline, ``AB#`` abstract
(repeats the lead, so it is not body) and ``TX#`` text, one paragraph per line until the next known tag or
the end. Files are windows-1252 (``0x92`` is ``’``), which the shared decoder handles.
"""

from __future__ import annotations

import codecs
import re

from parsers._inline import clean_items, has_markup
from parsers._wirelines import (
    check_count,
    collapse,
    decode_text,
    head_lines,
    paragraphs,
    strip_controls,
)
from parsers.base import ParsedItem, ParseError

FORMAT = "newsbites"
SNIFF_ORDER = 66

_KNOWN_TAGS = frozenset({"AN", "KN", "PD", "CO", "SO", "SF", "BY", "KY", "TI", "AB", "TX"})
_TAG = re.compile(r"^(?P<tag>[A-Z]{2})#(?P<value>.*)$")
_START = re.compile(r"^\s*zczc\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*NNNN\s*$")


def can_parse(raw: bytes) -> bool:
    """``AN#`` as the first tag (after an optional ``zczc``) and a ``TX#`` line in the head."""
    lines = [
        ln.strip()
        for ln in head_lines(raw.removeprefix(codecs.BOM_UTF8)[:8192].decode("latin-1"))
        if ln.strip()
    ]
    if lines and _START.match(lines[0]):
        lines = lines[1:]
    return bool(lines) and lines[0].startswith("AN#") and any(ln.startswith("TX#") for ln in lines)


def parse(raw: bytes) -> list[ParsedItem]:
    text = strip_controls(decode_text(raw))
    lines = text.split("\n")
    stories = _stories(lines)
    if not stories:
        raise ParseError("newsbites: no 'AN#' tagged story found")
    check_count(FORMAT, len(stories), "stories")
    items = [_item(fields) for fields in stories]
    found = [item for item in items if item is not None]
    return clean_items(found) if has_markup(text) else found  # speed: one scan of the whole text


def _stories(lines: list[str]) -> list[dict[str, list[str]]]:
    """Tag values per story; a new ``AN#`` or ``zczc`` starts the next story; untagged lines continue
    the previous tag (the text runs over many lines)."""
    stories: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    tag: str | None = None
    for line in lines:
        if _START.match(line) or _END.match(line):
            current, tag = None, None
            continue
        match = _TAG.match(line)
        if match and match.group("tag") in _KNOWN_TAGS:
            tag = match.group("tag")
            if tag == "AN" or current is None:
                current = {}
                stories.append(current)
            current.setdefault(tag, []).append(match.group("value"))
        elif current is not None and tag is not None:
            current[tag].append(line)
    return stories


def _first(fields: dict[str, list[str]], tag: str) -> str | None:
    value = collapse(" ".join(fields.get(tag, [])))
    return value or None


def _item(fields: dict[str, list[str]]) -> ParsedItem | None:
    # TX# lines are paragraphs of their own: a blank line between each keeps them apart.
    text_lines = [part for line in fields.get("TX", []) for part in (line, "")]
    body = paragraphs(text_lines, rows=True)
    headline = _first(fields, "TI")
    if not body and headline is None:
        return None
    source = _first(fields, "KN")
    keywords = (_first(fields, "KY") or "").split()
    companies = [c for c in (_first(fields, "CO") or "").split() if c != "*"]
    return ParsedItem(
        source_format=FORMAT,
        guid=_first(fields, "AN"),
        headline=headline,
        byline=_first(fields, "BY"),
        body=body,
        agencies=[source] if source else [],
        keywords=list(dict.fromkeys(keywords + companies)),
    )
